"""Attaching and detaching a volume through nova, waited on cinder.

One mixin for the API tests (tests/api/base.py) and the scenario tests
(tests/scenario/manager.py), so that both attach, detach and clean up the
same way:

* the detach is registered as a cleanup before the attach request is sent;
* every attach is waited on cinder's attachment record for that server,
  every detach until that record is gone (never on the volume status,
  which says little for a multiattach volume);
* the cleanup detaches only what cinder still lists, and a volume or
  attachment already gone is fine.

Also the block device mappings both boot servers with a volume.

The class using it provides ``volumes_client``, ``servers_client``
(tempest's), ``volume_attachments_client`` (mattach_tempest.services.compute:
each call sends its own microversion), ``attachments_client``
(mattach_tempest.services.volume: cinder's attachments API) and
``nova_microversion``: the compute microversion its attach and detach
requests carry.
"""

from tempest import config
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import waiters

CONF = config.CONF


def volume_bdm(volume_id, boot_index, delete_on_termination=False):
    """A block_device_mapping_v2 entry for an existing volume.

    boot_index 0 boots from the volume; -1 attaches it as a data disk.
    """
    return {'uuid': volume_id, 'source_type': 'volume',
            'destination_type': 'volume', 'boot_index': boot_index,
            'delete_on_termination': delete_on_termination}


def data_volume_bdms(volume_id):
    """block_device_mapping_v2 booting [compute] image_ref, volume as data.

    With block_device_mapping_v2 nova expects the client to map the image
    itself (as the CLI does for --image with --block-device): without that
    entry the boot sequence is invalid.
    """
    image_disk = {'uuid': CONF.compute.image_ref, 'source_type': 'image',
                  'destination_type': 'local', 'boot_index': 0,
                  'delete_on_termination': True}
    return [image_disk, volume_bdm(volume_id, -1)]


class NovaAttachMixin(object):
    """attach_and_wait, detach_volume and their cleanup."""

    @property
    def nova_microversion(self):
        """The compute microversion of attach and detach requests."""
        raise NotImplementedError

    def attach_and_wait(self, server, volume, microversion=None):
        """Attach through nova and wait until cinder lists the attachment.

        An attach nova gives up on after answering fails the wait at once
        (waiters.AttachFailedAsynchronously), with what nova shows of the
        server.

        :param microversion: of the attach request (nova_microversion when
            None).
        :returns: (nova's answer: {'volumeAttachment': ...} below 2.101,
            {} from 2.101; cinder's attachment record for the server as
            the wait saw it: attachment_id, server_id, device ...)
        """
        microversion = microversion or self.nova_microversion
        self.addCleanup(self._detach_for_cleanup, server['id'], volume['id'])
        body = self.volume_attachments_client.attach_volume(
            server['id'], volume['id'], microversion=microversion)
        return body, self.wait_for_attachment(
            server, volume, grace=waiters.reserve_grace(microversion))

    def wait_for_attachment(self, server, volume, grace=0):
        """Wait until cinder lists the server's attachment of the volume.

        Fails at once when cinder holds no attachment record of the server
        (any status) after `grace` seconds, or after it had one: see
        waiters.wait_for_attachment.

        :returns: cinder's attachment record as the wait saw it.
        """
        return waiters.wait_for_attachment(
            self.volumes_client, volume['id'], server['id'],
            attachments_client=self.attachments_client,
            servers_client=self.servers_client, grace=grace)

    def detach_volume(self, server, volume):
        """Detach through nova and wait until the attachment is gone."""
        self.volume_attachments_client.detach_volume(
            server['id'], volume['id'], microversion=self.nova_microversion)
        waiters.wait_for_attachment_removed(
            self.volumes_client, volume['id'], server['id'])

    def _detach_for_cleanup(self, server_id, volume_id):
        """Detach the volume from the server if cinder still lists it."""
        try:
            volume = self.volumes_client.show_volume(volume_id)['volume']
        except lib_exc.NotFound:
            return
        if not any(a['server_id'] == server_id
                   for a in volume['attachments']):
            return
        try:
            self.volume_attachments_client.detach_volume(
                server_id, volume_id, microversion=self.nova_microversion)
        except lib_exc.NotFound:
            return
        waiters.wait_for_attachment_removed(
            self.volumes_client, volume_id, server_id)
