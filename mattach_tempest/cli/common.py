"""Small helpers the operators' tools share: tables, errors, output."""

import json
import re
import sys


class BadInput(Exception):
    """Something the operator gave us is unusable: one line, no traceback."""


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


def fail(prog, message, code=2):
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
