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

"""Report of a run: what multi-attach capabilities a subunit stream proves.

Reads a subunit v2 stream (a file or stdin: `tempest run --subunit`,
`stestr last --subunit`, or the stream `tools/minicloud run` keeps) and
groups every test by the capability it asserts, one group per behaviour
of the suite (README's list). Each test comes with its status, time and
skip or failure reason. Output: a console table (default), JSON, or a
self-contained HTML page (inline CSS, no external assets, no script).

A test that reproduced a defect its cloud's operator acknowledged in
[mattach] known_defects (mattach_tempest/common/known_defects.py) is
reported as a skip by tempest; here it has its own status, known-defect,
its own count and its own list naming the defect, apart from the skips:
the capability is not proven on that cloud, and it is not a configuration
choice either.

Tests are mapped to capabilities by patterns over their module, class and
method names (GROUP_RULES, first match wins); a test of this plugin no
rule names lands in 'other' (the unit tests fail on that, so a new test
gets a rule). Tests of other suites (tempest's own multiattach tests) are
grouped when their id mentions multiattach, else they go to 'other'.

`mattach report --totals` prints only the run's totals, one line:
`<P> passed, <F> failed, <S> skipped`.

Exit codes: 0 report written; 2 bad input (no such file, not a subunit
v2 stream, no test results), one line on stderr.
"""

import collections
import datetime
import html
import io
import re
import sys

from mattach_tempest.cli import common

PROG = 'mattach report'
HELP = 'group the results of a run by multi-attach capability'
DESCRIPTION = ('Group the results of a subunit v2 stream by the multi-attach '
               'capability each test asserts: a table, JSON or an HTML page; '
               'or only the totals.')
PLUGIN_PREFIX = 'mattach_tempest.'
OTHER = 'other'

# (capability, pattern over 'module.Class.method' in lower case); first
# match wins, so the specific rules come before the generic ones. Every
# test id contains "multiattach": patterns on attach use (?<!multi).
GROUP_RULES = (
    ('data path (guests)', r'\.scenario\.'),
    ('libvirt domain of each holder (whitebox)', r'domain_?xml'),
    ('isolation between projects', r'isolation|other_project|all_tenants'),
    ('plain volumes: one server at a time',
     r'plain_volume_exclusive|held_plain'),
    ('encryption', r'encrypt'),
    ('read-only', r'read_?only|attach_mode|_ro(_|$)'),
    ('concurrency', r'concurren|parallel|simultaneous|(^|[._])race([._]|$)'),
    ('holders on several hosts, and moved between them',
     r'\.test_multiattach_(hosts|move|evacuate)\.|across_hosts'),
    ('extend', r'extend'),
    ('retype', r'retype'),
    ('microversion gate 2.60',
     r'2_59|below_2_60|old_?microversion|microversion_?negative'),
    ('refusals: same server twice / shelved-offloaded / swap / '
     'delete attached / multi-create',
     r'same_server|twice|already_attached|delete_attached|swap|'
     r'multi_?create|min_count|shelve\w*(refus|negative)|'
     r'\.compute\.test_multiattach_negative\.'),
    ('attachments API and nova-owned protection',
     r'attachments?_?api|nova_?owned|protect|os_detach|'
     r'\.test_\w*attachments\.|attachments_?(create|update|complete|list|'
     r'show|delete)'),
    ('boot from volume and bdm',
     r'(?<!re)boot|bdm|block_device|delete_on_termination'),
    ('server lifecycle',
     r'lifecycle|reboot|stop_start|start_stop|resize|rebuild|shelve|'
     r'migrat|suspend|pause|rescue|server_snapshot|snapshot_\w*server|'
     r'volume_backed'),
    ('snapshots', r'snapshot'),
    ('detach', r'detach'),
    ('N-way attach', r'n_servers|n_way|nway|many_servers|all_servers'),
    ('attach and list on both services', r'(?<!multi)attach'),
    ('volume type and creation',
     r'volume_create|create_volume|volume_type|body_flag|type_gives|'
     r'extra_spec'),
)
# The order the report shows them in: the suite's story, README's list.
GROUPS = (
    'volume type and creation',
    'attach and list on both services',
    'N-way attach',
    'detach',
    'microversion gate 2.60',
    'refusals: same server twice / shelved-offloaded / swap / '
    'delete attached / multi-create',
    'plain volumes: one server at a time',
    'isolation between projects',
    'retype',
    'attachments API and nova-owned protection',
    'boot from volume and bdm',
    'server lifecycle',
    'holders on several hosts, and moved between them',
    'concurrency',
    'extend',
    'snapshots',
    'read-only',
    'encryption',
    'data path (guests)',
    'libvirt domain of each holder (whitebox)',
    OTHER,
)

