"""Operators' tools of mattach-tempest: the `mattach` command.

`mattach preflight`, `mattach report` and `mattach certification` (see
main.py) are installed with the plugin, so an operator who installs it
into tempest's virtualenv has them too; `python -m mattach_tempest.cli`
is the same command. In a checkout, tools/mattach runs it without an
install (.ci/run uses it).

Nothing here is imported by the plugin entry point or discovered as a
conformance test (tempest only loads mattach_tempest/tests).
"""
