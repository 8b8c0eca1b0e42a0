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

"""Rebuilding a server whose root volume another server also holds.

Behaviour rule 13 (doc/source/behaviour.rst): from compute 2.93 nova
rebuilds a volume-backed server by having cinder re-image its root volume.
Cinder refuses to re-image a volume attached to more than one server
(409): the other server would see its disk rewritten under it. Nova
answers the rebuild (202) before it asks cinder, so the refusal surfaces
asynchronously: the compute service aborts the rebuild
(BuildAbortException) and the server goes to ERROR with a fault whose
message is nova's generic reason; cinder's own reason is in the fault's
details, which nova shows to admins only. Hence an admin class: the
primary user rebuilds, admin reads why it failed.
"""

from tempest import config
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base

CONF = config.CONF

# nova compute/manager.py _rebuild_volume_backed_instance(), the reason of
# the BuildAbortException that becomes the server's fault message.
REBUILD_ABORTED = 'Failed to rebuild volume backed instance.'
# cinder volume/api.py reimage(), HTTPConflict (409), in the fault details.
REIMAGE_REFUSED = ('Cannot re-image a volume which is attached to more '
                   'than one server.')


class MultiattachRebuildReimageNegativeTest(base.MultiattachAdminBaseTest):
    """Rebuild with reimage of a shared root volume fails, others intact."""

    # Rebuild of a volume-backed server re-images its root volume.
    compute_min_microversion = '2.93'

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_servers_client = cls.os_admin.servers_client

    def wait_for_rebuild_end(self, server_id):
        """Wait until the server leaves REBUILD; return it as shown."""
        def rebuilt():
            server = self.servers_client.show_server(server_id)['server']
            return server['status'] != 'REBUILD', server
        return waiters.wait_until(
            rebuilt, 'server %s to leave REBUILD' % server_id,
            timeout=CONF.compute.build_timeout,
            interval=CONF.compute.build_interval)

    @decorators.attr(type='negative')
    @decorators.idempotent_id('c3418235-3d07-42af-b27c-91469435007f')
    @unstable.services('compute', 'volume', 'image')
    def test_rebuild_of_server_on_shared_root_volume_refused(self):
        """The rebuild aborts on cinder's 409; the other holder keeps it.

        Steps:
        1. Create a bootable multiattach volume, boot server A from it and
           attach it to server B as a data disk.
        2. As the primary user, rebuild A with the API tests' image at
           2.93: 202.
        3. A leaves REBUILD in ERROR; its fault message says "Failed to
           rebuild volume backed instance." and, shown to admin, its
           details carry cinder's 409 "Cannot re-image a volume which is
           attached to more than one server."
        4. B keeps its attachment on both services: cinder lists it (same
           id) as the volume's only attached one, the volume is in-use,
           the attachments API lists besides it only A's reserved claim,
           and nova lists the volume on B under B's attachment id.
        """
        volume = self.create_bootable_multiattach_volume()
        booted, other = self.create_server_from_volume_and_another(volume)
        other_attachment = self.attach_volume(other, volume)['attachment_id']

        # A ends in ERROR, and tempest's termination wait takes an ERROR
        # server for a failed delete unless told to expect it: delete A
        # first (cleanups run last in, first out) and wait ignoring it.
        self.addCleanup(unstable.wait_for_server_termination,
                        self.servers_client, booted['id'], ignore_error=True)
        self.addCleanup(test_utils.call_and_ignore_notfound_exc,
                        self.servers_client.delete_server, booted['id'])
        self.servers_client.rebuild_server(booted['id'],
                                           base.api_image_ref())
        server = self.wait_for_rebuild_end(booted['id'])
        self.assertEqual(
            'ERROR', server['status'],
            'Server %s was rebuilt, its root volume %s re-imaged, while '
            'server %s held the volume too' % (booted['id'], volume['id'],
                                               other['id']))
        fault = self.admin_servers_client.show_server(booted['id'])[
            'server']['fault']
        self.assertIn(REBUILD_ABORTED, fault['message'])
        self.assertIn(REIMAGE_REFUSED, fault.get('details', ''),
                      'The rebuild failed, but not on cinder\'s refusal to '
                      're-image a volume attached to more than one server')

        # Nova replaced A's attachment with a reserved claim before asking
        # cinder to re-image; the abort leaves the claim.
        held = self.assertHeldBy(volume['id'], [other['id']],
                                 claimed_by=[booted['id']])
        self.assertEqual(other_attachment, held[other['id']])
