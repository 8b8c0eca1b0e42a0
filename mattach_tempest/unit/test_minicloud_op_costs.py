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

"""What the suite asked the cloud (api_calls) and the work it costs
(op_costs): counting tempest.log's request lines, the cost arithmetic.

Not covered: the measurement on a running cloud (`tools/minicloud
op-costs` does that; its REST calls are the cloud's own).
"""

import os

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (sys.path)
from minicloud_lib import api_calls  # noqa: I100 (minicloud_base: sys.path)
from minicloud_lib import op_costs

SERVER = '794a0370-fa98-4ae6-b528-2045d4275407'
VOLUME = '1e9a270f-3383-4505-942e-55b4d4fad22e'
PROJECT = 'fbcc70568313407abce35ad39aba923c'


def request(status, method, url, caller='MultiattachAttachTest:test_x'):
    return ('2026-12-01 23:11:36.080 10822 INFO tempest.lib.common.'
            'rest_client [req-1 req-1 ] Request (%s): %d %s %s 0.039s'
            % (caller, status, method, url))


def guest_wait(server=SERVER):
    return ('2026-12-01 23:19:30.931 10815 INFO mattach_tempest.common.'
            'timing [-] mattach-wait kind=boot-ssh class=x.Y server=%s '
            'seconds=47.952' % server)


NOVA = 'http://127.0.0.1:29174/v2.1'
CINDER = 'http://127.0.0.1:29176/v3/' + PROJECT


class TemplateTest(base.TestCase):

    def test_ids_become_placeholders_and_the_query_goes(self):
        self.assertEqual(
            '/v3/{project}/volumes/{id}',
            api_calls.template('%s/volumes/%s?x=1' % (CINDER, VOLUME)))
        self.assertEqual(
            '/v2.1/servers/{id}/os-volume_attachments/{id}',
            api_calls.template('%s/servers/%s/os-volume_attachments/%s'
                               % (NOVA, SERVER, VOLUME)))
        self.assertEqual('/v3/auth/tokens', api_calls.template(
            'http://127.0.0.1:29135/v3/auth/tokens'))


class CountTest(base.TestCase):

    LINES = [
        request(202, 'POST', NOVA + '/servers'),
        request(202, 'POST', NOVA + '/servers'),
        request(400, 'POST', NOVA + '/servers'),
        request(202, 'POST', NOVA + '/servers'),
        request(200, 'GET', '%s/servers/%s' % (NOVA, SERVER)),
        request(404, 'GET', '%s/servers/%s' % (NOVA, VOLUME)),
        request(202, 'POST', '%s/volumes' % CINDER),
        'an unrelated line with Request in it',
        guest_wait(),
        guest_wait(VOLUME),
    ]

    def test_calls_counted_with_their_successes(self):
        counts = api_calls.count(self.LINES)
        self.assertEqual([4, 3], counts[('POST', '/v2.1/servers')])
        self.assertEqual([2, 1], counts[('GET', '/v2.1/servers/{id}')])
        self.assertEqual([1, 1], counts[('POST', '/v3/{project}/volumes')])
        self.assertEqual(3, len(counts))

    def test_guests_are_the_boots_waited_for_until_ssh(self):
        counts = api_calls.count(self.LINES)
        guests = api_calls.guest_boots(self.LINES)
        self.assertEqual(2, guests)
        ops = api_calls.operations(counts, guests)
        # Three servers booted, two of them guests: one of the API image.
        self.assertEqual(2, ops['guest boot (to SSH)'])
        self.assertEqual(1, ops['server boot'])
        self.assertEqual(1, ops['GET server'])
        self.assertEqual(1, ops['volume create'])
        self.assertEqual(0, ops['volume attach (nova)'])
        self.assertEqual(list(api_calls.OPERATIONS), list(ops))

    def test_kept_and_read_back(self):
        counts = api_calls.count(self.LINES)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'calls.json')
        api_calls.dump(counts, 2, path)
        self.assertEqual((counts, 2), api_calls.load(path))

    def test_report_ranks_the_calls_and_sums_the_rest(self):
        lines = api_calls.report(api_calls.count(self.LINES), top=1)
        self.assertEqual('API calls of the suite (tempest.log): 7',
                         lines[0])
        self.assertEqual('     4      3  POST /v2.1/servers', lines[2])
        self.assertEqual('     3      2  2 more calls', lines[3])


class CostTest(base.TestCase):

    def test_cost_leaves_out_own_cpu_and_the_idle_rate(self):
        # 10 s: the machine busy 6 core-s, 1 of them this process's, the
        # idle cloud 0.1 core-s per s.
        self.assertAlmostEqual(
            4.0, op_costs.Meter.cost((100.0, 50.0, 2.0),
                                     (110.0, 56.0, 3.0), 0.1))

    def test_cost_is_never_negative(self):
        self.assertEqual(0.0, op_costs.Meter.cost((0.0, 5.0, 0.0),
                                                  (10.0, 5.1, 0.0), 0.1))

    def test_meter_reads_proc_stat_busy_time(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'stat')
        hz = os.sysconf('SC_CLK_TCK')
        with open(path, 'w') as f:
            # user nice system idle iowait irq softirq steal
            f.write('cpu  %d 0 %d 99999 777 0 0 555\ncpu0 1 2 3\n'
                    % (3 * hz, hz))
        meter = op_costs.Meter(path, clock=lambda: 7.0, own=lambda: 0.5)
        self.assertEqual((7.0, 4.0, 0.5), meter.read())

    def test_lower_bound_multiplies_by_the_calls(self):
        rows, total = op_costs.lower_bound(
            {'server boot': 2.5, 'GET server': 0.05},
            {'server boot': 10, 'GET server': 100, 'volume create': 7})
        self.assertEqual([('server boot', 10, 2.5, 25.0),
                          ('GET server', 100, 0.05, 5.0)], rows)
        self.assertAlmostEqual(30.0, total)
        lines = op_costs.table(rows, total, 2)
        self.assertIn('30 core-s: at least 15 s on 2 cores', lines[-1])
