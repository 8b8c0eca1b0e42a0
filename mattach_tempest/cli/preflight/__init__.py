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

"""Preflight: can this cloud pass mattach-tempest, before a long run?

Reads the tempest.conf the suite would use, authenticates with the
credentials in it and asks the live cloud, through tempest's own service
clients, what multi-attach's documented version requirements and the
suite's configuration depend on. Each check ends PASS, FAIL, UNKNOWN or
WARN with a one-line reason; configuration problems come with the
tempest.conf lines that fix them.

    model    statuses, probe errors, results, settings (imports nothing
             of the others)
    checks   the checks and their runner; they ask a *probe*
    render   the results as a table or JSON
    live     the probe of a live cloud, through tempest's clients
    command  `mattach preflight`: arguments, conf to exit code

The unit tests drive every check with a fake probe of canned API answers.
"""
