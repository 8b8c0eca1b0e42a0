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

"""tools/minicloud's layout: its ports, MINICLOUD_PORT_OFFSET, its paths.

Also the names and addresses derived from a compute host's name or
number (network namespaces, libvirt sockets, migration ports), which the
cloud's processes and `down` must compute alike.
"""

import os

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base
from minicloud_lib import host_netns
from minicloud_lib import layout
from minicloud_lib import libvirt_host


class PortsTest(base.TestCase):

    def test_no_offset(self):
        self.assertEqual(layout.BASE_PORTS, layout.ports(0))
        self.assertEqual(0, layout.port_offset({}))
        self.assertEqual(0, layout.port_offset(
            {'MINICLOUD_PORT_OFFSET': ''}))

    def test_offset_moves_every_port(self):
        self.assertEqual(600, layout.port_offset(
            {'MINICLOUD_PORT_OFFSET': '600'}))
        moved = layout.ports(600)
        self.assertEqual(set(layout.BASE_PORTS), set(moved))
        for name, port in layout.BASE_PORTS.items():
            self.assertEqual(port + 600, moved[name])
        self.assertEqual(29735, moved['keystone'])

    def test_ports_are_distinct_and_below_the_ephemeral_range(self):
        ports = list(layout.BASE_PORTS.values())
        self.assertEqual(len(ports), len(set(ports)))
        self.assertLess(max(ports) + 1000, 32768)

    def test_bad_offsets_exit_with_one_line(self):
        for text in ('abc', '1.5', '40000', '-30000'):
            e = self.assertRaises(SystemExit, layout.port_offset,
                                  {'MINICLOUD_PORT_OFFSET': text})
            self.assertIn('MINICLOUD_PORT_OFFSET=%r' % text, str(e))
            self.assertNotIn('\n', str(e))

    def test_url(self):
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.layout.PORTS', layout.ports(10)))
        self.assertEqual('http://127.0.0.1:29145/v3',
                         layout.url('keystone', '/v3'))


class PathsTest(base.TestCase):

    def test_everything_under_the_checkouts_state_dir(self):
        self.assertEqual(os.path.join(base.REPO_ROOT, '.minicloud'),
                         layout.STATE)
        self.assertEqual(os.path.join(base.REPO_ROOT, 'tools'),
                         layout.TOOLS)
        for path in (layout.VENV, layout.ETC, layout.LOGS, layout.RUN,
                     layout.DATA, layout.TEMPEST, layout.RESULTS):
            self.assertEqual(layout.STATE, os.path.dirname(path))
        self.assertEqual(os.path.join(layout.VENV, 'bin'), layout.VBIN)
        self.assertEqual(os.path.join(layout.RUN, 'pids'), layout.PIDS)


class EnsureDirsTest(minicloud_base.StateDirTestCase):

    def test_creates_the_state_dirs(self):
        layout.ensure_dirs()
        for path in (layout.STATE, layout.ETC, layout.LOGS, layout.RUN,
                     layout.DATA, layout.RESULTS):
            self.assertTrue(os.path.isdir(path), path)
        layout.ensure_dirs()   # again: nothing to do, no error


class HostNamesTest(minicloud_base.StateDirTestCase):

    def test_network_namespaces(self):
        self.assertEqual('minicloud-compute1', host_netns.name('compute1'))
        self.assertEqual(['ip', 'netns', 'exec', 'minicloud-compute2',
                          'true'], host_netns.in_host('compute2', ['true']))

    def test_addresses_outside_the_guests_pool(self):
        addresses = [host_netns.address(i) for i in range(8)]
        self.assertEqual('198.51.100.2', addresses[0])
        self.assertEqual('198.51.100.9', addresses[7])
        self.assertEqual(len(addresses), len(set(addresses)))
        pool_start = int(libvirt_host.POOL[0].rsplit('.', 1)[1])
        gateway = libvirt_host.GATEWAY
        for address in addresses:
            self.assertTrue(address.startswith('198.51.100.'))
            self.assertLess(int(address.rsplit('.', 1)[1]), pool_start)
            self.assertNotEqual(gateway, address)

    def test_libvirt_socket_and_uri_per_host(self):
        socket = libvirt_host.socket_path('compute1')
        self.assertEqual(os.path.join(layout.RUN, 'libvirt-compute1',
                                      'libvirt-sock'), socket)
        self.assertEqual('qemu+unix:///system?socket=' + socket,
                         libvirt_host.uri('compute1'))
        self.assertNotEqual(libvirt_host.uri('compute1'),
                            libvirt_host.uri('compute2'))
        self.assertEqual(libvirt_host.uri('compute2'),
                         libvirt_host.live_migration_uri() % 'compute2')
        self.assertEqual(['virsh', '-c', libvirt_host.uri('compute1')],
                         libvirt_host.virsh('compute1'))

    def test_private_dirs_replace_every_system_dir(self):
        dirs = libvirt_host.private_dirs('compute1')
        self.assertEqual(set(libvirt_host.SYSTEM_DIRS), set(dirs))
        for path in dirs.values():
            self.assertTrue(path.startswith(self.state + os.sep), path)
        self.assertEqual(
            set(), set(dirs.values()) &
            set(libvirt_host.private_dirs('compute2').values()))

    def test_host_uuid_stable_per_state_dir_and_host(self):
        self.assertEqual(libvirt_host.host_uuid('compute1'),
                         libvirt_host.host_uuid('compute1'))
        self.assertNotEqual(libvirt_host.host_uuid('compute1'),
                            libvirt_host.host_uuid('compute2'))
        first = libvirt_host.host_uuid('compute1')
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.layout.STATE', self.state + '-other'))
        self.assertNotEqual(first, libvirt_host.host_uuid('compute1'))
