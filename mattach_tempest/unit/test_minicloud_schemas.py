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

"""Schemas: migrated once, then loaded from the dump of that migration.

run_logged is replaced by a recorder (no mariadb, no manage commands); a
"dump" writes a marker into the file it is given, a "load" reads it back.
"""

import os
from unittest import mock

import fixtures

from mattach_tempest.unit import minicloud_base
from minicloud_lib import bootstrap
from minicloud_lib import cli
from minicloud_lib import layout


class SchemaCacheTest(minicloud_base.StateDirTestCase):

    def setUp(self):
        super().setUp()
        os.makedirs(layout.DATA)
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.bootstrap.SCHEMA_CACHE',
            os.path.join(self.state, 'cache', 'schemas')))
        self.calls = []
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.bootstrap.run_logged', self.run_logged))
        self.commands = bootstrap.schema_commands()

    def run_logged(self, name, argv, timeout=600, stdin=None, stdout=None):
        program = os.path.basename(argv[0])
        if stdout is not None:
            stdout.write(b'-- dump of %s\n' % ' '.join(argv[-3:]).encode())
        loaded = stdin.read() if stdin is not None else None
        self.calls.append((program, argv[-1], loaded))

    def fresh_cloud(self):
        """The state an empty cloud has: no schema stamps."""
        for entry in os.listdir(layout.DATA):
            os.unlink(os.path.join(layout.DATA, entry))
        self.calls = []

    def test_first_migration_is_dumped_then_loaded(self):
        bootstrap.schema('nova', self.commands['nova'])
        self.assertEqual(['mariadb-dump'] + ['nova-manage'] * 3 + ['sh'],
                         sorted(program for program, _a, _l in self.calls))
        self.assertEqual(('mariadb-dump', 'nova', None), self.calls[-1])
        self.fresh_cloud()
        bootstrap.schema('nova', self.commands['nova'])
        self.assertEqual(
            [('mariadb', 'root',
              b'-- dump of nova_api nova_cell0 nova\n')], self.calls)

    def test_keystone_key_repositories_are_made_either_way(self):
        bootstrap.schema('keystone', self.commands['keystone'])
        self.assertEqual(
            ['db_sync', 'fernet_setup', 'credential_setup', 'bootstrap'],
            [next(a for a in self.commands['keystone'][i]
                  if a in ('db_sync', 'fernet_setup', 'credential_setup',
                           'bootstrap')) for i in range(4)])
        self.fresh_cloud()
        bootstrap.schema('keystone', self.commands['keystone'])
        self.assertEqual(['mariadb', 'keystone-manage', 'keystone-manage'],
                         [program for program, _a, _l in self.calls])

    def test_already_migrated_cloud_does_nothing(self):
        bootstrap.schema('cinder', self.commands['cinder'])
        self.calls = []
        bootstrap.schema('cinder', self.commands['cinder'])
        self.assertEqual([], self.calls)

    def test_other_ports_or_versions_are_another_dump(self):
        first = bootstrap.schema_cache_file('nova', self.commands['nova'])
        self.use_ports(800)
        self.assertNotEqual(first, bootstrap.schema_cache_file(
            'nova', bootstrap.schema_commands()))
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.bootstrap._pins', lambda: 'other versions'))
        self.assertNotEqual(first, bootstrap.schema_cache_file(
            'nova', self.commands['nova']))


class BuildOnceTest(SchemaCacheTest):
    """Install's last step: the dumps made, the cloud left with nothing."""

    def setUp(self):
        super().setUp()
        self.procs = mock.Mock()
        self.procs.read_pid.return_value = None
        self.useFixture(fixtures.MonkeyPatch('minicloud_lib.cli.procs',
                                             self.procs))
        self.mariadb = mock.Mock()
        self.mariadb.name = 'mariadb'
        for name in ('mariadb_datadir', 'create_databases'):
            self.useFixture(fixtures.MonkeyPatch(
                'minicloud_lib.bootstrap.' + name, mock.Mock()))

    def dumps(self):
        return sorted(os.listdir(bootstrap.SCHEMA_CACHE)) if os.path.isdir(
            bootstrap.SCHEMA_CACHE) else []

    def drops(self):
        return [loaded for program, _arg, loaded in self.calls
                if program == 'mariadb' and loaded is None]

    def test_dumps_made_then_the_cloud_has_nothing(self):
        cli._build_once('fake', self.mariadb)
        self.assertEqual(sorted(self.commands), sorted(
            name.split('-')[0] for name in self.dumps()))
        # No stamp: up migrates nothing, it loads every dump.
        self.assertEqual([], [n for n in self.commands
                              if bootstrap.migrated(n)])
        self.assertEqual(1, len(self.drops()))
        self.procs.stop_all.assert_called_once_with(['mariadb'],
                                                    cli.STOP_TIMEOUT)
        self.calls = []
        bootstrap.schema('cinder', self.commands['cinder'])
        self.assertEqual(['mariadb'], [p for p, _a, _l in self.calls])

        # Built: the next build does nothing.
        self.calls = []
        self.procs.reset_mock()
        cli._build_once('fake', self.mariadb)
        self.assertEqual([], self.calls)
        self.procs.start.assert_not_called()

    def test_a_migrated_cloud_is_not_dropped(self):
        # A cloud migrated before the dumps existed (an older checkout):
        # its databases hold its data; nothing is dropped or dumped.
        bootstrap.schema('glance', self.commands['glance'])
        for name in self.dumps():
            os.unlink(os.path.join(bootstrap.SCHEMA_CACHE, name))
        for name in self.commands:
            with open(bootstrap._stamp(name), 'w') as f:
                f.write(bootstrap._pins())
        self.calls = []
        cli._build_once('fake', self.mariadb)
        self.assertEqual([], self.calls)
        self.assertEqual([], self.dumps())
