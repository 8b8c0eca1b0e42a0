"""Steps the API tests share: servers sharing one multiattach volume.

A mixin for subclasses of base.MultiattachBaseTest, used by the compute
(tests/api/compute) and the volume (tests/api/volume) API tests alike:
build servers sharing a volume, and assert what cinder and nova then hold
or refuse.
"""

from tempest.lib import exceptions as lib_exc

# nova compute/api.py _check_volume_already_attached(), InvalidVolume (400):
# a volume that is not multiattach and that nova already maps to a server
# (the servers' ids follow, space separated). nova checks before it asks
# cinder to reserve the volume.
PLAIN_VOLUME_HELD = 'volume %s is already attached to instances: '


class SharedVolumeMixin(object):
    """Build servers sharing a multiattach volume and check what they hold."""

    def create_shared_volume(self, server_count=2, microversion=None,
                             placement=None, host_of=None):
        """One new multiattach volume attached to `server_count` new servers.

        The volume is created before the servers, so its delete (a cleanup,
        last in first out) runs once the servers are gone. The servers are
        attached one at a time (cinder refuses a reserve while another
        attach is in flight), each attach at `microversion` (the class's
        when None).

        :param placement: 'different' or 'same': the servers are booted on
            different hosts or on one host (create_servers_on_hosts), and
            their hosts are asserted before any attach (assertPlacement);
            None: wherever the scheduler puts them.
        :param host_of: how assertPlacement reads a server's host (hostId
            when None).
        :returns: (volume, servers, {server_id: attachment_id}) as cinder
            lists the attachments once each attach completed.
        """
        volume = self.create_multiattach_volume()
        if placement:
            servers = self.create_servers_on_hosts(server_count, placement)
            self.assertPlacement(servers, placement, host_of)
        else:
            servers = self.create_servers(server_count)
        attachments = {
            server['id']: self.attach_volume(
                server, volume, microversion=microversion)['attachment_id']
            for server in servers}
        # Both services agree after every attach, not only cinder's wait.
        self.assertAttachments(volume['id'], attachments)
        return volume, servers, attachments

    def assertMovedHolderReattaches(self, volume, moved, attachments):
        """After its move, a holder detaches and attaches again.

        Detaching `moved` leaves the other holders as they were (same
        attachment ids, on both services); attaching it again makes it a
        holder once more, beside them, on its new host. (Nova bug 1757190:
        a resize lost the multiattach flag of the moved server's volume
        connection on the new host.)

        :param attachments: {server_id: attachment_id} of every holder,
            `moved` included, as they are after the move.
        :returns: the holders' attachments after the new attach.
        """
        others = {server_id: attachment_id
                  for server_id, attachment_id in attachments.items()
                  if server_id != moved['id']}
        self.detach_volume(moved, volume)
        self.assertAttachments(volume['id'], others,
                               former_server_ids=[moved['id']])
        self.attach_volume(moved, volume)
        held = self.assertAttachedOnlyTo(volume['id'], list(attachments))
        self.assertEqual(
            others, {server_id: held[server_id] for server_id in others},
            'Attaching server %s again changed the other holders\' '
            'attachments of volume %s' % (moved['id'], volume['id']))
        return held

    def assertDetachedOneByOne(self, volume, servers, attachments):
        """Detach the servers in turn; the others keep the volume each time.

        After each detach, exactly the servers not yet detached hold the
        volume on both services, under their original attachment ids, and
        nova lists it on none of those detached; after the last, nothing
        holds it.

        :param attachments: {server_id: attachment_id} of every server.
        """
        for index, server in enumerate(servers):
            self.detach_volume(server, volume)
            self.assertAttachments(
                volume['id'],
                {s['id']: attachments[s['id']] for s in servers[index + 1:]},
                former_server_ids=[s['id'] for s in servers[:index + 1]])

    def create_held_plain_volume(self, server_count=2, volume_type=None):
        """A new plain volume held by the first of `server_count` servers.

        :param volume_type: the plain type's name (the class's plain type
            when None); the volume must come out not multiattach.
        :returns: (volume, servers); servers[0] holds the volume.
        """
        volume = self.create_plain_volume(volume_type=volume_type)
        servers = self.create_servers(server_count)
        self.attach_volume(servers[0], volume)
        return volume, servers

    def assertBootRefused(self, message, volume, **kwargs):
        """Booting with the volume as a data disk is a 400; nothing is left.

        The server would boot from [compute] image_ref with the volume in
        its block_device_mapping_v2. Any server the request wrongly makes
        is deleted at cleanup (registered before the request). Afterwards
        no server carries the request's name and cinder holds no
        attachment of the volume.

        :param message: a fragment of the 400's reason.
        :param kwargs: more server create arguments (min_count ...).
        """
        name = self.resource_name('refused')
        self.expect_no_server_named(
            name, multi_create=kwargs.get('min_count', 1) > 1)
        self.assertRefused(
            lib_exc.BadRequest, message, self.create_server_with_data_volume,
            volume, name=name, wait_until=None, **kwargs)
        self.assertEqual(
            [], self.servers_client.list_servers(name='^%s' % name)[
                'servers'],
            'The refused boot request left servers behind')
        self.assertUnattached(volume['id'])

    def assertAttachRefused(self, message, server_id, volume_id,
                            microversion=None, holder_ids=()):
        """Attaching the volume to the server is a 400; nothing is left.

        Afterwards exactly the holders hold the volume on both services
        (none: cinder holds no attachment of it, not even a reserved one)
        and nova lists no volume on the server.

        :param message: a fragment of the 400's reason.
        :param microversion: the attach's compute microversion (the
            class's when None).
        :param holder_ids: the servers holding the volume before the
            request.
        """
        self.assertRefused(
            lib_exc.BadRequest, message,
            self.volume_attachments_client.attach_volume,
            server_id, volume_id,
            microversion=microversion or self.request_microversion)
        self.assertAttachedOnlyTo(volume_id, list(holder_ids))
        self.assertEqual([], self.nova_volume_ids(server_id))
