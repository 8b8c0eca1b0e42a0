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

"""Test case base of the stand-in guest tests."""

import os

import fixtures

from mattach_tempest.common import procedures
from mattach_tempest.unit import base
from mattach_tempest.unit.standin import fixture as standin_fixture

#: A test using stand-ins that takes longer than this has hung.
TEST_TIMEOUT = 180


class StandinTestCase(base.ConfiguredTestCase):
    """A test on stand-in guests.

    Skipped, saying why, where stand-in guests cannot run (not root, tools
    missing), unless MATTACH_REQUIRE_STANDINS=1: then (CI, where they can
    always run) that is a failure, so a broken set-up never passes as a
    skip. tempest's CONF is a fresh one (unit.base).
    """

    def setUp(self):
        super().setUp()
        reason = standin_fixture.why_unavailable()
        if reason:
            if os.environ.get('MATTACH_REQUIRE_STANDINS') == '1':
                self.fail('Stand-in guests are required '
                          '(MATTACH_REQUIRE_STANDINS=1) but cannot run: %s'
                          % reason)
            self.skipTest(reason)
        self.useFixture(fixtures.Timeout(TEST_TIMEOUT, gentle=True))

    def standins(self, count=2, **kwargs):
        """Start `count` stand-in guests sharing one volume."""
        return self.useFixture(standin_fixture.StandinGuests(count, **kwargs))

    @staticmethod
    def attach(standins, index, guest=None, read_only=False, clone=False,
               **kwargs):
        """Attach the stand-in volume to guest `index`; find it there.

        The same procedures.attach_and_discover the scenario tests use,
        with the stand-in's attach in place of nova's.
        """
        guest = guest or standins.guest(index)
        return procedures.attach_and_discover(
            guest, standins.volume_id,
            lambda: standins.attach(index, read_only=read_only, clone=clone),
            **kwargs)
