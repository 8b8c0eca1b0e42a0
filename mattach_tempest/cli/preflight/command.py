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

"""`mattach preflight`: its arguments, and the run from conf to exit code.

Exit codes: 0 no hard requirement failed; 1 a hard requirement failed (any
FAIL with --strict); 2 bad input (no tempest.conf, wrong credentials,
unreachable identity endpoint ...), always as one line on stderr.
"""

import argparse
import os
import sys

from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import checks
from mattach_tempest.cli.preflight import model
from mattach_tempest.cli.preflight import render

PROG = 'mattach preflight'
HELP = 'check a cloud and its tempest.conf before a run'
DESCRIPTION = ('Check, before a run, that a cloud and its tempest.conf can '
               'pass mattach-tempest: every requirement with PASS, FAIL, '
               'UNKNOWN or WARN and a reason, and the tempest.conf lines '
               'that fix what is misconfigured.')
DEFAULT_TIMEOUT = 60


def default_config_path(environ=None, cwd=None):
    """The tempest.conf `tempest run` would read from this directory."""
    environ = os.environ if environ is None else environ
    cwd = cwd or os.getcwd()
    conf_dir = environ.get('TEMPEST_CONFIG_DIR') or os.path.join(cwd, 'etc')
    conf_file = environ.get('TEMPEST_CONFIG') or 'tempest.conf'
    return os.path.join(conf_dir, conf_file)


def config_file_of(args):
    """The absolute path of the tempest.conf to read; BadInput if none."""
    config_file = os.path.abspath(args.config_file or default_config_path())
    if not os.path.isfile(config_file):
        raise common.BadInput('no tempest.conf at %s (give --config-file, or '
                              'run in a tempest workspace)' % config_file)
    return config_file


def positive_seconds(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(
            'not a positive number of seconds: %r' % text)
    return value


def add_connection_arguments(parser):
    """--config-file and --timeout: every command that asks the cloud."""
    parser.add_argument('--config-file',
                        help='tempest.conf (default: $TEMPEST_CONFIG_DIR/'
                             '$TEMPEST_CONFIG, else ./etc/tempest.conf as '
                             'in a tempest workspace)')
    parser.add_argument('--timeout', type=positive_seconds,
                        help='seconds each HTTP request may take, the '
                             'identity one included (default: tempest.conf\'s '
                             '[service-clients] http_timeout, %d unless set)'
                             % DEFAULT_TIMEOUT)


def add_arguments(parser):
    add_connection_arguments(parser)
    parser.add_argument('--json', action='store_true',
                        help='JSON instead of the table')
    parser.add_argument('--strict', action='store_true',
                        help='exit 1 on any FAIL, soft ones included')


def run(args, stdout=None, connect=None):
    """The exit code; `connect` is injectable for tests (live.connect)."""
    stdout = stdout or sys.stdout
    config_file = config_file_of(args)
    if connect is None:
        from mattach_tempest.cli.preflight import live
        connect = live.connect
    settings, probe, is_admin, who = connect(config_file, args.timeout)
    results = checks.run_checks(checks.Context(settings, probe, is_admin))
    if args.json:
        common.dump_json(render.render_json(results, config_file, who),
                         stdout)
    else:
        stdout.write(render.render_text(results, config_file, who))
    failed = (any(r.status == model.FAIL for r in results) if args.strict
              else checks.hard_failures(results))
    return common.EXIT_FAILED if failed else common.EXIT_OK


def main(argv=None, **injected):
    return common.run_command(PROG, sys.modules[__name__], argv, **injected)
