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

"""Guests a scenario class's tests share.

The scenario base requests them in resource_setup without waiting; the
first test to take a guest waits until it is SSH-able (from its request),
later tests log in again; a guest a test left changed is replaced for the
class; the class's cleanups delete the servers, wait for each, and only
then delete their validation resources (a security group in use cannot
go); with the class's placement, each server is ACTIVE before the next is
requested with its hint. Here on recorders of the requests, without a
cloud: what a real nova does with the hints is the multi-host scenario
tests' to show.
"""

import fixtures
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.tests.scenario import manager
from mattach_tempest.unit import base
from mattach_tempest.unit import test_class_servers as recorders


def probe_class(log, placement=None, shown=None, listings=None):
    """A scenario class on recorders; its class cleanups its own."""
    servers_client = recorders.FakeServersClient(log, shown)

    class Probe(recorders.recording_class(log, listings),
                manager.MultiattachScenarioTest):
        os_primary = 'primary'

        def wait_for_guest(self, server, validation_resources, started):
            log.append(('ssh', server['id'], validation_resources['id'],
                        started))
            return server, 'guest of %s' % server['id']

        def guest_of(self, server, validation_resources):
            log.append(('login', server['id'], validation_resources['id']))
            return 'guest of %s' % server['id']

        def server_host_id(self, server_id):
            return 'host-of-%s' % server_id

        def runTest(self):
            """Unused: an instance for the instance methods."""

    Probe.placement = placement
    Probe.servers_client = servers_client
    Probe._class_guests = []
    return Probe


def taken(probe_class_, count=None):
    test = probe_class_('runTest')
    test.guest_servers = []
    return test.class_guests(count)


