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

"""Extending a multiattach volume while servers hold it.

Behaviour rule 10 (doc/source/behaviour.rst): from volume microversion
3.42 an in-use volume can be extended, multiattach included; below 3.42
cinder extends available volumes only and refuses with 400. Cinder tells
every attached server (nova's external event volume-extended, compute >=
2.51), and nova records an ``extend_volume`` instance action on each
server it was told about (nova compute/api.py external_instance_event): a
server left out never learns its disk grew.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips

# cinder volume/api.py _extend(), InvalidVolume (400) below 3.42, where
# the only state cinder extends is available.
IN_USE_EXTEND_REFUSED = "to extend, currently in-use"
# nova compute/instance_actions.py EXTEND_VOLUME.
EXTEND_VOLUME_ACTION = 'extend_volume'


class MultiattachExtendTest(base.MultiattachBaseTest):
    """An in-use multiattach volume grows at >= 3.42."""

    volume_min_microversion = '3.42'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_extend_attached(cls)

    @decorators.idempotent_id('680ab350-a165-4929-acd4-8070aee7b369')
    @unstable.services('compute', 'volume')
    def test_extend_in_use_multiattach_volume(self):
        """Extending a volume two servers hold grows it, keeps both.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Extend it by 1 GiB (os-extend at 3.42): 202.
        3. Once it leaves 'extending', it has the new size, is in-use,
           and both attachments are intact (same ids) on both services.
        4. Nova records an extend_volume instance action on A and on B:
           cinder's volume-extended event reached every holder.
        """
        volume, _servers, attachments = self.create_shared_volume()
        new_size = volume['size'] + 1
        self.volumes_client.extend_volume(volume['id'], new_size=new_size)

        def extended():
            shown = self.volumes_client.show_volume(volume['id'])['volume']
            return shown['status'] != 'extending', shown
        shown = waiters.wait_until(
            extended, 'volume %s to finish extending' % volume['id'])
        self.assertEqual(new_size, shown['size'])
        self.assertHeldBy(volume['id'], attachments)
        for server_id in attachments:
            self.wait_for_extend_action(server_id, volume['id'])

    def wait_for_extend_action(self, server_id, volume_id):
        """Wait until nova lists an extend_volume action on the server.

        Cinder sends the event once the backend grew the volume, so it
        may reach nova just after the volume left 'extending'.
        """
        def recorded():
            actions = [a['action'] for a in
                       self.servers_client.list_instance_actions(
                           server_id)['instanceActions']]
            return EXTEND_VOLUME_ACTION in actions, actions
        waiters.wait_until(
            recorded, 'nova to record an %s action on server %s, which '
            'holds extended volume %s (the volume-extended event)'
            % (EXTEND_VOLUME_ACTION, server_id, volume_id))


class MultiattachExtendNegativeTest(base.MultiattachBaseTest):
    """Below 3.42 an in-use multiattach volume does not grow."""

    volume_max_microversion = '3.41'

    @decorators.attr(type='negative')
    @decorators.idempotent_id('cf621da9-e315-4b09-a5f9-637d3dfa8ff1')
    @unstable.services('compute', 'volume')
    def test_extend_in_use_below_3_42_refused(self):
        """Extending a volume two servers hold at < 3.42 is a 400.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Extend it by 1 GiB at the class's microversion (< 3.42): 400
           "... to extend, currently in-use".
        3. It keeps its size, is in-use, both attachments intact.
        """
        volume, _servers, attachments = self.create_shared_volume()
        self.assertRefused(lib_exc.BadRequest, IN_USE_EXTEND_REFUSED,
                           self.volumes_client.extend_volume, volume['id'],
                           new_size=volume['size'] + 1)
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertEqual(volume['size'], shown['size'])
        self.assertHeldBy(volume['id'], attachments)
