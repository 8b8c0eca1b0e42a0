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

"""up's wait for cinder's pools: lost capabilities are asked for again.

A stand-in session answers get_pools; procs.wait_for polls it without
sleeping; run_logged records the command instead of running cinder's
RPC call. Not covered: that cinder really publishes on that call (seen
on a real cloud: see bootstrap.wait_volume_backend).
"""

import os

import fixtures

from mattach_tempest.unit import minicloud_base
from minicloud_lib import bootstrap
from minicloud_lib import layout
from minicloud_lib import procs

POOL = {'name': 'minicloud@loop#loop', 'capabilities': {
    'volume_backend_name': 'loop', 'multiattach': True}}


class FakeSession(object):
    project_id = 'p'

    def __init__(self, published):
        self.published = published

    def get(self, service, path):
        return {'pools': [POOL] if self.published() else []}


class WaitVolumeBackendTest(minicloud_base.StateDirTestCase):

    def setUp(self):
        super().setUp()
        self.clock = [0.0]
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.procs.time.monotonic', lambda: self.clock[0]))
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.procs.time.sleep', self.sleep))
        self.alive = True
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.procs.read_pid',
            lambda name: 4711 if self.alive else None))
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.procs.log_tail', lambda name: '(log)'))
        self.commands = []
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.bootstrap.run_logged',
            lambda name, argv, timeout=None: self.commands.append(argv)))

    def sleep(self, seconds):
        self.clock[0] += seconds

    def test_capabilities_in_time_are_not_asked_for(self):
        sess = FakeSession(lambda: self.clock[0] >= 2)
        bootstrap.wait_volume_backend(sess, 180, ['loop'])
        self.assertEqual([], self.commands)

    def test_lost_capabilities_are_asked_for_once(self):
        sess = FakeSession(lambda: bool(self.commands))
        bootstrap.wait_volume_backend(sess, 180, ['loop'])
        self.assertEqual(1, len(self.commands))
        argv = self.commands[0]
        self.assertEqual(os.path.join(layout.VBIN, 'python'), argv[0])
        self.assertIn('publish_service_capabilities', argv[2])
        self.assertEqual(['--config-file', os.path.join(
            layout.ETC, 'cinder', 'cinder.conf')], argv[3:])
        self.assertLess(self.clock[0], bootstrap.CAPABILITIES_GRACE + 1)

    def test_still_missing_after_asking_fails_naming_the_wait(self):
        sess = FakeSession(lambda: False)
        error = self.assertRaises(procs.StartError,
                                  bootstrap.wait_volume_backend, sess, 30,
                                  ['loop'])
        self.assertIn('pools of loop reporting multiattach', str(error))
        self.assertEqual(1, len(self.commands))

    def test_dead_cinder_volume_is_not_asked(self):
        self.alive = False
        sess = FakeSession(lambda: False)
        error = self.assertRaises(procs.StartError,
                                  bootstrap.wait_volume_backend, sess, 180,
                                  ['loop'])
        self.assertIn('exited', str(error))
        self.assertEqual([], self.commands)
