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

"""cinder-volume launcher whose parent process looks at its child less often.

cinder-volume always runs its backend in a child of an oslo.service
ProcessLauncher, whose parent checks for a dead child every wait_interval:
0.01 s as cinder builds it. On this 2-core machine that loop alone cost
~2 % of a core, idle or not (123 ticks a minute of an idle cloud, the most
of any process), taken from the guests for the whole run. Here the parent
looks once a second: a dead backend is restarted up to a second later.
Everything else is the stock cinder-volume main().
Run as: python -m minicloud_lib.cinder_volume --config-file <file> ...
"""
import sys

from cinder.cmd import volume  # first: it applies cinder's monkey patching
from cinder import service
from oslo_service import service as oslo_service

#: Seconds between the parent's looks at its child (oslo.service: 0.01).
CHILD_CHECK_INTERVAL = 1.0


def process_launcher():
    """cinder.service.process_launcher with a longer wait_interval."""
    return oslo_service.ProcessLauncher(
        service.CONF, wait_interval=CHILD_CHECK_INTERVAL,
        restart_method='mutate')


if __name__ == '__main__':
    service.process_launcher = process_launcher
    sys.exit(volume.main())
