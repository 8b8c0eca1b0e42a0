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

"""Deleting all at once the servers that share a multiattach volume.

Nova bug 2048837: servers on one host sharing a volume, deleted in
parallel, each found another holder still on the host and left the host's
connection to the volume in place for it, so nobody removed it: the
connection leaked (fixed by a lock per volume around the disconnect). What
a user sees, and these tests assert, is what must hold once every server
is gone: the volume is available, neither cinder's volume view nor its
attachments API lists an attachment, and the volume can be attached
again. Nova's compute deletes a server's cinder attachments before the
server itself (_shutdown_instance, then the instance record), so once the
last server is gone nothing may hold the volume: no wait after that.
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class ParallelDeleteBaseTest(base.MultiattachBaseTest):
    """The parallel delete of the servers sharing a volume, and after.

    The server that attaches the volume after the deletes is one the
    class's tests share (it only attaches and detaches); the holders are
    each test's own, since the test deletes them.
    """

    class_server_count = 1

    def check_parallel_delete(self, server_count):
        """Delete `server_count` holders at once; the volume comes back.

        The servers are placed as the class says (create_servers_on_hosts,
        its `placement`), their hostIds asserted before the volume is
        attached to each.
        """
        volume, servers, _attachments = self.create_shared_volume(
            server_count, placement=self.placement)

        # Every delete is requested before any is waited on, so that the
        # compute hosts tear the servers down concurrently.
        for server in servers:
            self.servers_client.delete_server(server['id'])
        for server in servers:
            unstable.wait_for_server_termination(
                self.servers_client, server['id'])
        self.assertReleased(volume['id'])

        fresh = self.class_servers(1)[0]
        attachment_id = self.attach_volume(fresh, volume)['attachment_id']
        self.assertHeldBy(volume['id'], {fresh['id']: attachment_id})
        self.detach_volume(fresh, volume)
        self.assertReleased(volume['id'], former_holders=[fresh['id']])


class MultiattachParallelDeleteSameHostTest(ParallelDeleteBaseTest):
    """Servers on one host sharing a volume, deleted at once."""

    placement = 'same'

    @decorators.idempotent_id('2ad118aa-2da3-47b3-9f04-acd5e620c201')
    @unstable.services('compute', 'volume')
    def test_parallel_delete_of_two_servers_on_same_host(self):
        """Two servers on one host sharing a volume, deleted at once.

        Steps:
        1. Boot server A, then B with the scheduler hint same_host naming
           A: their hostIds are equal. Attach one multiattach volume to A
           and to B; both services list both.
        2. Delete A and B at once: request every delete, then wait.
        3. Nothing holds the volume (available, no attachment record);
           server C, the class's, which never held it, attaches it
           alone, then detaches it.
        """
        self.check_parallel_delete(2)

    @decorators.idempotent_id('e19e1fea-ae15-4b3e-b740-98eaa33d4540')
    @unstable.services('compute', 'volume')
    def test_parallel_delete_of_three_servers_on_same_host(self):
        """Three servers on one host sharing a volume, deleted at once.

        Steps:
        1. Boot server A, then B and C each with the scheduler hint
           same_host naming A: their hostIds are equal. Attach one
           multiattach volume to A, B and C; both services list all three.
        2. Delete A, B and C at once: request every delete, then wait.
        3. Nothing holds the volume (available, no attachment record);
           server D, the class's, which never held it, attaches it
           alone, then detaches it.
        """
        self.check_parallel_delete(3)


class MultiattachParallelDeleteDifferentHostsTest(ParallelDeleteBaseTest):
    """Servers on different hosts sharing a volume, deleted at once."""

    placement = 'different'

    @decorators.idempotent_id('c7c11e26-4446-40ca-9ae2-38e2e00901ca')
    @unstable.services('compute', 'volume')
    def test_parallel_delete_of_two_servers_on_different_hosts(self):
        """Two servers on two hosts sharing a volume, deleted at once.

        Steps:
        1. Boot server A, then B with the scheduler hint different_host
           naming A: their hostIds differ. Attach one multiattach volume
           to A and to B; both services list both.
        2. Delete A and B at once: request every delete, then wait.
        3. Nothing holds the volume (available, no attachment record);
           server C, the class's, which never held it, attaches it
           alone, then detaches it.
        """
        self.check_parallel_delete(2)

    @decorators.idempotent_id('edc61ced-1a42-42c3-ae11-043c3503811d')
    @unstable.services('compute', 'volume')
    def test_parallel_delete_of_three_servers_on_different_hosts(self):
        """Three servers on different hosts sharing a volume, deleted at once.

        The servers spread over as many hosts as [compute]
        min_compute_nodes promises, at most three. With min_compute_nodes
        = 2, A and B are on different hosts and C, booted without a hint,
        goes where the scheduler puts it: on a cloud of two hosts, beside
        one of them, so one host deletes two holders and the other one, at
        the same time.

        Steps:
        1. Boot server A, then B with the scheduler hint different_host
           naming A, then C with different_host naming A and B if
           min_compute_nodes >= 3, else with no hint: the hostIds of the
           first min(3, min_compute_nodes) servers differ. Attach one
           multiattach volume to A, B and C; both services list all three.
        2. Delete A, B and C at once: request every delete, then wait.
        3. Nothing holds the volume (available, no attachment record);
           server D, the class's, which never held it, attaches it
           alone, then detaches it.
        """
        self.check_parallel_delete(3)
