"""The API test classes' own skip checks name the option that decides them.

Each reason is compared in full: these are the messages operators read in
a run's skips, and mattach_tempest.tests.skips builds them from the option
it checks.
"""

import importlib

import testtools

from mattach_tempest.unit import test_microversions

API = 'mattach_tempest.tests.api.'


def api_class(module, name):
    """A test class, its module imported under the test's fresh CONF.

    Imported here, not at module level: tempest's services decorator reads
    CONF when a test module is imported.
    """
    return getattr(importlib.import_module(API + module), name)


class FeatureFlagSkipTest(test_microversions.SkipChecksTestCase):

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