_COMPILED = tuple((name, re.compile(pattern)) for name, pattern in GROUP_RULES)

KNOWN_DEFECT = 'known-defect'
STATUS_ORDER = ('pass', 'fail', KNOWN_DEFECT, 'skip', 'xfail', 'uxsuccess',
                'incomplete')
STATUS_NAMES = {'success': 'pass', 'fail': 'fail', 'skip': 'skip',
                'xfail': 'xfail', 'uxsuccess': 'uxsuccess',
                'inprogress': 'incomplete', 'unknown': 'incomplete',
                'exists': 'incomplete'}
FAILED = ('fail', 'uxsuccess', 'incomplete')
# How the skip of a test that reproduced an acknowledged defect begins,
# then the defect's name (known_defects.ACKNOWLEDGED, which this module
# cannot import: it runs without tempest's configuration).
_ACKNOWLEDGED = re.compile(
    r'^Known defect of this cloud, acknowledged in \[mattach\] '
    r'known_defects: (?P<defect>[\w.-]+): ')


def acknowledged_defect(skip_reason):
    """The defect a skip reason says was reproduced, else None."""
    match = _ACKNOWLEDGED.match(skip_reason)
    return match.group('defect') if match else None


def group_of(test_id):
    """The capability a test id asserts (GROUPS), 'other' if none."""
    name = common.split_id(test_id)[0]
    lowered = name.lower()
    if not name.startswith(PLUGIN_PREFIX) and not re.search(
            r'multi_?attach', lowered):
        return OTHER
    text = lowered[len(PLUGIN_PREFIX):] if name.startswith(
        PLUGIN_PREFIX) else lowered
    for group, pattern in _COMPILED:
        if pattern.search(text):
            return group
    return OTHER


def short_name(name):
    """'Class.test_method' of a dotted test name (the module is long)."""
    parts = name.split('.')
    if len(parts) >= 2 and parts[-1].startswith('test'):
        return '.'.join(parts[-2:])
    return parts[-1]


# -- reading the stream -------------------------------------------------------

def _detail_text(details, *names):
    for name in names:
        content = details.get(name)
        if content is not None:
            try:
                return content.as_text()
            except Exception:   # binary attachment
                return ''
    return ''


def failure_reason(traceback_text):
    """The exception lines of a traceback, on one line, at most 300 chars."""
    lines = traceback_text.strip().splitlines()
    start = 0
    for i, line in enumerate(lines):
        if line.startswith('Traceback (most recent call last)'):
            start = i + 1
    tail = [line for line in lines[start:]
            if line.strip() and not line.startswith((' ', '\t'))]
    text = ' '.join(' '.join(tail).split())
    return text if len(text) <= 300 else text[:297] + '...'


def _seconds(timestamps):
    if len(timestamps) < 2 or None in timestamps[:2]:
        return None
    return max(0.0, (timestamps[1] - timestamps[0]).total_seconds())


