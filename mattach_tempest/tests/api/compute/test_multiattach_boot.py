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

"""Booting servers with a multiattach volume in their block device mapping.

Behaviour rule 1 (doc/source/behaviour.rst): from compute 2.60 a
multiattach volume may be given to a server at boot, as its root disk or
as a data disk, also while another server already holds it (what an
operator does to give two servers one volume at boot). Rule 6: a
bootable multiattach volume is allowed. Rule 9: deleting a server whose
mapping says delete_on_termination=True while another server holds the
volume removes only that server's attachment; nova's delete of the volume
fails and is ignored.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

CONF = config.CONF


class MultiattachBootTest(base.MultiattachBaseTest):
    """Servers booted with a multiattach volume in their mapping."""

    @decorators.idempotent_id('841a0539-83b6-4552-974a-ec6001215746')
    @unstable.services('compute', 'volume', 'image')
    def test_boot_from_multiattach_volume(self):
        """A server boots from a bootable multiattach volume.

        Steps:
        1. Create a multiattach volume from the API tests' image; it is
           bootable.
        2. Boot a server with no image and the volume in its
           block_device_mapping_v2 (source volume, boot_index 0); it goes
           ACTIVE.
        3. The server alone holds the volume: cinder's volume view lists
           it and the volume is in-use, the attachments API lists the same
           attachment, attached, and nova lists the volume on the server.
        """
        volume = self.create_bootable_multiattach_volume()
        server = self.create_server_from_volume(volume)
        self.assertHeldBy(volume['id'], [server['id']])

    @decorators.idempotent_id('94b1c529-c27a-4186-8c9e-17577c83f6b6')
    @unstable.services('compute', 'volume', 'image')
    def test_boot_second_server_with_held_volume(self):
        """Two servers booted with the same multiattach data volume.

        As an operator gives two servers one volume at boot: each server
        boots from the image with the volume as a data disk in its
        block_device_mapping_v2.

        Steps:
        1. Create a multiattach volume.
        2. Boot server A from the API tests' image with the volume mapped
           as a data disk (boot_index -1); it goes ACTIVE and holds it.
        3. Boot server B the same way while A holds the volume; it goes
           ACTIVE.
        4. Both hold the volume: cinder's volume view and attachments API
           list two distinct attachments, both attached, the volume is
           in-use, and nova lists the volume on each server; A's
           attachment id is unchanged.
        """
        volume = self.create_multiattach_volume()
        first = self.create_server_with_data_volume(volume)
        first_attachment = self.assertHeldBy(
            volume['id'], [first['id']])

        second = self.create_server_with_data_volume(volume)
        held = self.assertHeldBy(
            volume['id'], [first['id'], second['id']])
        self.assertEqual(first_attachment[first['id']], held[first['id']])
        self.assertNotEqual(held[first['id']], held[second['id']])


class MultiattachDeleteOnTerminationTest(base.MultiattachBaseTest):
    """delete_on_termination does not delete a volume another server holds.

    At 2.79 nova's attachment view shows delete_on_termination, so the test
    can check that the server really asked for the delete.
    """

    compute_min_microversion = '2.79'

    @decorators.idempotent_id('6609a856-aee1-4c8d-8353-93cb2760e9e1')
    @unstable.services('compute', 'volume', 'image')
    def test_delete_on_termination_keeps_volume_held_elsewhere(self):
        """Deleting the server that booted from the volume keeps the volume.

        The case tempest leaves as a TODO in test_attach_volume.

        Steps:
        1. Create a bootable multiattach volume; boot server A from it
           with delete_on_termination=True, which nova's attachment view
           (2.79) shows, and, at the same time, server B from the image.
        2. Attach the volume to B.
        3. Delete server A and wait until it is gone.
        4. The volume still exists, in-use, held by B alone under B's
           original attachment id; cinder keeps no record of A's
           attachment and nova lists the volume on B.
        """
        volume = self.create_bootable_multiattach_volume()
        doomed, holder = self.create_server_from_volume_and_another(
            volume, delete_on_termination=True)
        doomed_view = self.volume_attachments_client.show_volume_attachment(
            doomed['id'], volume['id'],
            microversion=self.compute_request_microversion)['volumeAttachment']
        self.assertIs(True, doomed_view['delete_on_termination'])

        holder_attachment = self.attach_volume(holder, volume)[
            'attachment_id']

        self.servers_client.delete_server(doomed['id'])
        unstable.wait_for_server_termination(
            self.servers_client, doomed['id'])

        self.assertHeldBy(volume['id'],
                          {holder['id']: holder_attachment},
                          former_holders=[doomed['id']])
