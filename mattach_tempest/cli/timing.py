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

"""Where a run's time went: per test class, the seconds spent waiting.

Reads the mattach-wait lines the test bases log to tempest.log
(mattach_tempest.common.timing: one line per wait on a server) and
prints, per test class, the servers it booted and the seconds its waits
took: boots (to ACTIVE), boots to SSH-able guests and SSH after a
restart, attaches, detaches, deletes; with --subunit, also the seconds
of the class's tests. Classes come largest total wait first; a totals
line ends the table. The waits of one class's resource_setup count for
that class. Waits of concurrent workers overlap: the sums are the
seconds the tests waited, not the run's wall time.

    mattach timing <tempest.log>                  # every run in the log
    mattach timing --since '2026-01-31 10:00:00' <tempest.log>
    mattach timing --from-byte <its size before the run> <tempest.log>
    mattach timing --subunit run.subunit --json <tempest.log>
    grep mattach-wait tempest.log | mattach timing -     # stdin

Exit codes: 0 table written; 1 the log holds no mattach-wait line (in
the part --since and --from-byte select); 2 bad input (no such file, a
damaged line, a bad --since or --from-byte, an unreadable subunit
stream), one line on stderr.
"""

import collections
import datetime
import os
import sys

from mattach_tempest.cli import common
from mattach_tempest.cli import report
from mattach_tempest.common import timing

PROG = 'mattach timing'
HELP = 'per test class: servers booted and the seconds spent waiting'
DESCRIPTION = ('Per test class, from the mattach-wait lines of tempest.log: '
               'the servers it booted and the seconds it waited for boots, '
               'SSH, attaches, detaches and deletes; largest total wait '
               'first.')
SINCE_FORMAT = '%Y-%m-%d %H:%M:%S'

#: The table's wait columns: (heading, the kinds each adds up).
COLUMNS = (
    ('BOOT', ('boot',)),
    ('BOOT+SSH', ('boot-ssh', 'ssh')),
    ('ATTACH', ('attach',)),
    ('DETACH', ('detach',)),
    ('DELETE', ('delete',)),
)


def read_waits(lines, since=None):
    """The waits of tempest.log lines (text), those from `since` on.

    :param since: 'YYYY-MM-DD HH:MM:SS'; a line without a timestamp is
        kept.
    :raises common.BadInput: a damaged mattach-wait line (its number).
    """
    waits = []
    for number, line in enumerate(lines, 1):
        try:
            wait = timing.parse_line(line)
        except ValueError as exc:
            raise common.BadInput('line %d: %s' % (number, exc))
        if wait and not (since and wait['time'] and wait['time'] < since):
            waits.append(wait)
    return waits


def class_of(test_id):
    """'<module>.<Class>' of a subunit test id (or of its class fixture)."""
    name, _idempotent, fixture = common.split_id(test_id)
    return name if fixture else name.rpartition('.')[0]


def test_seconds(records):
    """{class: seconds of its tests} of report.read_stream's records."""
    seconds = collections.defaultdict(float)
    for record in records:
        seconds[class_of(record['id'])] += record['time'] or 0.0
    return dict(seconds)


def class_seconds(tests):
    """{class: seconds it held its worker} of report.tests_of_v2's dicts.

    What a schedule must balance: a class holds its worker for its
    tests and for its class fixtures (credentials, class guests booted
    in resource_setup, their deletes), which the stream does not time.
    Per worker (its 'worker-N' tag), classes in the order they ended: a
    class's seconds run from the end of the worker's class before it
    (the first: from the run's first start) to the end of its own last
    test. So a class's resource_setup counts for it and its
    resource_cleanup for the class after it; a worker's classes add up
    to its busy time, all but the last class's cleanup.
    """
    timed = [t for t in tests if t.get('id') and t.get('timestamps') and
             None not in t['timestamps'][:2] and len(t['timestamps']) > 1]
    if not timed:
        return {}
    first = min(t['timestamps'][0] for t in timed)
    ends = collections.defaultdict(dict)
    for test in timed:
        worker = min((tag for tag in test.get('tags', ())
                      if tag.startswith('worker-')), default='')
        name = class_of(test['id'])
        ends[worker][name] = max(ends[worker].get(name, first),
                                 test['timestamps'][1])
    seconds = collections.defaultdict(float)
    for classes in ends.values():
        previous = first
        for name, end in sorted(classes.items(), key=lambda item: item[1]):
            seconds[name] += (end - previous).total_seconds()
            previous = end
    return dict(seconds)


def _new_row(class_name):
    return {'class': class_name, 'servers': 0,
            'seconds': {kind: 0.0 for kind in timing.KINDS},
            'counts': {kind: 0 for kind in timing.KINDS},
            'failed': 0, 'waited': 0.0, 'tests': None}


