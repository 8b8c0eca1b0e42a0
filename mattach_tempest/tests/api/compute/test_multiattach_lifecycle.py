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

"""Server lifecycle operations on one of two servers sharing a volume.

Nova has no multiattach check for reboot, stop/start, resize or a server
snapshot (behaviour rule 13: a snapshot of a volume-backed server whose root
volume is multiattach is allowed; resize re-creates the resized server's
attachment and leaves the volume briefly reserved). Whatever one server
goes through, the other server's attachment must stay as it was: same
attachment id, attached, volume in-use.
"""

from oslo_serialization import jsonutils as json
from tempest import config
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips

CONF = config.CONF


class MultiattachLifecycleTest(base.MultiattachBaseTest):
    """Reboot and stop/start leave every attachment as it was.

    The tests share servers A and B (booted once for the class): each
    attaches a volume of its own, detaches it at cleanup, and leaves A
    ACTIVE again.
    """

    class_server_count = 2

    @decorators.idempotent_id('856ffea9-3e68-4575-804e-f909a4d439df')
    @unstable.services('compute', 'volume')
    def test_hard_reboot_keeps_attachments(self):
        """A hard reboot of one server changes no attachment.

        A hard reboot is the one that reconnects the server's volumes.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and
           B.
        2. Hard-reboot A and wait until it is ACTIVE.
        3. Cinder's volume view and attachments API list A and B attached
           under their original attachment ids and nothing else, the
           volume is in-use, and nova lists the volume on each server.
        """
        volume, (rebooted, _other), attachments = self.create_shared_volume(
            servers=self.class_servers())

        self.servers_client.reboot_server(rebooted['id'], type='HARD')
        unstable.wait_for_server_status(
            self.servers_client, rebooted['id'], 'ACTIVE')

        self.assertHeldBy(volume['id'], attachments)

    @decorators.idempotent_id('ed20f90c-31ed-49e2-9e5c-280977abe6ca')
    @unstable.services('compute', 'volume')
    def test_stop_start_keeps_attachments(self):
        """Stopping and starting one server changes no attachment.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and
           B.
        2. Stop A and wait until it is SHUTOFF: cinder and nova still list
           A and B under their original attachment ids and nothing else,
           the volume is in-use.
        3. Start A and wait until it is ACTIVE: the same again.
        """
        volume, (cycled, _other), attachments = self.create_shared_volume(
            servers=self.class_servers())

        self.servers_client.stop_server(cycled['id'])
        unstable.wait_for_server_status(
            self.servers_client, cycled['id'], 'SHUTOFF')
        self.assertHeldBy(volume['id'], attachments)

        self.servers_client.start_server(cycled['id'])
        unstable.wait_for_server_status(
            self.servers_client, cycled['id'], 'ACTIVE')
        self.assertHeldBy(volume['id'], attachments)


def skip_unless_resize(cls):
    """Skip unless servers may be resized, and to a second flavor."""
    skips.unless_enabled(cls, 'compute-feature-enabled', 'resize',
                         'Resize is not enabled')
    if CONF.compute.flavor_ref_alt == CONF.compute.flavor_ref:
        raise cls.skipException(
            'No second flavor to resize to: [compute] flavor_ref_alt '
            'equals flavor_ref')


