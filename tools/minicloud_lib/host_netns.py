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

"""libvirt mode: each compute host's own network namespace.

The compute hosts share one kernel. Live migration needs the guest's tap
device on the destination under the name it has on the source (nova names
it after the port), while the source's qemu still holds it: in one network
namespace that is "Unable to create tap device ...: Device or resource
busy". So each host's libvirtd, nova-compute (which creates the taps) and
tap agent run in a network namespace of the host's own, as on separate
machines:

    root namespace                    namespace minicloud-<host>
    BRIDGE (gateway 198.51.100.1) --- veth --- uplink in BRIDGE (.2, .3 ...)
                                                 + the host's guests' taps

The host's address (address(index), outside the guests' pool) is where its
qemu listens for incoming live migrations (libvirt's qemu.conf
migration_address). nova-compute reaches the control plane, which listens
on the root namespace's 127.0.0.1 only, through forward(): a process of
ours that listens on the host namespace's own 127.0.0.1, on the same
ports, and connects each connection to the root namespace's. Nothing
listens anywhere else.
Run as: python3 -m minicloud_lib.host_netns forward <host>  (PYTHONPATH=tools)
"""
import ctypes
import os
import socket
import subprocess
import sys
import threading

from . import layout

OWN_NETNS = os.path.join(layout.RUN, 'netns')    # namespaces we created
UPLINK = 'uplink'
# The control plane services nova-compute talks to.
FORWARDED = ('rabbitmq', 'keystone', 'placement', 'glance', 'neutron',
             'nova-api', 'cinder-api')
CLONE_NEWNET = 0x40000000


def name(host):
    return 'minicloud-' + host


def address(index):
    """Host number `index`'s address on the guests' network: .2, .3 ..."""
    return '198.51.100.%d' % (index + 2)


def in_host(host, argv):
    """argv run inside the host's network namespace."""
    return ['ip', 'netns', 'exec', name(host)] + argv


def _run(argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True)


def _ns(host, *argv):
    return _run(in_host(host, list(argv)))


def create(host, index, bridge, prefix_len):
    """The host's namespace, its bridge with its address, the uplink."""
    ns = name(host)
    if os.path.exists('/run/netns/' + ns):
        if ns not in _own():
            raise RuntimeError('network namespace %s exists and is not ours '
                               '(another cloud on this host?)' % ns)
        return
    _run(['ip', 'netns', 'add', ns])
    with open(OWN_NETNS, 'a') as f:
        f.write(ns + '\n')
    outside, inside = 'mcv-' + host[-8:], 'mcp-' + host[-8:]
    _run(['ip', 'link', 'add', outside, 'type', 'veth', 'peer', 'name',
          inside])
    _run(['ip', 'link', 'set', inside, 'netns', ns])
    _run(['ip', 'link', 'set', outside, 'master', bridge, 'up'])
    _ns(host, 'ip', 'link', 'set', 'lo', 'up')
    _ns(host, 'ip', 'link', 'set', inside, 'name', UPLINK)
    _ns(host, 'ip', 'link', 'add', bridge, 'type', 'bridge')
    _ns(host, 'ip', 'link', 'set', UPLINK, 'master', bridge, 'up')
    _ns(host, 'ip', 'addr', 'add', '%s/%d' % (address(index), prefix_len),
        'dev', bridge)
    _ns(host, 'ip', 'link', 'set', bridge, 'up')


def _own():
    try:
        with open(OWN_NETNS) as f:
            return f.read().split()
    except OSError:
        return []


def delete_all():
    """Delete the namespaces we created (their veths and taps go too)."""
    done = []
    for ns in _own():
        if subprocess.run(['ip', 'netns', 'del', ns],
                          capture_output=True).returncode == 0:
            done.append('netns ' + ns)
    if os.path.exists(OWN_NETNS):
        os.unlink(OWN_NETNS)
    return done


def forwards(host):
    """True when every forwarded port answers inside the host namespace."""
    probe = ('import socket\nfor p in %r: socket.create_connection('
             '("%s", p), 2).close()' % (
                 [layout.PORTS[s] for s in FORWARDED], layout.HOST))
    return subprocess.run(in_host(host, ['python3', '-c', probe]),
                          capture_output=True).returncode == 0


# ----------------------------------------------------------- the forwarder
def _listen_in(ns_path, port):
    """A socket listening on 127.0.0.1:port inside namespace ns_path.

    The calling thread enters the namespace for the socket's creation
    only: a socket belongs to the namespace it was made in.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    own = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
    target = os.open(ns_path, os.O_RDONLY)
    try:
        if libc.setns(target, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), 'setns %s' % ns_path)
        try:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((layout.HOST, port))
            sock.listen(128)
        finally:
            if libc.setns(own, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns back')
    finally:
        os.close(own)
        os.close(target)
    return sock


def _pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for sock in (src, dst):
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _serve(listener, port):
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection((layout.HOST, port))
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pump, args=(a, b), daemon=True).start()


def forward(host):
    ns_path = '/run/netns/' + name(host)
    threads = []
    for service in FORWARDED:
        port = layout.PORTS[service]
        listener = _listen_in(ns_path, port)
        threads.append(threading.Thread(target=_serve,
                                        args=(listener, port), daemon=True))
    for t in threads:
        t.start()
    print('forwarding %s from %s\'s 127.0.0.1' % (
        ', '.join('%s:%d' % (s, layout.PORTS[s]) for s in FORWARDED), host),
        flush=True)
    for t in threads:
        t.join()


if __name__ == '__main__':
    if sys.argv[1:2] == ['forward'] and len(sys.argv) == 3:
        sys.exit(forward(sys.argv[2]))
    sys.exit('usage: python3 -m minicloud_lib.host_netns forward <host>')
