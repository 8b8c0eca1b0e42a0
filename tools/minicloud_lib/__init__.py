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

"""minicloud: a real OpenStack control plane on 127.0.0.1 for mattach-tempest.

Modules, each small and with one job:
  layout      where things live (state dir, venv, ports)
  install     apt packages and the private venv (pinned by the constraints)
  procs       starting, watching and stopping our daemons by PID file
  configs     rendering every service's configuration file
  services    the daemons, their command lines and health checks
  api         a tiny REST client for seeding and `status`
  bootstrap   databases, keystone, catalog, flavors, volume type, images,
              accounts
  tempest_ws  the tempest workspace (tempest.conf, accounts file)
  libvirt_host  --virt libvirt, host side: a libvirtd per compute host,
              the bridge, cleanup
  host_netns  --virt libvirt: each compute host's network namespace, and
              the forwarder that lets its nova-compute reach the control
              plane on 127.0.0.1 (system python)
  guest_cloud   --virt libvirt: the guests' network, the guest image
  client_env  the openstack CLI's settings: `openrc`, clouds.yaml
  cli         the `tools/minicloud` sub-commands

Imported by the cloud's own processes, inside its venv (not by this CLI):
  wsgi                          gunicorn app factories (reset sys.argv first)
  nova_compute                  nova-compute launcher that can load ...
  nova_virt_ext/minicloud_fake  ... nova's fake driver, fixed node UUID,
                                snapshots that upload (--virt fake)
  nova_virt_ext/minicloud_libvirt  ... nova's libvirt driver, extending
                                attached loop volumes (--virt libvirt)
  cinder_fake                   cinder fake backend reporting multiattach
  cinder_loop                   --virt libvirt: cinder backend, a sparse
                                file + loop device per volume ('local')
  ml2_tap (+ neutron_ext/)      --virt libvirt: ML2 driver, tap ports
  tap_agent                     --virt libvirt: taps into the bridge of
                                each host's namespace
                                (system python, not the venv)
"""