def test_record(test):
    """A plain dict for one StreamToDict test dict."""
    name, idempotent, fixture = common.split_id(test['id'])
    status = STATUS_NAMES.get(test['status'], test['status'])
    details = test['details']
    defect = None
    if status == 'skip':
        reason = ' '.join(_detail_text(details, 'reason').split())
        defect = acknowledged_defect(reason)
        if defect:
            status = KNOWN_DEFECT
    elif status in FAILED:
        reason = failure_reason(_detail_text(
            details, 'traceback', 'reason', 'error'))
        if status == 'incomplete' and not reason:
            reason = 'no result: the test did not finish'
    else:
        reason = ''
    return {'id': test['id'], 'name': name,
            'short_name': ('%s (%s)' % (fixture, short_name(name)) if fixture
                           else short_name(name)),
            'idempotent_id': idempotent, 'group': group_of(test['id']),
            'status': status, 'time': _seconds(test['timestamps']),
            'reason': reason, 'defect': defect}


def tests_of_v2(data):
    """Test dicts of a subunit v2 stream; the parser's complaints included.

    Bytes that are not packets (a run's stray stdout) are left aside; a
    damaged packet becomes a failed test named PARSER_ERROR_ID.
    """
    import subunit
    import testtools
    tests = []
    result = testtools.StreamToDict(tests.append)
    result.startTestRun()
    try:
        subunit.ByteStreamToStreamResult(
            io.BytesIO(data), non_subunit_name='stdout').run(result)
    finally:
        result.stopTestRun()
    return tests


# The test id subunit's v2 parser reports a damaged packet under.
PARSER_ERROR_ID = 'subunit.parser'


def read_stream(stream):
    """Test records of a subunit v2 byte stream; BadInput if there is none.

    `tempest run --subunit`, `stestr last --subunit`. A stream whose first
    packet is damaged is refused; damage after some results (a run killed
    while writing) shows as a failed test, PARSER_ERROR_ID.
    """
    data = stream.read()
    if not data:
        raise common.BadInput('empty: no test results in the stream')
    tests = tests_of_v2(data)
    damaged = [t for t in tests if t['id'] == PARSER_ERROR_ID]
    # 'exists' only lists a test (a --list-tests stream): not a result.
    results = [t for t in tests if t['id'] and t['id'] != PARSER_ERROR_ID
               and t['status'] != 'exists']
    if not results:
        if damaged:
            raise common.BadInput('not a subunit v2 stream: %s' % (
                ' '.join(_detail_text(damaged[0]['details'],
                                      'Parser Error').split())[:120] or
                'unreadable packet'))
        if not any(t['id'] for t in tests):
            raise common.BadInput('not a subunit v2 stream: no test packet')
        raise common.BadInput('no test results in the stream')
    return [test_record(t) for t in results + damaged]


PASSED = ('pass', 'xfail')
SKIPPED = ('skip', KNOWN_DEFECT)


def totals(records):
    """(passed, failed, skipped) of test records.

    tempest's summary counts; an expected failure passes, an unexpected
    success or a test that did not finish fails, a reproduced known defect
    is the skip tempest reported.
    """
    counts = collections.Counter(r['status'] for r in records)
    return (sum(counts[s] for s in PASSED), sum(counts[s] for s in FAILED),
            sum(counts[s] for s in SKIPPED))


def totals_line(records):
    return '%d passed, %d failed, %d skipped' % totals(records)


# -- the report ---------------------------------------------------------------

def _ordered(counts):
    return {s: counts[s] for s in STATUS_ORDER if counts[s]}


def verdict(counts):
    if not sum(counts.values()):
        return 'NOT RUN'
    if any(counts[s] for s in FAILED):
        return 'FAIL'
    # Passes beside it do not prove the capability on this cloud.
    if counts[KNOWN_DEFECT]:
        return 'KNOWN DEFECT'
    if counts['pass'] or counts['xfail']:
        return 'PASS'
    return 'SKIP'


def build(records, source=''):
    """The report as a dict (what --json prints)."""
    by_group = collections.OrderedDict((g, []) for g in GROUPS)
    for record in sorted(records, key=lambda r: r['id']):
        by_group[record['group']].append(record)
    groups = []
    for name, tests in by_group.items():
        if name == OTHER and not tests:
            continue
        counts = collections.Counter(t['status'] for t in tests)
        groups.append({
            'name': name, 'verdict': verdict(counts),
            'counts': _ordered(counts),
            'time': round(sum((t['time'] or 0.0 for t in tests), 0.0), 3),
            'tests': tests})
    totals = collections.Counter(r['status'] for r in records)
    return {'source': source,
            'generated': datetime.datetime.now(datetime.timezone.utc)
            .strftime('%Y-%m-%d %H:%M:%S UTC'),
            'totals': dict(_ordered(totals), total=len(records)),
            'verdict': verdict(totals),
            'groups': groups,
            'known_defects': known_defects(records)}


