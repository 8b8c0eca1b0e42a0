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

"""`mattach timing`: tempest.log's wait lines added up per test class."""

import datetime
import io
import json
import os
import tempfile
from unittest import mock

import fixtures

from mattach_tempest.cli import timing as command
from mattach_tempest.common import timing
from mattach_tempest.unit import base
from mattach_tempest.unit import test_report

API = 'mattach_tempest.tests.api.compute.'
ATTACH_CLASS = API + 'test_multiattach_attach.TestMultiattachAttach'
NEGATIVE_CLASS = API + 'test_multiattach_negative.TestMultiattachNegative'


def log_line(stamp, kind, class_name, seconds, server='srv-1', failed=False):
    return '%s.123 4711 INFO mattach_tempest.common.timing [-] %s\n' % (
        stamp, timing.format_line(kind, class_name, server, seconds, failed))


OLD_RUN = [log_line('2026-11-30 10:00:00', 'boot', NEGATIVE_CLASS, 99.0)]
RUN = [
    '2026-11-30 11:00:00.001 4711 INFO tempest.lib.common.rest_client '
    '[req-1] Request (TestMultiattachAttach:test_x): 202 POST http://x\n',
    log_line('2026-11-30 11:00:01', 'boot', ATTACH_CLASS, 10.0),
    log_line('2026-11-30 11:00:02', 'boot', ATTACH_CLASS, 0.5, 'srv-2'),
    log_line('2026-11-30 11:00:03', 'attach', ATTACH_CLASS, 2.0),
    log_line('2026-11-30 11:00:04', 'detach', ATTACH_CLASS, 1.0),
    log_line('2026-11-30 11:00:05', 'delete', ATTACH_CLASS, 3.0),
    log_line('2026-11-30 11:00:05', 'boot-ssh', NEGATIVE_CLASS, 20.0,
             failed=True),
    log_line('2026-11-30 11:00:06', 'ssh', NEGATIVE_CLASS, 4.0),
]


class TestAggregate(base.TestCase):

    def test_since(self):
        waits = command.read_waits(OLD_RUN + RUN, '2026-11-30 11:00:00')
        self.assertEqual(7, len(waits))
        self.assertEqual(8, len(command.read_waits(OLD_RUN + RUN)))

    def test_a_damaged_line_names_its_number(self):
        exc = self.assertRaises(
            command.common.BadInput, command.read_waits,
            RUN[:2] + ['x mattach-wait kind=boot seconds=1\n'])
        self.assertIn('line 3: damaged mattach-wait line', str(exc))

    def test_per_class_largest_wait_first(self):
        result = command.aggregate(command.read_waits(RUN))
        negative, attach = result['classes']
        self.assertEqual((NEGATIVE_CLASS, 1, 24.0, 1),
                         (negative['class'], negative['servers'],
                          negative['waited'], negative['failed']))
        self.assertEqual((ATTACH_CLASS, 2, 16.5),
                         (attach['class'], attach['servers'],
                          attach['waited']))
        self.assertEqual({'boot': 10.5, 'boot-ssh': 0.0, 'ssh': 0.0,
                          'attach': 2.0, 'detach': 1.0, 'delete': 3.0},
                         attach['seconds'])
        self.assertEqual(2, attach['counts']['boot'])
        totals = result['totals']
        self.assertEqual((3, 40.5, 1, None),
                         (totals['servers'], totals['waited'],
                          totals['failed'], totals['tests']))

    def test_test_seconds_per_class(self):
        tests = {ATTACH_CLASS: 30.25}
        result = command.aggregate(command.read_waits(RUN), tests)
        self.assertEqual([0.0, 30.25],
                         [row['tests'] for row in result['classes']])
        self.assertEqual(30.25, result['totals']['tests'])

    def test_class_seconds_count_fixtures_per_worker(self):
        def at(second):
            return datetime.datetime(2026, 11, 30, 10, 0, second,
                                     tzinfo=datetime.timezone.utc)

        def test(class_name, method, start, end, worker):
            return {'id': '%s.%s' % (class_name, method),
                    'timestamps': [at(start), at(end)],
                    'tags': {'worker-%d' % worker}}

        tests = [
            # worker 0: ATTACH's setUpClass 0-5, its tests 5-12; the
            # negative class's fixtures 12-20, its test 20-30.
            test(ATTACH_CLASS, 'test_a', 5, 9, 0),
            test(ATTACH_CLASS, 'test_b', 9, 12, 0),
            test(NEGATIVE_CLASS, 'test_c', 20, 30, 0),
            # worker 1: a class skipped in setUpClass, 0-2 s in.
            {'id': 'setUpClass (%s)' % (API + 'test_x.Skipped'),
             'timestamps': [at(0), at(2)], 'tags': {'worker-1'}},
            {'id': 'no.times.Test.test_d', 'timestamps': [None, None],
             'tags': {'worker-1'}},
        ]
        self.assertEqual({ATTACH_CLASS: 12.0, NEGATIVE_CLASS: 18.0,
                          API + 'test_x.Skipped': 2.0},
                         command.class_seconds(tests))
        self.assertEqual({}, command.class_seconds([]))

    def test_class_of_a_test_id(self):
        self.assertEqual(ATTACH_CLASS, command.class_of(
            ATTACH_CLASS + '.test_x[compute,id-1234,volume]'))
        self.assertEqual(ATTACH_CLASS, command.class_of(
            'setUpClass (%s)' % ATTACH_CLASS))

    def test_table(self):
        text = command.render_text(
            command.aggregate(command.read_waits(RUN), {}), 'tempest.log')
        lines = text.splitlines()
        self.assertEqual(
            'Seconds spent waiting, per test class, from tempest.log',
            lines[0])
        self.assertEqual(['CLASS', 'SERVERS', 'BOOT', 'BOOT+SSH', 'ATTACH',
                          'DETACH', 'DELETE', 'WAITED', 'TESTS'],
                         lines[2].split())
        self.assertEqual(['TestMultiattachNegative', '1', '0.0', '24.0',
                          '0.0', '0.0', '0.0', '24.0', '0.0'],
                         lines[4].split())
        self.assertEqual(['TestMultiattachAttach', '2', '10.5', '0.0', '2.0',
                          '1.0', '3.0', '16.5', '0.0'], lines[5].split())
        self.assertTrue(lines[6].startswith('-----'))
        self.assertEqual(['TOTAL', '(2', 'classes)', '3', '10.5', '24.0',
                          '2.0', '1.0', '3.0', '40.5', '0.0'],
                         lines[7].split())
        self.assertEqual('1 wait(s) ended in an error (counted above).',
                         lines[8])

    def test_same_class_names_keep_their_modules(self):
        other = 'mattach_tempest.tests.api.admin.x.TestMultiattachAttach'
        text = command.render_text(command.aggregate(command.read_waits(
            RUN[1:2] + [log_line('2026-11-30 11:00:01', 'boot', other, 1)])),
            'tempest.log')
        self.assertIn(ATTACH_CLASS, text)
        self.assertIn(other, text)
        self.assertNotIn('TESTS', text)


