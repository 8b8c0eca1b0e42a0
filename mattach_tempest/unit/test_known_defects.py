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

"""known_defects: a test proving a defect runs; only its signature skips.

Fake test cases run through testtools, as tempest runs the real ones, so
what is checked is the outcome a run reports: success, failure, error or
skip, and its message.
"""

import ast
import os

import testtools

from mattach_tempest.common import known_defects
from mattach_tempest.unit import base

READONLY = 'cinder-readonly-access-mode'
STATUS_FILTER = 'cinder-attachment-status-filter'


def fake_defect_test():
    """Tests decorated for READONLY, one per way such a test can end.

    Made by a function so that the loader does not run them as tests of
    their own.
    """

    class FakeDefectTest(testtools.TestCase):

        @known_defects.detects(READONLY)
        def test_defect_present(self):
            self.assertEqual(1, 1, 'a check before the signature')
            with known_defects.signature(READONLY):
                self.assertEqual('ro', 'rw', 'access_mode of the connection')

        @known_defects.detects(READONLY)
        def test_defect_absent(self):
            with known_defects.signature(READONLY):
                self.assertEqual('ro', 'ro', 'access_mode of the connection')

        @known_defects.detects(READONLY)
        def test_other_assertion_fails(self):
            self.assertEqual('attached', 'reserved',
                             'status of the attachment')
            with known_defects.signature(READONLY):
                self.assertEqual('ro', 'rw', 'access_mode of the connection')

        @known_defects.detects(READONLY)
        def test_error_before_signature(self):
            raise RuntimeError('the server did not boot')

        @known_defects.detects(READONLY)
        def test_other_defect_signature(self):
            with known_defects.signature(STATUS_FILTER):
                self.assertEqual(['b'], [], 'attachments listed by status')

        @known_defects.detects(READONLY)
        def test_configuration_skip(self):
            self.skipTest(
                '[compute-feature-enabled] volume_multiattach is False')

    return FakeDefectTest


