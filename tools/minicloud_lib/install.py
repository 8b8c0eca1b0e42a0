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

"""Install what the cloud needs: Debian packages and a private venv.

Debian gives MariaDB and RabbitMQ (their package scripts must not start the
system-wide daemons: we run private instances, so a policy-rc.d forbids
service starts for the duration of the install). PyPI gives the OpenStack
services into `.minicloud/venv`, pinned by tools/minicloud-constraints.txt so
that a new release cannot silently change the cloud under CI.
"""
import os
import shutil
import subprocess
import sys
import time

from . import layout

# qemu-utils in every mode: cinder runs qemu-img on every image it copies
# into a volume (bootable volumes), whatever the virt driver.
APT_PACKAGES = ['mariadb-server', 'rabbitmq-server', 'qemu-utils']
# Binaries that prove each package is installed.
APT_PROBES = {'mariadb-server': '/usr/sbin/mariadbd',
              'rabbitmq-server': '/usr/lib/rabbitmq/bin/rabbitmq-server',
              'qemu-utils': '/usr/bin/qemu-img'}
PIP_PACKAGES = ['keystone', 'openstack-placement', 'glance', 'nova', 'cinder',
                'neutron', 'gunicorn', 'PyMySQL', 'tempest',
                'python-openstackclient',
                # oslo.cache's memcache_pool backend needs it, and keystone
                # and nova-api log an ERROR without it: configuring a cache
                # (even the in-process dict) loads every dogpile backend.
                'python-memcached']
POLICY_RC = '/usr/sbin/policy-rc.d'
# Written into the venv when the pip install completed, so a half-done
# install is redone rather than trusted; it lists PIP_PACKAGES, so a
# package added to them reaches an existing venv.
VENV_STAMP = os.path.join(layout.VENV, '.minicloud-installed')
APT_LOG = os.path.join(layout.LOGS, 'apt-install.log')
PIP_LOG = os.path.join(layout.LOGS, 'pip-install.log')


def log(msg):
    print('minicloud: %s' % msg, flush=True)


def _missing_apt():
    return [p for p in APT_PACKAGES if not os.path.exists(APT_PROBES[p])]


def install_apt():
    missing = _missing_apt()
    if not missing:
        return False
    log('apt-get install %s' % ' '.join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    own_policy = not os.path.exists(POLICY_RC)
    if own_policy:
        # Exit 101 = "action forbidden": package scripts do not start daemons.
        with open(POLICY_RC, 'w') as f:
            f.write('#!/bin/sh\nexit 101\n')
        os.chmod(POLICY_RC, 0o755)
    try:
        with open(APT_LOG, 'w') as out:
            for cmd in (['apt-get', 'update', '-q'],
                        ['apt-get', 'install', '-y', '-q',
                         '--no-install-recommends'] + missing):
                if subprocess.run(cmd, env=env, stdout=out,
                                  stderr=subprocess.STDOUT).returncode:
                    raise SystemExit('minicloud: %s failed, see %s'
                                     % (' '.join(cmd[:2]), APT_LOG))
    finally:
        if own_policy:
            os.unlink(POLICY_RC)
    return True


def _venv_current():
    try:
        with open(VENV_STAMP) as f:
            return f.read().split() == PIP_PACKAGES
    except OSError:
        return False


def install_venv():
    if _venv_current():
        return False
    py = shutil.which('python3') or sys.executable
    if not os.path.exists(os.path.join(layout.VBIN, 'python')):
        log('creating venv %s' % layout.VENV)
        subprocess.run([py, '-m', 'venv', layout.VENV], check=True)
    pip = [os.path.join(layout.VBIN, 'python'), '-m', 'pip', 'install', '-q',
           '--disable-pip-version-check']
    if os.path.exists(layout.CONSTRAINTS):
        pip += ['-c', layout.CONSTRAINTS]
    log('pip install %s (log: %s)' % (' '.join(PIP_PACKAGES), PIP_LOG))
    with open(PIP_LOG, 'w') as out:
        rc = subprocess.run(pip + PIP_PACKAGES, stdout=out,
                            stderr=subprocess.STDOUT).returncode
    if rc:
        with open(PIP_LOG) as f:
            sys.stderr.write(''.join(f.readlines()[-30:]))
        raise SystemExit('minicloud: pip install failed (exit %d), see %s'
                         % (rc, PIP_LOG))
    with open(VENV_STAMP, 'w') as f:
        f.write('\n'.join(PIP_PACKAGES) + '\n')
    return True


# libvirt mode (up --virt libvirt). Not libvirt-daemon-system: it pulls
# systemd in; libvirtd is started by minicloud (libvirt_host).
LIBVIRT_APT = {'libvirt-daemon': '/usr/sbin/libvirtd',
               'libvirt-daemon-driver-qemu': '/usr/lib/x86_64-linux-gnu/'
               'libvirt/connection-driver/libvirt_driver_qemu.so',
               'libvirt-clients': '/usr/bin/virsh',
               'libvirt-dev': '/usr/include/libvirt/libvirt.h',
               'genisoimage': '/usr/bin/genisoimage',
               'qemu-system-x86': '/usr/bin/qemu-system-x86_64',
               'qemu-utils': '/usr/bin/qemu-img',
               # libvirt-python is an sdist: built against libvirt-dev.
               'gcc': '/usr/bin/gcc', 'pkg-config': '/usr/bin/pkg-config'}


def install_libvirt():
    """Debian's libvirt + qemu, libvirt-python into the venv (pinned)."""
    did = False
    if any(not os.path.exists(p) for p in LIBVIRT_APT.values()):
        APT_PACKAGES.extend(p for p in LIBVIRT_APT if p not in APT_PACKAGES)
        APT_PROBES.update(LIBVIRT_APT)
        did = install_apt()
    py = os.path.join(layout.VBIN, 'python')
    if subprocess.run([py, '-c', 'import libvirt'],
                      capture_output=True).returncode:
        log('pip install libvirt-python')
        with open(PIP_LOG, 'a') as out:
            rc = subprocess.run(
                [py, '-m', 'pip', 'install', '-q',
                 '--disable-pip-version-check', '-c', layout.CONSTRAINTS,
                 'libvirt-python'], stdout=out,
                stderr=subprocess.STDOUT).returncode
        if rc:
            raise SystemExit('minicloud: pip install libvirt-python failed, '
                             'see %s' % PIP_LOG)
        did = True
    return did


def ensure_installed(virt='fake'):
    """Install whatever is missing; return seconds spent (0 if nothing)."""
    t0 = time.monotonic()
    layout.ensure_dirs()
    did = install_apt()
    did = install_venv() or did
    if virt == 'libvirt':
        did = install_libvirt() or did
    spent = time.monotonic() - t0
    if did:
        log('install time: %.0f s' % spent)
    return spent if did else 0.0


CONSTRAINTS_HEADER = """\
# Exact versions of tools/minicloud's venv that brought the cloud up and ran
# tempest's multiattach tests (pip freeze). Use: pip install -c <this file>.
"""


def pin():
    """Write the venv's exact versions to tools/minicloud-constraints.txt.

    For after a deliberate upgrade that was verified (up, canary, suite).
    """
    out = subprocess.run([os.path.join(layout.VBIN, 'python'), '-m', 'pip',
                          'freeze', '--exclude-editable'],
                         check=True, capture_output=True, text=True).stdout
    lines = [line for line in out.splitlines()
             if line and not line.startswith('-e ')]
    with open(layout.CONSTRAINTS, 'w') as f:
        f.write(CONSTRAINTS_HEADER + '\n'.join(lines) + '\n')
    return len(lines)
