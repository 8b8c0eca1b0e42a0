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

"""Operator resources of libvirt mode: the guests' network and the guest image.

- Network: a shared flat provider network (physnet libvirt_host.PHYSNET)
  with a subnet in TEST-NET-1, DHCP off (nova writes the fixed IP into the
  config drive's network_data.json), gateway = the host bridge's address,
  so the host reaches every guest's fixed IP (tempest connect_method=fixed).
- Image: tools/guest-image/build (CirrOS-like, from Debian packages, cached)
  uploaded as kernel (aki) + ramdisk (ari) + a blank 1 MiB root disk (ami)
  naming them, console on ttyS0. Images are re-uploaded when the build's
  key (hash of its inputs) changes.
- The API tests' image ([mattach] api_image_ref): a 1 MiB disk whose boot
  sector halts the CPU, disks on virtio-scsi. No API test logs in to a
  server, and under TCG a guest OS costs CPU for its boot (5-6 core-s
  alone, 7-10 when guests boot together); a halted CPU boots in 0.4.
  Idle, both cost little: the current guest 0.4 % of a core (measured
  under nova, 30 s after its boot; an earlier build idled at 13-16 %).
  qemu unplugs a SCSI disk without the guest, so a detach needs no guest
  answer (a virtio-blk unplug waits for the guest's PCI hotplug code, 10 s
  while it boots); os_shutdown_timeout=0: nothing would answer ACPI.
"""
import os
import shlex
import struct
import subprocess
import time

from . import bootstrap
from . import layout
from . import libvirt_host

GUEST_BUILD = os.path.join(layout.TOOLS, 'guest-image', 'build')


def ensure_network(sess):
    nets = sess.get('neutron', '/v2.0/networks?name=' +
                    libvirt_host.NETWORK)['networks']
    if nets:
        net = nets[0]
    else:
        net = sess.post('neutron', '/v2.0/networks', {'network': {
            'name': libvirt_host.NETWORK, 'shared': True,
            'provider:network_type': 'flat',
            'provider:physical_network': libvirt_host.PHYSNET}})['network']
    if not net.get('subnets'):
        sess.post('neutron', '/v2.0/subnets', {'subnet': {
            'name': libvirt_host.NETWORK + '-v4',
            'network_id': net['id'], 'ip_version': 4,
            'cidr': libvirt_host.CIDR, 'gateway_ip': libvirt_host.GATEWAY,
            'enable_dhcp': False,
            'allocation_pools': [{'start': libvirt_host.POOL[0],
                                  'end': libvirt_host.POOL[1]}]}})
    return net


#: build_guest's outputs, once it ran in this process.
_BUILT = {}


def build_guest():
    """Run tools/guest-image/build; its KEY=value outputs as a dict.

    Once per process: install's step builds, up's images take the outputs.
    """
    if not _BUILT:
        with open(os.path.join(layout.LOGS, 'guest-image-build.log'),
                  'ab') as log:
            out = subprocess.run([GUEST_BUILD], check=True,
                                 stdout=subprocess.PIPE, stderr=log,
                                 text=True).stdout
        _BUILT.update(parse_build_outputs(out))
    return dict(_BUILT)


def parse_build_outputs(text):
    """The build's stdout, shell assignments, as a dict.

    test-boot eval's the same lines, so a value with spaces (the kernel
    command line) comes quoted.
    """
    return {key: ''.join(shlex.split(value)) for key, value in
            (line.split('=', 1) for line in text.splitlines() if '=' in line)}


def _wait_active(sess, image_id, timeout=60):
    deadline = time.monotonic() + timeout
    while sess.get('glance', '/v2/images/' + image_id)['status'] != 'active':
        if time.monotonic() > deadline:
            raise bootstrap.StepError('image %s not active in %d s'
                                      % (image_id, timeout))
        time.sleep(0.5)


def _ensure_image(sess, name, fmt, path, key, container=None, **props):
    found = sess.get('glance', '/v2/images?name=' + name)['images']
    for image in found:
        if image['status'] == 'active' and \
                image.get('minicloud_guest_key') == key:
            return image['id']
        sess.request('DELETE', 'glance', '/v2/images/' + image['id'])
    body = {'name': name, 'disk_format': fmt,
            'container_format': container or fmt,
            'visibility': 'public', 'minicloud_guest_key': key}
    body.update(props)
    image = sess.post('glance', '/v2/images', body)
    with open(path, 'rb') as f:
        sess.request('PUT', 'glance', '/v2/images/%s/file' % image['id'],
                     raw=f.read())
    _wait_active(sess, image['id'])
    return image['id']


def ensure_images(sess):
    out = build_guest()
    key = out['GUEST_IMAGE_KEY']
    kernel = _ensure_image(sess, 'minicloud-guest-kernel', 'aki',
                           out['GUEST_KERNEL'], key)
    ramdisk = _ensure_image(sess, 'minicloud-guest-ramdisk', 'ari',
                            out['GUEST_RAMDISK'], key)
    return [_ensure_image(sess, name, 'ami', out['GUEST_DISK'], key,
                          kernel_id=kernel, ramdisk_id=ramdisk,
                          os_command_line=out['GUEST_CMDLINE'])
            for name in bootstrap.IMAGES]


API_IMAGE = 'minicloud-api-image'
# Changes when the image's bytes or properties do: it is uploaded again.
API_IMAGE_KEY = 'halt-mbr-scsi-1'


def halting_disk():
    """1 MiB: a boot sector that halts the CPU (cli; hlt; jmp to hlt).

    Its MBR defines one partition: image format checks (glance's and
    nova's) refuse an MBR that defines none.
    """
    disk = bytearray(1024 * 1024)
    disk[0:4] = bytes([0xfa, 0xf4, 0xeb, 0xfd])
    disk[446:462] = struct.pack('<B3BB3BII', 0x80, 0, 2, 0, 0x83, 0, 0, 0,
                                1, len(disk) // 512 - 1)
    disk[510:512] = b'\x55\xaa'
    return bytes(disk)


def ensure_api_image(sess):
    """The API tests' image (see the module's docstring); its id."""
    path = os.path.join(layout.DATA, 'api-image.raw')
    with open(path, 'wb') as f:
        f.write(halting_disk())
    return _ensure_image(sess, API_IMAGE, 'raw', path, API_IMAGE_KEY,
                         container='bare', hw_disk_bus='scsi',
                         hw_scsi_model='virtio-scsi',
                         os_shutdown_timeout='0')
