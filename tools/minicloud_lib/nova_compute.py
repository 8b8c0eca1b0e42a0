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

"""nova-compute launcher that can load minicloud's own virt driver.

nova.virt.driver.load_compute_driver imports 'nova.virt.<compute_driver>'
only, so a driver outside nova cannot be named in nova.conf. This launcher
adds tools/minicloud_lib/nova_virt_ext to nova.virt.__path__ and then runs
the stock nova-compute main(); nova.conf says
compute_driver = minicloud_fake.FixedNodeFakeDriver (--virt fake) or
minicloud_libvirt.LoopExtendLibvirtDriver (--virt libvirt).
Run as: python -m minicloud_lib.nova_compute --config-dir <dir>
"""
import os
import sys

from nova.cmd import compute  # first: it applies nova's monkey patching
import nova.virt

nova.virt.__path__.append(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), 'nova_virt_ext'))

if __name__ == '__main__':
    sys.exit(compute.main())
