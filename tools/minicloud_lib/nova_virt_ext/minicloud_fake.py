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

"""nova's fake virt driver with a node UUID that survives a restart.

nova.virt.fake.FakeDriver names its node UUID with a per-process random
sentinel, so a restarted nova-compute finds "its" compute node under another
UUID and refuses to start. Real drivers use the persistent local node identity
($state_path/compute_id, nova.virt.node): so does this one.

FakeDriver.snapshot uploads nothing, so a server snapshot (and the shelve
that offloads through one) leaves a `queued` image forever. A real driver
uploads the disk: this one uploads a small blank raw disk.

Loaded as nova.virt.minicloud_fake (nova only loads compute drivers from the
nova.virt package): tools/minicloud_lib/nova_compute.py adds this directory to
nova.virt.__path__.
"""
import io

from nova.image import glance
from nova.virt import fake
from nova.virt import node

SNAPSHOT_BYTES = b'\0' * (1024 * 1024)


class FixedNodeFakeDriver(fake.FakeDriver):

    def get_available_resource(self, nodename):
        resources = super().get_available_resource(nodename)
        if resources:
            resources['uuid'] = node.get_local_node_uuid()
        return resources

    def get_nodenames_by_uuid(self, refresh=False):
        return {node.get_local_node_uuid(): n
                for n in self.get_available_nodes()}

    def snapshot(self, context, instance, image_id, update_task_state):
        super().snapshot(context, instance, image_id, update_task_state)
        # glance accepts data only once the formats are set (as libvirt's
        # snapshot() sets them).
        glance.API().update(context, image_id,
                            {'disk_format': 'raw', 'container_format': 'bare'},
                            data=io.BytesIO(SNAPSHOT_BYTES),
                            purge_props=False)
