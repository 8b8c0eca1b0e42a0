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

"""The tempest plugin: entry point, load_tests, options, service clients."""

import importlib
from importlib import metadata
import os
import subprocess
import sys
import textwrap
import unittest

import fixtures
from oslo_config import cfg
from tempest import config
from tempest.lib import auth
from tempest.lib.common import rest_client
from tempest.lib.services import clients
from tempest.test_discover import plugins

from mattach_tempest import config as mattach_config
from mattach_tempest import plugin
from mattach_tempest.unit import base

PLUGIN_NAME = 'mattach_tempest'
DEFAULTS = {
    'servers_per_volume': 3,
    'concurrent_attach_servers': 3,
    'create_multiattach_type': False,
    'protects_nova_attachments': True,
    'volume_encryption': True,
    'guest_filesystem': 'ext4',
    'raw_region_kib': 64,
    'known_defects': [],
    'compute_libvirt_uris': {},
    'evacuate': False,
    'allow_resize_to_same_host': False,
    'api_image_ref': '',
}


def entry_point(group, name):
    matches = [ep for ep in metadata.entry_points(group=group)
               if ep.name == name]
    if len(matches) != 1:
        raise AssertionError('%d entry points %s in group %s (is the '
                             'package installed?)' % (len(matches), name,
                                                      group))
    return matches[0]


def run_python(code, cwd, env=None):
    """Run code in a fresh interpreter; return its stdout, fail loudly."""
    proc = subprocess.run(
        [sys.executable, '-c', textwrap.dedent(code)], cwd=cwd,
        env=dict(os.environ, **(env or {})), capture_output=True,
        text=True, timeout=120)
    if proc.returncode:
        raise AssertionError('Subprocess failed (%d):\n%s\n%s'
                             % (proc.returncode, proc.stdout, proc.stderr))
    return proc.stdout


class EntryPointTest(base.TestCase):

    def test_tempest_plugin_entry_point(self):
        ep = entry_point('tempest.test_plugins', PLUGIN_NAME)
        self.assertEqual('mattach_tempest.plugin:MultiattachTempestPlugin',
                         ep.value)
        self.assertIs(plugin.MultiattachTempestPlugin, ep.load())
        self.assertTrue(issubclass(ep.load(), plugins.TempestPlugin))

    def test_config_generator_entry_point(self):
        ep = entry_point('oslo.config.opts', PLUGIN_NAME)
        self.assertIs(mattach_config.list_opts, ep.load())

    def test_tempest_plugin_manager_loads_it(self):
        manager = plugins.TempestTestPluginManager()
        loaded = {ext.name: ext.obj for ext in manager.ext_plugins}
        self.assertIsInstance(loaded.get(PLUGIN_NAME),
                              plugin.MultiattachTempestPlugin)
        test_dir, top_dir = manager.get_plugin_load_tests_tuple()[
            PLUGIN_NAME]
        self.assertEqual(plugin.MultiattachTempestPlugin().load_tests(),
                         (test_dir, top_dir))

    def test_plugin_module_stays_light(self):
        # tempest imports plugin.py for every command: it must not pull in
        # the service clients or any test module.
        out = run_python('''
            import sys
            import mattach_tempest.plugin
            print(' '.join(sorted(m for m in sys.modules
                                  if m.startswith('mattach_tempest'))))
            ''', cwd=self.useFixture(fixtures.TempDir()).path)
        self.assertEqual(['mattach_tempest', 'mattach_tempest.config',
                          'mattach_tempest.plugin'], out.split())


class LoadTestsTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.test_dir, self.top_dir = (
            plugin.MultiattachTempestPlugin().load_tests())

    def test_test_dir_is_the_conformance_package(self):
        import mattach_tempest.tests as conformance
        self.assertEqual(os.path.dirname(os.path.abspath(
            conformance.__file__)), self.test_dir)
        self.assertTrue(os.path.isabs(self.test_dir))

    def test_conformance_package_imports_from_top_dir(self):
        relative = os.path.relpath(self.test_dir, self.top_dir)
        self.assertFalse(relative.startswith(os.pardir), relative)
        module = importlib.import_module(relative.replace(os.sep, '.'))
        self.assertEqual(self.test_dir,
                         os.path.dirname(os.path.abspath(module.__file__)))
        self.assertEqual(os.path.join(self.top_dir, 'mattach_tempest'),
                         os.path.dirname(os.path.dirname(module.__file__)))

    def test_project_tests_are_outside_the_test_dir(self):
        unit_dir = os.path.dirname(os.path.abspath(__file__))
        self.assertNotEqual(
            self.test_dir,
            os.path.commonpath([self.test_dir, unit_dir]),
            'mattach_tempest/unit must not be under the directory '
            'load_tests() returns')

    def test_discovery_finds_only_conformance_tests(self):
        # What tempest does with load_tests(): discover(test_dir, top_dir).
        loader = unittest.TestLoader()
        suite = loader.discover(self.test_dir, top_level_dir=self.top_dir)
        self.assertEqual([], [_summary(error) for error in loader.errors],
                         'Conformance test modules failed to import')
        ids = [test.id() for test in flatten(suite)]
        self.assertNotEqual([], ids)
        for test_id in ids:
            self.assertTrue(test_id.startswith('mattach_tempest.tests.'),
                            test_id)


def _summary(error):
    """'Failed to import test module: m' + the exception line."""
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return '%s: %s' % (lines[0], lines[-1])


def flatten(suite):
    """The tests of a suite, nested suites opened, in their order."""
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


class RegisterOptsTest(base.TestCase):

    def fresh_conf(self, config_file=None):
        conf = cfg.ConfigOpts()
        plugin.MultiattachTempestPlugin().register_opts(conf)
        conf(args=[], default_config_files=[config_file] if config_file
             else [], default_config_dirs=[], use_env=False)
        return conf

    def write_conf(self, text):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'tempest.conf')
        with open(path, 'w') as f:
            f.write(textwrap.dedent(text))
        return path

    def test_registers_the_mattach_group_with_defaults(self):
        conf = self.fresh_conf()
        self.assertIn('mattach', conf)
        self.assertEqual(DEFAULTS, {name: conf.mattach[name]
                                    for name in DEFAULTS})
        self.assertEqual(sorted(DEFAULTS), sorted(
            opt.name for opt in mattach_config.MattachGroup))

    def test_registers_nothing_else(self):
        conf = self.fresh_conf()
        groups = [key for key in conf
                  if isinstance(conf[key], cfg.ConfigOpts.GroupAttr)]
        self.assertEqual(['mattach'], groups)

    def test_reads_values_from_a_config_file(self):
        conf = self.fresh_conf(self.write_conf('''
            [mattach]
            servers_per_volume = 5
            create_multiattach_type = true
            protects_nova_attachments = false
            '''))
        self.assertEqual(5, conf.mattach.servers_per_volume)
        self.assertTrue(conf.mattach.create_multiattach_type)
        self.assertFalse(conf.mattach.protects_nova_attachments)

    def test_a_single_server_is_refused(self):
        conf = self.fresh_conf(self.write_conf('''
            [mattach]
            servers_per_volume = 1
            '''))
        self.assertRaises(cfg.ConfigFileValueError,
                          getattr, conf.mattach, 'servers_per_volume')

    def test_registering_twice_is_harmless(self):
        conf = cfg.ConfigOpts()
        plugin.MultiattachTempestPlugin().register_opts(conf)
        plugin.MultiattachTempestPlugin().register_opts(conf)
        conf(args=[], default_config_files=[], use_env=False)
        self.assertEqual(3, conf.mattach.servers_per_volume)

    def test_no_option_duplicates_tempests_own(self):
        ours = {opt.name for opt in mattach_config.MattachGroup}
        for group, opts in config.list_opts():
            if getattr(group, 'name', group) == 'mattach':
                continue
            clash = ours & {opt.name for opt in opts}
            self.assertEqual(set(), clash, 'also in tempest group %s'
                             % getattr(group, 'name', group))


