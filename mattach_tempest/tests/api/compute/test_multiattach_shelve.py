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

"""Shelving a server that shares a multiattach volume with another.

Behaviour rule 3 (doc/source/behaviour.rst): shelve-offloading a server
that holds a multiattach volume is allowed; nova replaces the server's
attachment by a connector-less (reserved) one and the other servers'
attachments are left alone. Unshelving has no API check: the server
attaches the volume again on its new host.
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class MultiattachShelveTest(base.MultiattachBaseTest):
    """Shelve-offload and unshelve one of two servers sharing a volume.

    Each test boots servers of its own: it shelve-offloads one of them,
    which leaves it off any host (and, unshelved, on a host nova picks
    again), not as a test sharing it would find it.
    """

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
        self.shelve_offload(offloaded['id'])
        return volume, offloaded, other, attachments

    @decorators.attr(type='slow')
    @decorators.idempotent_id('101103e4-332c-41b8-8c14-0511dd967b1f')
    @unstable.services('compute', 'volume', 'image')
    def test_shelve_offload_keeps_other_attachment(self):
        """Offloading one server leaves the other server's attachment.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Shelve A and wait until nova offloads it (SHELVED_OFFLOADED,
           within [compute] shelved_offload_time, and its shelve action
           finished).
        3. Cinder's volume view lists B alone, under its original
           attachment id, the volume is in-use, and nova lists the volume
           on B under that id.
        4. A keeps a claim on the volume: cinder's attachments API lists
           B's attachment, attached, and one reserved (connector-less)
           attachment for A, a new one, and nothing else; nova lists the
           volume on A under that claim's id.
        """
        volume, offloaded, other, attachments = self.shelve_offload_one()

        held = self.assertHeldBy(volume['id'], [other['id']],
                                 claimed_by=[offloaded['id']])
        self.assertEqual(attachments[other['id']], held[other['id']])
        self.assertNotEqual(attachments[offloaded['id']],
                            held[offloaded['id']],
                            'The claim of offloaded server %s is its old '
                            'attachment' % offloaded['id'])

    @decorators.attr(type='slow')
    @decorators.idempotent_id('f2f4f1fc-7676-4272-b6ee-32ed8c6f6ebb')
    @unstable.services('compute', 'volume', 'image')
    def test_unshelve_attaches_volume_again(self):
        """An unshelved server holds the shared volume again.

        Steps:
        1. Attach one multiattach volume to servers A and B; shelve A and
           wait until it is SHELVED_OFFLOADED and its shelve action
           finished.
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

        held = self.assertHeldBy(
            volume['id'], [unshelved['id'], other['id']])
        self.assertEqual(attachments[other['id']], held[other['id']])
