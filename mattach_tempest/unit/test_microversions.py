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

"""Which configurations the conformance base classes run or skip under.

skip_checks() reads configuration only, so it is exercised here on fresh
subclasses of the real base classes (tempest records a flag on the class
skip_checks runs on) with tempest.config.CONF answered by the fixture.
"""

from unittest import mock

from tempest.lib import exceptions as lib_exc
import testtools

from mattach_tempest.tests.api import base as api_base
from mattach_tempest.unit import base


def subclass(parent, **attrs):
    return type('Probe%s' % parent.__name__, (parent,), attrs)


class SkipChecksTestCase(base.ConfiguredTestCase):
    """A cloud configured for multiattach, as devstack configures one."""

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_microversion=None,
                      max_microversion='latest')
        self.set_conf('volume', min_microversion=None,
                      max_microversion='latest',
                      volume_type_multiattach='multiattach')
        self.set_conf('compute-feature-enabled', volume_multiattach=True)
        self.set_conf('service_available', cinder=True, nova=True)

    def assertRuns(self, parent, **attrs):
        try:
            subclass(parent, **attrs).skip_checks()
        except testtools.TestCase.skipException as exc:
            self.fail('%s skipped: %s' % (parent.__name__, exc))

    def assertSkips(self, parent, *fragments, **attrs):
        """Assert the class skips; the reason must name each fragment."""
        exc = self.assertRaises(testtools.TestCase.skipException,
                                subclass(parent, **attrs).skip_checks)
        for fragment in fragments:
            self.assertIn(fragment, str(exc))
        return str(exc)


class MultiattachBaseTestSkipChecksTest(SkipChecksTestCase):

    cls = api_base.MultiattachBaseTest

    def test_runs_on_a_multiattach_cloud(self):
        self.assertRuns(self.cls)

    def test_runs_at_exactly_2_60(self):
        self.set_conf('compute', max_microversion='2.60')
        self.assertRuns(self.cls)

    def test_skips_when_compute_max_microversion_is_unset(self):
        self.set_conf('compute', max_microversion=None)
        self.assertSkips(self.cls, '2.60', 'configuration range',
                         '[compute] max_microversion (unset) is below 2.60 '
                         'needed by multiattach test class '
                         'ProbeMultiattachBaseTest')

    def test_skips_when_compute_max_microversion_is_below_2_60(self):
        self.set_conf('compute', max_microversion='2.59')
        self.assertSkips(self.cls, '2.60', '2.59',
                         '[compute] max_microversion (2.59) is below 2.60 '
                         'needed by multiattach test class')

    def test_skip_keeps_tempests_reason(self):
        self.set_conf('compute', max_microversion='2.59')
        self.assertSkips(self.cls, 'The microversion range[2.60 - latest] '
                         'of this test is out of the configuration '
                         'range[None - 2.59].')

    def test_skips_when_volume_max_microversion_is_below_the_class(self):
        self.set_conf('volume', max_microversion='3.41')
        reason = self.assertSkips(
            self.cls, '[volume] max_microversion (3.41) is below 3.42 '
            'needed by multiattach test class ProbeMultiattachBaseTest',
            'The microversion range[3.42 - latest]',
            volume_min_microversion='3.42')
        self.assertNotIn('[compute]', reason)

    def test_skips_when_volume_min_microversion_is_above_the_class(self):
        self.set_conf('volume', min_microversion='3.42')
        self.assertSkips(
            self.cls, '[volume] min_microversion (3.42) is above 3.41, the '
            'highest microversion multiattach test class '
            'ProbeMultiattachBaseTest runs at',
            volume_max_microversion='3.41')

    def test_an_invalid_configured_range_is_an_error(self):
        self.set_conf('compute', min_microversion='2.70',
                      max_microversion='2.60')
        self.assertRaises(lib_exc.InvalidAPIVersionRange,
                          subclass(self.cls).skip_checks)

    def test_skips_when_volume_multiattach_is_disabled(self):
        self.set_conf('compute-feature-enabled', volume_multiattach=False)
        self.assertSkips(self.cls, '[compute-feature-enabled]',
                         'volume_multiattach')

    def test_skips_without_a_multiattach_type(self):
        for unset in (None, ''):
            self.set_conf('volume', volume_type_multiattach=unset)
            self.assertSkips(self.cls, '[volume]', 'volume_type_multiattach')

    def test_create_multiattach_type_does_not_help_primary_classes(self):
        # Creating a volume type needs admin: the primary-only base class
        # still needs the operator's type.
        self.set_conf('volume', volume_type_multiattach=None)
        self.set_conf('mattach', create_multiattach_type=True)
        self.assertSkips(self.cls, 'volume_type_multiattach')

    def test_skips_without_cinder(self):
        self.set_conf('service_available', cinder=False)
        self.assertSkips(self.cls, 'Cinder')

    def test_disabled_multiattach_is_reported_before_microversions(self):
        self.set_conf('compute', max_microversion=None)
        self.set_conf('compute-feature-enabled', volume_multiattach=False)
        self.assertSkips(self.cls, 'volume_multiattach')

    def test_class_needing_a_later_microversion(self):
        self.set_conf('compute', max_microversion='2.88')
        self.assertSkips(self.cls, '2.89', '2.88',
                         compute_min_microversion='2.89')
        self.set_conf('compute', max_microversion='2.89')
        self.assertRuns(self.cls, compute_min_microversion='2.89')

    def test_old_microversion_class(self):
        # A class proving 2.59 is refused runs while the cloud still
        # accepts 2.59, and skips once the cloud's minimum is above it.
        old = {'compute_min_microversion': '2.59',
               'compute_max_microversion': '2.59'}
        self.assertRuns(self.cls, **old)
        self.set_conf('compute', min_microversion='2.60')
        self.assertSkips(self.cls, '2.59',
                         '[compute] min_microversion (2.60) is above 2.59, '
                         'the highest microversion', **old)

    def test_primary_credentials_only(self):
        self.assertEqual(['primary'], self.cls.credentials)
        self.set_conf('auth', use_dynamic_credentials=False)
        self.assertRuns(self.cls)


