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

"""The certification profile: the installed list against the suite.

test_list_is_up_to_date is the CI check: it fails when a conformance test
was added, renamed, re-id'd or made admin without regenerating the list
(mattach certification --write).
"""

import io
import os
import re
import tempfile
from unittest import mock

from mattach_tempest.cli import certification as cert
from mattach_tempest.unit import base

NAME = ('mattach_tempest.tests.api.volume.test_multiattach_retype.'
        'MultiattachRetypeTest.test_available_retype_plain_to_multiattach')
UUID = '64955f35-b906-4669-9bbf-af7b52bffe18'


class DiscoveredTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        # Importing the suite must not read a developer's tempest.conf.
        self.useFixture(base.TempestConfigFixture())


class TestTheList(DiscoveredTestCase):

    def test_list_is_up_to_date(self):
        entries, errors = cert.discover()
        problems = cert.check(cert.DEFAULT_LIST, entries, errors)
        self.assertEqual([], problems,
                         'mattach_tempest/data/certification-tests.txt is '
                         'stale: run mattach certification --write')

    def test_admin_tests_are_left_out(self):
        entries, _ = cert.discover()
        self.assertTrue(any(e.admin for e in entries))
        listed, errors = cert.parse_list(cert.render(entries))
        self.assertEqual([], errors)
        for entry in entries:
            self.assertEqual(not entry.admin,
                             (entry.name, entry.uuid) in listed, entry)

    def test_every_line_selects_its_test_with_any_tags(self):
        entries, _ = cert.discover()
        regexes = [line for line in cert.render(entries).splitlines()
                   if line and not line.startswith('#')]
        for entry in entries:
            if entry.admin:
                continue
            for tags in ('[id-%s]', '[compute,id-%s,negative,slow,volume]'):
                test_id = entry.name + tags % entry.uuid
                self.assertEqual(
                    1, sum(bool(re.search(r, test_id)) for r in regexes),
                    test_id)


class TestCheckLogic(base.TestCase):

    def test_admin_credentials(self):
        self.assertFalse(cert.is_admin_credentials(['primary']))
        self.assertFalse(cert.is_admin_credentials(['primary', 'alt']))
        self.assertFalse(cert.is_admin_credentials(
            ['primary', ['reader', 'reader']]))
        self.assertTrue(cert.is_admin_credentials(['primary', 'admin']))
        self.assertTrue(cert.is_admin_credentials(['project_admin']))
        self.assertTrue(cert.is_admin_credentials(
            ['primary', ['boss', 'member', 'admin']]))

    def test_line_round_trip(self):
        entry = cert.Entry(NAME, UUID, False)
        line = cert.format_line(entry)
        self.assertEqual({(NAME, UUID)}, cert.parse_list(line)[0])
        self.assertTrue(re.search(line, NAME + '[id-%s,volume]' % UUID))
        self.assertIsNone(re.search(line, NAME + '[id-%s]' % UUID.replace(
            '6', '7')))
        self.assertIsNone(re.search(line, NAME + 'x[id-%s]' % UUID))

    def test_comments_and_bad_lines(self):
        line = cert.format_line(cert.Entry(NAME, UUID, False))
        listed, errors = cert.parse_list(
            '# header\n\n%s  # trailing comment\n%s\nmattach.*\n' % (
                line, line))
        self.assertEqual({(NAME, UUID)}, listed)
        self.assertEqual(2, len(errors))
        self.assertIn('line 4 repeats line 3', errors[0])
        self.assertIn('line 5 is not', errors[1])

    def test_stale_and_missing(self):
        entries = [cert.Entry(NAME, UUID, False),
                   cert.Entry(NAME + '_renamed', 'u-2', False),
                   cert.Entry(NAME + '_admin', 'u-3', True),
                   cert.Entry(NAME + '_new', 'u-4', False)]
        listed = {(NAME, UUID), (NAME + '_old', 'u-2'),
                  (NAME + '_admin', 'u-3'), (NAME + '_gone', 'u-5')}
        self.assertEqual([
            'stale: %s_admin [id-u-3] needs admin now' % NAME,
            'stale: %s_gone [id-u-5] is not in the suite' % NAME,
            'stale: %s_old [id-u-2] is now named %s_renamed' % (NAME, NAME),
            'missing: %s_new [id-u-4]' % NAME,
            'missing: %s_renamed [id-u-2]' % NAME,
        ], cert.compare(entries, listed))


