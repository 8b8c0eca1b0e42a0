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

"""Placing servers on different hosts or on one; waiting for a move."""

from tempest.lib import exceptions as lib_exc
import testtools

from mattach_tempest.tests import nova_attach
from mattach_tempest.tests.scenario import manager as scenario_manager
from mattach_tempest.unit import base

A, B, C = ({'id': 'a'}, {'id': 'b'}, {'id': 'c'})


class PlacementHintsTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2)
        self.hints = nova_attach.NovaAttachMixin.placement_hints

    def test_first_server_gets_no_hint(self):
        self.assertEqual({}, self.hints('different', []))
        self.assertEqual({}, self.hints('same', []))

    def test_different_names_every_server_before_while_hosts_are_left(self):
        self.assertEqual({'scheduler_hints': {'different_host': ['a']}},
                         self.hints('different', [A]))
        # Two hosts, both taken: a third server goes anywhere.
        self.assertEqual({}, self.hints('different', [A, B]))
        self.set_conf('compute', min_compute_nodes=3)
        self.assertEqual(
            {'scheduler_hints': {'different_host': ['a', 'b']}},
            self.hints('different', [A, B]))

    def test_same_names_the_first_server(self):
        self.assertEqual({'scheduler_hints': {'same_host': ['a']}},
                         self.hints('same', [A, B, C]))

    def test_spread(self):
        spread = nova_attach.NovaAttachMixin.placement_spread
        self.assertEqual((1, 2, 2), (spread(3, 'same'),
                                     spread(3, 'different'),
                                     spread(2, 'different')))


class FakeServersClient(object):
    """show_server answers from a script per server (the last repeats)."""

    build_timeout = 1
    build_interval = 0

    def __init__(self, shows):
        self.shows = shows
        self.calls = {}

    def show_server(self, server_id):
        count = self.calls.get(server_id, 0)
        self.calls[server_id] = count + 1
        answers = self.shows[server_id]
        answer = dict({'status': 'ACTIVE'},
                      **answers[min(count, len(answers) - 1)])
        return {'server': dict(answer, id=server_id)}

    def list_instance_actions(self, server_id):
        return {'instanceActions': []}


class ScenarioProbe(nova_attach.NovaAttachMixin, testtools.TestCase):
    """The scenario bases' host helpers on fake clients."""

    create_guests_on_hosts = scenario_manager.MultiattachScenarioTest.\
        create_guests_on_hosts
    wait_for_server_moved = scenario_manager.MultiattachAdminScenarioTest.\
        wait_for_server_moved

    def __init__(self, shows):
        super().__init__('run')
        self.servers_client = FakeServersClient(shows)
        self.admin_servers_client = self.servers_client
        self.created = []
        self.awaited = []

    def run(self):
        pass

    def request_guest(self, **kwargs):
        server = {'id': 's%d' % len(self.created)}
        self.created.append(kwargs)
        return server, 'validation resources', 0.0

    def wait_for_guest(self, server, validation_resources, started):
        self.awaited.append(server['id'])
        return server, 'guest-%s' % server['id']


class ScenarioHostHelpersTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2, build_timeout=1,
                      build_interval=0)

    def test_guests_on_different_hosts(self):
        probe = ScenarioProbe({'s0': [{'hostId': 'h1'}],
                               's1': [{'hostId': 'h2'}]})
        guests = probe.create_guests_on_hosts(2, 'different')
        self.assertEqual(['guest-s0', 'guest-s1'], [g for _s, g in guests])
        # Each was ACTIVE before the next request; then both were waited
        # for until SSH-able, in boot order.
        self.assertEqual(['s0', 's1'], probe.awaited)
        self.assertEqual({'s0': 2, 's1': 2}, probe.servers_client.calls)
        self.assertEqual(
            [{}, {'scheduler_hints': {'different_host': ['s0']}}],
            probe.created)

    def test_guests_sharing_a_host_against_the_hint_fail(self):
        probe = ScenarioProbe({'s0': [{'hostId': 'h1'}],
                               's1': [{'hostId': 'h1'}]})
        exc = self.assertRaises(AssertionError, probe.create_guests_on_hosts,
                                2, 'different')
        self.assertIn("booted with the different_host hint share a host: "
                      "['h1', 'h1']", str(exc))

    def test_first_guest_gets_its_own_arguments(self):
        probe = ScenarioProbe({'s0': [{'hostId': 'h1'}],
                               's1': [{'hostId': 'h2'}]})
        probe.create_guests_on_hosts(2, 'different',
                                     first_kwargs={'volume_backed': True})
        self.assertEqual(
            [{'volume_backed': True},
             {'scheduler_hints': {'different_host': ['s0']}}],
            probe.created)

    def test_guests_on_one_host(self):
        probe = ScenarioProbe({'s0': [{'hostId': 'h1'}],
                               's1': [{'hostId': 'h1'}]})
        probe.create_guests_on_hosts(2, 'same')
        self.assertEqual([{}, {'scheduler_hints': {'same_host': ['s0']}}],
                         probe.created)

    def test_moved_once_off_the_host_with_no_task(self):
        probe = ScenarioProbe({'m': [
            server('MIGRATING', 'migrating', 'compute1'),
            server('MIGRATING', 'migrating', 'compute2'),
            server('ACTIVE', None, 'compute2')]})
        self.assertEqual('compute2', probe.wait_for_server_moved(
            'm', 'compute1', 'live migration'))
        self.assertEqual(3, probe.servers_client.calls['m'])

    def test_move_into_error_fails_at_once(self):
        probe = ScenarioProbe({'m': [server('ERROR', None, 'compute1')]})
        exc = self.assertRaises(AssertionError, probe.wait_for_server_moved,
                                'm', 'compute1', 'cold migration')
        self.assertIn('cold migration of server m failed: status ERROR',
                      str(exc))

    def test_move_never_done_times_out_naming_it(self):
        probe = ScenarioProbe({'m': [server('ACTIVE', None, 'compute1')]})
        exc = self.assertRaises(lib_exc.TimeoutException,
                                probe.wait_for_server_moved, 'm', 'compute1',
                                'live migration')
        self.assertIn('the live migration of server m off host compute1',
                      str(exc))


def server(status, task_state, host):
    return {'status': status, 'OS-EXT-STS:task_state': task_state,
            'OS-EXT-SRV-ATTR:host': host}
