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

"""Start, watch and stop minicloud's daemons, by PID file only.

There is no systemd here. Every daemon we start runs in its own session
(process group); its PID and start time go to
`.minicloud/run/pids/<name>.pid`. A daemon is ours while that PID has that
start time; `down` signals only the members of its process group started no
earlier than it (workers, privsep helpers), so a recycled PID or someone
else's process is never touched.
"""
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from . import layout


class StartError(Exception):
    """A service did not come up; the message names it and has its log tail."""


def pidfile(name):
    return os.path.join(layout.PIDS, name + '.pid')


def logfile(name):
    return os.path.join(layout.LOGS, name + '.log')


def stat_fields(line):
    """Fields of a /proc/<pid>/stat line after the command name.

    The name may contain spaces and ')': split after its last ')'. Field
    N of proc(5) is index N - 3 (state is 0, utime 11, starttime 19).
    """
    return line.rsplit(')', 1)[1].split()


def _stat(pid):
    """Fields of /proc/<pid>/stat after the command name, or None."""
    try:
        with open('/proc/%s/stat' % pid) as f:
            return stat_fields(f.read())
    except OSError:
        return None


def _start_time(pid):
    """Start time in clock ticks (field 22), None if gone or a zombie."""
    fields = _stat(pid)
    if not fields or fields[0] == 'Z':
        return None
    return int(fields[19])


def _read_pidfile(name):
    try:
        with open(pidfile(name)) as f:
            pid, started = f.read().split()
        return int(pid), int(started)
    except (OSError, ValueError):
        return None


def read_pid(name):
    """PID of our running daemon `name`, or None."""
    rec = _read_pidfile(name)
    if rec and _start_time(rec[0]) == rec[1]:
        return rec[0]
    return None


def start(name, argv, env=None, cwd=None):
    """Start argv as daemon `name`, output to logs/<name>.log."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with open(logfile(name), 'ab') as log:
        log.write(('\n==== minicloud start %s: %s\n'
                   % (time.strftime('%F %T'), ' '.join(argv))).encode())
        log.flush()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT,
                                    env=full_env, cwd=cwd or layout.STATE,
                                    start_new_session=True)
        except OSError as e:
            raise StartError('service %s cannot start: %s: %s'
                             % (name, argv[0], e))
    with open(pidfile(name), 'w') as f:
        f.write('%d %s\n' % (proc.pid, _start_time(proc.pid)))
    return proc


def log_tail(name, lines=25):
    try:
        with open(logfile(name), errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return '(no log)\n'


def fail(name, why):
    raise StartError('service %s %s; log %s ends with:\n%s'
                     % (name, why, logfile(name), log_tail(name)))


def port_open(port, host=layout.HOST):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def http_answers(url, timeout=3):
    """True if something answers HTTP at url (any status below 500)."""
    try:
        urllib.request.urlopen(url, timeout=timeout).close()
        return True
    except urllib.error.HTTPError as e:
        return e.code < 500
    except (OSError, ValueError):
        return False


def wait_for(name, check, timeout, what, interval=0.3):
    """Wait until check() is true while daemon `name` lives; else fail.

    check() is asked every `interval` seconds.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if read_pid(name) is None:
            fail(name, 'exited while waiting for %s' % what)
        time.sleep(interval)
    fail(name, 'did not %s within %d s' % (what, timeout))


def running():
    """Names of daemons with a pid file (alive or not)."""
    if not os.path.isdir(layout.PIDS):
        return []
    return sorted(f[:-4] for f in os.listdir(layout.PIDS)
                  if f.endswith('.pid'))


def members(name):
    """Live PIDs of daemon `name`.

    Its process group (start() made the leader a session leader, so
    pgid == pid), limited to processes started no earlier than the leader,
    so a recycled PID is never ours.
    """
    rec = _read_pidfile(name)
    if rec is None:
        return []
    pgid, started = rec
    pids = []
    for entry in os.listdir('/proc'):
        if entry.isdigit():
            f = _stat(entry)
            if (f and f[0] != 'Z' and f[2] == str(pgid)
                    and int(f[19]) >= started):
                pids.append(int(entry))
    return pids


def _kill(pids, sig):
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop_all(names, timeout=20):
    """Stop the named daemons; return the names that were alive.

    SIGTERM every one at once, SIGKILL what is left after `timeout` s,
    remove the pid files.
    """
    live = {n: members(n) for n in names}
    live = {n: p for n, p in live.items() if p}
    for name, pids in live.items():
        # The leader first: gunicorn/oslo masters stop their own workers.
        leader = _read_pidfile(name)[0]
        _kill([leader] if leader in pids else pids, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    pending = dict(live)
    while pending and time.monotonic() < deadline:
        time.sleep(0.2)
        pending = {n: members(n) for n in pending}
        pending = {n: p for n, p in pending.items() if p}
    for name, pids in pending.items():
        print('minicloud: %s did not stop in %d s: SIGKILL' % (name, timeout),
              flush=True)
        _kill(pids, signal.SIGKILL)
    for name, pids in pending.items():
        for _ in range(50):
            if not members(name):
                break
            time.sleep(0.1)
    for name in names:
        try:
            os.unlink(pidfile(name))
        except FileNotFoundError:
            pass
    return sorted(live)
