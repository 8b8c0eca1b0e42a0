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

"""The host side of libvirt mode: libvirtds, the guests' bridge, cleanup.

Each compute host has its own libvirtd (Debian's, no systemd), in private
mount and UTS namespaces: the host's name as its hostname (nova names the
compute node after it), and the host's own files bind-mounted over
/etc/libvirt (libvirtd.conf with the host's host_uuid, qemu.conf, domain
XML), over libvirt's /var/{lib,cache,log}/libvirt and /run/libvirt, and
over /etc/passwd and /etc/group (plus a `libvirt-qemu` user: the QEMU
driver resolves its default user before reading qemu.conf and dies without
one). Nothing of libvirt's state lands in the host's real directories; the
empty mount points we had to create are recorded and removed by `down`.
Each host's nova-compute reaches its libvirtd through the socket in our run
dir (uri(host), nova.conf [libvirt] connection_uri).

The hosts share one kernel: a volume's loop device is the same device on
every host (genuinely shared storage), and so is the instances directory
(one file system, as an NFS-shared instances path would be). Each host's
libvirtd, nova-compute and tap agent run in a network namespace of the
host's own (host_netns), so that a live-migrated guest's tap can exist on
both hosts at once.

qemu is daemonized by libvirtd (not in its process group): cleanup()
destroys and undefines every domain (they all are ours: each libvirtd's
domain store is ours), kills a qemu of ours that survived a killed
libvirtd (by PID, only if its command line names our instances dir),
deletes the hosts' network namespaces (their taps with them) and the
bridge, and detaches the loop devices of cinder_loop volumes.

The guests' network: one Linux bridge BRIDGE with GATEWAY_CIDR (TEST-NET-2,
RFC 5737: documentation only) is the flat provider network's gateway; the
host reaches every guest's fixed IP through it. Nothing else is bound.
Not TEST-NET-1: this kind of host has its own uplink in 192.0.2.0/24 (its
default gateway is 192.0.2.1). ensure_bridge refuses a range that overlaps
a route the host already has.
"""
import glob
import ipaddress
import os
import re
import shutil
import subprocess
import time
import uuid

from . import host_netns
from . import layout

BRIDGE = 'mcbr0'
CIDR = '198.51.100.0/24'
GATEWAY = '198.51.100.1'
PREFIX_LEN = 24
GATEWAY_CIDR = '%s/%d' % (GATEWAY, PREFIX_LEN)
POOL = ('198.51.100.10', '198.51.100.250')
PHYSNET = 'minicloud'
NETWORK = 'minicloud-guests'

INSTANCES = os.path.join(layout.DATA, 'nova', 'instances')
VOLUMES = os.path.join(layout.DATA, 'cinder', 'loop-volumes')
OWN_BRIDGE = os.path.join(layout.RUN, 'bridge')   # we created BRIDGE
MOUNT_POINTS = os.path.join(layout.RUN, 'libvirt-mount-points')
# libvirt's system-mode directories, each replaced by one of each host's.
SYSTEM_DIRS = ('/etc/libvirt', '/var/lib/libvirt', '/var/cache/libvirt',
               '/var/log/libvirt', '/run/libvirt')
# qemu's incoming migrations listen on ports from here, a range per host.
MIGRATION_PORTS = 49152
MIGRATION_PORTS_PER_HOST = 64


#: Emulators the hosts' libvirtds are not shown (argv): nova's guests
#: here are x86_64.
UNUSED_EMULATORS = ('/usr/bin/qemu-system-i386',)


def private_dirs(host):
    """{system directory: the host's own directory bind-mounted over it}."""
    return {'/etc/libvirt': os.path.join(layout.ETC, 'libvirt-' + host),
            '/var/lib/libvirt': os.path.join(layout.DATA, 'libvirt-' + host,
                                             'lib'),
            # Kept by `clean`: qemu's probed capabilities (tens of seconds
            # of TCG per start), which libvirt checks against qemu's and
            # its own version before it trusts them.
            '/var/cache/libvirt': os.path.join(layout.STATE, 'cache',
                                               'libvirt-' + host),
            '/var/log/libvirt': os.path.join(layout.LOGS, 'libvirt-' + host),
            '/run/libvirt': os.path.join(layout.RUN, 'libvirt-' + host)}


def socket_path(host):
    return os.path.join(private_dirs(host)['/run/libvirt'], 'libvirt-sock')


def uri(host):
    """The libvirt URI of a compute host's libvirtd."""
    return 'qemu+unix:///system?socket=' + socket_path(host)


# nova's [libvirt] live_migration_uri: nova puts the destination host's
# name in place of %s (live_migration_inbound_addr unset), so the source's
# libvirtd reaches the destination's through its socket. libvirt accepts an
# explicit unix socket as another host (virDomainMigrateCheckNotLocal) and
# tells the two apart by their host_uuid.
def live_migration_uri():
    return uri('%s')


