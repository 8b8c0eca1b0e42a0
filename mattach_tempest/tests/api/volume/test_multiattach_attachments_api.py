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

"""Cinder's attachments API on multiattach volumes, with and without nova.

Behaviour rules (doc/source/behaviour.rst): 8, a user cannot delete the
attachments nova made (bug 2004555: nova calls cinder with a service
token, a user has none); 7, the attachments API lifecycle (reserve,
connect, complete, list, delete) works for users on a multiattach volume
without nova, one attachment in flight at a time.

The cinder-only tests give cinder a connector of their own: an iSCSI
initiator's (name, host, a documentation address) that no host ever logs
in with. Cinder's reference drivers (LVM, RBD, the fake ones) accept it;
drivers of Fibre Channel or NVMe-oF backends require WWPNs or an NQN a
test cannot safely invent, so those tests are skipped where
``[volume] storage_protocol`` names such a protocol.
"""

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import known_defects
from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips

CONF = config.CONF

# cinder exception.ConflictNovaUsingAttachment (409).
NOVA_OWNED = 'Detach volume from instance %s using the Compute API'
# cinder volume/api.py _attachment_reserve(), InvalidVolume (400): the
# statuses a multiattach volume is reserved from, and the one it has.
RESERVE_REFUSED = ('status must be available or in-use or downloading to '
                   'reserve, but the current status is %s.')


def unused_connector():
    """An iSCSI initiator's connector that no real host ever uses.

    A random host name (cinder serialises attachment updates per volume
    and connector host) and an address of the documentation range
    (RFC 5737).
    """
    host = data_utils.rand_name(prefix=CONF.resource_name_prefix,
                                name='mattach-host')
    return {'host': host,
            'initiator': 'iqn.2010-10.org.openstack:%s' % host,
            'ip': '192.0.2.10',
            'platform': 'x86_64',
            'os_type': 'linux',
            'multipath': False}


class NovaAttachmentProtectionNegativeTest(base.MultiattachBaseTest):
    """A user cannot remove nova's attachments through cinder (bug 2004555).

    Cinder lets only a request carrying a service token (nova's) delete an
    attachment nova connected to a server; anyone else gets 409 and must
    detach through the compute API. Clouds where nova sends no service
    token lack this protection: ``[mattach] protects_nova_attachments``.

    The tests share servers A and B (booted once for the class): each
    attaches a volume of its own and detaches it at cleanup.
    """

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(
            cls, 'mattach', 'protects_nova_attachments',
            'The cloud does not protect nova-owned attachments (bug 2004555)')

    class_server_count = 2

    @decorators.attr(type='negative')
    @decorators.idempotent_id('712e8a48-d9a0-4517-a704-0d7447f9d1f8')
    @unstable.services('compute', 'volume')
    def test_delete_nova_attachment_refused(self):
        """DELETE attachments/{id} of nova's attachment is a 409.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and B
           through nova.
        2. Delete A's attachment through cinder's attachments API: 409
           "Detach volume from instance <A> using the Compute API".
        3. Both attachments are intact: same ids, attached, volume in-use.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        server_id = servers[0]['id']
        self.assertRefused(
            lib_exc.Conflict, NOVA_OWNED % server_id,
            self.attachments_client.delete_attachment,
            attachments[server_id])
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3dc0c717-205a-4653-aa88-4df3a22e962b')
    @unstable.services('compute', 'volume')
    def test_os_detach_of_nova_attachment_refused(self):
        """os-detach naming nova's attachment is a 409.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and B
           through nova.
        2. POST volumes/{id}/action os-detach with A's attachment_id: 409
           "Detach volume from instance <A> using the Compute API".
        3. Both attachments are intact: same ids, attached, volume in-use.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        server_id = servers[0]['id']
        self.assertRefused(
            lib_exc.Conflict, NOVA_OWNED % server_id,
            self.volumes_client.detach_volume, volume['id'],
            attachment_id=attachments[server_id])
        self.assertHeldBy(volume['id'], attachments)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('b4476d4a-f5e1-4f33-938d-91be57a393a9')
    @unstable.services('compute', 'volume')
    def test_terminate_connection_of_shared_volume_refused(self):
        """os-terminate_connection on a volume nova shares is a 409.

        With two attachments cinder cannot tell which one the caller
        means, so it names no instance in the refusal.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and B
           through nova.
        2. POST volumes/{id}/action os-terminate_connection with a
           connector: 409 "... using the Compute API".
        3. Both attachments are intact: same ids, attached, volume in-use.
        """
        volume, _servers, attachments = self.create_shared_volume(
            servers=self.class_servers())
        self.assertRefused(
            lib_exc.Conflict, 'using the Compute API',
            self.volumes_client.terminate_connection, volume['id'],
            connector=unused_connector())
        self.assertHeldBy(volume['id'], attachments)


