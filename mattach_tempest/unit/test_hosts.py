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

"""Servers placed on different hosts or on one host, and the skips.

create_servers_on_hosts sends the scheduler hints, assertPlacement reads
the hosts back, skips.unless_placement decides from the configuration
alone; all three here without a cloud.
"""

import importlib

import testtools

from mattach_tempest.tests.api import base as api_base
from mattach_tempest.tests import skips
from mattach_tempest.unit import base
from mattach_tempest.unit import test_microversions

API = 'mattach_tempest.tests.api.'
BASE = api_base.MultiattachBaseTest


class HostsProbe(object):
    """The base's host helpers on a recorder of server create requests."""

    create_servers_on_hosts = BASE.create_servers_on_hosts
    placement_spread = staticmethod(BASE.placement_spread)
    placement_hints = staticmethod(BASE.placement_hints)
    assertPlacement = BASE.assertPlacement

    def __init__(self, test, hosts=None):
        self.requests = []
        self.hosts = hosts or {}
        for name in ('assertEqual', 'assertTrue'):
            setattr(self, name, getattr(test, name))

    def create_server(self, **kwargs):
        self.requests.append(kwargs)
        return {'id': 'server-%d' % len(self.requests)}

    def server_host_id(self, server_id):
        return self.hosts[server_id]


def hints(probe):
    return [request.get('scheduler_hints') for request in probe.requests]


class CreateServersOnHostsTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2)

    def test_different_names_every_server_before(self):
        self.set_conf('compute', min_compute_nodes=3)
        probe = HostsProbe(self)
        servers = probe.create_servers_on_hosts(3, 'different', name='x')
        self.assertEqual(['server-1', 'server-2', 'server-3'],
                         [s['id'] for s in servers])
        self.assertEqual(
            [None, {'different_host': ['server-1']},
             {'different_host': ['server-1', 'server-2']}], hints(probe))
        self.assertEqual(['x'] * 3, [r['name'] for r in probe.requests])

    def test_different_beyond_min_compute_nodes_goes_unhinted(self):
        probe = HostsProbe(self)
        probe.create_servers_on_hosts(3, 'different')
        self.assertEqual([None, {'different_host': ['server-1']}, None],
                         hints(probe))

    def test_same_names_the_first(self):
        probe = HostsProbe(self)
        probe.create_servers_on_hosts(3, 'same')
        self.assertEqual(
            [None, {'same_host': ['server-1']}, {'same_host': ['server-1']}],
            hints(probe))


class AssertPlacementTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2)

    def check(self, placement, *hosts):
        servers = [{'id': 'server-%d' % i} for i in range(len(hosts))]
        probe = HostsProbe(self, {s['id']: h for s, h in zip(servers, hosts)})
        return probe.assertPlacement(servers, placement)

    def test_different_hosts(self):
        self.assertEqual(['h1', 'h2'], self.check('different', 'h1', 'h2'))

    def test_different_servers_on_one_host_fail(self):
        exc = self.assertRaises(AssertionError, self.check,
                                'different', 'h1', 'h1')
        self.assertIn('booted with the different_host hint share a host',
                      str(exc))

    def test_a_third_server_beyond_two_hosts_may_share_one(self):
        self.check('different', 'h1', 'h2', 'h1')

    def test_same_host(self):
        self.check('same', 'h1', 'h1', 'h1')

    def test_same_servers_on_two_hosts_fail(self):
        exc = self.assertRaises(AssertionError, self.check,
                                'same', 'h1', 'h1', 'h2')
        self.assertIn('booted with the same_host hint are on different '
                      'hosts', str(exc))

    def test_a_server_on_no_host_fails(self):
        # hostId is empty, an admin's host None, while on no host: two
        # such servers must not pass for servers on one host.
        for nowhere in ('', None):
            exc = self.assertRaises(AssertionError,
                                    self.check, 'same', nowhere, nowhere)
            self.assertIn('are not all on a host', str(exc))


class PlacementSkipTest(test_microversions.SkipChecksTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2)
        self.set_conf('compute-feature-enabled', scheduler_enabled_filters=[
            'ComputeFilter', 'SameHostFilter', 'DifferentHostFilter'])

    def reason(self, placement):
        exc = self.assertRaises(testtools.TestCase.skipException,
                                skips.unless_placement,
                                testtools.TestCase, placement)
        return str(exc)

    def test_runs_with_two_hosts_and_both_filters(self):
        for placement in ('different', 'same'):
            skips.unless_placement(testtools.TestCase, placement)

    def test_all_filters_enabled(self):
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['all'])
        skips.unless_placement(testtools.TestCase, 'different')

    def test_different_hosts_need_two_compute_nodes(self):
        self.set_conf('compute', min_compute_nodes=1)
        self.assertEqual('Servers on different hosts need two compute '
                         'hosts: [compute] min_compute_nodes = 1',
                         self.reason('different'))
        # One host is enough for servers on the same host.
        skips.unless_placement(testtools.TestCase, 'same')

    def test_hint_needs_its_filter(self):
        self.set_conf('compute-feature-enabled',
                      scheduler_enabled_filters=['ComputeFilter'])
        self.assertEqual(
            'The scheduler does not honour the different_host hint: '
            'DifferentHostFilter is not in [compute-feature-enabled] '
            'scheduler_enabled_filters', self.reason('different'))
        self.assertEqual(
            'The scheduler does not honour the same_host hint: '
            'SameHostFilter is not in [compute-feature-enabled] '
            'scheduler_enabled_filters', self.reason('same'))

    def test_the_test_classes_skip_by_placement(self):
        self.set_conf('compute', min_compute_nodes=1)
        for module, name, skipped in (
                ('compute.test_multiattach_hosts',
                 'MultiattachDifferentHostsTest', True),
                ('compute.test_multiattach_hosts',
                 'MultiattachSameHostTest', False),
                ('compute.test_multiattach_parallel_delete',
                 'MultiattachParallelDeleteDifferentHostsTest', True),
                ('compute.test_multiattach_parallel_delete',
                 'MultiattachParallelDeleteSameHostTest', False),
                ('admin.test_multiattach_hosts',
                 'MultiattachAdminDifferentHostsTest', True),
                ('admin.test_multiattach_hosts',
                 'MultiattachAdminSameHostTest', False)):
            cls = getattr(importlib.import_module(API + module), name)
            if skipped:
                self.assertSkips(cls, 'min_compute_nodes = 1')
            else:
                self.assertRuns(cls)
