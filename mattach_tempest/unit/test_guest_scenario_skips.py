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

"""The data-path scenario tests skip by configuration, naming the option.

No cloud: skip_checks() runs before any credential or client exists.
"""

import importlib
import inspect
import unittest

from mattach_tempest.tests import skips
from mattach_tempest.unit import base


def scenario_classes():
    """The scenario test classes, imported under the test's fresh CONF.

    Imported here, not at module level: tempest's services decorator reads
    CONF when the test module is imported, and these tests never read the
    machine's tempest.conf.
    """
    data_path = importlib.import_module(
        'mattach_tempest.tests.scenario.test_multiattach_data_path')
    readonly = importlib.import_module(
        'mattach_tempest.tests.scenario.admin.test_multiattach_readonly')
    return (data_path.MultiattachDataPathTest,
            readonly.MultiattachReadonlyDataPathTest) + multihost_classes()


def multihost_classes():
    """(different hosts, same host, cold migration, live migration)."""
    multihost = importlib.import_module(
        'mattach_tempest.tests.scenario.test_multiattach_multihost')
    migration = importlib.import_module(
        'mattach_tempest.tests.scenario.admin.test_multiattach_migration')
    return (multihost.MultiattachDifferentHostsDataPathTest,
            multihost.MultiattachSameHostDataPathTest,
            migration.MultiattachColdMigrationDataPathTest,
            migration.MultiattachLiveMigrationDataPathTest)


class ScenarioSkipTest(base.ConfiguredTestCase):

    def assertSkips(self, fragment, classes=None):
        for cls in classes or scenario_classes():
            exc = self.assertRaises(unittest.SkipTest, cls.skip_checks)
            self.assertIn(fragment, str(exc), cls.__name__)

    def test_each_missing_option_is_named(self):
        self.assertSkips(
            '[compute-feature-enabled] volume_multiattach = False')
        self.set_conf('compute-feature-enabled', volume_multiattach=True)
        self.set_conf('validation', run_validation=False)
        self.assertSkips('[validation] run_validation = False')
        self.set_conf('validation', run_validation=True)
        self.assertSkips('[volume] volume_type_multiattach is not set')
        self.set_conf('volume', volume_type_multiattach='multiattach')
        self.assertSkips('The microversion range[2.60 - latest]')
        self.assertSkips('[compute] max_microversion (unset) is below 2.60')
        self.set_conf('service_available', cinder=False)
        self.assertSkips('Cinder (block storage) is not available')

    def test_six_slow_scenario_tests_with_ids(self):
        tests = [getattr(cls, name) for cls in scenario_classes()
                 for name in dir(cls) if name.startswith('test_')]
        self.assertGreaterEqual(len(tests), 6)
        ids = set()
        for test in tests:
            attrs = getattr(test, '__testtools_attrs', set())
            self.assertIn('slow', attrs, test.__name__)
            self.assertTrue({'compute', 'volume', 'image', 'network'} <=
                            attrs, test.__name__)
            ids.update(a for a in attrs if a.startswith('id-'))
            self.assertIn('\n\n', test.__doc__)
        self.assertEqual(len(tests), len(ids))

    def test_classes_need_compute_2_60(self):
        classes = scenario_classes()
        for cls in classes:
            self.assertEqual('2.60', cls.compute_min_microversion)
        self.assertIn('admin', classes[1].credentials)


