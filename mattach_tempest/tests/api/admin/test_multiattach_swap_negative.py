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

"""Swapping a multiattach volume two servers hold: who may, and when not.

Behaviour rule 4 (doc/source/behaviour.rst). PUT
servers/{id}/os-volume_attachments/{volume} with another volumeId (a swap)
is cinder's half of a volume migration. nova checks, in this order: the
policy (service role or admin, 403 for a user:
tests/api/compute/test_multiattach_negative.py), that cinder is migrating
the old volume (409, bug 2112187), then, in the compute API, that the old
volume has at most one read/write attachment (400). A direct call, even an
admin's, stops at the second check; only cinder, migrating the volume to
another backend, reaches the third.
"""

from tempest import config
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base

CONF = config.CONF

# nova api/openstack/compute/volume_attachments.py _update_volume_swap(),
# HTTPConflict (409).
NOT_MIGRATING = ('volume %s is not migrating; this API should only be '
                 'called by Cinder')


class MultiattachAdminSwapNegativeTest(base.MultiattachAdminBaseTest):
    """An admin's direct swap passes the policy and is refused all the same."""

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_volume_attachments_client = (
            cls.os_admin.mattach_compute.VolumeAttachmentsClient())

    @decorators.attr(type='negative')
    @decorators.idempotent_id('853487e2-6bf2-488b-9b0b-6e9ae17b289c')
    @unstable.services('compute', 'volume')
    def test_admin_swap_of_shared_volume_refused(self):
        """An admin's swap of a volume cinder is not migrating is a 409.

        Nova's swap policy admits admins (service role or admin), so the
        refusal must come from the next check: only cinder, migrating the
        volume, may swap it.

        Steps:
        1. Create a plain volume; attach one multiattach volume to servers
           A and B (primary user).
        2. As admin, update A's attachment of the multiattach volume with
           the plain volume's id: 409 "volume <id> is not migrating; this
           API should only be called by Cinder".
        3. Both attachments are intact with the same ids (cinder and
           nova), and the plain volume is available with no attachment.
        """
        # Created before the servers so its delete runs after theirs.
        new_volume = self.create_volume()
        volume, servers, attachments = self.create_shared_volume()
        self.assertRefused(
            lib_exc.Conflict, NOT_MIGRATING % volume['id'],
            self.admin_volume_attachments_client.update_volume_attachment,
            servers[0]['id'], volume['id'], new_volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments)
        self.assertReleased(new_volume['id'])


class MultiattachMigrationSwapNegativeTest(base.MultiattachAdminBaseTest):
    """Cinder cannot migrate a volume two servers hold read/write.

    Migrating an attached volume, cinder creates the new volume on the
    destination backend and asks nova to swap each server onto it; nova
    refuses (400 "Swapping multi-attach volumes with more than one
    read/write attachment is not supported."), and cinder gives the
    migration up. Nova's refusal reaches no API a test can read (cinder
    logs it; nova records no instance action for a swap it refuses), so
    the test asserts its effects: the migration fails, the volume stays on
    its backend, held by both servers, and cinder's destination volume is
    deleted.

    Needs two backends an admin can migrate between, as tempest's own
    migration tests do: ``[volume-feature-enabled] multi_backend`` and two
    ``[volume] backend_names``.
    """

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.volume_feature_enabled.multi_backend:
            raise cls.skipException(
                'Migrating a volume needs two backends: '
                '[volume-feature-enabled] multi_backend = False')
        if len(set(CONF.volume.backend_names)) < 2:
            raise cls.skipException(
                'Migrating a volume needs two backends: [volume] '
                'backend_names = %s' % ','.join(CONF.volume.backend_names))

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_scheduler_stats_client = (
            cls.os_admin.volume_scheduler_stats_client_latest)

    def other_backend_pool(self, host):
        """A pool of another of [volume] backend_names than `host`'s.

        :param host: the volume's os-vol-host-attr:host (host@backend#pool)
        """
        backend = host.split('#')[0]
        pools = [p['name'] for p in self.admin_scheduler_stats_client
                 .list_pools(detail=True)['pools']
                 if p['capabilities'].get('volume_backend_name') in
                 CONF.volume.backend_names and
                 p['name'].split('#')[0] != backend]
        self.assertNotEqual(
            [], pools, 'No pool of [volume] backend_names %s other than %s'
            % (CONF.volume.backend_names, backend))
        return pools[0]

    def wait_for_migration_end(self, volume_id):
        """Wait until cinder ends the migration; the volume as admin sees it.

        Ended: migration_status is none of starting, migrating, completing.
        """
        def ended():
            volume = self.admin_volumes_client.show_volume(volume_id)[
                'volume']
            return (volume['migration_status'] not in (
                'starting', 'migrating', 'completing'), volume)
        return waiters.wait_until(ended,
                                  'the migration of volume %s to end'
                                  % volume_id)

    def migration_volumes(self, volume):
        """{id: migration_status} of the other volumes with its name.

        Cinder's destination volume of a migration carries the source's
        name and project; only admin lists it.
        """
        return {v['id']: v['migration_status']
                for v in self.admin_volumes_client.list_volumes(
                    detail=True, params={'all_tenants': True,
                                         'name': volume['name']})['volumes']
                if v['id'] != volume['id']}

    def delete_migration_volumes(self, volume):
        """Delete what a migration of `volume` left, once cinder lets go.

        Cinder refuses to delete a migration's destination (migration
        status target:<id>) and deletes it itself when the migration
        fails: wait for that first.
        """
        def released():
            left = self.migration_volumes(volume)
            return not any((status or '').startswith('target:')
                           for status in left.values()), left
        for volume_id in waiters.wait_until(
                released, 'cinder to finish with the destination volumes '
                'of the migration of %s' % volume['id']):
            test_utils.call_and_ignore_notfound_exc(
                self.admin_volumes_client.delete_volume, volume_id)
            self.admin_volumes_client.wait_for_resource_deletion(volume_id)

    @decorators.attr(type=['negative', 'slow'])
    @decorators.idempotent_id('5284eb6e-29b3-4139-8949-98962ae1ce3e')
    @unstable.services('compute', 'volume')
    def test_migration_of_shared_volume_fails(self):
        """Nova refuses cinder's swap: the migration fails, nothing moves.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. As admin, migrate it (os-migrate_volume) to a pool of another
           backend of [volume] backend_names: 202.
        3. Once the migration ends, its status is error and the volume is
           still on its host.
        4. Both servers hold the volume with the same attachment ids
           (cinder and nova); cinder's destination volume is deleted.
        """
        volume, _servers, attachments = self.create_shared_volume()
        # A destination volume cinder failed to delete, or the one a
        # wrongly successful migration left behind, is deleted too.
        self.addCleanup(self.delete_migration_volumes, volume)
        host = self.admin_volumes_client.show_volume(volume['id'])[
            'volume']['os-vol-host-attr:host']
        self.admin_volumes_client.migrate_volume(
            volume['id'], host=self.other_backend_pool(host))

        migrated = self.wait_for_migration_end(volume['id'])
        self.assertEqual(
            'error', migrated['migration_status'],
            'Cinder migrated volume %s while servers %s held it read/write:'
            ' nova must refuse to swap a multiattach volume with more than '
            'one read/write attachment' % (volume['id'], sorted(attachments)))
        self.assertEqual(host, migrated['os-vol-host-attr:host'])
        self.assertHeldBy(volume['id'], attachments)
        waiters.wait_until(
            lambda: (not self.migration_volumes(volume), None),
            'cinder to delete the destination volume of the failed '
            'migration of %s' % volume['id'])
