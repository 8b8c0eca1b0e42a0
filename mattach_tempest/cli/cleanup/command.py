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

"""`mattach cleanup`: its arguments, and the run from conf to exit code.

Exit codes: 0 nothing of the suite is left (or, with --dry-run, the list
was made); 1 something could not be listed or removed (each said on one
line); 2 bad input (no tempest.conf, wrong credentials ...).
"""

import sys
import time

from mattach_tempest.cli.cleanup import removal
from mattach_tempest.cli.cleanup import selection
from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import command as preflight_command

PROG = 'mattach cleanup'
HELP = 'remove what an interrupted run of the suite left in a cloud'
DESCRIPTION = (
    'Find what mattach-tempest created in a cloud (names with the '
    'resource_name_prefix and one of its test classes, the projects and '
    'users of its dynamic credentials and everything in them) and remove '
    'it in the order the services allow: held volumes detached through '
    'nova, servers deleted and waited for, cinder-only attachments, '
    'snapshots, volumes, images, volume types, keypairs, security groups, '
    'networks, users, projects. Nothing else is touched; what was looked '
    'at and left alone is counted with the reason.')
DEFAULT_WAIT_TIMEOUT = 300


def add_arguments(parser):
    preflight_command.add_connection_arguments(parser)
    parser.add_argument('--dry-run', action='store_true',
                        help='list what would be removed, and each resource '
                             'left alone with the reason; touch nothing')
    parser.add_argument('--wait-timeout',
                        type=preflight_command.positive_seconds,
                        default=DEFAULT_WAIT_TIMEOUT,
                        help='seconds each wait (servers gone, volumes '
                             'released, deletes done) may take (default '
                             '%d)' % DEFAULT_WAIT_TIMEOUT)


def run(args, stdout=None, connect=None, class_names=None,
        clock=time.monotonic, sleep=time.sleep):
    """The exit code; connect, class_names, clock, sleep for the tests."""
    stdout = stdout or sys.stdout
    config_file = preflight_command.config_file_of(args)
    if connect is None:
        from mattach_tempest.cli.cleanup import live
        connect = live.connect
    cloud, conf, who = connect(config_file, args.timeout)
    if class_names is None:
        class_names = selection.suite_class_names()
    names = selection.SuiteNames(conf.resource_name_prefix, class_names)
    admin = getattr(cloud, 'admin', None) is not None
    stdout.write('%s: %s; prefix %r, %d test classes\n' % (
        PROG, who, names.prefix, len(names.class_names)))
    try:
        inventory = cloud.inventory()
        plan = selection.plan_cleanup(inventory, names, admin)
        # Keypairs are per user: listed for the suite's users only.
        cloud.suite_keypairs(inventory, plan.ids('user'))
        plan = selection.plan_cleanup(inventory, names, admin)
    except removal.CloudError as exc:
        return common.fail(PROG, 'cannot list what the cloud holds: %s'
                           % exc, common.EXIT_FAILED)
    write_plan(plan, stdout, args.dry_run)
    if args.dry_run or not plan.found:
        return common.EXIT_OK
    work = removal.Removal(plan, cloud, args.wait_timeout, stdout,
                           clock=clock, sleep=sleep)
    failures = work.run()
    for failure in failures:
        sys.stderr.write('%s: error: %s\n' % (PROG, failure))
    stdout.write('removed %d of %d; %d could not be removed\n' % (
        work.removed, len(plan.found), len(failures)))
    return common.EXIT_FAILED if failures else common.EXIT_OK


def write_plan(plan, stdout, dry_run):
    verb = 'would remove' if dry_run else 'removing'
    if plan.found:
        stdout.write('%s %d:\n' % (verb, len(plan.found)))
        rows = [(item.kind, item.id, item.name or '-', item.why)
                for item in plan.ordered()]
        for line in common.format_table(('KIND', 'ID', 'NAME', 'WHY'),
                                        rows):
            stdout.write('  %s\n' % line)
    else:
        stdout.write('nothing of the suite found\n')
    stdout.write('left alone %d:\n' % len(plan.skipped))
    for kind, reason, count in plan.skipped_counts():
        stdout.write('  %d %s: %s\n' % (count, kind, reason))
    if dry_run:
        for skipped in sorted(plan.skipped, key=lambda s: (
                selection.KINDS.index(s.kind), s.name or '', s.id)):
            stdout.write('  skip %s %s%s: %s\n' % (
                skipped.kind, skipped.id,
                ' (%s)' % skipped.name if skipped.name else '',
                skipped.reason))


def main(argv=None, **injected):
    return common.run_command(PROG, sys.modules[__name__], argv, **injected)
