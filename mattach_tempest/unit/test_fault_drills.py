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


"""tools/fault-drills without a cloud: the census's comparison, the
kill's mechanics on a stand-in `tempest` (a shell script), the decoys'
check, and `tools/minicloud run` failing on leftovers.

Not covered here: the REST calls of the census and the decoys, and what
a real run and `mattach cleanup` do (.ci/run's drills on the local cloud
cover those).
"""

import io
import json
import os
import stat
import time

import fixtures

from mattach_tempest.unit import minicloud_base
from minicloud_lib import cli
from minicloud_lib.drills import census
from minicloud_lib.drills import decoys
from minicloud_lib.drills import kill
from minicloud_lib import layout

BEFORE = {'servers': {'s1': 'decoy status=ACTIVE'},
          'volumes': {'v1': 'plain status=available'}}


class CensusTest(minicloud_base.StateDirTestCase):

    def test_equal_censuses_differ_in_nothing(self):
        self.assertEqual([], census.differences(BEFORE, dict(BEFORE)))

    def test_leftovers_and_losses_are_named(self):
        after = {'servers': {'s1': 'decoy status=ACTIVE',
                             's2': 'tempest-X-server status=ACTIVE'},
                 'volumes': {}}
        self.assertEqual(
            ['  left behind: servers s2 (tempest-X-server status=ACTIVE)',
             '  gone: volumes v1 (plain status=available)'],
            census.differences(BEFORE, after))

    def test_a_kind_only_one_census_has_counts(self):
        lines = census.differences({}, {'images': {'i': 'img'}})
        self.assertEqual(['  left behind: images i (img)'], lines)

    def test_table_counts_per_kind_and_census(self):
        rows = census.table([('before', BEFORE),
                             ('after', {'servers': {}})])
        self.assertEqual(['kind', 'before', 'after'], rows[0].split())
        self.assertEqual(['servers', '1', '0'], rows[1].split())
        self.assertEqual(['volumes', '1', '0'], rows[2].split())

    def test_saved_census_loads_back(self):
        path = os.path.join(self.state, 'c.json')
        census.save(path, BEFORE)
        self.assertEqual(BEFORE, census.load(path))


