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

"""nova's libvirt driver, extending attached loop-device volumes.

minicloud's cinder backend (minicloud_lib/cinder_loop) hands nova volumes
with connection type 'local': a block device path on this host. nova's
volume driver for 'local' (LibvirtVolumeDriver) raises NotImplementedError
in extend_volume, as its device's size is the backend's business; nova then
refuses to extend an attached volume (ExtendVolumeNotSupported). Our
backend grows the file and refreshes the loop device (`losetup
--set-capacity`) before cinder tells nova, so the new size is the device's
size: returning it lets nova resize the disk in qemu (blockResize), as it
does for iSCSI or RBD volumes, and the guests see it.

Loaded as nova.virt.minicloud_libvirt (nova only loads compute drivers from
the nova.virt package): tools/minicloud_lib/nova_compute.py adds this
directory to nova.virt.__path__; nova.conf says
compute_driver = minicloud_libvirt.LoopExtendLibvirtDriver.
"""
import os

from nova.virt.libvirt import driver
from nova.virt.libvirt.volume import volume


def block_device_size(path):
    """Size in bytes of the block device at `path`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.lseek(fd, 0, os.SEEK_END)
    finally:
        os.close(fd)


class LoopVolumeDriver(volume.LibvirtVolumeDriver):
    """'local' volumes whose device already has the extended size."""

    def extend_volume(self, connection_info, instance, requested_size):
        return block_device_size(connection_info['data']['device_path'])


class LoopExtendLibvirtDriver(driver.LibvirtDriver):

    def _get_volume_driver(self, connection_info):
        if connection_info.get('driver_volume_type') == 'local':
            # Cached as nova caches its own drivers.
            if not isinstance(self.volume_drivers.get('local'),
                              LoopVolumeDriver):
                self.volume_drivers['local'] = LoopVolumeDriver(self._host)
            return self.volume_drivers['local']
        return super()._get_volume_driver(connection_info)
