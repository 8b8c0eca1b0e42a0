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

"""tools/minicloud up: what each service waits for before it starts.

Stand-in: every step of up (schemas, processes, HTTP checks, API calls) is
replaced by one that records its name, in a libvirt cloud of two hosts, so
only the order of up's own steps is covered, not the steps themselves nor
whether the real services need what up waits for (that is measured on the
real cloud: a nova-conductor started before keystone logs an ERROR).
"""

import threading
import time
from unittest import mock

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (tools/ on path)
from minicloud_lib import cli
from minicloud_lib import services


class Args:
    virt = 'libvirt'
    computes = 2


class UpTestBase(base.TestCase):
    """up with every step recorded; seed_keystone is the class's."""

    def seed_keystone(self):
        # It takes time, so that a service not waiting for it would start
        # first.
        time.sleep(0.2)

    def setUp(self):
        super().setUp()
        self.events = []
        lock = threading.Lock()

        def record(*event):
            with lock:
                self.events.append(event)

        def patch(target, new):
            self.useFixture(fixtures.MockPatch(target, new))

        def seed_keystone():
            self.seed_keystone()
            record('keystone seeded')

        def schema(name, _commands):
            record('schema', name)

        def wait_for(name, _check, _timeout, what):
            if name.startswith('libvirtd-'):
                time.sleep(0.2)
            record('answers', name, what)

        cloud = services.openstack('libvirt', 2)
        m = 'minicloud_lib.cli.'
        patch(m + 'install.ensure_installed', lambda virt: 0)
        patch(m + '_cloud_answers', lambda virt, computes: False)
        patch(m + 'layout.ensure_dirs', lambda: None)
        patch(m + '_switch_shape', lambda virt, computes: None)
        patch(m + 'configs.render_all', lambda virt, hosts: None)
        patch(m + '_build_once', lambda virt, db: 0)
        patch(m + 'services.openstack', lambda virt, computes: cloud)
        patch(m + '_check_ports', lambda svcs: None)
        patch(m + '_start_marks', lambda names: {})
        patch(m + 'procs.read_pid', lambda name: None)
        patch(m + 'procs.start',
              lambda name, argv, env=None: record('start', name))
        patch(m + 'procs.wait_for', wait_for)
        patch(m + '_ensure_started',
              lambda svc, check, what: record('start', svc.name))
        patch(m + 'bootstrap.mariadb_datadir', lambda: None)
        patch(m + 'bootstrap.create_databases', lambda: None)
        patch(m + 'libvirt_host.prepare', lambda: None)
        patch(m + 'libvirt_host.ensure_bridge', lambda: None)
        patch(m + 'host_netns.create', lambda *args: None)
        patch(m + 'bootstrap.schema', schema)
        patch(m + 'bootstrap.seed_keystone', seed_keystone)
        patch(m + 'api.Session', lambda: 'session')
        for step in ('ensure_flavors', 'ensure_volume_type',
                     'ensure_service_security_group'):
            patch(m + 'bootstrap.' + step,
                  lambda sess, step=step: record(step))
        patch(m + 'guest_cloud.ensure_network',
              lambda sess: record('ensure_network'))
        patch(m + 'guest_cloud.ensure_images', lambda sess: ['image'])
        patch(m + 'guest_cloud.ensure_api_image', lambda sess: 'api-image')
        patch(m + 'bootstrap.wait_agents',
              lambda sess, timeout: record('agents up'))
        patch(m + 'bootstrap.discover_compute',
              lambda sess, timeout, hosts: record('computes discovered'))
        patch(m + 'bootstrap.wait_volume_backend',
              lambda sess, timeout, names: record('volume backend'))
        patch(m + 'tempest_ws.write', lambda *args: record('workspace'))
        patch(m + '_check_start_errors', lambda marks: None)
        patch(m + 'open', mock.mock_open())
        patch(m + 'os.unlink', lambda path: None)
        patch(m + 'os.path.exists', lambda path: False)
        patch(m + 'cloud_memory', lambda: (0, 0))
        patch(m + '_write_clouds_yaml', lambda: None)
        patch(m + '_report_disk', lambda: None)
        patch(m + 'log', lambda msg: None)

    def started(self):
        return [event[1] for event in self.events if event[0] == 'start']


class UpOrderTest(UpTestBase):

    def setUp(self):
        super().setUp()
        self.assertEqual(0, cli.up(Args()))

    def index(self, *event):
        return self.events.index(event)

    def test_nova_services_start_after_keystone_is_seeded(self):
        seeded = self.index('keystone seeded')
        for name in ('nova-api', 'nova-conductor', 'nova-scheduler'):
            self.assertGreater(self.index('start', name), seeded, name)
            self.assertGreater(self.index('start', name),
                               self.index('schema', 'nova'), name)

    def test_other_services_start_after_their_schema_only(self):
        seeded = self.index('keystone seeded')
        for schema, names in (('cinder', ('cinder-api', 'cinder-scheduler',
                                          'cinder-volume')),
                              ('neutron', ('neutron',)),
                              ('placement', ('placement',)),
                              ('glance', ('glance',))):
            for name in names:
                started = self.index('start', name)
                self.assertGreater(started, self.index('schema', schema))
                self.assertLess(started, seeded, name)

    def test_nova_compute_starts_after_its_libvirtd_answers(self):
        for host in ('compute1', 'compute2'):
            self.assertGreater(
                self.index('start', 'nova-compute-' + host),
                self.index('answers', 'libvirtd-' + host,
                           'answer virsh version'))

    def test_api_resources_are_made_before_the_agents_are_waited_for(self):
        # The libvirtds take 0.2 s each here: the resources need only the
        # APIs and are made meanwhile.
        self.assertLess(self.index('ensure_flavors'),
                        self.index('answers', 'libvirtd-compute2',
                                   'answer virsh version'))
        self.assertLess(self.index('ensure_network'),
                        self.index('agents up'))
        self.assertLess(self.index('agents up'),
                        self.index('computes discovered'))
        self.assertEqual(('workspace',), self.events[-1])


class KeystoneFailureTest(UpTestBase):
    """keystone's set-up fails: up says so at once, nova never starts."""

    def seed_keystone(self):
        time.sleep(0.2)
        raise RuntimeError('keystone could not be seeded')

    def test_up_fails_with_keystones_error_without_waiting(self):
        began = time.monotonic()
        exc = self.assertRaises(RuntimeError, cli.up, Args())
        self.assertEqual('keystone could not be seeded', str(exc))
        # nova's services waited for keystone's end, not for a timeout.
        self.assertLess(time.monotonic() - began, 10)
        self.assertEqual([], [name for name in self.started()
                              if name.startswith('nova-')])
        self.assertIn('cinder-volume', self.started())
