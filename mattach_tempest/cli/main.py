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

"""`mattach`: the operators' tools of mattach-tempest, as subcommands.

    mattach preflight      check a cloud and its tempest.conf before a run
    mattach report         group a run's results by capability; --totals
    mattach certification  the certification list: --list, --path, --check
    mattach timing         per test class: servers booted, seconds waited
    mattach cleanup        remove what an interrupted run left; --dry-run
    mattach scan-secrets   no password or token in what a run wrote

A subcommand is a module with PROG, HELP, DESCRIPTION, add_arguments(parser)
and run(args) -> exit code; adding one is adding it to COMMANDS. Every one
keeps the contract of mattach_tempest.cli.common: --help; exit 0 ok, 1 a
check failed, 2 bad input; errors on one line, never a traceback.
"""

import sys

from mattach_tempest.cli import certification
from mattach_tempest.cli.cleanup import command as cleanup
from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import command as preflight
from mattach_tempest.cli import report
from mattach_tempest.cli import secrets
from mattach_tempest.cli import timing

PROG = 'mattach'
COMMANDS = (
    ('preflight', preflight),
    ('report', report),
    ('certification', certification),
    ('timing', timing),
    ('cleanup', cleanup),
    ('scan-secrets', secrets),
)


def build_parser():
    parser = common.Parser(
        prog=PROG,
        description="The operators' tools of mattach-tempest, the tempest "
                    "plugin proving Cinder volume multi-attach works end to "
                    "end. `mattach COMMAND --help` describes each.")
    subcommands = parser.add_subparsers(dest='command', metavar='COMMAND',
                                        title='commands')
    subcommands.required = True
    for name, command in COMMANDS:
        subparser = subcommands.add_parser(
            name, help=command.HELP, description=command.DESCRIPTION)
        command.add_arguments(subparser)
        common.add_debug_argument(subparser)
        subparser.set_defaults(command_module=command)
    return parser


def main(argv=None):
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    command = args.command_module
    return common.run_guarded(command.PROG, args, command.run)


if __name__ == '__main__':
    sys.exit(main())
