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

"""A cinder backend with no storage that a multiattach volume type can use.

cinder.tests.fake_driver.FakeLoggingVolumeDriver logs calls instead of
touching storage, but reports neither `multiattach` nor a usable
reserved_percentage (100), so the scheduler finds no backend for a volume of
a multiattach type and the volume goes to `error`. Its image<->volume copies,
inherited from the LVM driver, run qemu-img/dd on LVM paths that do not exist:
stubbed out here (no guest ever reads the data; the fake virt driver has no
guests).
cinder.conf: volume_driver = minicloud_lib.cinder_fake.MultiattachFakeDriver
"""
from cinder.tests import fake_driver


class MultiattachFakeDriver(fake_driver.FakeLoggingVolumeDriver):

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The parent reports 'fake' whatever the configuration says: with
        # two backends of this driver the scheduler could not tell them
        # apart (volume_backend_name of a type, a migration's destination).
        self.backend_name = (
            self.configuration.safe_get('volume_backend_name') or 'fake')

    def _update_volume_stats(self):
        super()._update_volume_stats()
        for pool in self._stats['pools']:
            pool['multiattach'] = True
            pool['reserved_percentage'] = 0
            pool['thin_provisioning_support'] = True
            pool['max_over_subscription_ratio'] = 20.0

    def copy_image_to_volume(self, context, volume, image_service, image_id,
                             disable_sparse=False):
        pass

    def copy_image_to_encrypted_volume(self, context, volume, image_service,
                                       image_id, disable_sparse=False):
        pass

    def copy_volume_to_image(self, context, volume, image_service,
                             image_meta):
        pass