class CinderOnlyAttachmentsBaseTest(base.MultiattachBaseTest):
    """Attachments made through cinder's attachments API alone.

    Cinder lets one attachment of a volume be in flight at a time, so
    each helper leaves the volume reserved (after a reserve), attaching
    (after a connect) or in-use (after a complete), never two attachments
    in flight.
    """

    needs_connector = False

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        protocol = CONF.volume.storage_protocol.lower()
        if cls.needs_connector and ('fc' in protocol or
                                    'fibre' in protocol or
                                    'nvme' in protocol):
            raise cls.skipException(
                'The test connects with an iSCSI initiator\'s connector, '
                'which a %s backend cannot use: [volume] storage_protocol '
                '= %s' % (protocol, CONF.volume.storage_protocol))

    def create_volume_for_attachments(self):
        """A multiattach volume whose attachments are deleted at cleanup.

        The attachments' delete is registered after the volume's, so it
        runs first (cleanups run last in, first out) and leaves the volume
        available for its delete, whatever a test left behind.
        """
        volume = self.create_multiattach_volume()
        self.addCleanup(self.delete_attachments_of, volume['id'])
        return volume

    def delete_attachments_of(self, volume_id):
        for attachment in self.attachments_client.list_attachments(
                volume_id=volume_id)['attachments']:
            test_utils.call_and_ignore_notfound_exc(
                self.attachments_client.delete_attachment, attachment['id'])

    def reserve(self, volume_id, **kwargs):
        """Create an attachment without a connector: reserved."""
        return self.attachments_client.create_attachment(
            volume_id, **kwargs)['attachment']

    def connect(self, attachment_id):
        """Give the attachment a connector: attaching.

        Returns the connection_info cinder answered with.
        """
        return self.attachments_client.update_attachment(
            attachment_id, unused_connector())['attachment'][
                'connection_info']

    def connect_and_complete(self, attachment_id):
        """Connect a reserved attachment and complete it; show it."""
        self.connect(attachment_id)
        self.attachments_client.complete_attachment(attachment_id)
        return self.show_attachment(attachment_id)

    def attach_without_nova(self, volume_id, **kwargs):
        """Reserve, connect and complete: an attached attachment."""
        return self.connect_and_complete(
            self.reserve(volume_id, **kwargs)['id'])

    def attached_and_reserved(self, volume_id):
        """Attach A without nova, then reserve B: (A, B) as made."""
        first = self.attach_without_nova(volume_id)
        return first, self.reserve(volume_id)

    def show_attachment(self, attachment_id):
        return self.attachments_client.show_attachment(attachment_id)[
            'attachment']

    def attachment_ids(self, **filters):
        """The ids the attachments list gives for these filters."""
        return sorted(a['id'] for a in self.attachments_client.
                      list_attachments(**filters)['attachments'])

    def volume_status(self, volume_id):
        return self.volumes_client.show_volume(volume_id)['volume']['status']

    def assertVolumeHolds(self, volume_id, status, attachment_ids):
        """The volume has this status and exactly these attachments.

        Compared with the attachments API, which also lists reserved and
        attaching records (the volume view lists attached ones only).
        """
        self.assertEqual(status, self.volume_status(volume_id))
        self.assertEqual(sorted(attachment_ids),
                         self.attachment_ids(volume_id=volume_id))

    def assertReserveRefusedWhile(self, volume_id, status, attachment_id):
        """While the volume has this status, a reserve of it is a 400.

        The volume has the status and the attachment is its only one
        before the reserve, and both are as they were after it.
        """
        attachment_status = self.show_attachment(attachment_id)['status']
        self.assertVolumeHolds(volume_id, status, [attachment_id])
        self.assertRefused(lib_exc.BadRequest, RESERVE_REFUSED % status,
                           self.reserve, volume_id)
        self.assertVolumeHolds(volume_id, status, [attachment_id])
        self.assertEqual(attachment_status,
                         self.show_attachment(attachment_id)['status'])

    def assertInUseWith(self, volume_id, attachment_ids):
        """Cinder's volume view: in-use, listing exactly these attachments.

        The view lists attached attachments only.
        """
        shown = self.volumes_client.show_volume(volume_id)['volume']
        self.assertEqual('in-use', shown['status'])
        self.assertEqual(sorted(attachment_ids),
                         sorted(a['attachment_id']
                                for a in shown['attachments']))


