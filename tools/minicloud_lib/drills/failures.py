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


"""What a failed test says, read from its traceback: is it explained?

A fault in the cloud must fail a test with a message an operator can act
on: a wait that names what it waited for (the resource's id and a
timeout's words), or an API error naming the request that failed (the
service client's method the traceback passes through). Anything else (an
assertion about a state, a bare exception) is unexplained.
"""
import re

UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                  r'[0-9a-f]{12}', re.IGNORECASE)
# tempest's waiters: "... within the required time (60 s)"; its
# TimeoutException: "Request timed out"; ours (mattach_tempest.common.
# waiters.wait_until): "Timed out after 60 s waiting for ...".
WAIT_WORDS = ('within the required time', 'timed out', 'waiting for',
              'waited')
FRAME = re.compile(r'^  File "(?P<path>[^"]+)", line \d+, in (?P<func>\S+)')
# Exceptions a request raises: tempest's HTTP errors, and the HTTP
# library's own (a read timeout).
REQUEST_ERRORS = ('tempest.lib.exceptions.', 'urllib3.exceptions.')


def exception_text(traceback):
    """The exception's lines: what follows the traceback's last frame."""
    lines = traceback.strip('\n').splitlines()
    last = max([i for i, line in enumerate(lines) if FRAME.match(line)],
               default=-1)
    rest = lines[last + 1:]
    if last >= 0:   # the frame's source line (and 3.11's carets)
        while rest and rest[0].startswith('    '):
            rest = rest[1:]
    return '\n'.join(rest).strip()


def request_of(traceback):
    """'module.method' of the last service client call, or None.

    A service client's public method is a request of its API (tempest's
    tempest/lib/services/..., ours mattach_tempest/services/...).
    """
    calls = [FRAME.match(line) for line in traceback.splitlines()]
    calls = [m for m in calls if m and '/services/' in m.group('path') and
             not m.group('func').startswith('_')]
    if not calls:
        return None
    path = calls[-1].group('path')
    module = path.rsplit('/', 1)[-1].rsplit('.', 1)[0]
    return '%s.%s' % (module, calls[-1].group('func'))


def explanation(traceback):
    """(True, what it names) if the failure is explained; else (False, why).

    Explained: a wait naming a resource id with a timeout's words, or an
    HTTP error (or the HTTP library's timeout) of a named request.
    """
    text = exception_text(traceback)
    if not text:
        return False, 'no exception in the traceback'
    ids = UUID.findall(text)
    if ids and any(word in text.lower() for word in WAIT_WORDS):
        return True, 'a wait on %s' % ids[0]
    request = request_of(traceback)
    if request and text.startswith(REQUEST_ERRORS):
        return True, 'the request %s' % request
    if ids and text.startswith('mattach_tempest.common.waiters.'):
        return True, 'a wait of ours on %s' % ids[0]
    return False, ('names no wait (a timeout naming a resource id) and no '
                   'request (an HTTP error of a service client)')


def first_lines(text, count=3, width=300):
    """The first `count` lines of a message, each cut at `width`."""
    lines = [line if len(line) <= width else line[:width - 3] + '...'
             for line in text.splitlines()[:count]]
    return lines or ['(no message)']
