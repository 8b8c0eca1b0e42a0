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

"""Where a run's CPU goes: core-seconds per process group, busy cores.

On this kind of machine (2 cores, qemu TCG) the suite is CPU-bound: its
wall time is the CPU work of the guests and of the cloud's services,
divided among the cores. The per-class wait table shows which classes
wait; this shows which processes the cores were busy with, so the next
bottleneck is visible (`tools/minicloud run` prints it after the tests).

A thread reads /proc every INTERVAL seconds: each process's utime+stime
(its first reading counts from the process's start when it started after
the sampler, so guests booted by a test count whole) and /proc/stat's
machine-wide busy time. What this does not see, said in the report:
processes that lived less than one interval and the part of a process's
last interval before it exited ("not attributed": machine busy time minus
the sampled processes', which also holds kernel threads and any other
tenant of the machine's kernel).
"""
import os
import re
import statistics
import threading
import time

from . import procs

INTERVAL = 2.0

#: Programs by the name they run under (a python script's or module's).
_PROGRAMS = {
    'mariadbd': 'mariadb', 'beam.smp': 'rabbitmq', 'epmd': 'rabbitmq',
    'erl_child_setup': 'rabbitmq', 'inet_gethost': 'rabbitmq',
    'virtlogd': 'libvirtd',
    'tempest': 'tempest (the suite)',
    'minicloud_lib.nova_compute': 'nova-compute',
    'minicloud_lib.cinder_volume': 'cinder-volume',
    'minicloud_lib.tap_agent': 'neutron agents',
    'minicloud_lib.host_netns': 'host forwarders',
}


def group_of(argv):
    """The group a process counts in, from its argv (/proc/<pid>/cmdline).

    gunicorn's and oslo.service's processes retitle themselves
    ('gunicorn: worker [neutron]', 'nova-conductor: ServiceWrapper
    worker(0)'); a python program counts under its script or module.
    """
    if not argv:
        return 'kernel threads'
    title = argv[0]
    m = re.match(r'^gunicorn: \w+ \[([\w-]+)\]', title)
    if m:
        return m.group(1)
    m = re.match(r'^([\w-]+): ', title)
    if m:
        return m.group(1)
    name = os.path.basename(title)
    if name.startswith('qemu-system-'):
        return 'qemu (guests)'
    if name.startswith('python'):
        args = iter(argv[1:])
        for arg in args:
            if arg == '-m':
                name = next(args, name)
                break
            if arg == '-c':
                name += ' -c'
                break
            if not arg.startswith('-'):
                name = os.path.basename(arg)
                break
    if name.split('.')[0] in ('stestr', 'subunit'):
        return 'tempest (the suite)'   # its workers: -m stestr.subunit_...
    return _PROGRAMS.get(name, name)


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


def process_ticks(stat):
    """(utime+stime in clock ticks, start time) of a /proc/<pid>/stat line.

    The start time tells a process from a later one with the same PID.
    """
    fields = procs.stat_fields(stat.decode('ascii', 'replace'))
    return int(fields[11]) + int(fields[12]), fields[19]


def machine_busy_ticks(proc_stat):
    """Busy ticks of all cores from /proc/stat.

    user, nice, system, irq and softirq; not idle, iowait and steal
    (steal: time the hypervisor gave the core to someone else).
    """
    cpu = proc_stat.split(b'\n', 1)[0].split()
    user, nice, system, _idle, _iowait, irq, softirq = map(int, cpu[1:8])
    return user + nice + system + irq + softirq


def machine_steal_ticks(proc_stat):
    """Steal ticks of all cores from /proc/stat.

    Time the hypervisor ran someone else on the cores this machine was
    given.
    """
    return int(proc_stat.split(b'\n', 1)[0].split()[8])


# The work of reference_seconds(): 0.28-0.39 s of one core on the (idle)
# machine of 2026-12-02.
REFERENCE_LOOPS = 3000000
DURING_SHARE = 30


def reference_seconds(loops=REFERENCE_LOOPS, clock=time.thread_time):
    """CPU seconds this process takes for a fixed piece of Python work.

    The same code's core-seconds moved by 1.7x between two machines of
    this kind (979-1102 on one, 1754 on another the same day): a run's
    figures mean little without the speed of the cores they ran on. The
    work is fixed; its CPU time (not wall time, so waiting for a core does
    not count) is that speed, as far as one short loop can tell. The
    calling thread's CPU time: `run`'s other threads do not count.
    """
    t0 = clock()
    total = 0
    for i in range(loops):
        total += i * i % 7
    return clock() - t0


