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

"""A volume client whose every call names its own microversion.

tempest.lib's volume clients send the one global microversion the test
class selected; the APIs below it (attachments from 3.27, messages from
3.3) need a given one whatever the class chose, so each call sends its
own ``OpenStack-API-Version`` header.
"""

from oslo_serialization import jsonutils as json
from tempest.lib.common import rest_client


class PerCallMicroversionClient(rest_client.RestClient):

    api_microversion_header_name = 'OpenStack-API-Version'

    def _headers(self, microversion):
        headers = self.get_headers()
        headers[self.api_microversion_header_name] = (
            'volume %s' % microversion)
        return headers

    # Not named _request: RestClient.request() calls self._request() with
    # its own signature, so overriding it breaks every call.
    def _do_call(self, method, url, microversion, expected, body=None):
        if body is not None:
            body = json.dumps(body)
        resp, resp_body = self.request(
            method, url, headers=self._headers(microversion), body=body)
        self.expected_success(expected, resp.status)
        if resp_body:
            resp_body = json.loads(resp_body)
        return rest_client.ResponseBody(resp, resp_body or {})
