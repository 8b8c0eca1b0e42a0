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

"""Attaching and detaching a volume through nova, and who holds it.

One mixin for the API tests (tests/api/base.py) and the scenario tests
(tests/scenario/manager.py), so that both attach, detach, clean up and
check the holders of a volume the same way:

* the detach is registered as a cleanup before the attach request is sent;
* every attach is waited on cinder's attachment record for that server,
  every detach (the cleanup's too) until that record is gone and nova
  no longer lists the volume on the server (never on the volume status,
  which says little for a multiattach volume);
* the cleanup detaches only what cinder still lists, and a volume or
  attachment already gone is fine;
* every attach and detach wait is logged for the class (common.timing);
* "held by exactly these servers" is one assertion (assertHeldBy) asking
  both services: cinder's volume view, its attachments API and the volume
  status, and nova's list (nova_attachments) on every holder (under
  cinder's attachment id, at compute >= 2.89 where the cloud has it) and
  on every former holder (which must list nothing of the volume);
  "released" (assertReleased) is the same with no holder left.

Also the block device mappings both boot servers with a volume.

The class using it provides ``volumes_client``, ``servers_client``
(tempest's), ``volume_attachments_client`` (mattach_tempest.services.compute:
each call sends its own microversion), ``attachments_client``
(mattach_tempest.services.volume: cinder's attachments API) and
``compute_request_microversion``: the compute microversion its attach and
detach requests carry.
"""

from oslo_log import log as logging
from tempest import config
from tempest.lib.common import api_version_request
from tempest.lib.common.utils import test_utils
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import timing
from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.services.compute import volume_attachments_client
from mattach_tempest.tests import skips

CONF = config.CONF
LOG = logging.getLogger(__name__)


def _at_least(microversion, minimum):
    """Whether a configured microversion ('latest', None) reaches minimum."""
    if not microversion:
        return False
    if microversion == 'latest':
        return True
    return (api_version_request.APIVersionRequest(microversion) >=
            api_version_request.APIVersionRequest(minimum))


def volume_bdm(volume_id, boot_index, delete_on_termination=False):
    """A block_device_mapping_v2 entry for an existing volume.

    boot_index 0 boots from the volume; -1 attaches it as a data disk.
    """
    return {'uuid': volume_id, 'source_type': 'volume',
            'destination_type': 'volume', 'boot_index': boot_index,
            'delete_on_termination': delete_on_termination}


def data_volume_bdms(volume_id, image_ref=None):
    """block_device_mapping_v2 booting an image, the volume as data.

    With block_device_mapping_v2 nova expects the client to map the image
    itself (as the CLI does for --image with --block-device): without that
    entry the boot sequence is invalid.

    :param image_ref: the image; [compute] image_ref when None.
    """
    image_disk = {'uuid': image_ref or CONF.compute.image_ref,
                  'source_type': 'image',
                  'destination_type': 'local', 'boot_index': 0,
                  'delete_on_termination': True}
    return [image_disk, volume_bdm(volume_id, -1)]


