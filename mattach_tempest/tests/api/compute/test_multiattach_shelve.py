"""Shelving a server that shares a multiattach volume with another.

Spec rule [3]: shelve-offloading a server that holds a multiattach volume
is allowed; nova replaces the server's attachment by a connector-less
(reserved) one and the other servers' attachments are left alone. Unshelving
has no API check: the server attaches the volume again on its new host.
"""

from tempest.common import compute
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base
from mattach_tempest.tests.api import shared_volume


class MultiattachShelveTest(shared_volume.SharedVolumeMixin,
                            base.MultiattachBaseTest):
    """Shelve-offload and unshelve one of two servers sharing a volume."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        cls.skip_unless_shelve_offloads()

    def shelve_offload_one(self):
        """Share a volume between two servers and shelve-offload the first.

        :returns: (volume, offloaded server, other server,
            {server_id: attachment_id} as cinder listed them before)
        """
        volume, (offloaded, other), attachments = self.create_shared_volume()
        compute.shelve_server(self.servers_client, offloaded['id'])
        return volume, offloaded, other, attachments

    @decorators.attr(type='slow')
    @decorators.idempotent_id('101103e4-332c-41b8-8c14-0511dd967b1f')
    @unstable.services('compute', 'volume', 'image')
    def test_shelve_offload_keeps_other_attachment(self):
        """Offloading one server leaves the other server's attachment.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Shelve A and wait until nova offloads it (SHELVED_OFFLOADED,
           within [compute] shelved_offload_time).
        3. Cinder's volume view lists B alone, under its original
           attachment id, the volume is in-use, and nova lists the volume
           on B under that id.
        4. A keeps a claim on the volume: cinder's attachments API lists
           B's attachment, attached, and one reserved (connector-less)
           attachment for A, a new one, and nothing else; nova lists the
           volume on A under that claim's id.
        (Not assertAttachedOnlyTo: A's reserved claim is right here.)
        """
        volume, offloaded, other, attachments = self.shelve_offload_one()

        volume_view = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertEqual('in-use', volume_view['status'])
        self.assertEqual(
            [(other['id'], attachments[other['id']])],
            [(a['server_id'], a['attachment_id'])
             for a in volume_view['attachments']],
            'The servers cinder lists on volume %s' % volume['id'])
        records = self.attachments_client.list_attachments(
            volume_id=volume['id'])['attachments']
        claims = [r for r in records if r['instance'] == offloaded['id']]
        self.assertEqual(['reserved'], [c['status'] for c in claims],
                         'Attachments of offloaded server %s: %s'
                         % (offloaded['id'], claims))
        self.assertNotEqual(attachments[offloaded['id']], claims[0]['id'])
        self.assertEqual(
            sorted([(other['id'], attachments[other['id']], 'attached'),
                    (offloaded['id'], claims[0]['id'], 'reserved')]),
            sorted((r['instance'], r['id'], r['status']) for r in records),
            'The attachments API records of volume %s' % volume['id'])
        for server_id, attachment_id in ((other['id'],
                                          attachments[other['id']]),
                                         (offloaded['id'], claims[0]['id'])):
            self.assertNovaLists(server_id, volume['id'], attachment_id)

    @decorators.attr(type='slow')
    @decorators.idempotent_id('f2f4f1fc-7676-4272-b6ee-32ed8c6f6ebb')
    @unstable.services('compute', 'volume', 'image')
    def test_unshelve_attaches_volume_again(self):
        """An unshelved server holds the shared volume again.

        Steps:
        1. Attach one multiattach volume to servers A and B; shelve A and
           wait until it is SHELVED_OFFLOADED.
        2. Unshelve A and wait until it is ACTIVE.
        3. Both servers hold the volume: cinder's volume view and
           attachments API list A and B attached and nothing else, the
           volume is in-use, nova lists the volume on each, and B's
           attachment id is unchanged.
        """
        volume, unshelved, other, attachments = self.shelve_offload_one()

        self.servers_client.unshelve_server(unshelved['id'])
        unstable.wait_for_server_status(
            self.servers_client, unshelved['id'], 'ACTIVE')

        held = self.assertAttachedOnlyTo(
            volume['id'], [unshelved['id'], other['id']])
        self.assertEqual(attachments[other['id']], held[other['id']])
