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

"""An ML2 mechanism driver binding every port as vif_type 'tap' (libvirt mode).

neutron 29 has no linuxbridge driver and nova 34 refuses vif_type 'bridge';
the openvswitch kernel module is missing on this kind of host. nova's
libvirt driver plugs a 'tap' VIF itself: it creates tap<port id[:11]> and
gives it to qemu (<interface type='ethernet'>). minicloud_lib.tap_agent then
joins each such tap to the one Linux bridge that holds the subnet gateway.

The port is ACTIVE at bind time: no L2 agent reports it up, and nova waits
for network-vif-plugged only for ports that are not active.
No security groups are enforced (port_filter False; firewall_driver noop).

Registered as mechanism driver 'minicloud_tap' through
neutron_ext/minicloud_ml2_tap-1.0.dist-info/entry_points.txt, which is on
neutron-server's PYTHONPATH (no package install).
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api
from oslo_log import log as logging

LOG = logging.getLogger(__name__)


class TapMechanismDriver(api.MechanismDriver):

    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            if segment[api.NETWORK_TYPE] in (constants.TYPE_FLAT,
                                             constants.TYPE_LOCAL):
                context.set_binding(
                    segment[api.ID], portbindings.VIF_TYPE_TAP,
                    {portbindings.CAP_PORT_FILTER: False},
                    status=constants.PORT_STATUS_ACTIVE)
                LOG.debug('port %s bound as tap on host %s',
                          context.current['id'], context.host)
                return
