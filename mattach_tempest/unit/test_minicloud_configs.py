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

"""tools/minicloud's configuration files, rendered and read back.

configs.render_all writes every service's configuration as `up` does,
here into a temporary state directory; the tests read the ini files
back and check the decisions the cloud rests on: one address, the ports
(moved by MINICLOUD_PORT_OFFSET), the virt and volume backends of each
--virt, the compute hosts of --computes, the service tokens, and the
tempest workspace's two configurations.
"""

import configparser
import os

import yaml

from mattach_tempest.unit import minicloud_base
from minicloud_lib import bootstrap
from minicloud_lib import configs
from minicloud_lib import layout
from minicloud_lib import libvirt_host
from minicloud_lib import tempest_ws

HOSTS = ['compute1', 'compute2']


def read_ini(*path):
    parser = configparser.ConfigParser(interpolation=None)
    with open(os.path.join(layout.ETC, *path)) as f:
        parser.read_file(f)
    return parser


class RenderTestCase(minicloud_base.StateDirTestCase):

    def render(self, virt='fake', hosts=('compute1',), offset=0):
        self.use_ports(offset)
        self.install_shipped_files()
        configs.render_all(virt, list(hosts))


class FakeOneHostTest(RenderTestCase):

    def setUp(self):
        super().setUp()
        self.render()

    def test_every_file(self):
        for path in (('mariadb', 'my.cnf'),
                     ('rabbitmq', 'rabbitmq.conf'),
                     ('keystone', 'keystone.conf'),
                     ('placement', 'placement.conf'),
                     ('glance', 'glance-api.conf'),
                     ('glance', 'glance-api-paste.ini'),
                     ('nova', 'nova.conf'),
                     ('nova', 'api-paste.ini'),
                     ('nova-compute-compute1', 'nova.conf'),
                     ('cinder', 'cinder.conf'),
                     ('cinder', 'resource_filters.json'),
                     ('neutron', 'neutron.conf'),
                     ('neutron', 'plugins', 'ml2', 'ml2_conf.ini')):
            self.assertTrue(os.path.exists(os.path.join(layout.ETC, *path)),
                            path)
        self.assertFalse(os.path.exists(
            os.path.join(layout.ETC, 'nova-compute-compute2')))
        self.assertFalse(os.path.exists(
            os.path.join(layout.ETC, 'libvirt-compute1')))

    def test_nova_fake_driver_on_one_host(self):
        nova = read_ini('nova', 'nova.conf')
        self.assertEqual('minicloud_fake.FixedNodeFakeDriver',
                         nova['DEFAULT']['compute_driver'])
        # One host: a resize stays on it.
        self.assertEqual('true', nova['DEFAULT']['allow_resize_to_same_host'])
        self.assertIn('DifferentHostFilter',
                      nova['filter_scheduler']['enabled_filters'])
        compute = read_ini('nova-compute-compute1', 'nova.conf')
        self.assertEqual('compute1', compute['DEFAULT']['host'])
        self.assertFalse(compute.has_section('database'))
        self.assertFalse(compute.has_section('libvirt'))

    def test_nova_sends_service_tokens_cinder_requires_them(self):
        nova = read_ini('nova', 'nova.conf')
        self.assertEqual('true',
                         nova['service_user']['send_service_user_token'])
        cinder = read_ini('cinder', 'cinder.conf')
        authtoken = cinder['keystone_authtoken']
        self.assertEqual('true', authtoken['service_token_roles_required'])
        self.assertEqual('service',
                         cinder['keystone_authtoken']['service_token_roles'])

    def test_one_fixed_key_for_nova_and_cinder(self):
        nova = read_ini('nova', 'nova.conf')
        cinder = read_ini('cinder', 'cinder.conf')
        self.assertEqual(layout.FIXED_KEY, nova['key_manager']['fixed_key'])
        self.assertEqual(layout.FIXED_KEY,
                         cinder['key_manager']['fixed_key'])

    def test_cinder_two_fake_backends(self):
        cinder = read_ini('cinder', 'cinder.conf')
        self.assertEqual('fake,fake2', cinder['DEFAULT']['enabled_backends'])
        for name in ('fake', 'fake2'):
            self.assertEqual(name, cinder[name]['volume_backend_name'])
            self.assertEqual(
                'minicloud_lib.cinder_fake.MultiattachFakeDriver',
                cinder[name]['volume_driver'])
        self.assertEqual(os.path.join(layout.ETC, 'cinder',
                                      'resource_filters.json'),
                         cinder['DEFAULT']['resource_query_filters_file'])

    def test_neutron_without_mechanism_drivers(self):
        ml2 = read_ini('neutron', 'plugins', 'ml2', 'ml2_conf.ini')
        self.assertEqual('', ml2['ml2']['mechanism_drivers'])

    def test_state_under_the_state_dir(self):
        nova = read_ini('nova', 'nova.conf')
        for path in (nova['DEFAULT']['state_path'],
                     nova['DEFAULT']['instances_path'],
                     nova['oslo_concurrency']['lock_path']):
            self.assertTrue(path.startswith(layout.DATA + os.sep), path)
            self.assertTrue(os.path.isdir(path), path)


