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

"""The scenario tests' procedures, run as they are on stand-in guests.

The very functions of mattach_tempest.common.procedures that the scenario
tests call; the stand-in fixture attaches, detaches, extends and makes
read-only where the scenario tests ask nova and cinder.
"""

from mattach_tempest.common import guest as guest_mod
from mattach_tempest.common import procedures
from mattach_tempest.unit.standin import base

MIB = 1024 * 1024
REGION_KIB = 64


class FilesystemHandoverTest(base.StandinTestCase):

    def test_a_writes_b_reads_and_appends_a_reads(self):
        standins = self.standins(2)
        a = self.attach(standins, 0)
        b = self.attach(standins, 1)
        content = procedures.filesystem_handover(a, b, 'ext4')
        self.assertEqual('hello from standin-0\nhello from standin-1\n',
                         content)
        # Nothing left mounted: the guests can be detached.
        for member in (a, b):
            self.assertFalse(member.guest.is_mounted(
                procedures.DEFAULT_MOUNT_POINT))

    def test_without_by_id_links(self):
        standins = self.standins(2, by_id=False)
        a = self.attach(standins, 0)
        b = self.attach(standins, 1)
        self.assertEqual(
            'hello from standin-0\nhello from standin-1\n',
            procedures.filesystem_handover(a, b, 'ext3',
                                           mount_point='/mnt/x',
                                           file_name='handover'))

    def test_a_clone_is_caught(self):
        # B gets a copy of the volume taken after A's mkfs: the filesystem
        # mounts but A's line is missing.
        standins = self.standins(2)
        a = self.attach(standins, 0)
        a.guest.mkfs(a.device, 'ext4')
        b = self.attach(standins, 1, clone=True)
        real_mkfs = a.guest.mkfs
        a.guest.mkfs = lambda device, fs=None: None
        self.addCleanup(setattr, a.guest, 'mkfs', real_mkfs)
        exc = self.assertRaises(procedures.DataMismatch,
                                procedures.filesystem_handover, a, b, 'ext4')
        self.assertIn('Guest standin-1 read /mnt/mattach/handover.txt written '
                      'by standin-0', str(exc))
        self.assertFalse(b.guest.is_mounted(procedures.DEFAULT_MOUNT_POINT))


class RawBlockProcedureTest(base.StandinTestCase):

    def test_three_guests_each_region_checked_everywhere(self):
        standins = self.standins(3)
        members = [self.attach(standins, i) for i in range(3)]
        self.assertEqual(3, procedures.raw_block_procedure(
            members, REGION_KIB, 'raw3'))
        with open(standins.volume_path, 'rb') as volume:
            for index in range(3):
                volume.seek(index * REGION_KIB * 1024)
                self.assertEqual(
                    guest_mod.region_pattern('raw3', index, REGION_KIB),
                    volume.read(REGION_KIB * 1024))

    def test_a_clone_is_caught(self):
        standins = self.standins(3)
        members = [self.attach(standins, 0), self.attach(standins, 1),
                   self.attach(standins, 2, clone=True)]
        exc = self.assertRaises(procedures.DataMismatch,
                                procedures.raw_block_procedure, members,
                                REGION_KIB, 'clone')
        self.assertIn('Guest standin-0 read regions [2]', str(exc))


class DetachReattachProcedureTest(base.StandinTestCase):

    def test_detach_new_guest_reattach(self):
        standins = self.standins(4)
        index_of = {}

        def attach(index):
            member = self.attach(standins, index)
            index_of[member.name] = index
            return member

        def detach(member):
            procedures.detach_and_forget(
                member, lambda: standins.detach(index_of[member.name]))

        members = [attach(i) for i in range(3)]
        holders = procedures.detach_reattach_procedure(
            members, detach, lambda m: attach(index_of[m.name]),
            lambda: attach(3), REGION_KIB, 'det')
        self.assertEqual(['standin-0', 'standin-1', 'standin-3',
                          'standin-2'], [m.name for m in holders])
        self.assertEqual([3, 3, 3, 3], [
            len(m.guest.region_checksums(m.device, range(3), REGION_KIB))
            for m in holders])


