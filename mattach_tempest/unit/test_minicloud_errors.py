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

"""tools/minicloud's reading of its daemons' logs for errors.

The same reader explains a failed test run (the ERROR lines the services
logged meanwhile) and fails `up` when a daemon logged an error while the
cloud started; here it reads canned log lines in a temporary directory.
"""

import os
import sys

import fixtures

from mattach_tempest.unit import base

sys.path.insert(0, os.path.join(base.REPO_ROOT, 'tools'))
from minicloud_lib import cli  # noqa: E402
from minicloud_lib import procs  # noqa: E402

CONTEXT = ('[None req-1 e045e0ef00ef4f34 923e17185af4416b - - default '
           'default] ')
OSLO_ERROR = ('2026-11-30 13:45:53.109 14079 ERROR neutron.api.extensions '
              '[-] Unable to process extensions (auto-allocated-topology)')
OSLO_TRACEBACK = [
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'Failed to create volume: oops',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'Traceback (most recent call last):',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    '  File "/venv/cinder/api.py", line 1, in create',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    '    raise ValueError("oops")',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'ValueError: oops',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT,
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'During handling of the above exception, another exception occurred:',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'Traceback (most recent call last):',
    '2026-11-30 13:46:00.001 200 ERROR cinder.api ' + CONTEXT +
    'cinder.exception.InvalidVolume: oops',
]
# nova-scheduler's first host discovery on an `up` after a long `down`.
DISCOVER_AT_START = [
    '2026-12-01 10:47:59.099 748 ERROR oslo_service.periodic_task [None '
    'req-d - - - - - -] Error during SchedulerManager._discover_hosts_in_'
    'cells: IndexError: list index out of range',
    '2026-12-01 10:47:59.099 748 ERROR oslo_service.periodic_task '
    'Traceback (most recent call last):',
    '2026-12-01 10:47:59.099 748 ERROR oslo_service.periodic_task   File '
    '"/venv/nova/scheduler/manager.py", line 114, in _discover_hosts_in_'
    'cells',
    '2026-12-01 10:47:59.099 748 ERROR oslo_service.periodic_task '
    'IndexError: list index out of range',
]
OSLO_CRITICAL = ('2026-11-30 13:46:01.000 300 CRITICAL nova [-] Unhandled '
                 'error: ConfigFileValueError: Value for option x is not '
                 'valid')
GUNICORN_ERROR = ('[2026-11-30 13:44:22 +0000] [12218] [ERROR] Exception in '
                  'worker process')
MARIADB_ERROR = ('2026-11-30 13:42:01 0 [ERROR] mariadbd: Can\'t lock aria '
                 'control file')
RABBITMQ_ERROR = ('2026-11-30 13:42:13.231386+00:00 [error] <0.620.0> '
                  'Failed to start Ranch listener')
BARE_TRACEBACK = [
    'Traceback (most recent call last):',
    '  File "/venv/bin/nova-compute", line 8, in <module>',
    '    sys.exit(main())',
    'KeyError: \'compute_driver\'',
    '',
    'During handling of the above exception, another exception occurred:',
    '',
    'Traceback (most recent call last):',
    '  File "/venv/bin/nova-compute", line 10, in <module>',
    'RuntimeError: no driver',
]
QUIET = [
    '2026-11-30 13:45:50.256 14020 INFO os_vif [-] Loaded VIF plugins: noop',
    '2026-11-30 13:45:52.078 14020 WARNING nova.compute.manager [-] Compute '
    'nodes for host minicloud were not found in the database.',
    '[2026-11-30 13:44:22 +0000] [12193] [INFO] Starting gunicorn 27.0.1',
    '2026-11-30 13:42:02 0 [Warning] \'proxies_priv\' entry ignored',
    '==== minicloud start 2026-11-30 13:45:19: /venv/bin/nova-compute',
]


def messages(lines):
    return [m.decode() for m in cli._error_messages(
        line.encode() + b'\n' for line in lines)]


