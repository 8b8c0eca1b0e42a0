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

"""A cinder backend with a real shared block device per volume (libvirt mode).

Each volume is a sparse file `<loop_volume_dir>/volume-<id>.img` attached to
a loop device for as long as the volume exists (re-attached by ensure_export
when cinder-volume restarts, e.g. after `tools/minicloud down`, which
detaches every loop device of ours). initialize_connection hands nova the
loop device with connection type 'local': nova's libvirt driver gives it to
the guest as <disk type='block'> with <shareable/>, so every server a
multiattach volume is attached to writes the same block device. Data lives
in the file: it survives detach/reattach and a restart of the cloud.
Snapshots, clones and image copies are sparse file copies; extend truncates
the file and refreshes the loop device's size.

No device-mapper, iSCSI or NFS on this kind of host: a loop device is the
only block device we can share between qemu processes.
cinder.conf: volume_driver = minicloud_lib.cinder_loop.LoopVolumeDriver
             loop_volume_dir = <dir>
"""
import fcntl
import os
import stat
import subprocess

from oslo_config import cfg
from oslo_log import log as logging

from cinder.image import image_utils
from cinder.volume import driver
from cinder.volume import volume_utils

LOG = logging.getLogger(__name__)
GIB = 1024 ** 3
LOOP_CTL_GET_FREE = 0x4C82     # linux/loop.h
LOOP_MAJOR = 7

loop_opts = [cfg.StrOpt('loop_volume_dir',
                        help='directory of the volumes\' sparse files')]
cfg.CONF.register_opts(loop_opts, group='backend_defaults')


def _run(*argv):
    """Run argv; on failure raise with its stderr, which cinder then logs."""
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError('%s failed (exit %d): %s' % (
            ' '.join(argv), proc.returncode, proc.stderr.strip()))
    return proc.stdout.strip()


def free_loop_node():
    """A free loop device's node, made with mknod if /dev lacks it.

    Where /dev is not a devtmpfs (a container's /dev with only loop0-7),
    the kernel creates loop8 and up on request but no node appears for
    them, and `losetup --find` fails once the first eight are taken (loop
    devices are global to the kernel: other tenants of the host count).
    """
    fd = os.open('/dev/loop-control', os.O_RDWR)
    try:
        number = fcntl.ioctl(fd, LOOP_CTL_GET_FREE)
    finally:
        os.close(fd)
    node = '/dev/loop%d' % number
    if not os.path.exists(node):
        os.mknod(node, stat.S_IFBLK | 0o660,
                 os.makedev(LOOP_MAJOR, number))
    return node


def loops_of(path):
    """Loop devices backed by `path` (losetup -j), possibly several."""
    out = _run('losetup', '-j', path, '-O', 'NAME', '-n')
    return [line.strip() for line in out.splitlines() if line.strip()]


