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

"""The wrappers of tempest's unstable waits: what their errors name."""

from unittest import mock

import fixtures
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
