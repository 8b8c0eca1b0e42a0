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

"""Operators' tools of mattach-tempest: the `mattach` command.

`mattach preflight`, `mattach report`, `mattach certification` and
`mattach timing` (see main.py) are installed with the plugin, so an
operator who installs it into tempest's virtualenv has them too;
`python -m mattach_tempest.cli` is the same command. In a checkout,
tools/mattach runs it without an install (.ci/run uses it).

Nothing here is imported by the plugin entry point or discovered as a
conformance test (tempest only loads mattach_tempest/tests).
"""
