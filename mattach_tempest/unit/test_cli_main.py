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

"""`mattach`: its subcommands and the contract every one keeps."""

import io
import subprocess
import sys
from unittest import mock

from mattach_tempest.cli import common
from mattach_tempest.cli import main
from mattach_tempest.unit import base


class TestMattach(base.TestCase):

    def run_main(self, argv):
        """(exit code, stdout, stderr) of `mattach argv`."""
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
            try:
                code = main.main(argv)
            except SystemExit as exc:   # argparse: --help, usage errors
                code = exc.code
        return code, out.getvalue(), err.getvalue()

    def assertOneLineError(self, result, fragment):
        code, out, err = result
        self.assertEqual((2, ''), (code, out), err)
        self.assertEqual(1, err.count('\n'), err)
        self.assertNotIn('Traceback', err)
        self.assertIn(fragment, err)

    def test_subcommands(self):
        self.assertEqual(['preflight', 'report', 'certification', 'timing',
                          'cleanup', 'scan-secrets'],
                         [name for name, _ in main.COMMANDS])
        code, out, _ = self.run_main(['--help'])
        self.assertEqual(0, code)
        for name, command in main.COMMANDS:
            self.assertIn(name, out)
            self.assertEqual('mattach %s' % name, command.PROG)

    def test_every_subcommand_has_help(self):
        for name, command in main.COMMANDS:
            code, out, err = self.run_main([name, '--help'])
            self.assertEqual((0, ''), (code, err), name)
            self.assertTrue(out.startswith('usage: mattach %s ' % name), out)
            self.assertIn('--debug', out)

    def test_usage_errors_are_one_line(self):
        self.assertOneLineError(self.run_main([]), 'mattach: error: ')
        self.assertOneLineError(self.run_main(['nosuch']),
                                "invalid choice: 'nosuch'")
        self.assertOneLineError(self.run_main(['report', '--no-such']),
                                'error: unrecognized arguments: --no-such')
        self.assertOneLineError(self.run_main(['certification']),
                                'mattach certification: error: one of the '
                                'arguments')

    def test_bad_input_is_one_line(self):
        self.assertOneLineError(
            self.run_main(['report', '/nonexistent.subunit']),
            'mattach report: error: /nonexistent.subunit: cannot read')

    def test_unexpected_errors_are_one_line(self):
        _, report = main.COMMANDS[1]
        with mock.patch.object(report, 'run',
                               side_effect=RuntimeError('boom\nmore')):
            result = self.run_main(['report', '-'])
        self.assertOneLineError(result, 'mattach report: error: unexpected '
                                        'RuntimeError: boom (details with '
                                        '--debug)')

    def test_exit_codes(self):
        self.assertEqual((0, 1, 2), (common.EXIT_OK, common.EXIT_FAILED,
                                     common.EXIT_BAD_INPUT))

    def test_runs_as_a_module(self):
        proc = subprocess.run(
            [sys.executable, '-m', 'mattach_tempest.cli', 'certification',
             '--path'], cwd=base.REPO_ROOT, capture_output=True, text=True,
            timeout=120)
        self.assertEqual((0, ''), (proc.returncode, proc.stderr))
        self.assertTrue(proc.stdout.endswith(
            'mattach_tempest/data/certification-tests.txt\n'), proc.stdout)
