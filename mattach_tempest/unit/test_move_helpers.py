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

"""The helpers the tests moving a holder between hosts assert with.

assertHeldBy(..., on_hosts=True) compares the host cinder connected each
attachment on with the host nova runs the server on (the check itself,
_assertConnectedOnServerHosts, here); assertMovedHolderReattaches
detaches a holder and attaches it again, asserting the others untouched.
Both here on recorders, without a cloud.
"""

import testtools

from mattach_tempest.tests.api import base as api_base
from mattach_tempest.tests import nova_attach
from mattach_tempest.unit import base


class FakeAdminVolumes(object):

    def __init__(self, host_names):
        self.host_names = host_names

    def show_volume(self, volume_id):
        return {'volume': {'id': volume_id, 'attachments': [
            {'server_id': server_id, 'host_name': host}
            for server_id, host in self.host_names.items()]}}


class HostsOfAttachmentsProbe(object):

    assertConnectedOnServerHosts = (
        nova_attach.NovaAttachMixin._assertConnectedOnServerHosts)

    def __init__(self, test, nova_hosts, cinder_hosts):
        self.assertEqual = test.assertEqual
        self.nova_hosts = nova_hosts
        self.admin_volumes_client = FakeAdminVolumes(cinder_hosts)

    def server_host(self, server_id):
        return self.nova_hosts[server_id]


class ConnectedOnServerHostsTest(base.TestCase):

    def test_each_attachment_on_its_servers_host(self):
        HostsOfAttachmentsProbe(
            self, {'a': 'compute2', 'b': 'compute2'},
            {'a': 'compute2', 'b': 'compute2'}).assertConnectedOnServerHosts(
                'vol', ['a', 'b'])

    def test_attachment_left_on_the_host_the_server_left(self):
        probe = HostsOfAttachmentsProbe(
            self, {'a': 'compute2', 'b': 'compute2'},
            {'a': 'compute1', 'b': 'compute2'})
        exc = self.assertRaises(testtools.matchers.MismatchError,
                                probe.assertConnectedOnServerHosts, 'vol',
                                ['a', 'b'])
        self.assertIn('The hosts cinder connected the attachments of volume '
                      'vol on', str(exc))


class ReattachProbe(object):
    """Records the detach and attach; answers the holders it is told."""

    assertMovedHolderReattaches = (
        api_base.MultiattachBaseTest.assertMovedHolderReattaches)

    def __init__(self, test, after_attach):
        self.assertEqual = test.assertEqual
        self.after_attach = after_attach
        self.calls = []

    def detach_volume(self, server, volume):
        self.calls.append(('detach', server['id']))

    def attach_volume(self, server, volume):
        self.calls.append(('attach', server['id']))

    def assertHeldBy(self, volume_id, holders, former_holders=()):
        if isinstance(holders, dict):
            self.calls.append(('held', holders, former_holders))
        else:
            self.calls.append(('held by', sorted(holders)))
        return self.after_attach


class AssertMovedHolderReattachesTest(base.TestCase):

    def test_detach_then_attach_the_moved_holder(self):
        probe = ReattachProbe(self, {'a': 'att-3', 'b': 'att-2'})
        held = probe.assertMovedHolderReattaches(
            {'id': 'vol'}, {'id': 'a'}, {'a': 'att-1', 'b': 'att-2'})
        self.assertEqual({'a': 'att-3', 'b': 'att-2'}, held)
        self.assertEqual([('detach', 'a'), ('held', {'b': 'att-2'}, ['a']),
                          ('attach', 'a'), ('held by', ['a', 'b'])],
                         probe.calls)

    def test_the_others_attachment_changed_by_the_attach(self):
        probe = ReattachProbe(self, {'a': 'att-3', 'b': 'att-9'})
        exc = self.assertRaises(
            testtools.matchers.MismatchError,
            probe.assertMovedHolderReattaches, {'id': 'vol'}, {'id': 'a'},
            {'a': 'att-1', 'b': 'att-2'})
        self.assertIn("Attaching server a again changed the other holders' "
                      "attachments of volume vol", str(exc))