class GetOptListsTest(base.TestCase):

    def test_lists_the_group_and_its_options(self):
        opt_lists = plugin.MultiattachTempestPlugin().get_opt_lists()
        self.assertEqual([('mattach', mattach_config.MattachGroup)],
                         opt_lists)

    def test_tempest_lists_it_for_its_sample_config(self):
        listed = {getattr(group, 'name', group): opts
                  for group, opts in config.list_opts()}
        self.assertIs(mattach_config.MattachGroup, listed.get('mattach'))

    def test_tempest_conf_gets_the_alias(self):
        # The real tempest.config.CONF in a fresh interpreter, reading a
        # tempest.conf of our own (TEMPEST_CONFIG_DIR), never the machine's.
        workdir = self.useFixture(fixtures.TempDir()).path
        with open(os.path.join(workdir, 'tempest.conf'), 'w') as f:
            f.write('[mattach]\nservers_per_volume = 4\n')
        out = run_python('''
            from tempest import config
            print(config.CONF.mattach.servers_per_volume,
                  config.CONF.mattach.create_multiattach_type)
            ''', cwd=workdir, env={'TEMPEST_CONFIG_DIR': workdir,
                                   'TEMPEST_CONFIG': 'tempest.conf',
                                   'HOME': workdir, 'TMPDIR': workdir})
        self.assertEqual('4 False', out.strip().splitlines()[-1])


class GetServiceClientsTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.service_clients = (
            plugin.MultiattachTempestPlugin().get_service_clients())

    def test_dicts_are_well_formed(self):
        self.assertEqual(2, len(self.service_clients))
        for service in self.service_clients:
            for key in ('name', 'service_version', 'module_path',
                        'client_names'):
                self.assertIn(key, service)
            module = importlib.import_module(service['module_path'])
            self.assertNotEqual([], service['client_names'])
            for name in service['client_names']:
                client_class = getattr(module, name)
                self.assertTrue(
                    issubclass(client_class, rest_client.RestClient), name)

    def test_names_and_service_versions_are_unique(self):
        names = [s['name'] for s in self.service_clients]
        versions = [s['service_version'] for s in self.service_clients]
        self.assertEqual(len(names), len(set(names)))
        self.assertEqual(len(versions), len(set(versions)))
        self.assertEqual(set(), set(versions) & set(clients.tempest_modules()))

    def test_carries_the_service_config(self):
        by_name = {s['name']: s for s in self.service_clients}
        self.assertEqual('block-storage',
                         by_name['mattach_volume']['service'])
        self.assertEqual('compute',
                         by_name['mattach_compute']['service'])
        self.set_conf('volume', catalog_type='volumev3',
                      endpoint_type='internalURL')
        volume = {s['name']: s for s in plugin.MultiattachTempestPlugin()
                  .get_service_clients()}['mattach_volume']
        self.assertEqual('volumev3', volume['service'])
        self.assertEqual('internalURL', volume['endpoint_type'])

    def test_tempest_builds_the_clients_from_them(self):
        # tempest's own path: the registry feeds every ServiceClients.
        registry = clients.ClientsRegistry()
        self.useFixture(fixtures.MockPatchObject(
            registry, 'get_service_clients',
            return_value={PLUGIN_NAME: self.service_clients}))
        self.assertLessEqual({'mattach.volume.v3', 'mattach.compute'},
                             clients.available_modules())
        credentials = auth.KeystoneV3Credentials(
            username='demo', password='secret', project_name='demo',
            user_domain_name='Default', project_domain_name='Default')
        manager = clients.ServiceClients(
            credentials, 'http://identity.test/v3', region='RegionOne')
        volume = manager.mattach_volume.AttachmentsClient()
        compute = manager.mattach_compute.VolumeAttachmentsClient()
        self.assertEqual('block-storage', volume.service)
        self.assertEqual('compute', compute.service)
        self.assertEqual('RegionOne', volume.region)
        self.assertEqual('OpenStack-API-Version',
                         volume.api_microversion_header_name)
        self.assertEqual('X-OpenStack-Nova-API-Version',
                         compute.api_microversion_header_name)
