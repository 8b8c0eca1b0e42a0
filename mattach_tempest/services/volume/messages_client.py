"""Cinder's user messages about one resource, at microversion 3.3.

Why a volume went to error is not in the volume: cinder records it as a
user message ("schedule allocate volume: Could not find any available
weighted backend."). tempest.lib's MessagesClient sends the test class's
global volume microversion, often 3.0, below the 3.3 the messages API
needs; this one sends 3.3 on every call, so any test can quote the reason
when it reports a volume in error.
"""

from oslo_serialization import jsonutils as json
from tempest.lib.common import rest_client

MESSAGES = '3.3'


class MessagesClient(rest_client.RestClient):
    """Client for /v3/{project_id}/messages (read only)."""

    api_microversion_header_name = 'OpenStack-API-Version'

    def list_messages_about(self, resource_uuid):
        """The user messages whose resource_uuid is `resource_uuid`."""
        headers = self.get_headers()
        headers[self.api_microversion_header_name] = 'volume ' + MESSAGES
        resp, body = self.request('GET', 'messages', headers=headers)
        self.expected_success(200, resp.status)
        messages = json.loads(body)['messages']
        return rest_client.ResponseBody(resp, {'messages': [
            m for m in messages if m.get('resource_uuid') == resource_uuid]})