def known_defects(records):
    """The acknowledged defects the run reproduced, by defect then test."""
    return [{'defect': r['defect'], 'id': r['id'],
             'short_name': r['short_name'], 'group': r['group'],
             'reason': r['reason']}
            for r in sorted(records, key=lambda r: (r['defect'] or '',
                                                    r['id']))
            if r['status'] == KNOWN_DEFECT]


DEFECTS_TITLE = ('Known defects of this cloud, acknowledged in [mattach] '
                 'known_defects and reproduced')


def _time(seconds):
    return '' if seconds is None else '%.1fs' % seconds


def _counts_text(counts):
    return ', '.join('%d %s' % (n, s) for s, n in counts.items()) or '-'


TEXT_REASON_CHARS = 160


def _clip(text, limit=TEXT_REASON_CHARS):
    return text if len(text) <= limit else text[:limit - 3] + '...'


def render_text(report):
    out = ['mattach-tempest report of %s' % (report['source'] or 'stdin'),
           '']
    out += common.format_table(
        ('VERDICT', 'TESTS', 'CAPABILITY'),
        [(g['verdict'], _counts_text(g['counts']), g['name'])
         for g in report['groups']])
    for group in report['groups']:
        if not group['tests']:
            continue
        out += ['', '== %s: %s' % (group['name'], group['verdict'])]
        out += ['  ' + line for line in common.format_table(
            ('STATUS', 'TIME', 'TEST', 'REASON'),
            [(t['status'].upper(), _time(t['time']), t['short_name'],
              _clip(t['reason'])) for t in group['tests']])]
    defects = report['known_defects']
    if defects:
        out += ['', '== %s: %d' % (DEFECTS_TITLE, len(defects))]
        out += ['  ' + line for line in common.format_table(
            ('DEFECT', 'TEST', 'CAPABILITY'),
            [(d['defect'], d['short_name'], d['group']) for d in defects])]
    totals = dict(report['totals'])
    total = totals.pop('total')
    out += ['', 'Total: %d test(s): %s; verdict %s' % (
        total, _counts_text(totals), report['verdict'])]
    return '\n'.join(out) + '\n'


_CSS = """
body{font-family:sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin:0}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;
vertical-align:top}
th{background:#eee}td.reason{font-family:monospace;font-size:.9em;
white-space:pre-wrap;max-width:60em}
.s{font-weight:bold;padding:0 .4em;border-radius:3px}
.PASS,.pass{background:#c8f0c8}.FAIL,.fail,.uxsuccess,.incomplete{
background:#f6c0c0}.SKIP,.skip,.xfail{background:#f3e7b0}
.KNOWN-DEFECT,.known-defect{background:#f3c890}
.NOT-RUN{background:#ddd}details{margin:1em 0}summary{cursor:pointer}
"""


