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

"""tools/minicloud run's timing table: `mattach timing` on this run only.

The command runs in the cloud's venv; here the one it would run is this
interpreter (test_minicloud_totals.here).
"""

import io
import os
from unittest import mock

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import test_minicloud_totals
from mattach_tempest.unit import test_timing_command

cli = test_minicloud_totals.cli


class TestTimingReport(base.TestCase):

    def report(self, lines, offset, subunit=None):
        """(stdout, what minicloud logged) of _timing_report."""
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'tempest.log')
        with open(path, 'w') as f:
            f.writelines(lines)
        out, logged = io.StringIO(), []
        with mock.patch.object(cli, '_mattach', test_minicloud_totals.here), \
                mock.patch.object(cli, 'log', logged.append), \
                mock.patch('sys.stdout', out):
            cli._timing_report(path, offset, subunit)
        return out.getvalue(), logged

    def test_the_runs_own_lines(self):
        old = test_timing_command.OLD_RUN
        offset = len(''.join(old).encode())
        out, logged = self.report(old + test_timing_command.RUN, offset,
                                  test_minicloud_totals.FIXTURE)
        self.assertEqual([], logged)
        self.assertRegex(out, r'\nTOTAL \(2 classes\) +3 +10.5 .* 40.5 ')
        self.assertTrue(out.splitlines()[0].endswith(
            'tempest.log (from byte %d)' % offset), out)
        self.assertIn('TESTS', out)

    def test_no_wait_in_the_run_is_said(self):
        old = test_timing_command.OLD_RUN
        out, logged = self.report(old, len(''.join(old).encode()))
        self.assertEqual('', out)
        self.assertEqual(1, len(logged))
        self.assertRegex(logged[0], r'^no timing: mattach timing: error: no '
                         r'mattach-wait lines in .*tempest.log \(from byte ')

    def test_no_log_is_said(self):
        with mock.patch.object(cli, 'log') as log, \
                mock.patch.object(cli, '_mattach', test_minicloud_totals.here):
            cli._timing_report('/nonexistent/tempest.log', 0, None)
        log.assert_called_once_with(
            'no timing: mattach timing: error: /nonexistent/tempest.log: '
            'cannot read: No such file or directory')
