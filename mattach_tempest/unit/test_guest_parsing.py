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

"""The guest helpers' parsing, patterns and errors; the stand-ins' skip.

No guest and no root needed.
"""

import hashlib

import fixtures
import testtools

from mattach_tempest.common import guest
from mattach_tempest.unit import base
from mattach_tempest.unit.standin import base as standin_base
from mattach_tempest.unit.standin import fixture as standin_fixture

LSBLK = """\
NAME MAJ:MIN RM         SIZE RO TYPE MOUNTPOINTS
vdb    7:0    0     67108864  0 disk 
sr0   11:0    1       372736  0 rom  
loop3  7:3    0      1048576  0 loop 
vda  254:0    0   1073741824  0 disk /
                                     /run
"""  # noqa: W291

PARTITIONS = """\
major minor  #blocks  name

 253        0    1048576 vda
 253        1    1036271 vda1
 253       15       8192 vda15
 253       16    1048576 vdb
 259        0    2097152 nvme0n1
 259        1    2097000 nvme0n1p1
   7        0      65536 loop0
  11        0        364 sr0
"""

VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
# What Guest.device_by_serial's loop prints: vda (the image) has no
# serial, vdb is the volume (its id cut to 20 characters), vdc another.
SERIALS = """/sys/block/vda/serial 
/sys/block/vdb/serial 7d6a2c1e-0b77-4e55-9
/sys/block/vdc/serial 0f0e0d0c-0b0a-4998-8
"""  # noqa: W291


class ParseDisksTest(base.TestCase):

    def test_lsblk_lists_only_disks_with_sizes(self):
        self.assertEqual({'vdb': 67108864, 'vda': 1073741824},
                         guest.parse_lsblk(LSBLK))

    def test_lsblk_without_header_is_an_error(self):
        self.assertRaises(ValueError, guest.parse_lsblk, 'vda 1 2 3\n')

    def test_lsblk_header_only(self):
        self.assertEqual({}, guest.parse_lsblk(LSBLK.splitlines()[0]))

    def test_lsblk_prints_nothing_without_disks(self):
        self.assertEqual({}, guest.parse_lsblk(''))

    def test_partitions_leave_out_partitions_and_non_disks(self):
        self.assertEqual({'vda': 1073741824, 'vdb': 1073741824,
                          'nvme0n1': 2147483648},
                         guest.parse_partitions(PARTITIONS))

    def test_serials_by_disk_name(self):
        self.assertEqual({'vdb': '7d6a2c1e-0b77-4e55-9',
                          'vdc': '0f0e0d0c-0b0a-4998-8'},
                         guest.parse_serials(SERIALS))

    def test_serials_ignore_other_lines(self):
        self.assertEqual({}, guest.parse_serials(
            'cat: read error\n/sys/block/vdb/size 2097152\n'
            '/sys/block/vd*/serial\n'))