class ReadOnlyProcedureTest(base.StandinTestCase):

    def test_readers_read_and_cannot_write(self):
        standins = self.standins(3)
        writer = self.attach(standins, 0)

        def make_readers():
            procedures.detach_and_forget(writer, lambda: standins.detach(0))
            return [self.attach(standins, i, read_only=True)
                    for i in (1, 2)]
        readers = procedures.readonly_procedure(writer, make_readers,
                                                REGION_KIB, 'ro')
        self.assertEqual(['standin-1', 'standin-2'],
                         [r.name for r in readers])

    def test_a_writable_reader_is_caught(self):
        standins = self.standins(2)
        writer = self.attach(standins, 0)
        exc = self.assertRaises(
            procedures.DataMismatch, procedures.readonly_procedure, writer,
            lambda: [self.attach(standins, 1)], REGION_KIB, 'rw')
        self.assertIn("expected 'read-only', got 'read-write'", str(exc))


class ExtendProcedureTest(base.StandinTestCase):

    def test_every_guest_sees_the_new_size(self):
        standins = self.standins(3, volume_mib=16)
        members = [self.attach(standins, i) for i in range(3)]
        beyond = procedures.extend_procedure(
            members, lambda: standins.extend(24 * MIB), 24 * MIB,
            REGION_KIB, 'ext')
        self.assertEqual(16 * 1024 // REGION_KIB, beyond)
        for member in members:
            self.assertEqual(24 * MIB,
                             member.guest.size_bytes(member.device))

    def test_a_guest_missing_the_growth_is_caught(self):
        standins = self.standins(2, volume_mib=16)
        members = [self.attach(standins, i) for i in range(2)]
        for member in members:
            member.guest._timeout = 1
        exc = self.assertRaises(
            guest_mod.GuestError, procedures.extend_procedure, members,
            lambda: None, 24 * MIB, REGION_KIB, 'ext')
        self.assertIn('waiting for /dev/vdb to be %d bytes' % (24 * MIB),
                      str(exc))


class SurvivorIOProcedureTest(base.StandinTestCase):
    """A holder's I/O across the detach of another holder."""

    def _survivor_and_leaving(self, standins):
        survivor = self.attach(standins, 0)
        leaving = self.attach(standins, 1)
        detached = []

        def detach_survivor(member):
            procedures.detach_and_forget(member, lambda: standins.detach(0))
            detached.append(member.name)
        return survivor, leaving, detach_survivor, detached

    def test_detach_of_another_holder_leaves_the_survivor_intact(self):
        standins = self.standins(2)
        survivor, leaving, detach_survivor, detached = (
            self._survivor_and_leaving(standins))
        across = procedures.survivor_io_procedure(
            survivor, leaving,
            lambda m: procedures.detach_and_forget(
                m, lambda: standins.detach(1)),
            detach_survivor, REGION_KIB, 'surv')
        self.assertTrue(across.loop.direct, 'busybox dd has O_DIRECT')
        self.assertGreaterEqual(across.rounds_before, 1)
        self.assertGreaterEqual(
            across.rounds, across.rounds_before + procedures.ROUNDS_AFTER)
        self.assertEqual(['standin-0'], detached)
        self.assertNotIn('vdb', survivor.guest.list_disks())
        # What the loop wrote last is on the volume, read from the host.
        tag = across.loop.tag_after(across.rounds)
        with open(standins.volume_path, 'rb') as volume:
            volume.seek(2 * REGION_KIB * 1024)
            self.assertEqual(
                guest_mod.region_pattern(tag, 2, REGION_KIB),
                volume.read(REGION_KIB * 1024))

    def test_a_detach_tearing_down_the_survivors_connection_fails_it(self):
        # Nova bug 1752115: the detach of one holder disconnected the host
        # from the volume another holder on that host still used.
        standins = self.standins(2)
        survivor, leaving, detach_survivor, detached = (
            self._survivor_and_leaving(standins))
        exc = self.assertRaises(
            procedures.IOInterrupted, procedures.survivor_io_procedure,
            survivor, leaving,
            lambda m: procedures.detach_and_forget(
                m, lambda: standins.detach(
                    1, tear_down_host_connection=True)),
            detach_survivor, REGION_KIB, 'tear')
        self.assertIn('Guest standin-0: its I/O on /dev/vdb failed while '
                      'detaching standin-1: in round ', str(exc))
        self.assertIn("I/O error writing region 2 of /dev/vdb: dd: can't "
                      "open '/dev/vdb': No such device or address", str(exc))
        self.assertIn('the host connection under vdb is gone', str(exc))
        self.assertEqual([], detached)

    def test_data_changed_under_the_loop_is_caught(self):
        # Another holder overwrites region 0 while the survivor's loop
        # reads it: the next round reads other data than was written.
        standins = self.standins(2)
        survivor, leaving, detach_survivor, detached = (
            self._survivor_and_leaving(standins))

        def overwrite(member):
            member.guest.write_region(member.device, 0, REGION_KIB, 'other')
        exc = self.assertRaises(
            procedures.IOInterrupted, procedures.survivor_io_procedure,
            survivor, leaving, overwrite, detach_survivor, REGION_KIB,
            'over')
        self.assertIn('region 0 of /dev/vdb reads md5 %s, expected %s'
                      % (guest_mod.region_checksum('other', 0, REGION_KIB),
                         guest_mod.region_checksum('over', 0, REGION_KIB)),
                      str(exc))
        self.assertEqual([], detached)


class MoveProcedureTest(base.StandinTestCase):
    """The procedures the migration tests run; the move is staged."""

    def test_io_across_a_move(self):
        standins = self.standins(2)
        moving = self.attach(standins, 0)
        staying = self.attach(standins, 1)
        across = procedures.io_across_move_procedure(
            moving, staying, lambda: 'moved', REGION_KIB, 'live')
        self.assertEqual('moved', across.result)
        self.assertGreaterEqual(
            across.rounds, across.rounds_before + procedures.ROUNDS_AFTER)

    def test_a_move_losing_the_disk_fails_the_loop(self):
        standins = self.standins(2)
        moving = self.attach(standins, 0)
        staying = self.attach(standins, 1)
        exc = self.assertRaises(
            procedures.IOInterrupted, procedures.io_across_move_procedure,
            moving, staying,
            lambda: standins.detach(1, tear_down_host_connection=True),
            REGION_KIB, 'lost')
        self.assertIn('Guest standin-0: its I/O on /dev/vdb failed while '
                      'moving standin-0', str(exc))

    def test_data_across_a_move(self):
        standins = self.standins(2)
        members = [self.attach(standins, i) for i in range(2)]

        def move(members):
            # As after a cold migration: the guest finds its disk again.
            procedures.detach_and_forget(members[1],
                                         lambda: standins.detach(1))
            return [members[0], self.attach(standins, 1)]
        after = procedures.data_across_move_procedure(members, move,
                                                      REGION_KIB, 'cold')
        self.assertEqual(['standin-0', 'standin-1'],
                         [m.name for m in after])
        self.assertEqual(4, len(after[0].guest.region_checksums(
            after[0].device, range(4), REGION_KIB)))

    def test_a_move_onto_a_copy_is_caught(self):
        standins = self.standins(2)
        members = [self.attach(standins, i) for i in range(2)]

        def move(members):
            procedures.detach_and_forget(members[1],
                                         lambda: standins.detach(1))
            return [members[0], self.attach(standins, 1, clone=True)]
        exc = self.assertRaises(procedures.DataMismatch,
                                procedures.data_across_move_procedure,
                                members, move, REGION_KIB, 'copy')
        self.assertIn('Guest standin-0 read regions [3]', str(exc))
