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

"""tools/minicloud's worker file: the classes spread by their weights.

stestr's own parser reads the files written here (generate_worker_
partitions), so a file stestr would read otherwise fails these tests;
what is not covered: tempest itself running with one.
"""

import json
import os
import subprocess
import sys
from unittest import mock

import fixtures
from stestr import scheduler

from mattach_tempest.cli import report
from mattach_tempest.cli import timing
from mattach_tempest.unit import minicloud_base
from minicloud_lib import cli  # noqa: I100 (minicloud_base: sys.path)
from minicloud_lib import layout
from minicloud_lib import schedule

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'report_run.subunit')

MOD = 'mattach_tempest.tests.api.compute.test_x'
LISTING = '\n'.join([
    'Some warning tempest printed',
    MOD + '.SlowTest.test_a[id-1,slow]',
    MOD + '.SlowTest.test_b[id-2]',
    MOD + '.FastTest.test_a[id-3,negative]',
    # A class whose name starts with another's.
    MOD + '.FastTestMore.test_a[id-4]',
    MOD + '.NewTest.test_a[id-5]',
    'mattach_tempest.tests.scenario.test_y.GuestTest.test_a[id-6]',
])
IDS = [line for line in LISTING.splitlines() if line.startswith('mattach')]
WEIGHTS = {MOD + '.SlowTest': 100.0, MOD + '.FastTest': 2.0,
           MOD + '.FastTestMore': 4.0,
           'mattach_tempest.tests.scenario.test_y.GuestTest': 60.0}


class TestPartition(minicloud_base.StateDirTestCase):

    def test_classes_of_a_listing_in_order_once_each(self):
        self.assertEqual(
            [MOD + '.SlowTest', MOD + '.FastTest', MOD + '.FastTestMore',
             MOD + '.NewTest',
             'mattach_tempest.tests.scenario.test_y.GuestTest'],
            schedule.classes_of(LISTING))

    def test_longest_first_onto_the_least_loaded(self):
        parts = schedule.partition(schedule.classes_of(LISTING), WEIGHTS, 2)
        # NewTest is not weighed: it weighs the median of the others (32).
        self.assertEqual(
            [(100.0, [MOD + '.SlowTest']),
             (98.0, ['mattach_tempest.tests.scenario.test_y.GuestTest',
                     MOD + '.NewTest', MOD + '.FastTestMore',
                     MOD + '.FastTest'])], parts)

    def test_no_empty_worker(self):
        parts = schedule.partition([MOD + '.SlowTest'], WEIGHTS, 3)
        self.assertEqual([(100.0, [MOD + '.SlowTest'])], parts)

    def test_no_weights_at_all_deals_evenly(self):
        parts = schedule.partition(schedule.classes_of(LISTING), {}, 2)
        self.assertEqual([3, 2], [len(names) for _s, names in parts])

    def test_stestr_runs_every_test_once_where_the_file_puts_its_class(self):
        self.check_stestr_reads(
            schedule.partition(schedule.classes_of(LISTING), WEIGHTS, 3))
        # A class whose name starts with another's on another worker.
        self.check_stestr_reads(
            [(0, [MOD + '.FastTest', MOD + '.SlowTest']),
             (0, [MOD + '.FastTestMore', MOD + '.NewTest']),
             (0, ['mattach_tempest.tests.scenario.test_y.GuestTest'])])

    def check_stestr_reads(self, parts):
        path = os.path.join(self.state, 'workers.yaml')
        with open(path, 'w') as out:
            out.write(schedule.worker_file(parts))
        groups = scheduler.generate_worker_partitions(IDS, path)
        self.assertEqual(sorted(IDS), sorted(i for g in groups for i in g))
        self.assertEqual(
            [sorted({schedule.class_of(i) for i in g}) for g in groups],
            [sorted(names) for _s, names in parts])
        for group in groups:
            self.assertEqual(len(group), len(set(group)))


