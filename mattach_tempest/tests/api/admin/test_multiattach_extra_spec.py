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

"""Only the extra spec multiattach="<is> True" makes volumes multiattach.

Cinder matches the type's extra spec strictly: a type whose spec is
``True`` or ``true``, without the ``<is>`` operator, gives volumes that are
not multiattach. A cloud that read such a spec leniently would let servers
share volumes their type never promised to share. Creating volume types
needs admin; the volumes are the primary user's.

A second attach of such a volume is not tried: with cinder's default
scheduler filters no backend takes the volume (CapabilitiesFilter compares
the string 'True' with the backend's boolean capability), so it ends in
error before any server could hold it. That a plain volume goes to one
server at a time is asserted with the plain type
(tests/api/compute/test_plain_volume_exclusive.py).
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api.admin import own_types


class MultiattachExtraSpecStrictTest(own_types.OwnTypesAdminTest):
    """Types whose multiattach spec lacks "<is>" give plain volumes."""

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls.capitalised_type = cls.create_private_type(
            extra_specs={'multiattach': 'True'})
        cls.lowercase_type = cls.create_private_type(
            extra_specs={'multiattach': 'true'})

    def assertPlainVolumeOfType(self, volume_type):
        """A volume of the type is not multiattach, then or later.

        Checked in cinder's answer to the create request (where cinder's
        API decides the flag from the type) and again once cinder has
        scheduled the volume (available, or error where no backend
        matches the spec: see the module's docstring).
        """
        spec = volume_type['extra_specs']['multiattach']
        why = ("Volume %%s of a type whose extra spec multiattach is %r "
               "(no '<is>') is multiattach: cinder must make volumes "
               "multiattach only for '<is> True'" % spec)
        volume = self.create_volume(volume_type=volume_type['name'],
                                    wait_until=None)
        self.assertIs(False, volume['multiattach'], why % volume['id'])
        settled = waiters.wait_until(
            lambda: self._volume_created(volume['id']),
            'volume %s to leave status creating' % volume['id'])
        self.assertIs(False, settled['multiattach'], why % volume['id'])

    def _volume_created(self, volume_id):
        volume = self.volumes_client.show_volume(volume_id)['volume']
        return volume['status'] != 'creating', volume

    @decorators.idempotent_id('99e28cee-1d1f-43d5-a07e-ba50d1637290')
    @unstable.services('volume')
    def test_spec_capitalised_true_without_is_gives_plain_volume(self):
        """A type with extra spec multiattach="True" gives plain volumes.

        Steps:
        1. (class) As admin, create a volume type with extra spec
           multiattach="True" (no "<is>"), private to the primary project.
        2. As the primary user, create a volume of that type: cinder
           answers multiattach false.
        3. Once cinder has scheduled it (available, or error where no
           backend matches the spec), it is still multiattach false.
        """
        self.assertPlainVolumeOfType(self.capitalised_type)

    @decorators.idempotent_id('4f50223d-c4ee-4154-82a8-c39d397a3495')
    @unstable.services('volume')
    def test_spec_lowercase_true_without_is_gives_plain_volume(self):
        """A type with extra spec multiattach="true" gives plain volumes.

        Steps:
        1. (class) As admin, create a volume type with extra spec
           multiattach="true" (no "<is>"), private to the primary project.
        2. As the primary user, create a volume of that type: cinder
           answers multiattach false.
        3. Once cinder has scheduled it (available, or error where no
           backend matches the spec), it is still multiattach false.
        """
        self.assertPlainVolumeOfType(self.lowercase_type)
