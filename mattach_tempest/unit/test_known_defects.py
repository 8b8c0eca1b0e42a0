"""known_defects: only acknowledged defects skip, and the skip names them."""

import testtools

from mattach_tempest.common import known_defects
from mattach_tempest.unit import base


class KnownDefectsTest(base.ConfiguredTestCase):

    def _decorated(self, defect):
        calls = []

        @known_defects.unless_known(defect)
        def test_something(case):
            calls.append(case)
            return 'ran'
        return test_something, calls

    def test_unacknowledged_defect_runs_the_test(self):
        test, calls = self._decorated('cinder-readonly-access-mode')
        self.assertEqual('ran', test(self))
        self.assertEqual([self], calls)

    def test_acknowledged_defect_skips_naming_it(self):
        self.set_conf('mattach', known_defects=[
            'cinder-readonly-access-mode'])
        test, calls = self._decorated('cinder-readonly-access-mode')
        exc = self.assertRaises(testtools.TestCase.skipException, test, self)
        self.assertIn('[mattach] known_defects', str(exc))
        self.assertIn('cinder-readonly-access-mode', str(exc))
        self.assertIn(known_defects.DEFECTS['cinder-readonly-access-mode'],
                      str(exc))
        self.assertEqual([], calls)

    def test_other_acknowledged_defect_does_not_skip(self):
        self.set_conf('mattach', known_defects=[
            'cinder-attachment-status-filter'])
        test, calls = self._decorated('cinder-readonly-access-mode')
        self.assertEqual('ran', test(self))

    def test_undescribed_defect_is_a_programming_error(self):
        self.assertRaises(ValueError, known_defects.unless_known, 'no-such')

    def test_default_is_empty_for_certification(self):
        self.assertEqual([], self.conf.mattach.known_defects)
