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

"""Holders of one multiattach volume on named hosts (admin's view).

compute/test_multiattach_hosts.py checks the placement of the holders by
their hostId, all a user sees; here an admin reads the host each server is
on by name (OS-EXT-SRV-ATTR:host), which nova shows to admins only.
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class MultiattachAdminDifferentHostsTest(base.MultiattachAdminBaseTest):
    """Servers on two named hosts share a volume."""

    placement = 'different'

    @decorators.idempotent_id('87a4555a-2509-4d7f-bd87-e84074394d14')
    @unstable.services('compute', 'volume')
    def test_holders_on_different_named_hosts(self):
        """A volume held from two hosts, by host name; each detach.

        Steps:
        1. Boot server A, then server B with the scheduler hint
           different_host naming A: as admin, their OS-EXT-SRV-ATTR:host
           differ.
        2. Attach one multiattach volume to A, then to B; detach A, then
           B: after each step exactly the servers attached hold it on both
           services, under unchanged attachment ids, and nothing holds it
           after the last detach.
        """
        volume, servers, attachments = self.create_shared_volume(
            placement=self.placement, host_of=self.server_host)
        self.assertDetachedOneByOne(volume, servers, attachments)


class MultiattachAdminSameHostTest(base.MultiattachAdminBaseTest):
    """Servers on one named host share a volume."""

    placement = 'same'

    @decorators.idempotent_id('1f248960-e848-45bc-afd0-709b9dde0c6e')
    @unstable.services('compute', 'volume')
    def test_holders_on_same_named_host(self):
        """A volume held twice from one host, by host name; each detach.

        Steps:
        1. Boot server A, then server B with the scheduler hint same_host
           naming A: as admin, their OS-EXT-SRV-ATTR:host are equal.
        2. Attach one multiattach volume to A, then to B; detach A, then
           B: after each step exactly the servers attached hold it on both
           services, under unchanged attachment ids, and nothing holds it
           after the last detach.
        """
        volume, servers, attachments = self.create_shared_volume(
            placement=self.placement, host_of=self.server_host)
        self.assertDetachedOneByOne(volume, servers, attachments)