class FakeTwoHostsTest(RenderTestCase):

    def setUp(self):
        super().setUp()
        self.render(hosts=HOSTS)

    def test_a_nova_conf_per_host(self):
        computes = [read_ini('nova-compute-' + host, 'nova.conf')
                    for host in HOSTS]
        self.assertEqual(HOSTS, [c['DEFAULT']['host'] for c in computes])
        self.assertNotEqual(computes[0]['DEFAULT']['state_path'],
                            computes[1]['DEFAULT']['state_path'])
        # One instances directory, as on shared storage.
        self.assertEqual(computes[0]['DEFAULT']['instances_path'],
                         computes[1]['DEFAULT']['instances_path'])

    def test_resize_moves_the_server(self):
        nova = read_ini('nova', 'nova.conf')
        self.assertEqual('false',
                         nova['DEFAULT']['allow_resize_to_same_host'])

    def test_nova_rpc_executors_stay_small(self):
        # Conductor and scheduler read nova/nova.conf, each compute its own.
        for conf in [read_ini('nova', 'nova.conf')] + [
                read_ini('nova-compute-' + host, 'nova.conf')
                for host in HOSTS]:
            self.assertEqual('16',
                             conf['DEFAULT']['executor_thread_pool_size'])


class LibvirtTest(RenderTestCase):

    def setUp(self):
        super().setUp()
        self.render('libvirt', HOSTS)

    def test_nova_libvirt_driver_per_host(self):
        nova = read_ini('nova', 'nova.conf')
        self.assertEqual('minicloud_libvirt.LoopExtendLibvirtDriver',
                         nova['DEFAULT']['compute_driver'])
        for host in HOSTS:
            compute = read_ini('nova-compute-' + host, 'nova.conf')
            self.assertEqual('qemu', compute['libvirt']['virt_type'])
            self.assertEqual(libvirt_host.uri(host),
                             compute['libvirt']['connection_uri'])
            self.assertEqual('true',
                             compute['DEFAULT']['force_config_drive'])
            # The privsep helper reads the host's own configuration.
            self.assertIn(configs.compute_conf_dir(host),
                          compute['privsep_osbrick']['helper_command'])
            # A detach re-asks a booting guest every 3 s, still bounded
            # (3 x 40 s) as with nova's defaults (20 x 8 s).
            self.assertEqual(('3', '40'), (
                compute['libvirt']['device_detach_timeout'],
                compute['libvirt']['device_detach_attempts']))
            self.assertEqual('600',
                             compute['DEFAULT']['update_resources_interval'])

    def test_cinder_loop_backend(self):
        cinder = read_ini('cinder', 'cinder.conf')
        self.assertEqual('libvirt', cinder['DEFAULT']['enabled_backends'])
        self.assertEqual('loop', cinder['libvirt']['volume_backend_name'])
        self.assertEqual('minicloud_lib.cinder_loop.LoopVolumeDriver',
                         cinder['libvirt']['volume_driver'])

    def test_neutron_tap_driver_on_the_flat_network(self):
        ml2 = read_ini('neutron', 'plugins', 'ml2', 'ml2_conf.ini')
        self.assertEqual('minicloud_tap', ml2['ml2']['mechanism_drivers'])
        self.assertEqual(libvirt_host.PHYSNET,
                         ml2['ml2_type_flat']['flat_networks'])

    def test_libvirtd_of_each_host(self):
        for host in HOSTS:
            etc = libvirt_host.private_dirs(host)['/etc/libvirt']
            self.assertTrue(os.path.exists(os.path.join(etc,
                                                        'libvirtd.conf')))
        self.assertTrue(os.path.exists(os.path.join(layout.ETC,
                                                    'libvirt-passwd')))


class PortOffsetTest(RenderTestCase):

    OFFSET = 600

    def setUp(self):
        super().setUp()
        self.render(offset=self.OFFSET)

    def port(self, service):
        return layout.BASE_PORTS[service] + self.OFFSET

    def test_services_reach_the_moved_ports(self):
        keystone = 'http://127.0.0.1:%d' % self.port('keystone')
        nova = read_ini('nova', 'nova.conf')
        self.assertEqual(keystone,
                         nova['keystone_authtoken']['auth_url'])
        self.assertIn(':%d/' % self.port('rabbitmq'),
                      nova['DEFAULT']['transport_url'])
        self.assertIn('127.0.0.1:%d/nova?' % self.port('mariadb'),
                      nova['database']['connection'])
        cinder = read_ini('cinder', 'cinder.conf')
        self.assertEqual(keystone, cinder['nova']['auth_url'])
        self.assertIn(':%d/' % self.port('rabbitmq'),
                      cinder['DEFAULT']['transport_url'])

    def test_daemons_listen_on_the_moved_ports(self):
        with open(os.path.join(layout.ETC, 'mariadb', 'my.cnf')) as f:
            mycnf = f.read()
        self.assertIn('port = %d\n' % self.port('mariadb'), mycnf)
        self.assertIn('bind-address = 127.0.0.1\n', mycnf)
        with open(os.path.join(layout.ETC, 'rabbitmq',
                               'rabbitmq.conf')) as f:
            self.assertIn('listeners.tcp.1 = 127.0.0.1:%d\n'
                          % self.port('rabbitmq'), f.read())
        env = configs.rabbitmq_env()
        self.assertEqual(str(self.port('rabbitmq-dist')),
                         env['RABBITMQ_DIST_PORT'])
        self.assertEqual(str(self.port('epmd')), env['ERL_EPMD_PORT'])

    def test_tempest_reaches_the_moved_keystone(self):
        opts = tempest_ws.options(['i1', 'i2'])
        self.assertEqual('http://127.0.0.1:%d/v3' % self.port('keystone'),
                         opts['identity']['uri_v3'])


