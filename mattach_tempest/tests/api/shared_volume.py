"""Steps the API tests share: servers sharing one multiattach volume.

A mixin for subclasses of base.MultiattachBaseTest, used by the compute
(tests/api/compute) and the volume (tests/api/volume) API tests alike:
build servers sharing a volume, and assert what cinder and nova then hold
or refuse.
"""

from tempest.lib import exceptions as lib_exc


class SharedVolumeMixin(object):
    """Build servers sharing a multiattach volume and check what they hold."""

    def create_shared_volume(self, server_count=2, microversion=None):
        """One new multiattach volume attached to `server_count` new servers.

        The volume is created before the servers, so its delete (a cleanup,
        last in first out) runs once the servers are gone. The servers are
        attached one at a time (cinder refuses a reserve while another
        attach is in flight), each attach at `microversion` (the class's
        when None).

        :returns: (volume, servers, {server_id: attachment_id}) as cinder
            lists the attachments once each attach completed.
        """
        volume = self.create_multiattach_volume()
        servers = self.create_servers(server_count)
        attachments = {
            server['id']: self.attach_volume(
                server, volume, microversion=microversion)['attachment_id']
            for server in servers}
        return volume, servers, attachments

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
                            microversion=None):
        """Attaching the volume to the server is a 400; nothing is left.

        Afterwards cinder holds no attachment of the volume and nova lists
        no volume on the server.

        :param message: a fragment of the 400's reason.
        :param microversion: the attach's compute microversion (the
            class's when None).
        """
        self.assertRefused(
            lib_exc.BadRequest, message,
            self.volume_attachments_client.attach_volume,
            server_id, volume_id,
            microversion=microversion or self.request_microversion)
        self.assertUnattached(volume_id)
        self.assertEqual([], self.nova_volume_ids(server_id))

    def assertAttachments(self, volume_id, attachments):
        """Cinder shows the volume in-use with exactly these attachments.

        :param attachments: {server_id: attachment_id}
        """
        volume = self.volumes_client.show_volume(volume_id)['volume']
        # Pairs, not a dict: a second attachment of one server must show.
        self.assertEqual(
            sorted(attachments.items()),
            sorted((a['server_id'], a['attachment_id'])
                   for a in volume['attachments']),
            'The attachments cinder lists on volume %s' % volume_id)
        self.assertEqual('in-use', volume['status'])

    def assertUnattached(self, volume_id):
        """Cinder holds no attachment of the volume, not even a reserved one.

        The volume is available, its view lists no attachment and the
        attachments API (which also lists reserved and attaching records)
        none either.
        """
        self.assertAttachedOnlyTo(volume_id, [])

    def nova_volume_ids(self, server_id):
        """The volume ids nova lists on the server, one per attachment.

        Listed at the class's microversion, so that it also works where
        the cloud's configured maximum is below 2.89.
        """
        attachments = self.volume_attachments_client.list_volume_attachments(
            server_id, microversion=self.request_microversion)
        return [a['volumeId'] for a in attachments['volumeAttachments']]
