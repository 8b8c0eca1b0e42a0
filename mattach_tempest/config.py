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

"""Configuration options of mattach-tempest.

Only what tempest lacks lives here. Everything tempest already has is read
from tempest's own groups and never duplicated:

* ``[compute-feature-enabled] volume_multiattach``: the cloud supports
  multiattach at all (every test of this plugin is skipped without it);
* ``[volume] volume_type_multiattach``: the operator's multiattach type;
* ``[volume] volume_type``: the plain (non-multiattach) type for retypes;
* ``[compute] / [volume] max_microversion``: microversion gating;
* ``[compute] build_timeout``, ``[volume] build_timeout``,
  ``[validation] ssh_timeout``: every wait's timeout.
"""

from oslo_config import cfg

mattach_group = cfg.OptGroup(
    name='mattach',
    title='Multi-attach conformance options')

MattachGroup = [
    cfg.IntOpt('servers_per_volume',
               default=3,
               min=2,
               help='How many servers the N-way tests attach one '
                    'multiattach volume to.'),
    cfg.IntOpt('concurrent_attach_servers',
               default=3,
               min=2,
               help='How many attach requests for one volume the '
                    'concurrency test sends at the same time.'),
    cfg.BoolOpt('create_multiattach_type',
                default=False,
                help='Tests running with admin credentials create their own '
                     'volume type with extra spec multiattach="<is> True" '
                     'instead of using [volume] volume_type_multiattach.'),
    cfg.BoolOpt('protects_nova_attachments',
                default=True,
                help='The cloud refuses (409) a user deleting a nova-owned '
                     'attachment through the block storage API: nova sends '
                     'service tokens and cinder requires them (OSSA-2023-003, '
                     'bug 2004555). Set to False only for a cloud known to '
                     'lack that protection; its tests are then skipped.'),
    cfg.BoolOpt('volume_encryption',
                default=True,
                help='The block storage service creates encrypted volumes: '
                     'it has a key manager (barbican, or the fixed-key '
                     'manager cinder ships) for the keys of volumes whose '
                     'type has an encryption type. Set to False for a cloud '
                     'without one; the tests that need cinder to make a '
                     'volume\'s key are then skipped. Attaching encrypted '
                     'volumes is [compute-feature-enabled] '
                     'attach_encrypted_volume.'),
    cfg.BoolOpt('evacuate',
                default=False,
                help='Run the evacuate test. It forces the nova-compute '
                     'service of a server\'s host down (os-services '
                     'forced_down, admin) while that service keeps running, '
                     'evacuates the server to another host, deletes it (nova '
                     'forces a service up again only once no evacuation from '
                     'its host awaits that service\'s restart) and lifts the '
                     'forced down. It runs alone (a tempest serial class) '
                     'and needs [compute] min_compute_nodes >= 2. The guest '
                     'left on the forced-down host stays there until its '
                     'nova-compute restarts or reaps deleted guests '
                     '(running_deleted_instance_action): enable it where '
                     'that harms nothing, as with nova\'s fake driver.'),
    cfg.BoolOpt('allow_resize_to_same_host',
                default=False,
                help='Mirrors nova.conf [DEFAULT] allow_resize_to_same_host '
                     '(nova\'s default is False). When False, nova never '
                     'resizes a server on its own host, and on a cloud of '
                     '[compute] min_compute_nodes >= 2 the resize tests '
                     'assert that the resized server moved to another host '
                     '(its hostId changed). Set to True where nova may keep '
                     'the server on its host (devstack sets it so).'),
    cfg.StrOpt('guest_filesystem',
               default='ext4',
               help='Filesystem the scenario tests create on the shared '
                    'volume inside guest A (mkfs.<name> must exist in the '
                    'guest image).'),
    cfg.IntOpt('raw_region_kib',
               default=64,
               min=4,
               help='Size in KiB of the region each guest writes in the '
                    'raw-block scenario test.'),
    cfg.StrOpt('api_image_ref',
               default='',
               help='The image the API tests boot their servers from and '
                    'make their bootable volumes of. They never log in to '
                    'a server, so it needs no guest OS: on an emulated '
                    '(TCG) or small cloud, an image whose server runs '
                    'nothing, with its disks on a bus that unplugs without '
                    'the guest (hw_disk_bus=scsi, hw_scsi_model='
                    'virtio-scsi, os_shutdown_timeout=0), leaves the CPU '
                    'to the data-path tests\' guests. Empty (the default): '
                    '[compute] image_ref. The data-path tests always boot '
                    '[compute] image_ref.'),
    cfg.DictOpt('compute_libvirt_uris',
                default={},
                help='How the whitebox tests reach the libvirt of each '
                     'compute host: host:uri pairs, the host as nova '
                     'names it (a server\'s OS-EXT-SRV-ATTR:host), the uri '
                     'one the python libvirt module opens read-only where '
                     'tempest runs (e.g. compute1:qemu+ssh://root@compute1/'
                     'system). A test reads the domain XML of each server '
                     'holding a multiattach volume (its '
                     'OS-EXT-SRV-ATTR:instance_name on the host of its '
                     'OS-EXT-SRV-ATTR:host) and checks the volume\'s disk. '
                     'Unset (the default): those tests are skipped. Needs '
                     'admin credentials and libvirt-python installed with '
                     'tempest.'),
    cfg.ListOpt('known_defects',
                default=[],
                help='Defects the cloud under test is known to have, by '
                     'name (see mattach_tempest/common/known_defects.py). '
                     'The tests proving them still run: one that '
                     'reproduces its defect is reported as skipped naming '
                     'it, one that passes fails (the defect is fixed: '
                     'remove its name), any other failure is a failure. '
                     'Must be empty for a certification run.'),
]


def list_opts():
    """Options of this plugin, for oslo-config-generator."""
    return [(mattach_group, MattachGroup)]
