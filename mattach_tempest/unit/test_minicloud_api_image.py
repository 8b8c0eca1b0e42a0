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


"""The API tests' image of the local cloud: a disk that halts the CPU.

Checked here: the bytes (a boot sector that halts, one partition) and
that the image format inspector glance and nova run before they accept
or boot an image (oslo.utils) takes it for a safe partitioned disk. Not
checked here: that qemu runs it and halts (seen on the local cloud: about
1 % of a core), which needs a hypervisor.
"""

import fixtures
from oslo_utils.imageutils import format_inspector

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (sys.path)
from minicloud_lib import guest_cloud


class HaltingDiskTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.disk = guest_cloud.halting_disk()

    def test_boot_sector_halts_with_interrupts_off(self):
        # cli; hlt; jmp back to the hlt: nothing wakes it for good.
        self.assertEqual(bytes([0xfa, 0xf4, 0xeb, 0xfd]), self.disk[:4])
        self.assertEqual(b'\x55\xaa', self.disk[510:512])
        self.assertEqual(1024 * 1024, len(self.disk))

    def test_the_image_format_checks_accept_it(self):
        inspector = format_inspector.GPTInspector()
        for offset in range(0, len(self.disk), 65536):
            inspector.eat_chunk(self.disk[offset:offset + 65536])
        self.assertTrue(inspector.format_match)
        inspector.safety_check()    # raises SafetyCheckFailed if refused

    def test_detected_as_a_partitioned_disk(self):
        path = self.useFixture(fixtures.TempDir()).join('disk.raw')
        with open(path, 'wb') as f:
            f.write(self.disk)
        self.assertEqual('gpt', str(format_inspector.detect_file_format(
            path)))
