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

"""The dying-service drill's pure parts: config copy, bounds, messages."""

import configparser
import os

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (tools/ on path)
from minicloud_lib.drills import dying_service
from minicloud_lib.drills import failures
from minicloud_lib.drills import stream_tests

VOLUME = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b'
SERVER = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d'
SUBUNIT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'report_run.subunit')


def traceback(exception, *frames):
    lines = ['Traceback (most recent call last):']
    for path, func in frames or (('/x/mattach_tempest/tests/t.py',
                                  'test_x'),):
        lines += ['  File "%s", line 10, in %s' % (path, func),
                  '    call()']
    return '\n'.join(lines + [exception]) + '\n'


TEMPEST_WAIT = traceback(
    'tempest.lib.exceptions.TimeoutException: Request timed out\n'
    'Details: Volume %s failed to reach available status (current '
    'creating) within the required time (60 s).' % VOLUME,
    ('/v/tempest/common/waiters.py', 'wait_for_volume_resource_status'))
OUR_WAIT = traceback(
    'tempest.lib.exceptions.TimeoutException: Request timed out\n'
    'Details: Timed out after 60 s waiting for volume %s to be attached '
    'to server %s; last seen: {}' % (VOLUME, SERVER))
API_ERROR = traceback(
    'tempest.lib.exceptions.ServerFault: Got server fault\n'
    'Details: {"message": "MessagingTimeout"}',
    ('/x/mattach_tempest/tests/t.py', 'test_x'),
    ('/v/tempest/lib/services/volume/v3/volumes_client.py', 'create_volume'),
    ('/v/tempest/lib/common/rest_client.py', 'post'),
    ('/v/tempest/lib/common/rest_client.py', '_error_checker'))
ASSERTION = traceback(
    "testtools.matchers._impl.MismatchError: 'in-use' != 'available'")


class ShortConfigTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.source = os.path.join(self.dir, 'tempest.conf')
        with open(self.source, 'w') as out:
            out.write('[compute]\nbuild_timeout = 120\nimage_ref = abc\n'
                      '[auth]\nadmin_password = 100%secret\n')

    def test_every_wait_timeout_is_set_the_rest_kept(self):
        target = os.path.join(self.dir, 'copy.conf')
        dying_service.short_config(self.source, target, 45)
        copy = configparser.ConfigParser(interpolation=None)
        copy.read(target)
        for section, option in dying_service.TIMEOUT_OPTIONS:
            self.assertEqual('45', copy.get(section, option))
        self.assertEqual('abc', copy.get('compute', 'image_ref'))
        self.assertEqual('100%secret', copy.get('auth', 'admin_password'))
        with open(self.source) as src:
            self.assertIn('build_timeout = 120', src.read())


class BoundsTest(base.TestCase):

    def conf(self, text):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_string(text)
        return conf

    def test_tempest_defaults_for_unset_interval_and_http_timeout(self):
        bound = dying_service.bounds(
            self.conf('[compute]\nbuild_timeout = 60\n'
                      '[volume]\nbuild_timeout = 50\n'),
            outage=100, nominal=150, test_work=60)
        self.assertEqual(60, bound.wait)
        self.assertEqual(60 + 1 + 60, bound.one_wait)
        self.assertEqual(60 + 100 + 121, bound.test)
        self.assertEqual(150 + bound.test, bound.run)

    def test_configured_interval_and_http_timeout(self):
        bound = dying_service.bounds(
            self.conf('[volume]\nbuild_timeout = 30\nbuild_interval = 5\n'
                      '[service-clients]\nhttp_timeout = 20\n'),
            outage=0, nominal=0, test_work=0)
        self.assertEqual((30, 55, 55, 55), tuple(bound))


class FailuresTest(base.TestCase):

    def test_exception_text_follows_the_last_frame(self):
        self.assertEqual(
            'tempest.lib.exceptions.ServerFault: Got server fault\n'
            'Details: {"message": "MessagingTimeout"}',
            failures.exception_text(API_ERROR))

    def test_tempest_and_our_waits_are_explained(self):
        for tb in (TEMPEST_WAIT, OUR_WAIT):
            self.assertEqual((True, 'a wait on %s' % VOLUME),
                             failures.explanation(tb))

    def test_api_error_names_its_request(self):
        self.assertEqual((True, 'the request volumes_client.create_volume'),
                         failures.explanation(API_ERROR))

    def test_assertion_and_idless_timeout_are_not_explained(self):
        idless = traceback('tempest.lib.exceptions.TimeoutException: '
                           'Request timed out\nDetails: waiting for it')
        for tb in (ASSERTION, idless, ''):
            self.assertFalse(failures.explanation(tb)[0])

    def test_first_lines_are_cut(self):
        self.assertEqual(['a', 'b' * 7 + '...'],
                         failures.first_lines('a\n' + 'b' * 20 + '\nc',
                                              count=2, width=10))


def result(test_id, status, took=10, tb=''):
    return {'id': test_id, 'status': status, 'start': 1000.0,
            'stop': 1000.0 + took, 'traceback': tb}


class ChecksTest(base.TestCase):

    bound = dying_service.Bounds(wait=60, one_wait=121, test=300, run=500)

    def test_explained_failures_in_time_hold(self):
        tests = [result('a', 'success'), result('b', 'fail', 70, OUR_WAIT),
                 result('c', 'fail', 61, API_ERROR)]
        self.assertEqual([], dying_service.checks(tests, 400, self.bound))

    def test_no_failure_proves_nothing(self):
        found = dying_service.checks([result('a', 'success')], 100,
                                     self.bound)
        self.assertEqual(1, len(found))
        self.assertIn('no test failed', found[0])

    def test_late_run_long_test_unexplained_failure(self):
        tests = [result('a', 'fail', 301, TEMPEST_WAIT),
                 result('b', 'fail', 10, ASSERTION)]
        found = dying_service.checks(tests, 501, self.bound)
        self.assertEqual(3, len(found))
        self.assertIn('the run took 501 s', found[0])
        self.assertIn('a took 301 s', found[1])
        self.assertIn("b: its failure names no wait", found[2])
        self.assertIn("MismatchError: 'in-use' != 'available'", found[2])

    def test_report_counts_and_failures(self):
        lines = dying_service.report_lines(
            [result('a', 'success'), result('b', 'fail', 70, TEMPEST_WAIT),
             result('c', 'skip'), result('d', 'inprogress')])
        self.assertEqual('1 passed, 1 failed, 1 skipped, 1 unfinished',
                         lines[0])
        self.assertEqual('FAILED b (70 s): a wait on %s' % VOLUME, lines[1])
        self.assertEqual('    tempest.lib.exceptions.TimeoutException: '
                         'Request timed out', lines[2])


class StreamTestsTest(base.TestCase):

    def test_a_recorded_run(self):
        with open(SUBUNIT, 'rb') as stream:
            tests = stream_tests.tests_of(stream.read())
        self.assertTrue(tests)
        for test in tests:
            self.assertEqual({'id', 'status', 'start', 'stop', 'traceback'},
                             set(test))
        failed = [t for t in tests if t['status'] == 'fail']
        self.assertTrue(all('Traceback' in t['traceback'] for t in failed))
