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

"""Multiattach and encryption do not mix.

Behaviour rules 6 and 5 (doc/source/behaviour.rst): a volume of a type
that is both multiattach and encrypted is refused (400), and so is a
retype to such a type. Creating the type (extra spec multiattach="<is>
True" plus a LUKS front-end encryption type) needs admin; the refused
requests are the primary user's.
"""

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import known_defects
from mattach_tempest.common import unstable
from mattach_tempest.tests.api.admin import own_types
from mattach_tempest.tests import skips

CONF = config.CONF

# cinder volume/flows/api/create_volume.py, InvalidVolume (400).
ENCRYPTED_CREATE_REFUSED = ('Invalid volume: Multiattach cannot be used with '
                            'encrypted volumes.')
# cinder volume/api.py retype(), InvalidInput (400).
ENCRYPTED_RETYPE_REFUSED = ('Retype requested both encryption and '
                            'multi-attach, which is not supported.')


class EncryptedMultiattachTypeBaseTest(own_types.OwnTypesAdminTest):
    """Creates a private multiattach type with LUKS encryption."""

    encrypted_type = None

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls.encrypted_type = cls.create_private_type(
            extra_specs={'multiattach': '<is> True'})
        cls.admin_encryption_types_client.create_encryption_type(
            cls.encrypted_type['id'], provider='luks',
            control_location='front-end', cipher='aes-xts-plain64',
            key_size=256)


class EncryptedMultiattachCreateNegativeTest(
        EncryptedMultiattachTypeBaseTest):
    """No volume of an encrypted multiattach type.

    Cinder refuses only once it holds the new volume's encryption key: it
    asks the key manager for a key first, then sees the type is
    multiattach. Without a key manager the request fails earlier with
    another 400 ("Key manager error"), which would not prove the rule. So
    the test runs where cinder can create encrypted volumes,
    ``[mattach] volume_encryption``. Nothing is attached: whether nova can
    attach encrypted volumes (``[compute-feature-enabled]
    attach_encrypted_volume``) does not matter here.
    """

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(
            cls, 'mattach', 'volume_encryption',
            'Cinder cannot create encrypted volumes (no key manager)')

    @decorators.attr(type='negative')
    @decorators.idempotent_id('a0cf8f91-ea91-4cd7-b964-ca4f7be8806a')
    @unstable.services('volume')
    def test_create_encrypted_multiattach_volume_refused(self):
        """Creating a volume of an encrypted multiattach type is a 400.

        Steps:
        1. (class) As admin, create a multiattach type with a LUKS
           front-end encryption type, private to the primary project.
        2. As the primary user, create a volume of that type: 400
           "Multiattach cannot be used with encrypted volumes.".
        3. No volume of that name exists.
        """
        name = self.resource_name('volume')
        self.expect_no_volume_named(name)
        self.assertRefused(
            lib_exc.BadRequest, ENCRYPTED_CREATE_REFUSED,
            self.volumes_client.create_volume, size=CONF.volume.volume_size,
            name=name, volume_type=self.encrypted_type['name'])
        self.assertEqual([], self.volumes_client.list_volumes(
            params={'name': name})['volumes'])


class EncryptedMultiattachRetypeNegativeTest(EncryptedMultiattachTypeBaseTest):
    """No retype to an encrypted multiattach type.

    Cinder's API checks the target type before anything touches a key
    manager or a backend, so this runs on every cloud, with or without
    encryption support.
    """

    @decorators.attr(type='negative')
    @decorators.idempotent_id('ae8e991c-7fd6-4a33-bab2-28040446c9ae')
    @unstable.services('volume')
    @known_defects.detects('cinder-retype-encryption-check')
    def test_retype_to_encrypted_multiattach_type_refused(self):
        """Retyping a plain volume to an encrypted multiattach type is a 400.

        Steps:
        1. (class) As admin, create a multiattach type with a LUKS
           front-end encryption type, private to the primary project.
        2. As the primary user, create a volume of the plain type.
        3. Retype it to the encrypted multiattach type (migration_policy
           never, so nothing is copied should the cloud accept): 400
           "Retype requested both encryption and multi-attach, which is
           not supported.".
        4. The volume is available, of its old type and multiattach flag.
        """
        volume = self.create_volume()
        # The defect is the retype being accepted; a refusal for another
        # reason is another failure, asserted outside the signature.
        try:
            self.retype(volume['id'], self.encrypted_type['name'])
        except lib_exc.BadRequest as exc:
            refusal = exc
        else:
            with known_defects.signature('cinder-retype-encryption-check'):
                self.fail('The retype of volume %s to the encrypted '
                          'multiattach type %s was accepted (202)'
                          % (volume['id'], self.encrypted_type['name']))
        self.assertRefusalReason(refusal, ENCRYPTED_RETYPE_REFUSED)
        self.assertEqual('available',
                         self.assertTypeUnchanged(volume)['status'])
