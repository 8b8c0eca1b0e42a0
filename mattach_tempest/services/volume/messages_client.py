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

"""Cinder's user messages about one resource, at microversion 3.3.

Why a volume went to error is not in the volume: cinder records it as a
user message ("schedule allocate volume: Could not find any available
weighted backend."). tempest.lib's MessagesClient sends the test class's
global volume microversion, often 3.0, below the 3.3 the messages API
needs; this one sends 3.3 on every call, so any test can quote the reason
when it reports a volume in error.
"""

from tempest.lib.common import rest_client

from mattach_tempest.services.volume import per_call_microversion

MESSAGES = '3.3'


class MessagesClient(per_call_microversion.PerCallMicroversionClient):
    """Client for /v3/{project_id}/messages (read only)."""

    def list_messages_about(self, resource_uuid):
        """The user messages whose resource_uuid is `resource_uuid`."""
        listed = self._do_call('GET', 'messages', MESSAGES, 200)
        return rest_client.ResponseBody(listed.response, {'messages': [
            m for m in listed['messages']
            if m.get('resource_uuid') == resource_uuid]})