def virsh(host):
    return ['virsh', '-c', uri(host)]


def host_uuid(host):
    """A host's libvirt UUID: stable for this state dir and host name."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL,
                          'minicloud:%s:%s' % (layout.STATE, host)))


def _run(argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True)


# ----------------------------------------------------------------- libvirtd
def render(hosts):
    """Each host's libvirtd.conf and qemu.conf; passwd/group for all."""
    for index, host in enumerate(hosts):
        address = host_netns.address(index)
        for d in private_dirs(host).values():
            os.makedirs(d, exist_ok=True)
        etc = private_dirs(host)['/etc/libvirt']
        with open(os.path.join(etc, 'libvirtd.conf'), 'w') as f:
            f.write('listen_tls = 0\nlisten_tcp = 0\n'
                    'unix_sock_group = "root"\nunix_sock_rw_perms = "0700"\n'
                    'auth_unix_ro = "none"\nauth_unix_rw = "none"\n'
                    'log_outputs = "3:stderr"\n'
                    # Two libvirtds with one machine's SMBIOS UUID refuse
                    # to migrate to each other ("the same host").
                    'host_uuid = "%s"\n' % host_uuid(host))
        low = MIGRATION_PORTS + index * MIGRATION_PORTS_PER_HOST
        with open(os.path.join(etc, 'qemu.conf'), 'w') as f:
            f.write('user = "root"\ngroup = "root"\ndynamic_ownership = 0\n'
                    'remember_owner = 0\nsecurity_driver = "none"\n'
                    'namespaces = []\nstdio_handler = "file"\n'
                    'cgroup_controllers = []\n'
                    # Incoming live migrations: on the host namespace's
                    # own address (host_netns), on ports of its own.
                    'migration_address = "%s"\nmigration_host = "%s"\n'
                    'migration_port_min = %d\nmigration_port_max = %d\n'
                    % (address, address, low,
                       low + MIGRATION_PORTS_PER_HOST - 1))
    for name, extra in (('passwd', 'libvirt-qemu:x:64055:64055:'
                         'libvirt qemu (minicloud):/nonexistent:'
                         '/usr/sbin/nologin\n'),
                        ('group', 'libvirt-qemu:x:64055:\n'
                                  'kvm:x:64056:\nlibvirt:x:64057:\n')):
        with open('/etc/' + name) as f:
            text = f.read()
        if not text.endswith('\n'):
            text += '\n'
        for line in extra.splitlines(True):
            if not re.search('^%s:' % line.split(':')[0], text, re.M):
                text += line
        with open(os.path.join(layout.ETC, 'libvirt-' + name), 'w') as f:
            f.write(text)


def prepare():
    """Create missing mount points (up); record them for down."""
    made = []
    for target in SYSTEM_DIRS:
        if not os.path.isdir(target):
            os.makedirs(target)
            made.append(target)
    if made:
        with open(MOUNT_POINTS, 'a') as f:
            f.write(''.join(t + '\n' for t in made))


def argv(host):
    """A host's libvirtd in its own network, mount and UTS namespaces.

    Its own files over libvirt's system directories, and the host's name
    as its hostname: nova's libvirt driver names the compute node after
    libvirt's hostname, which must differ between hosts.
    """
    binds = ['mount --bind %s %s' % (src, dst)
             for dst, src in private_dirs(host).items()]
    binds += ['mount --bind %s /etc/%s' % (
        os.path.join(layout.ETC, 'libvirt-' + n), n)
        for n in ('passwd', 'group')]
    # libvirtd probes every qemu-system-<arch> it finds before it answers:
    # under TCG seconds of CPU each, at every start whose cache is new (a
    # fresh checkout). The guests are x86_64 only: the others are hidden
    # from it (an empty file over them is no emulator to it).
    binds += ['mount --bind /dev/null %s' % path for path in UNUSED_EMULATORS
              if os.path.exists(path)]
    script = ' && '.join(['hostname %s' % host] + binds + [
        'exec /usr/sbin/libvirtd --pid-file %s' % os.path.join(
            layout.RUN, 'libvirtd-%s-own.pid' % host)])
    return host_netns.in_host(host, [
        'unshare', '--mount', '--uts', '--propagation', 'private', '--',
        'sh', '-c', script])


def answers(host):
    try:
        return _run(virsh(host) + ['version'], check=False).returncode == 0
    except OSError:
        return False


# ------------------------------------------------------------------ network
def _overlapping_routes():
    """Routes of the host, not on BRIDGE, that overlap CIDR."""
    net = ipaddress.ip_network(CIDR)
    found = []
    for line in _run(['ip', '-4', 'route', 'show', 'table', 'all']
                     ).stdout.splitlines():
        words = line.split()
        if not words or 'dev' not in words or \
                words[words.index('dev') + 1] == BRIDGE:
            continue
        dest = words[1] if words[0] in ('local', 'broadcast') else words[0]
        if dest == 'default':
            continue
        try:
            if ipaddress.ip_network(dest, strict=False).overlaps(net):
                found.append(line)
        except ValueError:
            pass
    return found


