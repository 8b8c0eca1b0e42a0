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

"""tempest's hacking checks as this project's flake8 runs them."""

import os
import subprocess
import sys
import textwrap
import tokenize

import fixtures

from mattach_tempest.hacking import checks
from mattach_tempest.unit import base

SAMPLES = {
    # A negative module: one test tagged, one not; and other T-rules.
    'mattach_tempest/tests/api/compute/test_sample_negative.py': '''
        import uuid

        import testtools
        from tempest.lib.common.utils import data_utils
        from tempest.lib import decorators

        from mattach_tempest.tests.api import base


        class SampleNegativeTest(base.MultiattachBaseTest):

            @classmethod
            def setUpClass(cls):
                pass

            @decorators.attr(type=['negative', 'slow'])
            @decorators.idempotent_id('0c2f1d45-5d23-4b58-9a43-7e0b2d3e9a10')
            def test_tagged(self):
                pass

            @decorators.idempotent_id('1d3f2e56-6e34-4c69-8b54-8f1c3e4f0b21')
            def test_untagged(self, names={}):
                uuid.uuid4()
                data_utils.rand_name('x-')

            @testtools.skip('no')
            def test_skipped(self):
                self.LOG.warn('old')
        ''',
    'mattach_tempest/tests/api/compute/test_sample_admin.py': '''
        from mattach_tempest.tests.api import base


        class SampleAdminTest(base.MultiattachAdminBaseTest):
            pass
        ''',
    'mattach_tempest/tests/api/admin/test_sample_admin.py': '''
        from mattach_tempest.tests.api import base


        class SampleAdminTest(base.MultiattachAdminBaseTest):
            pass
        ''',
    'mattach_tempest/tests/scenario/test_sample.py': '''
        import novaclient

        from tempest.lib import decorators

        from mattach_tempest.common import unstable


        class SampleScenarioTest(object):

            @decorators.idempotent_id('2e4a3f67-7f45-4d7a-9c65-9a2d4f5a1c32')
            @unstable.services('compute', 'volume')
            def test_tagged(self):
                pass

            @unstable.services('compute', 'volume')
            @decorators.idempotent_id('3f5b4a78-8a56-4e8b-8d76-ab3e5a6b2d43')
            def test_services_not_last(self):
                pass
        ''',
    'mattach_tempest/services/sample_client.py': '''
        from tempest.lib.common import rest_client


        class SampleClient(rest_client.RestClient):

            def get_things(self):
                return self.get('things')

            def remove_thing(self, thing_id):
                return self.delete('things/%s' % thing_id)

            def show_thing(self, thing_id):
                return self.get('things/%s' % thing_id)
        ''',
    # The project's own tests are out of scope.
    'mattach_tempest/unit/test_sample.py': '''
        import uuid

        import testtools


        class SampleTest(testtools.TestCase):

            @classmethod
            def setUpClass(cls):
                uuid.uuid4()
        ''',
}

EXPECTED = [
    ('mattach_tempest/services/sample_client.py', 6, 'T110'),
    ('mattach_tempest/services/sample_client.py', 9, 'T111'),
    ('mattach_tempest/tests/api/compute/test_sample_admin.py', 4, 'T115'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 13,
     'T105'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 22,
     'N322'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 22,
     'T117'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 23,
     'T113'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 24,
     'T108'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 26,
     'T109'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 27,
     'T117'),
    ('mattach_tempest/tests/api/compute/test_sample_negative.py', 28,
     'T118'),
    ('mattach_tempest/tests/scenario/test_sample.py', 1, 'T102'),
    ('mattach_tempest/tests/scenario/test_sample.py', 17, 'T104'),
]


class AsTempestPathTest(base.TestCase):

    def test_mapping(self):
        for ours, theirs in (
                ('./mattach_tempest/tests/api/admin/test_x.py',
                 './tempest/api/admin/test_x.py'),
                ('mattach_tempest/tests/scenario/test_x.py',
                 './tempest/scenario/test_x.py'),
                ('./mattach_tempest/services/volume/attachments_client.py',
                 'tempest/services/volume/attachments_client.py'),
                ('/abs/repo/mattach_tempest/tests/api/base.py',
                 './tempest/api/base.py'),
                ('./mattach_tempest/unit/test_plugin.py', None),
                ('./mattach_tempest/common/waiters.py', None),
                ('./not_mattach_tempest/tests/test_x.py', None),
                ('./tools/minicloud', None)):
            self.assertEqual(theirs, checks.as_tempest_path(ours), ours)


class WithStringLiteralsTest(base.TestCase):

    def test_restores_masked_literals(self):
        source = "@decorators.attr(type=['negative', \"slow\"])\n"
        tokens = list(tokenize.generate_tokens(iter([source]).__next__))
        masked = "@decorators.attr(type=['xxxxxxxx', \"xxxx\"])"
        self.assertEqual(source.strip(),
                         checks.with_string_literals(masked, tokens))


class Flake8Test(base.TestCase):
    """Run the project's flake8 configuration over sample files."""

    def test_reported_codes(self):
        workdir = self.useFixture(fixtures.TempDir()).path
        for path, text in SAMPLES.items():
            full = os.path.join(workdir, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, 'w') as f:
                f.write(textwrap.dedent(text).lstrip('\n'))
        proc = subprocess.run(
            [sys.executable, '-m', 'flake8', '-j', '1',
             '--config', os.path.join(base.REPO_ROOT, 'setup.cfg'),
             '--select', 'T,N322', '--format',
             '%(path)s:%(row)d:%(code)s', 'mattach_tempest'],
            cwd=workdir, capture_output=True, text=True, timeout=120)
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        # tempest's messages read 'T115: ...': flake8 keeps the colon.
        found = sorted(
            (path, int(row), code.rstrip(':')) for path, row, code in
            (line.split(':', 2) for line in proc.stdout.split()))
        self.assertEqual(EXPECTED, found, proc.stdout + proc.stderr)
