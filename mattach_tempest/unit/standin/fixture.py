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

"""N stand-in guests sharing one real block device, reached over real SSH.

What a stand-in guest is
------------------------
One process tree in its own network, mount, UTS and PID namespaces:

* network: a veth pair; the guest end is ``eth0`` in the namespace with
  169.254.X.(10+i)/24 (a link-local /24 picked free on this host, never
  169.254.169.x; the host end sits in a bridge holding 169.254.X.1);
* an SSH server from Debian (dropbear, as in CirrOS) bound to the guest's
  address only, port 22, host key made for the fixture;
* user ``cirros`` (uid 1000) whose login shell is busybox ash with PATH
  holding busybox's applets plus the few tools CirrOS also has (sudo,
  lsblk, mke2fs as mkfs.ext2/3/4): a command that needs bash or a GNU
  option fails here as it would in CirrOS; ``sudo`` without password
  (secure_path the same directory); the user's key is an RSA key generated
  for the fixture and held in memory only;
* a private /dev (null, zero, full, random, urandom, tty and, once
  "attached", ``vdb``), /sys/block, /proc/partitions, /tmp, /mnt, /home,
  /run, /etc/{passwd,group,shells,hosts,sudoers}: bind mounts of files in
  the fixture's directory, visible inside the guest's mount namespace
  only, so a mount made in one guest is not seen by another;
* the shared volume: ONE loop device over a sparse file. "Attaching" it to
  a guest creates the guest's /dev/vdb with the loop device's major:minor,
  /dev/disk/by-id/virtio-<first 20 characters of the volume id> (unless
  by_id=False, as in CirrOS which has no udev), /sys/block/vdb (a link to
  the loop device's sysfs directory, so lsblk lists it as a disk named
  vdb; with serial=True instead a directory of links to that directory's
  entries plus a ``serial`` file holding the same 20 characters, as
  virtio-blk shows the serial nova sets) and a /proc/partitions line;
  "detaching" removes them (with tear_down_host_connection the defect
  of nova bug 1752115 is staged: the other holders' /dev/vdb then names
  a device no driver serves, so their I/O fails). A read-only
  attachment uses a second, read-only loop device (losetup -r) over the
  same file. The guest's root disk ``vda`` is this host's first disk,
  listed (lsblk, /proc/partitions) but without a device node.

What differs from a real guest
------------------------------
All stand-ins share this host's kernel. The same loop device seen by two
stand-ins is one block device with one page cache: a stale guest cache, a
lost flush, cache=none or libvirt's <shareable/> are NOT exercised here;
the second, read-only loop device has its own cache like a second guest.
The stand-ins verify the helpers' commands, their parsing, the order and
content of the procedures, discovery, read-only refusal and growth
detection; only a real cloud verifies the hypervisor's data path.
There is no guest kernel log: the "console" is the SSH server's log plus
the fixture's attach/detach events.

Everything the fixture creates is removed by cleanups registered before
it is created (namespaces, processes by PID, loop devices, bridge and
veths, files), also when setUp fails half way.
"""

import errno
import io
import ipaddress
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
import uuid

import fixtures
from oslo_log import log as logging
import paramiko
from tempest.lib.common.utils.linux import remote_client

from mattach_tempest.common import guest as guest_mod

LOG = logging.getLogger(__name__)

USER = 'cirros'
UID = 1000
GUEST_DEVICE = 'vdb'
_LOCK_NAME = b'\0mattach-tempest-standin-network'
_SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
_HOST_TOOLS = ('ip', 'unshare', 'losetup', 'dropbear', 'dropbearkey',
               'busybox', 'sudo', 'lsblk', 'mke2fs')
# Tools the guest gets besides busybox's applets (name in guest: host tool).
_GUEST_EXTRA_TOOLS = {'sudo': 'sudo', 'lsblk': 'lsblk', 'mke2fs': 'mke2fs',
                      'mkfs.ext2': 'mke2fs', 'mkfs.ext3': 'mke2fs',
                      'mkfs.ext4': 'mke2fs'}
_DEV_NODES = ('null', 'zero', 'full', 'random', 'urandom', 'tty')
_NOT_ROOT_DISKS = ('loop', 'ram', 'zram', 'nbd', 'dm-', 'md', 'sr', 'fd')


def _which(tool):
    return shutil.which(tool, path=os.environ.get('PATH', '') + ':' +
                        _SBIN_PATH)


