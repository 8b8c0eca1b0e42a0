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

"""An admin sees every project's multiattach volumes and attachments.

The counterpart of the isolation between projects
(tests/api/volume/test_multiattach_isolation.py): with ``all_tenants`` an
admin lists another project's shared volume, with every attachment, and
that volume's attachments through the attachments API.
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class MultiattachAllTenantsTest(base.MultiattachAdminBaseTest):
    """The primary's shared volume, as an admin lists it across projects."""

    volume_min_microversion = '3.27'

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_attachments_client = (
            cls.os_admin.mattach_volume.AttachmentsClient())

    @decorators.idempotent_id('226e9749-d263-4e98-88cb-3b52e2e105dc')
    @unstable.services('compute', 'volume')
    def test_admin_lists_other_project_attachments(self):
        """Admin with all_tenants lists the volume and its attachments.

        Steps:
        1. As the primary user, attach one multiattach volume to servers A
           and B.
        2. As admin (another project), list volumes in detail with
           all_tenants=1 and the volume's name: the volume alone, listing
           A's and B's attachments with their ids.
        3. As admin, list attachments with all_tenants=1 and the volume's
           id: A's and B's attachments, attached, for A and B.
        """
        volume, _servers, attachments = self.create_shared_volume()
        listed = self.admin_volumes_client.list_volumes(
            detail=True, params={'all_tenants': 1, 'name': volume['name']})[
                'volumes']
        self.assertEqual([volume['id']], [v['id'] for v in listed],
                         'The volumes admin lists with all_tenants=1 by the '
                         'name of the primary project\'s volume')
        self.assertEqual(
            sorted(attachments.items()),
            sorted((a['server_id'], a['attachment_id'])
                   for a in listed[0]['attachments']),
            'The attachments admin sees on the primary project\'s volume')
        records = self.admin_attachments_client.list_attachments(
            all_tenants=1, volume_id=volume['id'])['attachments']
        self.assertEqual(
            sorted((server_id, attachment_id, 'attached')
                   for server_id, attachment_id in attachments.items()),
            sorted((r['instance'], r['id'], r['status']) for r in records),
            'The attachments admin lists with all_tenants=1 for the primary '
            'project\'s volume')
