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

"""A tiny host network agent for libvirt mode: taps into the host's bridge.

nova's libvirt driver creates tap<port id[:11]> for each port that
minicloud_lib.ml2_tap bound as vif_type 'tap'. One agent runs in each
compute host's network namespace (host_netns), where nova-compute creates
them: it puts every such tap into that namespace's bridge, which host_netns
made and joined to the guests' bridge, then polls again. The taps go with
the namespace when `down` deletes it.
Run as: ip netns exec <namespace> python3 -m minicloud_lib.tap_agent
(PYTHONPATH=tools)
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


def main():
    print('tap agent: bridge %s of the host namespace' % libvirt_host.BRIDGE,
          flush=True)
    while True:
        for dev in sorted(os.listdir('/sys/class/net')):
            # A tap already in some bridge is not for us to move.
            if not TAP.match(dev) or _master(dev):
                continue
            rc = subprocess.run(['ip', 'link', 'set', 'dev', dev, 'master',
                                 libvirt_host.BRIDGE, 'up']).returncode
            print('tap agent: %s -> %s (%s)' % (
                dev, libvirt_host.BRIDGE, 'ok' if rc == 0 else rc),
                flush=True)
        time.sleep(0.5)


if __name__ == '__main__':
    sys.exit(main())
