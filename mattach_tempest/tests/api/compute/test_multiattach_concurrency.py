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

"""Attaching one multiattach volume to several servers at the same moment.

Behaviour rule 7 (doc/source/behaviour.rst): cinder reserves a multiattach
volume only while it is available, in-use or downloading; while another
attach holds it reserved or attaching, a reserve is refused with 400
"Invalid volume: Volume ... status must be ... to reserve, but the current
status is ...", which nova passes on (as a 400) below compute 2.101.
Parallel attaches therefore race by design: each must either succeed or be
refused cleanly, and the volume must end up consistent, never stuck
reserved or attaching (the old reserve race, bug 1096983).
"""

from concurrent import futures
import threading

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base

CONF = config.CONF

# Quoted from cinder.volume.api.API._attachment_reserve.
RESERVE_CONFLICT = 'to reserve, but the current status is'


class MultiattachConcurrentAttachTest(base.MultiattachBaseTest):
    """K attach requests for one volume, all sent at once."""

    # From 2.101 nova answers an attach 202 and a refusal happens later,
    # out of sight: below it, every refusal comes back with the request.
    compute_max_microversion = '2.100'

    def attach_all_at_once(self, volume_id, server_ids):
        """Send one attach per server, all released at the same moment.

        Each request has its own client and thread; a barrier holds every
        thread until all are ready, so the requests reach nova together.

        :returns: {server_id: None when nova accepted the attach, else the
            exception it answered with}
        """
        start = threading.Barrier(len(server_ids),
                                  timeout=CONF.compute.build_timeout)
        clients = [self.os_primary.mattach_compute.VolumeAttachmentsClient()
                   for _ in server_ids]

        def attach(client, server_id):
            start.wait()
            try:
                client.attach_volume(
                    server_id, volume_id,
                    microversion=self.compute_request_microversion)
            except lib_exc.TempestException as exc:
                return exc
            return None

        with futures.ThreadPoolExecutor(len(server_ids)) as pool:
            return dict(zip(server_ids,
                            pool.map(attach, clients, server_ids)))

    @staticmethod
    def is_reserve_conflict(exc):
        """A 400 whose reason is cinder refusing the reserve."""
        return (isinstance(exc, lib_exc.BadRequest) and
                RESERVE_CONFLICT in str(exc.resp_body))

    @decorators.attr(type='slow')
    @decorators.idempotent_id('4f0f2ff0-6b0e-4d4f-82a0-fb880aae0be1')
    @unstable.services('compute', 'volume')
    def test_concurrent_attach_succeeds_or_refuses_cleanly(self):
        """Simultaneous attaches of one volume each succeed or are refused.

        Steps:
        1. Create a multiattach volume and K = [mattach]
           concurrent_attach_servers servers.
        2. Send K attach requests (one per server) through nova at once.
        3. Wait (bounded) until the volume is in-use or available.
        4. Every request was accepted or refused with a 400 naming cinder's
           reserve conflict (no 500, no other refusal); at least one was
           accepted.
        5. Exactly the accepted servers hold the volume: cinder's volume
           view lists them, the attachments API lists the same
           attachments, all attached, and no reserved, attaching or error
           record; the volume is in-use; nova lists the volume on each of
           them under cinder's attachment id, and on no refused server.
        """
        count = CONF.mattach.concurrent_attach_servers
        volume = self.create_multiattach_volume()
        servers = self.create_servers(count)
        for server in servers:
            self.addCleanup(self._detach_for_cleanup, server['id'],
                            volume['id'])

        outcomes = self.attach_all_at_once(
            volume['id'], [server['id'] for server in servers])
        waiters.wait_for_volume_settled(self.volumes_client, volume['id'])

        unclean = {server_id: '%s: %s' % (type(exc).__name__, exc)
                   for server_id, exc in outcomes.items()
                   if exc is not None and not self.is_reserve_conflict(exc)}
        self.assertEqual({}, unclean,
                         'Attach requests neither accepted nor refused '
                         'with a reserve conflict')
        accepted = [server_id for server_id, exc in outcomes.items()
                    if exc is None]
        self.assertNotEqual([], accepted,
                            'All %d attach requests were refused' % count)

        self.assertHeldBy(
            volume['id'], accepted,
            former_holders=set(outcomes) - set(accepted))