class WriteIniTest(minicloud_base.StateDirTestCase):

    def test_sections_options_and_booleans(self):
        path = os.path.join(layout.ETC, 'x', 'x.conf')
        configs.write_ini(path, {'DEFAULT': {'a': True, 'b': False},
                                 'other': {'n': 3, 's': 'text'}})
        with open(path) as f:
            self.assertEqual('[DEFAULT]\na = true\nb = false\n\n'
                             '[other]\nn = 3\ns = text\n', f.read())


class TempestConfTest(minicloud_base.StateDirTestCase):
    """tempest.conf and tempest-accounts.conf as `up` writes them."""

    def setUp(self):
        super().setUp()
        self.use_ports(600)
        etc = os.path.join(layout.TEMPEST, 'etc')
        os.makedirs(etc)
        for name, path in (('ETC', etc),
                           ('CONF', os.path.join(etc, 'tempest.conf')),
                           ('ACCOUNTS_CONF', os.path.join(
                               etc, 'tempest-accounts.conf')),
                           ('ACCOUNTS_YAML', os.path.join(
                               etc, 'accounts.yaml'))):
            self.useFixture(minicloud_base.fixtures.MonkeyPatch(
                'minicloud_lib.tempest_ws.' + name, path))
        # `tempest init` (a process) made the workspace.
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.tempest_ws._init', lambda: None))

    def write(self, virt, hosts):
        tempest_ws.write(['image-1', 'image-2'], virt, hosts)
        return read_ini(tempest_ws.CONF), read_ini(tempest_ws.ACCOUNTS_CONF)

    def test_fake_one_host(self):
        conf, accounts_conf = self.write('fake', ['compute1'])
        self.assertEqual('http://127.0.0.1:29735/v3',
                         conf['identity']['uri_v3'])
        self.assertEqual('image-1', conf['compute']['image_ref'])
        self.assertEqual('1', conf['compute']['min_compute_nodes'])
        self.assertEqual('fake,fake2', conf['volume']['backend_names'])
        self.assertEqual('true', conf['auth']['use_dynamic_credentials'])
        self.assertEqual('admin', conf['auth']['admin_username'])
        self.assertEqual('false', conf['validation']['run_validation'])

    def test_api_image_given_to_both_configs(self):
        tempest_ws.write(['image-1', 'image-2'], 'fake', ['compute1'],
                         api_image='halting-image')
        for path in (tempest_ws.CONF, tempest_ws.ACCOUNTS_CONF):
            conf = read_ini(path)
            self.assertEqual('halting-image',
                             conf['mattach']['api_image_ref'])
            self.assertEqual('image-1', conf['compute']['image_ref'])

    def test_no_api_image_leaves_the_option_unset(self):
        conf, _accounts_conf = self.write('fake', ['compute1'])
        self.assertNotIn('api_image_ref', conf['mattach'])

    def test_accounts_conf_has_no_admin(self):
        _conf, accounts_conf = self.write('fake', ['compute1'])
        auth = accounts_conf['auth']
        self.assertEqual('false', auth['use_dynamic_credentials'])
        self.assertEqual(tempest_ws.ACCOUNTS_YAML,
                         auth['test_accounts_file'])
        for key in ('admin_username', 'admin_password',
                    'admin_project_name', 'admin_domain_name'):
            self.assertNotIn(key, auth)
        with open(tempest_ws.ACCOUNTS_YAML) as f:
            accounts = yaml.safe_load(f)
        self.assertEqual(bootstrap.accounts(), accounts)

    def test_libvirt_two_hosts(self):
        conf, _accounts_conf = self.write('libvirt', HOSTS)
        self.assertEqual('2', conf['compute']['min_compute_nodes'])
        self.assertEqual('loop', conf['volume']['backend_names'])
        self.assertEqual('local', conf['volume']['storage_protocol'])
        self.assertEqual('true', conf['validation']['run_validation'])
        self.assertEqual(libvirt_host.NETWORK,
                         conf['compute']['fixed_network_name'])
        self.assertEqual('false', conf['volume-feature-enabled'][
            'multi_backend'])
        self.assertEqual('true', conf['compute-feature-enabled'][
            'live_migration'])
