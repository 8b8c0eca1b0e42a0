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

"""The compute os-volume_attachments client against fake HTTP responses."""

from unittest import mock

import fixtures
from tempest.lib import exceptions as lib_exc
import urllib3

from mattach_tempest.services.compute import volume_attachments_client as vac
from mattach_tempest.unit import base
from mattach_tempest.unit import fakes

SERVER_ID = 'c3a1f0de-52d8-4c35-8d1b-0f9a5e8e2b22'
VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
NEW_VOLUME_ID = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c44'
HEADER = 'X-OpenStack-Nova-API-Version'
ATTACHMENTS = '%s/servers/%s/os-volume_attachments' % (
    fakes.COMPUTE_ENDPOINT, SERVER_ID)
ATTACHMENT = '%s/%s' % (ATTACHMENTS, VOLUME_ID)
VOLUME_ATTACHMENT = {'id': VOLUME_ID, 'serverId': SERVER_ID,
                     'volumeId': VOLUME_ID, 'device': '/dev/vdb'}


class AttachSuccessCodesTest(base.TestCase):

    def test_codes_by_microversion(self):
        for microversion, codes in ((None, [200]),
                                    ('2.1', [200]),
                                    ('2.60', [200]),
                                    ('2.100', [200]),
                                    ('2.101', [202]),
                                    ('2.102', [202]),
                                    ('3.0', [202]),
                                    ('latest', [200, 202])):
            self.assertEqual(codes, vac.attach_success_codes(microversion),
                             microversion)


