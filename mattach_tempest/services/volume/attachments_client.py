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

"""The whole Cinder v3 attachments API, each call at the microversion it needs.

tempest.lib's AttachmentsClient has only show and delete and sends whatever
global volume microversion the test class selected. The attachments API
appeared at 3.27 (create/update/list/show/delete), ``os-complete`` at 3.44
and the ``mode`` argument at 3.54, so every call here sends its own
``OpenStack-API-Version`` header and never depends on the class's choice.
"""

from urllib import parse

from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.volume import per_call_microversion

NEW_ATTACH = '3.27'
ATTACH_COMPLETE = '3.44'
ATTACH_MODE = '3.54'


class AttachmentsClient(per_call_microversion.PerCallMicroversionClient):
    """Client for /v3/{project_id}/attachments."""

    def create_attachment(self, volume_id, instance_id=None, connector=None,
                          mode=None, microversion=None):
        """Reserve a volume: without a connector the attachment is reserved.

        ``mode`` ('rw' or 'ro') needs microversion 3.54, chosen by default
        when a mode is given.
        """
        attachment = {'volume_uuid': volume_id}
        if instance_id is not None:
            attachment['instance_uuid'] = instance_id
        if connector is not None:
            attachment['connector'] = connector
        if mode is not None:
            attachment['mode'] = mode
        if microversion is None:
            microversion = ATTACH_MODE if mode is not None else NEW_ATTACH
        return self._do_call('POST', 'attachments', microversion, 200,
                             {'attachment': attachment})

    def update_attachment(self, attachment_id, connector,
                          microversion=NEW_ATTACH):
        """Give a reserved attachment its connector: -> attaching."""
        return self._do_call('PUT', 'attachments/%s' % attachment_id,
                             microversion, 200,
                             {'attachment': {'connector': connector}})

    def complete_attachment(self, attachment_id,
                            microversion=ATTACH_COMPLETE):
        """Mark the attachment attached (os-complete, 3.44): 204."""
        return self._do_call('POST', 'attachments/%s/action' % attachment_id,
                             microversion, 204, {'os-complete': None})

    def list_attachments(self, detail=False, microversion=NEW_ATTACH,
                         **filters):
        """List attachments; filters such as volume_id, instance_id, status.

        The list view carries id, status, instance and volume_id; the detail
        view adds attach_mode, attached_at, detached_at, connection_info.
        """
        url = 'attachments/detail' if detail else 'attachments'
        if filters:
            url += '?%s' % parse.urlencode(filters)
        return self._do_call('GET', url, microversion, 200)

    def show_attachment(self, attachment_id, microversion=NEW_ATTACH):
        return self._do_call('GET', 'attachments/%s' % attachment_id,
                             microversion, 200)

    def delete_attachment(self, attachment_id, microversion=NEW_ATTACH):
        """Delete an attachment; the body lists the remaining attachments."""
        return self._do_call('DELETE', 'attachments/%s' % attachment_id,
                             microversion, 200)

    def is_resource_deleted(self, id):
        try:
            self.show_attachment(id)
        except lib_exc.NotFound:
            return True
        return False

    @property
    def resource_type(self):
        return 'volume attachment'
