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

"""Read-only attachments of a multiattach volume.

Only an administrator sets a volume's readonly flag, hence admin/.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import known_defects
from mattach_tempest.common import procedures
from mattach_tempest.common import unstable
from mattach_tempest.tests.scenario import manager

CONF = config.CONF


class MultiattachReadonlyDataPathTest(manager.MultiattachScenarioTest):
    """Admin sets the readonly flag; primary's guests read, cannot write."""

    credentials = ['primary', 'admin']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_volumes_client = cls.os_admin.volumes_client_latest

    @decorators.idempotent_id('4305c912-a682-42e8-a5fa-1f37ddf307e2')
    @decorators.attr(type='slow')
    # The readers attach through nova with the primary's (non-admin)
    # credentials: a cloud with this defect hands them a read-write disk.
    @known_defects.detects('cinder-readonly-access-mode')
    @unstable.services('compute', 'volume', 'image', 'network')
    def test_readonly_attachments_read_but_refuse_writes(self):
        """Guests attached to a readonly volume read it and cannot write.

        1. Create a multiattach volume; boot a writer and two reader
           servers, all SSH-able.
        2. Attach the volume read-write to the writer; it writes regions 0
           and 1 and reads them back.
        3. Detach the writer (waited on cinder's attachment record and on
           the disk leaving the guest); as admin set the volume's readonly
           flag (only allowed while available) and check it shows.
        4. Attach the volume to each reader, one at a time; cinder records
           each attachment with attach_mode ro.
        5. Each reader sees a read-only disk (blockdev --getro), reads both
           regions intact, has a one-block write refused, and reads both
           regions unchanged afterwards.
        """
        volume = self.create_multiattach_volume()
        (writer_server, writer_guest), *readers = self.create_guests(3)
        writer = self.attach_and_discover(writer_server, writer_guest,
                                          volume)

        def make_readers():
            self.detach_and_forget(writer_server, writer, volume)
            self.admin_volumes_client.update_volume_readonly(
                volume['id'], readonly=True)
            shown = self.volumes_client.show_volume(volume['id'])['volume']
            self.assertEqual('True', shown['metadata'].get('readonly'),
                             'The readonly flag of volume %s' % volume['id'])
            members = self.attach_one_at_a_time(readers, volume)
            self.assertEqual(
                ['ro'] * len(readers),
                [self.attachments_client.show_attachment(a['attachment_id'])
                 ['attachment']['attach_mode']
                 for a in self.volumes_client.show_volume(
                     volume['id'])['volume']['attachments']],
                'attach_mode of the readers\' attachments')
            # What the defect does to a reader, checked here where the
            # readers were attached (readonly_procedure checks it again,
            # among failures that are not the defect).
            read_only = [m.guest.is_read_only(m.device) for m in members]
            with known_defects.signature('cinder-readonly-access-mode'):
                self.assertEqual([True] * len(members), read_only,
                                 'Whether each reader\'s disk is read-only '
                                 '(blockdev --getro)')
            return members

        read_only = procedures.readonly_procedure(
            writer, make_readers, CONF.mattach.raw_region_kib,
            self.pattern_tag())
        self.assertEqual(sorted(guest.name for _server, guest in readers),
                         sorted(member.name for member in read_only))