class MultiattachAttachmentReserveTest(CinderOnlyAttachmentsBaseTest):
    """Reserving a multiattach volume through the attachments API."""

    volume_min_microversion = '3.27'

    @decorators.idempotent_id('8bf4d24a-c6d1-44f5-95ad-df729fadcc85')
    @unstable.services('volume')
    def test_reserve_without_connector(self):
        """An attachment created without a connector is reserved.

        Steps:
        1. Create a multiattach volume.
        2. Create an attachment with neither connector nor instance.
        3. It is reserved, of this volume, with no instance and no
           connection_info; the volume is reserved; the attachments list
           of the volume names it alone.
        """
        volume = self.create_volume_for_attachments()
        attachment = self.reserve(volume['id'])
        shown = self.show_attachment(attachment['id'])
        self.assertEqual('reserved', shown['status'])
        self.assertEqual(volume['id'], shown['volume_id'])
        self.assertIsNone(shown['instance'])
        self.assertEqual({}, shown['connection_info'])
        self.assertVolumeHolds(volume['id'], 'reserved', [attachment['id']])


class MultiattachAttachmentReserveNegativeTest(CinderOnlyAttachmentsBaseTest):
    """One attachment of a multiattach volume in flight at a time."""

    volume_min_microversion = '3.27'

    @decorators.attr(type='negative')
    @decorators.idempotent_id('68b941fd-1b16-431d-8dd2-9c1969636e9b')
    @unstable.services('volume')
    def test_second_reserve_of_reserved_volume_refused(self):
        """A reserve while another attachment is reserved is a 400.

        This is why parallel attaches of one volume race (bug 1096983):
        multiattach allows a reserve on an available or in-use volume,
        never on a reserved one.

        Steps:
        1. Create a multiattach volume and reserve it (attachment A).
        2. Create a second attachment: 400 "... status must be available
           or in-use or downloading to reserve, but the current status is
           reserved".
        3. The volume is still reserved and A is its only attachment.
        """
        volume = self.create_volume_for_attachments()
        first = self.reserve(volume['id'])
        self.assertReserveRefusedWhile(volume['id'], 'reserved', first['id'])


