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

"""tools/minicloud's daemons, catalog and accounts, as `up` makes them.

Service definitions only (names, ports, command lines): nothing starts.
The names are those `status` and `down` look for, so every --virt and
--computes must give each daemon its own.
"""

from mattach_tempest.unit import minicloud_base
from minicloud_lib import bootstrap
from minicloud_lib import layout
from minicloud_lib import services


class ServicesTest(minicloud_base.StateDirTestCase):

    def setUp(self):
        super().setUp()
        self.use_ports(600)

    def names(self, virt, computes):
        return [s.name for s in services.all_services(virt, computes)]

    def test_fake_two_hosts(self):
        names = self.names('fake', 2)
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(['epmd', 'mariadb', 'rabbitmq', 'keystone'],
                         names[:4])
        for name in ('nova-compute-compute1', 'nova-compute-compute2',
                     'cinder-volume', 'neutron'):
            self.assertIn(name, names)
        self.assertFalse([n for n in names if n.startswith('libvirtd-')])

    def test_libvirt_hosts_have_their_own_daemons(self):
        names = self.names('libvirt', 2)
        self.assertEqual(len(names), len(set(names)))
        for host in ('compute1', 'compute2'):
            for prefix in ('forwarder-', 'libvirtd-', 'tap-agent-',
                           'nova-compute-'):
                self.assertIn(prefix + host, names)
        # A host's libvirtd starts before its nova-compute.
        self.assertLess(names.index('libvirtd-compute2'),
                        names.index('nova-compute-compute2'))

    def test_apis_listen_on_the_moved_ports_of_127_0_0_1(self):
        for svc in services.all_services('fake', 1):
            if svc.health:
                self.assertEqual(layout.PORTS[svc.name], svc.port)
                self.assertIn('127.0.0.1:%d' % svc.port, svc.argv)
                self.assertEqual('http://127.0.0.1:%d/' % svc.port,
                                 svc.url())
        self.assertEqual(29735, layout.PORTS['keystone'])

    def test_apis_close_each_connection_after_its_response(self):
        # gunicorn's keep-alive timeout closes a pooled connection even as
        # a client sends on it: nova-compute saw 'Connection reset by peer'
        # from cinder-api in the middle of a detach.
        apis = [svc for svc in services.all_services('fake', 2)
                if 'gunicorn' in svc.argv[0]]
        self.assertNotEqual([], apis)
        for svc in apis:
            index = svc.argv.index('--keep-alive')
            self.assertEqual('0', svc.argv[index + 1], svc.name)

    def test_venv_processes_stay_in_the_state_dir(self):
        env = services.venv_env()
        self.assertTrue(env['PATH'].startswith(layout.VBIN))
        self.assertEqual(layout.VENV, env['VIRTUAL_ENV'])
        for key in ('HOME', 'TMPDIR'):
            self.assertTrue(env[key].startswith(layout.DATA), key)


class CatalogTest(minicloud_base.StateDirTestCase):

    def test_endpoints_on_the_moved_ports(self):
        self.use_ports(600)
        catalog = {stype: url for stype, _name, url in bootstrap.catalog()}
        self.assertEqual('http://127.0.0.1:29774/v2.1', catalog['compute'])
        # tempest looks cinder up as block-storage, nova as volumev3.
        self.assertEqual(catalog['block-storage'], catalog['volumev3'])
        self.assertEqual('http://127.0.0.1:29776/v3/%(project_id)s',
                         catalog['volumev3'])

    def test_accounts_a_member_and_a_reader_per_project(self):
        accounts = bootstrap.accounts()
        self.assertEqual(2 * bootstrap.ACCOUNT_PROJECTS, len(accounts))
        self.assertEqual({'username': 'tempest-1-member',
                          'project_name': 'tempest-project-1',
                          'password': bootstrap.ACCOUNT_PASSWORD,
                          'domain_name': 'Default',
                          'roles': ['member']}, accounts[0])
        self.assertEqual(len(accounts),
                         len({a['username'] for a in accounts}))


class LoggedCommandTest(minicloud_base.StateDirTestCase):

    def test_no_password_in_a_logged_command_line(self):
        argv = ['keystone-manage', 'bootstrap', '--bootstrap-password',
                layout.ADMIN_PASSWORD, '-e',
                "IDENTIFIED BY '%s'" % layout.DB_PASSWORD]
        self.assertEqual("keystone-manage bootstrap --bootstrap-password "
                         "*** -e IDENTIFIED BY '***'", bootstrap.shown(argv))
