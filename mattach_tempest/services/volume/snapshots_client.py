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

"""tempest's v3 snapshots client, at the test class's volume microversion.

tempest.lib's v3 SnapshotsClient is a plain RestClient: unlike the volumes
client it sends no ``OpenStack-API-Version`` header, so every snapshot
request runs at the base microversion 3.0 whatever the test class
selected, and behaviour gated on a microversion (a snapshot of an in-use
volume without force from 3.66) cannot be reached through it. Its response
schemas describe 3.0 alone and refuse any other property, while later
microversions add some (group_snapshot_id 3.14, user_id 3.41,
consumes_quota 3.65).

This is the same client behind tempest.lib's volume microversion support
(``tempest.lib.services.volume.base_client.BaseClient``, stable): it sends
the microversion the class's APIMicroversionFixture selected, checks cinder
answered at that microversion, and validates responses against tempest's
schemas with the properties later microversions add allowed: every field
and type 3.0 promises is still checked.
"""

from tempest.lib.services.volume import base_client
from tempest.lib.services.volume.v3 import snapshots_client


def allow_additions(schema):
    """A copy of a JSON schema in which every object takes extra properties.

    Microversions only add properties, so a response at any microversion
    must still satisfy the 3.0 schema once additions are allowed.
    """
    if isinstance(schema, dict):
        opened = {key: allow_additions(value)
                  for key, value in schema.items()}
        if opened.get('additionalProperties') is False:
            opened['additionalProperties'] = True
        return opened
    if isinstance(schema, list):
        return [allow_additions(value) for value in schema]
    return schema


class SnapshotsClient(base_client.BaseClient,
                      snapshots_client.SnapshotsClient):
    """Volume snapshots at the selected volume microversion."""

    @classmethod
    def validate_response(cls, schema, resp, body):
        super().validate_response(allow_additions(schema), resp, body)
