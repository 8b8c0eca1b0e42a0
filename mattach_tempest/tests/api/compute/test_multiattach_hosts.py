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

"""Holders of one multiattach volume on different hosts and on one host.

A cloud running multiattach has many compute hosts, and whether two
holders of a volume are on one host or on two decides what each host
connects and disconnects: the defects that hurt multiattach in production
were host-level (a detach tearing down the connection another holder on
the same host still used). These tests place the holders with scheduler
hints (different_host, same_host) and check the placement by what a user
sees of it: the servers' hostId, equal for a project's servers on one
host. admin/test_multiattach_hosts.py checks the same by host name.
"""

from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base


class MultiattachDifferentHostsTest(base.MultiattachBaseTest):
    """Servers on two hosts share a volume."""

    placement = 'different'

    @decorators.idempotent_id('b68b7133-7a80-4d56-b715-4f2d68807c26')
    @unstable.services('compute', 'volume')
    def test_holders_on_different_hosts(self):
        """A volume held from two hosts; detaching one leaves the other.

        Steps:
        1. Boot server A, then B with the scheduler hint different_host
           naming A: their hostIds differ.
        2. Attach one multiattach volume to A, then to B; detach A, then
           B: after each step exactly the servers attached hold it on both
           services, under unchanged attachment ids, and nothing holds it
           after the last detach.
        """
        volume, servers, attachments = self.create_shared_volume(
            placement=self.placement)
        self.assertDetachedOneByOne(volume, servers, attachments)


class MultiattachSameHostTest(base.MultiattachBaseTest):
    """Servers on one host share a volume."""

    placement = 'same'

    @decorators.idempotent_id('3d678c51-b66b-4c57-87ab-e6c264629b32')
    @unstable.services('compute', 'volume')
    def test_holders_on_same_host(self):
        """A volume held twice from one host; detaching one leaves the other.

        On one host both attachments go through the host's one connection
        to the volume: the first detach must leave it to the other holder.

        Steps:
        1. Boot server A, then B with the scheduler hint same_host naming
           A: their hostIds are equal.
        2. Attach one multiattach volume to A, then to B; detach A, then
           B: after each step exactly the servers attached hold it on both
           services, under unchanged attachment ids, and nothing holds it
           after the last detach.
        """
        volume, servers, attachments = self.create_shared_volume(
            placement=self.placement)
        self.assertDetachedOneByOne(volume, servers, attachments)
