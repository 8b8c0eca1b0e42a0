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

"""Render the configuration of every minicloud service into .minicloud/etc.

All configuration decisions live here, as a real operator would write them:
every service on 127.0.0.1, one worker each (2 cores), service users with
the `service` role, nova sending service tokens and cinder requiring them
(bug 2004555 protection), keystone with cheap password hashing. The virt
and volume backends are chosen by `virt` so that a later libvirt mode only
changes the backend sections.
"""
import os
import shutil

from . import layout
from . import libvirt_host


def _path(*p):
    return os.path.join(layout.ETC, *p)


def write_ini(path, sections):
    """Write {section: {option: value}} as an ini file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        for key, value in options.items():
            if isinstance(value, bool):
                value = 'true' if value else 'false'
            lines.append('%s = %s' % (key, value))
        lines.append('')
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def db_url(name):
    return 'mysql+pymysql://minicloud:%s@%s:%d/%s?charset=utf8' % (
        layout.DB_PASSWORD, layout.HOST, layout.PORTS['mariadb'], name)


DATABASES = ['keystone', 'placement', 'glance', 'nova_api', 'nova_cell0',
             'nova', 'cinder', 'neutron']


def transport_url():
    return 'rabbit://%s:%s@%s:%d/' % (
        layout.RABBIT_USER, layout.RABBIT_PASSWORD, layout.HOST,
        layout.PORTS['rabbitmq'])


def service_auth(user):
    """keystoneauth password options for a service user in project service."""
    return {
        'auth_type': 'password',
        'auth_url': layout.url('keystone'),
        'username': user,
        'password': layout.SERVICE_PASSWORD,
        'project_name': 'service',
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
        'region_name': layout.REGION,
    }


def authtoken(user):
    opts = dict(service_auth(user))
    opts.update({
        'www_authenticate_uri': layout.url('keystone'),
        'service_token_roles': 'service',
        'service_token_roles_required': True,
        'memcached_servers': '',
    })
    return opts


def common(name):
    """[DEFAULT] of the services that talk over the message bus."""
    return {'use_stderr': True, 'debug': False, 'host': 'minicloud',
            'transport_url': transport_url(),
            'state_path': os.path.join(layout.DATA, name)}


def install_shipped(service, name):
    """Copy a file the service's package ships into its config directory.

    pip puts them in <venv>/etc/<service>; a packaged deployment has them
    in /etc/<service> next to the configuration (paste pipelines,
    cinder's resource filters).
    """
    path = _path(service, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copy(os.path.join(layout.VENV, 'etc', service, name), path)
    return path


def key_manager(service):
    """[key_manager] of nova or cinder: the fixed-key manager it ships.

    Volume types with an encryption type need a key manager: cinder asks
    it for each new encrypted volume's key, nova for the key that opens
    the volume on the host. There is no barbican here; both services
    read the same key from their configuration (one key for every
    volume: insecure, and enough for a throw-away test cloud).
    """
    return {'backend': '%s.keymgr.conf_key_mgr.ConfKeyManager' % service,
            'fixed_key': layout.FIXED_KEY}


def data_dir(*p):
    d = os.path.join(layout.DATA, *p)
    os.makedirs(d, exist_ok=True)
    return d


def mariadb():
    path = _path('mariadb', 'my.cnf')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('\n'.join([
            '[client]',
            'socket = %s' % os.path.join(layout.RUN, 'mariadb.sock'),
            'port = %d' % layout.PORTS['mariadb'],
            '[mysqld]',
            'user = root',
            'datadir = %s' % os.path.join(layout.DATA, 'mariadb'),
            'socket = %s' % os.path.join(layout.RUN, 'mariadb.sock'),
            'port = %d' % layout.PORTS['mariadb'],
            'bind-address = %s' % layout.HOST,
            'pid-file = %s' % os.path.join(layout.RUN, 'mariadbd.pid'),
            'skip-name-resolve',
            'skip-log-bin',
            'max_connections = 1000',
            'character-set-server = utf8mb4',
            'innodb_buffer_pool_size = 128M',
            # A throw-away test database: durability is not needed, speed is
            # (nova's migrations dominate the start-up time).
            'innodb_flush_log_at_trx_commit = 0',
            'innodb_doublewrite = 0',
            'sync_binlog = 0',
            '',
        ]))
    return path


def rabbitmq_env():
    """RabbitMQ's environment: everything private, loopback only."""
    base = os.path.join(layout.DATA, 'rabbitmq')
    return {
        'HOME': base,   # the Erlang cookie lives in $HOME
        'RABBITMQ_NODENAME': 'minicloud@localhost',
        'RABBITMQ_NODE_IP_ADDRESS': layout.HOST,
        'RABBITMQ_NODE_PORT': str(layout.PORTS['rabbitmq']),
        'RABBITMQ_DIST_PORT': str(layout.PORTS['rabbitmq-dist']),
        'RABBITMQ_CONFIG_FILE': _path('rabbitmq', 'rabbitmq.conf'),
        'RABBITMQ_ENABLED_PLUGINS_FILE': _path('rabbitmq', 'enabled_plugins'),
        'RABBITMQ_MNESIA_BASE': os.path.join(base, 'mnesia'),
        'RABBITMQ_LOG_BASE': os.path.join(base, 'log'),
        'RABBITMQ_PID_FILE': os.path.join(layout.RUN, 'rabbitmq-erl.pid'),
        # Neither /etc/rabbitmq/rabbitmq-env.conf nor advanced.config.
        'RABBITMQ_CONF_ENV_FILE': _path('rabbitmq', 'none.env'),
        'RABBITMQ_ADVANCED_CONFIG_FILE': _path('rabbitmq', 'advanced.config'),
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
            '-kernel inet_dist_use_interface {127,0,0,1}',
        'ERL_EPMD_ADDRESS': layout.HOST,
        'ERL_EPMD_PORT': str(layout.PORTS['epmd']),
    }


def rabbitmq():
    data_dir('rabbitmq', 'log')
    os.makedirs(_path('rabbitmq'), exist_ok=True)
    with open(_path('rabbitmq', 'rabbitmq.conf'), 'w') as f:
        f.write('\n'.join([
            'listeners.tcp.1 = %s:%d' % (layout.HOST,
                                         layout.PORTS['rabbitmq']),
            'default_user = %s' % layout.RABBIT_USER,
            'default_pass = %s' % layout.RABBIT_PASSWORD,
            'loopback_users = none',
            'log.console = true',
            'log.file = false',
            '',
        ]))
    with open(_path('rabbitmq', 'enabled_plugins'), 'w') as f:
        f.write('[].\n')


def keystone():
    write_ini(_path('keystone', 'keystone.conf'), {
        'DEFAULT': {'use_stderr': True, 'debug': False},
        'database': {'connection': db_url('keystone')},
        'identity': {'password_hash_rounds': 4},
        'token': {'provider': 'fernet'},
        'fernet_tokens': {'key_repository': data_dir('keystone', 'fernet')},
        'fernet_receipts': {
            'key_repository': data_dir('keystone', 'fernet-receipts')},
        'credential': {
            'key_repository': data_dir('keystone', 'credential')},
        # Without a cache every token validation costs ~200 SQL queries
        # (~0.7 s on 2 busy cores). One gunicorn worker = one process, so an
        # in-process cache is coherent.
        'cache': {'enabled': True, 'backend': 'oslo_cache.dict',
                  'expiration_time': 600},
    })


def placement():
    write_ini(_path('placement', 'placement.conf'), {
        'DEFAULT': {'use_stderr': True, 'debug': False},
        'api': {'auth_strategy': 'keystone'},
        'placement_database': {'connection': db_url('placement')},
        'keystone_authtoken': authtoken('placement'),
    })


def glance():
    d = _path('glance')
    write_ini(os.path.join(d, 'glance-api.conf'), {
        'DEFAULT': {'use_stderr': True, 'debug': False,
                    'enabled_backends': 'fs:file',
                    'worker_self_reference_url': layout.url('glance'),
                    'image_cache_dir': data_dir('glance', 'cache')},
        'database': {'connection': db_url('glance')},
        'glance_store': {'default_backend': 'fs'},
        'fs': {'filesystem_store_datadir': data_dir('glance', 'images')},
        'os_glance_staging_store': {
            'filesystem_store_datadir': data_dir('glance', 'staging')},
        'os_glance_tasks_store': {
            'filesystem_store_datadir': data_dir('glance', 'tasks')},
        'keystone_authtoken': authtoken('glance'),
        'paste_deploy': {'flavor': 'keystone'},
        'oslo_concurrency': {'lock_path': data_dir('glance', 'locks')},
    })
    install_shipped('glance', 'glance-api-paste.ini')


# nova's scheduler filters: nova's defaults plus the two that honour the
# same_host / different_host hints, as a multinode cloud enables them.
SCHEDULER_FILTERS = ['ComputeFilter', 'ComputeCapabilitiesFilter',
                     'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter',
                     'ServerGroupAffinityFilter', 'SameHostFilter',
                     'DifferentHostFilter']


def compute_conf_dir(host):
    """Each compute host's own nova-compute configuration directory."""
    return _path('nova-compute-' + host)


def nova(virt='fake', hosts=('compute1',)):
    d = _path('nova')
    default = common('nova')
    default.update({
        'my_ip': layout.HOST,
        'enabled_apis': 'osapi_compute',
        'instances_path': data_dir('nova', 'instances'),
        # One compute host: resize must be allowed onto the same host.
        # Several: a resize moves the server to another host, as on a
        # multinode cloud, so that resizing exercises the move.
        'allow_resize_to_same_host': len(hosts) == 1,
        # oslo.messaging's RPC executor grows to 64 threads, and nova's
        # services run on native threads: each idle worker thread wakes once
        # a second (futurist polls its queue with a 1 s timeout). After a
        # suite run nova-conductor had 83 threads, each nova-compute ~120,
        # and idle the four took 372 ticks a minute; with a pool of 8 and
        # the migration, shelve and parallel-delete tests run, 21-51
        # threads and 196 ticks. 16 leaves room for the casts that hold
        # their thread for long (a shelve, a resize) with four tempest
        # workers.
        'executor_thread_pool_size': 16,
        'compute_driver': {'fake': 'minicloud_fake.FixedNodeFakeDriver',
                           # libvirt's driver, extending attached loop
                           # volumes (nova_virt_ext/minicloud_libvirt).
                           'libvirt': 'minicloud_libvirt.'
                                      'LoopExtendLibvirtDriver'}[virt],
    })
    conf = {
        'DEFAULT': default,
        'api_database': {'connection': db_url('nova_api')},
        'database': {'connection': db_url('nova')},
        'keystone_authtoken': authtoken('nova'),
        # Bug 2004555: nova calls cinder with the user's token plus a
        # service token, so cinder can tell nova's detaches from a user's.
        'service_user': dict(service_auth('nova'),
                             send_service_user_token=True),
        'placement': service_auth('nova'),
        'neutron': service_auth('nova'),
        'cinder': dict(service_auth('nova'), os_region_name=layout.REGION),
        'glance': {'region_name': layout.REGION},
        'conductor': {'workers': 1},
        'scheduler': {'workers': 1,
                      # A restarted compute is found without a manual step.
                      'discover_hosts_in_cells_interval': 10},
        'filter_scheduler': {'enabled_filters': ','.join(SCHEDULER_FILTERS)},
        'oslo_concurrency': {'lock_path': data_dir('nova', 'locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'vnc': {'enabled': False},
        'key_manager': key_manager('nova'),
        'wsgi': {'api_paste_config': os.path.join(d, 'api-paste.ini')},
    }
    write_ini(os.path.join(d, 'nova.conf'), conf)
    install_shipped('nova', 'api-paste.ini')
    for host in hosts:
        write_ini(os.path.join(compute_conf_dir(host), 'nova.conf'),
                  compute_nova_conf(conf, virt, host))


def compute_nova_conf(conf, virt, host):
    """nova.conf of one compute host, from the control plane's.

    Each host has its own name, state (the node's identity in
    state_path/compute_id) and locks; the instances directory is shared
    by all, as on a cloud with an NFS-shared instances path: it is one
    file system here, and nova, seeing every host's my_ip equal, takes
    it for shared storage anyway. nova-compute reaches the databases
    through nova-conductor only, as in a multi-host deployment: given a
    database connection it tries the API database itself at start, and
    nova refuses ("No DB access allowed in nova-compute", an ERROR).
    """
    conf = {section: dict(options) for section, options in conf.items()
            if section not in ('api_database', 'database')}
    conf['DEFAULT'].update({'host': host,
                            'state_path': data_dir('nova-' + host)})
    conf['oslo_concurrency'] = {'lock_path': data_dir('nova-' + host,
                                                      'locks')}
    if virt == 'libvirt':
        extra = libvirt_nova(compute_conf_dir(host), host)
        conf['DEFAULT'].update(extra.pop('DEFAULT'))
        conf.update(extra)
    return conf


def libvirt_nova(d, host):
    """nova.conf of libvirt mode: qemu TCG guests, config drive, tap VIFs."""
    privsep = {'helper_command': '%s --config-dir %s' % (
        os.path.join(layout.VBIN, 'privsep-helper'), d)}
    return {
        'DEFAULT': {
            # The guest has no metadata client: keys and address come from
            # the config drive (network_data.json, static IPv4).
            'force_config_drive': True,
            'mkisofs_cmd': 'genisoimage',
            # ml2_tap binds ports ACTIVE: nothing to wait for; if a port
            # ever is DOWN, fail fast instead of after 300 s.
            'vif_plugging_is_fatal': False,
            'vif_plugging_timeout': 10,
            'shutdown_timeout': 30,
            # The resource tracker's periodic run (every 60 s by default)
            # asks qemu-img twice about each qcow2 disk on the host, each
            # time through a new Python interpreter (oslo.concurrency's
            # prlimit wrapper, ~0.1 core-s here): late in a suite one
            # nova-compute's run started 10 of them in 10 s, and the two
            # nova-computes' children took 117 core-s of a suite run
            # (against 175 of their own).
            # Every claim, move and delete updates the tracker and placement
            # itself; the periodic run only heals, and still runs when the
            # service starts.
            'update_resources_interval': 600,
        },
        'libvirt': {'virt_type': 'qemu', 'cpu_mode': 'none',
                    'connection_uri': libvirt_host.uri(host),
                    'live_migration_uri': libvirt_host.live_migration_uri(),
                    # A guest still booting under TCG when its first
                    # unplug request comes answers only a later one; nova
                    # repeats the request after each timeout (default 20
                    # s, which made a third of the detaches take 20-25 s).
                    # 3 s x 40 bounds a detach as 20 s x 8 did.
                    'device_detach_timeout': 3,
                    'device_detach_attempts': 40},
        # As root, without sudo.
        'nova_sys_admin': privsep,
        'privsep_osbrick': privsep,
    }


def volume_backends(virt='fake'):
    """cinder.conf's backend sections, {name: options}, in enabled order.

    fake: two backends of the storage-less driver on the one cinder-volume,
    so that an admin can migrate a volume from one to the other (cinder's
    generic migration; for an attached volume cinder asks nova to swap).
    tempest's [volume] backend_names lists their volume_backend_name.
    """
    if virt == 'fake':
        return {name: {
            'volume_driver': 'minicloud_lib.cinder_fake.MultiattachFakeDriver',
            'volume_backend_name': name} for name in ('fake', 'fake2')}
    return {'libvirt': {
        # A sparse file + loop device per volume, connection type 'local'.
        'volume_driver': 'minicloud_lib.cinder_loop.LoopVolumeDriver',
        'volume_backend_name': 'loop',
        'loop_volume_dir': libvirt_host.VOLUMES,
        'image_volume_cache_enabled': False}}


def cinder(virt='fake'):
    d = _path('cinder')
    conf = os.path.join(d, 'cinder.conf')
    default = common('cinder')
    backends = volume_backends(virt)
    default.update({
        'my_ip': layout.HOST,
        'auth_strategy': 'keystone',
        'enabled_backends': ','.join(backends),
        'api_paste_config': os.path.join(d, 'api-paste.ini'),
        # The filters a non-admin may use in lists (volumes, attachments,
        # ...), as cinder ships them. Without the file cinder refuses, at
        # 3.31+, every filter a non-admin gives, nova's attachment lookups
        # (volume_id, on the user's behalf) included.
        'resource_query_filters_file': os.path.join(
            d, 'resource_filters.json'),
        'osapi_volume_listen': layout.HOST,
        # cinder-volume's first capabilities reach the scheduler only if
        # the scheduler's queue exists by then; when both start together
        # they can be lost, and the scheduler knows no backend (volumes go
        # to error) until the next periodic report: every 10 s here, not
        # after 60 s plus up to 60 s of random delay.
        'periodic_interval': 10,
        'periodic_fuzzy_delay': 0,
        # A cinder service first reports itself up one report_interval
        # after it starts (cinder/service.py: initial_delay=
        # report_interval), and up waits for that report: 10 s of an idle
        # machine at the default. A report is one small row update.
        'report_interval': 2,
    })
    sections = {
        'DEFAULT': default,
        'database': {'connection': db_url('cinder')},
        'keystone_authtoken': authtoken('cinder'),
        # cinder -> nova (volume extended / attach events)
        'nova': dict(service_auth('cinder'), interface='public'),
    }
    sections.update(backends)
    sections.update({
        'oslo_concurrency': {'lock_path': data_dir('cinder', 'locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'key_manager': key_manager('cinder'),
        'coordination': {'backend_url': 'file://' + data_dir('cinder',
                                                             'coordination')},
        # We run as root: no sudo in front of the privsep helper.
        'cinder_sys_admin': {'helper_command': '%s --config-file %s' % (
            os.path.join(layout.VBIN, 'privsep-helper'), conf)},
    })
    install_shipped('cinder', 'api-paste.ini')
    install_shipped('cinder', 'resource_filters.json')
    write_ini(conf, sections)
    return conf


def neutron(virt='fake'):
    d = _path('neutron')
    default = common('neutron')
    default.update({
        'core_plugin': 'ml2',
        # L3's API, without an agent (nothing is routed): the extension
        # neutron always loads, auto-allocated-topology, requires it, and
        # without it neutron logs an ERROR at every start.
        'service_plugins': 'router',
        'auth_strategy': 'keystone',
        'api_paste_config': os.path.join(d, 'api-paste.ini'),
        'bind_host': layout.HOST,
        'notify_nova_on_port_status_changes': False,
        'notify_nova_on_port_data_changes': False,
        # No DHCP agent runs (guests take their address from the config
        # drive): without this, every port create and update tries to
        # schedule the network to an agent and logs that none exists.
        'dhcp_agent_notification': False,
    })
    write_ini(os.path.join(d, 'neutron.conf'), {
        'DEFAULT': default,
        'database': {'connection': db_url('neutron')},
        'keystone_authtoken': authtoken('neutron'),
        'oslo_concurrency': {'lock_path': data_dir('neutron', 'locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
    })
    # fake: ML2 without mechanism drivers or agents: enough for servers
    # created with networks 'none' (nova still asks neutron for ports and
    # groups). libvirt: ml2_tap binds the ports of a flat provider network.
    write_ini(os.path.join(d, 'plugins', 'ml2', 'ml2_conf.ini'), {
        'ml2': {'type_drivers': 'flat,local', 'tenant_network_types': 'local',
                'mechanism_drivers':
                    'minicloud_tap' if virt == 'libvirt' else '',
                'extension_drivers': 'port_security'},
        'ml2_type_flat': {'flat_networks': libvirt_host.PHYSNET},
        'securitygroup': {'firewall_driver': 'noop'},
    })
    install_shipped('neutron', 'api-paste.ini')


def render_all(virt='fake', hosts=('compute1',)):
    data_dir('home')
    data_dir('tmp')
    mariadb()
    rabbitmq()
    keystone()
    placement()
    glance()
    nova(virt, hosts)
    cinder(virt)
    neutron(virt)
    if virt == 'libvirt':
        libvirt_host.render(hosts)
