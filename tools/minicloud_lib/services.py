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

"""The daemons of the cloud: how each is started and how we know it works.

APIs run under gunicorn (one gthread worker each, 127.0.0.1 only) through
minicloud_lib.wsgi; agents run from the venv's console scripts (nova-compute
through minicloud_lib.nova_compute, one per compute host: `up --computes
N`). libvirt mode (`up --virt libvirt`) adds a libvirtd per compute host and
minicloud_lib.tap_agent before the nova-computes.
"""
import os

from . import configs
from . import host_netns
from . import layout
from . import libvirt_host

VIRT_FILE = os.path.join(layout.DATA, 'virt')
COMPUTES_FILE = os.path.join(layout.DATA, 'computes')


def current_virt():
    """The --virt of the cloud's state (written by up), 'fake' if none."""
    try:
        with open(VIRT_FILE) as f:
            return f.read().strip() or 'fake'
    except OSError:
        return 'fake'


def current_computes():
    """The --computes of the cloud's state (written by up), None if none."""
    try:
        with open(COMPUTES_FILE) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def compute_hosts(computes=None):
    """The compute hosts' names: compute1 .. computeN."""
    return ['compute%d' % i
            for i in range(1, (computes or current_computes() or 1) + 1)]


class Service:
    def __init__(self, name, argv, env=None, port=None, health=None,
                 agent=None, host=None):
        self.name = name
        self.argv = argv
        self.env = env or {}
        self.port = port            # TCP port it listens on, if any
        self.health = health        # URL path answering HTTP when healthy
        self.agent = agent          # (service api, binary) in a service list
        self.host = host            # its host in that list, if not the one

    def url(self):
        return 'http://%s:%d%s' % (layout.HOST, self.port, self.health)


def venv_env():
    """Environment of every process run from the venv."""
    return {
        'PATH': layout.VBIN + os.pathsep + os.environ.get('PATH', ''),
        'PYTHONPATH': layout.TOOLS,
        'VIRTUAL_ENV': layout.VENV,
        # Nothing of ours may land in the real home or /tmp.
        'HOME': os.path.join(layout.DATA, 'home'),
        'TMPDIR': os.path.join(layout.DATA, 'tmp'),
    }


def _gunicorn(name, factory, env):
    port = layout.PORTS[name]
    # --keep-alive 0: each response closes its connection. With keep-alive
    # gunicorn closes a connection idle for its timeout (2 s) even while a
    # client is sending on it, and the client (a keystoneauth session in
    # nova-compute, a test's rest client) reuses pooled connections of any
    # age: it got 'Connection reset by peer' (nova-compute's GET of the
    # volume in a detach failed, leaving the volume 'detaching'). A new
    # loopback connection per request costs nothing here.
    argv = [os.path.join(layout.VBIN, 'gunicorn'),
            '--bind', '%s:%d' % (layout.HOST, port),
            '--workers', '1', '--worker-class', 'gthread', '--threads', '8',
            '--keep-alive', '0',
            '--timeout', '300', '--graceful-timeout', '5',
            '--no-control-socket', '--name', name,
            'minicloud_lib.wsgi:%s()' % factory]
    return Service(name, argv, dict(venv_env(), **env), port=port, health='/')


def _etc(*p):
    return os.path.join(layout.ETC, *p)


def infra():
    """epmd, MariaDB, RabbitMQ: the message bus and database."""
    epmd = Service('epmd', ['/usr/bin/epmd', '-address', layout.HOST,
                            '-port', str(layout.PORTS['epmd'])],
                   port=layout.PORTS['epmd'])
    mariadb = Service('mariadb', ['/usr/sbin/mariadbd',
                                  '--defaults-file=' + _etc('mariadb',
                                                            'my.cnf')],
                      port=layout.PORTS['mariadb'])
    rabbit = Service('rabbitmq', ['/usr/lib/rabbitmq/bin/rabbitmq-server'],
                     env=configs.rabbitmq_env(), port=layout.PORTS['rabbitmq'])
    return [epmd, mariadb, rabbit]