def _bridge_alias():
    try:
        with open('/sys/class/net/%s/ifalias' % BRIDGE) as f:
            return f.read().strip()
    except OSError:
        return ''


def bridge_owner_message(alias):
    """Why BRIDGE, found existing, is not this cloud's to use."""
    if alias.startswith('minicloud '):
        return ('%s belongs to the local cloud with state in %s (one '
                'libvirt cloud per machine): run `tools/minicloud down` in '
                'that checkout first' % (BRIDGE, alias.split(' ', 1)[1]))
    return ('%s exists and was not made by this cloud: remove it '
            '(`ip link delete %s`) if nothing uses it' % (BRIDGE, BRIDGE))


def ensure_bridge():
    """Create BRIDGE (recorded as ours) with the gateway address, up."""
    clash = _overlapping_routes()
    if clash:
        raise RuntimeError('the guests\' range %s overlaps this host\'s '
                           'network: %s' % (CIDR, '; '.join(clash)))
    if not os.path.exists('/sys/class/net/' + BRIDGE):
        if os.path.exists(OWN_BRIDGE):
            os.unlink(OWN_BRIDGE)
        _run(['ip', 'link', 'add', BRIDGE, 'type', 'bridge'])
        # The alias names the state directory of the cloud that made it,
        # so another checkout's `up` can say whose it is.
        _run(['ip', 'link', 'set', 'dev', BRIDGE, 'alias',
              'minicloud ' + layout.STATE])
        open(OWN_BRIDGE, 'w').close()
    elif not os.path.exists(OWN_BRIDGE):
        raise RuntimeError(bridge_owner_message(_bridge_alias()))
    addrs = _run(['ip', '-o', '-4', 'addr', 'show', 'dev', BRIDGE]).stdout
    if GATEWAY_CIDR not in addrs:
        _run(['ip', 'addr', 'add', GATEWAY_CIDR, 'dev', BRIDGE])
    _run(['ip', 'link', 'set', BRIDGE, 'up'])


# ------------------------------------------------------------------ cleanup
def _our_qemus():
    """PIDs of qemu processes running one of our instances."""
    pids = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                cmd = f.read().split(b'\0')
        except OSError:
            continue
        if cmd and cmd[0].endswith(b'qemu-system-x86_64') and any(
                INSTANCES.encode() in a for a in cmd):
            pids.append(int(pid))
    return pids


def destroy_domains(host):
    """virsh destroy + undefine every domain (libvirtd must answer)."""
    names = _run(virsh(host) + ['list', '--all', '--name'],
                 check=False).stdout.split()
    for name in names:
        _run(virsh(host) + ['destroy', name], check=False)
        _run(virsh(host) + ['undefine', '--nvram', name], check=False)
        _run(virsh(host) + ['undefine', name], check=False)
    return names


def cleanup():
    """After libvirtd stopped: whatever of ours is left on the host."""
    done = []
    for pid in _our_qemus():
        try:
            os.kill(pid, 9)
            done.append('qemu %d' % pid)
        except OSError:
            pass
    # Domain definitions of libvirtds that could not be asked.
    for qemu_etc in glob.glob(os.path.join(layout.ETC, 'libvirt-*', 'qemu')):
        shutil.rmtree(qemu_etc)
    # Only what we made: the bridge if we created it. Another cloud on
    # this host (another checkout) may have its own.
    if os.path.exists(OWN_BRIDGE):
        if os.path.exists('/sys/class/net/' + BRIDGE):
            _run(['ip', 'link', 'del', BRIDGE], check=False)
            done.append('bridge ' + BRIDGE)
        os.unlink(OWN_BRIDGE)
    for path in sorted(os.listdir(VOLUMES)) if os.path.isdir(VOLUMES) \
            else []:
        full = os.path.join(VOLUMES, path)
        out = _run(['losetup', '-j', full, '-O', 'NAME', '-n'],
                   check=False).stdout.split()
        for dev in out:
            _run(['losetup', '-d', dev], check=False)
            done.append('loop ' + dev)
    # The hosts' network namespaces, with their bridges, veths and taps.
    done += host_netns.delete_all()
    # Mount points we had to create (empty on the host: the content was in
    # libvirtd's namespace only).
    if os.path.exists(MOUNT_POINTS):
        with open(MOUNT_POINTS) as f:
            made = f.read().split()
        for target in reversed(made):
            try:
                os.rmdir(target)
            except OSError:
                pass
        os.unlink(MOUNT_POINTS)
    return done


def wait_gone(timeout=10):
    deadline = time.monotonic() + timeout
    while _our_qemus() and time.monotonic() < deadline:
        time.sleep(0.2)