class TestRunScheduling(minicloud_base.StateDirTestCase):
    """cli: the run's worker file, from the listed tests and the weights."""

    def setUp(self):
        super().setUp()
        os.makedirs(layout.RESULTS)
        os.makedirs(layout.TEMPEST)
        self.weights = os.path.join(self.state, 'weights.json')
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.schedule.WEIGHTS', self.weights))
        self.args = mock.Mock(regex='^mattach_tempest\\.', config_file=None,
                              concurrency=2)
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.cli.log', lambda *a: None))

    def listed(self, stdout=LISTING, returncode=0):
        return mock.patch.object(
            cli.subprocess, 'run', return_value=subprocess.CompletedProcess(
                [], returncode, stdout=stdout))

    def test_worker_file_by_the_weights(self):
        schedule.save_weights(WEIGHTS, 'a run')
        with self.listed() as run:
            path = cli._worker_file(self.args, 'STAMP')
        self.assertEqual(['--list-tests', '--regex', '^mattach_tempest\\.'],
                         run.call_args[0][0][2:])
        self.assertEqual(os.path.join(layout.RESULTS,
                                      'tempest-STAMP-workers.yaml'), path)
        with open(path) as src:
            text = src.read()
        self.assertEqual(schedule.worker_file(schedule.partition(
            schedule.classes_of(LISTING), WEIGHTS, 2)), text)

    def test_failed_listing_left_to_stestr(self):
        with self.listed(stdout='', returncode=1):
            self.assertIsNone(cli._worker_file(self.args, 'STAMP'))
        self.assertEqual([], os.listdir(layout.RESULTS))

    @staticmethod
    def write_without(data, class_name, out):
        """`data`, a subunit v2 stream, less the packets of a class."""
        import io

        import subunit
        import testtools

        class Without(testtools.StreamResult):
            def __init__(self):
                super().__init__()
                self.writer = subunit.StreamResultToBytes(out)

            def status(self, test_id=None, **kwargs):
                if not (test_id or '').startswith(class_name + '.'):
                    self.writer.status(test_id=test_id, **kwargs)

        subunit.ByteStreamToStreamResult(io.BytesIO(data)).run(Without())

    def test_pin_times_weighs_each_class_of_a_stream(self):
        # The venv's python runs this interpreter, which has the plugin
        # (a symlink would lose this interpreter's venv).
        os.makedirs(layout.VBIN)
        python = os.path.join(layout.VBIN, 'python')
        with open(python, 'w') as out:
            out.write('#!/bin/sh\nexec %s "$@"\n' % sys.executable)
        os.chmod(python, 0o755)
        self.assertEqual(0, cli.pin_times(mock.Mock(subunit=[FIXTURE])))
        with open(self.weights) as src:
            pinned = json.load(src)
        self.assertEqual('report_run.subunit', pinned['source'])
        with open(FIXTURE, 'rb') as src:
            expected = timing.class_seconds(report.tests_of_v2(src.read()))
        self.assertTrue(expected)
        self.assertEqual({name: round(seconds, 1)
                          for name, seconds in expected.items()},
                         pinned['classes'])

        # A stream that is not there changes nothing.
        with open(self.weights) as src:
            before = src.read()
        self.assertEqual(1, cli.pin_times(mock.Mock(
            subunit=[FIXTURE, FIXTURE + '.gone'])))
        with open(self.weights) as src:
            self.assertEqual(before, src.read())

        # Two runs: each class weighs the mean of its seconds; a class
        # only one run had, its seconds there.
        fewer = os.path.join(self.useFixture(fixtures.TempDir()).path,
                             'fewer.subunit')
        with open(FIXTURE, 'rb') as src:
            data = src.read()
        dropped = sorted(expected)[0]
        with open(fewer, 'wb') as out:
            self.write_without(data, dropped, out)
        with open(fewer, 'rb') as src:
            second = timing.class_seconds(report.tests_of_v2(src.read()))
        self.assertNotIn(dropped, second)
        self.assertEqual(0, cli.pin_times(mock.Mock(
            subunit=[FIXTURE, fewer])))
        with open(self.weights) as src:
            pinned = json.load(src)
        self.assertEqual('report_run.subunit fewer.subunit',
                         pinned['source'])
        self.assertEqual(round(expected[dropped], 1),
                         pinned['classes'][dropped])
        for name in second:
            self.assertEqual(round((expected[name] + second[name]) / 2, 1),
                             pinned['classes'][name])