class ScriptedRemote(object):
    """exec_command answers from a script (the last answer repeats)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.commands = []

    def exec_command(self, command):
        self.commands.append(command)
        return self.answers[min(len(self.commands), len(self.answers)) - 1]


class DeviceBySerialTest(base.TestCase):
    """The serial lookup, on a fake remote client (no guest needed).

    The stand-in guests (test_guest_helpers, serial=True) run the same
    lookup in busybox over SSH.
    """

    def test_the_disk_with_the_volume_serial(self):
        remote = ScriptedRemote(SERIALS)
        self.assertEqual('/dev/vdb', guest.Guest(remote, 'g').device_by_serial(
            VOLUME_ID))
        self.assertEqual(['for f in /sys/block/vd*/serial; do if [ -r "$f" ]; '
                          'then echo "$f $(cat "$f")"; fi; done'],
                         remote.commands)

    def test_no_disk_with_the_serial(self):
        self.assertIsNone(guest.Guest(ScriptedRemote(SERIALS), 'g')
                          .device_by_serial('0123456789abcdef0123456789'))
        self.assertIsNone(guest.Guest(ScriptedRemote(''), 'g')
                          .device_by_serial(VOLUME_ID))

    def test_two_disks_with_the_serial_fail_at_once(self):
        remote = ScriptedRemote(SERIALS + '/sys/block/vdd/serial '
                                '7d6a2c1e-0b77-4e55-9\n')
        exc = self.assertRaises(guest.GuestError, guest.Guest(
            remote, 'g').device_by_serial, VOLUME_ID)
        self.assertIn("disks ['vdb', 'vdd'] all have the serial "
                      "7d6a2c1e-0b77-4e55-9", str(exc))

    def test_discovery_tries_the_serial_before_the_disk_list(self):
        # by-id link missing, then the serial answers: no disk list read.
        remote = ScriptedRemote('', SERIALS)
        g = guest.Guest(remote, 'g', timeout=1)
        self.assertEqual('/dev/vdb', g.find_volume_device(
            VOLUME_ID, disks_before={'vda': 1}))
        self.assertEqual(2, len(remote.commands))
        self.assertIn('/dev/disk/by-id/virtio-7d6a2c1e-0b77-4e55-9',
                      remote.commands[0])

    def test_without_by_serial_the_disk_list_decides(self):
        remote = ScriptedRemote('', 'partitions', PARTITIONS)
        g = guest.Guest(remote, 'g', timeout=1)
        self.assertEqual('/dev/nvme0n1', g.find_volume_device(
            VOLUME_ID, disks_before={'vda': 1, 'vdb': 1}, by_serial=False))
        self.assertNotIn('serial', ' '.join(remote.commands))


class PatternTest(base.TestCase):

    def test_lines_are_64_bytes_and_name_region_and_line(self):
        data = guest.region_pattern('t-1', 7, 4)
        self.assertEqual(4096, len(data))
        lines = data.split(b'\n')[:-1]
        self.assertEqual(64, len(lines))
        self.assertTrue(all(len(line) == 63 for line in lines))
        self.assertTrue(lines[5].startswith(
            b'mattach-tempest tag=t-1 region=0000007 line=000005'))

    def test_lines_keep_their_width_far_into_the_volume(self):
        # Region 16384 of 64 KiB starts at 1 GiB: a five-digit index once
        # made 65-byte lines, a 65 KiB pattern and a 64 KiB write.
        for tag in ('t', 'a' * 16):
            data = guest.region_pattern(tag, 16384, 64)
            self.assertEqual(64 * 1024, len(data))
            self.assertEqual({64}, {len(line) + 1
                                    for line in data.split(b'\n')[:-1]})

    def test_numbers_the_fields_cannot_hold_are_refused(self):
        self.assertRaises(ValueError, guest.region_pattern, 't', 10 ** 7, 4)
        self.assertRaises(ValueError, guest.region_pattern, 't', -1, 4)
        self.assertRaises(ValueError, guest.region_pattern, 't', 0, 62501)

    def test_regions_and_tags_differ(self):
        sums = {guest.region_checksum(tag, index, 4)
                for tag in ('a', 'b') for index in (0, 1)}
        self.assertEqual(4, len(sums))

    def test_checksum_is_of_the_pattern(self):
        self.assertEqual(
            hashlib.sha1(guest.region_pattern('x', 2, 8)).hexdigest(),
            guest.region_checksum('x', 2, 8, 'sha1'))

    def test_tag_must_keep_lines_fixed_width(self):
        self.assertRaises(ValueError, guest.region_pattern, 'a' * 17, 0, 4)
        self.assertRaises(ValueError, guest.region_pattern, 'a b', 0, 4)

    def test_by_id_path_uses_the_virtio_serial_length(self):
        self.assertEqual(
            '/dev/disk/by-id/virtio-0123456789abcdef0123',
            guest.by_id_path('0123456789abcdef0123456789'))


class FakeRemote(object):
    def __init__(self, fail=None):
        self.fail = fail
        self.commands = []

    def exec_command(self, command):
        self.commands.append(command)
        if self.fail:
            raise self.fail
        return ''


class GuestErrorTest(base.TestCase):

    def test_failure_carries_the_console_tail(self):
        console = '\n'.join('line %d' % i for i in range(200))
        g = guest.Guest(FakeRemote(fail=RuntimeError('boom')), 'g1',
                        console=lambda: {'output': console}, timeout=1)
        exc = self.assertRaises(guest.GuestError, g.sync)
        self.assertIn('Guest g1: sync failed: boom', str(exc))
        self.assertIn('line 199', str(exc))
        self.assertNotIn('line 139\n', str(exc))

    def test_unreadable_console_does_not_hide_the_failure(self):
        def console():
            raise RuntimeError('no console')
        g = guest.Guest(FakeRemote(fail=RuntimeError('boom')), 'g1',
                        console=console, timeout=1)
        exc = self.assertRaises(guest.GuestError, g.sync)
        self.assertIn('console unavailable: no console', str(exc))

    def test_wait_is_bounded(self):
        g = guest.Guest(FakeRemote(), 'g1', timeout=0.3, interval=0.1)
        exc = self.assertRaises(guest.GuestError, g.wait_for,
                                lambda: (False, 'still no'), 'something')
        self.assertIn('timed out after 0.3 s waiting for something; last '
                      'seen: still no', str(exc))


class StandinAvailabilityTest(base.TestCase):

    def test_not_root_says_why(self):
        self.useFixture(fixtures.MockPatch('os.geteuid', return_value=1000))
        self.assertIn('stand-in guests need root',
                      standin_fixture.why_unavailable())

    def test_missing_tool_names_the_install_script(self):
        self.useFixture(fixtures.MockPatch('os.geteuid', return_value=0))
        self.useFixture(fixtures.MockPatchObject(
            standin_fixture, '_which',
            lambda tool: None if tool == 'dropbear' else '/bin/' + tool))
        self.assertEqual('stand-in guests need dropbear: run '
                         'tools/install-standin-deps',
                         standin_fixture.why_unavailable())

    def _run_probe_without_root(self, require_standins):
        self.useFixture(fixtures.MockPatch('os.geteuid', return_value=1000))
        self.useFixture(fixtures.EnvironmentVariable(
            'MATTACH_REQUIRE_STANDINS', require_standins))

        class Probe(standin_base.StandinTestCase):
            def test_it(self):
                self.fail('ran without root')
        result = testtools.TestResult()
        Probe('test_it').run(result)
        return result

    def test_stand_in_test_skips_when_unavailable(self):
        result = self._run_probe_without_root(require_standins=None)
        self.assertEqual([], result.failures + result.errors)
        self.assertEqual(['stand-in guests need root'],
                         [reason.split(' (')[0]
                          for reason in result.skip_reasons])

    def test_stand_in_test_fails_when_required_and_unavailable(self):
        # CI sets MATTACH_REQUIRE_STANDINS=1: a broken set-up must not pass
        # as a skip there.
        result = self._run_probe_without_root(require_standins='1')
        self.assertEqual({}, result.skip_reasons)
        failures = [str(details) for _test, details in result.failures]
        self.assertEqual(1, len(failures))
        self.assertIn('stand-in guests need root', failures[0])


class IOLoopLogTest(base.TestCase):
    """What the guest's I/O loop logs, read back (no guest needed)."""

    def test_rounds_and_start(self):
        log = guest.parse_io_log(
            'START device=/dev/vdb direct=1 pid=412\nROUND 1 ok\n'
            'ROUND 2 ok\nMATTACH-IO-LOOP-ALIVE\n')
        self.assertEqual((2, [], None, True, '412', True),
                         (log.rounds, log.failures, log.stopped, log.direct,
                          log.pid, log.alive))
        self.assertNotIn('ALIVE', log.tail())

    def test_failure_and_stop(self):
        log = guest.parse_io_log(
            'START device=/dev/vdb direct=0 pid=9\nROUND 1 ok\n'
            "FAIL round=2 I/O error writing region 2 of /dev/vdb: dd: can't "
            "open '/dev/vdb': No such device or address\nSTOPPED rounds=1\n")
        self.assertEqual(1, log.rounds)
        self.assertEqual(1, log.stopped)
        self.assertFalse(log.direct)
        self.assertFalse(log.alive)
        self.assertEqual(["in round 2: I/O error writing region 2 of "
                          "/dev/vdb: dd: can't open '/dev/vdb': No such "
                          "device or address"], log.failures)

    def test_not_started_yet(self):
        log = guest.parse_io_log('')
        self.assertFalse(log.started)
        self.assertEqual(0, log.rounds)

    def test_the_loop_alternates_two_tags(self):
        self.assertEqual(('abcdefa', 'abcdefb'), guest.io_loop_tags('abcdef'))
        tags = guest.io_loop_tags('0123456789abcdef')
        self.assertEqual(('0123456789abcdea', '0123456789abcdeb'), tags)
        loop = guest.IOLoop('/dev/vdb', '/tmp/x', [2, 3], [0, 1], 64, tags,
                            True)
        self.assertEqual(tags[1], loop.tag_after(3))
        self.assertEqual(tags[0], loop.tag_after(4))