class ErrorMessagesTest(base.TestCase):

    def test_oslo_error_record(self):
        self.assertEqual([OSLO_ERROR + '\n'], messages(QUIET + [OSLO_ERROR]))

    def test_oslo_traceback_gives_message_and_exception(self):
        self.assertEqual([OSLO_TRACEBACK[i] + '\n' for i in (0, 4, 8)],
                         messages(OSLO_TRACEBACK))

    def test_critical_and_bracketed_levels(self):
        lines = [OSLO_CRITICAL, GUNICORN_ERROR, MARIADB_ERROR, RABBITMQ_ERROR]
        self.assertEqual([line + '\n' for line in lines], messages(lines))

    def test_bare_traceback_gives_its_exceptions(self):
        self.assertEqual(['KeyError: \'compute_driver\'\n',
                          'RuntimeError: no driver\n'],
                         messages(QUIET + BARE_TRACEBACK + QUIET))

    def test_info_and_warnings_are_not_errors(self):
        self.assertEqual([], messages(QUIET))


class StartErrorsTest(base.TestCase):
    """`up` fails naming the daemon and its line; a clean start passes."""

    def setUp(self):
        super().setUp()
        logs = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.MockPatchObject(
            procs, 'logfile',
            lambda name: os.path.join(logs, name + '.log')))
        self.useFixture(fixtures.MockPatchObject(
            cli, 'START_MARKS', os.path.join(logs, 'marks.json')))

    def write(self, name, lines):
        with open(procs.logfile(name), 'a') as f:
            f.write(''.join(line + '\n' for line in lines))

    def test_error_while_starting_fails_naming_daemon_and_line(self):
        self.write('neutron', [OSLO_ERROR])      # before this start
        marks = cli._start_marks(['neutron', 'cinder-api'])
        self.write('neutron', QUIET)
        self.write('cinder-api', QUIET + [OSLO_CRITICAL])
        error = self.assertRaises(procs.StartError, cli._check_start_errors,
                                  marks)
        self.assertIn('cinder-api logged 1 error(s) while starting (%s)'
                      % procs.logfile('cinder-api'), str(error))
        self.assertIn(OSLO_CRITICAL, str(error))
        self.assertNotIn('neutron', str(error))

    def test_clean_start_passes(self):
        marks = cli._start_marks(['neutron', 'cinder-api'])
        self.write('neutron', QUIET)
        self.write('cinder-api', QUIET)
        self.assertIsNone(cli._check_start_errors(marks))

    def test_up_run_again_still_sees_the_first_start(self):
        cli._start_marks(['cinder-api'])
        self.write('cinder-api', [OSLO_CRITICAL])
        # A second `up` after the failed one: same marks, same error.
        marks = cli._start_marks(['cinder-api'])
        self.assertRaises(procs.StartError, cli._check_start_errors, marks)

    def test_nova_discovery_at_scheduler_start_alone_passes(self):
        marks = cli._start_marks(['nova-scheduler'])
        self.write('nova-scheduler', QUIET + DISCOVER_AT_START)
        self.assertIsNone(cli._check_start_errors(marks))

    def test_other_scheduler_errors_still_fail(self):
        marks = cli._start_marks(['nova-scheduler'])
        other = DISCOVER_AT_START[:3] + [DISCOVER_AT_START[3].replace(
            'IndexError: list index out of range', 'KeyError: 1')]
        self.write('nova-scheduler', DISCOVER_AT_START + [OSLO_ERROR])
        error = self.assertRaises(procs.StartError, cli._check_start_errors,
                                  marks)
        self.assertIn('nova-scheduler logged 1 error(s)', str(error))
        self.assertIn(OSLO_ERROR, str(error))
        # The same message in another service, or another exception after
        # it, is an error.
        marks = cli._start_marks(['nova-scheduler', 'nova-conductor'])
        self.write('nova-conductor', DISCOVER_AT_START)
        self.write('nova-scheduler', other)
        error = self.assertRaises(procs.StartError, cli._check_start_errors,
                                  marks)
        self.assertIn('nova-conductor logged 2 error(s)', str(error))
        self.assertIn('KeyError: 1', str(error))


class BridgeOwnerMessageTest(base.TestCase):
    """`up` finding the guests' bridge already there says whose it is."""

    def test_another_checkouts_cloud_is_named_by_its_state_dir(self):
        from minicloud_lib import libvirt_host
        message = libvirt_host.bridge_owner_message(
            'minicloud /tmp/other/.minicloud')
        self.assertIn('/tmp/other/.minicloud', message)
        self.assertIn('tools/minicloud down', message)

    def test_a_bridge_not_made_by_minicloud_is_left_to_the_admin(self):
        from minicloud_lib import libvirt_host
        message = libvirt_host.bridge_owner_message('')
        self.assertIn('was not made by this cloud', message)
