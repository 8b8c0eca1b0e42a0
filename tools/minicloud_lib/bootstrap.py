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

"""Everything `up` does to data: databases, schemas, keystone, the catalog,
and the operator's resources (flavors, the multiattach volume type, images,
pre-provisioned tempest accounts).

Every step is idempotent (look before create), so `up` may run on a cloud
that is already (partly) set up. Schema migrations are skipped when a stamp
says they ran with the same pinned versions.
"""
import datetime
import hashlib
import os
import subprocess
import time

from . import api
from . import configs
from . import layout
from . import procs
from . import services

IMAGES = ['minicloud-image', 'minicloud-image-alt']
FLAVORS = [  # id, name, ram MB, vcpus, disk GB
    ('42', 'm1.nano', 128, 1, 1),
    ('84', 'm1.micro', 192, 1, 1),   # resize target ([compute] flavor_ref_alt)
]
MULTIATTACH_TYPE = 'multiattach'
# Pre-provisioned non-admin tempest accounts: ACCOUNT_PROJECTS projects, each
# with a 'member' user (tempest's primary/alt) and a 'reader' user (the
# project_reader every compute API test asks for since 2025, taken from the
# primary's project).
ACCOUNT_PROJECTS = 6
ACCOUNT_ROLES = ['member', 'reader']
ACCOUNT_PASSWORD = 'minicloud-account'
SERVICE_USERS = ['placement', 'glance', 'nova', 'cinder', 'neutron']
# What no log or artefact may show: every password of the cloud, and the
# key that encrypts its volumes.
SECRETS = (layout.ADMIN_PASSWORD, layout.SERVICE_PASSWORD, layout.DB_PASSWORD,
           layout.RABBIT_PASSWORD, ACCOUNT_PASSWORD, layout.FIXED_KEY)


class StepError(Exception):
    pass


def shown(argv):
    """A command line as logs and errors show it: no password in it."""
    text = ' '.join(argv)
    for secret in SECRETS:
        text = text.replace(secret, '***')
    return text


