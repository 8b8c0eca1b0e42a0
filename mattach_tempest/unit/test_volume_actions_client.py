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

"""The volume actions client against fake HTTP responses."""

from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.volume import volume_actions_client
from mattach_tempest.unit import base
from mattach_tempest.unit import fakes

VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
ACTION = fakes.VOLUME_ENDPOINT + '/volumes/%s/action' % VOLUME_ID


class VolumeActionsClientTest(fakes.ClientTestMixin, base.TestCase):

    client_class = volume_actions_client.VolumeActionsClient

    def assertAction(self, action):
        request = self.http.last
        self.assertEqual('POST', request.method)
        self.assertEqual(ACTION, request.url)
        self.assertEqual('volume 3.0',
                         request.headers['OpenStack-API-Version'])
        self.assertEqual({action: None}, request.body)

    def test_begin_detaching(self):
        self.http.respond(202)
        body = self.client.begin_detaching(VOLUME_ID)
        self.assertAction('os-begin_detaching')
        self.assertEqual(202, body.response.status)

    def test_roll_detaching(self):
        self.http.respond(202)
        self.client.roll_detaching(VOLUME_ID)
        self.assertAction('os-roll_detaching')

    def test_extend_at_3_42(self):
        # Whatever microversion the test class runs at: below 3.42 cinder
        # refuses to extend an in-use volume.
        self.http.respond(202)
        body = self.client.extend_volume(VOLUME_ID, 2)
        request = self.http.last
        self.assertEqual(('POST', ACTION), (request.method, request.url))
        self.assertEqual('volume 3.42',
                         request.headers['OpenStack-API-Version'])
        self.assertEqual({'os-extend': {'new_size': 2}}, request.body)
        self.assertEqual(202, body.response.status)

    def test_refusal_raises(self):
        self.http.respond(400, {'badRequest': {
            'message': "Unable to detach volume. Volume status must be "
                       "'in-use' and attach_status must be 'attached' to "
                       "detach.", 'code': 400}})
        self.assertRaises(lib_exc.BadRequest, self.client.begin_detaching,
                          VOLUME_ID)
