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

"""`mattach preflight`: rendering, exit codes, one-line errors, timeout.

The run from arguments to exit code on a fake probe; then the command in a
subprocess, for one-line errors without a traceback and for --timeout
bounding each HTTP request.
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from unittest import mock

from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import checks
from mattach_tempest.cli.preflight import command
from mattach_tempest.cli.preflight import model
from mattach_tempest.unit import base
from mattach_tempest.unit.preflight_fakes import ChecksTestCase
from mattach_tempest.unit.preflight_fakes import FakeProbe
from mattach_tempest.unit.preflight_fakes import healthy_answers
from mattach_tempest.unit.preflight_fakes import healthy_settings
from mattach_tempest.unit.preflight_fakes import PASS
from mattach_tempest.unit.preflight_fakes import versions


class TestRunAndRender(ChecksTestCase):

    def run_main(self, answers=None, settings=None, args=(), is_admin=True,
                 config_file=None):
        settings = settings or healthy_settings()
        probe = FakeProbe(answers or healthy_answers())
        if config_file is None:
            fd, config_file = tempfile.mkstemp(suffix='.conf')
            os.close(fd)
            self.addCleanup(os.unlink, config_file)

        def connect(path, timeout):
            self.assertEqual(config_file, path)
            return settings, probe, is_admin, 'admin at http://keystone/v3'
        out = io.StringIO()
        code = command.main(['--config-file', config_file] + list(args),
                            stdout=out, connect=connect)
        return code, out.getvalue()

    def test_healthy_cloud_passes_everything(self):
        code, out = self.run_main()
        self.assertEqual(0, code)
        self.assertIn('0 FAIL, 0 UNKNOWN; no hard requirement failed', out)
        self.assertNotIn('Suggested', out)
        self.assertIn('STATUS  REQ   CHECK', out)

    def test_every_check_has_a_row(self):
        code, out = self.run_main(args=['--json'])
        data = json.loads(out)
        self.assertEqual([c.label for c in checks.CHECKS],
                         [r['check'] for r in data['checks']])
        self.assertTrue(data['ok'])
        self.assertEqual({PASS}, {r['status'] for r in data['checks']})

    def test_hard_failure_exits_1_and_suggests_conf(self):
        settings = healthy_settings(compute_max_microversion=None,
                                    volume_multiattach=False)
        code, out = self.run_main(settings=settings)
        self.assertEqual(common.EXIT_FAILED, code)
        self.assertIn('Suggested tempest.conf changes:\n  [compute-feature-'
                      'enabled]\n  volume_multiattach = True\n  [compute]\n'
                      '  max_microversion = 2.104\n', out)

    def test_json_suggestions(self):
        settings = healthy_settings(volume_max_microversion=None)
        code, out = self.run_main(settings=settings, args=['--json'])
        data = json.loads(out)
        self.assertEqual(1, code)
        self.assertFalse(data['ok'])
        self.assertEqual({'volume': {'max_microversion': '3.71'}},
                         data['suggested_conf'])

    def test_known_defects_warning_does_not_fail(self):
        settings = healthy_settings(
            known_defects=['cinder-readonly-access-mode'])
        for args in ((), ('--strict',)):
            code, out = self.run_main(settings=settings, args=args)
            self.assertEqual(0, code, args)
            self.assertIn('WARN    soft  [mattach] known_defects', out)
            self.assertIn('1 WARN, 0 FAIL, 0 UNKNOWN; no hard requirement '
                          'failed', out)
            self.assertNotIn('Suggested', out)
        code, out = self.run_main(settings=settings, args=['--json'])
        data = json.loads(out)
        self.assertTrue(data['ok'])
        [row] = [r for r in data['checks'] if r['status'] == model.WARN]
        self.assertEqual('[mattach] known_defects', row['check'])
        self.assertIn('cinder-readonly-access-mode', row['reason'])

    def test_soft_failure_exits_0_unless_strict(self):
        answers = healthy_answers()
        answers.update(versions(volume='3.50'))
        settings = healthy_settings(volume_max_microversion='3.50')
        self.assertEqual(0, self.run_main(answers, settings)[0])
        self.assertEqual(1, self.run_main(answers, settings,
                                          args=['--strict'])[0])

    def test_non_admin_unknowns_do_not_fail(self):
        answers = healthy_answers()
        for question in ('pools', 'hypervisors', 'resource_providers'):
            answers[question] = model.Hidden('%s: 403 Forbidden' % question)
        code, out = self.run_main(answers, is_admin=False)
        self.assertEqual(0, code)
        self.assertIn('3 UNKNOWN', out)

    def test_missing_config_file_is_one_line(self):
        err = io.StringIO()
        with mock.patch('sys.stderr', err):
            code = command.main(
                ['--config-file', '/nonexistent/tempest.conf'],
                stdout=io.StringIO(),
                connect=lambda *a: self.fail('connected'))
        self.assertEqual(2, code)
        self.assertEqual('mattach preflight: error: no tempest.conf at '
                         '/nonexistent/tempest.conf (give --config-file, or '
                         'run in a tempest workspace)\n', err.getvalue())

    def test_connect_errors_are_one_line(self):
        def connect(path, timeout):
            raise common.BadInput('identity endpoint http://x/v3 '
                                  'unreachable: connection refused')
        with tempfile.NamedTemporaryFile(suffix='.conf') as conf:
            err = io.StringIO()
            with mock.patch('sys.stderr', err):
                code = command.main(['--config-file', conf.name],
                                    stdout=io.StringIO(), connect=connect)
        self.assertEqual(2, code)
        self.assertEqual(1, err.getvalue().count('\n'))

    def test_default_config_path(self):
        self.assertEqual('/ws/etc/tempest.conf',
                         command.default_config_path({}, '/ws'))
        self.assertEqual('/c/my.conf', command.default_config_path(
            {'TEMPEST_CONFIG_DIR': '/c', 'TEMPEST_CONFIG': 'my.conf'}, '/ws'))
        self.assertEqual('/ws/etc/my.conf', command.default_config_path(
            {'TEMPEST_CONFIG': 'my.conf'}, '/ws'))


class TestCommandLine(base.TestCase):
    """tools/mattach preflight in a subprocess: a one-line error."""

    def run_tool(self, *args, conf_text=None):
        env = dict(os.environ)
        env.pop('TEMPEST_CONFIG_DIR', None)
        env.pop('TEMPEST_CONFIG', None)
        workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.call, ['rm', '-rf', workdir])
        if conf_text is not None:
            os.mkdir(os.path.join(workdir, 'etc'))
            with open(os.path.join(workdir, 'etc', 'tempest.conf'), 'w') as f:
                f.write(conf_text)
        env['HOME'] = workdir
        proc = subprocess.run(
            [sys.executable, os.path.join(base.REPO_ROOT, 'tools', 'mattach'),
             'preflight'] + list(args),
            cwd=workdir, env=env, capture_output=True, text=True,
            timeout=120)
        return proc

    def assertOneLineError(self, proc, fragment):
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertNotIn('Traceback', proc.stderr)
        self.assertEqual(1, proc.stderr.count('\n'), proc.stderr)
        self.assertIn(fragment, proc.stderr)

    def test_no_tempest_conf(self):
        self.assertOneLineError(self.run_tool(), 'no tempest.conf at ')

    def test_unreachable_identity_endpoint(self):
        with socket_closed_port() as port:
            proc = self.run_tool(conf_text=(
                '[auth]\nadmin_username = admin\nadmin_password = pw\n'
                'admin_project_name = admin\nadmin_domain_name = Default\n'
                '[identity]\nuri_v3 = http://127.0.0.1:%d/v3\n' % port))
        self.assertOneLineError(proc, 'unreachable: connection refused')

    def test_timeout_bounds_a_silent_identity_endpoint(self):
        # tempest's own [service-clients] http_timeout (60 s) must not win.
        with silent_port() as port:
            started = time.monotonic()
            proc = self.run_tool('--timeout', '2', conf_text=(
                '[auth]\nadmin_username = admin\nadmin_password = pw\n'
                'admin_project_name = admin\nadmin_domain_name = Default\n'
                '[identity]\nuri_v3 = http://127.0.0.1:%d/v3\n' % port))
            elapsed = time.monotonic() - started
        self.assertOneLineError(proc, 'unreachable: ')
        self.assertLess(elapsed, 20, proc.stderr)

    def test_bad_timeout_is_bad_input(self):
        for value in ('0', '-3', 'soon'):
            proc = self.run_tool('--timeout', value)
            self.assertOneLineError(proc, 'not a positive number of seconds')

    def test_no_credentials(self):
        proc = self.run_tool(conf_text='[identity]\nuri_v3 = http://x/v3\n')
        self.assertOneLineError(proc, 'no credentials in ')

    def test_unparsable_tempest_conf(self):
        proc = self.run_tool(conf_text='this is not ini\n[auth\n')
        self.assertOneLineError(proc, 'cannot read ')


class socket_closed_port:
    """A local TCP port nothing listens on (bound, then closed)."""

    def __enter__(self):
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        sock.close()
        return port

    def __exit__(self, *exc):
        return False


class silent_port:
    """A local TCP port that accepts connections and never answers."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
        return False
