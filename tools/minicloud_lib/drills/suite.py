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


"""What the drills share about the suite in the local cloud's venv.

The drills run under the system python; the suite, tempest and
python-subunit live in the cloud's venv. This module installs the
checkout's plugin there when it is missing, reads a run's subunit stream
through the venv (stream_tests.py) and runs `mattach cleanup`.
"""
import glob
import json
import os
import subprocess

from .. import cli as minicloud_cli
from .. import layout
from .. import tempest_ws

STREAM_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'stream_tests.py')
MATTACH = os.path.join(layout.TOOLS, 'mattach')
CLEANUP_TIMEOUT = 600


def installed():
    """Whether the venv has this checkout's plugin (pip install -e)."""
    finders = glob.glob(os.path.join(
        layout.VENV, 'lib', 'python3*', 'site-packages',
        '__editable___mattach_tempest_*_finder.py'))
    for finder in finders:
        with open(finder) as src:
            if os.path.join(layout.REPO, 'mattach_tempest') in src.read():
                return True
    return False


def ensure_installed():
    if not installed():
        minicloud_cli._install_repo()   # as `tools/minicloud run` does


def start_run(regex, concurrency, stream_path, config_file=None):
    """`tempest run` of the workspace, its subunit stream into a file.

    In a process group of its own (tempest, stestr and its workers), so
    that a drill can signal all of them at once. Returns (Popen, argv).
    """
    argv = [os.path.join(layout.VBIN, 'tempest'), 'run', '--subunit',
            '--regex', regex, '--concurrency', str(concurrency)]
    if config_file:
        argv += ['--config-file', config_file]
    env = tempest_ws.env(config_file) if config_file else tempest_ws.env()
    with open(stream_path, 'wb') as stream:
        proc = subprocess.Popen(argv, cwd=layout.TEMPEST, env=env,
                                stdout=stream, start_new_session=True)
    return proc, argv


def read_tests(stream_path):
    """The tests of a subunit stream: [{id, status, start, stop, ...}].

    A test the stream started and never ended (a killed run) has the
    status 'inprogress'.
    """
    out = subprocess.run(
        [os.path.join(layout.VBIN, 'python'), STREAM_TESTS, stream_path],
        check=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout)


def cleanup(config_file):
    """`mattach cleanup --config-file config_file`; its exit status."""
    argv = [MATTACH, 'cleanup', '--config-file', config_file]
    print('drills: %s' % ' '.join(argv), flush=True)
    return subprocess.run(argv, timeout=CLEANUP_TIMEOUT).returncode
