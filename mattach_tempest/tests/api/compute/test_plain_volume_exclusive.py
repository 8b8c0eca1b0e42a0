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

"""A plain (not multiattach) volume is held by one server at a time.

The other side of multiattach: a volume whose type does not make it
multiattach must be refused to a second server, by nova (which checks its
own block device mappings before asking cinder) and by cinder's
attachments API (a plain volume is reserved only while available). Each
refusal leaves the first server's attachment as it was, on both services.
"""

from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

# cinder volume/api.py _attachment_reserve(), InvalidVolume (400): the
# statuses in which a plain volume can be reserved.
PLAIN_RESERVE_REFUSED = ('Volume %s status must be available or downloading '
                         'to reserve, but the current status is in-use.')


class PlainVolumeBaseTest(base.MultiattachBaseTest):
    """Plain volumes only: no multiattach type is needed."""

    @classmethod
    def has_multiattach_type(cls):
        # The volumes are of [volume] volume_type (or the default type).
        return True


class PlainVolumeExclusiveTest(PlainVolumeBaseTest):
    """Nova attaches a held plain volume to no second server."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('0419aa17-63e6-47bd-a666-c5f3f33d875c')
    @unstable.services('compute', 'volume')
    def test_attach_held_plain_volume_to_second_server_refused(self):
        """Attaching a plain volume held by server A to server B is a 400.

        Steps:
        1. Create a volume of the plain type: multiattach false.
        2. Attach it to server A through nova.
        3. Attach it to server B through nova: 400 "volume <id> is
           already attached to instances: <A>" (nova
           _check_volume_already_attached, before cinder is asked).
        4. A alone holds the volume on both services (same attachment,
           in-use); nova lists no volume on B.
        """
        volume, (server_a, server_b) = self.create_held_plain_volume()
        self.assertAttachRefused(
            base.PLAIN_VOLUME_HELD % volume['id'] + server_a['id'],
            server_b['id'], volume['id'], holder_ids=[server_a['id']])


class PlainVolumeReserveNegativeTest(PlainVolumeBaseTest):
    """Cinder's attachments API reserves an in-use plain volume for no one."""

    volume_min_microversion = '3.27'

    @decorators.attr(type='negative')
    @decorators.idempotent_id('cb7ac3a8-a799-4323-867e-a7ca994fd3af')
    @unstable.services('compute', 'volume')
    def test_reserve_of_in_use_plain_volume_refused(self):
        """Creating an attachment of an in-use plain volume is a 400.

        Steps:
        1. Create a volume of the plain type (multiattach false) and
           attach it to server A through nova: in-use.
        2. Through cinder's attachments API (3.27), create an attachment
           of it for another instance, without a connector: 400 "Volume
           <id> status must be available or downloading to reserve, but
           the current status is in-use." (cinder _attachment_reserve).
        3. A alone holds the volume on both services; the attachments API
           lists nothing for the other instance, not even a reserved
           record.
        """
        volume, (server_a,) = self.create_held_plain_volume(server_count=1)
        other_instance = data_utils.rand_uuid()
        self.expect_no_attachment_for(volume['id'], other_instance)
        self.assertRefused(
            lib_exc.BadRequest, PLAIN_RESERVE_REFUSED % volume['id'],
            self.attachments_client.create_attachment, volume['id'],
            instance_id=other_instance)
        self.assertHeldBy(volume['id'], [server_a['id']])