class MultiattachResizeTest(base.MultiattachBaseTest):
    """Resize of one server sharing a volume."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skip_unless_resize(cls)

    @decorators.attr(type='slow')
    @decorators.idempotent_id('2dd7b4ae-3aa3-4375-b8cb-1d85fe4a1744')
    @unstable.services('compute', 'volume')
    def test_resize_keeps_attachments(self):
        """Resizing one server keeps the other's attachment, and its own.

        Nova re-creates the resized server's attachment (for the
        destination host, even the same one), so only its presence is
        checked; the other server's attachment must not change.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Resize A to [compute] flavor_ref_alt and wait for
           VERIFY_RESIZE.
        3. Confirm the resize and wait until A is ACTIVE.
        4. Cinder's volume view and attachments API list A and B attached
           and nothing else, the volume is in-use, nova lists the volume
           on each server, and B's attachment id is unchanged.
        """
        volume, (resized, other), attachments = self.create_shared_volume()

        self.servers_client.resize_server(resized['id'],
                                          CONF.compute.flavor_ref_alt)
        self.confirm_resize(resized['id'])

        held = self.assertHeldBy(
            volume['id'], [resized['id'], other['id']])
        self.assertEqual(attachments[other['id']], held[other['id']])


class MultiattachResizeAcrossHostsTest(base.MultiattachBaseTest):
    """Resize of one of two servers that share a volume from two hosts.

    Where the resized server lands is nova's choice, and a user cannot
    name a host. Nova resizes a server on its own host only when
    nova.conf allows it (allow_resize_to_same_host, not visible through
    the API); tempest.conf says so with ``[mattach]
    allow_resize_to_same_host`` (False, nova's default: the resized
    server must then be on another host, with a new hostId). Where it
    is True the test still checks every attachment, not the move.
    tests/api/admin/test_multiattach_move.py moves a holder to a host it
    names.
    """

    placement = 'different'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skip_unless_resize(cls)

    @decorators.attr(type='slow')
    @decorators.idempotent_id('c61cba85-2167-4ae8-b756-a1c1b821ebf5')
    @unstable.services('compute', 'volume')
    def test_resize_to_other_host_keeps_attachments(self):
        """A holder resized away from its host holds the volume there.

        Nova re-creates the resized server's attachment for the
        destination (compute manager resize_instance: a new attachment,
        then the delete of the old one), so the resized server holds the
        volume under a new attachment id; the other server's must not
        change.

        Steps:
        1. Boot server A, then server B on another host (scheduler hint
           different_host: their hostIds differ); attach one multiattach
           volume to A and B.
        2. Resize A to [compute] flavor_ref_alt, wait for VERIFY_RESIZE,
           confirm the resize and wait until A is ACTIVE.
        3. Unless [mattach] allow_resize_to_same_host, A's hostId changed.
        4. Cinder's volume view and attachments API list A and B attached
           and nothing else, the volume is in-use, nova lists the volume
           on each server under cinder's attachment id; B's attachment id
           is unchanged, A's is new.
        5. Detach A: B alone holds the volume, same id; attach A again:
           A and B hold it, B's id unchanged.
        """
        volume, (resized, other), attachments = self.create_shared_volume(
            placement='different')
        host_id = self.server_host_id(resized['id'])

        self.servers_client.resize_server(resized['id'],
                                          CONF.compute.flavor_ref_alt)
        self.confirm_resize(resized['id'])

        if not CONF.mattach.allow_resize_to_same_host:
            self.assertNotEqual(
                host_id, self.server_host_id(resized['id']),
                'Server %s was resized on its own host although [mattach] '
                'allow_resize_to_same_host = False' % resized['id'])
        held = self.assertHeldBy(
            volume['id'], [resized['id'], other['id']])
        self.assertEqual(attachments[other['id']], held[other['id']],
                         'The resize of server %s changed the attachment of '
                         'server %s' % (resized['id'], other['id']))
        self.assertNotEqual(
            attachments[resized['id']], held[resized['id']],
            'Server %s holds the volume under the attachment of its old host '
            'after the resize' % resized['id'])
        self.assertMovedHolderReattaches(volume, resized, held)


class MultiattachVolumeBackedSnapshotTest(base.MultiattachBaseTest):
    """Snapshot of a server booted from a shared multiattach root volume."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'compute-feature-enabled', 'snapshot',
                             'Server snapshots are not enabled')
        skips.unless_enabled(cls, 'volume-feature-enabled', 'snapshot',
                             'Volume snapshots are not enabled')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.compute_images_client = cls.os_primary.compute_images_client
        cls.images_client = cls.os_primary.image_client_v2

    def expect_no_image_named(self, name):
        """Register the delete of any image called `name`.

        Registered before the snapshot request, so an image nova makes is
        removed even when the test fails before learning its id.
        """
        def delete_named():
            for image in self.images_client.list_images(
                    params={'name': name})['images']:
                test_utils.call_and_ignore_notfound_exc(
                    self.images_client.delete_image, image['id'])
                self.images_client.wait_for_resource_deletion(image['id'])
        self.addCleanup(delete_named)

    def expect_no_snapshots_of(self, volume_id):
        """Register the delete of every cinder snapshot of the volume.

        Nova's server snapshot makes a cinder snapshot of each volume of
        the server, which must be gone before the volume can be deleted.
        """
        def delete_snapshots():
            for snapshot in self.snapshots_client.list_snapshots(
                    volume_id=volume_id)['snapshots']:
                # Cinder refuses to delete a snapshot still being created.
                waiters.wait_until(
                    lambda: self._snapshot_settled(snapshot['id']),
                    'snapshot %s to settle before its delete'
                    % snapshot['id'])
                test_utils.call_and_ignore_notfound_exc(
                    self.snapshots_client.delete_snapshot, snapshot['id'])
                self.snapshots_client.wait_for_resource_deletion(
                    snapshot['id'])
        self.addCleanup(delete_snapshots)

    def _snapshot_settled(self, snapshot_id):
        status = self.snapshots_client.show_snapshot(snapshot_id)[
            'snapshot']['status']
        return status in ('available', 'error'), status

    @decorators.attr(type='slow')
    @decorators.idempotent_id('e54bdb4d-fcdf-443b-9d70-a9bc05eb8493')
    @unstable.services('compute', 'volume', 'image')
    def test_snapshot_volume_backed_server_keeps_attachments(self):
        """A snapshot of a server booted from a shared multiattach volume.

        Steps:
        1. Create a bootable multiattach volume from the API tests' image;
           boot server A from it and attach it to server B as a data disk.
        2. Create a snapshot image of A and wait until it is active.
        3. The image's block device mapping names a cinder snapshot of
           the volume.
        4. Cinder's volume view and attachments API list A and B under
           their original attachment ids and nothing else, the volume is
           in-use, and nova lists the volume on each server.
        Cleanup deletes the image and the cinder snapshot nova made.
        """
        volume = self.create_bootable_multiattach_volume()
        snapshotted, other = self.create_server_from_volume_and_another(
            volume)
        self.attach_volume(other, volume)
        attachments = self.assertHeldBy(volume['id'],
                                        [snapshotted['id'], other['id']])

        name = self.resource_name('image')
        self.expect_no_snapshots_of(volume['id'])
        self.expect_no_image_named(name)
        image_id = self.compute_images_client.create_image(
            snapshotted['id'], name=name)['image_id']
        unstable.wait_for_image_status(self.images_client, image_id, 'active')

        image = self.images_client.show_image(image_id)
        self.assertIn('block_device_mapping', image,
                      'Image %s of a volume-backed server has no block '
                      'device mapping' % image_id)
        mappings = image['block_device_mapping']
        if isinstance(mappings, str):
            # Glance v2 carries the mapping as a JSON string property.
            mappings = json.loads(mappings)
        snapshot_volumes = [
            self.snapshots_client.show_snapshot(
                mapping['snapshot_id'])['snapshot']['volume_id']
            for mapping in mappings if mapping.get('snapshot_id')]
        self.assertEqual([volume['id']], snapshot_volumes)

        self.assertHeldBy(volume['id'], attachments)
