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

"""The messages client asks at 3.3 and keeps one resource's messages."""

from tempest.lib.common import api_microversion_fixture
from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.volume import messages_client
from mattach_tempest.unit import base
from mattach_tempest.unit import fakes

VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
OTHER_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0'
HEADER = 'OpenStack-API-Version'


def message(resource_uuid, text):
    return {'id': 'm-' + text, 'resource_uuid': resource_uuid,
            'resource_type': 'VOLUME', 'user_message': text,
            'created_at': '2026-11-22T10:00:00.000000',
            'message_level': 'ERROR'}


class MessagesClientTest(fakes.ClientTestMixin, base.TestCase):

    client_class = messages_client.MessagesClient

    def test_asks_at_3_3_whatever_the_class_selected(self):
        self.useFixture(api_microversion_fixture.APIMicroversionFixture(
            volume_microversion='3.0'))
        self.http.respond(200, {'messages': []})
        self.client.list_messages_about(VOLUME_ID)
        self.assertEqual('GET', self.http.last.method)
        self.assertEqual(fakes.VOLUME_ENDPOINT + '/messages',
                         self.http.last.url)
        self.assertEqual('volume 3.3', self.http.last.headers[HEADER])

    def test_keeps_the_messages_about_that_resource(self):
        self.http.respond(200, {'messages': [
            message(OTHER_ID, 'other'), message(VOLUME_ID, 'no backend')]})
        messages = self.client.list_messages_about(VOLUME_ID)['messages']
        self.assertEqual(['no backend'],
                         [m['user_message'] for m in messages])

    def test_refusal_raises(self):
        self.http.respond(404, {'itemNotFound': {'message': 'no'}})
        self.assertRaises(lib_exc.NotFound,
                          self.client.list_messages_about, VOLUME_ID)
