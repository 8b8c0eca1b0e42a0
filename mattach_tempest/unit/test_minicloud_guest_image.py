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

"""How tools/minicloud reads tools/guest-image/build's outputs.

The build prints shell assignments that test-boot eval's; minicloud reads
the same lines. The build itself (apt, the kernel package) is exercised
by every `tools/minicloud up` on libvirt, not here.
"""

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (sys.path)
from minicloud_lib import guest_cloud  # noqa: I100 (minicloud_base: sys.path)

BUILD_STDOUT = """GUEST_KERNEL=/r/.minicloud/guest-image/image/vmlinux
GUEST_RAMDISK=/r/.minicloud/guest-image/image/initrd.img
GUEST_DISK=/r/.minicloud/guest-image/image/disk.raw
GUEST_CMDLINE='console=ttyS0 cryptomgr.notests panic=1 oops=panic'
GUEST_IMAGE_KEY=b03640e56a935bb2
"""


class BuildOutputsTest(base.TestCase):

    def test_quoted_command_line_is_unquoted(self):
        outputs = guest_cloud.parse_build_outputs(BUILD_STDOUT)
        self.assertEqual(
            'console=ttyS0 cryptomgr.notests panic=1 oops=panic',
            outputs['GUEST_CMDLINE'])

    def test_paths_and_key_as_printed(self):
        outputs = guest_cloud.parse_build_outputs(BUILD_STDOUT)
        self.assertEqual('/r/.minicloud/guest-image/image/vmlinux',
                         outputs['GUEST_KERNEL'])
        self.assertEqual('b03640e56a935bb2', outputs['GUEST_IMAGE_KEY'])
        self.assertEqual(5, len(outputs))

    def test_lines_without_assignment_are_ignored(self):
        self.assertEqual({'A': 'b'}, guest_cloud.parse_build_outputs(
            'guest-image: building\nA=b\n\n'))
