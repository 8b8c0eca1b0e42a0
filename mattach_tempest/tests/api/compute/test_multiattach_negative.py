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

"""What nova and cinder refuse to do with a multiattach volume.

Behaviour rules (doc/source/behaviour.rst): 2, a second attach of the
volume to the same server; 3, attaching it to a shelved-offloaded server;
9, deleting it while attached; 1, a multi-create request with it in the
bdm; 4, a user's swap of it while two servers hold it. Each refusal leaves
every existing attachment as it was.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# nova policies/volumes_attachments.py: swap is for the service role (and
# admin); nova exception.PolicyNotAuthorized (403) for anyone else.
SWAP_POLICY_REFUSED = ("Policy doesn't allow "
                       "os_compute_api:os-volumes-attachments:swap to be "
                       "performed.")


class MultiattachNegativeTest(base.MultiattachBaseTest):
    """Refusals around an attached multiattach volume.

    The tests share servers A and B (booted once for the class): each
    attaches a volume of its own and detaches it at cleanup.
    """

    class_server_count = 2

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d2ae449a-cc81-4525-b1c5-30636993dbc2')
    @unstable.services('compute', 'volume')
    def test_second_attach_to_same_server_refused(self):
        """Attaching the volume again to the same server is a 400.

        Steps:
        1. Attach a new multiattach volume to the class's server A.
        2. Attach it to the same server again: 400 "volume <id> already
           attached" (nova _check_volume_already_attached).
        3. Cinder still lists the first attachment alone, same id, volume
           in-use; nova lists the volume once on the server.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers(1))
        server_id = servers[0]['id']
        self.assertRefused(
            lib_exc.BadRequest,
            'Invalid volume: volume %s already attached' % volume['id'],
            self.volume_attachments_client.attach_volume,
            server_id, volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('6ed6a500-ca56-4c86-8a5e-1cd5261cb581')
    @unstable.services('compute', 'volume')
    def test_delete_attached_volume_refused(self):
        """Deleting a volume two servers hold is a 400.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and
           B.
        2. Delete the volume through cinder: 400, its status must be
           available or error.
        3. The volume is still in-use with both attachments, same ids.
        """
        volume, _servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        self.assertRefused(
            lib_exc.BadRequest,
            'Invalid volume: Volume status must be available or error',
            self.volumes_client.delete_volume, volume['id'])
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('34aff359-f824-42af-8534-f0de2886e384')
    @unstable.services('compute', 'volume', 'image')
    def test_multi_create_with_volume_refused(self):
        """A multi-create request with the volume in its bdm is a 400.

        Steps:
        1. Create a multiattach volume.
        2. Boot two servers in one request (min_count 2) from the image
           with the volume as a data disk: 400 "Cannot attach one or more
           volumes to multiple instances" (nova bug 1747985).
        3. No server of that name exists; cinder holds no attachment of
           the volume and it is available.
        """
        volume = self.create_multiattach_volume()
        self.assertBootRefused(
            'Cannot attach one or more volumes to multiple instances',
            volume, min_count=2)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('b91ed74b-b853-4e34-adf8-30531c208ee3')
    @unstable.services('compute', 'volume')
    def test_swap_of_shared_volume_refused(self):
        """A user's swap of a volume two servers hold is refused by policy.

        Swapping an attached volume is cinder's half of a volume
        migration: nova's default policy lets only the service role (and
        admin) call it, so a user's request is refused before any other
        check (the volume not migrating: 409, tested as admin; more than
        one read/write attachment: 400, reached only through a migration).

        Not skipped on [compute-feature-enabled] swap_volume: that flag
        says whether the cloud's virt driver can swap, but the refusal
        comes from nova-api before any driver is involved, so a cloud that
        cannot swap must refuse all the same; a skip would hide a swap
        that goes ahead.

        Steps:
        1. Create a plain volume; attach a new multiattach volume to the
           class's servers A and B.
        2. On server A, update the multiattach volume's attachment with
           the plain volume's id (a swap): 403 "Policy doesn't allow
           os_compute_api:os-volumes-attachments:swap to be performed."
        3. Both attachments are intact with the same ids, nova lists the
           same volume on A, and the plain volume is available with no
           attachment.
        """
        new_volume = self.create_volume()
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        server_id = servers[0]['id']
        # A swap the cloud wrongly makes leaves the plain volume on A.
        self.detach_at_cleanup(server_id, new_volume['id'])
        self.assertRefused(
            lib_exc.Forbidden, SWAP_POLICY_REFUSED,
            self.volume_attachments_client.update_volume_attachment,
            server_id, volume['id'], new_volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments)
        self.assertReleased(new_volume['id'])


class MultiattachShelvedNegativeTest(base.MultiattachBaseTest):
    """A shelved-offloaded server takes no multiattach volume."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        # shelve_offload on request is admin-only by default policy: with
        # primary credentials nova itself must offload the server.
        cls.skip_unless_shelve_offloads()

    @decorators.attr(type=['negative', 'slow'])
    @decorators.idempotent_id('b37e7c50-4d6f-450f-acda-e6cfed451112')
    @unstable.services('compute', 'volume', 'image')
    def test_attach_to_shelved_offloaded_server_refused(self):
        """Attaching a multiattach volume to a shelved-offloaded server: 400.

        The server is this test's own: it is shelved and offloaded.

        Steps:
        1. Create a multiattach volume and a server; shelve the server and
           wait until nova offloads it (SHELVED_OFFLOADED, within
           [compute] shelved_offload_time, and its shelve action
           finished).
        2. Attach the volume to it: 400 "Attaching multiattach volumes is
           not supported for shelved-offloaded instances."
        3. Cinder holds no attachment of the volume (attached or reserved)
           and it is available; nova lists no volume on the server.
        """
        volume = self.create_multiattach_volume()
        server = self.create_server()
        self.shelve_offload(server['id'])
        self.assertAttachRefused(
            'Attaching multiattach volumes is not supported for '
            'shelved-offloaded instances.', server['id'], volume['id'])
