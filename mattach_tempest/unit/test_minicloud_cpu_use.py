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

"""tools/minicloud run's CPU report (minicloud_lib.cpu_use).

On a directory laid out like /proc: what a process counts under, which
of its ticks count, and the report's arithmetic. Not covered: reading the
real /proc while a suite runs (every `tools/minicloud run` does that).
"""

import os

import fixtures

from mattach_tempest.unit import base
from mattach_tempest.unit import minicloud_base  # noqa: F401 (sys.path)
from minicloud_lib import cpu_use  # noqa: I100 (minicloud_base: sys.path)


def stat_line(pid, comm, utime, stime, start):
    """A /proc/<pid>/stat line: fields 14, 15 and 22 are what is read."""
    fields = ['S'] + ['0'] * 49
    fields[11], fields[12], fields[19] = str(utime), str(stime), str(start)
    return '%d (%s) %s\n' % (pid, comm, ' '.join(fields))


class GroupOfTest(base.TestCase):

    def test_titled_processes(self):
        self.assertEqual('neutron', cpu_use.group_of(
            ['gunicorn: worker [neutron]', '', '']))
        self.assertEqual('nova-api', cpu_use.group_of(
            ['gunicorn: master [nova-api]']))
        self.assertEqual('nova-conductor', cpu_use.group_of(
            ['nova-conductor: ServiceWrapper worker(0)']))

    def test_python_programs_by_script_or_module(self):
        venv = '/r/.minicloud/venv/bin/'
        self.assertEqual('cinder-volume', cpu_use.group_of(
            [venv + 'python', venv + 'cinder-volume', '--config-file',
             '/r/.minicloud/etc/cinder/cinder.conf']))
        self.assertEqual('cinder-volume', cpu_use.group_of(
            [venv + 'python', '-m', 'minicloud_lib.cinder_volume',
             '--config-file', '/r/.minicloud/etc/cinder/cinder.conf']))
        self.assertEqual('nova-compute', cpu_use.group_of(
            [venv + 'python', '-m', 'minicloud_lib.nova_compute',
             '--config-dir', '/r/mattach-tempest/etc']))
        self.assertEqual('tempest (the suite)', cpu_use.group_of(
            [venv + 'python', '-m', 'subunit.run', 'discover']))
        self.assertEqual('tempest (the suite)', cpu_use.group_of(
            [venv + 'python', '-m', 'stestr.subunit_runner.run',
             'discover']))
        self.assertEqual('tempest (the suite)', cpu_use.group_of(
            [venv + 'python', '-u', venv + 'tempest', 'run']))
        self.assertEqual('python3 -c', cpu_use.group_of(
            ['python3', '-c', 'import x']))

    def test_a_path_naming_tempest_does_not_make_tempest(self):
        # The checkout is often a directory named mattach-tempest.
        self.assertEqual('privsep-helper', cpu_use.group_of(
            ['/src/mattach-tempest/.minicloud/venv/bin/python',
             '/src/mattach-tempest/.minicloud/venv/bin/privsep-helper']))

    def test_other_programs(self):
        self.assertEqual('qemu (guests)', cpu_use.group_of(
            ['/usr/bin/qemu-system-x86_64', '-name', 'guest=instance-1']))
        self.assertEqual('mariadb', cpu_use.group_of(
            ['/usr/sbin/mariadbd', '--defaults-file=x']))
        self.assertEqual('rabbitmq', cpu_use.group_of(
            ['/usr/lib/erlang/erts-13.1.5/bin/beam.smp', '-W', 'w']))
        self.assertEqual('libvirtd', cpu_use.group_of(
            ['/usr/sbin/libvirtd', '--pid-file', 'x']))
        self.assertEqual('kernel threads', cpu_use.group_of([]))


class FakeProc(object):

    def __init__(self, root):
        self.root = root
        self.busy = 0
        self.steal = 5
        self.write_stat()

    def write_stat(self):
        with open(os.path.join(self.root, 'stat'), 'w') as f:
            # user nice system idle iowait irq softirq steal
            f.write('cpu  %d 0 0 999 7 0 0 %d\ncpu0 0 0 0 0 0 0 0 0\n'
                    % (self.busy, self.steal))

    def process(self, pid, argv, ticks, start=1):
        d = os.path.join(self.root, str(pid))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'stat'), 'w') as f:
            f.write(stat_line(pid, 'x', ticks, 0, start))
        with open(os.path.join(d, 'cmdline'), 'wb') as f:
            f.write(b''.join(a.encode() + b'\0' for a in argv))

    def exit(self, pid):
        d = os.path.join(self.root, str(pid))
        for name in os.listdir(d):
            os.remove(os.path.join(d, name))
        os.rmdir(d)


