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

"""A small fake HTTP layer for the service client tests.

The clients run their whole tempest.lib RestClient request path (auth
headers, error checking, response checking); only the socket is replaced:
FakeHttp stands in for ``RestClient.http_obj`` (urllib3 in real life),
records every request and answers from a queue of canned responses.
tempest.tests.lib has similar helpers, but tempest.tests is not a stable
interface.
"""

import collections
from urllib import parse

from oslo_serialization import jsonutils as json

TOKEN = 'fake-token'
VOLUME_ENDPOINT = 'http://block-storage.test/v3/project-id'
COMPUTE_ENDPOINT = 'http://compute.test/v2.1'


class FakeAuthProvider(object):
    """Authenticates every request with a fixed token and endpoint.

    Joins the client's relative URL to the endpoint the way tempest's
    keystone auth providers do (``<endpoint>/<url>``).
    """

    def __init__(self, endpoint):
        self.endpoint = endpoint

    def auth_request(self, method, url, headers=None, body=None,
                     filters=None):
        headers = dict(headers or {}, **{'X-Auth-Token': TOKEN})
        return '%s/%s' % (self.endpoint, url), headers, body

    def base_url(self, filters, auth_data=None):
        return self.endpoint

    def get_token(self):
        return TOKEN


class Request(collections.namedtuple(
        'Request', 'method url path query headers body')):
    """One recorded request; body is the decoded JSON (None if empty)."""


class FakeResponse(dict):
    """Headers (lower-case keys) plus .status, like tempest.lib's http."""

    def __init__(self, status, headers=None):
        super().__init__((k.lower(), v) for k, v in (headers or {}).items())
        self.status = status
        self['status'] = str(status)
        self.reason = 'Fake'
        self.version = 11


class FakeHttp(object):
    """Answers requests from a queue; fails a test that sends too many."""

    def __init__(self):
        self.requests = []
        self._responses = collections.deque()

    def respond(self, status, body=None, headers=None):
        """Queue a response; a dict or list body is sent as JSON."""
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if body:
            headers.setdefault('Content-Type', 'application/json')
        self._responses.append(
            (status, (body or '').encode('utf-8'), headers))

    def request(self, url, method, headers=None, body=None, chunked=False,
                preload_content=True):
        split = parse.urlsplit(url)
        self.requests.append(Request(
            method=method, url=url, path=split.path,
            query=parse.parse_qs(split.query, keep_blank_values=True),
            headers=dict(headers or {}),
            body=json.loads(body) if body else None))
        if not self._responses:
            raise AssertionError('Unexpected request %s %s: no response '
                                 'queued' % (method, url))
        status, resp_body, resp_headers = self._responses.popleft()
        return FakeResponse(status, resp_headers), resp_body

    @property
    def last(self):
        return self.requests[-1]


def make_client(client_class, endpoint, service):
    """A client of client_class talking to a FakeHttp: (client, http)."""
    client = client_class(FakeAuthProvider(endpoint), service, 'RegionOne')
    http = FakeHttp()
    client.http_obj = http
    return client, http


class ClientTestMixin(object):
    """setUp of a service client test: self.client on a fake self.http.

    The test class names the client class, its endpoint and its service
    (the catalog type the auth provider answers for).
    """

    client_class = None
    endpoint = VOLUME_ENDPOINT
    service = 'block-storage'

    def setUp(self):
        super().setUp()
        self.client, self.http = make_client(self.client_class,
                                             self.endpoint, self.service)