class CpuUse(object):
    """Samples /proc from start() to stop(); report() tells the result."""

    def __init__(self, proc='/proc', interval=INTERVAL, cores=None,
                 reference=reference_seconds):
        self.proc = proc
        self.reference = reference
        self.reference_seconds = ()     # before the suite, after it
        # The same loop, a DURING_SHARE of it each sampling round: an idle
        # core before and after may run faster than the busy ones of the
        # suite (a hypervisor's other tenants, shared caches). One round's
        # ~1/30 of the loop costs ~0.6 % of a core at INTERVAL 2 s.
        self.during_seconds = []
        self.steal_seconds = 0.0
        self.interval = interval
        self.cores = cores or os.cpu_count()
        self.hz = os.sysconf('SC_CLK_TCK')
        self.ticks = {}        # group: ticks
        self._last = {}        # pid: (starttime, group, ticks)
        self._stop = threading.Event()
        self._thread = None
        self._t0 = self._busy0 = None
        self.seconds = self.busy_seconds = 0.0

    def _sample(self, first=False):
        seen = {}
        for entry in os.listdir(self.proc):
            if not entry.isdigit():
                continue
            base = os.path.join(self.proc, entry)
            try:
                ticks, start = process_ticks(
                    _read(os.path.join(base, 'stat')))
                known = self._last.get(entry)
                if known and known[0] == start:
                    group, before = known[1], known[2]
                else:
                    # A process seen for the first time: before the run
                    # it counts from now on, during the run from its start.
                    cmd = _read(os.path.join(base, 'cmdline'))
                    group = group_of([a.decode('utf-8', 'replace') for a
                                      in cmd.split(b'\0') if a])
                    before = ticks if first else 0
            except (OSError, ValueError, IndexError):
                continue    # exited while read
            self.ticks[group] = self.ticks.get(group, 0) + ticks - before
            seen[entry] = (start, group, ticks)
        self._last = seen

    def _busy_and_steal(self):
        stat = _read(os.path.join(self.proc, 'stat'))
        return machine_busy_ticks(stat), machine_steal_ticks(stat)

    def start(self):
        self.reference_seconds = (self.reference(),)
        self._t0 = time.monotonic()
        self._busy0, self._steal0 = self._busy_and_steal()
        self._sample(first=True)
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='cpu-use')
        self._thread.start()
        return self

    def _loop(self):
        while not self._stop.wait(self.interval):
            self._sample()
            self.during_seconds.append(
                self.reference(REFERENCE_LOOPS // DURING_SHARE) *
                DURING_SHARE)

    def stop(self):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.seconds = time.monotonic() - self._t0
        busy, steal = self._busy_and_steal()
        self.busy_seconds = float(busy - self._busy0) / self.hz
        self.steal_seconds = float(steal - self._steal0) / self.hz
        self.reference_seconds += (self.reference(),)
        return self

    def report(self, top=15):
        """Lines: the busy cores, the groups by core-seconds, the rest."""
        used = {g: float(t) / self.hz for g, t in self.ticks.items() if t}
        sampled = sum(used.values())
        lines = ['CPU during the suite: %.0f core-s in %.0f s, %.2f of %d '
                 'cores busy on average; on %d cores fully busy that work '
                 'takes %.0f s' % (
                     self.busy_seconds, self.seconds,
                     self.busy_seconds / self.seconds if self.seconds else 0,
                     self.cores, self.cores,
                     self.busy_seconds / self.cores)]
        lines.append('%-28s %8s %6s' % ('PROCESSES', 'CORE-S', 'SHARE'))
        ranked = sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))
        shown, rest = ranked[:top], ranked[top:]
        if rest:
            shown.append(('%d more groups' % len(rest),
                          sum(s for _, s in rest)))
        total = max(self.busy_seconds, sampled) or 1.0
        for group, secs in shown:
            lines.append('%-28s %8.1f %5.1f%%' % (group, secs,
                                                  100 * secs / total))
        # Ticks are counted per process and per core: the sums differ by
        # rounding even when everything was sampled.
        unseen = max(0.0, self.busy_seconds - sampled)
        lines.append('%-28s %8.1f %5.1f%%' % ('not attributed', unseen,
                                              100 * unseen / total))
        if not self.reference_seconds:
            return lines          # not started
        during = (statistics.median(self.during_seconds)
                  if self.during_seconds else None)
        lines.append(
            'The cores: stolen by the hypervisor %.1f core-s; a fixed '
            'Python loop took %s s of CPU before and after the suite%s; '
            'runs on other cores compare by it' % (
                self.steal_seconds, ' and '.join(
                    '%.2f' % s for s in self.reference_seconds),
                '' if during is None else ', %.2f s during it (median of '
                '%d rounds)' % (during, len(self.during_seconds))))
        return lines