class LoopVolumeDriver(driver.VolumeDriver):
    VERSION = '1.0.0'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.configuration.append_config_values(loop_opts)
        self.backend_name = (self.configuration.safe_get(
            'volume_backend_name') or 'loop')

    # ------------------------------------------------------------ files
    @property
    def _dir(self):
        return self.configuration.safe_get('loop_volume_dir')

    def _path(self, name):
        return os.path.join(self._dir, '%s.img' % name)

    def _vpath(self, volume):
        return self._path(volume.name)     # volume-<id>

    def _attach_loop(self, path):
        found = loops_of(path)
        if found:
            return found[0]
        try:
            return _run('losetup', '--find', '--show', path)
        except RuntimeError as exc:
            LOG.warning('%s; trying a loop device node of our own', exc)
        # Another process may take the free device between the ioctl and
        # losetup: a few tries.
        for attempt in range(3):
            node = free_loop_node()
            try:
                _run('losetup', node, path)
                return node
            except RuntimeError as exc:
                LOG.warning('attempt %d: %s', attempt + 1, exc)
        raise RuntimeError('no loop device for %s' % path)

    def _detach_loops(self, path):
        for dev in loops_of(path):
            subprocess.run(['losetup', '-d', dev], check=False)

    def _copy(self, src, dst, size_gb):
        """Sparse copy of a file, grown to size_gb."""
        # Data written through a loop device is in the file's page cache:
        # cp reads it from there.
        _run('cp', '--sparse=always', src, dst)
        if os.path.getsize(dst) < size_gb * GIB:
            os.truncate(dst, size_gb * GIB)

    # ------------------------------------------------------------ setup
    def do_setup(self, context):
        os.makedirs(self._dir, exist_ok=True)

    def check_for_setup_error(self):
        _run('losetup', '--version')

    def _update_volume_stats(self):
        # Fractional GiB: on a file system under 1 GiB whole numbers would
        # report a total of 0, which cinder's CapacityFilter refuses.
        st = os.statvfs(self._dir)
        total_gb = round(st.f_blocks * st.f_frsize / GIB, 2)
        free_gb = round(st.f_bavail * st.f_frsize / GIB, 2)
        self._stats = {
            'volume_backend_name': self.backend_name,
            'vendor_name': 'Open Source',
            'driver_version': self.VERSION,
            'storage_protocol': 'local',
            'pools': [{
                'pool_name': self.backend_name,
                'total_capacity_gb': total_gb,
                'free_capacity_gb': free_gb,
                'reserved_percentage': 0,
                'multiattach': True,
                'thin_provisioning_support': True,
                'max_over_subscription_ratio': 20.0,
                'QoS_support': False,
            }],
        }

    def get_volume_stats(self, refresh=False):
        if refresh or not self._stats:
            self._update_volume_stats()
        return self._stats

    # ---------------------------------------------------------- volumes
    def create_volume(self, volume):
        path = self._vpath(volume)
        with open(path, 'wb') as f:
            f.truncate(volume.size * GIB)
        self._attach_loop(path)

    def delete_volume(self, volume):
        path = self._vpath(volume)
        self._detach_loops(path)
        if os.path.exists(path):
            os.unlink(path)

    def create_cloned_volume(self, volume, src_vref):
        self._copy(self._vpath(src_vref), self._vpath(volume), volume.size)
        self._attach_loop(self._vpath(volume))

    def create_snapshot(self, snapshot):
        self._copy(self._vpath(snapshot.volume), self._path(snapshot.name),
                   snapshot.volume_size)

    def delete_snapshot(self, snapshot):
        path = self._path(snapshot.name)
        if os.path.exists(path):
            os.unlink(path)

    def create_volume_from_snapshot(self, volume, snapshot):
        self._copy(self._path(snapshot.name), self._vpath(volume),
                   volume.size)
        self._attach_loop(self._vpath(volume))

    def extend_volume(self, volume, new_size):
        path = self._vpath(volume)
        os.truncate(path, new_size * GIB)
        for dev in loops_of(path):
            _run('losetup', '--set-capacity', dev)

    def retype(self, context, volume, new_type, diff, host):
        """Retype in place: True, no model update.

        Every volume of this backend is a loop device any number of guests
        can share; a type's multiattach spec changes nothing here. Without
        this, the base driver's False makes cinder migrate the volume, which
        the default migration policy ('never') refuses.
        """
        return True, None

    # ---------------------------------------------------------- exports
    def ensure_export(self, context, volume):
        if os.path.exists(self._vpath(volume)):
            self._attach_loop(self._vpath(volume))

    def create_export(self, context, volume, connector):
        self._attach_loop(self._vpath(volume))

    def remove_export(self, context, volume):
        pass   # the loop device stays while the volume exists

    def initialize_connection(self, volume, connector):
        dev = self._attach_loop(self._vpath(volume))
        return {'driver_volume_type': 'local',
                'data': {'device_path': dev, 'volume_id': volume.id}}

    def terminate_connection(self, volume, connector, **kwargs):
        pass

    # ----------------------------------------------------------- images
    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        path = self._vpath(volume)
        # Into the file, which the loop device reads through the page cache.
        image_utils.fetch_to_raw(
            context, image_service, image_id, path,
            self.configuration.volume_dd_blocksize, size=volume.size,
            run_as_root=False)
        if os.path.getsize(path) < volume.size * GIB:
            os.truncate(path, volume.size * GIB)
        for dev in loops_of(path):
            _run('losetup', '--set-capacity', dev)

    def copy_image_to_encrypted_volume(self, context, volume, image_service,
                                       image_id, disable_sparse=False):
        self.copy_image_to_volume(context, volume, image_service, image_id)

    def copy_volume_to_image(self, context, volume, image_service,
                             image_meta):
        volume_utils.upload_volume(context, image_service, image_meta,
                                   self._vpath(volume), volume,
                                   run_as_root=False)
