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

"""The Cinder v3 attachments client against fake HTTP responses."""

from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.volume import attachments_client
from mattach_tempest.unit import base
from mattach_tempest.unit import fakes

VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
SERVER_ID = 'c3a1f0de-52d8-4c35-8d1b-0f9a5e8e2b22'
ATTACHMENT_ID = '4b1d3f0a-9e6c-4f4e-8a9b-6c0d2e1f3a33'
CONNECTOR = {'initiator': 'iqn.1993-08.org.debian:01:abc', 'host': 'c1',
             'multipath': False, 'platform': 'x86_64', 'os_type': 'linux'}
HEADER = 'OpenStack-API-Version'
ATTACHMENTS = fakes.VOLUME_ENDPOINT + '/attachments'
ATTACHMENT = {'id': ATTACHMENT_ID, 'status': 'reserved',
              'instance': SERVER_ID, 'volume_id': VOLUME_ID,
              'attach_mode': 'rw', 'attached_at': None,
              'detached_at': None, 'connection_info': {}}


class AttachmentsClientTest(fakes.ClientTestMixin, base.TestCase):

    client_class = attachments_client.AttachmentsClient

    def assertRequest(self, method, url, microversion, body=None):
        request = self.http.last
        self.assertEqual(method, request.method)
        self.assertEqual(url, request.url)
        self.assertEqual('volume %s' % microversion, request.headers[HEADER])
        self.assertEqual(fakes.TOKEN, request.headers['X-Auth-Token'])
        self.assertEqual('application/json', request.headers['Accept'])
        self.assertEqual(body, request.body)
        return request

    # -- create --

    def test_create_reserves_at_3_27(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        body = self.client.create_attachment(VOLUME_ID)
        self.assertRequest('POST', ATTACHMENTS, '3.27',
                           {'attachment': {'volume_uuid': VOLUME_ID}})
        self.assertEqual(ATTACHMENT, body['attachment'])
        self.assertEqual(200, body.response.status)

    def test_create_with_instance_and_connector(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        self.client.create_attachment(VOLUME_ID, instance_id=SERVER_ID,
                                      connector=CONNECTOR)
        self.assertRequest('POST', ATTACHMENTS, '3.27', {'attachment': {
            'volume_uuid': VOLUME_ID, 'instance_uuid': SERVER_ID,
            'connector': CONNECTOR}})

    def test_create_with_mode_sends_3_54(self):
        self.http.respond(200, {'attachment': dict(ATTACHMENT,
                                                   attach_mode='ro')})
        body = self.client.create_attachment(VOLUME_ID, instance_id=SERVER_ID,
                                             mode='ro')
        self.assertRequest('POST', ATTACHMENTS, '3.54', {'attachment': {
            'volume_uuid': VOLUME_ID, 'instance_uuid': SERVER_ID,
            'mode': 'ro'}})
        self.assertEqual('ro', body['attachment']['attach_mode'])

    def test_create_explicit_microversion_wins(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        self.client.create_attachment(VOLUME_ID, mode='rw',
                                      microversion='3.60')
        self.assertEqual('volume 3.60', self.http.last.headers[HEADER])

    def test_create_refused_raises_with_body(self):
        self.http.respond(400, {'badRequest': {
            'code': 400, 'message': 'Invalid volume: volume is reserved'}})
        exc = self.assertRaises(lib_exc.BadRequest,
                                self.client.create_attachment, VOLUME_ID)
        self.assertIn('volume is reserved', str(exc.resp_body))

    def test_create_unexpected_success_status_raises(self):
        self.http.respond(202, {'attachment': ATTACHMENT})
        self.assertRaises(lib_exc.InvalidHttpSuccessCode,
                          self.client.create_attachment, VOLUME_ID)

    # -- update / complete --

    def test_update_sends_connector(self):
        self.http.respond(200, {'attachment': dict(ATTACHMENT,
                                                   status='attaching')})
        body = self.client.update_attachment(ATTACHMENT_ID, CONNECTOR)
        self.assertRequest('PUT', '%s/%s' % (ATTACHMENTS, ATTACHMENT_ID),
                           '3.27', {'attachment': {'connector': CONNECTOR}})
        self.assertEqual('attaching', body['attachment']['status'])

    def test_complete_at_3_44_answers_204_without_body(self):
        self.http.respond(204)
        body = self.client.complete_attachment(ATTACHMENT_ID)
        self.assertRequest('POST',
                           '%s/%s/action' % (ATTACHMENTS, ATTACHMENT_ID),
                           '3.44', {'os-complete': None})
        self.assertEqual({}, body)
        self.assertEqual(204, body.response.status)

    def test_complete_with_200_raises(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        self.assertRaises(lib_exc.InvalidHttpSuccessCode,
                          self.client.complete_attachment, ATTACHMENT_ID)

    def test_complete_204_with_a_body_raises(self):
        self.http.respond(204, {'attachment': ATTACHMENT})
        self.assertRaises(lib_exc.ResponseWithNonEmptyBody,
                          self.client.complete_attachment, ATTACHMENT_ID)

    # -- list / show --

    def test_list_without_filters(self):
        self.http.respond(200, {'attachments': [ATTACHMENT]})
        body = self.client.list_attachments()
        request = self.assertRequest('GET', ATTACHMENTS, '3.27')
        self.assertEqual({}, request.query)
        self.assertEqual([ATTACHMENT], body['attachments'])

    def test_list_filters_go_to_the_query_string(self):
        self.http.respond(200, {'attachments': []})
        self.client.list_attachments(volume_id=VOLUME_ID,
                                     instance_id=SERVER_ID,
                                     status='attached')
        request = self.http.last
        self.assertEqual('/v3/project-id/attachments', request.path)
        self.assertEqual({'volume_id': [VOLUME_ID],
                          'instance_id': [SERVER_ID],
                          'status': ['attached']}, request.query)
        self.assertIsNone(request.body)

    def test_list_detail(self):
        self.http.respond(200, {'attachments': [ATTACHMENT]})
        self.client.list_attachments(detail=True, volume_id=VOLUME_ID)
        request = self.http.last
        self.assertEqual('GET', request.method)
        self.assertEqual('/v3/project-id/attachments/detail', request.path)
        self.assertEqual({'volume_id': [VOLUME_ID]}, request.query)
        self.assertEqual('volume 3.27', request.headers[HEADER])

    def test_list_filter_values_are_quoted(self):
        self.http.respond(200, {'attachments': []})
        self.client.list_attachments(status='a b&c=d')
        self.assertEqual({'status': ['a b&c=d']}, self.http.last.query)

    def test_show(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        body = self.client.show_attachment(ATTACHMENT_ID)
        self.assertRequest('GET', '%s/%s' % (ATTACHMENTS, ATTACHMENT_ID),
                           '3.27')
        self.assertEqual(ATTACHMENT, body['attachment'])

    def test_show_missing_raises_not_found(self):
        self.http.respond(404, {'itemNotFound': {'code': 404,
                                                 'message': 'not found'}})
        self.assertRaises(lib_exc.NotFound, self.client.show_attachment,
                          ATTACHMENT_ID)

    # -- delete --

    def test_delete_returns_the_remaining_attachments(self):
        self.http.respond(200, {'attachments': []})
        body = self.client.delete_attachment(ATTACHMENT_ID)
        self.assertRequest('DELETE', '%s/%s' % (ATTACHMENTS, ATTACHMENT_ID),
                           '3.27')
        self.assertEqual([], body['attachments'])

    def test_delete_of_a_protected_attachment_raises_conflict(self):
        self.http.respond(409, {'conflictingRequest': {
            'code': 409, 'message': 'ConflictNovaUsingAttachment'}})
        exc = self.assertRaises(lib_exc.Conflict,
                                self.client.delete_attachment, ATTACHMENT_ID)
        self.assertIn('ConflictNovaUsingAttachment', str(exc.resp_body))

    def test_is_resource_deleted(self):
        self.http.respond(404, {'itemNotFound': {'code': 404,
                                                 'message': 'gone'}})
        self.assertTrue(self.client.is_resource_deleted(ATTACHMENT_ID))
        self.http.respond(200, {'attachment': ATTACHMENT})
        self.assertFalse(self.client.is_resource_deleted(ATTACHMENT_ID))
        self.assertEqual('volume attachment', self.client.resource_type)

    def test_microversion_is_per_call(self):
        self.http.respond(200, {'attachment': ATTACHMENT})
        self.http.respond(204)
        self.http.respond(200, {'attachments': []})
        self.client.create_attachment(VOLUME_ID, mode='ro')
        self.client.complete_attachment(ATTACHMENT_ID)
        self.client.list_attachments()
        self.assertEqual(['volume 3.54', 'volume 3.44', 'volume 3.27'],
                         [r.headers[HEADER] for r in self.http.requests])