class ClassGuestsTestCase(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.log = []
        self.created = 0
        self.resources = 0
        self.clock = 100.0

        def create_validation_resources(clients, **params):
            self.resources += 1
            self.log.append(('resources', self.resources,
                             params['keypair'], params['floating_ip']))
            return {'id': 'res-%d' % self.resources}

        def clear_validation_resources(clients, use_neutron=True, **res):
            self.log.append(('clear', res['id']))

        def create_test_server(clients, tenant_network=None,
                               wait_until=None, **kwargs):
            self.created += 1
            server_id = 'server-%d' % self.created
            self.log.append(('create', server_id, wait_until,
                             kwargs['validation_resources']['id'],
                             kwargs.get('scheduler_hints')))
            return {'id': server_id}, [{'id': server_id}]

        def wait_for_server_status(client, server_id, status, **kwargs):
            self.log.append(('wait', server_id, status))

        def wait_for_server_termination(client, server_id, **kwargs):
            self.log.append(('gone', server_id))

        def monotonic():
            self.clock += 1
            return self.clock

        for target, name, fake in (
                (manager.validation_resources, 'create_validation_resources',
                 create_validation_resources),
                (manager.validation_resources, 'clear_validation_resources',
                 clear_validation_resources),
                (unstable, 'create_test_server', create_test_server),
                (unstable, 'wait_for_server_status', wait_for_server_status),
                (unstable, 'wait_for_server_termination',
                 wait_for_server_termination),
                (manager.time, 'monotonic', monotonic)):
            self.useFixture(fixtures.MockPatchObject(target, name, fake))
        self.set_conf('validation', auth_method='keypair',
                      connect_method='fixed')


class RequestClassGuestsTest(ClassGuestsTestCase):

    def test_all_requested_without_waiting_resources_cleared_last(self):
        probe = probe_class(self.log)
        entries = probe.request_class_guests(2)
        self.assertEqual(
            [('resources', 1, True, False),
             ('class cleanup', 'clear_validation_resources'),
             ('resources', 2, True, False),
             ('class cleanup', 'clear_validation_resources'),
             ('class cleanup', 'delete_servers'),
             ('create', 'server-1', None, 'res-1', None),
             ('create', 'server-2', None, 'res-2', None)], self.log)
        self.assertEqual([101.0, 102.0], [e['requested'] for e in entries])
        self.assertFalse(any(e['ready'] for e in entries))
        del self.log[:]
        recorders.run_class_cleanups(probe)
        # Every server deleted before any wait; the resources after all.
        self.assertEqual([('delete', 'server-1'), ('delete', 'server-2'),
                          ('gone', 'server-1'), ('gone', 'server-2'),
                          ('clear', 'res-2'), ('clear', 'res-1')], self.log)

    def test_a_floating_ip_each_when_guests_are_reached_so(self):
        self.set_conf('validation', connect_method='floating')
        probe_class(self.log).request_class_guests(2)
        self.assertEqual([('resources', 1, True, True),
                          ('resources', 2, True, True)],
                         [e for e in self.log if e[0] == 'resources'])

    def test_placed_each_active_before_the_next_with_its_hint(self):
        self.set_conf('compute', min_compute_nodes=2)
        probe_class(self.log, placement='different').request_class_guests(3)
        self.assertEqual(
            [('create', 'server-1', None, 'res-1', None),
             ('wait', 'server-1', 'ACTIVE'),
             ('create', 'server-2', None, 'res-2',
              {'different_host': ['server-1']}),
             ('wait', 'server-2', 'ACTIVE'),
             # The cloud has no third host: no hint.
             ('create', 'server-3', None, 'res-3', None),
             ('wait', 'server-3', 'ACTIVE')],
            [e for e in self.log if e[0] in ('create', 'wait')])

    def test_same_host_names_the_first(self):
        probe_class(self.log, placement='same').request_class_guests(2)
        self.assertEqual(
            [None, {'same_host': ['server-1']}],
            [e[4] for e in self.log if e[0] == 'create'])


class TakeClassGuestsTest(ClassGuestsTestCase):

    def setUp(self):
        super().setUp()
        self.probe = probe_class(self.log)
        self.probe._class_guests.extend(self.probe.request_class_guests(3))
        del self.log[:]

    def test_the_first_test_waits_from_the_request_later_ones_log_in(self):
        guests = taken(self.probe, 2)
        self.assertEqual([('server-1', 'guest of server-1'),
                          ('server-2', 'guest of server-2')],
                         [(s['id'], g) for s, g in guests])
        self.assertEqual([('ssh', 'server-1', 'res-1', 101.0),
                          ('ssh', 'server-2', 'res-2', 102.0)], self.log)
        del self.log[:]
        guests = taken(self.probe)
        self.assertEqual(['server-1', 'server-2', 'server-3'],
                         [s['id'] for s, _g in guests])
        self.assertEqual([('login', 'server-1', 'res-1'),
                          ('login', 'server-2', 'res-2'),
                          ('ssh', 'server-3', 'res-3', 103.0)], self.log)

    def test_a_guest_left_holding_a_volume_is_replaced_for_the_class(self):
        taken(self.probe)
        self.probe.volume_attachments_client.listings['server-2'] = [
            'vol-left']
        del self.log[:]
        guests = taken(self.probe, 2)
        self.assertEqual(['server-1', 'server-4'],
                         [s['id'] for s, _g in guests])
        self.assertIn(('create', 'server-4', None, 'res-4', None), self.log)
        self.assertIn(('ssh', 'server-4', 'res-4', 104.0), self.log)
        self.assertEqual(['server-1', 'server-4', 'server-3'],
                         [e['server']['id']
                          for e in self.probe._class_guests])

    def test_a_guest_gone_is_replaced(self):
        taken(self.probe, 1)

        def gone(server_id):
            raise lib_exc.NotFound()
        self.useFixture(fixtures.MockPatchObject(
            self.probe.servers_client, 'show_server', gone))
        self.assertEqual(['server-4'],
                         [s['id'] for s, _g in taken(self.probe, 1)])

    def test_a_guest_never_ssh_able_is_deleted_and_replaced(self):
        def no_sshd(test, server, validation_resources, started):
            raise lib_exc.TimeoutException('sshd of %s' % server['id'])
        with fixtures.MockPatchObject(self.probe, 'wait_for_guest', no_sshd):
            self.assertRaises(lib_exc.TimeoutException,
                              taken, self.probe, 2)
        del self.log[:]
        # The class's next test: a new guest at once, the dead one deleted
        # (not waited for again), the one never taken left as it was.
        guests = taken(self.probe, 2)
        self.assertEqual(['server-4', 'server-2'],
                         [s['id'] for s, _g in guests])
        self.assertEqual(('delete', 'server-1'), self.log[0])
        self.assertIn(('create', 'server-4', None, 'res-4', None), self.log)
        self.assertNotIn(('ssh', 'server-1', 'res-1', 101.0), self.log)
        self.assertEqual(['server-4', 'server-2', 'server-3'],
                         [e['server']['id']
                          for e in self.probe._class_guests])

    def test_a_guest_not_yet_taken_is_not_checked(self):
        self.probe.servers_client.shown['server-1'] = {'status': 'BUILD'}
        self.assertEqual(['server-1'],
                         [s['id'] for s, _g in taken(self.probe, 1)])


class PlacedClassGuestsTest(ClassGuestsTestCase):

    def test_the_hosts_are_asserted(self):
        probe = probe_class(self.log, placement='same')
        probe._class_guests.extend(probe.request_class_guests(2))
        # server_host_id: every server on a host of its own.
        self.assertRaisesRegex(AssertionError, 'on different hosts',
                               taken, probe)

    def test_hosts_as_placed_pass(self):
        probe = probe_class(self.log, placement='different')
        probe._class_guests.extend(probe.request_class_guests(2))
        self.assertEqual(2, len(taken(probe)))
