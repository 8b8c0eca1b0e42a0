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

"""An admin base for tests that make their own multiattach volume types."""

from mattach_tempest.tests.api import base


class OwnTypesAdminTest(base.MultiattachAdminBaseTest):
    """Creates the volume types it needs, private to the primary project.

    The operator's ``[volume] volume_type_multiattach`` is not needed.
    The types are private so that tests of other projects running at the
    same time never list them; deleting a type (a class cleanup) also
    deletes its encryption and its access list.
    """

    @classmethod
    def has_multiattach_type(cls):
        # Every multiattach type these classes use is their own.
        return True

    @classmethod
    def create_private_type(cls, extra_specs):
        """A volume type only the primary project (and admin) can use."""
        volume_type = cls.create_volume_type(
            extra_specs=extra_specs,
            **{'os-volume-type-access:is_public': False})
        cls.admin_volume_types_client.add_type_access(
            volume_type['id'], project=cls.os_primary.credentials.project_id)
        return volume_type
