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

"""mattach_tempest.common.timing: the wait lines, timed with a fake clock."""

import logging

import fixtures
from tempest.lib.common import ssh

from mattach_tempest.common import timing
from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.scenario import manager
from mattach_tempest.unit import base
from mattach_tempest.unit import test_nova_attach
from mattach_tempest.unit import test_waiters

SERVER = '0b5cfc3a-3c1d-4c5e-9a57-1b2a0a4e8d11'


class FakeClock(object):
    """time.monotonic that moves only when told: each call, the next."""

    def __init__(self, *readings):
        self.readings = list(readings)

    def __call__(self):
        return self.readings.pop(0)


class TestCaseOfSomething(object):
    """Stands for a test class: the line names '<module>.<Class>'."""


CLASS = '%s.TestCaseOfSomething' % __name__


class TimingTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.logged = self.useFixture(fixtures.FakeLogger(
            name=timing.__name__, level=logging.INFO,
            format='%(levelname)s %(message)s'))

    def lines(self):
        return self.logged.output.splitlines()


class TestWaiting(TimingTestCase):

    def test_one_line_for_the_class_with_the_seconds(self):
        with timing.waiting(TestCaseOfSomething, 'attach', SERVER,
                            clock=FakeClock(100.0, 112.3456)):
            pass
        self.assertEqual(
            ['INFO mattach-wait kind=attach class=%s server=%s '
             'seconds=12.346' % (CLASS, SERVER)], self.lines())

    def test_the_server_known_once_the_create_answered(self):
        with timing.waiting(TestCaseOfSomething, 'boot',
                            clock=FakeClock(5.0, 7.5)) as wait:
            wait.server = SERVER
        self.assertIn('kind=boot class=%s server=%s seconds=2.500'
                      % (CLASS, SERVER), self.logged.output)

    def test_a_wait_that_raised_is_logged_and_raised(self):
        def boot():
            with timing.waiting(TestCaseOfSomething, 'boot',
                                clock=FakeClock(0.0, 120.0)):
                raise RuntimeError('timed out')
        self.assertRaises(RuntimeError, boot)
        self.assertEqual(
            ['INFO mattach-wait kind=boot class=%s server=- seconds=120.000 '
             'result=error' % CLASS], self.lines())

    def test_unknown_kind(self):
        self.assertRaises(ValueError, timing.Wait, TestCaseOfSomething,
                          'reboot')

    def test_bracket_times_what_runs_between_start_and_stop(self):
        bracket = timing.Bracket(TestCaseOfSomething, 'delete',
                                 clock=FakeClock(10.0, 14.0))
        bracket.wait.server = SERVER
        bracket.start()
        bracket.stop()
        self.assertEqual(
            ['INFO mattach-wait kind=delete class=%s server=%s '
             'seconds=4.000' % (CLASS, SERVER)], self.lines())

    def test_bracket_never_started_logs_nothing(self):
        timing.Bracket(TestCaseOfSomething, 'delete', clock=FakeClock()
                       ).stop()
        self.assertEqual([], self.lines())


class TestTheBasesLogTheirWaits(test_waiters.WaitersTestCase):
    """NovaAttachMixin with fake clients: one line per attach and detach."""

    def test_attach_and_detach(self):
        logged = self.useFixture(fixtures.FakeLogger(
            name=timing.__name__, level=logging.INFO))
        server = test_nova_attach.SERVER
        volumes = test_nova_attach.FakeVolumesClient(
            test_nova_attach.volume('in-use', server['id']),
            test_nova_attach.volume('in-use', server['id']),
            test_nova_attach.volume('available'))
        attachments = test_nova_attach.FakeAttachmentsClient(
            [test_nova_attach.record('attached')])
        probe = test_nova_attach.Probe(volumes, attachments)
        probe.attach_and_wait(server, test_nova_attach.VOLUME)
        probe.detach_volume(server, test_nova_attach.VOLUME)
        probe_class = timing.class_path(test_nova_attach.Probe)
        self.assertEqual(
            [('attach', probe_class, server['id'], False),
             ('detach', probe_class, server['id'], False)],
            [(w['kind'], w['class'], w['server'], w['failed']) for w in
             map(timing.parse_line, logged.output.splitlines())])


class BootIdRemote(object):
    """A guest's remote client that knows one command: its boot id."""

    def __init__(self):
        # Never connects: the commands stop at exec_command below.
        self.ssh_client = ssh.Client('10.1.0.5', 'cirros')

    def exec_command(self, command):
        assert command == 'cat /proc/sys/kernel/random/boot_id', command
        return 'b2f5c0de-0000-4000-8000-000000000001\n'