class CpuUseTest(base.TestCase):

    def setUp(self):
        super(CpuUseTest, self).setUp()
        self.proc = FakeProc(self.useFixture(fixtures.TempDir()).path)
        speeds = iter([0.5, 0.75])
        self.cpu = cpu_use.CpuUse(proc=self.proc.root, cores=2,
                                  reference=lambda loops=None: next(speeds))
        self.cpu.hz = 100

    def test_process_running_before_counts_from_the_first_reading(self):
        self.proc.process(10, ['/usr/sbin/mariadbd'], ticks=5000)
        self.cpu._sample(first=True)
        self.proc.process(10, ['/usr/sbin/mariadbd'], ticks=5300)
        self.cpu._sample()
        self.assertEqual({'mariadb': 300}, self.cpu.ticks)

    def test_process_started_later_counts_from_its_start(self):
        self.cpu._sample(first=True)
        self.proc.process(20, ['/usr/bin/qemu-system-x86_64'], ticks=700)
        self.cpu._sample()
        self.proc.process(20, ['/usr/bin/qemu-system-x86_64'], ticks=900)
        self.cpu._sample()
        self.assertEqual({'qemu (guests)': 900}, self.cpu.ticks)

    def test_reused_pid_is_a_new_process(self):
        self.proc.process(30, ['/usr/sbin/mariadbd'], ticks=100, start=1)
        self.cpu._sample(first=True)
        self.proc.exit(30)
        self.proc.process(30, ['/usr/bin/qemu-system-x86_64'], ticks=40,
                          start=2)
        self.cpu._sample()
        self.assertEqual({'mariadb': 0, 'qemu (guests)': 40},
                         self.cpu.ticks)

    def test_report(self):
        self.proc.process(10, ['gunicorn: worker [neutron]'], ticks=0)
        self.cpu.start()
        self.cpu._stop.set()          # no sampling thread rounds
        self.proc.process(10, ['gunicorn: worker [neutron]'], ticks=6000)
        self.proc.process(11, ['/usr/bin/qemu-system-x86_64'], ticks=12000)
        self.proc.busy = 20000
        self.proc.steal = 305
        self.proc.write_stat()
        self.cpu.stop()
        self.cpu.seconds = 125.0
        self.cpu.during_seconds = [0.9, 0.6, 1.2]
        lines = self.cpu.report()
        self.assertEqual(
            'CPU during the suite: 200 core-s in 125 s, 1.60 of 2 cores '
            'busy on average; on 2 cores fully busy that work takes 100 s',
            lines[0])

        def row(line):
            return [line[:28].strip()] + line.split()[-2:]
        self.assertEqual(['qemu (guests)', '120.0', '60.0%'], row(lines[2]))
        self.assertEqual(['neutron', '60.0', '30.0%'], row(lines[3]))
        self.assertEqual(['not attributed', '20.0', '10.0%'], row(lines[4]))
        self.assertEqual(
            'The cores: stolen by the hypervisor 3.0 core-s; a fixed Python '
            'loop took 0.50 and 0.75 s of CPU before and after the suite, '
            '0.90 s during it (median of 3 rounds); runs on other cores '
            'compare by it', lines[5])

    def test_small_groups_are_summed(self):
        self.cpu.ticks = {'g%d' % i: 100 * (i + 1) for i in range(5)}
        self.cpu.busy_seconds = 15.0
        self.cpu.seconds = 10.0
        lines = self.cpu.report(top=2)
        self.assertEqual(['g4', 'g3', '3 more groups', 'not attributed'],
                         [line[:28].strip() for line in lines[2:]])
        self.assertEqual('6.0', lines[4].split()[-2])


class ParseTest(base.TestCase):

    def test_process_ticks(self):
        self.assertEqual((17, '3'), cpu_use.process_ticks(
            stat_line(5, 'a b) c', 12, 5, 3).encode()))

    def test_machine_steal(self):
        self.assertEqual(8, cpu_use.machine_steal_ticks(
            b'cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n'))

    def test_reference_work_takes_cpu_time(self):
        self.assertGreater(cpu_use.reference_seconds(loops=200000), 0.0)

    def test_reference_counts_the_calling_thread_only(self):
        readings = iter([10.0, 10.25])
        self.assertEqual(0.25, cpu_use.reference_seconds(
            loops=10, clock=lambda: next(readings)))

    def test_machine_busy_leaves_out_idle_iowait_and_steal(self):
        self.assertEqual(1 + 2 + 3 + 6 + 7, cpu_use.machine_busy_ticks(
            b'cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n'))
