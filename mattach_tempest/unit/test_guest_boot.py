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

"""A guest that restarted on its own is told apart by its boot id.

On a fake remote client: what the boot id of a real guest does (a new one
at every boot) is the kernel's; the scenario tests read it over SSH.
"""

import types

from mattach_tempest.common import guest as guest_mod
from mattach_tempest.common import procedures
from mattach_tempest.tests.scenario import manager
from mattach_tempest.unit import base

FIRST = '6a1f3c52-0d4e-4b7a-9e21-0c5d8f1a2b01'
SECOND = '9d0e2b71-5c3a-4f18-8b6d-7e4a1c2f3d02'


class RebootingRemote(object):
    """exec_command answers the boot id of the boot the guest runs."""

    def __init__(self):
        self.boot = FIRST

    def exec_command(self, command):
        assert command == 'cat /proc/sys/kernel/random/boot_id', command
        return self.boot + '\n'


class GuestBootTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.remote = RebootingRemote()
        self.guest = guest_mod.Guest(self.remote, 'guest-a',
                                     console=lambda: 'Kernel panic - x')
        self.guest.note_boot()

    def test_the_same_boot_passes(self):
        self.guest.assert_same_boot('during the test')

    def test_a_restart_fails_naming_both_boots_and_the_console(self):
        self.remote.boot = SECOND
        exc = self.assertRaises(guest_mod.GuestError,
                                self.guest.assert_same_boot,
                                'across its live migration')
        message = str(exc)
        self.assertIn('guest-a', message)
        self.assertIn('restarted across its live migration', message)
        self.assertIn('boot id %s, now %s' % (FIRST, SECOND), message)
        self.assertIn('Kernel panic - x', message)

    def test_a_restart_asked_for_is_noted_and_passes(self):
        self.remote.boot = SECOND
        self.guest.note_boot()
        self.guest.assert_same_boot('after the cold migration')


class TestEndCheck(base.ConfiguredTestCase):
    """The scenario base's check at a test's end (a cleanup)."""

    class Probe(object):
        _assert_same_boot = manager.MultiattachScenarioTest._assert_same_boot
        test_failed = False

    def guest(self):
        remote = RebootingRemote()
        guest = guest_mod.Guest(remote, 'guest-b', console=lambda: '')
        guest.note_boot()
        remote.boot = SECOND
        return guest

    def test_a_passing_test_whose_guest_restarted_fails(self):
        self.assertRaises(guest_mod.GuestError,
                          self.Probe()._assert_same_boot, self.guest())

    def test_a_test_that_failed_already_is_not_checked(self):
        probe = self.Probe()
        probe.test_failed = True
        probe._assert_same_boot(self.guest())


class LoopRemote(RebootingRemote):
    """Also the I/O loop's status command: its log is gone (a restart)."""

    def exec_command(self, command):
        if 'mattach-io-t' in command:
            return '\n'
        return super().exec_command(command)


class IOLoopAcrossARestartTest(base.ConfiguredTestCase):
    """A loop seen running whose log is gone: the guest restarted."""

    def setUp(self):
        super().setUp()
        # Without the check, the wait would poll out this timeout.
        self.set_conf('compute', build_timeout=1, build_interval=1)
        self.remote = LoopRemote()
        self.member = types.SimpleNamespace(guest=guest_mod.Guest(
            self.remote, 'guest-m', console=lambda: ''))
        self.member.guest.note_boot()
        self.loop = types.SimpleNamespace(device='/dev/vdb',
                                          directory='/tmp/mattach-io-t')

    def wait(self):
        procedures._wait_for_rounds(self.member, self.loop, 3,
                                    'moving guest-m', started=True)

    def test_fails_at_once_naming_the_restart(self):
        self.remote.boot = SECOND
        exc = self.assertRaises(guest_mod.GuestError, self.wait)
        self.assertIn('restarted moving guest-m', str(exc))

    def test_fails_at_once_without_a_restart_too(self):
        exc = self.assertRaises(guest_mod.GuestError, self.wait)
        self.assertIn('the log of the I/O loop on /dev/vdb is gone',
                      str(exc))
