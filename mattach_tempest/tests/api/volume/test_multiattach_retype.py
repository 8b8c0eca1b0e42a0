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

"""Retypes that change multiattach: only on available volumes.

Behaviour rule 5 (doc/source/behaviour.rst): a retype whose source and
target types differ in multiattach is refused with 400 unless the volume
is available; on an available volume it changes the type, and the volume's
multiattach flag follows the target type. Retyping between the operator's
public types is a user action (policy volume:retype, project member), so
these tests run with primary credentials alone.

The plain type is ``[volume] volume_type`` or, where that is unset, the
cloud's default type (GET types/default, readable by users). Every retype
is in place (migration_policy 'never', see mattach_tempest.tests.api.retype).
"""

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

CONF = config.CONF

# cinder volume/api.py retype(): the exact, strict string it compares.
MULTIATTACH_SPEC = '<is> True'
# cinder volume/api.py retype(), raised as InvalidInput (400).
IN_USE_RETYPE_REFUSED = ('retypes affecting multiattach are only allowed on '
                         'available volumes, the specified volume however '
                         'currently has a status of: in-use')


class MultiattachRetypeBaseTest(base.MultiattachBaseTest):
    """Knows the plain type and retypes in place; no tests of its own."""

    plain_type_name = None

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        plain_type = cls.plain_volume_type()
        multiattach_type = cls.multiattach_type_name()
        if multiattach_type in (plain_type['name'], plain_type['id']):
            raise cls.skipException(
                'The plain volume type is the multiattach type %s: set '
                '[volume] volume_type to a type without multiattach'
                % multiattach_type)
        if (plain_type.get('extra_specs', {}).get('multiattach') ==
                MULTIATTACH_SPEC):
            raise cls.skipException(
                'The plain volume type %s is itself multiattach: set '
                '[volume] volume_type to a type without multiattach'
                % plain_type['name'])
        cls.plain_type_name = plain_type['name']

    @classmethod
    def plain_volume_type(cls):
        """[volume] volume_type, or the cloud's default type when unset."""
        if not CONF.volume.volume_type:
            return cls.volume_types_client.show_default_volume_type()[
                'volume_type']
        for volume_type in cls.volume_types_client.list_volume_types()[
                'volume_types']:
            if CONF.volume.volume_type in (volume_type['name'],
                                           volume_type['id']):
                return volume_type
        raise lib_exc.InvalidConfiguration(
            '[volume] volume_type = %s is not a volume type the primary '
            'credentials can see' % CONF.volume.volume_type)


class MultiattachRetypeNegativeTest(MultiattachRetypeBaseTest):
    """An in-use volume cannot gain or lose multiattach by a retype.

    The tests share one server (booted once for the class): each attaches
    a volume of its own and detaches it at cleanup.
    """

    class_server_count = 1

    def assertInUseRetypeRefused(self, volume, type_name):
        """Attach the volume, retype it to type_name: 400, nothing changes.

        The volume is attached to the class's server. It keeps its type,
        its multiattach flag, its status in-use and its one attachment
        (same id).
        """
        server = self.class_servers(1)[0]
        attachment = self.attach_volume(server, volume)
        self.assertRefused(lib_exc.BadRequest, IN_USE_RETYPE_REFUSED,
                           self.retype, volume['id'], type_name)
        self.assertTypeUnchanged(volume)
        self.assertHeldBy(volume['id'],
                          {server['id']: attachment['attachment_id']})

    @decorators.attr(type='negative')
    @decorators.idempotent_id('acb42b19-a071-4709-b77d-b024183cb3b7')
    @unstable.services('compute', 'volume')
    def test_in_use_retype_multiattach_to_plain_refused(self):
        """An attached multiattach volume cannot be retyped to plain.

        Steps:
        1. Create a multiattach volume and attach it to the class's
           server.
        2. Retype it to the plain type (migration_policy never): 400
           "retypes affecting multiattach are only allowed on available
           volumes ... status of: in-use".
        3. The volume keeps the multiattach type, multiattach true, status
           in-use and its attachment (same id).
        """
        self.assertInUseRetypeRefused(self.create_multiattach_volume(),
                                      self.plain_type_name)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3b362b57-2703-4357-a9e4-20f680c8dafd')
    @unstable.services('compute', 'volume')
    def test_in_use_retype_plain_to_multiattach_refused(self):
        """An attached plain volume cannot be retyped to multiattach.

        Steps:
        1. Create a volume of the plain type and attach it to the class's
           server.
        2. Retype it to the multiattach type (migration_policy never): 400
           "retypes affecting multiattach are only allowed on available
           volumes ... status of: in-use".
        3. The volume keeps the plain type, multiattach false, status
           in-use and its attachment (same id).
        """
        volume = self.create_volume(volume_type=self.plain_type_name)
        self.assertIs(False, volume['multiattach'])
        self.assertInUseRetypeRefused(volume, self.multiattach_type_name())


class MultiattachRetypeTest(MultiattachRetypeBaseTest):
    """An available volume gains or loses multiattach by a retype."""

    def assertRetyped(self, volume_id, type_name, multiattach):
        """Retype in place and wait: the type and the flag follow."""
        self.retype(volume_id, type_name)
        retyped = self.wait_for_retype(volume_id)
        self.assertEqual('available', retyped['status'])
        self.assertEqual(type_name, retyped['volume_type'],
                         'The retype of volume %s did not happen' % volume_id)
        self.assertIs(multiattach, retyped['multiattach'])

    @decorators.idempotent_id('2d611d68-b51c-4a39-aa2a-add6dc4cc2e6')
    @unstable.services('volume')
    def test_available_retype_multiattach_to_plain(self):
        """An available multiattach volume retyped to plain loses the flag.

        Steps:
        1. Create a multiattach volume (available, multiattach true).
        2. Retype it to the plain type (migration_policy never): 202.
        3. Once the retype has finished the volume is available, of the
           plain type, multiattach false.
        """
        volume = self.create_multiattach_volume()
        self.assertRetyped(volume['id'], self.plain_type_name, False)

    @decorators.idempotent_id('64955f35-b906-4669-9bbf-af7b52bffe18')
    @unstable.services('volume')
    def test_available_retype_plain_to_multiattach(self):
        """An available plain volume retyped to multiattach gains the flag.

        Steps:
        1. Create a volume of the plain type (available, multiattach
           false).
        2. Retype it to the multiattach type (migration_policy never): 202.
        3. Once the retype has finished the volume is available, of the
           multiattach type, multiattach true.
        """
        volume = self.create_volume(volume_type=self.plain_type_name)
        self.assertIs(False, volume['multiattach'])
        self.assertRetyped(volume['id'], self.multiattach_type_name(), True)