def aggregate(waits, tests=None):
    """Rows per class, largest total wait first, and their totals.

    :param tests: {class: seconds of its tests} (test_seconds) or None.
    :returns: {'classes': [row], 'totals': row}; a row has 'class',
        'servers' (booted), 'seconds' and 'counts' per kind, 'failed'
        (waits that raised), 'waited' (all its waits) and 'tests' (None
        without a subunit stream).
    """
    rows = {}
    totals = _new_row('TOTAL')
    for wait in waits:
        row = rows.setdefault(wait['class'], _new_row(wait['class']))
        for target in (row, totals):
            target['seconds'][wait['kind']] += wait['seconds']
            target['counts'][wait['kind']] += 1
            target['waited'] += wait['seconds']
            target['servers'] += wait['kind'] in timing.BOOTS
            target['failed'] += wait['failed']
    if tests is not None:
        totals['tests'] = 0.0
        for row in rows.values():
            row['tests'] = tests.get(row['class'], 0.0)
            totals['tests'] += row['tests']
    ordered = sorted(rows.values(), key=lambda r: (-r['waited'], r['class']))
    for row in ordered + [totals]:
        _round(row)
    return {'classes': ordered, 'totals': totals}


def _round(row):
    row['seconds'] = {k: round(v, 3) for k, v in row['seconds'].items()}
    row['waited'] = round(row['waited'], 3)
    if row['tests'] is not None:
        row['tests'] = round(row['tests'], 3)


def _short_names(class_names):
    """{class: its name without the module}, the module kept if ambiguous."""
    short = collections.Counter(n.rpartition('.')[2] for n in class_names)
    return {n: n.rpartition('.')[2] if short[n.rpartition('.')[2]] == 1
            else n for n in class_names}


def render_text(result, source):
    rows = result['classes']
    with_tests = result['totals']['tests'] is not None
    names = _short_names([r['class'] for r in rows])
    headers = (['CLASS', 'SERVERS'] + [c for c, _k in COLUMNS] +
               ['WAITED'] + (['TESTS'] if with_tests else []))

    def cells(row, name):
        out = [name, row['servers']]
        out += ['%.1f' % sum(row['seconds'][k] for k in kinds)
                for _c, kinds in COLUMNS]
        out.append('%.1f' % row['waited'])
        if with_tests:
            out.append('%.1f' % row['tests'])
        return out

    table = common.format_table(
        headers, [cells(r, names[r['class']]) for r in rows] +
        [cells(result['totals'], 'TOTAL (%d classes)' % len(rows))])
    # The totals row apart from the classes, under a rule of its own.
    table.insert(len(table) - 1, table[1])
    out = ['Seconds spent waiting, per test class, from %s' % source, '']
    out += table
    failed = result['totals']['failed']
    if failed:
        out.append('%d wait(s) ended in an error (counted above).' % failed)
    return '\n'.join(out) + '\n'


# -- command line -------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument('log', metavar='TEMPEST_LOG',
                        help="tempest's log file (tempest.log), - for stdin")
    parser.add_argument('--since', metavar="'YYYY-MM-DD HH:MM:SS'",
                        help="only the waits logged from then on (the "
                             "log's local time)")
    parser.add_argument('--from-byte', metavar='OFFSET', type=int,
                        default=0,
                        help="only the lines from this byte on (the log's "
                             "size before a run: that run's waits)")
    parser.add_argument('--subunit', metavar='STREAM',
                        help="the run's subunit v2 stream (- for stdin): "
                             "adds each class's test seconds")
    parser.add_argument('--json', action='store_true',
                        help='JSON on stdout instead of the table')


def parse_since(text):
    """--since, checked: 'YYYY-MM-DD HH:MM:SS' (BadInput otherwise)."""
    try:
        datetime.datetime.strptime(text, SINCE_FORMAT)
    except ValueError:
        raise common.BadInput("--since %r is not 'YYYY-MM-DD HH:MM:SS'"
                              % text)
    return text


def _waits(path, since, offset, stdin):
    source = 'stdin' if path == '-' else path
    try:
        if path == '-':
            return read_waits(stdin or sys.stdin, since)
        try:
            stream = open(path, 'rb')
        except OSError as exc:
            raise common.BadInput('cannot read: %s' % (exc.strerror or exc))
        with stream:
            if offset > os.fstat(stream.fileno()).st_size:
                raise common.BadInput('--from-byte %d is past its end'
                                      % offset)
            stream.seek(offset)
            return read_waits((line.decode('utf-8', 'replace')
                               for line in stream), since)
    except common.BadInput as exc:
        raise common.BadInput('%s: %s' % (source, exc))


def run(args, stdin=None, stdout=None):
    stdout = stdout or sys.stdout
    since = parse_since(args.since) if args.since else None
    if args.subunit == '-' and args.log == '-':
        raise common.BadInput('stdin cannot be both the log and the stream')
    tests = (test_seconds(report.read_records(args.subunit))
             if args.subunit else None)
    if args.from_byte < 0 or (args.from_byte and args.log == '-'):
        raise common.BadInput('--from-byte takes a size of the log file, '
                              'not %d%s' % (args.from_byte, ' of stdin' if
                                            args.log == '-' else ''))
    waits = _waits(args.log, since, args.from_byte, stdin)
    source = 'stdin' if args.log == '-' else args.log
    if args.from_byte:
        source += ' (from byte %d)' % args.from_byte
    if not waits:
        return common.fail(PROG, 'no %s lines in %s%s' % (
            timing.MARK, source, ' since %s' % since if since else ''),
            code=common.EXIT_FAILED)
    result = aggregate(waits, tests)
    if args.json:
        common.dump_json(dict(result, source=source, since=since), stdout)
    else:
        stdout.write(render_text(result, source))
    return common.EXIT_OK


def main(argv=None, **injected):
    return common.run_command(PROG, sys.modules[__name__], argv, **injected)


if __name__ == '__main__':
    sys.exit(main())
