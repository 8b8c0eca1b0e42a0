"""The daemons of the cloud: how each is started and how we know it works.

APIs run under gunicorn (one gthread worker each, 127.0.0.1 only) through
minicloud_lib.wsgi; agents run from the venv's console scripts (nova-compute
through minicloud_lib.nova_compute). A later libvirt mode adds daemons
(libvirtd, a network agent) here and backend sections in configs.
"""
import os

from . import configs
from . import layout


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


def openstack(virt='fake'):
    """Every service but keystone, in start order."""
    v = venv_env()
    nova_cfg = ['--config-dir', _etc('nova')]
    cinder_cfg = ['--config-file', _etc('cinder', 'cinder.conf')]
    b = layout.VBIN
    return [
        _gunicorn('placement', 'placement',
                  {'OS_PLACEMENT_CONFIG_DIR': _etc('placement')}),
        _gunicorn('glance', 'glance',
                  {'OS_GLANCE_CONFIG_DIR': _etc('glance')}),
        _gunicorn('neutron', 'neutron',
                  {'OS_NEUTRON_CONFIG_DIR': _etc('neutron')}),
        _gunicorn('nova-api', 'nova', {'OS_NOVA_CONFIG_DIR': _etc('nova')}),
        Service('nova-conductor', [b + '/nova-conductor'] + nova_cfg, v,
                agent=('nova-api', 'nova-conductor')),
        Service('nova-scheduler', [b + '/nova-scheduler'] + nova_cfg, v,
                agent=('nova-api', 'nova-scheduler')),
        Service('nova-compute', [b + '/python', '-m',
                                 'minicloud_lib.nova_compute'] + nova_cfg, v,
                agent=('nova-api', 'nova-compute')),
        _gunicorn('cinder-api', 'cinder', {
            'MINICLOUD_CINDER_CONF': _etc('cinder', 'cinder.conf')}),
        Service('cinder-scheduler', [b + '/cinder-scheduler'] + cinder_cfg, v,
                agent=('cinder-api', 'cinder-scheduler')),
        Service('cinder-volume', [b + '/cinder-volume'] + cinder_cfg, v,
                agent=('cinder-api', 'cinder-volume')),
    ]


def all_services(virt='fake'):
    return infra() + [keystone()] + openstack(virt)
