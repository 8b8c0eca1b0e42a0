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
