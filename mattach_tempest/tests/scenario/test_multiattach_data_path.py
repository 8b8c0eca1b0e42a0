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

"""The shared volume is really shared: what one guest writes, others read.

Across attach, boot with the volume, detach, reattach and extend.

The steps inside the guests are mattach_tempest.common.procedures, the
same functions the project's stand-in guest tests run.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import procedures
from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests import nova_attach
from mattach_tempest.tests.scenario import manager
from mattach_tempest.tests import skips

CONF = config.CONF


class MultiattachDataPathTest(manager.MultiattachScenarioTest):
    """Filesystem handover, raw regions, detach and reattach, extend.

    The tests on running servers share the class's guests (max(2,
    [mattach] servers_per_volume)): each detaches what it attached and
    unmounts what it mounted, so the next finds them as booted. The extend
    test grows its own volume, not the guests, so it shares them too.
    """

    @classmethod
    def class_guest_count(cls):
        return max(2, CONF.mattach.servers_per_volume)

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        # The class runs at the volume microversion its other tests need;
        # the in-use extend needs 3.42 and asks for it itself.
        cls.volume_actions_client = (
            cls.os_primary.mattach_volume.VolumeActionsClient())

    @decorators.idempotent_id('42bc7e35-78d4-49f8-bb75-833ad727ebd0')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_filesystem_handover_on_running_servers(self):
        """The filesystem handover on a volume attached to running servers.

        1. Create a multiattach volume; take the class's first two guests,
           A and B, SSH-able.
        2. Attach the volume to A, then to B, each attach waited on
           cinder's attachment record; find the disk in each guest (by-id
           link, else its virtio serial in /sys/block, else the disk list
           before/after the attach).
        3. A: mkfs ([mattach] guest_filesystem), mount, write
           "hello from A", sync, umount.
        4. B: mount, read exactly A's line, append "hello from B", sync,
           umount.
        5. A: mount, read exactly both lines, umount.
        """
        volume = self.create_multiattach_volume()
        (server_a, guest_a), (server_b, guest_b) = self.class_guests(2)
        a, b = self.attach_one_at_a_time(
            [(server_a, guest_a), (server_b, guest_b)], volume)
        self.filesystem_handover(a, b)

    @decorators.idempotent_id('435133d3-dc0d-4b56-9de4-ed68361d8681')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_filesystem_handover_on_servers_booted_with_the_volume(self):
        """The filesystem handover on servers booted with the volume.

        Its servers are its own: they must boot with the volume.

        1. Create a multiattach volume.
        2. Boot server A from the image with the volume in its
           block_device_mapping_v2 (boot_index -1); wait until SSH-able;
           then the same for server B (one at a time: cinder refuses a
           reserve while another attach is in flight).
        3. Wait for cinder's attachment record of each server; find the
           disk in each guest (by-id link, else its virtio serial in
           /sys/block, else its size and the device cinder reports).
        4. Run the filesystem handover (A writes, B reads and appends, A
           reads both lines), exact content asserted.
        """
        volume = self.create_multiattach_volume()
        bdm = nova_attach.data_volume_bdms(volume['id'])
        server_a, guest_a = self.create_guest(block_device_mapping_v2=bdm)
        server_b, guest_b = self.create_guest(block_device_mapping_v2=bdm)
        a = self.member_booted_with(server_a, guest_a, volume)
        b = self.member_booted_with(server_b, guest_b, volume)
        self.filesystem_handover(a, b)

    @decorators.idempotent_id('acd1b030-29b5-4317-915f-386a693f4b47')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_raw_block_regions_across_servers(self):
        """Each of N guests writes its region; every guest reads them all.

        1. Create a multiattach volume; take [mattach] servers_per_volume
           (N) of the class's guests, each SSH-able.
        2. Attach the volume to each, one at a time, and find its disk.
        3. Guest i writes a known pattern ([mattach] raw_region_kib KiB of
           lines naming the region) at offset i * raw_region_kib KiB, syncs
           and flushes.
        4. Every guest drops its cached blocks of the disk and reads every
           region: each checksum equals the pattern's.
        """
        volume = self.create_multiattach_volume()
        guests = self.class_guests(CONF.mattach.servers_per_volume)
        members = self.attach_one_at_a_time(guests, volume)
        written = procedures.raw_block_procedure(
            members, CONF.mattach.raw_region_kib, self.pattern_tag())
        self.assertEqual(CONF.mattach.servers_per_volume, written)

    @decorators.idempotent_id('d96424cd-84ad-4cf6-a5dd-5f3e7bea8226')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_detach_reattach_and_new_server_read_the_data(self):
        """Data outlives a detach; a new and a returning guest read it.

        1. Create a multiattach volume; take N ([mattach]
           servers_per_volume) of the class's guests, SSH-able; attach one
           at a time.
        2. Guest i writes region i; every guest reads every region.
        3. Detach the last server (waited on cinder's attachment record
           and on the disk leaving the guest); the others still read every
           region.
        4. Boot a new server (SSH-able; its own: a server that never held
           the volume), attach it, find the disk: it reads every region.
        5. Attach the detached server again, find the disk again: it and
           all the others read every region.
        """
        volume = self.create_multiattach_volume()
        guests = self.class_guests(CONF.mattach.servers_per_volume)
        server_of = {guest.name: server for server, guest in guests}
        members = self.attach_one_at_a_time(guests, volume)

        def detach(member):
            self.detach_and_forget(server_of[member.name], member, volume)

        def reattach(member):
            return self.attach_and_discover(server_of[member.name],
                                            member.guest, volume)

        def attach_new():
            server, guest = self.create_guest()
            server_of[guest.name] = server
            return self.attach_and_discover(server, guest, volume)

        holders = procedures.detach_reattach_procedure(
            members, detach, reattach, attach_new,
            CONF.mattach.raw_region_kib, self.pattern_tag())
        self.assertEqual(CONF.mattach.servers_per_volume + 1, len(holders))
        self.assertEqual(
            sorted(server_of[m.name]['id'] for m in holders),
            sorted(a['server_id'] for a in self.volumes_client.show_volume(
                volume['id'])['volume']['attachments']))

    @decorators.idempotent_id('81f54aff-5096-4cb2-a1ff-10527174b312')
    @decorators.attr(type='slow')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_extend_attached_volume_seen_by_every_guest(self):
        """Every guest sees the new size; old and new space keep data.

        Skips, naming the option, unless [volume-feature-enabled]
        extend_attached_volume and [volume] max_microversion >= 3.42.

        1. Create a multiattach volume; take N ([mattach]
           servers_per_volume) of the class's guests, SSH-able; attach one
           at a time.
        2. The first guest writes region 0; every guest reads it.
        3. Extend the volume by 1 GiB while attached (os-extend at 3.42;
           cinder sends a volume-extended event to every attached server);
           wait until cinder reports the new size.
        4. Every guest sees the new size (blockdev --getsize64, polled up
           to [compute] build_timeout).
        5. The first guest writes a region beyond the old end; every guest
           reads region 0 and that region back.
        """
        skips.unless_in_use_extend(self)
        volume = self.create_multiattach_volume()
        guests = self.class_guests(CONF.mattach.servers_per_volume)
        members = self.attach_one_at_a_time(guests, volume)
        new_size = volume['size'] + 1

        def extend():
            self.volume_actions_client.extend_volume(volume['id'], new_size)
            self._wait_volume_size(volume['id'], new_size)

        procedures.extend_procedure(
            members, extend, new_size * manager.GIB,
            CONF.mattach.raw_region_kib, self.pattern_tag())

    def _wait_volume_size(self, volume_id, size):
        def extended():
            volume = self.volumes_client.show_volume(volume_id)['volume']
            if volume['status'].startswith('error'):
                raise AssertionError('Volume %s went to %s while extending'
                                     % (volume_id, volume['status']))
            done = volume['size'] == size and volume['status'] == 'in-use'
            return done, (volume['size'], volume['status'])
        waiters.wait_until(extended, 'volume %s to be extended to %d GiB'
                           % (volume_id, size))