class GuestProbe(object):
    """The scenario base's side of create_guest: tempest's ScenarioTest.

    Its create_server registers the server's delete as tempest's does
    (`tempest_cleanup`); cleanups are kept in `cleanups`.
    """

    os_primary = 'primary'
    servers_client = 'servers client'
    create_guests = manager.MultiattachScenarioTest.create_guests
    request_guest = manager.MultiattachScenarioTest.request_guest
    wait_for_guest = manager.MultiattachScenarioTest.wait_for_guest
    guest_of = manager.MultiattachScenarioTest.guest_of
    _assert_same_boot = manager.MultiattachScenarioTest._assert_same_boot
    test_failed = False

    def __init__(self, tempest_cleanup):
        self.cleanups = []
        self.guest_servers = []
        self.tempest_cleanup = tempest_cleanup

    def addCleanup(self, function, *args):
        self.cleanups.append((function, args))

    def get_test_validation_resources(self, clients):
        return {'keypair': {'private_key': 'key'}}

    def create_server(self, **kwargs):
        self.addCleanup(self.tempest_cleanup)
        return {'id': SERVER, 'name': 'guest-1'}

    def get_tenant_network(self):
        return None

    def get_server_ip(self, server):
        return '10.1.0.5'

    def get_remote_client(self, ip, private_key, server):
        return BootIdRemote()

    def _console_output(self, server_id):
        return ''

    def run_cleanups(self):
        while self.cleanups:
            function, args = self.cleanups.pop()
            function(*args)


class TestScenarioGuestIsTimed(base.ConfiguredTestCase):
    """create_guest: boot-ssh, then tempest's delete timed from around."""

    def test_boot_to_ssh_and_the_delete_tempest_registered(self):
        logged = self.useFixture(fixtures.FakeLogger(
            name=timing.__name__, level=logging.INFO))
        self.set_conf('validation', connect_method='fixed')
        kinds_when_tempest_deleted = []

        def tempest_deletes():
            kinds_when_tempest_deleted.extend(self.kinds(logged))
        # ACTIVE, sshd's banner and the SSH login at once.
        for module, name in ((unstable, 'wait_for_server_status'),
                             (waiters, 'wait_for_ssh_banner'),
                             (unstable, 'wait_for_ssh_or_ping')):
            self.useFixture(fixtures.MockPatchObject(
                module, name, lambda *args, **kwargs: {
                    'id': SERVER, 'name': 'guest-1'}))
        probe = GuestProbe(tempest_deletes)
        server, _guest = manager.MultiattachScenarioTest.create_guest(probe)
        self.assertEqual(SERVER, server['id'])
        self.assertEqual(['boot-ssh'], self.kinds(logged))
        probe.run_cleanups()
        self.assertEqual(['boot-ssh'], kinds_when_tempest_deleted)
        self.assertEqual(['boot-ssh', 'delete'], self.kinds(logged))
        self.assertIn('server=%s' % SERVER, logged.output.splitlines()[1])

    @staticmethod
    def kinds(logged):
        return [timing.parse_line(line)['kind']
                for line in logged.output.splitlines()]


class TestParseLine(base.TestCase):

    LINE = ('2026-11-30 22:41:07.215 4711 INFO mattach_tempest.common.timing '
            '[-] mattach-wait kind=boot-ssh class=pkg.mod.TestX server=%s '
            'seconds=14.250\n' % SERVER)

    def test_a_tempest_log_line(self):
        self.assertEqual(
            {'time': '2026-11-30 22:41:07', 'kind': 'boot-ssh',
             'class': 'pkg.mod.TestX', 'server': SERVER, 'seconds': 14.25,
             'failed': False}, timing.parse_line(self.LINE))

    def test_what_format_line_writes_reads_back(self):
        line = timing.format_line('delete', 'pkg.mod.TestX', None, 0.5,
                                  failed=True)
        self.assertEqual(
            {'time': None, 'kind': 'delete', 'class': 'pkg.mod.TestX',
             'server': timing.NO_SERVER, 'seconds': 0.5, 'failed': True},
            timing.parse_line(line))

    def test_other_lines(self):
        self.assertIsNone(timing.parse_line(
            '2026-11-30 22:41:07.215 4711 INFO tempest.lib.common.rest_client'
            ' [req-1] Request (TestX:test_y): 200 GET http://x 0.1s'))

    def test_damaged_lines(self):
        for damaged in ('mattach-wait kind=boot class=X server=Y',
                        'mattach-wait kind=boot class=X server=Y seconds=z',
                        'mattach-wait kind=nap class=X server=Y seconds=1'):
            self.assertRaises(ValueError, timing.parse_line, damaged)
