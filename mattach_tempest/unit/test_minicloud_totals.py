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

"""tools/minicloud's totals of a run: `mattach report --totals` on its stream.

The command runs in the cloud's venv; here the one it would run is this
interpreter, on the report's recorded stream and on bytes that are not one.
"""

import os
import subprocess
import sys
import tempfile
from unittest import mock

from mattach_tempest.unit import base

sys.path.insert(0, os.path.join(base.REPO_ROOT, 'tools'))
from minicloud_lib import cli  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'report_run.subunit')


def here(*args):
    return [sys.executable, '-m', 'mattach_tempest.cli'] + list(args)


class TestTotals(base.TestCase):

    def totals(self, path):
        run = subprocess.run

        def quiet(*args, **kwargs):   # the one-line reason: not here
            return run(*args, stderr=subprocess.DEVNULL, **kwargs)
        with mock.patch.object(cli, '_mattach', here), \
                mock.patch.object(cli.subprocess, 'run', quiet):
            return cli._totals(path)

    def test_stream(self):
        self.assertEqual({'Passed': 5, 'Failed': 3, 'Skipped': 2},
                         self.totals(FIXTURE))

    def test_not_a_stream_counts_nothing(self):
        with tempfile.NamedTemporaryFile(suffix='.subunit') as f:
            f.write(b' - Passed: 7\n')
            f.flush()
            totals = self.totals(f.name)
        self.assertEqual({'Passed': 0, 'Failed': 0, 'Skipped': 0}, totals)

    def test_parse_totals(self):
        self.assertEqual({'Passed': 1, 'Failed': 0, 'Skipped': 12},
                         cli.parse_totals('1 passed, 0 failed, 12 skipped\n'))
        self.assertEqual({'Passed': 0, 'Failed': 0, 'Skipped': 0},
                         cli.parse_totals('- Passed: 3'))