class NovaAttachMixin(object):
    """attach_and_wait, detach_volume, their cleanup, and the holders."""

    @property
    def nova_microversion(self):
        """The compute microversion of attach and detach requests.

        The class's compute_request_microversion (selected from its
        compute_min_microversion, in the API and scenario bases alike).
        """
        return self.compute_request_microversion

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
        self.detach_at_cleanup(server['id'], volume['id'])
        with timing.waiting(type(self), 'attach', server['id']):
            body = self.volume_attachments_client.attach_volume(
                server['id'], volume['id'], microversion=microversion)
            attachment = self.wait_for_attachment(
                server, volume, grace=waiters.reserve_grace(microversion))
        return body, attachment

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
        """Detach through nova; wait until neither service lists it."""
        with timing.waiting(type(self), 'detach', server['id']):
            self.volume_attachments_client.detach_volume(
                server['id'], volume['id'],
                microversion=self.nova_microversion)
            self._wait_for_detach(server['id'], volume['id'])

    def detach_at_cleanup(self, server_id, volume_id):
        """Register the detach of the volume from the server, if needed.

        Registered before a request that may attach it (attach_and_wait
        does): at cleanup, whatever the test did, the volume is detached
        from the server if cinder lists it there, and the cleanup waits
        until neither service lists it, so that a server the class's
        tests share (base.MultiattachBaseTest.class_servers) is left as
        the test found it.
        """
        self.addCleanup(self._detach_for_cleanup, server_id, volume_id)

    def _wait_for_detach(self, server_id, volume_id):
        """Wait until neither cinder nor nova lists the attachment.

        Nova deletes its block device mapping after cinder's attachment,
        so a check of both services right after cinder's record went
        would race nova's last step: wait for that too. A server gone
        lists nothing.
        """
        waiters.wait_for_attachment_removed(
            self.volumes_client, volume_id, server_id)

        def nova_released():
            try:
                listed = [listed_volume for listed_volume, _a in
                          self.nova_attachments(server_id)]
            except lib_exc.NotFound:
                return True, 'server gone'
            return volume_id not in listed, listed
        waiters.wait_until(
            nova_released, 'nova to stop listing volume %s on server %s '
            'after its detach' % (volume_id, server_id))

    def _detach_for_cleanup(self, server_id, volume_id):
        """Detach the volume from the server if cinder still lists it."""
        try:
            volume = self.volumes_client.show_volume(volume_id)['volume']
        except lib_exc.NotFound:
            return
        if not any(a['server_id'] == server_id
                   for a in volume['attachments']):
            return
        with timing.waiting(type(self), 'detach', server_id):
            try:
                self.volume_attachments_client.detach_volume(
                    server_id, volume_id, microversion=self.nova_microversion)
            except lib_exc.NotFound:
                return
            self._wait_for_detach(server_id, volume_id)

    # -- on which host a server is ----------------------------------------

    @staticmethod
    def placement_spread(count, placement):
        """On how many hosts `count` servers placed by `placement` are.

        'same' (the same_host hint naming the first server): 1.
        'different' (the different_host hint naming every server before):
        as many as the cloud has hosts ([compute] min_compute_nodes), at
        most `count`.
        """
        if placement == 'same':
            return 1
        return min(count, CONF.compute.min_compute_nodes)

    @staticmethod
    def placement_hints(placement, servers_before):
        """The scheduler hints placing the next server (create kwargs).

        `servers_before`: the servers already placed, in boot order. Empty
        when no hint applies (the first server; servers beyond
        placement_spread).
        """
        hint, _filter = skips.PLACEMENT_HINTS[placement]
        if placement == 'same':
            hinted = servers_before[:1]
        elif len(servers_before) < CONF.compute.min_compute_nodes:
            hinted = servers_before
        else:
            hinted = []
        if not hinted:
            return {}
        return {'scheduler_hints': {hint: [s['id'] for s in hinted]}}

    def server_host_id(self, server_id):
        """The server's hostId: equal for a project's servers on one host.

        What a user sees of a server's host (an opaque hash of the host
        and the project); empty while the server is on no host.
        """
        return self.servers_client.show_server(server_id)['server']['hostId']

    def server_host(self, server_id):
        """The name of the compute host the server is on (admin's view).

        OS-EXT-SRV-ATTR:host, which nova shows to admins only (the class
        has admin credentials and an ``admin_servers_client``); None while
        the server is on no host.
        """
        return self.admin_servers_client.show_server(server_id)['server'][
            'OS-EXT-SRV-ATTR:host']

    def assertPlacement(self, servers, placement, host_of=None):
        """The servers are where the `placement` hints put them.

        'same': all on one host; 'different': the first placement_spread
        servers each on a host of its own.

        :param host_of: server id -> its host; server_host_id (hostId) when
            None, an admin's server_host (the host's name) otherwise.
        :returns: [the host of each server], in the order of `servers`.
        """
        host_of = host_of or self.server_host_id
        ids = [server['id'] for server in servers]
        hosts = [host_of(server_id) for server_id in ids]
        self.assertTrue(all(hosts), 'Servers %s are not all on a host: %s'
                        % (ids, hosts))
        spread = self.placement_spread(len(servers), placement)
        hint, _filter = skips.PLACEMENT_HINTS[placement]
        if placement == 'same':
            self.assertEqual(
                1, len(set(hosts)), 'Servers %s booted with the %s hint are '
                'on different hosts: %s' % (ids, hint, hosts))
        else:
            self.assertEqual(
                spread, len(set(hosts[:spread])), 'Servers %s booted with '
                'the %s hint share a host: %s' % (ids[:spread], hint,
                                                  hosts[:spread]))
        return hosts

    # -- who holds a volume, asked of both services ----------------------

    def nova_listing_microversion(self):
        """The microversion nova's attachment lists are read at.

        2.89, where nova lists its attachment ids, whenever the cloud
        ([compute] max_microversion) has it, so that they can be compared
        with cinder's; else the class's own (ids are then not compared).
        """
        own = self.nova_microversion
        if (not _at_least(own, volume_attachments_client.ATTACHMENT_IDS) and
                _at_least(CONF.compute.max_microversion,
                          volume_attachments_client.ATTACHMENT_IDS)):
            return volume_attachments_client.ATTACHMENT_IDS
        return own

    def nova_attachments(self, server_id):
        """[(volume_id, attachment_id)] nova lists on the server, in order.

        The one nova listing of the suite, read at
        nova_listing_microversion: attachment_id is None below compute
        2.89. One entry per attachment, so that a volume attached twice
        shows twice.
        """
        listed = self.volume_attachments_client.list_volume_attachments(
            server_id, microversion=self.nova_listing_microversion())
        return [(a['volumeId'], a.get('attachment_id'))
                for a in listed['volumeAttachments']]

    @classmethod
    def delete_servers(cls, servers_client, server_ids):
        """Delete the servers, all of them, then wait until each is gone."""
        for server_id in server_ids:
            test_utils.call_and_ignore_notfound_exc(
                servers_client.delete_server, server_id)
        for server_id in server_ids:
            with timing.waiting(cls, 'delete', server_id):
                unstable.wait_for_server_termination(servers_client,
                                                     server_id)

    def as_a_test_finds_it(self, server_id):
        """Whether a server the class's tests share is ACTIVE and idle.

        Idle: no task, and nova lists no volume on it (every test detaches
        what it attached at cleanup). A server left otherwise is logged;
        the caller replaces it.
        """
        try:
            shown = self.servers_client.show_server(server_id)['server']
            volumes = [volume_id for volume_id, _a in
                       self.nova_attachments(server_id)]
        except lib_exc.NotFound:
            shown, volumes = {'status': 'gone'}, []
        if (shown['status'] == 'ACTIVE' and
                not shown.get('OS-EXT-STS:task_state') and not volumes):
            return True
        LOG.warning('Shared server %s is not as a test must find it '
                    '(status %s, task %s, volumes nova lists %s): the test '
                    'gets a new one', server_id, shown['status'],
                    shown.get('OS-EXT-STS:task_state'), volumes)
        return False

    def assertHeldBy(self, volume_id, holders, former_holders=(),
                     claimed_by=(), on_hosts=False):
        """Exactly these servers hold the volume, on both services.

        Cinder's volume view lists each holder once and the volume is
        in-use (available when there is none); cinder's attachments API
        lists the same attachment ids, every one attached, and no other
        record (reserved, attaching, error_*) but one reserved
        (connector-less) claim for each server of `claimed_by`: a server
        nova disconnected but keeps the volume for (shelve-offload, an
        aborted rebuild). Nova lists this volume once on each holder and
        each claimant, under cinder's attachment (or claim) id for that
        server (compared where nova lists ids, compute >= 2.89), and
        nothing of it on any former holder (one that is gone altogether
        is fine).

        :param holders: the holders' server ids; or {server_id:
            attachment_id}, and then no attachment id may have changed.
        :param former_holders: server ids that held the volume before.
        :param on_hosts: also assert that cinder connected each holder's
            attachment on the host nova runs the server on (the volume's
            host_name against OS-EXT-SRV-ATTR:host: admin only, the class
            has ``admin_volumes_client`` and ``admin_servers_client``). An
            attachment left connected on the host a server moved away from
            shows here.
        :returns: {server_id: attachment_id}, as cinder lists them, and
            for a server of `claimed_by` the id of its claim.
        """
        volume = self.volumes_client.show_volume(volume_id)['volume']
        held = [(a['server_id'], a['attachment_id'])
                for a in volume['attachments']]
        self.assertEqual(sorted(holders), sorted(s for s, _a in held),
                         'The servers cinder lists on volume %s' % volume_id)
        if isinstance(holders, dict):
            self.assertEqual(holders, dict(held),
                             'The attachment ids of volume %s changed'
                             % volume_id)
        self.assertEqual('in-use' if holders else 'available',
                         volume['status'],
                         'The status of volume %s' % volume_id)
        records = self.attachments_client.list_attachments(
            volume_id=volume_id)['attachments']
        claims = [(r['instance'], r['id']) for r in records
                  if r['instance'] in claimed_by and r['status'] == 'reserved']
        self.assertEqual(sorted(claimed_by), sorted(s for s, _c in claims),
                         'The reserved claims on volume %s' % volume_id)
        self.assertEqual(
            sorted([(server_id, attachment_id, 'attached')
                    for server_id, attachment_id in held] +
                   [(server_id, claim_id, 'reserved')
                    for server_id, claim_id in claims]),
            sorted((r['instance'], r['id'], r['status']) for r in records),
            'The attachments API disagrees with the volume view of %s'
            % volume_id)
        for server_id, attachment_id in held + claims:
            self._assertNovaListsOnce(server_id, volume_id, attachment_id)
        for server_id in former_holders:
            try:
                listed = self.nova_attachments(server_id)
            except lib_exc.NotFound:
                continue
            self.assertNotIn(
                volume_id, [listed_volume for listed_volume, _a in listed],
                'Nova still lists volume %s on server %s, which no longer '
                'holds it' % (volume_id, server_id))
        if on_hosts:
            self._assertConnectedOnServerHosts(volume_id, dict(held))
        return dict(held + claims)

    def assertReleased(self, volume_id, former_holders=()):
        """Nothing holds the volume, not even a reserved record.

        The volume is available, neither cinder's volume view nor its
        attachments API (which also lists reserved and attaching records)
        lists an attachment, and nova lists the volume on no former holder.
        """
        self.assertHeldBy(volume_id, [], former_holders)

    def _assertNovaListsOnce(self, server_id, volume_id, attachment_id):
        """Nova lists this volume once on the server, under this id.

        The id is compared where nova lists ids (compute >= 2.89). The
        server's other volumes (the root volume of a server booted from
        one) are not this assertion's business.
        """
        compare_ids = _at_least(self.nova_listing_microversion(),
                                volume_attachments_client.ATTACHMENT_IDS)
        self.assertEqual(
            [(volume_id, attachment_id if compare_ids else None)],
            [(listed_volume, listed_attachment) for listed_volume,
             listed_attachment in self.nova_attachments(server_id)
             if listed_volume == volume_id],
            'What nova lists on server %s (volume, attachment id), against '
            'cinder\'s attachment %s of volume %s to it'
            % (server_id, attachment_id, volume_id))

    def _assertConnectedOnServerHosts(self, volume_id, held):
        """Cinder connected each holder's attachment on the server's host.

        Cinder records the host of the connector nova sent when it
        connected an attachment (shown to admins as the host_name of the
        volume's attachments); nova's libvirt and fake drivers send their
        own host name, nova's OS-EXT-SRV-ATTR:host.
        """
        volume = self.admin_volumes_client.show_volume(volume_id)['volume']
        self.assertEqual(
            {server_id: self.server_host(server_id) for server_id in held},
            {a['server_id']: a['host_name'] for a in volume['attachments']},
            'The hosts cinder connected the attachments of volume %s on '
            '(host_name), against the hosts nova runs the servers on'
            % volume_id)