class MultiattachAdminBaseTestSkipChecksTest(SkipChecksTestCase):

    cls = api_base.MultiattachAdminBaseTest

    def test_runs_on_a_multiattach_cloud(self):
        self.assertRuns(self.cls)

    def test_creating_its_own_type_needs_no_type_option(self):
        self.set_conf('volume', volume_type_multiattach=None)
        self.set_conf('mattach', create_multiattach_type=True)
        self.assertRuns(self.cls)

    def test_skips_without_a_type_to_use_or_to_create(self):
        self.set_conf('volume', volume_type_multiattach=None)
        self.set_conf('mattach', create_multiattach_type=False)
        self.assertSkips(self.cls, 'volume_type_multiattach')

    def test_skips_without_admin_credentials(self):
        self.set_conf('auth', use_dynamic_credentials=False,
                      test_accounts_file=None, admin_username=None)
        self.assertSkips(self.cls, 'Admin')

    def test_other_checks_still_apply(self):
        self.set_conf('mattach', create_multiattach_type=True)
        self.set_conf('compute', max_microversion='2.59')
        self.assertSkips(self.cls, '2.60')
        self.set_conf('compute', max_microversion='latest')
        self.set_conf('compute-feature-enabled', volume_multiattach=False)
        self.assertSkips(self.cls, 'volume_multiattach')


class RequestMicroversionTest(SkipChecksTestCase):
    """resource_setup sends the class minimum, or the cloud's if higher."""

    def selected(self, **attrs):
        probe = subclass(api_base.MultiattachBaseTest, **attrs)
        with mock.patch.object(probe, 'setup_api_microversion_fixture') as f:
            probe.resource_setup()
        return (probe.compute_request_microversion,
                probe.volume_request_microversion,
                f.call_args.kwargs)

    def test_class_minimum_by_default(self):
        compute, volume, fixture_args = self.selected()
        self.assertEqual('2.60', compute)
        self.assertEqual('3.0', volume)
        self.assertEqual({'compute_microversion': '2.60',
                          'volume_microversion': '3.0'}, fixture_args)

    def test_cloud_minimum_when_higher(self):
        self.set_conf('compute', min_microversion='2.70')
        self.set_conf('volume', min_microversion='3.27')
        compute, volume, _ = self.selected()
        self.assertEqual('2.70', compute)
        self.assertEqual('3.27', volume)

    def test_class_minimum_when_higher(self):
        self.set_conf('compute', min_microversion='2.70')
        compute, _, _ = self.selected(compute_min_microversion='2.89')
        self.assertEqual('2.89', compute)
