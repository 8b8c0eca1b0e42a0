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

"""A holder of a multiattach volume moves to another host; data is shared.

Moving a server (cold or live migration) is admin-only by default policy,
and so is the name of a server's host (OS-EXT-SRV-ATTR:host): hence
admin/. The guests are the primary's.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import procedures
from mattach_tempest.common import unstable
from mattach_tempest.tests.scenario import manager
from mattach_tempest.tests import skips

CONF = config.CONF


class MultiattachColdMigrationDataPathTest(
        manager.MultiattachAdminScenarioTest):
    """Cold migration of one holder off the host it shared with another."""

    placement = 'same'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'compute-feature-enabled',
                             'cold_migration', 'Cold migration is not '
                             'enabled')
        skips.unless_compute_hosts(cls)

    @decorators.idempotent_id('740684c4-7e95-42c5-b6f2-8e93f6cd9eef')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_cold_migrated_holder_shares_data_with_the_one_left(self):
        """Data written before a cold migration is read after; new data too.

        1. Create a multiattach volume; boot servers A and B (B with the
           scheduler hint same_host naming A), each SSH-able; both on one
           host (admin: OS-EXT-SRV-ATTR:host).
        2. Attach the volume to A, then to B; both services list exactly
           A and B; find the disk in each guest.
        3. A writes region 0, B region 1; both read both.
        4. B starts a background I/O loop (each round: write regions 4 and
           5 with O_DIRECT, read them back, read regions 0 and 1, every
           read checked by md5). Once it completed a round, as admin cold
           migrate A (A, booted without a hint: nova applies a server's
           boot hints to its moves too); wait until A is off the source
           host in VERIFY_RESIZE; confirm; wait until A is ACTIVE and
           answers over SSH again (its guest restarted): A is on another
           host, B where it was; both services list exactly A and B, B
           under its attachment id from before (A's is new: nova attaches
           on the destination).
        5. After two more rounds stop B's loop: no I/O error, every round
           intact (the source host disconnected A only).
        6. Find the disk in A's guest again.
        7. Both read regions 0 and 1; A writes region 2, B region 3; both
           read all four regions.
        """
        volume = self.create_multiattach_volume()
        guests = self.create_guests_on_hosts(2)
        (server_a, guest_a), (server_b, guest_b) = guests
        source = self.assertPlacement([server_a, server_b], 'same',
                                      host_of=self.server_host)[0]
        members = self.attach_one_at_a_time(guests, volume)
        held = self.assertHeldBy(volume['id'],
                                 [server_a['id'], server_b['id']])

        def migrate_a():
            self.admin_servers_client.migrate_server(server_a['id'])
            self.wait_for_server_moved(server_a['id'], source,
                                       'cold migration')
            unstable.wait_for_server_status(
                self.servers_client, server_a['id'], 'VERIFY_RESIZE')
            self.servers_client.confirm_resize_server(server_a['id'])
            self.wait_for_guest_ssh(server_a, guest_a)
            host_a, host_b = (self.server_host(server_a['id']),
                              self.server_host(server_b['id']))
            self.assertNotEqual(source, host_a,
                                'The host of server A after its cold '
                                'migration')
            self.assertEqual(source, host_b,
                             'The host of server B, which did not move')
            after = self.assertHeldBy(
                volume['id'], [server_a['id'], server_b['id']])
            self.assertEqual(held[server_b['id']], after[server_b['id']],
                             'The attachment id of server B, which did not '
                             'move')

        def move(members):
            # B's I/O goes on while A leaves the host they shared: the
            # source host must disconnect A only.
            _a, b = members
            procedures.io_across(
                b, migrate_a, 'cold migrating %s' % guest_a.name, [4, 5],
                [0, 1], CONF.mattach.raw_region_kib, self.pattern_tag(),
                tag)
            return [self.member_booted_with(server_a, guest_a, volume), b]

        tag = self.pattern_tag()
        procedures.data_across_move_procedure(
            members, move, CONF.mattach.raw_region_kib, tag)


class MultiattachLiveMigrationDataPathTest(
        manager.MultiattachAdminScenarioTest):
    """Live migration of a holder writing all along."""

    placement = 'different'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'compute-feature-enabled',
                             'live_migration', 'Live migration is not '
                             'enabled')

    @staticmethod
    def how_to_boot_and_migrate():
        """(the moving server's create arguments, block_migration).

        [compute-feature-enabled] volume_backed_live_migration True: the
        server boots from a volume (of the image, deleted with it) and
        moves without a block migration: it has no local disk to copy.
        False: it boots from the image, and the request asks 'auto' where
        [compute-feature-enabled] block_migration_for_live_migration is
        True (nova copies the local disk where the hosts share no
        instance storage), else no block migration. Never does nova copy
        the shared volume: it attaches it on the destination.
        """
        if CONF.compute_feature_enabled.volume_backed_live_migration:
            return {'volume_backed': True}, False
        if CONF.compute_feature_enabled.block_migration_for_live_migration:
            return {}, 'auto'
        return {}, False

    @decorators.idempotent_id('922fbe2b-5bf4-4a19-aaea-5da9b0533830')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_live_migrated_holder_writes_across_the_migration(self):
        """A holder's I/O goes on across its live migration; data intact.

        1. Create a multiattach volume; boot the moving server M (from a
           volume of the image where [compute-feature-enabled]
           volume_backed_live_migration is True, else from the image) and
           the staying server S (S with the scheduler hint different_host
           naming M; M, without a hint, can move anywhere: nova applies
           a server's boot hints to its moves too), each SSH-able; on
           different hosts (admin: OS-EXT-SRV-ATTR:host).
        2. Attach the volume to M, then to S; both services list exactly
           M and S; find the disk in each guest.
        3. M writes region 0, S region 1; both read both.
        4. M starts a background I/O loop (each round: write regions 2 and
           3 with O_DIRECT, read them back, read regions 0 and 1, every
           read checked by md5). Once it completed a round, as admin live
           migrate M (no target host; block migration False for a
           volume-backed M, else 'auto' or False by
           [compute-feature-enabled] block_migration_for_live_migration)
           and wait until M is ACTIVE on another host with no task.
        5. Both services list exactly M and S, S under its attachment id
           from before.
        6. After two more rounds stop M's loop: its log shows no I/O error
           and every round intact.
        7. M and S both read regions 0 and 1 and what M's loop last wrote.
        8. M's guest still runs the boot it ran before the migration (its
           kernel's boot id): a live migration never restarts the guest.
        """
        volume = self.create_multiattach_volume()
        boot, block_migration = self.how_to_boot_and_migrate()
        guests = self.create_guests_on_hosts(2,
                                             first_kwargs=boot)
        (server_m, _guest_m), (server_s, _guest_s) = guests
        source = self.assertPlacement([server_m, server_s], 'different',
                                      host_of=self.server_host)[0]
        moving, staying = self.attach_one_at_a_time(guests, volume)
        held = self.assertHeldBy(volume['id'],
                                 [server_m['id'], server_s['id']])

        def live_migrate():
            self.admin_servers_client.live_migrate_server(
                server_m['id'], host=None, block_migration=block_migration)
            host = self.wait_for_server_moved(server_m['id'], source,
                                              'live migration')
            after = self.assertHeldBy(
                volume['id'], [server_m['id'], server_s['id']])
            self.assertEqual(held[server_s['id']], after[server_s['id']],
                             'The attachment id of server S, which did not '
                             'move')
            return host

        across = procedures.io_across_move_procedure(
            moving, staying, live_migrate, CONF.mattach.raw_region_kib,
            self.pattern_tag())
        self.assertNotEqual(source, across.result,
                            'The host of server M after its live migration')
        moving.guest.assert_same_boot('across its live migration')