def keystone():
    return _gunicorn('keystone', 'keystone', {
        'OS_KEYSTONE_CONFIG_FILES': _etc('keystone', 'keystone.conf')})


def openstack(virt=None, computes=None):
    """Every service but keystone, in start order."""
    virt = virt or current_virt()
    v = venv_env()
    nova_cfg = ['--config-dir', _etc('nova')]
    cinder_cfg = ['--config-file', _etc('cinder', 'cinder.conf')]
    b = layout.VBIN
    return [
        _gunicorn('placement', 'placement',
                  {'OS_PLACEMENT_CONFIG_DIR': _etc('placement')}),
        _gunicorn('glance', 'glance',
                  {'OS_GLANCE_CONFIG_DIR': _etc('glance')}),
        _gunicorn('neutron', 'neutron', {
            'OS_NEUTRON_CONFIG_DIR': _etc('neutron'),
            # ml2_tap's entry point (a dist-info directory, no install).
            'PYTHONPATH': os.pathsep.join([
                layout.TOOLS, os.path.join(layout.TOOLS, 'minicloud_lib',
                                           'neutron_ext')])}),
        _gunicorn('nova-api', 'nova', {'OS_NOVA_CONFIG_DIR': _etc('nova')}),
        Service('nova-conductor', [b + '/nova-conductor'] + nova_cfg, v,
                agent=('nova-api', 'nova-conductor')),
        Service('nova-scheduler', [b + '/nova-scheduler'] + nova_cfg, v,
                agent=('nova-api', 'nova-scheduler')),
    ] + (host_services(computes) if virt == 'libvirt' else []) + [
        compute_service(host, virt) for host in compute_hosts(computes)] + [
        _gunicorn('cinder-api', 'cinder', {
            'MINICLOUD_CINDER_CONF': _etc('cinder', 'cinder.conf')}),
        Service('cinder-scheduler', [b + '/cinder-scheduler'] + cinder_cfg, v,
                agent=('cinder-api', 'cinder-scheduler')),
        # cinder-volume's parent checking its child once a second, not
        # every 0.01 s (minicloud_lib/cinder_volume.py says why).
        Service('cinder-volume', [layout.VBIN + '/python', '-m',
                                  'minicloud_lib.cinder_volume'] + cinder_cfg,
                v, agent=('cinder-api', 'cinder-volume')),
    ]


def compute_service(host, virt=None):
    """nova-compute of one compute host, from its own config directory.

    libvirt mode: in the host's network namespace, where it creates its
    guests' taps (host_netns).
    """
    argv = [layout.VBIN + '/python', '-m', 'minicloud_lib.nova_compute',
            '--config-dir', configs.compute_conf_dir(host)]
    if (virt or current_virt()) == 'libvirt':
        argv = host_netns.in_host(host, argv)
    return Service('nova-compute-' + host, argv, venv_env(),
                   agent=('nova-api', 'nova-compute'), host=host)


def libvirtd_service(host):
    return Service('libvirtd-' + host, libvirt_host.argv(host), host=host)


def host_services(computes=None):
    """libvirt mode: each compute host's own daemons.

    The forwarder of its namespace, its libvirtd and its tap agent (the
    last two in its namespace).
    """
    system_python = {'PYTHONPATH': layout.TOOLS}
    found = []
    for host in compute_hosts(computes):
        found += [
            Service('forwarder-' + host, ['python3', '-m',
                                          'minicloud_lib.host_netns',
                                          'forward', host],
                    system_python, host=host),
            libvirtd_service(host),
            Service('tap-agent-' + host, host_netns.in_host(host, [
                'python3', '-m', 'minicloud_lib.tap_agent']),
                system_python, host=host)]
    return found


def all_services(virt=None, computes=None):
    return infra() + [keystone()] + openstack(virt, computes)