def run_logged(name, argv, timeout=600, stdin=None, stdout=None):
    """Run a one-shot command, output in logs/<name>.log; fail: its tail.

    stdin, stdout: files instead of nothing and the log.
    """
    env = dict(os.environ, **services.venv_env())
    with open(procs.logfile(name), 'ab') as log:
        log.write(('==== %s\n' % shown(argv)).encode())
        log.flush()
        try:
            rc = subprocess.run(argv, stdin=stdin, stdout=stdout or log,
                                stderr=subprocess.STDOUT if stdout is None
                                else log, env=env, cwd=layout.STATE,
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = 'timeout after %d s' % timeout
    if rc != 0:
        raise StepError('%s failed (%s): %s\nlog %s ends with:\n%s' % (
            name, rc, shown(argv), procs.logfile(name),
            procs.log_tail(name)))
    return rc


# ---------------------------------------------------------------- database
def mariadb_datadir():
    datadir = os.path.join(layout.DATA, 'mariadb')
    if os.path.isdir(os.path.join(datadir, 'mysql')):
        return
    run_logged('mariadb-install-db', [
        '/usr/bin/mariadb-install-db',
        '--defaults-file=' + os.path.join(layout.ETC, 'mariadb', 'my.cnf'),
        '--skip-test-db'], timeout=120)


def create_databases():
    sql = ["CREATE USER IF NOT EXISTS 'minicloud'@'127.0.0.1' "
           "IDENTIFIED BY '%s'" % layout.DB_PASSWORD,
           "GRANT ALL PRIVILEGES ON *.* TO 'minicloud'@'127.0.0.1'"]
    sql += ['CREATE DATABASE IF NOT EXISTS %s CHARACTER SET utf8mb4' % db
            for db in configs.DATABASES]
    run_logged('mariadb-setup', [
        '/usr/bin/mariadb',
        '--defaults-file=' + os.path.join(layout.ETC, 'mariadb', 'my.cnf'),
        '-u', 'root', '-e', '; '.join(sql)], timeout=60)


def _stamp(name):
    return os.path.join(layout.DATA, 'schema-%s.done' % name)


def _pins():
    try:
        with open(layout.CONSTRAINTS, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return 'unpinned'


#: The databases each service's schema commands write.
SCHEMA_DATABASES = {
    'keystone': ['keystone'], 'placement': ['placement'],
    'glance': ['glance'], 'nova': ['nova_api', 'nova_cell0', 'nova'],
    'cinder': ['cinder'], 'neutron': ['neutron']}
#: Dumps of freshly migrated databases; kept by `clean`, like the venv.
SCHEMA_CACHE = os.path.join(layout.STATE, 'cache', 'schemas')


def schema_cache_file(name, commands):
    """Where the dump of `name`'s databases after `commands` is kept.

    Named by everything the result depends on: the pinned versions, the
    commands (their URLs, passwords and paths) and the ports and
    credentials nova's cell mapping copies from its configuration.
    """
    key = hashlib.sha256(repr((
        _pins(), name, [a for a in commands if a[0] != _FILES_ONLY],
        sorted(layout.PORTS.items()), layout.DB_PASSWORD,
        layout.RABBIT_USER, layout.RABBIT_PASSWORD)).encode()).hexdigest()
    return os.path.join(SCHEMA_CACHE, '%s-%s.sql' % (name, key[:16]))


def _mariadb_client(program):
    return ['/usr/bin/' + program, '--defaults-file=' + os.path.join(
        layout.ETC, 'mariadb', 'my.cnf'), '-u', 'root']


def schema(name, commands):
    """Run a service's schema commands once per pinned version set.

    Migrating from nothing costs tens of seconds of CPU per service; the
    result of the same commands on the same versions is always the same.
    So the first migration's databases are dumped (SCHEMA_CACHE), and an
    empty cloud with the same inputs loads the dump instead. Commands
    that write files, not the database (keystone's key repositories),
    always run.
    """
    stamp = _stamp(name)
    if os.path.exists(stamp) and open(stamp).read() == _pins():
        return
    cached = schema_cache_file(name, commands)
    if os.path.exists(cached):
        with open(cached, 'rb') as dump:
            run_logged('schema-' + name, _mariadb_client('mariadb'),
                       stdin=dump)
        for argv in commands:
            if argv[0] == _FILES_ONLY:
                run_logged('schema-' + name, argv[1:])
    else:
        for argv in commands:
            run_logged('schema-' + name,
                       argv[1:] if argv[0] == _FILES_ONLY else argv)
        os.makedirs(SCHEMA_CACHE, exist_ok=True)
        partial = cached + '.part'
        with open(partial, 'wb') as dump:
            run_logged('schema-' + name, _mariadb_client('mariadb-dump') + [
                '--databases'] + SCHEMA_DATABASES[name], stdout=dump)
        os.replace(partial, cached)
    with open(stamp, 'w') as f:
        f.write(_pins())


def migrated(name):
    """Whether `name`'s databases were migrated in this cloud's mariadb."""
    return os.path.exists(_stamp(name))


def forget_schemas(names):
    """Drop the databases of `names` and their stamps (after the dumps).

    create_databases makes them again, empty, and schema() loads the
    dumps into them.
    """
    run_logged('mariadb-setup', _mariadb_client('mariadb') + [
        '-e', '; '.join('DROP DATABASE IF EXISTS %s' % db for name in names
                        for db in SCHEMA_DATABASES[name])], timeout=60)
    for name in names:
        os.unlink(_stamp(name))


#: Marks a schema command that writes files only (run even when the
#: databases come from the cache).
_FILES_ONLY = 'files-only:'


def schema_commands():
    b = layout.VBIN + '/'
    etc = layout.ETC
    ks = ['--config-file', os.path.join(etc, 'keystone', 'keystone.conf')]
    nova = ['--config-dir', os.path.join(etc, 'nova')]
    return {
        'keystone': [
            [b + 'keystone-manage'] + ks + ['db_sync'],
            [_FILES_ONLY, b + 'keystone-manage'] + ks + [
                'fernet_setup', '--keystone-user', 'root',
                '--keystone-group', 'root'],
            [_FILES_ONLY, b + 'keystone-manage'] + ks + [
                'credential_setup', '--keystone-user', 'root',
                '--keystone-group', 'root'],
            [b + 'keystone-manage'] + ks + [
                'bootstrap', '--bootstrap-password', layout.ADMIN_PASSWORD,
                '--bootstrap-admin-url', layout.url('keystone'),
                '--bootstrap-internal-url', layout.url('keystone'),
                '--bootstrap-public-url', layout.url('keystone'),
                '--bootstrap-region-id', layout.REGION]],
        'placement': [[b + 'placement-manage', '--config-dir',
                       os.path.join(etc, 'placement'), 'db', 'sync']],
        'glance': [[b + 'glance-manage', '--config-dir',
                    os.path.join(etc, 'glance'), 'db_sync']],
        'nova': [
            [b + 'nova-manage'] + nova + ['api_db', 'sync'],
            [b + 'nova-manage'] + nova + [
                'cell_v2', 'map_cell0', '--database_connection',
                configs.db_url('nova_cell0')],
            # Exit 2 = "already exists": tolerated by the wrapper below.
            ['sh', '-c', '"$0" "$@"; rc=$?; [ $rc = 2 ] && rc=0; exit $rc',
             b + 'nova-manage'] + nova + ['cell_v2', 'create_cell',
                                          '--name', 'cell1'],
            [b + 'nova-manage'] + nova + ['db', 'sync']],
        'cinder': [[b + 'cinder-manage', '--config-file',
                    os.path.join(etc, 'cinder', 'cinder.conf'), 'db', 'sync']],
        'neutron': [[b + 'neutron-db-manage', '--config-file',
                     os.path.join(etc, 'neutron', 'neutron.conf'),
                     '--config-file', os.path.join(
                         etc, 'neutron', 'plugins', 'ml2', 'ml2_conf.ini'),
                     'upgrade', 'heads']],
    }


# ---------------------------------------------------------------- keystone
def _find(sess, path, key, **query):
    q = '&'.join('%s=%s' % kv for kv in query.items())
    items = sess.get('keystone', '/v3/%s?%s' % (path, q))[key]
    return items[0] if items else None


def _ensure(sess, path, key, body, **query):
    found = _find(sess, path, key, **query)
    if found:
        return found
    return sess.post('keystone', '/v3/' + path, {key[:-1]: body})[key[:-1]]


def ensure_role(sess, name):
    return _ensure(sess, 'roles', 'roles', {'name': name}, name=name)


def ensure_project(sess, name):
    return _ensure(sess, 'projects', 'projects',
                   {'name': name, 'domain_id': 'default'}, name=name)


def ensure_user(sess, name, password, project, roles):
    user = _ensure(sess, 'users', 'users',
                   {'name': name, 'password': password,
                    'domain_id': 'default',
                    'default_project_id': project['id']}, name=name)
    for role in roles:
        sess.put('keystone', '/v3/projects/%s/users/%s/roles/%s'
                 % (project['id'], user['id'], role['id']))
    return user


def catalog():
    cinder_v3 = '/v3/%(project_id)s'
    return [  # type, name, url
        ('placement', 'placement', layout.url('placement')),
        ('image', 'glance', layout.url('glance')),
        ('network', 'neutron', layout.url('neutron')),
        ('compute', 'nova', layout.url('nova-api', '/v2.1')),
        # tempest looks for block-storage, nova for volumev3.
        ('block-storage', 'cinder', layout.url('cinder-api', cinder_v3)),
        ('volumev3', 'cinderv3', layout.url('cinder-api', cinder_v3)),
    ]


def seed_keystone():
    sess = api.Session()
    service_project = ensure_project(sess, 'service')
    roles = [ensure_role(sess, 'admin'), ensure_role(sess, 'service')]
    for user in SERVICE_USERS:
        ensure_user(sess, user, layout.SERVICE_PASSWORD, service_project,
                    roles)
    for stype, name, url in catalog():
        svc = _ensure(sess, 'services', 'services',
                      {'type': stype, 'name': name}, type=stype)
        have = {e['interface'] for e in sess.get(
            'keystone', '/v3/endpoints?service_id=' + svc['id'])['endpoints']}
        for interface in ('public', 'internal'):
            if interface not in have:
                sess.post('keystone', '/v3/endpoints', {'endpoint': {
                    'service_id': svc['id'], 'interface': interface,
                    'url': url, 'region_id': layout.REGION}})
    for acct in accounts():
        project = ensure_project(sess, acct['project_name'])
        ensure_user(sess, acct['username'], ACCOUNT_PASSWORD, project,
                    [ensure_role(sess, r) for r in acct['roles']])


def accounts():
    """The entries of tempest's accounts.yaml."""
    return [{'username': 'tempest-%d-%s' % (i, role),
             'project_name': 'tempest-project-%d' % i,
             'password': ACCOUNT_PASSWORD,
             'domain_name': 'Default',
             'roles': [role]}
            for i in range(1, ACCOUNT_PROJECTS + 1)
            for role in ACCOUNT_ROLES]


# ------------------------------------------------- after the services are up
def _reported_since(state, started):
    """An agent's row is 'up' and newer than its process.

    An older row may be the report of a process that no longer runs.
    """
    if state['state'] != 'up' or not state.get('updated_at'):
        return False
    updated = datetime.datetime.fromisoformat(
        state['updated_at'].replace('Z', '')[:26])
    return updated >= started


def wait_agents(sess, timeout):
    """Wait for every nova/cinder agent to report 'up' in its service list."""
    deadline = time.monotonic() + timeout
    for svc in services.openstack():
        if not svc.agent:
            continue
        api_name, binary = svc.agent
        path = ('/v2.1/os-services' if api_name == 'nova-api'
                else '/v3/%s/os-services' % sess.project_id)
        started = datetime.datetime.fromtimestamp(
            os.path.getmtime(procs.pidfile(svc.name)) - 1,
            datetime.timezone.utc).replace(tzinfo=None)
        procs.wait_for(svc.name, lambda: any(
            s['binary'] == binary and svc.host in (None, s['host'])
            and _reported_since(s, started)
            for s in sess.get(api_name, path)['services']),
            max(1, deadline - time.monotonic()),
            'report up in the %s service list' % api_name)


#: cinder's own RPC call, as cinder-scheduler makes it when it starts:
#: every cinder-volume publishes its capabilities to the schedulers now.
_PUBLISH_CAPABILITIES = (
    'import sys; from oslo_config import cfg; '
    'from cinder import context, objects, rpc, version; '
    'from cinder.common import config; objects.register_all(); '
    'cfg.CONF(sys.argv[1:], project="cinder", '
    'version=version.version_string()); rpc.init(cfg.CONF); '
    'from cinder.volume import rpcapi; rpcapi.VolumeAPI()'
    '.publish_service_capabilities(context.get_admin_context())')
#: s: how long the capabilities may take before they are asked for.
CAPABILITIES_GRACE = 5


def wait_volume_backend(sess, timeout, backend_names):
    """Wait until cinder's scheduler knows each backend, multiattach.

    cinder-volume reporting 'up' is not enough: until its capabilities
    reach the scheduler, every volume create fails (no valid backend), and
    a backend not known yet can be no migration's destination. Each
    publishes them as it starts, and cinder-scheduler asks for them as it
    starts; both start together, and when each asks or publishes before
    the other listens both are lost until cinder-volume's next periodic
    report (60 s: its spacing is fixed when cinder is imported, before
    any configuration is read). Seen: up's bootstrap 45 s instead of 6 s.
    So after CAPABILITIES_GRACE s without them, they are asked for once
    more, with the scheduler's own RPC call.
    """
    path = '/v3/%s/scheduler-stats/get_pools?detail=True' % sess.project_id

    def multiattach_backends():
        pools = sess.get('cinder-api', path).get('pools', [])
        return set(backend_names) <= {
            p['capabilities'].get('volume_backend_name') for p in pools
            if p.get('capabilities', {}).get('multiattach')}
    what = ('reach the scheduler with pools of %s reporting multiattach'
            % ', '.join(backend_names))
    try:
        procs.wait_for('cinder-volume', multiattach_backends,
                       min(timeout, CAPABILITIES_GRACE), what)
        return
    except procs.StartError:
        if procs.read_pid('cinder-volume') is None:
            raise
    run_logged('cinder-publish-capabilities', [
        os.path.join(layout.VBIN, 'python'), '-c', _PUBLISH_CAPABILITIES,
        '--config-file', os.path.join(layout.ETC, 'cinder', 'cinder.conf')],
        timeout=120)
    procs.wait_for('cinder-volume', multiattach_backends, timeout, what)


def discover_compute(sess, timeout, hosts):
    """Map the compute hosts into cell1, wait for their resource providers.

    The fake and the libvirt driver both name a host's node after the
    host; every host must be a provider before the scheduler can place a
    server there.
    """
    b = layout.VBIN + '/'
    run_logged('nova-discover-hosts', [
        b + 'nova-manage', '--config-dir', os.path.join(layout.ETC, 'nova'),
        'cell_v2', 'discover_hosts'], timeout=120)
    for host in hosts:
        procs.wait_for(services.compute_service(host).name, lambda: host in {
            p['name'] for p in sess.get(
                'placement', '/resource_providers')['resource_providers']},
            timeout, 'register its resource provider in placement')


def ensure_flavors(sess):
    for fid, name, ram, vcpus, disk in FLAVORS:
        try:
            sess.get('nova-api', '/v2.1/flavors/' + fid)
        except api.ApiError as e:
            if e.code != 404:
                raise
            sess.post('nova-api', '/v2.1/flavors', {'flavor': {
                'id': fid, 'name': name, 'ram': ram, 'vcpus': vcpus,
                'disk': disk}})


def ensure_volume_type(sess):
    base = '/v3/%s/types' % sess.project_id
    types = sess.get('cinder-api', base + '?is_public=None')['volume_types']
    vtype = next((t for t in types if t['name'] == MULTIATTACH_TYPE), None)
    if vtype is None:
        vtype = sess.post('cinder-api', base, {'volume_type': {
            'name': MULTIATTACH_TYPE, 'os-volume-type-access:is_public': True,
            'description': 'volumes that can attach to several servers'}}
        )['volume_type']
    # Exactly '<is> True': cinder matches the string, not a boolean.
    # (Set only when missing: cinder refuses changes to a type in use.)
    if vtype.get('extra_specs', {}).get('multiattach') != '<is> True':
        sess.post('cinder-api', '%s/%s/extra_specs' % (base, vtype['id']),
                  {'extra_specs': {'multiattach': '<is> True'}})


def ensure_service_security_group(sess):
    """The service project's default security group, made now.

    neutron makes a project's default group at the first request that
    needs one; for the service project that is nova's first server build
    (its service user's calls), seen 18 s into a run. Made during up, it
    is in the census a run starts from, and a run is not failed for it.
    """
    project = _find(sess, 'projects', 'projects', name='service')
    # A listing filtered by project is such a request (neutron
    # _ensure_default_security_group).
    return sess.get('neutron', '/v2.0/security-groups?name=default&'
                    'project_id=' + project['id'])['security_groups']


def ensure_images(sess, timeout=60):
    ids = []
    for name in IMAGES:
        found = sess.get('glance', '/v2/images?name=' + name)['images']
        image = found[0] if found else None
        if image and image['status'] != 'active':
            sess.request('DELETE', 'glance', '/v2/images/' + image['id'])
            image = None
        if image is None:
            image = sess.post('glance', '/v2/images', {
                'name': name, 'disk_format': 'raw',
                'container_format': 'bare', 'visibility': 'public'})
            # A small raw disk: the fake virt driver never boots it.
            sess.request('PUT', 'glance', '/v2/images/%s/file' % image['id'],
                         raw=b'\0' * (1024 * 1024))
            deadline = time.monotonic() + timeout
            while sess.get('glance', '/v2/images/' + image['id'])[
                    'status'] != 'active':
                if time.monotonic() > deadline:
                    raise StepError('image %s not active in %d s'
                                    % (name, timeout))
                time.sleep(0.5)
        ids.append(image['id'])
    return ids
