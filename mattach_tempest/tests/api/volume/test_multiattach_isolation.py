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

"""Another project reaches nothing of a multiattach volume and its attachments.

A multiattach volume is shared by servers, never by projects: cinder lists,
shows and deletes attachments of the caller's project only, and neither
cinder nor nova lets another project find the volume, let alone attach it.
Each test uses tempest's alt credentials, a user of a second project; with
pre-provisioned accounts tempest itself skips the class ("Missing a 2nd set
of API credentials in configuration.") unless ``[auth]
test_accounts_file`` holds at least two accounts.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# cinder exception.VolumeAttachmentNotFound (404), raised by the attachments
# API's show and delete when the caller's project does not own it.
ATTACHMENT_NOT_FOUND = ('Volume attachment could not be found with filter: '
                        'attachment_id = %s.')
# cinder exception.VolumeNotFound (404); nova's attach passes cinder's 404 on
# as its own exception.VolumeNotFound, with the same words.
VOLUME_NOT_FOUND = 'Volume %s could not be found.'


class MultiattachIsolationTest(base.MultiattachBaseTest):
    """The primary's shared volume, as a user of another project sees it.

    The tests share the primary's servers A and B (booted once for the
    class): each attaches a volume of its own and detaches it at cleanup.
    """

    credentials = ['primary', 'alt']
    class_server_count = 2

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.alt_volumes_client = cls.os_alt.volumes_client_latest
        cls.alt_attachments_client = (
            cls.os_alt.mattach_volume.AttachmentsClient())
        cls.alt_volume_attachments_client = (
            cls.os_alt.mattach_compute.VolumeAttachmentsClient())

    @decorators.attr(type='negative')
    @decorators.idempotent_id('1888520e-5171-4e49-98e2-ffaf3d3a44e5')
    @unstable.services('compute', 'volume')
    def test_other_project_cannot_reach_attachments(self):
        """Another project lists, shows and deletes none of the attachments.

        Steps:
        1. As the primary user, attach a new multiattach volume to the
           class's servers A and B.
        2. As the alt user (another project), list attachments (all, and
           filtered by the volume's id): none of A's or B's is listed.
        3. As the alt user, show and delete each of them: 404 "Volume
           attachment could not be found with filter: attachment_id =
           <id>.".
        4. A and B hold the volume on both services, with the same
           attachment ids.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        listed = [a['id'] for a in self.alt_attachments_client.
                  list_attachments()['attachments']]
        self.assertEqual([], [a for a in attachments.values() if a in listed],
                         'Another project lists these attachments')
        self.assertEqual([], self.alt_attachments_client.list_attachments(
            volume_id=volume['id'])['attachments'],
            'Another project lists attachments of the volume')
        for attachment_id in attachments.values():
            self.assertRefused(
                lib_exc.NotFound, ATTACHMENT_NOT_FOUND % attachment_id,
                self.alt_attachments_client.show_attachment, attachment_id)
            self.assertRefused(
                lib_exc.NotFound, ATTACHMENT_NOT_FOUND % attachment_id,
                self.alt_attachments_client.delete_attachment, attachment_id)
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('2fb3a2d7-8060-4ab7-8989-e3d3efaf5656')
    @unstable.services('compute', 'volume')
    def test_other_project_cannot_see_volume(self):
        """Another project neither lists nor shows the shared volume.

        Steps:
        1. As the primary user, attach a new multiattach volume to the
           class's servers A and B.
        2. As the alt user, list volumes (detailed): the volume is not
           among them.
        3. As the alt user, show it: 404 "Volume <id> could not be
           found.".
        4. A and B hold the volume on both services, with the same
           attachment ids.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        self.assertNotIn(volume['id'], [
            v['id'] for v in self.alt_volumes_client.list_volumes(
                detail=True)['volumes']],
            'Another project lists the volume')
        self.assertRefused(lib_exc.NotFound, VOLUME_NOT_FOUND % volume['id'],
                           self.alt_volumes_client.show_volume, volume['id'])
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('ff734938-3b09-4fa4-93fd-304f5c7e106e')
    @unstable.services('compute', 'volume')
    def test_other_project_cannot_attach_volume(self):
        """Another project's server cannot attach the shared volume: 404.

        Steps:
        1. As the primary user, attach a new multiattach volume to the
           class's servers A and B.
        2. As the alt user, boot server C (this test's own: no other test
           needs a server of the other project) and attach the volume to
           it through nova: 404 "Volume <id> could not be found.".
        3. A and B hold the volume on both services, with the same
           attachment ids; nova lists no volume on C.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        other = self.create_server(credentials_type='alt')
        self.assertRefused(
            lib_exc.NotFound, VOLUME_NOT_FOUND % volume['id'],
            self.alt_volume_attachments_client.attach_volume,
            other['id'], volume['id'],
            microversion=self.compute_request_microversion)
        self.assertHeldBy(volume['id'], attachments)
        self.assertEqual([], self.alt_volume_attachments_client.
                         list_volume_attachments(
                             other['id'],
                             microversion=self.compute_request_microversion)[
                                 'volumeAttachments'])
