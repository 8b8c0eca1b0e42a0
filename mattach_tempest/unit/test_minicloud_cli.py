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

"""tools/minicloud's arguments: what each sub-command accepts and refuses.

Parsing only: every handler is replaced by one that records the parsed
arguments, so that nothing is installed, started or stopped. A refused
argument is argparse's: one 'error:' line on stderr and exit status 2.
"""

import argparse

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (tools/ on path)
from minicloud_lib import cli

HANDLERS = ('up', 'down', 'status', 'run', 'tempest', 'clean', 'openrc',
            'stop_service', 'start_service')


class ArgumentsTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.calls = []
        for name in HANDLERS:
            self.useFixture(fixtures.MonkeyPatch(
                'minicloud_lib.cli.' + name,
                lambda args, name=name: self.calls.append((name, args)) or 0))
        self.stderr = self.useFixture(
            fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        self.stdout = self.useFixture(
            fixtures.StringStream('stdout')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))

    def parse(self, *argv):
        self.assertEqual(0, cli.main(list(argv)))
        name, args = self.calls.pop()
        self.assertEqual(argv[0], name)
        return args

    def refused(self, *argv):
        e = self.assertRaises(SystemExit, cli.main, list(argv))
        self.assertEqual(2, e.code)
        self.assertEqual([], self.calls)
        self.stderr.seek(0)
        errors = [line for line in self.stderr.read().splitlines()
                  if 'error:' in line]
        self.assertEqual(1, len(errors), errors)
        return errors[0]

    def test_up_defaults(self):
        args = self.parse('up')
        self.assertEqual('libvirt', args.virt)
        self.assertEqual(1, args.computes)

    def test_up_fake_two_hosts(self):
        args = self.parse('up', '--virt', 'fake', '--computes', '2')
        self.assertEqual(('fake', 2), (args.virt, args.computes))

    def test_run_defaults(self):
        args = self.parse('run')
        self.assertEqual('^mattach_tempest\\.', args.regex)
        self.assertEqual(4, args.concurrency)
        self.assertFalse(args.keep)
        self.assertIsNone(args.config_file)
        self.assertEqual(('libvirt', 1), (args.virt, args.computes))

    def test_run_options(self):
        args = self.parse('run', '--keep', '--regex', 'x', '--concurrency',
                          '3', '--config-file', 'etc/t.conf', '--virt',
                          'fake', '--computes', '2')
        self.assertTrue(args.keep)
        self.assertEqual(('x', 3, 'etc/t.conf'),
                         (args.regex, args.concurrency, args.config_file))
        self.assertEqual(('fake', 2), (args.virt, args.computes))

    def test_tempest_passes_everything_on(self):
        args = self.parse('tempest', 'run', '--regex', 'a', '--serial')
        self.assertEqual(['run', '--regex', 'a', '--serial'], args.args)

    def test_openrc(self):
        self.assertFalse(self.parse('openrc').admin)
        self.assertTrue(self.parse('openrc', '--admin').admin)

    def test_commands_without_options(self):
        for name in ('down', 'status', 'clean'):
            self.parse(name)

    def test_canary_regex_printed(self):
        self.assertEqual(0, cli.main(['canary-regex']))
        self.stdout.seek(0)
        self.assertEqual(cli.CANARY_REGEX + '\n', self.stdout.read())

    def test_secrets_printed_one_a_line(self):
        self.assertEqual(0, cli.main(['secrets']))
        self.stdout.seek(0)
        printed = self.stdout.read().splitlines()
        self.assertEqual(list(cli.bootstrap.SECRETS), printed)
        for secret in (cli.layout.ADMIN_PASSWORD, cli.layout.DB_PASSWORD,
                       cli.layout.SERVICE_PASSWORD,
                       cli.layout.RABBIT_PASSWORD, cli.layout.FIXED_KEY,
                       cli.bootstrap.ACCOUNT_PASSWORD):
            self.assertIn(secret, printed)

    def test_stop_and_start_take_one_service(self):
        for command in ('stop', 'start'):
            self.assertEqual(0, cli.main([command, 'cinder-volume']))
            name, args = self.calls.pop()
            self.assertEqual(command + '_service', name)
            self.assertEqual('cinder-volume', args.service)
        self.assertIn('the following arguments are required: service',
                      self.refused('stop'))

    def test_refused(self):
        for argv, message in (
                ([], 'the following arguments are required'),
                (['nonsense'], 'invalid choice'),
                (['up', '--virt', 'kvm'], 'invalid choice'),
                (['up', '--computes', '0'],
                 'a number of compute hosts from 1 to'),
                (['run', '--computes', str(cli.max_computes() + 1)],
                 'a number of compute hosts from 1 to'),
                (['run', '--concurrency', 'two'], 'invalid int value'),
                (['down', '--virt', 'fake'], 'unrecognized arguments'),
                (['openrc', '--user', 'x'], 'unrecognized arguments')):
            self.stderr.seek(0)
            self.stderr.truncate()
            self.assertIn(message, self.refused(*argv))

    def test_help_exits_zero(self):
        for argv in (['--help'], ['up', '--help'], ['run', '--help'],
                     ['openrc', '--help']):
            e = self.assertRaises(SystemExit, cli.main, argv)
            self.assertEqual(0, e.code)


class ComputesTest(base.TestCase):

    def test_two_per_core(self):
        self.useFixture(fixtures.MonkeyPatch('os.cpu_count', lambda: 2))
        self.assertEqual(4, cli.max_computes())
        self.assertEqual(4, cli._computes('4'))
        self.assertRaises(argparse.ArgumentTypeError, cli._computes, '5')

    def test_unknown_core_count_is_one_core(self):
        self.useFixture(fixtures.MonkeyPatch('os.cpu_count', lambda: None))
        self.assertEqual(2, cli.max_computes())


class StartErrorsTest(base.TestCase):

    def test_handler_errors_are_one_message_and_rc_1(self):
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))

        def failing(args):
            raise cli.procs.StartError('port 29735 taken')
        self.useFixture(fixtures.MonkeyPatch('minicloud_lib.cli.down',
                                             failing))
        self.assertEqual(1, cli.main(['down']))
        stderr.seek(0)
        self.assertEqual('minicloud: ERROR: port 29735 taken\n',
                         stderr.read())


class PhasesTest(base.TestCase):
    """The seconds of each phase in `up`'s closing line."""

    def test_each_phase_from_the_end_of_the_one_before(self):
        clock = iter([12.0, 30.5])
        self.useFixture(fixtures.MockPatch(
            'minicloud_lib.cli.time.monotonic', lambda: next(clock)))
        phases = cli.Phases(10.0)
        phases.end('mariadb')
        phases.end('schemas+keystone')
        self.assertEqual('mariadb 2 s, schemas+keystone 18 s', str(phases))


class ServiceNamedTest(base.TestCase):

    def test_unknown_service_is_one_error_line_naming_the_known(self):
        exc = self.assertRaises(SystemExit, cli._service_named, 'cinder-vol')
        self.assertIn("no service 'cinder-vol' in this cloud", str(exc))
        self.assertIn('cinder-volume', str(exc))