class DetectsTest(base.ConfiguredTestCase):

    def run_fake(self, name):
        """(outcome, message) of one fake test, as a run reports it.

        outcome is 'success', 'failure', 'error' or 'skip'.
        """
        result = testtools.TestResult()
        fake_defect_test()(name).run(result)
        for outcome, items in (('failure', result.failures),
                               ('error', result.errors)):
            if items:
                return outcome, items[0][1]
        if result.skip_reasons:
            (reason, _tests), = result.skip_reasons.items()
            return 'skip', reason
        self.assertTrue(result.wasSuccessful())
        return 'success', ''

    def acknowledge(self, *defects):
        self.set_conf('mattach', known_defects=list(defects))

    # -- acknowledged in [mattach] known_defects --------------------------

    def test_reproduced_defect_is_skipped_naming_it(self):
        self.acknowledge(READONLY)
        outcome, message = self.run_fake('test_defect_present')
        self.assertEqual('skip', outcome)
        self.assertTrue(message.startswith(
            'Known defect of this cloud, acknowledged in [mattach] '
            'known_defects: %s: ' % READONLY), message)
        self.assertIn(known_defects.DEFECTS[READONLY], message)
        # What the cloud did, so the skip shows it was really seen.
        self.assertIn('access_mode of the connection', message)

    def test_fixed_defect_fails_asking_to_drop_it(self):
        self.acknowledge(READONLY)
        outcome, message = self.run_fake('test_defect_absent')
        self.assertEqual('failure', outcome)
        self.assertIn('Known defect %s not reproduced: it is fixed on this '
                      'cloud; remove it from [mattach] known_defects'
                      % READONLY, message)

    def test_another_failed_assertion_stays_a_failure(self):
        self.acknowledge(READONLY)
        outcome, message = self.run_fake('test_other_assertion_fails')
        self.assertEqual('failure', outcome)
        self.assertIn('status of the attachment', message)
        self.assertNotIn('Defect', message)

    def test_an_error_stays_an_error(self):
        self.acknowledge(READONLY)
        outcome, message = self.run_fake('test_error_before_signature')
        self.assertEqual('error', outcome)
        self.assertIn('RuntimeError: the server did not boot', message)

    def test_signature_of_another_defect_stays_a_failure(self):
        self.acknowledge(READONLY, STATUS_FILTER)
        outcome, message = self.run_fake('test_other_defect_signature')
        self.assertEqual('failure', outcome)
        self.assertIn('Defect %s reproduced' % STATUS_FILTER, message)

    def test_configuration_skip_stays_that_skip(self):
        self.acknowledge(READONLY)
        self.assertEqual(
            ('skip', '[compute-feature-enabled] volume_multiattach is False'),
            self.run_fake('test_configuration_skip'))

    def test_only_the_listed_defect_is_acknowledged(self):
        self.acknowledge(STATUS_FILTER)
        outcome, message = self.run_fake('test_defect_present')
        self.assertEqual('failure', outcome)

    # -- not acknowledged: the test runs as any other ----------------------

    def test_unlisted_reproduced_defect_fails_naming_it(self):
        outcome, message = self.run_fake('test_defect_present')
        self.assertEqual('failure', outcome)
        self.assertIn('DefectReproduced: Defect %s reproduced (%s): '
                      % (READONLY, known_defects.DEFECTS[READONLY]), message)
        self.assertIn('access_mode of the connection', message)
        self.assertIn('A cloud known to have this defect lists it in '
                      '[mattach] known_defects.', message)

    def test_unlisted_absent_defect_passes(self):
        self.assertEqual(('success', ''), self.run_fake('test_defect_absent'))

    def test_unlisted_other_failure_is_that_failure(self):
        outcome, message = self.run_fake('test_other_assertion_fails')
        self.assertEqual('failure', outcome)
        self.assertIn('status of the attachment', message)
        self.assertNotIn('Defect', message)

    # -- naming ---------------------------------------------------------------

    def test_undescribed_defect_is_a_programming_error(self):
        self.assertRaises(ValueError, known_defects.detects, 'no-such')
        self.assertRaises(ValueError,
                          known_defects.signature('no-such').__enter__)

    def test_every_defect_is_described(self):
        for name, description in known_defects.DEFECTS.items():
            self.assertTrue(description.strip(), name)

    def test_default_is_empty_for_certification(self):
        self.assertEqual([], self.conf.mattach.known_defects)


class DecoratedTestsTest(base.TestCase):
    """Every conformance test decorated for a defect states its signature.

    Without one the defect can never be seen reproduced: the test would
    pass on a cloud that has it and fail, acknowledged, as 'fixed'.
    """

    def decorated_tests(self):
        tests_dir = os.path.join(base.REPO_ROOT, 'mattach_tempest', 'tests')
        for root, _dirs, files in os.walk(tests_dir):
            for name in files:
                if not name.endswith('.py'):
                    continue
                path = os.path.join(root, name)
                with open(path) as f:
                    tree = ast.parse(f.read(), path)
                for node in ast.walk(tree):
                    if isinstance(node, ast.FunctionDef):
                        for defect in _calls(node.decorator_list, 'detects'):
                            yield path, node, defect

    def test_decorated_tests_wrap_their_defects_signature(self):
        decorated = list(self.decorated_tests())
        self.assertEqual(set(known_defects.DEFECTS),
                         {defect for _path, _node, defect in decorated},
                         'Defects with a test proving them')
        for path, node, defect in decorated:
            self.assertIn(defect, set(_calls(ast.walk(node), 'signature')),
                          '%s: %s is decorated for %s but has no '
                          'known_defects.signature(%r)'
                          % (path, node.name, defect, defect))


def _calls(nodes, function):
    """The string arguments of calls of known_defects.<function> in nodes."""
    for node in nodes:
        if (isinstance(node, ast.Call) and
                isinstance(node.func, ast.Attribute) and
                node.func.attr == function and
                isinstance(node.func.value, ast.Name) and
                node.func.value.id == 'known_defects' and node.args and
                isinstance(node.args[0], ast.Constant)):
            yield node.args[0].value
