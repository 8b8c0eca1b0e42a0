# Copyright 2026 The mattach-tempest Authors.
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Below compute 2.60 nova refuses multiattach volumes.

Behaviour rule 1 (doc/source/behaviour.rst): at a compute microversion
below 2.60 a multiattach volume is refused with 400, even for its first
attachment, both when attaching it to a server and when booting a server
with it in block_device_mapping_v2 (nova compute/utils.py
check_attach_and_reserve_volume).
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# The last compute microversion without multiattach volumes.
OLD_MICROVERSION = '2.59'
OLD_MICROVERSION_REFUSAL = ('Multiattach volumes are only supported '
                            'starting with compute API version 2.60.')


class MultiattachOldMicroversionNegativeTest(base.MultiattachBaseTest):
    """Every compute request of this class is sent at 2.59.

    A class of its own: the microversion fixture resets the request
    microversion of every compute client when a class ends, so tests at
    2.59 must not share a class with tests at 2.60.
    """

    compute_min_microversion = OLD_MICROVERSION
    compute_max_microversion = OLD_MICROVERSION

    @decorators.attr(type='negative')
    @decorators.idempotent_id('460e4771-4ddf-4d34-ab82-c42942972396')
    @unstable.services('compute', 'volume')
    def test_attach_refused_below_2_60(self):
        """At 2.59 even the first attach of a multiattach volume is a 400.

        Steps:
        1. Create a multiattach volume and a server.
        2. Attach the volume to the server at compute 2.59: 400 naming
           2.60.
        3. Cinder holds no attachment of the volume (attached or reserved)
           and it is available; nova lists no volume on the server.
        """
        volume = self.create_multiattach_volume()
        server = self.create_server()
        self.assertAttachRefused(OLD_MICROVERSION_REFUSAL, server['id'],
                                 volume['id'], microversion=OLD_MICROVERSION)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('2f305c7c-49d5-4c9a-ab2e-92c6fe7e7840')
    @unstable.services('compute', 'volume')
    def test_boot_with_volume_refused_below_2_60(self):
        """At 2.59 booting with a multiattach volume in the bdm is a 400.

        Steps:
        1. Create a multiattach volume.
        2. Boot a server from the image with the volume as a data disk in
           block_device_mapping_v2, at compute 2.59: 400 naming 2.60.
        3. No server of that name exists; cinder holds no attachment of
           the volume and it is available.
        """
        volume = self.create_multiattach_volume()
        self.assertBootRefused(OLD_MICROVERSION_REFUSAL, volume)
