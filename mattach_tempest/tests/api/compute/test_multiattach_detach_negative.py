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

"""Detach requests nova must refuse for a shared multiattach volume.

Rule 8: a detach names one server's attachment of the volume. Asking a
server that does not hold the volume is a 404; detaching the volume a
server booted from (its root disk) is a 400, multiattach or not. Neither
refusal may touch any holder's attachment.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# nova api/openstack/compute/volume_attachments.py delete(): the volume has
# no block device mapping on this server (VolumeBDMNotFound, as a 404).
NOT_ATTACHED = 'Instance %s is not attached to volume %s'
# nova api/openstack/compute/volume_attachments.py delete(): bdm.is_root.
ROOT_DETACH_REFUSED = 'Cannot detach a root device volume'


class MultiattachDetachNegativeTest(base.MultiattachBaseTest):
    """Refused detaches leave every holder as it was.

    The tests share servers A, B and C (booted once for the class): each
    attaches a volume of its own and detaches it at cleanup.
    """

    class_server_count = 3

    @decorators.attr(type='negative')
    @decorators.idempotent_id('7e46f039-b961-4c35-a242-85b28397fe7f')
    @unstable.services('compute', 'volume')
    def test_detach_from_server_not_holding_volume_refused(self):
        """Detaching the volume from a server that does not hold it: 404.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and
           B; the class's server C does not hold it.
        2. Detach the volume from C through nova: 404 "Instance <C> is not
           attached to volume <volume>".
        3. A and B still hold the volume under their attachment ids on
           both services, the volume is in-use, and nova lists nothing of
           it on C.
        """
        shared = self.class_servers(3)
        bystander = shared[2]
        volume, _servers, attachments = self.create_shared_volume(
            servers=shared[:2])
        self.assertRefused(
            lib_exc.NotFound, NOT_ATTACHED % (bystander['id'], volume['id']),
            self.volume_attachments_client.detach_volume,
            bystander['id'], volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments,
                          former_holders=[bystander['id']])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('1bd9fdfa-3f44-468e-9cdf-1e039e775e93')
    @unstable.services('compute', 'volume', 'image')
    def test_detach_of_multiattach_root_volume_refused(self):
        """Detaching a multiattach volume a server booted from: 400.

        Server A is this test's own: it boots from the test's volume.

        Steps:
        1. Create a bootable multiattach volume from the API tests' image;
           boot server A from it and attach it to the class's server B as
           a data disk.
        2. Detach it from A through nova: 400 "Cannot detach a root device
           volume".
        3. A and B still hold the volume under their attachment ids on
           both services and the volume is in-use.
        """
        volume = self.create_bootable_multiattach_volume()
        booted = self.create_server_from_volume(volume)
        other = self.class_servers(1)[0]
        self.attach_volume(other, volume)
        attachments = self.assertHeldBy(
            volume['id'], [booted['id'], other['id']])
        self.assertRefused(
            lib_exc.BadRequest, ROOT_DETACH_REFUSED,
            self.volume_attachments_client.detach_volume,
            booted['id'], volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments)