class MultiattachAttachmentInFlightNegativeTest(CinderOnlyAttachmentsBaseTest):
    """No reserve while another attachment is attaching or detaching.

    Reserved is not the only in-flight state: cinder reserves a
    multiattach volume only from available, in-use or downloading, so a
    volume that is attaching (an attachment given its connector, not yet
    completed) or detaching (its consumer began a detach) takes no new
    attachment either.
    """

    volume_min_microversion = '3.44'
    needs_connector = True

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.volume_actions_client = (
            cls.os_primary.mattach_volume.VolumeActionsClient())

    @decorators.attr(type='negative')
    @decorators.idempotent_id('aba0dc33-31fe-444a-bad9-5fa08072c950')
    @unstable.services('volume')
    def test_reserve_while_attaching_refused(self):
        """A reserve while another attachment is attaching is a 400.

        Steps:
        1. Reserve a multiattach volume (attachment A) and update A with
           a connector: A and the volume are attaching (until os-complete).
        2. Create a second attachment: 400 "... status must be available
           or in-use or downloading to reserve, but the current status is
           attaching."
        3. The volume is still attaching, A is its only attachment and is
           still attaching.
        """
        volume = self.create_volume_for_attachments()
        first = self.reserve(volume['id'])
        self.connect(first['id'])
        self.assertEqual('attaching',
                         self.show_attachment(first['id'])['status'])
        self.assertReserveRefusedWhile(volume['id'], 'attaching',
                                       first['id'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('17c31525-b6c6-4e4d-a2f7-0658f70d9eed')
    @unstable.services('volume')
    def test_reserve_while_detaching_refused(self):
        """A reserve while the volume is detaching is a 400.

        Steps:
        1. Attach a multiattach volume without nova (attachment A,
           attached; the volume in-use), then POST volumes/{id}/action
           os-begin_detaching: the volume is detaching.
        2. Create a second attachment: 400 "... status must be available
           or in-use or downloading to reserve, but the current status is
           detaching."
        3. The volume is still detaching, A is its only attachment and is
           still attached.
        """
        volume = self.create_volume_for_attachments()
        first = self.attach_without_nova(volume['id'])
        # Runs before the attachments' delete: the volume back to in-use.
        self.addCleanup(test_utils.call_and_ignore_notfound_exc,
                        self.volume_actions_client.roll_detaching,
                        volume['id'])
        self.volume_actions_client.begin_detaching(volume['id'])
        self.assertEqual('attached', first['status'])
        self.assertReserveRefusedWhile(volume['id'], 'detaching',
                                       first['id'])


class MultiattachAttachmentLifecycleTest(CinderOnlyAttachmentsBaseTest):
    """Connect, complete, list and delete attachments without nova."""

    volume_min_microversion = '3.44'
    needs_connector = True

    @decorators.idempotent_id('df582e24-a519-4501-a42f-d501c53c181e')
    @unstable.services('volume')
    def test_connect_gives_connection_info(self):
        """A reserved attachment given a connector is attaching.

        Steps:
        1. Reserve a multiattach volume (attachment A).
        2. Update A with a connector: cinder answers with A's
           connection_info (its attachment_id and driver_volume_type).
        3. A is attaching and carries that connection_info; the volume is
           attaching.
        """
        volume = self.create_volume_for_attachments()
        attachment = self.reserve(volume['id'])
        connection_info = self.connect(attachment['id'])
        self.assertEqual(attachment['id'], connection_info['attachment_id'])
        self.assertIn('driver_volume_type', connection_info)
        shown = self.show_attachment(attachment['id'])
        self.assertEqual('attaching', shown['status'])
        self.assertEqual(connection_info, shown['connection_info'])
        self.assertEqual('attaching', self.volume_status(volume['id']))

    @decorators.idempotent_id('ebb591dd-ce9d-46e2-838b-9998d58f141b')
    @unstable.services('volume')
    def test_complete_marks_attached(self):
        """os-complete (3.44) makes the attachment attached, volume in-use.

        Steps:
        1. Reserve a multiattach volume and connect the attachment A.
        2. Complete A: 204.
        3. A is attached, read/write, with an attach time; the volume is
           in-use and its view lists A.
        """
        volume = self.create_volume_for_attachments()
        attachment = self.attach_without_nova(volume['id'])
        self.assertEqual('attached', attachment['status'])
        self.assertEqual('rw', attachment['attach_mode'])
        self.assertTrue(attachment['attached_at'])
        self.assertInUseWith(volume['id'], [attachment['id']])

    @decorators.idempotent_id('c36ee912-cbe7-4273-8830-4927c46eaa4c')
    @unstable.services('volume')
    def test_second_attachment_of_in_use_volume(self):
        """An in-use multiattach volume takes a second attachment.

        Steps:
        1. Attach a multiattach volume without nova (attachment A): in-use.
        2. Reserve it again (attachment B): allowed, the volume is
           reserved while B is in flight, A stays attached.
        3. Connect and complete B: both are attached, the volume is in-use
           and its view lists A and B.
        """
        volume = self.create_volume_for_attachments()
        first = self.attach_without_nova(volume['id'])
        second = self.reserve(volume['id'])
        self.assertEqual('reserved', self.volume_status(volume['id']))
        self.assertEqual('attached', self.show_attachment(first['id'])[
            'status'])
        self.assertEqual('attached',
                         self.connect_and_complete(second['id'])['status'])
        self.assertInUseWith(volume['id'], [first['id'], second['id']])

    @decorators.idempotent_id('0ce3d3ae-d49b-4885-baf9-873197475ecf')
    @unstable.services('volume')
    def test_list_filters(self):
        """The list filters by volume_id, attach_status and instance_id.

        Steps:
        1. On one multiattach volume, attach A (instance X) without nova,
           then reserve B (instance Y).
        2. List with volume_id: A and B. With attach_status attached: A;
           reserved: B (each with volume_id too). With instance_id Y: B.
        """
        volume = self.create_volume_for_attachments()
        first = self.attach_without_nova(
            volume['id'], instance_id=data_utils.rand_uuid())
        second_instance = data_utils.rand_uuid()
        second = self.reserve(volume['id'], instance_id=second_instance)
        self.assertEqual(sorted([first['id'], second['id']]),
                         self.attachment_ids(volume_id=volume['id']))
        self.assertEqual([first['id']], self.attachment_ids(
            volume_id=volume['id'], attach_status='attached'))
        self.assertEqual([second['id']], self.attachment_ids(
            volume_id=volume['id'], attach_status='reserved'))
        self.assertEqual([second['id']],
                         self.attachment_ids(instance_id=second_instance))

    @decorators.idempotent_id('70b3e1be-758e-4fac-adb8-0dfa1955bb53')
    @unstable.services('volume')
    @known_defects.detects('cinder-attachment-status-filter')
    def test_list_filter_by_status(self):
        """The list filters by status, the attachment's status in its view.

        The attachments controller allows the filter 'status' (and cinder's
        resource_filters.json lists it) besides 'attach_status'.

        Steps:
        1. On one multiattach volume, attach A without nova, then reserve
           B.
        2. List with volume_id and status reserved: B alone; with status
           attached: A alone.
        """
        volume = self.create_volume_for_attachments()
        first, second = self.attached_and_reserved(volume['id'])
        reserved = self.attachment_ids(volume_id=volume['id'],
                                       status='reserved')
        attached = self.attachment_ids(volume_id=volume['id'],
                                       status='attached')
        with known_defects.signature('cinder-attachment-status-filter'):
            self.assertEqual([second['id']], reserved,
                             'Attachments listed with status reserved')
            self.assertEqual([first['id']], attached,
                             'Attachments listed with status attached')

    @decorators.idempotent_id('89059bcb-205b-4aed-9700-fccf43c15b79')
    @unstable.services('volume')
    def test_show_and_detail_agree(self):
        """The detailed list gives each attachment as show gives it.

        Steps:
        1. On one multiattach volume, attach A without nova, then reserve
           B.
        2. The detailed list of the volume's attachments holds exactly
           the records show gives for A and B (status, mode, times,
           connection_info).
        """
        volume = self.create_volume_for_attachments()
        first, second = self.attached_and_reserved(volume['id'])
        detail = self.attachments_client.list_attachments(
            detail=True, volume_id=volume['id'])['attachments']
        self.assertEqual(
            sorted([self.show_attachment(first['id']),
                    self.show_attachment(second['id'])],
                   key=lambda a: a['id']),
            sorted(detail, key=lambda a: a['id']))

    @decorators.idempotent_id('5ae1e81f-b0be-455b-ad38-5d1490f60b62')
    @unstable.services('volume')
    def test_delete_one_of_two_keeps_volume_in_use(self):
        """Deleting one of two attachments leaves the volume in-use.

        Steps:
        1. Attach one multiattach volume twice without nova (A, B).
        2. Delete A: 200, the body lists B alone; the volume is in-use
           and its view lists B alone.
        3. Delete B: the body lists none; the volume is available.
        """
        volume = self.create_volume_for_attachments()
        first = self.attach_without_nova(volume['id'])
        second = self.attach_without_nova(volume['id'])
        remaining = self.attachments_client.delete_attachment(first['id'])
        self.assertEqual([second['id']],
                         [a['id'] for a in remaining['attachments']])
        self.assertInUseWith(volume['id'], [second['id']])
        remaining = self.attachments_client.delete_attachment(second['id'])
        self.assertEqual([], remaining['attachments'])
        self.assertEqual('available', self.volume_status(volume['id']))


class MultiattachAttachmentModeTest(CinderOnlyAttachmentsBaseTest):
    """The attach mode a caller asks for (3.54)."""

    volume_min_microversion = '3.54'

    @decorators.idempotent_id('b90e8ab3-5c9f-497e-9f6c-1ec2ef71083a')
    @unstable.services('volume')
    def test_reserve_with_mode_ro(self):
        """An attachment created with mode ro records attach_mode ro.

        Steps:
        1. Create a multiattach volume.
        2. Create an attachment with mode ro (3.54) and no connector.
        3. Show gives attach_mode ro.
        """
        volume = self.create_volume_for_attachments()
        attachment = self.reserve(volume['id'], mode='ro')
        self.assertEqual('ro',
                         self.show_attachment(attachment['id'])['attach_mode'])


class MultiattachAttachmentModeConnectionTest(CinderOnlyAttachmentsBaseTest):
    """What the consumer of a read-only attachment is given (3.54)."""

    volume_min_microversion = '3.54'
    needs_connector = True

    @decorators.idempotent_id('fe25f864-5b21-48f7-a922-529f0cee0b24')
    @unstable.services('volume')
    @known_defects.detects('cinder-attach-mode-access-mode')
    def test_ro_attachment_connects_read_only(self):
        """A mode ro attachment hands its consumer a read-only connection.

        The consumer (nova's libvirt driver, os-brick) decides how to
        attach from the connection_info's access_mode, not from the
        attachment's attach_mode, so the two must agree.

        Steps:
        1. Create an attachment of a multiattach volume with mode ro
           (3.54), no connector.
        2. Update it with a connector.
        3. The answered connection_info has access_mode ro, and the
           attachment still records attach_mode ro.
        """
        volume = self.create_volume_for_attachments()
        attachment = self.reserve(volume['id'], mode='ro')
        connection_info = self.connect(attachment['id'])
        with known_defects.signature('cinder-attach-mode-access-mode'):
            self.assertEqual('ro', connection_info.get('access_mode'),
                             'An attachment created with mode ro gives its '
                             'consumer connection_info %s' % connection_info)
        self.assertEqual('ro',
                         self.show_attachment(attachment['id'])['attach_mode'])
