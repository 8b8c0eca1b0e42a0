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

"""The readonly flag of a multiattach volume.

Behaviour rule 11 (doc/source/behaviour.rst): os-update_readonly_flag
needs the volume available (else 400) and shows as metadata readonly;
every attachment made after it is set is read-only (attach_mode ro, and
the connection_info the hypervisor receives says access_mode ro). Nova
cannot choose a mode per attachment.

The flag is a project member's action by default (cinder policy
volume:update_readonly_flag), so these tests run with primary credentials.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import known_defects
from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# cinder volume/api.py update_readonly_flag(), InvalidVolume (400).
IN_USE_FLAG_REFUSED = ('status must be available to update readonly flag, '
                       'but current status is: in-use')


class MultiattachReadonlyTest(base.MultiattachBaseTest):
    """Servers attaching a readonly multiattach volume get it read-only.

    The tests share servers A and B (booted once for the class): each
    attaches a volume of its own and detaches it at cleanup.
    """

    class_server_count = 2

    def attach_readonly_volume(self):
        """A readonly multiattach volume attached to the class's servers.

        The flag is set while the volume is available, before any attach.
        Returns the volume's records in the attachments API (detail): two,
        one per server, both attached.
        """
        volume = self.create_multiattach_volume()
        self.volumes_client.update_volume_readonly(volume['id'],
                                                   readonly=True)
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertEqual('True', shown['metadata'].get('readonly'))
        attachments = self.attach_volume_to_servers(volume,
                                                    self.class_servers())
        records = self.attachments_client.list_attachments(
            detail=True, volume_id=volume['id'])['attachments']
        self.assertEqual(
            sorted(a['attachment_id'] for a in attachments.values()),
            sorted(r['id'] for r in records))
        self.assertEqual(['attached', 'attached'],
                         [r['status'] for r in records])
        return records

    @decorators.idempotent_id('236aefd6-3c57-46d6-a874-6963fef0b950')
    @unstable.services('compute', 'volume')
    def test_readonly_volume_attachments_are_ro(self):
        """Every attachment of a readonly multiattach volume records ro.

        Steps:
        1. Create a multiattach volume and set readonly=True on it while
           it is available: 202, its metadata shows readonly 'True'.
        2. Attach it to the class's servers A and B through nova.
        3. The attachments API lists two attachments of the volume, both
           attached, both attach_mode ro.
        """
        for record in self.attach_readonly_volume():
            self.assertEqual('ro', record['attach_mode'],
                             'Attachment %s of a readonly volume'
                             % record['id'])

    @decorators.idempotent_id('4ebbdc3c-9d70-41f7-8e2c-e2f93819694e')
    @unstable.services('compute', 'volume')
    @known_defects.detects('cinder-readonly-access-mode')
    def test_readonly_volume_connections_are_ro(self):
        """Every server is handed a read-only connection to the volume.

        What the hypervisor does follows the connection_info cinder gives
        nova, not the attachment record: nova's libvirt driver makes the
        disk <readonly/> when its access_mode is ro.

        Steps:
        1. Create a multiattach volume and set readonly=True on it while
           it is available: 202, its metadata shows readonly 'True'.
        2. Attach it to the class's servers A and B through nova.
        3. The connection_info of both attachments (attachments API
           detail) has access_mode ro.
        """
        for record in self.attach_readonly_volume():
            with known_defects.signature('cinder-readonly-access-mode'):
                self.assertEqual(
                    'ro', record['connection_info'].get('access_mode'),
                    'The connection_info of attachment %s of a readonly '
                    'volume: %s' % (record['id'], record['connection_info']))


class MultiattachReadonlyNegativeTest(base.MultiattachBaseTest):
    """The readonly flag cannot change under attached servers."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('d224d726-5cf7-4101-877e-680669bfc3a1')
    @unstable.services('compute', 'volume')
    def test_set_readonly_on_in_use_volume_refused(self):
        """Setting readonly on a volume two servers hold is a 400.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Set readonly=True: 400 "... status must be available to update
           readonly flag, but current status is: in-use".
        3. The volume's metadata has no readonly 'True'; it is in-use with
           both attachments (same ids), each still attach_mode rw.
        """
        volume, _servers, attachments = self.create_shared_volume()
        self.assertRefused(lib_exc.BadRequest, IN_USE_FLAG_REFUSED,
                           self.volumes_client.update_volume_readonly,
                           volume['id'], readonly=True)
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertNotEqual('True', shown['metadata'].get('readonly'))
        self.assertHeldBy(volume['id'], attachments)
        records = self.attachments_client.list_attachments(
            detail=True, volume_id=volume['id'])['attachments']
        self.assertEqual(['rw'] * len(attachments),
                         [r['attach_mode'] for r in records])