class TestCommandLine(DiscoveredTestCase):

    def list_file(self, text=None):
        fd, path = tempfile.mkstemp(suffix='.txt')
        os.close(fd)
        self.addCleanup(os.unlink, path)
        if text is not None:
            with open(path, 'w') as f:
                f.write(text)
        return path

    def test_write_then_check(self):
        path = self.list_file()
        out = io.StringIO()
        self.assertEqual(0, cert.main(['--write', '--file', path], stdout=out))
        self.assertIn('wrote %s' % path, out.getvalue())
        out = io.StringIO()
        self.assertEqual(0, cert.main(['--check', '--file', path], stdout=out))
        self.assertIn('up to date', out.getvalue())

    def test_check_fails_on_a_missing_test(self):
        entries, _ = cert.discover()
        lines = cert.render(entries).splitlines(True)
        dropped = next(line for line in lines if line.startswith('^'))
        path = self.list_file(''.join(line for line in lines
                                      if line != dropped))
        out = io.StringIO()
        self.assertEqual(1, cert.main(['--check', '--file', path], stdout=out))
        self.assertIn('missing: ', out.getvalue())
        self.assertIn('1 problem(s)', out.getvalue())

    def test_check_of_a_missing_file(self):
        out = io.StringIO()
        self.assertEqual(1, cert.main(['--check', '--file',
                                       '/nonexistent.txt'], stdout=out))
        self.assertIn('cannot read /nonexistent.txt', out.getvalue())

    def run_main(self, argv):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stderr', err):
            try:
                code = cert.main(argv, stdout=out)
            except SystemExit as exc:   # argparse's usage errors
                code = exc.code
        return code, out.getvalue(), err.getvalue()

    def test_list_and_path_of_the_installed_list(self):
        code, out, err = self.run_main(['--path'])
        self.assertEqual((0, cert.DEFAULT_LIST + '\n', ''), (code, out, err))
        self.assertTrue(cert.DEFAULT_LIST.endswith(
            os.path.join('mattach_tempest', 'data',
                         'certification-tests.txt')))
        code, out, err = self.run_main(['--list'])
        with open(cert.DEFAULT_LIST) as f:
            self.assertEqual((0, f.read(), ''), (code, out, err))

    def test_write_to_stdout(self):
        code, out, err = self.run_main(['--write', '--file', '-'])
        self.assertEqual((0, ''), (code, err))
        with open(cert.DEFAULT_LIST) as f:
            self.assertEqual(f.read(), out)

    def test_write_outside_a_checkout_is_refused(self):
        with mock.patch.object(cert, 'in_checkout', return_value=False):
            code, out, err = self.run_main(['--write'])
        self.assertEqual((2, ''), (code, out))
        self.assertEqual(1, err.count('\n'), err)
        self.assertIn('--write changes the list of a checkout', err)

    def test_a_mode_is_required(self):
        code, out, err = self.run_main([])
        self.assertEqual((2, ''), (code, out))
        self.assertEqual(1, err.count('\n'), err)


