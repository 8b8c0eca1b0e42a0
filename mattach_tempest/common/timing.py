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

"""The seconds a test class spends waiting for its servers, one log line each.

The test bases (tests/api/base.py, tests/scenario/manager.py,
tests/nova_attach.py) time every wait on a server with `waiting` and log
it to tempest.log as one INFO line:

    mattach-wait kind=boot class=<module>.<Class> server=<id> seconds=12.345

with `result=error` appended when the wait raised (a boot that timed out
costs its seconds too). `mattach timing` reads these lines back
(parse_line) and adds them up per class. The class is the concrete test
class, also for waits in its resource_setup.

Kinds (KINDS): boot (create request until ACTIVE), boot-ssh (create
request until the guest answers over SSH), ssh (SSH-able again after a
restart), attach (request until cinder lists the attachment), detach
(request until neither service lists it), delete (delete request until
the server is gone). A boot or boot-ssh line is one server booted.

This module imports neither tempest nor its configuration: the command
line reads the lines where no tempest.conf is.
"""

import contextlib
import re
import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

MARK = 'mattach-wait'
KINDS = ('boot', 'boot-ssh', 'ssh', 'attach', 'detach', 'delete')
#: The kinds of which each line is one server booted.
BOOTS = ('boot', 'boot-ssh')
#: No server id (a wait whose create request failed).
NO_SERVER = '-'

# oslo.log's record starts '<date> <time>.<msecs> <pid> <LEVEL> ...'.
_TIMESTAMP = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)')
_FIELD = re.compile(r'(\w+)=(\S+)')


def class_path(test_class):
    """'<module>.<Class>': how a test id names the class (subunit)."""
    return '%s.%s' % (test_class.__module__, test_class.__name__)


def format_line(kind, class_name, server_id, seconds, failed=False):
    """The text of one wait's log line (after oslo.log's prefix)."""
    text = '%s kind=%s class=%s server=%s seconds=%.3f' % (
        MARK, kind, class_name, server_id or NO_SERVER, seconds)
    return text + ' result=error' if failed else text


class Wait(object):
    """One timed wait; `server` may be set once the create answered."""

    def __init__(self, test_class, kind, server_id=None):
        if kind not in KINDS:
            raise ValueError('unknown wait kind %r' % kind)
        self.test_class = test_class
        self.kind = kind
        self.server = server_id


@contextlib.contextmanager
def waiting(test_class, kind, server_id=None, clock=time.monotonic,
            started=None):
    """Time the block; log one line for `test_class` when it ends.

    Yields the Wait, whose ``server`` a boot sets from the create answer.
    A block that raises is logged too (result=error), then re-raised.

    :param test_class: the test class (a test's ``type(self)``, or the
        class in its resource_setup).
    :param started: when the wait began (clock()'s time: a request sent
        before the block); now when None.
    """
    wait = Wait(test_class, kind, server_id)
    started = clock() if started is None else started
    failed = True
    try:
        yield wait
        failed = False
    finally:
        LOG.info(format_line(kind, class_path(wait.test_class), wait.server,
                             clock() - started, failed))


class Bracket(object):
    """A wait that cleanups registered by someone else do (tempest's).

    Register `stop` as a cleanup before the resource exists and `start`
    right after: cleanups run last in, first out, so `start` runs just
    before the cleanups registered in between (a delete and its wait)
    and `stop` just after them.
    """

    def __init__(self, test_class, kind, clock=time.monotonic):
        self.wait = Wait(test_class, kind)
        self._clock = clock
        self._started = None

    def start(self):
        self._started = self._clock()

    def stop(self):
        if self._started is None:     # the resource was never made
            return
        LOG.info(format_line(self.wait.kind,
                             class_path(self.wait.test_class),
                             self.wait.server,
                             self._clock() - self._started))


def parse_line(line):
    """The wait a tempest.log line records, or None.

    :returns: {'time': 'YYYY-MM-DD HH:MM:SS' or None, 'kind', 'class',
        'server', 'seconds' (float), 'failed' (bool)}.
    :raises ValueError: a mattach-wait line without its fields.
    """
    head, mark, rest = line.partition(MARK + ' ')
    if not mark:
        return None
    fields = dict(_FIELD.findall(rest))
    try:
        kind, class_name, server = (fields['kind'], fields['class'],
                                    fields['server'])
        seconds = float(fields['seconds'])
    except (KeyError, ValueError):
        raise ValueError('damaged %s line: %s' % (MARK, line.strip()[:200]))
    if kind not in KINDS:
        raise ValueError('unknown kind %r in: %s' % (kind,
                                                     line.strip()[:200]))
    stamp = _TIMESTAMP.match(head)
    return {'time': stamp.group(1) if stamp else None, 'kind': kind,
            'class': class_name, 'server': server, 'seconds': seconds,
            'failed': fields.get('result') == 'error'}
