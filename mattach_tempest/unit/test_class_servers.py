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

"""Servers booted together, and servers a class's tests share.

The API base requests every server of a batch before waiting for any,
registers their delete before the first request, deletes them all before
waiting for any to go; a class's shared servers are deleted at class
cleanup, and the volumes its tests left after them; a shared server a test
left changed is replaced. Here on recorders of the requests, without a
cloud.
"""

import logging

import fixtures
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import timing
from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base as api_base
from mattach_tempest.unit import base


class FakeServersClient(object):
    """Nova's servers as the base sees them; every call into `log`.

    :param shown: {server_id: the server show answers}; ACTIVE, no task
        for the others.
    """

    def __init__(self, log, shown=None):
        self.log = log
        self.shown = shown or {}

    def show_server(self, server_id):
        return {'server': self.shown.get(server_id, {'status': 'ACTIVE'})}

    def delete_server(self, server_id):
        self.log.append(('delete', server_id))


class FakeVolumeAttachmentsClient(object):
    """Nova's volume list per server: {server_id: [volume ids]}."""

    def __init__(self, listings=None):
        self.listings = listings or {}

    def list_volume_attachments(self, server_id, microversion):
        return {'volumeAttachments': [
            {'volumeId': volume_id}
            for volume_id in self.listings.get(server_id, [])]}


class FakeVolumesClient(object):
    """Cinder, where every volume is gone already."""

    def __init__(self, log):
        self.log = log

    def show_volume(self, volume_id):
        self.log.append(('show volume', volume_id))
        raise lib_exc.NotFound()


class FakeClients(object):

    def __init__(self, servers_client):
        self.servers_client = servers_client


def recording_class(log, listings=None):
    """A mixin for a probe test class: no network, class cleanups kept.

    Each class cleanup registered is logged; they are the class's own
    (run_class_cleanups runs them).
    """

    class Recording(object):
        volume_attachments_client = FakeVolumeAttachmentsClient(listings)
        compute_request_microversion = '2.60'
        _class_cleanups = []

        @classmethod
        def get_tenant_network(cls, credentials_type='primary'):
            # A cloud whose [compute] fixed_network_name names a network.
            return {'id': 'fixed-network'}

        @classmethod
        def addClassResourceCleanup(cls, fn, *arguments, **kwargs):
            log.append(('class cleanup', fn.__name__))
            super().addClassResourceCleanup(fn, *arguments, **kwargs)
    return Recording


def probe_class(log, shown=None, listings=None):
    """A test class of the API base on recorders, its own cleanups."""
    servers_client = FakeServersClient(log, shown)

    class Probe(recording_class(log, listings), api_base.MultiattachBaseTest):
        os_primary = FakeClients(servers_client)
        volumes_client = FakeVolumesClient(log)

        def addCleanup(self, fn, *arguments, **kwargs):
            log.append(('cleanup', fn.__name__))
            super().addCleanup(fn, *arguments, **kwargs)

        def runTest(self):
            """Unused: an instance for the instance methods."""

    Probe.servers_client = servers_client
    return Probe


def run_class_cleanups(probe):
    """Last in, first out, as tempest's resource_cleanup runs them."""
    while probe._class_cleanups:
        fn, arguments, kwargs = probe._class_cleanups.pop()
        fn(*arguments, **kwargs)


class ServersTestCase(base.ConfiguredTestCase):
    """Server creates, waits and termination waits recorded in `log`."""

    def setUp(self):
        super().setUp()
        self.log = []
        self.created = 0
        self.tenant_networks = []

        def create_test_server(clients, tenant_network=None,
                               wait_until=None, **kwargs):
            self.created += 1
            self.tenant_networks.append(tenant_network)
            server_id = 'server-%d' % self.created
            self.log.append(('create', server_id, wait_until,
                             kwargs.get('networks')))
            return {'id': server_id}, [{'id': server_id}]

        def wait_for_server_status(client, server_id, status, **kwargs):
            self.log.append(('wait', server_id, status))

        def wait_for_server_termination(client, server_id, **kwargs):
            self.log.append(('gone', server_id))

        self.useFixture(fixtures.MockPatchObject(
            api_base.unstable, 'create_test_server', create_test_server))
        self.useFixture(fixtures.MockPatchObject(
            unstable, 'wait_for_server_status', wait_for_server_status))
        self.useFixture(fixtures.MockPatchObject(
            unstable, 'wait_for_server_termination',
            wait_for_server_termination))


