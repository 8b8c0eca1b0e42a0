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

"""The API test classes' own skip checks name the option that decides them.

Each reason is compared in full: these are the messages operators read in
a run's skips, and mattach_tempest.tests.skips builds them from the option
it checks.
"""

import importlib

import testtools

from mattach_tempest.unit import test_microversions

API = 'mattach_tempest.tests.api.'
# The serial classes' package (discovered last): named in full.
EVACUATE_MODULE = ('mattach_tempest.tests.serial_tests.api.admin.'
                   'test_multiattach_evacuate')


def api_class(module, name):
    """A test class, its module imported under the test's fresh CONF.

    Imported here, not at module level: tempest's services decorator reads
    CONF when a test module is imported.

    :param module: relative to tests/api, or a full module name.
    """
    if not module.startswith('mattach_tempest.'):
        module = API + module
    return getattr(importlib.import_module(module), name)


class SkipReasonTestCase(test_microversions.SkipChecksTestCase):
    """Compares a class's skip reason in full."""

    def assertSkipReason(self, reason, cls):
        exc = self.assertRaises(testtools.TestCase.skipException,
                                cls.skip_checks)
        self.assertEqual(reason, str(exc))

    def check(self, module, name, group, option, reason):
        cls = api_class(module, name)
        self.set_conf(group, **{option: True})
        try:
            cls.skip_checks()
        except testtools.TestCase.skipException as exc:
            self.fail('%s skipped with [%s] %s = True: %s'
                      % (name, group, option, exc))
        self.set_conf(group, **{option: False})
        self.assertSkipReason(
            '%s: [%s] %s = False' % (reason, group, option), cls)


class FeatureFlagSkipTest(SkipReasonTestCase):

    def test_resize(self):
        self.set_conf('compute', flavor_ref='1', flavor_ref_alt='2')
        self.check('compute.test_multiattach_lifecycle',
                   'MultiattachResizeTest', 'compute-feature-enabled',
                   'resize', 'Resize is not enabled')

    def test_server_and_volume_snapshots(self):
        self.set_conf('volume-feature-enabled', snapshot=True)
        self.check('compute.test_multiattach_lifecycle',
                   'MultiattachVolumeBackedSnapshotTest',
                   'compute-feature-enabled', 'snapshot',
                   'Server snapshots are not enabled')
        self.set_conf('compute-feature-enabled', snapshot=True)
        self.check('compute.test_multiattach_lifecycle',
                   'MultiattachVolumeBackedSnapshotTest',
                   'volume-feature-enabled', 'snapshot',
                   'Volume snapshots are not enabled')
        for name in ('MultiattachSnapshotTest',
                     'MultiattachSnapshotNegativeTest'):
            self.check('volume.test_multiattach_snapshot', name,
                       'volume-feature-enabled', 'snapshot',
                       'Volume snapshots are not enabled')

    def test_shelve(self):
        self.set_conf('compute', shelved_offload_time=0)
        for module, name in (
                ('compute.test_multiattach_shelve', 'MultiattachShelveTest'),
                ('compute.test_multiattach_negative',
                 'MultiattachShelvedNegativeTest')):
            self.check(module, name, 'compute-feature-enabled', 'shelve',
                       'Shelve is not enabled')

    def test_shelve_without_offload(self):
        self.set_conf('compute-feature-enabled', shelve=True)
        self.set_conf('compute', shelved_offload_time=-1)
        self.assertSkipReason(
            'Shelved servers are never offloaded: '
            '[compute] shelved_offload_time = -1',
            api_class('compute.test_multiattach_negative',
                      'MultiattachShelvedNegativeTest'))

    def test_extend_attached_volume(self):
        self.set_conf('volume', max_microversion='3.42')
        self.check('volume.test_multiattach_extend', 'MultiattachExtendTest',
                   'volume-feature-enabled', 'extend_attached_volume',
                   'Extending attached volumes is not enabled')

    def test_nova_attachment_protection(self):
        self.check('volume.test_multiattach_attachments_api',
                   'NovaAttachmentProtectionNegativeTest', 'mattach',
                   'protects_nova_attachments',
                   'The cloud does not protect nova-owned attachments '
                   '(bug 2004555)')

    def test_encrypted_volumes(self):
        self.check('admin.test_multiattach_encrypted_negative',
                   'EncryptedMultiattachCreateNegativeTest',
                   'mattach', 'volume_encryption',
                   'Cinder cannot create encrypted volumes (no key manager)')


class MultiHostSkipTest(SkipReasonTestCase):
    """The tests moving servers between hosts skip by configuration only."""

    MOVES = (('admin.test_multiattach_move', 'MultiattachColdMigrateTest',
              'compute-feature-enabled', 'cold_migration',
              'Cold migration is not enabled'),
             ('admin.test_multiattach_move', 'MultiattachLiveMigrateTest',
              'compute-feature-enabled', 'live_migration',
              'Live migration is not enabled'),
             (EVACUATE_MODULE, 'MultiattachEvacuateTest',
              'mattach', 'evacuate', 'Evacuation is not enabled'),
             ('compute.test_multiattach_lifecycle',
              'MultiattachResizeAcrossHostsTest', 'compute-feature-enabled',
              'resize', 'Resize is not enabled'))

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2, flavor_ref='1',
                      flavor_ref_alt='2')
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['ComputeFilter',
                                                 'DifferentHostFilter'])

    def enable_all(self):
        for _module, _name, group, option, _reason in self.MOVES:
            self.set_conf(group, **{option: True})

    def test_each_move_by_its_flag(self):
        for module, name, group, option, reason in self.MOVES:
            self.enable_all()
            self.check(module, name, group, option, reason)

    def test_one_compute_host(self):
        self.enable_all()
        self.set_conf('compute', min_compute_nodes=1)
        for module, name, _group, _option, _reason in self.MOVES:
            self.assertSkipReason(
                'Servers on different hosts need two compute hosts: '
                '[compute] min_compute_nodes = 1', api_class(module, name))

    def test_without_different_host_filter(self):
        self.enable_all()
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['ComputeFilter',
                                                 'SameHostFilter'])
        for module, name, _group, _option, _reason in self.MOVES:
            self.assertSkipReason(
                'The scheduler does not honour the different_host hint: '
                'DifferentHostFilter is not in [compute-feature-enabled] '
                'scheduler_enabled_filters', api_class(module, name))

    def test_all_filters(self):
        self.enable_all()
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['all'])
        for module, name, _group, _option, _reason in self.MOVES:
            api_class(module, name).skip_checks()

    def test_evacuate_runs_alone(self):
        # A compute service forced down must not fail tests needing two
        # hosts in other workers: tempest's serial classes take a write
        # lock every other class waits for.
        self.enable_all()
        cls = api_class(EVACUATE_MODULE, 'MultiattachEvacuateTest')
        self.assertTrue(cls.is_serial_execution_requested())
        for module, name, _group, _option, _reason in self.MOVES[:2]:
            self.assertFalse(
                api_class(module, name).is_serial_execution_requested())

    def test_evacuate_skipping_takes_no_serial_lock(self):
        # tempest takes the write lock before skip_checks: a class that
        # skips must not make its worker wait for all the others.
        self.enable_all()
        self.set_conf('mattach', evacuate=False)
        cls = api_class(EVACUATE_MODULE, 'MultiattachEvacuateTest')
        self.assertFalse(cls.is_serial_execution_requested())
        self.set_conf('mattach', evacuate=True)
        self.set_conf('compute', min_compute_nodes=1)
        self.assertFalse(cls.is_serial_execution_requested())
