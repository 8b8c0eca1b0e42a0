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


"""The dying-service drill: a service stops under a running suite.

  tools/fault-drills dying-service cinder-volume
  tools/fault-drills dying-service nova-compute-compute1 --for 90

A subset of the API suite runs with short timeouts (a copy of the
workspace's tempest.conf); --after seconds in, SERVICE is stopped as by
`tools/minicloud stop`, kept down --for seconds (longer than the
timeouts: the tests waiting on it must fail) and started again. The drill
holds when the run ends within its bound, at least one test failed, no
test outlived its own bound, every failure names what it waited for or
the request that failed, and `mattach cleanup` leaves the cloud's census
as it was before the run.

Exit status: 0 the drill held; 1 it did not (each reason said);
2 it could not run (no cloud, the run ended before the fault ...).
"""
import argparse
import collections
import configparser
import os
import signal
import subprocess
import time

from .. import cli as minicloud_cli
from .. import layout
from .. import tempest_ws
from . import census
from . import failures
from . import suite

DEFAULT_REGEX = (r'^mattach_tempest\.tests\.api\.(compute\.test_multiattach_'
                 r'(attach|detach_negative|negative)|volume\.test_multiattach_'
                 r'attachments_api)\.')
SHORT_TIMEOUT = 30          # s: every wait of the suite, in the copy
# [compute]/[volume] build_timeout: every wait of tempest's and ours
# (mattach_tempest/config.py); [validation] ssh_timeout: the guests'.
TIMEOUT_OPTIONS = (('compute', 'build_timeout'), ('volume', 'build_timeout'),
                   ('validation', 'ssh_timeout'))
INTERVAL_OPTIONS = (('compute', 'build_interval'),
                    ('volume', 'build_interval'))
# tempest's defaults, for options the workspace's config leaves unset.
DEFAULT_INTERVAL = 1
DEFAULT_HTTP_TIMEOUT = 60
# What `tools/minicloud start` may take until the agent reports up again.
RESTART_ALLOWANCE = 30
# An undisturbed test's own work on the fake cloud (boots, attaches).
DEFAULT_TEST_WORK = 60
# The default subset's undisturbed run on the fake cloud, at
# concurrency 2 (~170 s, tempest's start included), with room to spare.
DEFAULT_NOMINAL = 200


def short_config(source, target, timeout):
    """Copy tempest.conf with every wait's timeout set to `timeout`."""
    conf = configparser.ConfigParser(interpolation=None)
    conf.optionxform = str      # option names as written
    conf.read(source)
    for section, option in TIMEOUT_OPTIONS:
        if not conf.has_section(section):
            conf.add_section(section)
        conf.set(section, option, str(timeout))
    with open(target, 'w') as out:
        conf.write(out)
    return conf


def _seconds_of(conf, options, default):
    return max(conf.getfloat(section, option, fallback=default)
               for section, option in options)


Bounds = collections.namedtuple('Bounds', 'wait one_wait test run')


def bounds(conf, outage, nominal, test_work):
    """How long a test and the run may take, from the copy's timeouts.

    One wait: its timeout, one more poll interval, and the request of
    that last poll (tempest's http_timeout). A test: its own work, the
    outage (nothing that needs the service succeeds meanwhile) and one
    wait (a wait spanning the service's return ends within it). The run:
    its undisturbed length and one test's bound (each worker loses at
    most that).
    """
    wait = _seconds_of(conf, TIMEOUT_OPTIONS, 0)
    one_wait = (wait + _seconds_of(conf, INTERVAL_OPTIONS, DEFAULT_INTERVAL)
                + conf.getfloat('service-clients', 'http_timeout',
                                fallback=DEFAULT_HTTP_TIMEOUT))
    test = test_work + outage + one_wait
    return Bounds(wait, one_wait, test, nominal + test)


def duration(test):
    if test['start'] is None or test['stop'] is None:
        return None
    return test['stop'] - test['start']


FAILED = ('fail', 'uxsuccess')


def checks(tests, wall, bound):
    """The drill's findings on a run: lines, empty if the drill held."""
    found = []
    if wall > bound.run:
        found.append('the run took %.0f s, more than its bound %.0f s'
                     % (wall, bound.run))
    failed = [t for t in tests if t['status'] in FAILED]
    if not failed:
        found.append('no test failed: the fault did not reach the suite, '
                     'the drill proves nothing')
    for test in tests:
        took = duration(test)
        if took is not None and took > bound.test:
            found.append('%s took %.0f s, more than a test\'s bound %.0f s'
                         % (test['id'], took, bound.test))
    for test in failed:
        explained, why = failures.explanation(test['traceback'])
        if not explained:
            found.append('%s: its failure %s: %s' % (
                test['id'], why, ' | '.join(failures.first_lines(
                    failures.exception_text(test['traceback'])))))
    return found


def report_lines(tests):
    """passed/failed/skipped counts, then each failure's first lines."""
    counts = collections.Counter(t['status'] for t in tests)
    lines = ['%d passed, %d failed, %d skipped, %d unfinished' % (
        counts['success'] + counts['xfail'],
        sum(counts[s] for s in FAILED), counts['skip'],
        counts['inprogress'])]
    for test in tests:
        if test['status'] not in FAILED:
            continue
        took = duration(test)
        lines.append('FAILED %s (%s): %s' % (
            test['id'], 'no time' if took is None else '%.0f s' % took,
            failures.explanation(test['traceback'])[1]))
        lines += ['    ' + line for line in failures.first_lines(
            failures.exception_text(test['traceback']))]
    return lines


def _say(text):
    print('dying-service: %s' % text, flush=True)


