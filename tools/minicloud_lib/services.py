"""The daemons of the cloud: how each is started and how we know it works.

APIs run under gunicorn (one gthread worker each, 127.0.0.1 only) through
minicloud_lib.wsgi; agents run from the venv's console scripts (nova-compute
through minicloud_lib.nova_compute). libvirt mode (`up --virt libvirt`)
adds libvirtd and minicloud_lib.tap_agent before nova-compute.
"""
import os

from . import configs
from . import layout
from . import libvirt_host

VIRT_FILE = os.path.join(layout.DATA, 'virt')


def current_virt():
    """The --virt of the cloud's state (written by up), 'fake' if none."""
    try:
        with open(VIRT_FILE) as f:
            return f.read().strip() or 'fake'
    except OSError:
        return 'fake'


class Service:
    def __init__(self, name, argv, env=None, port=None, health=None,
                 agent=None):
        self.name = name
        self.argv = argv
        self.env = env or {}
        self.port = port            # TCP port it listens on, if any
        self.health = health        # URL path answering HTTP when healthy
        self.agent = agent          # (service api, binary) in a service list

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
    argv = [os.path.join(layout.VBIN, 'gunicorn'),
            '--bind', '%s:%d' % (layout.HOST, port),
            '--workers', '1', '--worker-class', 'gthread', '--threads', '8',
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


def openstack(virt=None):
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
    ] + (host_services() if virt == 'libvirt' else []) + [
        Service('nova-compute', [b + '/python', '-m',
                                 'minicloud_lib.nova_compute', '--config-dir',
                                 os.path.dirname(configs.COMPUTE_CONF)], v,
                agent=('nova-api', 'nova-compute')),
        _gunicorn('cinder-api', 'cinder', {
            'MINICLOUD_CINDER_CONF': _etc('cinder', 'cinder.conf')}),
        Service('cinder-scheduler', [b + '/cinder-scheduler'] + cinder_cfg, v,
                agent=('cinder-api', 'cinder-scheduler')),
        Service('cinder-volume', [b + '/cinder-volume'] + cinder_cfg, v,
                agent=('cinder-api', 'cinder-volume')),
    ]


def host_services():
    """libvirt mode: libvirtd and the tap agent (system python)."""
    return [
        Service('libvirtd', libvirt_host.argv()),
        Service('tap-agent', ['python3', '-m', 'minicloud_lib.tap_agent'],
                {'PYTHONPATH': layout.TOOLS}),
    ]


def all_services(virt=None):
    return infra() + [keystone()] + openstack(virt)
