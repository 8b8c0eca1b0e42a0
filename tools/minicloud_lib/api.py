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

"""A tiny OpenStack REST client (urllib + JSON) for seeding and `status`.

The CLI runs under the system python, outside the cloud's venv; one process
doing a few dozen REST calls is far faster than one `openstack` CLI start
(~2 s) per call, and needs no library.
"""
import json
import urllib.error
import urllib.request

from . import layout


class ApiError(Exception):
    def __init__(self, method, url, code, body):
        super().__init__('%s %s -> %s: %s' % (method, url, code, body[:500]))
        self.code = code


class Session:
    def __init__(self, user='admin', password=layout.ADMIN_PASSWORD,
                 project='admin', timeout=30):
        self.timeout = timeout
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'domain': {'id': 'default'},
                'password': password}}},
            'scope': {'project': {'name': project,
                                  'domain': {'id': 'default'}}}}}
        req = urllib.request.Request(
            layout.url('keystone', '/v3/auth/tokens'),
            data=json.dumps(body).encode(), method='POST',
            headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            self.token = resp.headers['X-Subject-Token']
            token = json.load(resp)['token']
        self.project_id = token['project']['id']

    def request(self, method, service, path, body=None, headers=None,
                raw=None, ok=(200, 201, 202, 204)):
        url = layout.url(service, path)
        hdrs = {'X-Auth-Token': self.token, 'Accept': 'application/json'}
        data = None
        if raw is not None:
            data = raw
            hdrs['Content-Type'] = 'application/octet-stream'
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs['Content-Type'] = 'application/json'
        hdrs.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method,
                                     headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                text = resp.read()
                code = resp.status
        except urllib.error.HTTPError as e:
            text, code = e.read(), e.code
        if code not in ok:
            raise ApiError(method, url, code, text.decode(errors='replace'))
        return json.loads(text) if text else {}

    def get(self, service, path, **kw):
        return self.request('GET', service, path, **kw)

    def post(self, service, path, body=None, **kw):
        return self.request('POST', service, path, body, **kw)

    def put(self, service, path, body=None, **kw):
        return self.request('PUT', service, path, body, **kw)
