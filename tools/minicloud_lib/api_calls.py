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

"""What the suite asked the cloud to do: its API calls, counted.

tempest's rest client logs one line per request it sends:

  ... Request (SomeTest:test_x): 202 POST http://127.0.0.1:29174/v2.1/...

A run's lines (tempest.log from its size before the run) are counted by
call: method and path with every id made a placeholder ({id} for a UUID,
{project} for a 32-digit hex id), the query string left out. The cloud's
work per call is what `tools/minicloud op-costs` measures; the counts of
the calls that start the expensive work (a server's boot, an attachment)
are what that work is multiplied by.
"""
import collections
import json
import re

REQUEST = re.compile(
    r'Request \((?P<caller>[^)]*)\): (?P<status>\d{3}) (?P<method>[A-Z]+) '
    r'(?P<url>\S+)')
_UUID = re.compile(r'[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
                   r'[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')
_HEX32 = re.compile(r'(?<=/)[0-9a-f]{32}(?=/|$)')
_ORIGIN = re.compile(r'^[a-z]+://[^/]+')
# mattach_tempest.common.timing's line for a guest waited for until its
# SSH answered: a real guest, which boots a kernel (the API image halts).
GUEST_BOOT = re.compile(r'mattach-wait kind=boot-ssh ')

# The calls that start the cloud's expensive work, by name. A call fails
# (4xx, 5xx) before that work starts, so only successes count.
OPERATIONS = collections.OrderedDict([
    ('guest boot (to SSH)', None),      # guest_boots()
    ('server boot', ('POST', '/v2.1/servers')),     # less the guests
    ('server delete', ('DELETE', '/v2.1/servers/{id}')),
    ('volume attach (nova)',
     ('POST', '/v2.1/servers/{id}/os-volume_attachments')),
    ('volume detach (nova)',
     ('DELETE', '/v2.1/servers/{id}/os-volume_attachments/{id}')),
    ('volume create', ('POST', '/v3/{project}/volumes')),
    ('volume delete', ('DELETE', '/v3/{project}/volumes/{id}')),
    ('project (credentials)', ('POST', '/v3/projects')),
    ('GET server', ('GET', '/v2.1/servers/{id}')),
    ('GET volume', ('GET', '/v3/{project}/volumes/{id}')),
    ('GET server attachments',
     ('GET', '/v2.1/servers/{id}/os-volume_attachments')),
])


def template(url):
    """The call's path with its ids as placeholders, without the query."""
    path = _ORIGIN.sub('', url).split('?', 1)[0]
    return _HEX32.sub('{project}', _UUID.sub('{id}', path))


def count(lines):
    """{(method, template): [calls, of them successful]} of log lines."""
    counts = collections.defaultdict(lambda: [0, 0])
    for line in lines:
        m = REQUEST.search(line)
        if not m:
            continue
        entry = counts[(m.group('method'), template(m.group('url')))]
        entry[0] += 1
        if int(m.group('status')) < 400:
            entry[1] += 1
    return dict(counts)


def guest_boots(lines):
    """How many guests the run waited for until their SSH answered."""
    return sum(1 for line in lines if GUEST_BOOT.search(line))


def operations(counts, guests):
    """{operation name: successful calls} for OPERATIONS.

    'server boot' counts the other servers: those of the API image.
    """
    ops = collections.OrderedDict(
        (name, counts.get(call, [0, 0])[1] if call else 0)
        for name, call in OPERATIONS.items())
    ops['guest boot (to SSH)'] = guests
    ops['server boot'] = max(0, ops['server boot'] - guests)
    return ops


def report(counts, top=12):
    """The run's calls as lines: total, then the most frequent."""
    total = sum(n for n, _ok in counts.values())
    lines = ['API calls of the suite (tempest.log): %d' % total,
             '%6s %6s  CALL' % ('CALLS', 'OK')]
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    for (method, path), (n, ok) in ranked[:top]:
        lines.append('%6d %6d  %s %s' % (n, ok, method, path))
    rest = ranked[top:]
    if rest:
        lines.append('%6d %6d  %d more calls' % (
            sum(n for _k, (n, _ok) in rest),
            sum(ok for _k, (_n, ok) in rest), len(rest)))
    return lines


def dump(counts, guests, path):
    """Keep the counts as JSON, for op-costs."""
    with open(path, 'w') as f:
        json.dump({'calls': [[m, p, n, ok] for (m, p), (n, ok)
                             in sorted(counts.items())],
                   'guest_boots': guests}, f, indent=0)


def load(path):
    """(counts, guest boots) as dump() kept them."""
    with open(path) as f:
        data = json.load(f)
    return ({(m, p): [n, ok] for m, p, n, ok in data['calls']},
            data['guest_boots'])
