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

"""Moving one of two servers that share a volume from two hosts (admin).

Cold migration, live migration and evacuation of a holder to the host of
the other holder, which an admin names. Evacuation runs alone, so its
class is in serial_tests/api/admin/test_multiattach_evacuate, on the base
class of this module. Nova has no multiattach check for
any of them; each gives the moved server a new cinder attachment,
connected on its new host, and must leave the other holder's attachment
as it was. Every test checks, after the move: the moved server runs on
the named host (OS-EXT-SRV-ATTR:host) and nova's migration record of the
move ended as nova ends it; both servers hold the volume on both services
(nova's attachment ids at 2.89 against cinder's), the moved one under a
new attachment id and the other under its old one; cinder connected each
attachment on its server's host; a holder detaches and attaches again on
the host the moved server went to (the moved server itself, unless it
boots from the volume).

The holders are booted apart with the scheduler hint different_host: the
first without a hint, the second naming the first. Nova applies a
server's hints again to each of its moves, so it is the first that is
moved.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips

CONF = config.CONF

# nova objects/fields.py MigrationType: the migration_type of nova's
# migration records (os-migrations).
COLD_MIGRATION = 'migration'
LIVE_MIGRATION = 'live-migration'
EVACUATION = 'evacuation'

# The status a successful move leaves its migration record in. Cold
# migration: resource_tracker.py drop_move_claim_at_source() on confirm.
# Live migration: manager.py _post_live_migration(). Evacuation:
# resource_tracker.py finish_evacuation() on the destination; it turns
# 'completed' only when the source's nova-compute starts again
# (_destroy_evacuated_instances), which a test does not wait for.
CONFIRMED = 'confirmed'
COMPLETED = 'completed'
DONE = 'done'

# Statuses nova ends a failed move in (compute manager, conductor).
FAILED = ('error', 'failed', 'cancelled', 'reverted')


class MultiattachMoveTestBase(base.MultiattachAdminBaseTest):
    """Two holders on two hosts; moving the first, and what must hold."""

    placement = 'different'

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_migrations_client = cls.os_admin.migrations_client

    def create_holders_apart(self, boot_from_volume=False):
        """A volume shared by server A and server B on another host.

        :param boot_from_volume: A boots from the volume (made from
            the API tests' image), which B attaches as a data disk; else
            both boot from the image and attach it as a data disk.
        :returns: (volume, A, B, {server_id: attachment_id}, A's host,
            B's host); A is the server a test may move to B's host.
        """
        if boot_from_volume:
            volume = self.create_bootable_multiattach_volume()
            moved = self.create_server_from_volume(volume)
            # As create_servers_on_hosts places them: the first without a
            # hint, the second naming it.
            other = self.create_server(
                scheduler_hints={'different_host': [moved['id']]})
            self.assertPlacement([moved, other], 'different',
                                 self.server_host)
            self.attach_volume(other, volume)
            attachments = self.assertHeldBy(volume['id'],
                                            [moved['id'], other['id']])
        else:
            volume, (moved, other), attachments = self.create_shared_volume(
                placement='different', host_of=self.server_host)
        source, destination = (self.server_host(moved['id']),
                               self.server_host(other['id']))
        self.assertHeldBy(volume['id'], attachments, on_hosts=True)
        return volume, moved, other, attachments, source, destination

    def wait_for_migration(self, server_id, migration_type, status):
        """Wait until the server's last migration of the type has `status`.

        Fails at once when nova ended it in a failed status.

        :returns: nova's migration record.
        """
        def reached():
            migrations = [
                m for m in self.admin_migrations_client.list_migrations(
                    instance_uuid=server_id,
                    migration_type=migration_type)['migrations']
                # Filtered here too: the filters are not stable API.
                if m['instance_uuid'] == server_id and
                m['migration_type'] == migration_type]
            if not migrations:
                return False, 'no %s record' % migration_type
            last = max(migrations, key=lambda m: m['id'])
            if last['status'] in FAILED and status not in FAILED:
                self.fail('The %s of server %s ended %s: %s; server: %s' % (
                    migration_type, server_id, last['status'], last,
                    waiters.server_evidence(self.admin_servers_client,
                                            server_id)))
            return last['status'] == status, last
        return waiters.wait_until(
            reached, 'the %s of server %s to be %s'
            % (migration_type, server_id, status),
            timeout=CONF.compute.build_timeout,
            interval=CONF.compute.build_interval)

    def assertMoved(self, migration, server_id, source, destination):
        """The server runs on `destination`, moved there from `source`."""
        self.assertEqual(
            (source, destination),
            (migration['source_compute'], migration['dest_compute']),
            'The hosts of nova\'s migration record of server %s' % server_id)
        self.assertEqual(destination, self.server_host(server_id),
                         'The host of server %s after its move' % server_id)

    def assertHoldersAfterMove(self, volume, moved, other, attachments):
        """Both hold the volume; only the moved server's attachment is new.

        :param attachments: {server_id: attachment_id} before the move.
        :returns: {server_id: attachment_id} after it.
        """
        held = self.assertHeldBy(volume['id'], [moved['id'], other['id']],
                                 on_hosts=True)
        self.assertEqual(
            attachments[other['id']], held[other['id']],
            'Moving server %s changed the attachment of server %s, which '
            'stayed where it was' % (moved['id'], other['id']))
        self.assertNotEqual(
            attachments[moved['id']], held[moved['id']],
            'Server %s holds the volume under the attachment of the host it '
            'left' % moved['id'])
        return held

    def assertReattachesAfterMove(self, volume, server, held):
        """A holder detaches and attaches again on the host A moved to."""
        held = self.assertMovedHolderReattaches(volume, server, held)
        self.assertHeldBy(volume['id'], held, on_hosts=True)


class MultiattachColdMigrateTest(MultiattachMoveTestBase):
    """Cold migration of a holder to the other holder's host."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'compute-feature-enabled',
                             'cold_migration', 'Cold migration is not enabled')

    @decorators.attr(type='slow')
    @decorators.idempotent_id('e287e028-8d5c-4e72-a5d6-eecf7693b57e')
    @unstable.services('compute', 'volume')
    def test_cold_migrate_holder_to_other_host(self):
        """A holder cold-migrated to another host holds the volume there.

        Nova gives the migrated server a new attachment (compute manager
        resize_instance on the source: a new attachment, then the delete
        of the old one; finish_resize connects it on the destination).

        Steps:
        1. Boot server A, then server B on another host (different_host);
           attach one multiattach volume to A and B; cinder connected each
           on its server's host.
        2. As admin, migrate A to B's host (compute 2.56), wait for
           VERIFY_RESIZE, confirm and wait until A is ACTIVE and nova's
           migration record is confirmed.
        3. A runs on B's host; the migration went from A's old host to it.
        4. A and B hold the volume on both services (nova lists cinder's
           attachment ids); B's attachment id is unchanged, A's is new;
           cinder connected A's attachment on its new host.
        5. Detach A: B alone holds the volume; attach A again: both hold
           it, cinder connected A's attachment on its new host.
        """
        volume, moved, other, attachments, source, destination = (
            self.create_holders_apart())

        self.admin_servers_client.migrate_server(moved['id'],
                                                 host=destination)
        self.confirm_resize(moved['id'])
        migration = self.wait_for_migration(moved['id'], COLD_MIGRATION,
                                            CONFIRMED)

        self.assertMoved(migration, moved['id'], source, destination)
        held = self.assertHoldersAfterMove(volume, moved, other, attachments)
        self.assertReattachesAfterMove(volume, moved, held)


class MultiattachLiveMigrateTest(MultiattachMoveTestBase):
    """Live migration of a holder to the other holder's host."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'compute-feature-enabled',
                             'live_migration', 'Live migration is not enabled')

    @decorators.attr(type='slow')
    @decorators.idempotent_id('1de6907c-141e-452d-a60b-b15bac6f5e5b')
    @unstable.services('compute', 'volume')
    def test_live_migrate_holder_to_other_host(self):
        """A holder live-migrated to another host holds the volume there.

        Nova's pre_live_migration on the destination creates a new
        attachment for each volume, connected there, and records it in
        the server's block device mapping; _post_live_migration on the
        source deletes the old one. The volume is shared storage: it is
        never copied, so no block migration. Where the cloud live-migrates
        volume-backed servers ([compute-feature-enabled]
        volume_backed_live_migration) A boots from the shared volume
        itself, leaving nothing local to move; else A boots from the image
        and [compute-feature-enabled] block_migration_for_live_migration
        says how its local disk moves, as for tempest's own live
        migration tests.

        Steps:
        1. Boot server A (from the multiattach volume where volume-backed
           live migration is enabled, else from the image with the volume
           attached), then server B on another host (different_host) with
           the volume attached; cinder connected each attachment on its
           server's host.
        2. As admin, live-migrate A to B's host; wait until A is ACTIVE
           and nova's migration record is completed.
        3. A runs on B's host; the migration went from A's old host to it.
        4. A and B hold the volume on both services, one attachment each
           (cinder's attachments API lists no other record): nova lists
           cinder's attachment ids; B's is unchanged, A's is new; cinder
           connected A's attachment on its new host.
        5. Detach A (B when A boots from the volume: a root disk cannot be
           detached): the other alone holds the volume; attach it again:
           both hold it, each connected on its host, the one host they
           now share.
        """
        boot_from_volume = (
            CONF.compute_feature_enabled.volume_backed_live_migration)
        volume, moved, other, attachments, source, destination = (
            self.create_holders_apart(boot_from_volume))

        self.admin_servers_client.live_migrate_server(
            moved['id'], host=destination,
            block_migration=not boot_from_volume and (
                CONF.compute_feature_enabled
                .block_migration_for_live_migration))
        unstable.wait_for_server_status(
            self.servers_client, moved['id'], 'ACTIVE')
        migration = self.wait_for_migration(moved['id'], LIVE_MIGRATION,
                                            COMPLETED)

        self.assertMoved(migration, moved['id'], source, destination)
        held = self.assertHoldersAfterMove(volume, moved, other, attachments)
        self.assertReattachesAfterMove(
            volume, other if boot_from_volume else moved, held)
