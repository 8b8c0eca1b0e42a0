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

"""The guest helpers over real SSH, on stand-in guests (root needed)."""

import hashlib
import os

from tempest.lib import exceptions as lib_exc
import testtools

from mattach_tempest.common import guest as guest_mod
from mattach_tempest.unit.standin import base
from mattach_tempest.unit.standin import fixture as standin_fixture

MIB = 1024 * 1024


class DiscoveryTest(base.StandinTestCase):
    """Finding the shared volume in a guest."""

    def test_by_id_link(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        self.assertEqual('/dev/vdb', member.device)
        self.assertEqual('/dev/vdb', member.guest.device_by_id(
            standins.volume_id))

    def test_by_disk_list_difference_lsblk(self):
        standins = self.standins(1, by_id=False)
        member = self.attach(standins, 0, source='lsblk')
        self.assertEqual('/dev/vdb', member.device)
        self.assertIsNone(member.guest.device_by_id(standins.volume_id))

    def test_by_disk_list_difference_proc_partitions(self):
        standins = self.standins(1, by_id=False)
        member = self.attach(standins, 0, source='partitions')
        self.assertEqual('/dev/vdb', member.device)

    def test_by_virtio_serial_without_by_id_links(self):
        # Real CirrOS: devtmpfs, no udev links, the serial in sysfs.
        standins = self.standins(1, by_id=False, serial=True)
        guest = standins.guest(0)
        self.assertIsNone(guest.device_by_serial(standins.volume_id))
        member = self.attach(standins, 0, guest=guest)
        self.assertEqual('/dev/vdb', member.device)
        self.assertIsNone(guest.device_by_id(standins.volume_id))
        self.assertEqual('/dev/vdb',
                         guest.device_by_serial(standins.volume_id))
        # The disk list still sees it as a disk, with its size.
        self.assertEqual(64 * MIB, guest.list_disks('lsblk')['vdb'])
        standins.detach(0)
        self.assertIsNone(guest.device_by_serial(standins.volume_id))

    def test_booted_with_the_volume_found_by_serial(self):
        # No disk list from before, no size given: the serial decides.
        standins = self.standins(1, by_id=False, serial=True)
        standins.attach(0)
        self.assertEqual('/dev/vdb', standins.guest(0).find_volume_device(
            standins.volume_id))

    def test_booted_with_the_volume_found_by_size(self):
        # No list from before the attach: the volume's size tells it from
        # the root disk.
        standins = self.standins(1, by_id=False, volume_mib=48)
        standins.attach(0)
        guest = standins.guest(0)
        self.assertEqual('/dev/vdb', guest.find_volume_device(
            standins.volume_id, size_bytes=48 * MIB))

    def test_ambiguous_disks_fail_at_once(self):
        standins = self.standins(1, by_id=False)
        if not standins.root_disk:
            self.skipTest('this host has no disk to play the root disk')
        standins.attach(0)
        guest = standins.guest(0, timeout=60)
        exc = self.assertRaises(guest_mod.GuestError,
                                guest.find_volume_device, standins.volume_id)
        self.assertIn("cannot tell which of the disks ['vda', 'vdb']",
                      str(exc))

    def test_no_disk_appears_times_out_with_console(self):
        standins = self.standins(1)
        guest = standins.guest(0, timeout=1)
        before = guest.list_disks()
        exc = self.assertRaises(guest_mod.GuestError,
                                guest.find_volume_device, standins.volume_id,
                                disks_before=before)
        self.assertIn('timed out after 1 s waiting for volume %s to appear'
                      % standins.volume_id, str(exc))
        # The stand-in's console: its SSH server's log.
        self.assertIn('guest console', str(exc))
        self.assertIn('Pubkey auth succeeded', str(exc))

    def test_detached_device_leaves_the_disk_list(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        standins.detach(0)
        member.guest.wait_for_device_gone(member.device)
        self.assertNotIn('vdb', member.guest.list_disks())


class FilesystemTest(base.StandinTestCase):

    def test_mkfs_mount_write_append_read(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        g, dev = member.guest, member.device
        g.mkfs(dev, 'ext4')
        g.mount(dev, '/mnt/data')
        self.assertTrue(g.is_mounted('/mnt/data'))
        g.write_line('/mnt/data/f', "it's $(not) `run` \"quoted\"")
        g.write_line('/mnt/data/f', 'second', append=True)
        g.sync()
        self.assertEqual("it's $(not) `run` \"quoted\"\nsecond\n",
                         g.read_file('/mnt/data/f'))
        g.umount('/mnt/data')
        self.assertFalse(g.is_mounted('/mnt/data'))

    def test_guest_filesystem_option_is_the_default(self):
        self.set_conf('mattach', guest_filesystem='ext2')
        standins = self.standins(1)
        member = self.attach(standins, 0)
        member.guest.mkfs(member.device)
        self.assertIn('ext2', member.guest.run(
            'sudo blkid %s' % member.device))

    def test_mounts_are_private_to_each_guest(self):
        standins = self.standins(2)
        a = self.attach(standins, 0)
        b = self.attach(standins, 1)
        a.guest.mkfs(a.device, 'ext4')
        a.guest.mount(a.device, '/mnt/data')
        self.addCleanup(a.guest.umount, '/mnt/data')
        self.assertFalse(b.guest.is_mounted('/mnt/data'))

    def test_steps_run_as_root_stop_at_the_first_failure(self):
        g = self.standins(1).guest(0)
        self.assertEqual('0\n', g.run(g.as_root('id -u')))
        # A failed step, or a failed command early in a pipeline, fails
        # the whole command as it would outside the one sudo.
        for script in ('false; echo ran-on', 'false | cat; echo ran-on',
                       'for i in 1 2; do false | cat; done; echo ran-on'):
            self.assertRaises(guest_mod.GuestError, g.run, g.as_root(script))

    def test_guest_userland_is_busybox_without_bash(self):
        standins = self.standins(1)
        g = standins.guest(0)
        self.assertEqual('cirros\n', g.run('whoami'))
        self.assertIn('BusyBox', g.run('dd --help 2>&1 || true'))
        self.assertRaises(guest_mod.GuestError, g.run, 'bash -c true')


class RawBlockTest(base.StandinTestCase):

    def test_region_written_by_one_guest_read_by_another(self):
        standins = self.standins(2)
        a = self.attach(standins, 0)
        b = self.attach(standins, 1)
        a.guest.write_region(a.device, 3, 16, 'rw1')
        self.assertEqual([guest_mod.region_checksum('rw1', 3, 16)],
                         b.guest.region_checksums(b.device, [3], 16))
        # Byte for byte, at offset 3 * 16 KiB of the shared file.
        with open(standins.volume_path, 'rb') as volume:
            volume.seek(3 * 16 * 1024)
            self.assertEqual(guest_mod.region_pattern('rw1', 3, 16),
                             volume.read(16 * 1024))

    def test_sha1_checksums(self):
        standins = self.standins(1)
        a = self.attach(standins, 0)
        a.guest.write_region(a.device, 0, 8, 'sha')
        self.assertEqual([guest_mod.region_checksum('sha', 0, 8, 'sha1')],
                         a.guest.region_checksums(a.device, [0], 8, 'sha1'))

    def test_size_and_growth_seen_in_the_guest(self):
        standins = self.standins(1, volume_mib=32)
        a = self.attach(standins, 0)
        self.assertEqual(32 * MIB, a.guest.size_bytes(a.device))
        standins.extend(40 * MIB)
        self.assertEqual(40 * MIB, a.guest.wait_for_size(a.device,
                                                         40 * MIB))

    def test_growth_never_seen_times_out(self):
        standins = self.standins(1, volume_mib=32)
        a = self.attach(standins, 0)
        a.guest._timeout = 1
        self.assertRaises(guest_mod.GuestError, a.guest.wait_for_size,
                          a.device, 40 * MIB)


class IOLoopTest(base.StandinTestCase):
    """The background I/O loop itself (procedures.io_across drives it)."""

    def _run_loop(self, member, direct):
        member.guest.write_region(member.device, 0, 16, 'stat')
        loop = member.guest.start_io_loop(member.device, [1, 2], [0], 16,
                                          'loop', 'stat', direct=direct)

        def two_rounds():
            status = member.guest.io_loop_status(loop)
            return status.rounds >= 2, status.text
        member.guest.wait_for(two_rounds, 'two rounds')
        return loop, member.guest.stop_io_loop(loop)

    def test_o_direct_rounds_leave_the_last_pattern(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        loop, status = self._run_loop(member, 'auto')
        self.assertTrue(loop.direct)
        self.assertEqual(([], True, False), (status.failures,
                                             status.direct, status.alive))
        self.assertEqual(status.rounds, status.stopped)
        tag = loop.tag_after(status.stopped)
        self.assertEqual(
            [guest_mod.region_checksum(tag, 1, 16),
             guest_mod.region_checksum(tag, 2, 16),
             guest_mod.region_checksum('stat', 0, 16)],
            member.guest.region_checksums(member.device, [1, 2, 0], 16))

    def test_buffered_fallback_where_dd_lacks_o_direct(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        loop, status = self._run_loop(member, False)
        self.assertFalse(loop.direct)
        self.assertEqual(([], False), (status.failures, status.direct))
        self.assertGreaterEqual(status.stopped, 2)

    def test_a_static_region_that_differs_stops_the_loop(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        loop = member.guest.start_io_loop(member.device, [1], [0], 16,
                                          'loop', 'never')

        def stopped():
            status = member.guest.io_loop_status(loop)
            return status.stopped is not None, status.text
        member.guest.wait_for(stopped, 'the loop to stop on its own')
        status = member.guest.io_loop_status(loop)
        self.assertEqual(0, status.stopped)
        self.assertEqual(
            ['in round 1: region 0 of /dev/vdb reads md5 %s, expected %s'
             % (hashlib.md5(bytes(16 * 1024)).hexdigest(),
                guest_mod.region_checksum('never', 0, 16))],
            status.failures)

    def _unstarted_loop(self, member, tag):
        """An IOLoop whose script has not run yet: its directory, empty."""
        loop = guest_mod.IOLoop(member.device, '/tmp/mattach-io-' + tag, [1],
                                [], 16, guest_mod.io_loop_tags(tag), True)
        member.guest.run('rm -rf %s && mkdir -p %s' % (loop.directory,
                                                       loop.directory))
        return loop

    def test_a_loop_starting_late_is_waited_for(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        loop = self._unstarted_loop(member, 'late')
        # What a loop started in the background and slow to run does: it
        # says START and, finding the stop request, STOPPED.
        member.guest.run(
            "sh -c '(sleep 2; echo START device=x direct=1 pid=1 >> %(d)s/log;"
            " echo STOPPED rounds=0 >> %(d)s/log) </dev/null >/dev/null "
            "2>&1 &'" % {'d': loop.directory})
        self.assertEqual(0, member.guest.stop_io_loop(loop).stopped)

    def test_a_loop_that_never_starts_times_out_saying_so(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        loop = self._unstarted_loop(member, 'never')
        error = self.assertRaises(guest_mod.GuestError,
                                  member.guest.stop_io_loop, loop, 2)
        self.assertIn('the loop has not started yet', str(error))


class ReadOnlyTest(base.StandinTestCase):

    def test_write_refused_reads_work(self):
        standins = self.standins(2)
        writer = self.attach(standins, 0)
        writer.guest.write_region(writer.device, 0, 16, 'ro')
        reader = self.attach(standins, 1, read_only=True)
        self.assertTrue(reader.guest.is_read_only(reader.device))
        output = reader.guest.write_must_fail(reader.device)
        self.assertIn('MATTACH-WRITE-REFUSED', output)
        self.assertEqual([guest_mod.region_checksum('ro', 0, 16)],
                         reader.guest.region_checksums(reader.device, [0],
                                                       16))

    def test_write_must_fail_fails_on_a_writable_device(self):
        standins = self.standins(1)
        member = self.attach(standins, 0)
        self.assertFalse(member.guest.is_read_only(member.device))
        exc = self.assertRaises(guest_mod.GuestError,
                                member.guest.write_must_fail, member.device)
        self.assertIn('must be read-only', str(exc))


class FixtureCleanupTest(base.StandinTestCase):
    """The fixture leaves nothing behind, also when its setUp fails."""

    def _leftovers(self, standins, processes):
        netns = os.listdir('/run/netns') if os.path.isdir(
            '/run/netns') else []
        return {
            'netns': [n for n in netns if standins.suffix in n],
            'links': [n for n in os.listdir('/sys/class/net')
                      if standins.suffix in n],
            'loops': [line for line in standin_fixture._run(
                'losetup', '-a').splitlines() if standins.base in line],
            'processes': [p.pid for p in processes if p.poll() is None],
            'files': os.path.exists(standins.base),
        }

    def test_failed_setup_removes_what_was_made(self):
        standins = standin_fixture.StandinGuests(3)
        processes = []
        real_start = standins._start_guest

        def start_then_fail(standin):
            real_start(standin)
            processes.append(standin.process)
            if standin.index == 1:
                raise RuntimeError('injected failure after guest 1 started')
        standins._start_guest = start_then_fail
        exc = self.assertRaises(testtools.MultipleExceptions, standins.setUp)
        self.assertIn('injected failure', str(exc.args[0][1]))
        self.assertEqual(2, len(processes))
        self.assertEqual({'netns': [], 'links': [], 'loops': [],
                          'processes': [], 'files': False},
                         self._leftovers(standins, processes))

    def test_cleanup_with_a_mounted_volume(self):
        standins = standin_fixture.StandinGuests(1)
        standins.setUp()
        try:
            member = self.attach(standins, 0)
            member.guest.mkfs(member.device, 'ext4')
            member.guest.mount(member.device, '/mnt/left')
            processes = [g.process for g in standins.guests]
        finally:
            standins.cleanUp()
        self.assertEqual({'netns': [], 'links': [], 'loops': [],
                          'processes': [], 'files': False},
                         self._leftovers(standins, processes))

    def test_ssh_only_on_the_guest_address(self):
        standins = self.standins(1)
        client = standins.remote_client(0)
        self.assertEqual('ok\n', client.exec_command('echo ok'))
        listening = standins.guest(0).run('netstat -ltn')
        self.assertIn('%s:22' % standins.guests[0].address, listening)
        self.assertNotIn('0.0.0.0:22', listening)

    def test_command_failure_is_an_ssh_error(self):
        standins = self.standins(1)
        self.assertRaises(lib_exc.SSHExecCommandFailed,
                          standins.remote_client(0).exec_command, 'false')
