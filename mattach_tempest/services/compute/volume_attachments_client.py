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

"""Compute os-volume_attachments calls that work on both sides of 2.101.

tempest.lib's ServersClient.attach_volume parses and schema-checks the
response body, so it breaks at compute microversion >= 2.101 where nova
answers 202 with no body. It also sends the class-wide microversion. Every
call here takes the microversion it must send, so one test class can attach
at 2.60, list at 2.89 (attachment_id / bdm_uuid in the view) and prove 2.59
is refused.
"""

from oslo_serialization import jsonutils as json
from tempest.lib.common import api_version_request
from tempest.lib.common import rest_client
from tempest.lib import exceptions as lib_exc
import urllib3

MULTIATTACH = '2.60'
ATTACHMENT_IDS = '2.89'
NO_ATTACH_BODY = '2.101'


def attach_success_codes(microversion):
    """The status codes nova answers a successful attach with.

    200 with a body below 2.101, 202 with none from 2.101; 'latest' can be
    either, depending on the cloud's maximum.
    """
    if microversion is None:
        return [200]
    if microversion == 'latest':
        return [200, 202]
    if (api_version_request.APIVersionRequest(microversion) <
            api_version_request.APIVersionRequest(NO_ATTACH_BODY)):
        return [200]
    return [202]


class VolumeAttachmentsClient(rest_client.RestClient):
    """Client for /servers/{server_id}/os-volume_attachments."""

    api_microversion_header_name = 'X-OpenStack-Nova-API-Version'

    # Not named _request: RestClient.request() calls self._request() with
    # its own signature, so overriding it breaks every call.
    def _do_call(self, method, url, microversion, expected, body=None):
        headers = self.get_headers()
        if microversion is not None:
            headers[self.api_microversion_header_name] = microversion
        if body is not None:
            body = json.dumps(body)
        try:
            resp, resp_body = self.request(method, url, headers=headers,
                                           body=body)
        except urllib3.exceptions.ReadTimeoutError as exc:
            # nova answers an attach only after an RPC call to the
            # server's nova-compute (reserve_block_device_name); with that
            # service dead the call waits out nova's rpc_response_timeout,
            # and the client's read timeout can come first. Its error
            # names only host and port: say which request got no answer.
            raise lib_exc.TimeoutException(
                'no answer to %s %s%s within the read timeout '
                '([service-clients] http_timeout): %s'
                % (method, url, ' %s' % body if body else '', exc)) from exc
        self.expected_success(expected, resp.status)
        return rest_client.ResponseBody(
            resp, json.loads(resp_body) if resp_body else {})

    @staticmethod
    def _url(server_id, volume_id=None):
        url = 'servers/%s/os-volume_attachments' % server_id
        if volume_id is not None:
            url += '/%s' % volume_id
        return url

    def attach_volume(self, server_id, volume_id, microversion=MULTIATTACH,
                      **kwargs):
        """POST a volumeAttachment.

        Below 2.101 nova answers 200 with the volumeAttachment; from 2.101
        it answers 202 with no body and the attach completes, or fails,
        asynchronously: the returned body is then empty, and the caller
        waits for the attachment to appear.
        """
        attachment = dict(kwargs, volumeId=volume_id)
        return self._do_call('POST', self._url(server_id), microversion,
                             attach_success_codes(microversion),
                             {'volumeAttachment': attachment})

    def list_volume_attachments(self, server_id,
                                microversion=ATTACHMENT_IDS):
        """List a server's attachments; from 2.89 with attachment_id."""
        return self._do_call('GET', self._url(server_id), microversion, 200)

    def show_volume_attachment(self, server_id, volume_id,
                               microversion=ATTACHMENT_IDS):
        return self._do_call('GET', self._url(server_id, volume_id),
                             microversion, 200)

    def update_volume_attachment(self, server_id, volume_id, new_volume_id,
                                 microversion=MULTIATTACH, **kwargs):
        """PUT the attachment: a swap when new_volume_id differs.

        With the same volume id and >= 2.85 it updates
        delete_on_termination instead.
        """
        attachment = dict(kwargs, volumeId=new_volume_id)
        return self._do_call('PUT', self._url(server_id, volume_id),
                             microversion, 202,
                             {'volumeAttachment': attachment})

    def detach_volume(self, server_id, volume_id, microversion=MULTIATTACH):
        """DELETE the attachment: 202, the detach completes asynchronously."""
        return self._do_call('DELETE', self._url(server_id, volume_id),
                             microversion, 202)
