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

"""The volume snapshots client sends the selected volume microversion."""

from tempest.lib.common import api_microversion_fixture
from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.volume import snapshots_client
from mattach_tempest.unit import base
from mattach_tempest.unit import fakes

SNAPSHOT_ID = '5e0c9a7b-3d1f-4a2e-9b8c-7d6e5f4a3b21'
SNAPSHOT = fakes.VOLUME_ENDPOINT + '/snapshots/' + SNAPSHOT_ID
HEADER = 'Openstack-Api-Version'


class SnapshotsClientTest(fakes.ClientTestMixin, base.TestCase):

    client_class = snapshots_client.SnapshotsClient

    def select_microversion(self, microversion):
        """What a test class's resource_setup does (reset on cleanup)."""
        self.useFixture(api_microversion_fixture.APIMicroversionFixture(
            volume_microversion=microversion))

    def test_sends_selected_microversion(self):
        self.select_microversion('3.66')
        self.http.respond(202, headers={HEADER: 'volume 3.66'})
        self.client.delete_snapshot(SNAPSHOT_ID)
        self.assertEqual('DELETE', self.http.last.method)
        self.assertEqual(SNAPSHOT, self.http.last.url)
        self.assertEqual('volume 3.66', self.http.last.headers[HEADER])

    def test_sends_no_microversion_when_none_selected(self):
        self.http.respond(202)
        self.client.delete_snapshot(SNAPSHOT_ID)
        self.assertNotIn(HEADER, self.http.last.headers)

    def test_answer_at_another_microversion_is_an_error(self):
        self.select_microversion('3.66')
        self.http.respond(202, headers={HEADER: 'volume 3.0'})
        self.assertRaises(lib_exc.InvalidHTTPResponseHeader,
                          self.client.delete_snapshot, SNAPSHOT_ID)

    def snapshot(self, **fields):
        """A create answer at 3.66: the 3.0 fields plus later ones."""
        return dict({'id': SNAPSHOT_ID, 'status': 'creating',
                     'description': None, 'name': 'snap',
                     'created_at': '2026-11-22T06:56:44.000000',
                     'updated_at': None, 'metadata': {},
                     'volume_id': '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11',
                     'size': 1, 'group_snapshot_id': None,
                     'user_id': '9a8b7c6d5e4f40312a1b2c3d4e5f6a7b',
                     'consumes_quota': True}, **fields)

    def test_create_accepts_properties_of_later_microversions(self):
        self.select_microversion('3.66')
        self.http.respond(202, {'snapshot': self.snapshot()},
                          headers={HEADER: 'volume 3.66'})
        body = self.client.create_snapshot(volume_id='v', name='snap')
        self.assertEqual({'snapshot': {'volume_id': 'v', 'name': 'snap'}},
                         self.http.last.body)
        self.assertEqual(SNAPSHOT_ID, body['snapshot']['id'])

    def test_create_still_checks_the_3_0_fields(self):
        self.select_microversion('3.66')
        snapshot = self.snapshot()
        del snapshot['volume_id']
        self.http.respond(202, {'snapshot': snapshot},
                          headers={HEADER: 'volume 3.66'})
        self.assertRaises(lib_exc.InvalidHTTPResponseBody,
                          self.client.create_snapshot, volume_id='v')
