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

"""The survivor scenario test's body, run on stand-in guests.

SurvivorIOBaseTest._survivor_io_across_a_detach as the scenario tests run
it, with the stand-ins in place of nova's servers: their attach and
detach, the holders each assertion expects recorded instead of asked of
nova and cinder. What it proves: the test's own wiring (which guest
survives, which leaves, what is asserted after each step); the
procedure's failure on a torn-down connection is test_guest_procedures'.
"""

import importlib

from mattach_tempest.common import procedures
from mattach_tempest.unit.standin import base


class SurvivorScenarioWiringTest(base.StandinTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('mattach', raw_region_kib=64)
        multihost = importlib.import_module(
            'mattach_tempest.tests.scenario.test_multiattach_multihost')
        self.body = multihost.SurvivorIOBaseTest._survivor_io_across_a_detach

    def probe(self, standins, placement, tear_down=False):
        test = self
        calls = []

        class Probe(object):
            survivor_io_across_a_detach = self.body

            def create_multiattach_volume(self):
                return {'id': standins.volume_id, 'size': 1}

            def class_guests(self, count):
                calls.append(('placed', count, placement))
                return [({'id': 'server-%d' % i}, standins.guest(i))
                        for i in range(count)]

            def attach_one_at_a_time(self, guests, volume):
                return [test.attach(standins, int(server['id'][-1]),
                                    guest=guest)
                        for server, guest in guests]

            def detach_and_forget(self, server, member, volume):
                index = int(server['id'][-1])
                procedures.detach_and_forget(
                    member, lambda: standins.detach(
                        index, tear_down_host_connection=tear_down))
                calls.append(('detached', server['id']))

            def assertHeldBy(self, volume_id, holders, former_holders=()):
                if isinstance(holders, dict):
                    calls.append(('held under', holders,
                                  list(former_holders)))
                    return holders
                calls.append(('held by', sorted(holders)))
                return {s: 'attachment-of-' + s for s in holders}

            def assertReleased(self, volume_id, former_holders=()):
                calls.append(('unattached', sorted(former_holders)))

            def assertGreaterEqual(self, first, second, message):
                test.assertGreaterEqual(first, second, message)

            @staticmethod
            def pattern_tag():
                return 'wiring'
        return Probe(), calls

    def test_the_other_holder_leaves_then_the_survivor(self):
        standins = self.standins(2)
        probe, calls = self.probe(standins, 'same')
        probe.survivor_io_across_a_detach()
        self.assertEqual(
            [('placed', 2, 'same'),
             ('held by', ['server-0', 'server-1']),
             ('detached', 'server-1'),
             ('held under', {'server-0': 'attachment-of-server-0'},
              ['server-1']),
             ('detached', 'server-0'),
             ('unattached', ['server-0', 'server-1'])], calls)

    def test_a_detach_tearing_down_the_survivor_fails_the_test(self):
        standins = self.standins(2)
        probe, calls = self.probe(standins, 'different', tear_down=True)
        exc = self.assertRaises(procedures.IOInterrupted,
                                probe.survivor_io_across_a_detach)
        self.assertIn('Guest standin-0: its I/O on /dev/vdb failed while '
                      'detaching standin-1', str(exc))
        self.assertNotIn(('detached', 'server-0'), calls)