class InUseExtendSkipTest(base.ConfiguredTestCase):
    """The extend test skips as it starts, naming the option.

    It shares MultiattachDataPathTest's guests, so its class does not
    skip: the class's other tests need neither 3.42 nor extend. No cloud:
    the check runs before the test makes anything.
    """

    def setUp(self):
        super().setUp()
        self.set_conf('compute-feature-enabled', volume_multiattach=True)
        self.set_conf('validation', run_validation=True)
        self.set_conf('volume', volume_type_multiattach='multiattach')
        self.set_conf('compute', max_microversion='latest')
        self.cls = scenario_classes()[0]
        self.test = self.cls('test_extend_attached_volume_seen_by_every_guest')

    def assertTestSkips(self, fragment):
        exc = self.assertRaises(unittest.SkipTest,
                                skips.unless_in_use_extend, self.test)
        self.assertIn(fragment, str(exc))

    def test_class_runs_below_3_42(self):
        self.cls.skip_checks()

    def test_extend_option_is_named(self):
        self.set_conf('volume', max_microversion='latest')
        self.assertTestSkips(
            '[volume-feature-enabled] extend_attached_volume = False')

    def test_microversion_option_is_named(self):
        self.set_conf('volume-feature-enabled', extend_attached_volume=True)
        self.assertTestSkips(
            '[volume] max_microversion (unset) is below 3.42 needed by test '
            'mattach_tempest.tests.scenario.test_multiattach_data_path.'
            'MultiattachDataPathTest.'
            'test_extend_attached_volume_seen_by_every_guest')
        self.set_conf('volume', max_microversion='3.41')
        self.assertTestSkips('[volume] max_microversion (3.41) is below 3.42')

    def test_runs_when_both_allow(self):
        self.set_conf('volume-feature-enabled', extend_attached_volume=True)
        self.set_conf('volume', max_microversion='3.42')
        skips.unless_in_use_extend(self.test)

    def test_the_test_checks_first(self):
        # The check is the test body's first step: nothing is created on
        # a cloud that must not be asked to extend.
        source = inspect.getsource(
            self.cls.test_extend_attached_volume_seen_by_every_guest)
        body = source.split('"""')[2].strip().splitlines()
        self.assertEqual('skips.unless_in_use_extend(self)', body[0].strip())


class MultihostScenarioSkipTest(base.ConfiguredTestCase):
    """The multi-host scenario tests skip by configuration only."""

    def setUp(self):
        super().setUp()
        self.set_conf('compute-feature-enabled', volume_multiattach=True)
        self.set_conf('validation', run_validation=True)
        self.set_conf('volume', volume_type_multiattach='multiattach',
                      max_microversion='latest')
        self.set_conf('compute', max_microversion='latest')
        # tempest's default list has neither SameHostFilter nor
        # DifferentHostFilter.
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['all'])
        (self.different, self.same, self.cold,
         self.live) = multihost_classes()

    def assertSkips(self, fragment, *classes):
        for cls in classes:
            exc = self.assertRaises(unittest.SkipTest, cls.skip_checks)
            self.assertIn(fragment, str(exc), cls.__name__)

    def assertRuns(self, *classes):
        for cls in classes:
            try:
                cls.skip_checks()
            except unittest.SkipTest as exc:
                self.fail('%s skips: %s' % (cls.__name__, exc))

    def test_one_host(self):
        self.set_conf('compute', min_compute_nodes=1)
        self.assertSkips('[compute] min_compute_nodes = 1', self.different,
                         self.cold, self.live)
        # Servers on one host need one host only.
        self.assertRuns(self.same)

    def test_two_hosts_and_every_filter(self):
        self.set_conf('compute', min_compute_nodes=2)
        self.assertRuns(self.different, self.same, self.cold, self.live)

    def test_filters_not_enabled(self):
        self.set_conf('compute', min_compute_nodes=2)
        self.set_conf('compute-feature-enabled', scheduler_enabled_filters=[
            'ComputeFilter', 'SameHostFilter', 'DifferentHostFilter'])
        self.assertRuns(self.different, self.same, self.cold, self.live)
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['ComputeFilter'])
        self.assertSkips('DifferentHostFilter is not in [compute-feature-'
                         'enabled] scheduler_enabled_filters',
                         self.different, self.live)
        self.assertSkips('SameHostFilter is not in [compute-feature-'
                         'enabled] scheduler_enabled_filters', self.same,
                         self.cold)

    def test_migration_flags(self):
        self.set_conf('compute', min_compute_nodes=2)
        self.set_conf('compute-feature-enabled', cold_migration=False,
                      live_migration=False)
        self.assertSkips('[compute-feature-enabled] cold_migration = False',
                         self.cold)
        self.assertSkips('[compute-feature-enabled] live_migration = False',
                         self.live)
        self.assertRuns(self.different, self.same)

    def test_whitebox_needs_the_libvirt_uris(self):
        domain_xml_tests = importlib.import_module(
            'mattach_tempest.tests.api.admin.test_multiattach_domain_xml')
        cls = domain_xml_tests.MultiattachDomainXmlTest
        self.assertSkips('[mattach] compute_libvirt_uris is not set', cls)
        self.set_conf('mattach', compute_libvirt_uris={
            'compute1': 'qemu:///system'})
        self.assertRuns(cls)
