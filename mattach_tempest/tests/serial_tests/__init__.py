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

"""Test classes that run alone (tempest serial classes).

A serial class takes tempest's write lock, which waits until no class of
any worker holds the read lock. This package is discovered after api/ and
scenario/ (discovery goes in name order), so each serial class comes last
in its worker's list and no parallel test of that worker waits behind it;
tempest keeps its own serial classes in tempest/serial_tests for the same
reason. Every class that can request serial execution lives here
(mattach_tempest.unit.test_serial_classes checks it).
"""