class TestServersTest(ServersTestCase):

    def test_create_server_registers_the_delete_before_the_request(self):
        probe = probe_class(self.log)('runTest')
        self.assertEqual('server-1', probe.create_server()['id'])
        self.assertEqual([('cleanup', 'delete_servers'),
                          ('create', 'server-1', 'ACTIVE', 'none')],
                         self.log)

    def test_servers_get_no_network_even_where_one_is_configured(self):
        # No API test reaches its servers; a port is most of a boot's work.
        probe = probe_class(self.log)('runTest')
        probe.create_server()
        probe.create_servers(2)
        self.assertEqual([None, None, None], self.tenant_networks)
        self.assertEqual(['none'] * 3,
                         [e[3] for e in self.log if e[0] == 'create'])

    def test_create_servers_requests_all_then_waits_for_all(self):
        probe = probe_class(self.log)('runTest')
        probe.create_servers(2)
        self.assertEqual([('cleanup', 'delete_servers'),
                          ('create', 'server-1', None, 'none'),
                          ('create', 'server-2', None, 'none'),
                          ('wait', 'server-1', 'ACTIVE'),
                          ('wait', 'server-2', 'ACTIVE')], self.log)

    def test_delete_servers_deletes_all_then_waits_for_each(self):
        probe = probe_class(self.log)
        probe.delete_servers(probe.servers_client, ['a', 'b'])
        self.assertEqual([('delete', 'a'), ('delete', 'b'),
                          ('gone', 'a'), ('gone', 'b')], self.log)


class ClassServersTest(ServersTestCase):

    def test_boot_and_cleanup_of_the_class(self):
        probe = probe_class(self.log)
        servers = probe.create_class_servers(2)
        self.assertEqual(['server-1', 'server-2'], [s['id'] for s in servers])
        self.assertEqual([('class cleanup', 'delete_volumes'),
                          ('class cleanup', 'delete_servers'),
                          ('create', 'server-1', None, 'none'),
                          ('create', 'server-2', None, 'none'),
                          ('wait', 'server-1', 'ACTIVE'),
                          ('wait', 'server-2', 'ACTIVE')], self.log)
        del self.log[:]
        probe._test_volume_ids.append('vol-1')
        run_class_cleanups(probe)
        # The servers first, all deleted before any wait; then the
        # volumes a test could not delete while a server held them.
        self.assertEqual([('delete', 'server-1'), ('delete', 'server-2'),
                          ('gone', 'server-1'), ('gone', 'server-2'),
                          ('show volume', 'vol-1')], self.log)

    def test_volumes_of_the_tests_are_recorded_for_the_class(self):
        probe = probe_class(self.log)
        self.assertIsNone(probe._test_volume_ids)
        probe.create_class_servers(1)
        self.assertEqual([], probe._test_volume_ids)

    def test_servers_as_left_are_handed_out(self):
        probe = probe_class(self.log)
        probe.create_class_servers(3)
        del self.log[:]
        self.assertEqual(['server-1', 'server-2'],
                         [s['id'] for s in probe('runTest').class_servers(2)])
        self.assertEqual(3, len(probe('runTest').class_servers()))
        self.assertEqual([], self.log)

    def test_a_server_left_changed_is_replaced_for_the_class(self):
        probe = probe_class(
            self.log, shown={'server-1': {'status': 'SHUTOFF'},
                             'server-3': {'status': 'ACTIVE',
                                          'OS-EXT-STS:task_state':
                                              'rebooting'}},
            listings={'server-2': ['vol-left']})
        probe.create_class_servers(4)
        del self.log[:]
        servers = probe('runTest').class_servers(3)
        self.assertEqual(['server-5', 'server-6', 'server-7'],
                         [s['id'] for s in servers])
        self.assertEqual([('class cleanup', 'delete_servers'),
                          ('create', 'server-5', None, 'none'),
                          ('create', 'server-6', None, 'none'),
                          ('create', 'server-7', None, 'none'),
                          ('wait', 'server-5', 'ACTIVE'),
                          ('wait', 'server-6', 'ACTIVE'),
                          ('wait', 'server-7', 'ACTIVE')], self.log)
        # The later tests get the new ones, and the fourth as it was.
        self.assertEqual(['server-5', 'server-6', 'server-7', 'server-4'],
                         [s['id'] for s in probe._class_servers])

    def test_a_server_gone_is_replaced(self):
        probe = probe_class(self.log)
        probe.create_class_servers(1)

        def gone(server_id):
            raise lib_exc.NotFound()
        self.useFixture(fixtures.MockPatchObject(
            probe.servers_client, 'show_server', gone))
        self.assertEqual(['server-2'],
                         [s['id'] for s in probe('runTest').class_servers()])


class ClassServersAreTimedTest(ServersTestCase):
    """The class's boots and deletes, one timing line each, for the class."""

    def test_boot_and_delete_lines_name_the_class(self):
        logged = self.useFixture(fixtures.FakeLogger(
            name=timing.__name__, level=logging.INFO))
        probe = probe_class(self.log)
        probe.create_class_servers(2)
        run_class_cleanups(probe)
        waits = [timing.parse_line(line)
                 for line in logged.output.splitlines()]
        self.assertEqual(
            [('boot', 'server-1'), ('boot', 'server-2'),
             ('delete', 'server-1'), ('delete', 'server-2')],
            [(wait['kind'], wait['server']) for wait in waits])
        self.assertEqual({timing.class_path(probe)},
                         {wait['class'] for wait in waits})