def why_unavailable():
    """Why stand-in guests cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return ('stand-in guests need root (network namespaces, loop '
                'devices, device nodes); running as uid %d' % os.geteuid())
    missing = [tool for tool in _HOST_TOOLS if not _which(tool)]
    if missing:
        return ('stand-in guests need %s: run tools/install-standin-deps'
                % ', '.join(missing))
    if not os.path.exists('/dev/loop-control'):
        return 'stand-in guests need loop devices (/dev/loop-control)'
    return None


def _run(*argv, check=True):
    """Run a host command; return stdout. Errors name the command."""
    argv = [_which(argv[0]) or argv[0]] + list(argv[1:])
    result = subprocess.run(argv, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True,
                            timeout=60)
    if check and result.returncode:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(argv),
                                                   result.returncode,
                                                   result.stderr.strip()))
    return result.stdout


def _link_exists(name):
    return os.path.exists('/sys/class/net/%s' % name)


def _netns_exists(name):
    return os.path.exists('/run/netns/%s' % name)


def _netns_pids(name):
    if not _netns_exists(name):
        return []
    return [int(pid) for pid in _run('ip', 'netns', 'pids', name,
                                     check=False).split()]


def _children(pid):
    """PIDs whose parent is `pid` (from /proc, no tool needed)."""
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as stat_file:
                fields = stat_file.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _loops_of(path):
    """Loop devices backed by `path` (losetup -j)."""
    output = _run('losetup', '-j', path, check=False)
    return [line.split(':', 1)[0] for line in output.splitlines()
            if line.strip()]


def _host_root_disk():
    """(name, sysfs dir, major:minor, size bytes) of a disk of this host.

    It plays the guest's root disk ``vda`` in lsblk and /proc/partitions.
    None when the host has no such disk.
    """
    for name in sorted(os.listdir('/sys/block')):
        if name.startswith(_NOT_ROOT_DISKS):
            continue
        sysdir = os.path.realpath('/sys/block/%s' % name)
        with open(os.path.join(sysdir, 'dev')) as dev_file:
            devno = dev_file.read().strip()
        with open(os.path.join(sysdir, 'size')) as size_file:
            size = int(size_file.read()) * 512
        if size:
            return name, sysdir, devno, size
    return None


def _dead_block_devno():
    """A block device number no driver of this kernel serves.

    The highest major of the range Linux keeps for local use (240-254)
    that /proc/devices does not list: opening a node of it fails with
    ENXIO, and no other test's device can be reached through it.
    """
    with open('/proc/devices') as devices:
        text = devices.read()
    block = text.split('Block devices:', 1)[1]
    used = {int(line.split()[0]) for line in block.splitlines()
            if line.split() and line.split()[0].isdigit()}
    for major in range(254, 239, -1):
        if major not in used:
            return os.makedev(major, 0)
    raise RuntimeError('No unused block major in 240-254: %s' % sorted(used))


class _NetworkLock(object):
    """Serialises picking a free /24 among processes of this host.

    An abstract unix socket: released by the kernel when the holder dies,
    leaves no file behind.
    """

    def __init__(self, timeout=60):
        self.timeout = timeout
        self.sock = None

    def __enter__(self):
        deadline = time.time() + self.timeout
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.bind(_LOCK_NAME)
                self.sock = sock
                return self
            except OSError as exc:
                sock.close()
                if exc.errno != errno.EADDRINUSE or time.time() > deadline:
                    raise
            time.sleep(0.1)

    def __exit__(self, *exc_info):
        self.sock.close()
        return False


def _used_link_local_subnets():
    used = set()
    output = (_run('ip', '-o', '-4', 'addr', 'show') +
              _run('ip', '-4', 'route', 'show', 'table', 'all'))
    for word in output.split():
        try:
            network = ipaddress.ip_network(word.split('/')[0] + '/24',
                                           strict=False)
        except ValueError:
            continue
        if network.subnet_of(ipaddress.ip_network('169.254.0.0/16')):
            used.add(network)
    return used


class StandinGuest(object):
    """One stand-in guest: its name, address, namespace and files."""

    def __init__(self, fixture, index):
        self.index = index
        self.name = 'standin-%d' % index
        self.netns = 'mattach-standin-%s-%d' % (fixture.suffix, index)
        self.host_veth = 'mstv%s%d' % (fixture.suffix, index)
        self.address = None
        self.dir = os.path.join(fixture.base, 'guest%d' % index)
        self.console_path = os.path.join(self.dir, 'console.log')
        self.process = None
        self.attached = None

    def path(self, *parts):
        return os.path.join(self.dir, *parts)


class StandinGuests(fixtures.Fixture):
    """`count` stand-in guests and one shared volume (see module doc).

    :param count: number of guests.
    :param volume_mib: size of the shared volume.
    :param by_id: guests get /dev/disk/by-id links (False: like CirrOS).
    :param serial: the attached disk shows the volume's virtio serial in
        /sys/block/vdb/serial (as CirrOS's kernel does; off by default so
        that discovery by the disk list stays exercised).
    :param ready_timeout: seconds to wait for each SSH server.
    """

    def __init__(self, count=2, volume_mib=64, by_id=True, serial=False,
                 ready_timeout=30):
        super().__init__()
        self.count = count
        self.volume_mib = volume_mib
        self.by_id = by_id
        self.serial = serial
        self.ready_timeout = ready_timeout
        self.volume_id = str(uuid.uuid4())
        self.suffix = uuid.uuid4().hex[:6]
        self.guests = []
        self.loop = None
        self._ro_loop = None
        self._clones = []

    # -- set up ----------------------------------------------------------

    def _setUp(self):
        reason = why_unavailable()
        if reason:
            raise RuntimeError(reason)
        self.base = tempfile.mkdtemp(prefix='mattach-standin-',
                                     dir='/var/tmp')
        self.addCleanup(shutil.rmtree, self.base, ignore_errors=True)
        # Guest users must traverse it to reach their shell and tools.
        os.chmod(self.base, 0o711)
        self.root_disk = _host_root_disk()
        key = paramiko.RSAKey.generate(2048)
        self.public_key = '%s %s standin' % (key.get_name(),
                                             key.get_base64())
        buf = io.StringIO()
        key.write_private_key(buf)
        self.private_key = buf.getvalue()
        self._make_userland()
        self._make_volume()
        self._make_network()
        self.guests = [StandinGuest(self, i) for i in range(self.count)]
        for standin in self.guests:
            self._start_guest(standin)
        for standin in self.guests:
            self._wait_ready(standin)
        LOG.info('Stand-in guests up: %s, volume %s on %s',
                 [(g.name, g.address) for g in self.guests], self.volume_id,
                 self.loop)

    def _make_userland(self):
        """bin/: busybox applets plus CirrOS's extra tools; the shell."""
        self.bin = os.path.join(self.base, 'bin')
        os.mkdir(self.bin, 0o755)
        busybox = _which('busybox')
        for applet in _run(busybox, '--list').split():
            if applet not in _GUEST_EXTRA_TOOLS:
                os.symlink(busybox, os.path.join(self.bin, applet))
        for name, tool in _GUEST_EXTRA_TOOLS.items():
            os.symlink(_which(tool), os.path.join(self.bin, name))
        self.shell = os.path.join(self.base, 'loginsh')
        with open(self.shell, 'w') as shell:
            shell.write('#!%(bin)s/sh\nPATH=%(bin)s\nexport PATH\n'
                        'exec %(bin)s/sh "$@"\n' % {'bin': self.bin})
        os.chmod(self.shell, 0o755)

    def _make_volume(self):
        self.volume_path = os.path.join(self.base, 'volume.img')
        with open(self.volume_path, 'wb') as volume:
            volume.truncate(self.volume_mib * 1024 * 1024)
        # Registered before losetup: detaches whatever loop device ends up
        # backed by the file, the read-only one included.
        self.addCleanup(self._detach_loops, self.volume_path)
        self.addCleanup(self._detach_clones)
        self.loop = _run('losetup', '--find', '--show',
                         self.volume_path).strip()

    def _detach_clones(self):
        for path in self._clones:
            self._detach_loops(path)

    @staticmethod
    def _detach_loops(path):
        """Detach every loop device backed by `path`."""
        for loop in _loops_of(path):
            _run('losetup', '-d', loop, check=False)
        left = _loops_of(path)
        if left:
            LOG.warning('Loop devices %s still backed by %s (in use?)',
                        left, path)

    def _make_network(self):
        self.bridge = 'mstb%s' % self.suffix
        with _NetworkLock():
            used = _used_link_local_subnets()
            candidates = [n for n in range(100, 200) if n != 169]
            random.shuffle(candidates)
            for third in candidates:
                subnet = ipaddress.ip_network('169.254.%d.0/24' % third)
                if subnet not in used:
                    break
            else:
                raise RuntimeError('No free 169.254.x.0/24 on this host')
            self.subnet = subnet
            self.addCleanup(self._delete_link, self.bridge)
            _run('ip', 'link', 'add', self.bridge, 'type', 'bridge')
            _run('ip', 'addr', 'add', '%s/24' % subnet[1], 'dev',
                 self.bridge)
            _run('ip', 'link', 'set', self.bridge, 'up')

    @staticmethod
    def _delete_link(name):
        if _link_exists(name):
            _run('ip', 'link', 'del', name, check=False)

    @staticmethod
    def _delete_netns(name):
        if _netns_exists(name):
            _run('ip', 'netns', 'del', name, check=False)

    def _write(self, path, text, mode=0o644):
        with open(path, 'w') as out:
            out.write(text)
        os.chmod(path, mode)

    def _make_guest_files(self, standin):
        for sub in ('dev', 'sysblock', 'etc', 'home', 'mnt', 'tmp', 'run'):
            os.makedirs(standin.path(sub))
        os.chmod(standin.path('tmp'), 0o1777)
        os.chmod(standin.path('dev'), 0o755)
        for node in _DEV_NODES:
            info = os.stat('/dev/%s' % node)
            os.mknod(standin.path('dev', node), info.st_mode, info.st_rdev)
            os.chmod(standin.path('dev', node), stat.S_IMODE(info.st_mode))
        if self.root_disk:
            os.symlink(self.root_disk[1], standin.path('sysblock', 'vda'))
        self._write_partitions(standin)
        etc = standin.path('etc')
        self._write(os.path.join(etc, 'passwd'),
                    'root:*:0:0:root:/root:/bin/sh\n'
                    '%s:*:%d:%d:%s:/home/%s:%s\n'
                    % (USER, UID, UID, USER, USER, self.shell))
        self._write(os.path.join(etc, 'group'),
                    'root:x:0:\n%s:x:%d:\n' % (USER, UID))
        self._write(os.path.join(etc, 'shells'), '/bin/sh\n%s\n'
                    % self.shell)
        self._write(os.path.join(etc, 'hosts'), '127.0.0.1 localhost %s\n'
                    % standin.name)
        self._write(os.path.join(etc, 'sudoers'),
                    'Defaults env_reset\nDefaults !lecture\n'
                    'Defaults secure_path="%s"\n'
                    'root ALL=(ALL:ALL) ALL\n'
                    '%s ALL=(ALL) NOPASSWD: ALL\n' % (self.bin, USER),
                    mode=0o440)
        home = standin.path('home', USER)
        os.makedirs(os.path.join(home, '.ssh'))
        self._write(os.path.join(home, '.ssh', 'authorized_keys'),
                    self.public_key + '\n', mode=0o600)
        for path in (home, os.path.join(home, '.ssh'),
                     os.path.join(home, '.ssh', 'authorized_keys')):
            os.chown(path, UID, UID)
        os.chmod(os.path.join(home, '.ssh'), 0o700)
        _run('dropbearkey', '-t', 'ed25519', '-f', standin.path('hostkey'))

    def _start_script(self, standin):
        etc_files = ('passwd', 'group', 'shells', 'hosts', 'sudoers')
        binds = ['mount --bind %s /etc/%s' % (standin.path('etc', f), f)
                 for f in etc_files]
        binds += ['mount --bind %s %s' % (standin.path(src), dst)
                  for src, dst in (('dev', '/dev'),
                                   ('sysblock', '/sys/block'),
                                   ('partitions', '/proc/partitions'),
                                   ('home', '/home'), ('mnt', '/mnt'),
                                   ('tmp', '/tmp'), ('run', '/run'))]
        return ('set -e\nhostname %s\n%s\n'
                'exec %s -F -E -s -w -j -k -p %s:22 -r %s -P /run/ssh.pid\n'
                % (standin.name, '\n'.join(binds), _which('dropbear'),
                   standin.address, standin.path('hostkey')))

    def _start_guest(self, standin):
        os.makedirs(standin.dir)
        standin.address = str(self.subnet[10 + standin.index])
        self._make_guest_files(standin)
        self.addCleanup(self._delete_netns, standin.netns)
        _run('ip', 'netns', 'add', standin.netns)
        self.addCleanup(self._delete_link, standin.host_veth)
        _run('ip', 'link', 'add', standin.host_veth, 'type', 'veth', 'peer',
             'name', 'eth0', 'netns', standin.netns)
        _run('ip', 'link', 'set', standin.host_veth, 'master', self.bridge,
             'up')
        _run('ip', '-n', standin.netns, 'link', 'set', 'lo', 'up')
        _run('ip', '-n', standin.netns, 'addr', 'add',
             '%s/24' % standin.address, 'dev', 'eth0')
        _run('ip', '-n', standin.netns, 'link', 'set', 'eth0', 'up')
        script = standin.path('start.sh')
        self._write(script, self._start_script(standin))
        self.addCleanup(self._stop_guest, standin)
        with open(standin.console_path, 'ab') as console:
            # ip execs unshare; unshare forks the PID namespace's init,
            # which execs sh, which execs dropbear. --kill-child: the guest
            # dies with unshare.
            standin.process = subprocess.Popen(
                [_which('ip'), 'netns', 'exec', standin.netns,
                 _which('unshare'), '--fork', '--kill-child', '--pid',
                 '--mount-proc', '--mount', '--uts', '--propagation',
                 'private', '--', '/bin/sh', script],
                stdin=subprocess.DEVNULL, stdout=console,
                stderr=subprocess.STDOUT, start_new_session=True)

    def _wait_ready(self, standin):
        deadline = time.time() + self.ready_timeout
        while True:
            if standin.process.poll() is not None:
                raise RuntimeError('Stand-in %s exited (%s) at start: %s'
                                   % (standin.name,
                                      standin.process.returncode,
                                      self.console(standin.index)))
            try:
                socket.create_connection((standin.address, 22),
                                         timeout=1).close()
                return
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError(
                        'Stand-in %s: no SSH server on %s:22 after %s s: %s'
                        % (standin.name, standin.address, self.ready_timeout,
                           self.console(standin.index)))
            time.sleep(0.1)

    def _stop_guest(self, standin):
        """Kill the guest's PID namespace by its init's PID; reap."""
        process = standin.process
        if process is not None and process.poll() is None:
            # Killing the namespace's init makes the kernel kill and reap
            # everything else in the namespace; unshare then reaps init and
            # exits, and wait() reaps unshare: no orphan, no zombie.
            # Just started, unshare may not have forked init yet.
            deadline = time.time() + 5
            children = _children(process.pid)
            while (not children and process.poll() is None and
                   time.time() < deadline):
                time.sleep(0.05)
                children = _children(process.pid)
            for child in children:
                try:
                    os.kill(child, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        # Whatever is left in the network namespace (nothing, normally).
        deadline = time.time() + 10
        while True:
            left = _netns_pids(standin.netns)
            if not left:
                return
            if time.time() > deadline:
                LOG.warning('Processes %s still in %s', left, standin.netns)
                return
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)

    # -- using the guests --------------------------------------------------

    def console(self, index):
        """The stand-in's "console": SSH server log and fixture events."""
        try:
            with open(self.guests[index].console_path) as console:
                return console.read()
        except OSError as exc:
            return '(no console: %s)' % exc

    def _event(self, standin, text):
        with open(standin.console_path, 'a') as console:
            console.write('[stand-in %.3f] %s\n' % (time.time(), text))

    def remote_client(self, index, ssh_timeout=20, connect_timeout=5):
        """A tempest.lib RemoteClient logged in as the guest's user."""
        standin = self.guests[index]
        return remote_client.RemoteClient(
            standin.address, USER, pkey=self.private_key,
            ssh_timeout=ssh_timeout, connect_timeout=connect_timeout,
            console_output_enabled=False, ssh_allow_agent=False)

    def guest(self, index, timeout=15, interval=0.2):
        """A common.guest.Guest over real SSH to stand-in `index`."""
        return guest_mod.Guest(
            self.remote_client(index), self.guests[index].name,
            console=lambda: self.console(index), timeout=timeout,
            interval=interval)

    def _loop_for(self, read_only, clone):
        if clone:
            # A copy of the volume as it is now: what a guest would see if
            # the cloud attached a clone instead of the shared volume.
            path = os.path.join(self.base, 'clone-%d.img' % len(
                self._clones))
            self._clones.append(path)
            _run('cp', '--sparse=always', self.volume_path, path)
            return _run('losetup', '--find', '--show', path).strip()
        if not read_only:
            return self.loop
        if self._ro_loop is None:
            self._ro_loop = _run('losetup', '--find', '--show', '--read-only',
                                 self.volume_path).strip()
        return self._ro_loop

    def attach(self, index, read_only=False, clone=False):
        """Make the volume appear in guest `index` as /dev/vdb.

        :param read_only: through a read-only loop device over the file.
        :param clone: a copy of the volume instead of the volume (for
            tests proving the procedures catch it).
        :returns: '/dev/vdb', as nova's attach answers the device name.
        """
        standin = self.guests[index]
        if standin.attached:
            raise RuntimeError('%s already holds the volume' % standin.name)
        loop = self._loop_for(read_only, clone)
        info = os.stat(loop)
        node = standin.path('dev', GUEST_DEVICE)
        os.mknod(node, stat.S_IFBLK | 0o660, info.st_rdev)
        if self.by_id:
            by_id = standin.path('dev', 'disk', 'by-id')
            os.makedirs(by_id, exist_ok=True)
            os.symlink('../../%s' % GUEST_DEVICE, os.path.join(
                by_id, os.path.basename(guest_mod.by_id_path(
                    self.volume_id))))
        self._make_sysfs_entry(standin, loop)
        standin.attached = loop
        self._write_partitions(standin)
        self._event(standin, 'attached volume %s as %s (%s, %s%s)'
                    % (self.volume_id, GUEST_DEVICE, loop,
                       'ro' if read_only else 'rw',
                       ', a CLONE' if clone else ''))
        return '/dev/%s' % GUEST_DEVICE

    def _make_sysfs_entry(self, standin, loop):
        """The guest's /sys/block/vdb: the loop device's sysfs directory.

        With `serial`, a directory linking each entry of it, plus the
        virtio serial (sysfs itself takes no new file).
        """
        sysdir = os.path.realpath('/sys/block/%s' % os.path.basename(loop))
        entry = standin.path('sysblock', GUEST_DEVICE)
        if not self.serial:
            os.symlink(sysdir, entry)
            return
        os.mkdir(entry)
        for name in os.listdir(sysdir):
            os.symlink(os.path.join(sysdir, name), os.path.join(entry, name))
        self._write(os.path.join(entry, 'serial'),
                    self.volume_id[:guest_mod.VIRTIO_SERIAL_LENGTH] + '\n')

    def detach(self, index, tear_down_host_connection=False):
        """Remove the volume from guest `index`.

        :param tear_down_host_connection: the defect of a detach tearing
            down the connection the host still uses for other holders
            (nova bug 1752115): every other guest holding the volume keeps
            its /dev/vdb node, but the node now names a block device no
            driver serves, so each open fails (ENXIO) as I/O to a disk
            whose host connection is gone fails.
        """
        standin = self.guests[index]
        if tear_down_host_connection:
            self._tear_down_other_holders(index)
        for path in (standin.path('dev', GUEST_DEVICE),
                     standin.path('sysblock', GUEST_DEVICE),
                     standin.path('dev', 'disk', 'by-id', os.path.basename(
                         guest_mod.by_id_path(self.volume_id)))):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.unlink(path)
        standin.attached = None
        self._write_partitions(standin)
        self._event(standin, 'detached volume %s' % self.volume_id)

    def _tear_down_other_holders(self, index):
        dead = _dead_block_devno()
        for other in self.guests:
            if other.index == index or not other.attached:
                continue
            node = other.path('dev', GUEST_DEVICE)
            os.unlink(node)
            os.mknod(node, stat.S_IFBLK | 0o660, dead)
            self._event(other, 'the host connection under %s is gone (the '
                        'detach of %s tore it down): its I/O fails'
                        % (GUEST_DEVICE, self.guests[index].name))

    def extend(self, new_size_bytes):
        """Grow the volume; every loop device over it re-reads its size."""
        os.truncate(self.volume_path, new_size_bytes)
        for loop in _loops_of(self.volume_path):
            _run('losetup', '--set-capacity', loop)
        for standin in self.guests:
            self._write_partitions(standin)
            if standin.attached:
                self._event(standin, '%s resized to %d bytes'
                            % (GUEST_DEVICE, new_size_bytes))

    def _write_partitions(self, standin):
        """The guest's /proc/partitions, rewritten in place (bind mount)."""
        lines = ['major minor  #blocks  name', '']
        if self.root_disk:
            major, minor = self.root_disk[2].split(':')
            lines.append('%4s %7s %10d vda' % (major, minor,
                                               self.root_disk[3] // 1024))
        if standin.attached:
            rdev = os.stat(standin.attached).st_rdev
            size = os.path.getsize(self.volume_path)
            lines.append('%4d %7d %10d %s' % (os.major(rdev), os.minor(rdev),
                                              size // 1024, GUEST_DEVICE))
        with open(standin.path('partitions'), 'w') as partitions:
            partitions.write('\n'.join(lines) + '\n')
