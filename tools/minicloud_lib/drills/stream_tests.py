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


"""The tests of a subunit v2 stream as JSON, for the drills.

Run with the cloud's venv python (it has python-subunit, testtools and
this plugin, whose reader of streams this is; the drills run with the
system's):
  .minicloud/venv/bin/python stream_tests.py FILE
prints a list of {id, status, start, stop, traceback}: start and stop in
seconds since the epoch (null if the stream has none), status as subunit
says it ('inprogress' for a test the stream never ended: a killed run).
"""
import json
import sys

from mattach_tempest.cli import report


def _epoch(stamp):
    return None if stamp is None else stamp.timestamp()


def _text(details, name):
    content = details.get(name)
    if content is None:
        return ''
    try:
        return content.as_text()
    except Exception:   # a binary attachment
        return ''


def tests_of(data):
    return [{'id': t['id'], 'status': t['status'],
             'start': _epoch(t['timestamps'][0]),
             'stop': _epoch(t['timestamps'][1]),
             'traceback': (_text(t['details'], 'traceback') or
                           _text(t['details'], 'reason'))}
            for t in report.tests_of_v2(data)
            if t['id'] and t['status'] != 'exists']


if __name__ == '__main__':
    with open(sys.argv[1], 'rb') as stream:
        json.dump(tests_of(stream.read()), sys.stdout)
