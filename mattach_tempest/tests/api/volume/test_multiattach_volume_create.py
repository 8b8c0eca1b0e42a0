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

"""Creating multiattach volumes: the type decides, the body flag is gone.

Behaviour rule 6 (doc/source/behaviour.rst): a volume of a type with extra
spec multiattach="<is> True" is multiattach; the legacy body flag
``"multiattach": true`` is refused at every microversion (cinder bug
2008259).
"""

from tempest import config
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

CONF = config.CONF


class MultiattachVolumeCreateTest(base.MultiattachBaseTest):
    """A multiattach volume type gives multiattach volumes."""

    @decorators.idempotent_id('0f0b5a55-2f6c-4ad4-9d3c-1b3d3a58c0a1')
    @unstable.services('volume')
    def test_multiattach_type_gives_multiattach_volume(self):
        """A volume of the multiattach type reports multiattach: true.

        Steps:
        1. Create a volume of [volume] volume_type_multiattach.
        2. Show it: multiattach is true, its volume_type is that type and
           it is available with no attachments.
        """
        volume = self.create_multiattach_volume()
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertIs(True, shown['multiattach'])
        self.assertEqual(self.multiattach_type_name(), shown['volume_type'])
        self.assertEqual('available', shown['status'])
        self.assertEqual([], shown['attachments'])


class MultiattachVolumeCreateNegativeTest(base.MultiattachBaseTest):
    """The removed multiattach body flag is refused."""

    @decorators.attr(type='negative')
    @decorators.idempotent_id('5b6c9b0e-7a43-4e43-a0f4-3c4f0f7a2d1e')
    @unstable.services('volume')
    def test_multiattach_body_flag_refused(self):
        """Creating a volume with "multiattach": true in the body is a 400.

        Steps:
        1. Request a volume of the plain type with multiattach=true in the
           request body.
        2. Expect 400 naming the removed parameter.
        3. No volume of that name exists afterwards.
        """
        name = self.resource_name('flag')
        self.expect_no_volume_named(name)
        self.assertRefused(
            lib_exc.BadRequest, 'multiattach parameter has been removed',
            self.volumes_client.create_volume,
            size=CONF.volume.volume_size, name=name, multiattach=True)
        volumes = self.volumes_client.list_volumes(
            params={'name': name})['volumes']
        self.assertEqual([], volumes)
