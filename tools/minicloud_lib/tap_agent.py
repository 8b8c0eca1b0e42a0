"""A tiny host network agent for libvirt mode: taps into one bridge.

nova's libvirt driver creates tap<port id[:11]> for each port that
minicloud_lib.ml2_tap bound as vif_type 'tap'. This agent makes sure the
bridge (holding the subnet's gateway address, see libvirt_host.BRIDGE) is
up and puts every such tap into it, then polls again. Each tap it joined is
recorded in run/taps, so that `down` deletes only taps of ours.
Run as: python3 -m minicloud_lib.tap_agent   (PYTHONPATH=tools)
"""
import os
import re
import subprocess
import sys
import time

from . import libvirt_host

TAP = re.compile(r'^tap[0-9a-f]{8}-[0-9a-f]{2}$')


def _master(dev):
    link = '/sys/class/net/%s/master' % dev
    return os.path.basename(os.readlink(link)) if os.path.islink(link) \
        else None


def main(argv):
    # --in-host: in a compute host's network namespace, whose bridge
    # host_netns made (and whose taps go with the namespace).
    in_host = argv == ['--in-host']
    if not in_host:
        libvirt_host.ensure_bridge()
    print('tap agent: bridge %s%s' % (
        libvirt_host.BRIDGE, ' (host namespace)' if in_host
        else ' ' + libvirt_host.GATEWAY_CIDR), flush=True)
    while True:
        if not in_host:
            libvirt_host.ensure_bridge()
        for dev in sorted(os.listdir('/sys/class/net')):
            # A tap already in some bridge is not for us to move.
            if not TAP.match(dev) or _master(dev):
                continue
            if not in_host:
                libvirt_host.record_tap(dev)
            rc = subprocess.run(['ip', 'link', 'set', 'dev', dev, 'master',
                                 libvirt_host.BRIDGE, 'up']).returncode
            print('tap agent: %s -> %s (%s)' % (
                dev, libvirt_host.BRIDGE, 'ok' if rc == 0 else rc),
                flush=True)
        time.sleep(0.5)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