def _kill(proc):
    """End the run (its workers too: its own process group)."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _fault(service, after, down_for, t0, proc):
    """Stop `service` at t0+after for down_for s, start it: its outage."""
    time.sleep(max(0, t0 + after - time.monotonic()))
    if proc.poll() is not None:
        return None
    service_args = argparse.Namespace(service=service)
    stopped = time.monotonic()
    _say('t=%.0f s: stopping %s' % (stopped - t0, service))
    minicloud_cli.stop_service(service_args)
    try:
        time.sleep(down_for)
    finally:
        _say('t=%.0f s: starting %s' % (time.monotonic() - t0, service))
        minicloud_cli.start_service(service_args)
    _say('t=%.0f s: %s is up again' % (time.monotonic() - t0, service))
    return time.monotonic() - stopped


def _census_files(stamp):
    return [os.path.join(layout.RESULTS, 'drill-%s-census-%s.json'
                         % (stamp, when)) for when in ('before', 'after')]


def command(args):
    minicloud_cli._service_named(args.service)   # exits naming the services
    suite.ensure_installed()
    stamp = time.strftime('%Y%m%d-%H%M%S')
    os.makedirs(layout.RESULTS, exist_ok=True)
    conf_path = os.path.join(tempest_ws.ETC, 'tempest-drill-%s.conf' % stamp)
    conf = short_config(tempest_ws.CONF, conf_path, args.timeout)
    planned = bounds(conf, args.down_for + RESTART_ALLOWANCE, args.nominal,
                     args.test_work)
    _say('config %s: every wait %.0f s' % (conf_path, planned.wait))
    _say('bounds: a test %.0f s (its work %d + outage %d + restart %d + '
         'one wait %.0f), the run %.0f s (undisturbed %d + a test)'
         % (planned.test, args.test_work, args.down_for, RESTART_ALLOWANCE,
            planned.one_wait, planned.run, args.nominal))
    before_path, after_path = _census_files(stamp)
    before = census.take()
    census.save(before_path, before)
    _say('census before: %s' % before_path)

    stream_path = os.path.join(layout.RESULTS, 'drill-%s.subunit' % stamp)
    proc, argv = suite.start_run(args.regex, args.concurrency, stream_path,
                                 conf_path)
    t0 = time.monotonic()
    _say('running: %s > %s' % (' '.join(argv), stream_path))
    try:
        outage = _fault(args.service, args.after, args.down_for, t0, proc)
        if outage is None:
            _say('the run ended before the fault (t=%.0f s): raise the '
                 'run\'s length or lower --after' % (time.monotonic() - t0))
            return 2
        bound = bounds(conf, outage, args.nominal, args.test_work)
        try:
            proc.wait(max(0, t0 + bound.run - time.monotonic()))
            killed = False
        except subprocess.TimeoutExpired:
            _kill(proc)
            killed = True
    finally:
        if proc.poll() is None:
            _kill(proc)
    wall = time.monotonic() - t0
    tests = suite.read_tests(stream_path)
    _say('the run: %.0f s (bound %.0f s; %s down %.0f s); stream %s'
         % (wall, bound.run, args.service, outage, stream_path))
    for line in report_lines(tests):
        print(line)
    found = checks(tests, wall, bound)
    if killed:
        found.insert(0, 'the run outlived its bound and was killed; in '
                     'progress: %s' % (', '.join(
                         t['id'] for t in tests
                         if t['status'] == 'inprogress') or 'none seen'))

    cleaned = suite.cleanup(conf_path)
    if cleaned:
        found.append('mattach cleanup exited %d' % cleaned)
    after = census.take()
    census.save(after_path, after)
    print('\n'.join(census.table([('before', before), ('after', after)])))
    left = census.differences(before, after)
    if left:
        found.append('the census after cleanup differs from before:\n%s'
                     % '\n'.join(left))
    for line in found:
        _say('FAILED CHECK: %s' % line)
    _say('%s: %s down for %.0f s' % (
        'did not hold' if found else 'held', args.service, outage))
    return 1 if found else 0


def register(sub):
    p = sub.add_parser(
        'dying-service', help='stop a service under a running subset of the '
        'suite (short timeouts); check the run ends in time, fails with '
        'messages naming what they waited for, and cleans up')
    p.add_argument('service', help='as `tools/minicloud stop` names it, '
                   'e.g. cinder-volume or nova-compute-compute1')
    p.add_argument('--regex', default=DEFAULT_REGEX,
                   help='the tests to run (default: the attach, detach '
                   'and negative classes of compute and volume)')
    p.add_argument('--concurrency', type=int, default=2)
    p.add_argument('--timeout', type=int, default=SHORT_TIMEOUT,
                   help='every wait\'s timeout in the copy of tempest.conf '
                   '(default %(default)s s)')
    p.add_argument('--after', type=int, default=30,
                   help='seconds into the run the service stops (tempest '
                   'needs ~25 s to start its first tests; default '
                   '%(default)s)')
    p.add_argument('--for', dest='down_for', type=int,
                   help='seconds the service stays down (default: the '
                   'timeout + 20, so a wait on it must time out)')
    p.add_argument('--nominal', type=int, default=DEFAULT_NOMINAL,
                   help='seconds the subset takes undisturbed (part of '
                   'the run\'s bound; default %(default)s)')
    p.add_argument('--test-work', type=int, default=DEFAULT_TEST_WORK,
                   help='seconds a test takes undisturbed (part of a '
                   'test\'s bound; default %(default)s)')
    p.set_defaults(handler=_with_defaults)


def _with_defaults(args):
    if args.down_for is None:
        args.down_for = args.timeout + 20
    return command(args)
