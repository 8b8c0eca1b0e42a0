"""Stand-in guests: the guest helpers verified over real SSH, no cloud.

See fixture.StandinGuests for what a stand-in guest is and how it differs
from a real one.
"""
