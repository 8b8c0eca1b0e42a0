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

"""Guests on different hosts, and on one host, sharing a volume.

What one holder writes another on another host reads; and the detach of
one holder leaves the I/O of another, on the same host or on another,
untouched (nova bug 1752115 and its family: a detach tore down the host
connection another holder on that host still used).

The hosts are told apart as a user sees them: by hostId. The steps inside
the guests are mattach_tempest.common.procedures, the functions the
project's stand-in guest tests run (there the defect is staged and seen
to fail the procedure).
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import procedures
from mattach_tempest.common import unstable
from mattach_tempest.tests.scenario import manager

CONF = config.CONF


class SurvivorIOBaseTest(manager.MultiattachScenarioTest):
    """The survivor-I/O test body, for guests placed by the class.

    The tests share the class's guests, placed by the class (class_guests
    asserts their hosts): each detaches what it attached and unmounts what
    it mounted, so the next finds them as booted.
    """

    @classmethod
    def class_guest_count(cls):
        return 2

    def _survivor_io_across_a_detach(self):
        """Steps 1-6 of both survivor tests; S, L placed by the class."""
        volume = self.create_multiattach_volume()
        (server_s, guest_s), (server_l, guest_l) = self.class_guests(2)
        survivor, leaving = self.attach_one_at_a_time(
            [(server_s, guest_s), (server_l, guest_l)], volume)
        held = self.assertHeldBy(volume['id'],
                                 [server_s['id'], server_l['id']])

        def detach(member):
            self.detach_and_forget(server_l, member, volume)
            self.assertHeldBy(
                volume['id'], {server_s['id']: held[server_s['id']]},
                former_holders=[server_l['id']])

        def detach_survivor(member):
            self.detach_and_forget(server_s, member, volume)
            self.assertReleased(
                volume['id'],
                former_holders=[server_s['id'], server_l['id']])

        across = procedures.survivor_io_procedure(
            survivor, leaving, detach, detach_survivor,
            CONF.mattach.raw_region_kib, self.pattern_tag())
        self.assertGreaterEqual(
            across.rounds, across.rounds_before + procedures.ROUNDS_AFTER,
            'Rounds of the survivor\'s I/O loop after the detach')


class MultiattachDifferentHostsDataPathTest(SurvivorIOBaseTest):
    """Holders on different hosts (scheduler hint different_host)."""

    placement = 'different'

    @classmethod
    def class_guest_count(cls):
        return max(2, CONF.mattach.servers_per_volume)

    @decorators.idempotent_id('5ea8a1ec-b4b3-428a-b6d8-d768c15c76a0')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_filesystem_handover_across_hosts(self):
        """A filesystem written on one host is read and extended on another.

        1. Create a multiattach volume; take the class's first two guests:
           A, then B booted with the scheduler hint different_host naming
           A, each SSH-able; their hostIds differ.
        2. Attach the volume to A, then to B; both services list exactly
           A and B; find the disk in each guest.
        3. A: mkfs, mount, write "hello from A", sync, umount.
        4. B: mount, read exactly A's line, append "hello from B", sync,
           umount.
        5. A: mount, read exactly both lines, umount.
        """
        volume = self.create_multiattach_volume()
        guests = self.class_guests(2)
        a, b = self.attach_one_at_a_time(guests, volume)
        self.assertHeldBy(volume['id'],
                          [server['id'] for server, _g in guests])
        self.filesystem_handover(a, b)

    @decorators.idempotent_id('afbc1dc3-a03e-4809-afd1-f184ded7c898')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_raw_block_regions_across_hosts(self):
        """Each guest writes its region; every guest on every host reads all.

        1. Create a multiattach volume; take N ([mattach]
           servers_per_volume) of the class's guests, each booted with the
           scheduler hint different_host naming those before it while the
           cloud ([compute] min_compute_nodes) has hosts left; the first
           min(N, min_compute_nodes) have hostIds all different.
        2. Attach the volume to each, one at a time; both services list
           exactly the N servers; find the disk in each guest.
        3. Guest i writes its region i (dd, sync, flush); every guest
           drops its cached blocks and reads every region: each checksum
           equals the pattern's.
        """
        volume = self.create_multiattach_volume()
        guests = self.class_guests(CONF.mattach.servers_per_volume)
        members = self.attach_one_at_a_time(guests, volume)
        self.assertHeldBy(volume['id'],
                          [server['id'] for server, _g in guests])
        written = procedures.raw_block_procedure(
            members, CONF.mattach.raw_region_kib, self.pattern_tag())
        self.assertEqual(CONF.mattach.servers_per_volume, written)

    @decorators.idempotent_id('b9c22057-31b7-4da8-8469-c4fdf8d3868c')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_survivor_io_across_a_detach_on_another_host(self):
        """Detaching one holder never disturbs a holder on another host.

        1. Create a multiattach volume; take the class's first two guests:
           the survivor S, then the leaving server L booted with the hint
           different_host naming S, each SSH-able; their hostIds differ.
        2. Attach the volume to S, then to L; both services list exactly S
           and L.
        3. S writes region 0, L region 1; both read both.
        4. S starts a background I/O loop (each round: write regions 2 and
           3 with O_DIRECT, read them back, read regions 0 and 1, every
           read checked by md5); once it completed a round, detach L
           (waited on cinder's record and on the disk leaving L's guest):
           both services list S alone, under its attachment id, and
           nothing of the volume on L.
        5. After two more rounds stop the loop: its log shows no I/O error
           and every round intact; S reads regions 0 and 1 and what its
           loop last wrote.
        6. Detach S: the volume is available, no attachment left on
           either service.
        """
        self._survivor_io_across_a_detach()


class MultiattachSameHostDataPathTest(SurvivorIOBaseTest):
    """Holders on one host (scheduler hint same_host)."""

    placement = 'same'

    @decorators.idempotent_id('e1445a13-9757-4cb4-aefa-13daa465dc4f')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_survivor_io_across_a_detach_on_the_same_host(self):
        """Detaching one holder keeps the host's connection for the other.

        Nova bug 1752115: the detach of one server disconnected the volume
        from the host while another server on it still used the volume.

        1. Create a multiattach volume; take the class's guests: the
           survivor S, then the leaving server L booted with the hint
           same_host naming S, each SSH-able; their hostIds are equal.
        2. Attach the volume to S, then to L; both services list them.
        3. S writes region 0, L region 1; both read both.
        4. S runs its O_DIRECT I/O loop (regions 2 and 3 written and read
           back, 0 and 1 read, each round) while L is detached: then both
           services list S alone, under its attachment id.
        5. Two rounds later the loop stops: no I/O error, every round
           intact; S reads all it and L wrote.
        6. Detach S: no attachment left on either service.
        """
        self._survivor_io_across_a_detach()
