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

"""Evacuating one of two servers that share a volume from two hosts (admin).

The evacuation of a holder from a host whose nova-compute an admin forced
down, to the host of the other holder. The class runs alone (a tempest
serial class), so it lives in serial_tests, discovered after every
parallel test; it shares the holders, the waits and the checks of the
other moves (api/admin/test_multiattach_move), whose module docstring
says what every move must leave.
"""

from oslo_log import log as logging
from tempest import config
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api.admin import test_multiattach_move as move
from mattach_tempest.tests import skips

CONF = config.CONF
LOG = logging.getLogger(__name__)


@decorators.serial
class MultiattachEvacuateTest(move.MultiattachMoveTestBase):
    """Evacuation of a holder from a host whose compute is forced down.

    Runs alone (a tempest serial class): while a compute service is
    forced down nova schedules nothing to its host, which would fail any
    test needing two hosts at the same time.
    """

    @classmethod
    def is_serial_execution_requested(cls):
        # tempest takes the serial (write) lock before skip_checks, and a
        # writer waits for every class holding the read lock: a class that
        # is about to skip would idle its worker until all others finished
        # (25 minutes of a real-guest run). Serial only when it will run.
        return (super().is_serial_execution_requested() and
                CONF.mattach.evacuate and
                CONF.compute.min_compute_nodes >= 2)

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'mattach', 'evacuate',
                             'Evacuation is not enabled')

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_services_client = cls.os_admin.services_client

    def compute_service_id(self, host):
        """The id of the nova-compute service of `host` (compute 2.53)."""
        services = self.admin_services_client.list_services(
            binary='nova-compute', host=host)['services']
        self.assertEqual(1, len(services),
                         'nova-compute services of host %s: %s'
                         % (host, services))
        return services[0]['id']

    def restore_compute_service(self, service_id, evacuated):
        """Delete the evacuated servers, lift the forced down, wait for up.

        Nova refuses to force a compute service up while an evacuation
        from its host is 'done' but not yet 'completed' (services API
        _check_for_evacuations, 400 "Unable to force up host ..."): only
        that host's nova-compute completes it, when it starts again,
        which a test cannot make happen. Deleting the evacuated server
        deletes its migration records with it (nova's instance_destroy),
        so the service may be forced up after that.

        :param evacuated: the servers the test evacuates (or meant to)
            from the service's host.
        """
        for server in evacuated:
            test_utils.call_and_ignore_notfound_exc(
                self.servers_client.delete_server, server['id'])
            unstable.wait_for_server_termination(self.servers_client,
                                                 server['id'])
        self.admin_services_client.update_service(service_id,
                                                  forced_down=False)

        def up():
            service = [
                s for s in self.admin_services_client.list_services(
                    binary='nova-compute')['services']
                if s['id'] == service_id][0]
            return service['state'] == 'up', service
        waiters.wait_until(up, 'nova-compute service %s to be up once no '
                           'longer forced down' % service_id,
                           timeout=CONF.compute.build_timeout,
                           interval=CONF.compute.build_interval)

    def force_down_compute_service(self, host, evacuated):
        """Force the host's nova-compute down; restored at cleanup.

        The restore (restore_compute_service) is registered before the
        request, so that it runs whatever happens next, and before the
        cleanups of the servers, registered earlier.

        :param evacuated: the servers the test will evacuate from `host`:
            deleted by the restore.
        """
        service_id = self.compute_service_id(host)
        self.addCleanup(self.restore_compute_service, service_id, evacuated)
        LOG.info('Forcing down nova-compute of host %s (service %s)',
                 host, service_id)
        service = self.admin_services_client.update_service(
            service_id, forced_down=True)['service']
        self.assertTrue(service['forced_down'],
                        'nova-compute of host %s is not forced down: %s'
                        % (host, service))

    @decorators.attr(type='slow')
    @decorators.idempotent_id('f47dbf1d-6964-4b5e-ae9a-cf315f017ad3')
    @unstable.services('compute', 'volume')
    def test_evacuate_holder_from_forced_down_host(self):
        """A holder evacuated to another host holds the volume there.

        Rebuilding the evacuated server on the destination, nova gives it
        a new attachment, deletes the one of the source host (compute
        manager _do_rebuild_instance, detach_block_devices) and connects
        the new one there (_prep_block_device). The source's nova-compute
        keeps running, only forced down; when it next starts it destroys
        what is left of the server there (_destroy_evacuated_instances).

        Steps:
        1. Boot server A, then server B on another host (different_host);
           attach one multiattach volume to A and B; cinder connected each
           on its server's host.
        2. As admin, force the nova-compute service of A's host down
           (compute 2.53; the restore is registered as a cleanup first).
        3. Evacuate A to B's host; wait until A is ACTIVE and nova's
           migration record is done.
        4. A runs on B's host; the evacuation went from A's old host to it.
        5. A and B hold the volume on both services: nova lists cinder's
           attachment ids; B's is unchanged, A's is new; cinder connected
           A's attachment on its new host.
        6. Detach A: B alone holds the volume; attach A again: both hold
           it, cinder connected A's attachment on its new host.
        Cleanup deletes A (nova lets a service with an evacuation 'done'
        from its host be forced up only without the evacuated server),
        lifts the forced down and waits until the service is up.
        """
        volume, moved, other, attachments, source, destination = (
            self.create_holders_apart())
        self.force_down_compute_service(source, [moved])

        self.admin_servers_client.evacuate_server(moved['id'],
                                                  host=destination)
        unstable.wait_for_server_status(
            self.servers_client, moved['id'], 'ACTIVE')
        migration = self.wait_for_migration(moved['id'], move.EVACUATION,
                                            move.DONE)

        self.assertMoved(migration, moved['id'], source, destination)
        held = self.assertHoldersAfterMove(volume, moved, other, attachments)
        self.assertReattachesAfterMove(volume, moved, held)