class LeftoversOfRunTest(minicloud_base.StateDirTestCase):

    def _after(self, counted):
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.drills.census.take', lambda: counted))
        out = self.useFixture(fixtures.StringStream('stdout')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        rc = cli._leftovers(BEFORE)
        out.seek(0)
        return rc, out.read()

    def test_a_run_that_left_nothing_passes(self):
        rc, out = self._after(dict(BEFORE))
        self.assertEqual(0, rc)
        self.assertIn('leftovers: none', out)

    def test_a_leftover_fails_the_run_and_is_named(self):
        after = dict(BEFORE, servers={'s1': 'decoy', 's9': 'tempest-Y'})
        rc, out = self._after(after)
        self.assertEqual(1, rc)
        self.assertIn('left behind: servers s9 (tempest-Y)', out)


class KillTest(minicloud_base.StateDirTestCase):
    """kill_run against a stand-in `tempest`: a shell script."""

    def _tempest(self, body):
        os.makedirs(layout.VBIN)
        os.makedirs(layout.TEMPEST)
        path = os.path.join(layout.VBIN, 'tempest')
        with open(path, 'w') as script:
            script.write('#!/bin/sh\n' + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.tempest_ws.env', lambda: dict(os.environ)))

    def _args(self, window):
        class Args(object):
            draw = 7
            regex = 'x'
            concurrency = 2
        Args.window = kill._window(window)
        return Args()

    def test_window_is_from_to_seconds(self):
        self.assertEqual((20.0, 40.0), kill._window('20:40'))
        self.assertEqual((5.0, 5.0), kill._window('5'))
        self.assertRaises(ValueError, kill._window, '40:20')

    def test_the_whole_process_group_is_killed_in_the_window(self):
        # The script's child (a stestr worker, in a real run) must die too.
        pidfile = os.path.join(self.state, 'child.pid')
        self._tempest('sleep 60 & echo $! > %s; printf started; wait\n'
                      % pidfile)
        t0 = time.monotonic()
        stream = kill.kill_run(self._args('0.5:0.5'), 'stamp')
        self.assertLess(time.monotonic() - t0, 10)
        with open(stream, 'rb') as f:
            self.assertEqual(b'started', f.read())
        with open(pidfile) as f:
            child = int(f.read())
        self.assertRaises(ProcessLookupError, os.kill, child, 0)

    def test_a_run_ending_before_the_kill_point_proves_nothing(self):
        self._tempest('exit 0\n')
        self.assertIsNone(kill.kill_run(self._args('5:5'), 'stamp'))


class KillInFlightTest(minicloud_base.StateDirTestCase):
    """What the kill drill counts as in flight, and when it fails."""

    PROJECTS = {'projects': {'p0': 'fault-drills-decoys', 'p1': 'admin'}}

    def test_a_project_the_run_made_is_in_flight(self):
        killed = {'projects': dict(
            self.PROJECTS['projects'],
            p2='tempest-MultiattachRetypeNegativeTest-2119115683')}
        self.assertEqual(
            ['tempest-MultiattachRetypeNegativeTest-2119115683'],
            kill.class_projects_in_flight(self.PROJECTS, killed))

    def test_projects_there_before_the_run_are_not_in_flight(self):
        before = {'projects': dict(self.PROJECTS['projects'],
                                   p3='tempest-OldTest-1')}
        self.assertEqual(
            [], kill.class_projects_in_flight(before, dict(before)))

    def _command(self, flying, killed):
        censuses = iter([self.PROJECTS, killed, self.PROJECTS])
        for name, value in (
                ('suite.ensure_installed', lambda: None),
                ('suite.cleanup', lambda conf: 0),
                ('census.take', lambda: next(censuses)),
                ('kill.kill_run', lambda args, stamp: 'stream'),
                ('kill.in_flight', lambda stream: flying)):
            self.useFixture(fixtures.MonkeyPatch(
                'minicloud_lib.drills.' + name, value))
        out = self.useFixture(fixtures.StringStream('stdout')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))

        class Args(object):
            decoys = None
        rc = kill.command(Args())
        out.seek(0)
        return rc, out.read()

    def test_a_kill_between_a_class_s_tests_holds(self):
        # No test in progress, but a class's credentials made: the kill
        # hit its class fixtures, and the cleanup had that to remove.
        killed = {'projects': dict(self.PROJECTS['projects'],
                                   p2='tempest-MultiattachShelveTest-7')}
        rc, out = self._command([], killed)
        self.assertEqual(0, rc, out)
        self.assertIn('1 projects of test classes in flight when killed '
                      '(their dynamic credentials)\n  '
                      'tempest-MultiattachShelveTest-7', out)

    def test_a_kill_with_nothing_in_flight_fails(self):
        rc, out = self._command([], dict(self.PROJECTS))
        self.assertEqual(1, rc)
        self.assertIn('kill: FAILED: nothing was in flight (no test, no '
                      'test class)', out)

    def test_a_test_in_progress_is_in_flight(self):
        rc, out = self._command(['mattach_tempest.X.test_y'],
                                dict(self.PROJECTS))
        self.assertEqual(0, rc, out)
        self.assertIn('1 tests in flight when killed\n  '
                      'mattach_tempest.X.test_y', out)


class DecoysCheckTest(minicloud_base.StateDirTestCase):

    STATE = {'server-a': 'ACTIVE', 'shared-volume': 'in-use',
             'shared-volume attachments': ['a1 on s1', 'a2 on s2']}

    def _check(self, now):
        path = os.path.join(self.state, 'decoys.json')
        with open(path, 'w') as f:
            json.dump({'ids': {'server-a': 's1'}, 'state': self.STATE}, f)
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.drills.decoys.state', lambda ids: now))
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', io.StringIO()))
        return decoys.check(path)

    def test_unchanged_decoys_hold(self):
        self.assertEqual(0, self._check(dict(self.STATE)))

    def test_a_lost_attachment_fails(self):
        now = dict(self.STATE, **{'shared-volume attachments': ['a1 on s1']})
        self.assertEqual(1, self._check(now))

    def test_a_deleted_decoy_fails(self):
        self.assertEqual(1, self._check(dict(self.STATE,
                                             **{'server-a': 'HTTP 404'})))
