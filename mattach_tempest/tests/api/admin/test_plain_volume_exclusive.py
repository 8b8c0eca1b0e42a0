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

"""Nova keeps a plain volume exclusive even when cinder's status says not.

Cinder reserves a plain (not multiattach) volume only while it is
available, so its status is what keeps a second server off it. An admin
can reset that status while a server still holds the volume; nova must
then refuse a second server by itself, from its own block device mappings
(bug 1908075). Resetting a volume's status needs admin.
"""

from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class PlainVolumeStatusResetNegativeTest(base.MultiattachAdminBaseTest):
    """A held plain volume reset to available goes to no second server."""

    @classmethod
    def has_multiattach_type(cls):
        # The volume is of [volume] volume_type (or the default type).
        return True

    def reset_volume_status(self, volume_id, status):
        """As admin, set the volume's status alone (attach_status kept)."""
        self.admin_volumes_client.reset_volume_status(volume_id,
                                                      status=status)
        self.assertEqual(status, self.volumes_client.show_volume(volume_id)[
            'volume']['status'])

    @decorators.attr(type='negative')
    @decorators.idempotent_id('00a357d8-a4ea-4abc-a7ae-5a2c63ebc756')
    @unstable.services('compute', 'volume')
    def test_attach_held_plain_volume_reset_to_available_refused(self):
        """A plain volume held by A and reset to available: B is refused.

        Steps:
        1. Create a volume of the plain type (multiattach false) and
           attach it to server A through nova.
        2. As admin, reset the volume's status to available (its
           attach_status and A's attachment untouched); cinder would now
           reserve it for anyone. The status is set back to in-use at
           cleanup, so A's detach works whatever happens.
        3. Attach it to server B through nova: 400 "volume <id> is already
           attached to instances: <A>" (nova _check_volume_already_attached,
           bug 1908075).
        4. As admin, set the status back to in-use: A alone holds the
           volume on both services (same attachment); nova lists no volume
           on B.
        """
        volume, (server_a, server_b) = self.create_held_plain_volume()
        self.addCleanup(self.admin_volumes_client.reset_volume_status,
                        volume['id'], status='in-use')
        self.reset_volume_status(volume['id'], 'available')
        self.assertRefused(
            lib_exc.BadRequest,
            base.PLAIN_VOLUME_HELD % volume['id'] + server_a['id'],
            self.volume_attachments_client.attach_volume,
            server_b['id'], volume['id'],
            microversion=self.compute_request_microversion)
        self.reset_volume_status(volume['id'], 'in-use')
        self.assertHeldBy(volume['id'], [server_a['id']])
        self.assertEqual([], self.nova_attachments(server_b['id']))