class TestConfigCheck(base.TestCase):
    """--config-file: a tempest.conf acknowledging defects cannot certify."""

    def check(self, text=None, path=None):
        """(exit code, stdout, stderr) of --config-file on `text`."""
        if path is None:
            fd, path = tempfile.mkstemp(suffix='.conf')
            with os.fdopen(fd, 'w') as f:
                f.write(text)
            self.addCleanup(os.unlink, path)
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stderr', err):
            code = cert.main(['--config-file', path], stdout=out)
        return code, out.getvalue(), err.getvalue(), path

    def test_listed_defects_refused_in_one_line(self):
        code, out, err, path = self.check(
            '[auth]\nuse_dynamic_credentials = False\n[mattach]\n'
            'known_defects = cinder-readonly-access-mode, '
            'cinder-attachment-status-filter\n')
        self.assertEqual(cert.EXIT_FAILED, code)
        self.assertEqual('', out)
        self.assertEqual(
            'mattach certification: error: %s: [mattach] known_defects = '
            'cinder-readonly-access-mode, cinder-attachment-status-filter: '
            'a certification run reports every defect; empty the option\n'
            % path, err)

    def test_empty_or_absent_list_is_fit(self):
        for text in ('[mattach]\nknown_defects =\n',
                     '[mattach]\nservers_per_volume = 3\n',
                     '[compute]\nimage_ref = x\n'):
            code, out, err, path = self.check(text)
            self.assertEqual((cert.EXIT_OK, ''), (code, err), text)
            self.assertEqual('%s: [mattach] known_defects is empty: fit for '
                             'a certification run\n' % path, out)

    def test_missing_file_is_bad_input(self):
        code, out, err, _ = self.check(path='/nonexistent/tempest.conf')
        self.assertEqual(cert.EXIT_BAD_INPUT, code)
        self.assertEqual('mattach certification: error: no tempest.conf at '
                         '/nonexistent/tempest.conf\n', err)

    def test_unparsable_file_is_bad_input(self):
        code, out, err, path = self.check('known_defects without section\n')
        self.assertEqual(cert.EXIT_BAD_INPUT, code)
        self.assertTrue(err.startswith(
            'mattach certification: error: %s: ' % path), err)
        self.assertEqual(1, len(err.splitlines()), err)


class TestGateJob(DiscoveredTestCase):
    """.zuul.yaml runs this suite, and only it, with multiattach on."""

    def job(self, name):
        import yaml
        with open(os.path.join(base.REPO_ROOT, '.zuul.yaml')) as f:
            jobs = [item['job'] for item in yaml.safe_load(f)
                    if 'job' in item]
        return next(job for job in jobs if job['name'] == name)

    def test_job(self):
        job = self.job('mattach-tempest')
        self.assertEqual('devstack-tempest', job['parent'])
        variables = job['vars']
        localrc = variables['devstack_localrc']
        self.assertIs(True, localrc['ENABLE_VOLUME_MULTIATTACH'])
        self.assertEqual(['mattach-tempest'], variables['tempest_plugins'])
        self.assertEqual('all', variables['tox_envlist'])
        regex = re.compile(variables['tempest_test_regex'])
        entries, _ = cert.discover()
        self.assertTrue(entries)
        for entry in entries:
            self.assertTrue(regex.search(entry.name + '[id-%s]' % entry.uuid))
        self.assertIsNone(regex.search(
            'tempest.api.compute.volumes.test_attach_volume.'
            'AttachVolumeMultiAttachTest.test_list_get_volume_attachments'))

    def test_certification_job_uses_the_list(self):
        job = self.job('mattach-tempest-certification')
        self.assertEqual('mattach-tempest', job['parent'])
        # tempest's run-tempest role reads tempest_test_regex and no
        # include list: the regex is the list's lines joined, read from the
        # package data on the Zuul executor.
        self.assertNotIn('tempest_test_include_list', job['vars'])
        regex = job['vars']['tempest_test_regex']
        self.assertIn("lookup('file'", regex)
        self.assertIn("/mattach_tempest/data/certification-tests.txt'",
                      regex)
        self.assertTrue(os.path.exists(os.path.join(
            base.REPO_ROOT, 'mattach_tempest', 'data',
            'certification-tests.txt')))
        self.assertIn("join('|')", regex)
        localrc = job['vars']['devstack_localrc']
        self.assertIs(True, localrc['TEMPEST_USE_TEST_ACCOUNTS'])
        self.assertIs(False, localrc['TEMPEST_HAS_ADMIN'])
        self.assertEqual('', job['vars']['devstack_local_conf'][
            'test-config']['$TEMPEST_CONFIG']['mattach']['known_defects'])
