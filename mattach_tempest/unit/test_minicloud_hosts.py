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

"""tools/minicloud's compute hosts: names, per-host configuration, flags.

What `--computes N` renders, read back without starting anything: every
file goes to a temporary state directory. Whether the hosts really run
(and migrate) is what the local cloud's own runs show; this checks the
decisions they rest on.
"""

import argparse
import os

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit.minicloud_base import StateDirTestCase
from minicloud_lib import cli
from minicloud_lib import configs
from minicloud_lib import host_netns
from minicloud_lib import libvirt_host
from minicloud_lib import services
from minicloud_lib import tempest_ws

HOSTS = ['compute1', 'compute2']


class ComputeHostsTest(StateDirTestCase):

    def test_names(self):
        self.assertEqual(HOSTS, services.compute_hosts(2))
        self.assertEqual(['nova-compute-compute1', 'nova-compute-compute2'],
                         [services.compute_service(h, 'fake').name
                          for h in HOSTS])

    def test_each_host_has_its_own_name_state_and_locks(self):
        conf = {'DEFAULT': {'host': 'minicloud', 'state_path': 'x'},
                'database': {'connection': 'mysql://'},
                'api_database': {'connection': 'mysql://'},
                'libvirt': {}}
        rendered = [configs.compute_nova_conf(conf, 'fake', h)
                    for h in HOSTS]
        self.assertEqual(HOSTS, [c['DEFAULT']['host'] for c in rendered])
        self.assertEqual(2, len({c['DEFAULT']['state_path']
                                 for c in rendered}))
        self.assertEqual(2, len({c['oslo_concurrency']['lock_path']
                                 for c in rendered}))
        for c in rendered:
            # nova-compute reaches the databases through the conductor.
            self.assertNotIn('database', c)
            self.assertNotIn('api_database', c)
        # The control plane's own configuration is left as it was.
        self.assertEqual('minicloud', conf['DEFAULT']['host'])

    def test_libvirt_hosts_reach_their_own_libvirtd(self):
        conf = {'DEFAULT': {}, 'libvirt': {}}
        rendered = [configs.compute_nova_conf(conf, 'libvirt', h)
                    for h in HOSTS]
        uris = [c['libvirt']['connection_uri'] for c in rendered]
        self.assertEqual([libvirt_host.uri(h) for h in HOSTS], uris)
        self.assertNotEqual(uris[0], uris[1])
        # nova puts the destination's host name into the migration URI.
        self.assertEqual(
            libvirt_host.uri('compute2'),
            rendered[0]['libvirt']['live_migration_uri'] % 'compute2')

    def test_libvirtds_differ_in_uuid_address_and_ports(self):
        libvirt_host.render(HOSTS)
        confs = []
        for host in HOSTS:
            etc = libvirt_host.private_dirs(host)['/etc/libvirt']
            with open(os.path.join(etc, 'libvirtd.conf')) as f:
                libvirtd = f.read()
            with open(os.path.join(etc, 'qemu.conf')) as f:
                qemu = f.read()
            self.assertIn('host_uuid = "%s"' % libvirt_host.host_uuid(host),
                          libvirtd)
            confs.append(qemu)
        self.assertNotEqual(libvirt_host.host_uuid('compute1'),
                            libvirt_host.host_uuid('compute2'))
        self.assertIn('migration_address = "198.51.100.2"', confs[0])
        self.assertIn('migration_address = "198.51.100.3"', confs[1])
        self.assertIn('migration_port_min = 49152', confs[0])
        self.assertIn('migration_port_min = 49216', confs[1])

    def test_host_processes_run_in_the_host_namespace(self):
        self.assertEqual(['ip', 'netns', 'exec', 'minicloud-compute2'],
                         services.compute_service('compute2',
                                                  'libvirt').argv[:4])
        self.assertEqual(['ip', 'netns', 'exec', 'minicloud-compute1'],
                         libvirt_host.argv('compute1')[:4])
        self.assertNotIn('ip', services.compute_service('compute1',
                                                        'fake').argv[:1])
        # The hosts' addresses stay out of the guests' pool (.10-.250).
        self.assertEqual('198.51.100.2', host_netns.address(0))

    def test_libvirtd_is_shown_only_the_guests_emulator(self):
        hidden = os.path.join(self.useFixture(fixtures.TempDir()).path,
                              'qemu-system-i386')
        open(hidden, 'w').close()
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.libvirt_host.UNUSED_EMULATORS',
            (hidden, hidden + '-not-installed')))
        script = libvirt_host.argv('compute1')[-1]
        self.assertIn('mount --bind /dev/null %s && ' % hidden, script)
        self.assertNotIn('-not-installed', script)
        self.assertLess(script.index(hidden), script.index('exec '))
        self.assertNotIn('x86_64', script)


class ComputesArgumentTest(base.TestCase):

    def test_accepted(self):
        self.assertEqual(1, cli._computes('1'))
        self.assertEqual(cli.max_computes(),
                         cli._computes(str(cli.max_computes())))

    def test_refused(self):
        for text in ('0', '-1', 'two', str(cli.max_computes() + 1)):
            self.assertRaises(argparse.ArgumentTypeError, cli._computes,
                              text)

    def test_parser_refuses_zero_in_one_line(self):
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.assertRaises(SystemExit, cli.main, ['up', '--computes', '0'])
        stderr.seek(0)
        errors = [line for line in stderr.read().splitlines()
                  if 'error:' in line]
        self.assertEqual(1, len(errors))
        self.assertIn('a number of compute hosts from 1 to', errors[0])


class TempestFlagsTest(StateDirTestCase):

    def test_one_host(self):
        opts = tempest_ws.options(['i1', 'i2'], ['compute1'])
        self.assertEqual(1, opts['compute']['min_compute_nodes'])
        for flag in ('cold_migration', 'live_migration'):
            self.assertFalse(opts['compute-feature-enabled'][flag])
        self.assertFalse(opts['mattach']['evacuate'])

    def test_two_fake_hosts_move_servers(self):
        opts = tempest_ws.options(['i1', 'i2'], HOSTS)
        self.assertEqual(2, opts['compute']['min_compute_nodes'])
        for flag in ('cold_migration', 'live_migration'):
            self.assertTrue(opts['compute-feature-enabled'][flag])
        self.assertTrue(opts['mattach']['evacuate'])
        self.assertIn('DifferentHostFilter', opts['compute-feature-enabled'][
            'scheduler_enabled_filters'])

    def test_two_libvirt_hosts_do_not_evacuate(self):
        opts = tempest_ws.libvirt_options(
            tempest_ws.options(['i1', 'i2'], HOSTS), HOSTS)
        features = opts['compute-feature-enabled']
        self.assertTrue(features['cold_migration'])
        self.assertTrue(features['volume_backed_live_migration'])
        self.assertFalse(features['block_migration_for_live_migration'])
        self.assertFalse(opts['mattach']['evacuate'])
        self.assertEqual(
            ','.join('%s:%s' % (h, libvirt_host.uri(h)) for h in HOSTS),
            opts['mattach']['compute_libvirt_uris'])
