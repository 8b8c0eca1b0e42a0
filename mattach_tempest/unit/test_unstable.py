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

"""The wrappers of tempest's unstable parts: waits, the kept SSH login."""

import threading
import time
from unittest import mock

import fixtures
import paramiko
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.unit import base

SERVER_ID = '5b0c2d1e-8f7a-4e6d-9c5b-4a3f2e1d0c9b'


class ServerTerminationTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.client = mock.Mock(build_timeout=30)
        self.client.show_server.return_value = {'server': {
            'status': 'ACTIVE', 'OS-EXT-STS:task_state': 'deleting'}}
        self.tempest_wait = mock.Mock()
        self.useFixture(fixtures.MockPatchObject(
            unstable.waiters, 'wait_for_server_termination',
            self.tempest_wait))

    def test_gone_server_passes_through(self):
        self.tempest_wait.return_value = None
        self.assertIsNone(unstable.wait_for_server_termination(
            self.client, SERVER_ID, ignore_error=True))
        self.tempest_wait.assert_called_once_with(self.client, SERVER_ID,
                                                  ignore_error=True)

    def test_bare_timeout_names_server_timeout_and_last_state(self):
        self.tempest_wait.side_effect = lib_exc.TimeoutException
        exc = self.assertRaises(lib_exc.TimeoutException,
                                unstable.wait_for_server_termination,
                                self.client, SERVER_ID)
        self.assertIn('Server %s was not gone within the required time '
                      '(30 s) after its delete; last seen: status ACTIVE, '
                      'task state deleting' % SERVER_ID, str(exc))

    def test_unshown_server_is_said(self):
        self.tempest_wait.side_effect = lib_exc.TimeoutException
        self.client.show_server.side_effect = lib_exc.ServerFault('down')
        exc = self.assertRaises(lib_exc.TimeoutException,
                                unstable.wait_for_server_termination,
                                self.client, SERVER_ID)
        self.assertIn('last seen: not shown: Got server fault', str(exc))

    def test_a_message_of_its_own_is_kept(self):
        own = lib_exc.TimeoutException('Server %s gone late' % SERVER_ID)
        self.tempest_wait.side_effect = own
        exc = self.assertRaises(lib_exc.TimeoutException,
                                unstable.wait_for_server_termination,
                                self.client, SERVER_ID)
        self.assertIs(own, exc)


class FakeLogins(object):
    """paramiko's SSHClient for tempest's exec_command, counting logins.

    Each login (an SSHClient tempest connects) has a transport whose
    open_session gives a channel answering `output` with exit status
    `status`; open_errors are raised by the next open_session calls first;
    the next `hang_next` channels never answer a command's start.
    What it does not cover: paramiko itself, the network, a real sshd.
    """

    def __init__(self):
        self.logins = []
        self.status = 0
        self.output = b'out\n'
        self.open_errors = []
        self.hang_next = 0

    def __call__(self):
        login = mock.Mock()
        closed = threading.Event()
        login.close.side_effect = closed.set
        login.closed = closed
        transport = login.get_transport.return_value
        transport.is_active.return_value = True
        transport.open_session.side_effect = self._open_session
        self.logins.append(login)
        return login

    def _open_session(self):
        if self.open_errors:
            raise self.open_errors.pop(0)
        channel = mock.MagicMock()
        if self.hang_next:
            # As paramiko's exec_command waiting for an answer that never
            # comes: woken, with an error, only by the login's close.
            self.hang_next -= 1
            closed = self.logins[-1].closed

            def exec_command(cmd):
                closed.wait(30)
                raise paramiko.SSHException('Channel closed.')
            channel.exec_command.side_effect = exec_command
        channel.__enter__.return_value = channel
        channel.makefile.return_value.read.return_value = self.output
        channel.makefile_stderr.return_value.read.return_value = b''
        channel.recv_exit_status.return_value = self.status
        return channel


class KeptLoginClientTest(base.TestCase):
    """KeptLoginClient around tempest's own exec_command."""

    def setUp(self):
        super().setUp()
        self.logins = FakeLogins()
        self.useFixture(fixtures.MockPatchObject(
            unstable.ssh.paramiko, 'SSHClient', self.logins))
        # tempest's read path without select.poll on the fake channel.
        self.useFixture(fixtures.MockPatchObject(
            unstable.ssh.Client, '_can_system_poll', return_value=False))
        self.client = unstable.KeptLoginClient.replacing(
            unstable.ssh.Client('192.0.2.10', 'cirros', timeout=5,
                                channel_timeout=7))
        self.useFixture(fixtures.Timeout(20, gentle=True))

    def sessions(self, index):
        transport = self.logins.logins[index].get_transport.return_value
        return transport.open_session.call_count

    def test_commands_share_one_login_until_close(self):
        self.assertEqual('out\n', self.client.exec_command('true'))
        self.assertEqual('out\n', self.client.exec_command('true'))
        self.assertEqual(1, len(self.logins.logins))
        self.assertEqual(2, self.sessions(0))
        login = self.logins.logins[0]
        login.close.assert_not_called()
        # Opening a command's channel waits the client's channel timeout.
        self.assertEqual(7, login.get_transport.return_value.channel_timeout)
        self.client.close()
        login.close.assert_called_once_with()
        self.client.exec_command('true')
        self.assertEqual(2, len(self.logins.logins))

    def test_a_login_found_inactive_is_replaced(self):
        self.client.exec_command('true')
        transport = self.logins.logins[0].get_transport.return_value
        transport.is_active.return_value = False
        self.client.exec_command('true')
        self.assertEqual(2, len(self.logins.logins))
        self.logins.logins[0].close.assert_called_once_with()
        self.assertEqual((1, 1), (self.sessions(0), self.sessions(1)))

    def test_a_kept_login_failing_to_open_a_channel_logs_in_again(self):
        self.client.exec_command('true')
        self.logins.open_errors = [paramiko.SSHException('Timeout opening '
                                                         'channel.')]
        self.assertEqual('out\n', self.client.exec_command('cat x'))
        self.assertEqual(2, len(self.logins.logins))
        self.logins.logins[0].close.assert_called_once_with()
        self.assertEqual((2, 1), (self.sessions(0), self.sessions(1)))

    def test_a_new_login_failing_is_not_tried_again(self):
        self.logins.open_errors = [EOFError()]
        self.assertRaises(EOFError, self.client.exec_command, 'true')
        self.assertEqual(1, len(self.logins.logins))

    def test_a_command_failing_in_the_guest_is_not_run_again(self):
        self.client.exec_command('true')
        self.logins.status = 1
        self.assertRaises(lib_exc.SSHExecCommandFailed,
                          self.client.exec_command, 'false')
        self.assertEqual(1, len(self.logins.logins))
        self.assertEqual(2, self.sessions(0))

    def test_an_unanswered_start_ends_the_login_within_the_bound(self):
        self.client.timeout, self.client.channel_timeout = 0.2, 0.1
        self.logins.hang_next = 1
        start = time.monotonic()
        self.assertRaises(paramiko.SSHException, self.client.exec_command,
                          'true')
        self.assertLess(time.monotonic() - start, 5)
        self.logins.logins[0].close.assert_called_with()

    def test_an_unanswered_start_on_a_kept_login_runs_on_a_new_one(self):
        self.client.exec_command('true')
        self.client.timeout, self.client.channel_timeout = 0.2, 0.1
        self.logins.hang_next = 1
        self.assertEqual('out\n', self.client.exec_command('cat x'))
        self.assertEqual(2, len(self.logins.logins))
        self.assertEqual((2, 1), (self.sessions(0), self.sessions(1)))
