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

"""A retype to a multiattach type that fails leaves the volume as it was.

Behaviour rule 5 (doc/source/behaviour.rst): a retype that needs a
migration under migration_policy 'never' fails asynchronously and cinder
restores the volume's status. Cinder's API sets the volume's multiattach
flag from the target type as soon as it accepts the retype, before the
scheduler and the backend have done anything: when the retype then fails,
the volume must not be left flagged multiattach while its type, and its
backend, are plain ones (nova would let servers share it).

Making a retype fail needs a type the volume's backend cannot serve: one
whose volume_backend_name names no backend, which only admin can create.
The plain type is the class's own too (no extra specs), so the test does
not depend on what the cloud's default type is.
"""

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators

from mattach_tempest.common import known_defects
from mattach_tempest.common import unstable
from mattach_tempest.tests.api.admin import own_types


class MultiattachFailedRetypeTest(own_types.OwnTypesAdminTest):
    """A failed retype to multiattach does not make a volume multiattach."""

    plain_type = None
    unplaceable_type = None

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls.plain_type = cls.create_private_type(extra_specs={})
        cls.unplaceable_type = cls.create_private_type(extra_specs={
            'multiattach': '<is> True',
            'volume_backend_name': data_utils.rand_name('mattach-no-backend')})

    @decorators.idempotent_id('31cd030e-89b1-409b-b819-f6d6d3f180fa')
    @unstable.services('volume')
    @known_defects.detects('cinder-failed-retype-multiattach-flag')
    def test_failed_retype_to_multiattach_keeps_volume_plain(self):
        """The volume keeps its plain type and multiattach false.

        Steps:
        1. (class) As admin, create a plain type and a multiattach type
           whose volume_backend_name names no backend, both private to the
           primary project.
        2. As the primary user, create a volume of the plain type
           (multiattach false).
        3. Retype it to that type in place (migration_policy never): 202;
           no backend can take it, so the retype fails asynchronously.
        4. Once the volume leaves 'retyping' it is available, of its old
           type, and multiattach false.
        """
        volume = self.create_volume(volume_type=self.plain_type['name'])
        self.assertIs(False, volume['multiattach'])
        self.retype(volume['id'], self.unplaceable_type['name'])
        shown = self.wait_for_retype(volume['id'])
        self.assertEqual('available', shown['status'])
        self.assertEqual(volume['volume_type'], shown['volume_type'],
                         'The type of volume %s changed' % volume['id'])
        # The type kept, only the flag betrays the defect (assertTypeUnchanged
        # would take a changed type for it too).
        with known_defects.signature('cinder-failed-retype-multiattach-flag'):
            self.assertIs(False, shown['multiattach'],
                          'The multiattach flag of volume %s (type %s)'
                          % (volume['id'], shown['volume_type']))
