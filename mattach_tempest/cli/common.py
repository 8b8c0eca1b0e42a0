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

"""What the operators' tools share: their contract, tables, output.

The contract of every `mattach` subcommand: --help; exit 0 when all is
well, 1 when a check failed, 2 on bad input; an error is one line on
stderr, never a traceback (the details go to the debug log, --debug).
"""

import argparse
import json
import logging as std_logging
import re
import sys

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Something the operator gave us is unusable: one line, no traceback."""


class Parser(argparse.ArgumentParser):
    """argparse, with its usage errors on one line like every other error."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, '%s: error: %s (see --help)\n' % (
            self.prog, message))


def add_debug_argument(parser):
    parser.add_argument('--debug', action='store_true',
                        help='log details on stderr, the traceback of an '
                             'error included')


def standalone_parser(prog, command):
    """The parser of one command run on its own (python -m ...)."""
    parser = Parser(prog=prog, description=command.DESCRIPTION)
    command.add_arguments(parser)
    add_debug_argument(parser)
    return parser


def run_command(prog, command, argv=None, **injected):
    """A command module's main(): its own parser, then run_guarded."""
    args = standalone_parser(prog, command).parse_args(
        sys.argv[1:] if argv is None else argv)
    return run_guarded(prog, args, command.run, **injected)


def first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_guarded(prog, args, run, **injected):
    """run(args, **injected) under the contract: one-line errors, rc 2.

    BadInput is the operator's to fix; anything else is a fault of the
    tool, said in one line too, with its traceback in the debug log.
    """
    if getattr(args, 'debug', False):
        std_logging.basicConfig(level=std_logging.DEBUG, stream=sys.stderr)
    try:
        return run(args, **injected)
    except BadInput as exc:
        LOG.debug('%s: bad input', prog, exc_info=True)
        return fail(prog, str(exc))
    except KeyboardInterrupt:
        return fail(prog, 'interrupted')
    except Exception as exc:
        LOG.debug('%s: unexpected error', prog, exc_info=True)
        return fail(prog, 'unexpected %s: %s (details with --debug)' % (
            type(exc).__name__, first_line(exc)))


def format_table(headers, rows):
    """Plain-text table: columns padded to their widest cell.

    The last column is not padded, so long reasons do not leave trailing
    blanks. Returns a list of lines.
    """
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells):
        padded = [c.ljust(w) for c, w in zip(cells[:-1], widths)]
        return '  '.join(padded + [cells[-1]]).rstrip()

    out = [line(list(headers)),
           line(['-' * w for w in widths])]
    out.extend(line(row) for row in rows)
    return out


def dump_json(data, stream):
    json.dump(data, stream, indent=2, sort_keys=False)
    stream.write('\n')


def fail(prog, message, code=EXIT_BAD_INPUT):
    """Print `prog: error: message` on stderr and return the exit code."""
    sys.stderr.write('%s: error: %s\n' % (prog, message))
    return code


_ATTRS = re.compile(r'\[([^\]]*)\]$')
_CLASS_FIXTURE = re.compile(
    r'^(setUpClass|tearDownClass|setUpModule|tearDownModule) \((.+)\)$')


def split_id(test_id):
    """(name, idempotent id or None, class fixture or None) of a test id.

    'pkg.mod.Class.test_x[compute,id-<uuid>,volume]' ->
    ('pkg.mod.Class.test_x', '<uuid>', None);
    'setUpClass (pkg.mod.Class)' -> ('pkg.mod.Class', None, 'setUpClass').
    """
    fixture = None
    match = _CLASS_FIXTURE.match(test_id)
    if match:
        fixture, test_id = match.group(1), match.group(2)
    idempotent = None
    attrs = _ATTRS.search(test_id)
    if attrs:
        for attr in attrs.group(1).split(','):
            if attr.startswith('id-'):
                idempotent = attr[3:]
        test_id = test_id[:attrs.start()]
    return test_id, idempotent, fixture
