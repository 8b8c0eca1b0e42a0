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