class TestCommand(base.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def write(self, lines):
        path = os.path.join(self.tmp, 'tempest.log')
        with open(path, 'w') as f:
            f.writelines(lines)
        return path

    def run_command(self, argv, stdin=None):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stdout', out), mock.patch('sys.stderr', err):
            try:
                code = command.main(argv, stdin=stdin)
            except SystemExit as exc:   # argparse: --help, usage errors
                code = exc.code
        return code, out.getvalue(), err.getvalue()

    def assertOneLineError(self, result, code, fragment):
        rc, out, err = result
        self.assertEqual((code, ''), (rc, out), err)
        self.assertEqual(1, err.count('\n'), err)
        self.assertNotIn('Traceback', err)
        self.assertIn(fragment, err)

    def test_table(self):
        code, out, err = self.run_command([self.write(OLD_RUN + RUN)])
        self.assertEqual((0, ''), (code, err))
        self.assertRegex(out, r'\nTOTAL \(2 classes\) +4 +109.5 ')

    def test_json_since_and_subunit(self):
        path = self.write(OLD_RUN + RUN)
        code, out, err = self.run_command(
            ['--json', '--since', '2026-11-30 11:00:00',
             '--subunit', test_report.FIXTURE, path])
        self.assertEqual((0, ''), (code, err))
        result = json.loads(out)
        self.assertEqual((path, '2026-11-30 11:00:00', 40.5),
                         (result['source'], result['since'],
                          result['totals']['waited']))
        self.assertIsInstance(result['totals']['tests'], float)

    def test_from_byte(self):
        path = self.write(OLD_RUN + RUN)
        offset = len(''.join(OLD_RUN).encode())
        code, out, err = self.run_command(['--from-byte', str(offset), path])
        self.assertEqual((0, ''), (code, err))
        self.assertIn('from %s (from byte %d)\n' % (path, offset), out)
        self.assertRegex(out, r'\nTOTAL \(2 classes\) +3 +10.5 ')
        size = len(''.join(OLD_RUN + RUN).encode())
        self.assertOneLineError(
            self.run_command(['--from-byte', str(size), path]), 1,
            'no mattach-wait lines in %s (from byte %d)' % (path, size))
        self.assertOneLineError(
            self.run_command(['--from-byte', str(size + 1), path]), 2,
            '%s: --from-byte %d is past its end' % (path, size + 1))
        self.assertOneLineError(
            self.run_command(['--from-byte', '-1', path]), 2,
            '--from-byte takes a size of the log file, not -1')

    def test_stdin(self):
        code, out, _err = self.run_command(['-'], stdin=io.StringIO(
            ''.join(RUN)))
        self.assertEqual(0, code)
        self.assertIn('from stdin', out)

    def test_no_wait_lines(self):
        path = self.write(RUN[:1])
        self.assertOneLineError(self.run_command([path]), 1,
                                'no mattach-wait lines in %s' % path)
        self.assertOneLineError(
            self.run_command(['--since', '2026-12-01 00:00:00',
                              self.write(RUN)]), 1,
            'no mattach-wait lines in %s since 2026-12-01 00:00:00' % path)

    def test_bad_input(self):
        path = self.write(RUN)
        missing = os.path.join(self.tmp, 'missing.log')
        self.assertOneLineError(self.run_command([missing]), 2,
                                '%s: cannot read' % missing)
        self.assertOneLineError(
            self.run_command([self.write(['mattach-wait kind=x\n'])]), 2,
            'line 1: damaged mattach-wait line')
        self.assertOneLineError(
            self.run_command(['--since', 'yesterday', path]), 2,
            "--since 'yesterday' is not 'YYYY-MM-DD HH:MM:SS'")
        with tempfile.NamedTemporaryFile(suffix='.subunit') as stream:
            stream.write(b'not a stream\n')
            stream.flush()
            self.assertOneLineError(
                self.run_command(['--subunit', stream.name, path]), 2,
                '%s: not a subunit v2 stream' % stream.name)
        self.assertOneLineError(
            self.run_command(['--subunit', '-', '-']), 2,
            'stdin cannot be both the log and the stream')
        self.assertOneLineError(self.run_command([]), 2,
                                'the following arguments are required')

    def test_help(self):
        code, out, err = self.run_command(['--help'])
        self.assertEqual((0, ''), (code, err))
        self.assertIn('--since', out)