class VolumeAttachmentsClientTest(fakes.ClientTestMixin, base.TestCase):

    client_class = vac.VolumeAttachmentsClient
    endpoint = fakes.COMPUTE_ENDPOINT
    service = 'compute'

    def assertRequest(self, method, url, microversion, body=None):
        request = self.http.last
        self.assertEqual(method, request.method)
        self.assertEqual(url, request.url)
        if microversion is None:
            self.assertNotIn(HEADER, request.headers)
        else:
            self.assertEqual(microversion, request.headers[HEADER])
        self.assertNotIn('OpenStack-API-Version', request.headers)
        self.assertEqual(fakes.TOKEN, request.headers['X-Auth-Token'])
        self.assertEqual(body, request.body)
        return request

    # -- attach --

    def test_attach_at_2_60_answers_200_with_the_attachment(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        body = self.client.attach_volume(SERVER_ID, VOLUME_ID)
        self.assertRequest('POST', ATTACHMENTS, '2.60',
                           {'volumeAttachment': {'volumeId': VOLUME_ID}})
        self.assertEqual(VOLUME_ATTACHMENT, body['volumeAttachment'])

    def test_attach_without_answer_names_the_request(self):
        timeout = urllib3.exceptions.ReadTimeoutError(
            None, ATTACHMENTS, 'Read timed out. (read timeout=60)')
        self.useFixture(fixtures.MockPatchObject(
            self.http, 'request', mock.Mock(side_effect=timeout)))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                self.client.attach_volume, SERVER_ID,
                                VOLUME_ID)
        self.assertIn('no answer to POST servers/%s/os-volume_attachments '
                      '{"volumeAttachment": {"volumeId": "%s"}} within the '
                      'read timeout' % (SERVER_ID, VOLUME_ID), str(exc))
        self.assertIn('Read timed out', str(exc))

    def test_attach_passes_extra_fields(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        self.client.attach_volume(SERVER_ID, VOLUME_ID, microversion='2.79',
                                  tag='shared', delete_on_termination=True)
        self.assertRequest('POST', ATTACHMENTS, '2.79', {'volumeAttachment': {
            'volumeId': VOLUME_ID, 'tag': 'shared',
            'delete_on_termination': True}})

    def test_attach_at_2_101_answers_202_without_a_body(self):
        self.http.respond(202)
        body = self.client.attach_volume(SERVER_ID, VOLUME_ID,
                                         microversion='2.101')
        self.assertRequest('POST', ATTACHMENTS, '2.101',
                           {'volumeAttachment': {'volumeId': VOLUME_ID}})
        self.assertEqual({}, body)
        self.assertEqual(202, body.response.status)

    def test_attach_latest_accepts_either(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        self.http.respond(202)
        old = self.client.attach_volume(SERVER_ID, VOLUME_ID,
                                        microversion='latest')
        new = self.client.attach_volume(SERVER_ID, VOLUME_ID,
                                        microversion='latest')
        self.assertEqual(VOLUME_ATTACHMENT, old['volumeAttachment'])
        self.assertEqual({}, new)
        self.assertEqual(['latest', 'latest'],
                         [r.headers[HEADER] for r in self.http.requests])

    def test_attach_without_microversion_sends_no_header(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        self.client.attach_volume(SERVER_ID, VOLUME_ID, microversion=None)
        self.assertRequest('POST', ATTACHMENTS, None,
                           {'volumeAttachment': {'volumeId': VOLUME_ID}})

    def test_attach_202_below_2_101_raises(self):
        self.http.respond(202)
        self.assertRaises(lib_exc.InvalidHttpSuccessCode,
                          self.client.attach_volume, SERVER_ID, VOLUME_ID)

    def test_attach_200_at_2_101_raises(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        self.assertRaises(lib_exc.InvalidHttpSuccessCode,
                          self.client.attach_volume, SERVER_ID, VOLUME_ID,
                          microversion='2.101')

    def test_attach_refused_at_2_59_raises_bad_request(self):
        message = ('Multiattach volumes are only supported starting with '
                   'compute API version 2.60.')
        self.http.respond(400, {'badRequest': {'code': 400,
                                               'message': message}})
        exc = self.assertRaises(lib_exc.BadRequest,
                                self.client.attach_volume, SERVER_ID,
                                VOLUME_ID, microversion='2.59')
        self.assertIn(message, str(exc.resp_body))
        self.assertEqual('2.59', self.http.last.headers[HEADER])

    def test_attach_conflict_raises(self):
        self.http.respond(409, {'conflictingRequest': {
            'code': 409, 'message': 'in vm_state shelved_offloaded'}})
        self.assertRaises(lib_exc.Conflict, self.client.attach_volume,
                          SERVER_ID, VOLUME_ID)

    # -- list / show --

    def test_list_at_2_89(self):
        attachments = [dict(VOLUME_ATTACHMENT, attachment_id='a1',
                            bdm_uuid='b1')]
        self.http.respond(200, {'volumeAttachments': attachments})
        body = self.client.list_volume_attachments(SERVER_ID)
        self.assertRequest('GET', ATTACHMENTS, '2.89')
        self.assertEqual(attachments, body['volumeAttachments'])

    def test_show_at_2_89(self):
        self.http.respond(200, {'volumeAttachment': VOLUME_ATTACHMENT})
        body = self.client.show_volume_attachment(SERVER_ID, VOLUME_ID)
        self.assertRequest('GET', ATTACHMENT, '2.89')
        self.assertEqual(VOLUME_ATTACHMENT, body['volumeAttachment'])

    def test_show_of_a_missing_attachment_raises_not_found(self):
        self.http.respond(404, {'itemNotFound': {'code': 404,
                                                 'message': 'not attached'}})
        self.assertRaises(lib_exc.NotFound,
                          self.client.show_volume_attachment, SERVER_ID,
                          VOLUME_ID, microversion='2.60')
        self.assertEqual('2.60', self.http.last.headers[HEADER])

    # -- update (swap) / detach --

    def test_swap_sends_the_new_volume(self):
        self.http.respond(202)
        body = self.client.update_volume_attachment(SERVER_ID, VOLUME_ID,
                                                    NEW_VOLUME_ID)
        self.assertRequest('PUT', ATTACHMENT, '2.60',
                           {'volumeAttachment': {'volumeId': NEW_VOLUME_ID}})
        self.assertEqual({}, body)

    def test_update_delete_on_termination_at_2_85(self):
        self.http.respond(202)
        self.client.update_volume_attachment(
            SERVER_ID, VOLUME_ID, VOLUME_ID, microversion='2.85',
            delete_on_termination=True)
        self.assertRequest('PUT', ATTACHMENT, '2.85', {'volumeAttachment': {
            'volumeId': VOLUME_ID, 'delete_on_termination': True}})

    def test_swap_refused_raises_with_the_policy_status(self):
        for status, exc_class in ((400, lib_exc.BadRequest),
                                  (403, lib_exc.Forbidden),
                                  (409, lib_exc.Conflict)):
            self.http.respond(status, {'error': {'code': status,
                                                 'message': 'refused'}})
            self.assertRaises(exc_class,
                              self.client.update_volume_attachment,
                              SERVER_ID, VOLUME_ID, NEW_VOLUME_ID)

    def test_detach_answers_202(self):
        self.http.respond(202)
        body = self.client.detach_volume(SERVER_ID, VOLUME_ID)
        self.assertRequest('DELETE', ATTACHMENT, '2.60')
        self.assertEqual({}, body)

    def test_detach_with_200_raises(self):
        self.http.respond(200)
        self.assertRaises(lib_exc.InvalidHttpSuccessCode,
                          self.client.detach_volume, SERVER_ID, VOLUME_ID)
