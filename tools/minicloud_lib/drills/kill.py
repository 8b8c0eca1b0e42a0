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


"""The kill drill: the suite SIGKILLed mid-flight, then the cleanup.

1. the census of the cloud is taken (the decoys already in it);
2. `tempest run` starts in the workspace, in a process group of its own;
3. at a random second of the window (the draw is printed, so a kill
   point can be replayed) the whole group (tempest, stestr and its
   workers) gets SIGKILL: no cleanup of the test classes runs;
4. the census after the kill; what was in flight at the kill: the tests
   the run's subunit stream shows started and not ended, and the test
   classes whose dynamic credentials that census holds (nothing in
   flight: the kill proved nothing, the drill fails);
5. `mattach cleanup`, then the census again, which must equal the
   first; the decoys must be unchanged.
"""
import os
import random
import signal
import subprocess
import time

from .. import layout
from .. import tempest_ws
from . import census
from . import decoys
from . import suite

GONE_TIMEOUT = 30


def _window(text):
    start, _, end = text.partition(':')
    start, end = float(start), float(end or start)
    if not 0 <= start <= end:
        raise ValueError('window %r: FROM:TO seconds, FROM <= TO' % text)
    return start, end


def _results(stamp, what):
    os.makedirs(layout.RESULTS, exist_ok=True)
    return os.path.join(layout.RESULTS, 'kill-%s-%s' % (stamp, what))


def in_flight(subunit_path):
    """The ids of the tests the stream shows started and not ended."""
    return [test['id'] for test in suite.read_tests(subunit_path)
            if test['status'] == 'inprogress']


def class_projects_in_flight(before, killed):
    """The projects of test classes' dynamic credentials the kill found.

    `before`, `killed`: the censuses before the run and after the kill;
    the run's projects are those the first lacks. tempest names a class's
    project <prefix>-<test class>-<digits>: the name says which class.
    A class's project lives from its setUpClass to the end of its
    tearDownClass, so a kill while it lived hit that class in flight,
    also before its first test and after its last (credentials, class
    servers booting or being deleted), when the stream shows none of its
    tests in progress: a late kill in CI fell while a class's teardown
    was deleting its last resource, its project, every test of the run
    but two having ended.
    """
    was = before.get('projects', {})
    return sorted(name for project_id, name in
                  killed.get('projects', {}).items() if project_id not in was)


def _group_gone(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def kill_run(args, stamp):
    """Start the suite, SIGKILL it in the window; the stream's path."""
    draw = args.draw if args.draw is not None else random.randrange(10**6)
    start, end = args.window
    at = random.Random(draw).uniform(start, end)
    stream = _results(stamp, 'run.subunit')
    proc, argv = suite.start_run(args.regex, args.concurrency, stream)
    t0 = time.monotonic()
    print('kill: %s; SIGKILL at %.0f s (window %g:%g, draw %d)' % (
        ' '.join(argv), at, start, end, draw), flush=True)
    try:
        proc.wait(timeout=at)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + GONE_TIMEOUT
        while not _group_gone(proc.pid):
            if time.monotonic() > deadline:
                raise OSError('kill: the run\'s processes (group %d) still '
                              'live %d s after SIGKILL' % (proc.pid,
                                                           GONE_TIMEOUT))
            time.sleep(0.2)
        print('kill: SIGKILLed the run\'s process group at %.0f s'
              % (time.monotonic() - t0), flush=True)
        return stream
    print('kill: the run ended (rc %d) at %.0f s, before the kill point: '
          'a later window is needed' % (proc.returncode,
                                        time.monotonic() - t0))
    return None


def command(args):
    suite.ensure_installed()
    stamp = time.strftime('%Y%m%d-%H%M%S')
    named = [('before', census.take())]
    stream = kill_run(args, stamp)
    if stream is None:
        return 1
    flying = in_flight(stream)
    print('kill: %d tests in flight when killed%s' % (
        len(flying), ''.join('\n  ' + t for t in flying)))
    named.append(('killed', census.take()))
    projects = class_projects_in_flight(named[0][1], named[1][1])
    # One class may hold several (an admin class: its admin's too).
    print('kill: %d projects of test classes in flight when killed (their '
          'dynamic credentials)%s' % (
              len(projects), ''.join('\n  ' + p for p in projects)))
    cleanup_rc = suite.cleanup(tempest_ws.CONF)
    named.append(('cleaned', census.take()))
    for name, counted in named:
        census.save(_results(stamp, name + '.json'), counted)
    print('\n'.join(census.table(named)))
    diff = census.differences(named[0][1], named[-1][1])
    print('\n'.join(diff) or 'kill: the census after the cleanup equals '
          'the one before the run')
    decoys_rc = decoys.check(args.decoys) if args.decoys else 0
    failed = [what for what, bad in (
        ('nothing was in flight (no test, no test class)',
         not flying and not projects),
        ('mattach cleanup rc %d' % cleanup_rc, cleanup_rc),
        ('the census differs', diff),
        ('the decoys changed', decoys_rc)) if bad]
    held = 'held: nothing left' + (', decoys unchanged' if args.decoys
                                   else ' (no decoys given)')
    print('kill: %s' % ('FAILED: ' + '; '.join(failed) if failed else held))
    return 1 if failed else 0


def register(sub):
    p = sub.add_parser('kill', help='SIGKILL a run of the suite mid-flight, '
                       'run mattach cleanup, compare the census (rc 1 if '
                       'anything is left or changed)')
    p.add_argument('--window', type=_window, required=True,
                   metavar='FROM:TO', help='seconds after the start of '
                   'the run between which the kill falls, at random')
    p.add_argument('--draw', type=int, help='the random draw a run '
                   'printed: replays its kill point')
    p.add_argument('--regex', default='^mattach_tempest\\.tests\\.')
    p.add_argument('--concurrency', type=int, default=4)
    p.add_argument('--decoys', metavar='FILE',
                   help='the decoys saved by `decoys create`, checked after')
    p.set_defaults(handler=command)
