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

"""The domain XML checks of the whitebox tests, on sample libvirt XML.

The samples are what libvirt shows of a live domain for disks nova's
libvirt driver defined: the volume driver's LibvirtConfigGuestDisk (driver
qemu/raw/cache none, source, target, serial = volume id, <readonly/> for
access_mode ro, <shareable/> for a multiattach connection), plus what
libvirt adds (alias ua-<volume id>, address, backingStore).
"""

from mattach_tempest.common import domain_xml
from mattach_tempest.unit import base

VOLUME_ID = '6f1d4c8a-3b2e-4d7f-9a10-2c5e8b7d4f31'
OTHER_ID = '0b9c2d4e-5f60-4718-8a9b-c0d1e2f30415'

ROOT_DISK = """
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2' cache='none'/>
      <source file='/var/lib/nova/instances/uuid/disk' index='1'/>
      <backingStore/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x04'
               function='0x0'/>
    </disk>"""


def volume_disk(volume_id=VOLUME_ID, cache='none', shareable=True,
                readonly=False, target='vdb'):
    driver = ("<driver name='qemu' type='raw'%s io='native'/>"
              % (" cache='%s'" % cache if cache else ''))
    return """
    <disk type='block' device='disk'>
      %s
      <source dev='/dev/disk/by-path/ip-127.0.0.1:3260-lun-1' index='2'/>
      <backingStore/>
      <target dev='%s' bus='virtio'/>%s%s
      <serial>%s</serial>
      <alias name='ua-%s'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x06'
               function='0x0'/>
    </disk>""" % (driver, target,
                  '\n      <readonly/>' if readonly else '',
                  '\n      <shareable/>' if shareable else '',
                  volume_id, volume_id)


def domain(*disks):
    return """<domain type='qemu' id='3'>
  <name>instance-00000007</name>
  <uuid>4e0c6f0a-8c43-4f4e-b7c1-6f0fb0e3a1d2</uuid>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>%s
    <serial type='pty'><target port='0'/></serial>
  </devices>
</domain>""" % ''.join(disks)


class MultiattachDiskTest(base.TestCase):

    def test_shareable_uncached_read_write_disk_passes(self):
        xml = domain(ROOT_DISK, volume_disk(), volume_disk(OTHER_ID,
                                                           target='vdc'))
        self.assertEqual([], domain_xml.multiattach_disk_problems(
            xml, VOLUME_ID))

    def test_read_only_disk_passes_when_read_only_expected(self):
        xml = domain(ROOT_DISK, volume_disk(readonly=True))
        self.assertEqual([], domain_xml.multiattach_disk_problems(
            xml, VOLUME_ID, read_only=True))

    def test_disk_without_shareable_fails(self):
        xml = domain(ROOT_DISK, volume_disk(shareable=False))
        self.assertEqual(['the disk lacks <shareable/>'],
                         domain_xml.multiattach_disk_problems(xml,
                                                              VOLUME_ID))

    def test_cached_disk_fails(self):
        self.assertEqual(
            ["the disk's driver has cache='writeback', expected 'none'"],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk(cache='writeback')), VOLUME_ID))
        self.assertEqual(
            ["the disk's driver has cache=None, expected 'none'"],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk(cache=None)), VOLUME_ID))

    def test_read_only_attachment_without_readonly_fails(self):
        self.assertEqual(
            ['the read-only attachment lacks <readonly/>'],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk()), VOLUME_ID, read_only=True))

    def test_read_only_unchecked_when_none(self):
        for readonly in (True, False):
            self.assertEqual([], domain_xml.multiattach_disk_problems(
                domain(volume_disk(readonly=readonly)), VOLUME_ID,
                read_only=None))

    def test_read_write_attachment_with_readonly_fails(self):
        self.assertEqual(
            ['the read-write attachment has <readonly/>'],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk(readonly=True)), VOLUME_ID))

    def test_every_problem_is_named(self):
        self.assertEqual(
            ['the disk lacks <shareable/>',
             "the disk's driver has cache='writethrough', expected 'none'",
             'the read-only attachment lacks <readonly/>'],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk(cache='writethrough', shareable=False)),
                VOLUME_ID, read_only=True))

    def test_volume_missing_or_twice(self):
        self.assertEqual(
            ['the domain has 0 disks with serial %s, expected 1'
             % VOLUME_ID],
            domain_xml.multiattach_disk_problems(
                domain(ROOT_DISK, volume_disk(OTHER_ID)), VOLUME_ID))
        self.assertEqual(
            ['the domain has 2 disks with serial %s, expected 1'
             % VOLUME_ID],
            domain_xml.multiattach_disk_problems(
                domain(volume_disk(), volume_disk(target='vdc')), VOLUME_ID))

    def test_disk_text_for_messages(self):
        text = domain_xml.disk_text(domain(ROOT_DISK, volume_disk()),
                                    VOLUME_ID)
        self.assertIn('<serial>%s</serial>' % VOLUME_ID, text)
        self.assertIn('<shareable />', text)
        self.assertNotIn('virtio-disk0', text)
        self.assertEqual('(none)', domain_xml.disk_text(domain(ROOT_DISK),
                                                        VOLUME_ID))

    def test_reading_without_the_libvirt_module_says_so(self):
        import builtins
        real_import = builtins.__import__

        def no_libvirt(name, *args, **kwargs):
            if name == 'libvirt':
                raise ImportError('No module named libvirt')
            return real_import(name, *args, **kwargs)
        self.patch(builtins, '__import__', no_libvirt)
        exc = self.assertRaises(RuntimeError, domain_xml.read_domain_xml,
                                'qemu:///system', 'instance-00000007')
        self.assertIn('needs the python libvirt module', str(exc))