def render_html(report):
    e = html.escape

    def chip(status):
        return '<span class="s %s">%s</span>' % (
            e(status.replace(' ', '-')), e(status.upper()))

    totals = dict(report['totals'])
    total = totals.pop('total')
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             '<title>mattach-tempest report</title>',
             '<style>%s</style></head><body>' % _CSS,
             '<h1>mattach-tempest: multi-attach capabilities</h1>',
             '<p>Source: %s<br>Generated: %s<br>Total: %d test(s): %s; '
             'verdict %s</p>' % (e(report['source'] or 'stdin'),
                                 e(report['generated']), total,
                                 e(_counts_text(totals)),
                                 chip(report['verdict'])),
             '<table><tr><th>Capability</th><th>Verdict</th>'
             '<th>Tests</th></tr>']
    for group in report['groups']:
        parts.append('<tr><td>%s</td><td>%s</td><td>%s</td></tr>' % (
            e(group['name']), chip(group['verdict']),
            e(_counts_text(group['counts']))))
    parts.append('</table>')
    defects = report['known_defects']
    if defects:
        parts.append('<h2>%s: %d</h2>' % (e(DEFECTS_TITLE), len(defects)))
        parts.append('<table><tr><th>Defect</th><th>Test</th>'
                     '<th>Capability</th><th>Reason</th></tr>')
        for defect in defects:
            parts.append(
                '<tr><td>%s</td><td title="%s">%s</td><td>%s</td>'
                '<td class="reason">%s</td></tr>' % (
                    e(defect['defect']), e(defect['id']),
                    e(defect['short_name']), e(defect['group']),
                    e(defect['reason'])))
        parts.append('</table>')
    for group in report['groups']:
        if not group['tests']:
            continue
        parts.append('<details%s><summary><h2 style="display:inline">%s '
                     '%s</h2></summary>' % (
                         ' open' if group['verdict'] == 'FAIL' else '',
                         e(group['name']), chip(group['verdict'])))
        parts.append('<table><tr><th>Status</th><th>Time</th><th>Test</th>'
                     '<th>Reason</th></tr>')
        for test in group['tests']:
            parts.append(
                '<tr><td>%s</td><td>%s</td><td title="%s">%s</td>'
                '<td class="reason">%s</td></tr>' % (
                    chip(test['status']), e(_time(test['time'])),
                    e(test['id']), e(test['short_name']),
                    e(test['reason'])))
        parts.append('</table></details>')
    parts.append('</body></html>')
    return '\n'.join(parts) + '\n'


# -- command line -------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument('stream', nargs='?', default='-',
                        help='subunit v2 file, - for stdin (default)')
    output = parser.add_mutually_exclusive_group()
    output.add_argument('--json', action='store_true',
                        help='JSON on stdout instead of the table')
    output.add_argument('--html', action='store_true',
                        help='a self-contained HTML page on stdout instead '
                             'of the table')
    output.add_argument('--totals', action='store_true',
                        help='only one line: <P> passed, <F> failed, '
                             '<S> skipped')
    parser.add_argument('--json-file', metavar='FILE',
                        help='also write the JSON to FILE')
    parser.add_argument('--html-file', metavar='FILE',
                        help='also write the HTML page to FILE')


def _write(path, text):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def _json_text(report):
    buf = io.StringIO()
    common.dump_json(report, buf)
    return buf.getvalue()


def read_records(path, stdin=None):
    """Test records of a subunit v2 file, or of stdin for '-' (BadInput)."""
    source = 'stdin' if path == '-' else path
    try:
        if path == '-':
            return read_stream(stdin or sys.stdin.buffer)
        try:
            stream = open(path, 'rb')
        except OSError as exc:
            raise common.BadInput('cannot read: %s' % (exc.strerror or exc))
        with stream:
            return read_stream(stream)
    except common.BadInput as exc:
        raise common.BadInput('%s: %s' % (source, exc))


def run(args, stdin=None, stdout=None):
    stdout = stdout or sys.stdout
    records = read_records(args.stream, stdin)
    if args.totals:
        stdout.write(totals_line(records) + '\n')
        return common.EXIT_OK
    report = build(records, '' if args.stream == '-' else args.stream)
    try:
        if args.json_file:
            _write(args.json_file, _json_text(report))
        if args.html_file:
            _write(args.html_file, render_html(report))
    except OSError as exc:
        raise common.BadInput('cannot write %s: %s' % (
            exc.filename, exc.strerror or exc))
    if args.json:
        stdout.write(_json_text(report))
    elif args.html:
        stdout.write(render_html(report))
    else:
        stdout.write(render_text(report))
    return common.EXIT_OK


def main(argv=None, **injected):
    return common.run_command(PROG, sys.modules[__name__], argv, **injected)


if __name__ == '__main__':
    sys.exit(main())
