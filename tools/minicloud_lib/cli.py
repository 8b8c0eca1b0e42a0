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

"""The `tools/minicloud` sub-commands: up, down, status, run, tempest, clean.

Runs under the system python 3; everything OpenStack runs from the private
venv. See tools/minicloud_lib/__init__.py for the module map.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time

from . import api
from . import api_calls
from . import bootstrap
from . import client_env
from . import configs
from . import cpu_use
from . import guest_cloud
from . import host_netns
from . import install
from . import layout
from . import libvirt_host
from . import op_costs
from . import procs
from . import schedule
from . import services
from . import tempest_ws
from .drills import census

START_TIMEOUT = 180       # s, per wait for a service to answer
STOP_TIMEOUT = 20         # s, SIGTERM -> SIGKILL
CANARY_REGEX = ('^tempest\\.api\\.compute\\.volumes\\.test_attach_volume\\.'
                'AttachVolumeMultiAttachTest|'
                '^tempest\\.api\\.compute\\.admin\\.test_volume_swap\\.'
                'TestMultiAttachVolumeSwap|'
                '^tempest\\.api\\.volume\\.admin\\.test_volume_retype\\.'
                'VolumeRetypeMultiattachTest')


def log(msg):
    print('minicloud: %s' % msg, flush=True)


def parallel(jobs):
    """Run callables at once; re-raise the first failure after all ended."""
    with concurrent.futures.ThreadPoolExecutor(len(jobs) or 1) as pool:
        futures = [pool.submit(job) for job in jobs]
        errors = [f.exception() for f in futures if f.exception()]
    if errors:
        raise errors[0]
    return [f.result() for f in futures]


# -------------------------------------------------------------------- up
def _ensure_started(svc, check, what):
    if procs.read_pid(svc.name) is None:
        procs.start(svc.name, svc.argv, svc.env)
    procs.wait_for(svc.name, check, START_TIMEOUT, what)


def _answers(svc):
    return lambda: procs.http_answers(svc.url())


def _listening(svc):
    return lambda: procs.port_open(svc.port)


def _check_ports(svcs):
    """A port we need, held by a process we did not start, is an error."""
    taken = []
    for svc in svcs:
        if procs.read_pid(svc.name) is None and svc.port \
                and procs.port_open(svc.port):
            taken.append('%d (%s)' % (svc.port, svc.name))
    if procs.read_pid('rabbitmq') is None and procs.port_open(
            layout.PORTS['rabbitmq-dist']):
        taken.append('%d (rabbitmq-dist)' % layout.PORTS['rabbitmq-dist'])
    if taken:
        raise procs.StartError(
            'port(s) already in use by a process minicloud did not start: %s.'
            ' Free them, or move all of minicloud\'s ports with'
            ' MINICLOUD_PORT_OFFSET=<n> (e.g. 1000).'
            % ', '.join(taken))


UP_STAMP = os.path.join(layout.RUN, 'up-complete')
# Where each daemon's log stood when the start of the cloud began.
START_MARKS = os.path.join(layout.RUN, 'start-log-marks.json')


def _start_marks(names):
    """Log offsets from which start-up errors are looked for, per daemon.

    Kept until an `up` completes: an `up` run again after a failed one
    still sees what the daemons logged while starting then. `down`
    forgets them, as it stops the daemons.
    """
    try:
        with open(START_MARKS) as f:
            marks = json.load(f)
    except (OSError, ValueError):
        marks = {}
    for name, size in _log_sizes(names).items():
        marks.setdefault(name, size)
    with open(START_MARKS, 'w') as f:
        json.dump(marks, f)
    return marks


# nova scheduler/manager.py _discover_hosts_in_cells() takes the first
# nova-scheduler that is up ([0] of a sorted list). Its first run is at the
# scheduler's start, before the scheduler reported; on an `up` after a
# `down` more than service_down_time (60 s) ago the scheduler's own
# service record is stale, no scheduler is up yet: IndexError. Its next
# run (discover_hosts_in_cells_interval, 10 s) works. nova's defect, not
# this cloud's configuration: the message and the exception ending its
# traceback are the only ERROR lines `up` lets pass.
NOVA_DISCOVER_AT_START = (
    'nova-scheduler',
    'Error during SchedulerManager._discover_hosts_in_cells: IndexError: '
    'list index out of range',
    'IndexError: list index out of range')


def _without_start_defects(errors):
    """errors ({service: [message]}) less NOVA_DISCOVER_AT_START's lines."""
    service, message, exception = NOVA_DISCOVER_AT_START
    kept = dict(errors)
    left, after_message = [], False
    for line in errors.get(service, []):
        if message in line:
            after_message = True
            continue
        if after_message and line.rstrip().endswith(exception):
            after_message = False
            continue
        after_message = False
        left.append(line)
    if service in kept and len(left) < len(kept[service]):
        log('%s: nova\'s first host discovery at start found no scheduler '
            'up yet (IndexError; its next run, 10 s later, works): not '
            'counted as a start error' % service)
        kept[service] = left
    return {name: lines for name, lines in kept.items() if lines}


def _check_start_errors(marks, limit=5, width=400):
    """Fail if a daemon logged an error while the cloud started.

    Tests provoke refusals that may log errors; a cloud starting must
    not: an error then is a broken configuration or a missing file, and
    the cloud would mislead every test run on it.
    """
    errors = _without_start_defects(_cloud_errors(marks))
    if not errors:
        return
    lines = []
    for name, messages in errors.items():
        lines.append('%s logged %d error(s) while starting (%s), the '
                     'first %d:' % (name, len(messages), procs.logfile(name),
                                    min(limit, len(messages))))
        lines += ['  ' + m[:width] for m in messages[:limit]]
    raise procs.StartError(
        'the cloud logged errors while starting:\n%s\nFix their cause, '
        'then `tools/minicloud down` and `tools/minicloud up`.'
        % '\n'.join(lines))


def _cloud_answers(virt=None, computes=None):
    """True if the cloud is up as the last `up` left it.

    That `up` completed, every daemon is still ours and alive, and every
    API answers.
    """
    if not os.path.exists(UP_STAMP):
        return False
    if (virt, computes) != (services.current_virt(),
                            services.current_computes()):
        raise procs.StartError(
            'the cloud is up with --virt %s --computes %s: `tools/minicloud '
            'down` first' % (services.current_virt(),
                             services.current_computes()))
    for svc in services.all_services():
        if procs.read_pid(svc.name) is None:
            return False
        if svc.health and not procs.http_answers(svc.url()):
            return False
    return True


def _switch_shape(virt, computes):
    """Reset the cloud's state when --virt or --computes changes.

    A state belongs to one --virt and --computes: the hosts, their nodes
    and instances live in the databases.
    """
    shape = (virt, computes)
    if shape == (services.current_virt(), services.current_computes()) \
            and os.path.exists(services.VIRT_FILE):
        return
    if procs.running():
        raise procs.StartError(
            'daemons of a --virt %s --computes %s cloud are running: '
            '`tools/minicloud down` first' % (services.current_virt(),
                                              services.current_computes()))
    if os.path.exists(services.VIRT_FILE):
        log('switching to --virt %s --computes %d: resetting the cloud '
            'state in %s' % (virt, computes, layout.DATA))
    shutil.rmtree(layout.DATA, ignore_errors=True)
    shutil.rmtree(layout.ETC, ignore_errors=True)
    layout.ensure_dirs()
    with open(services.VIRT_FILE, 'w') as f:
        f.write(virt + '\n')
    with open(services.COMPUTES_FILE, 'w') as f:
        f.write('%d\n' % computes)


class Phases(object):
    """Seconds of each phase of `up`, for its closing line."""

    def __init__(self, start):
        self.last = start
        self.seconds = []

    def end(self, name):
        now = time.monotonic()
        self.seconds.append((name, now - self.last))
        self.last = now

    def __str__(self):
        return ', '.join('%s %.0f s' % phase for phase in self.seconds)


def _build_once(virt, mariadb):
    """Install's last steps: what every up reuses, built once per checkout.

    The databases' schema dumps (bootstrap.schema loads them) and, with
    libvirt, the guest image (tools/guest-image/build; a look at its key
    when it is built): each depends only on the pinned versions and the
    checkout's paths and ports, and takes tens of seconds of CPU to make.
    Made here, they are timed as the install, as pip's work is; `clean`
    keeps them. The dumps come from migrating the cloud's own mariadb,
    only for services none of whose databases was migrated yet (a cloud
    from nothing); their databases are dropped again after the dump, so
    that up starts from nothing and loads the dumps, as every later up
    does. Returns the seconds spent.
    """
    t0 = time.monotonic()
    commands = bootstrap.schema_commands()
    missing = [name for name in commands if not bootstrap.migrated(name)
               and not os.path.exists(bootstrap.schema_cache_file(
                   name, commands[name]))]
    jobs = [guest_cloud.build_guest] if virt == 'libvirt' else []
    if missing:
        log('install: the schema dumps of %s, once per checkout'
            % ', '.join(missing))

        def dumps():
            bootstrap.mariadb_datadir()
            started = procs.read_pid(mariadb.name) is None
            _ensure_started(mariadb, _listening(mariadb), 'listen')
            bootstrap.create_databases()
            parallel([lambda n=n: bootstrap.schema(n, commands[n])
                      for n in missing])
            bootstrap.forget_schemas(missing)
            if started:   # up starts it, as from nothing
                procs.stop_all([mariadb.name], STOP_TIMEOUT)
        jobs.append(dumps)
    parallel(jobs)
    spent = time.monotonic() - t0
    if missing:
        log('install: schema dumps and guest image in %.0f s' % spent)
    return spent


#: The schemas whose services call keystone as they start: nova-conductor
#: and nova-scheduler look up placement in keystone's catalog.
CALLS_KEYSTONE_AS_IT_STARTS = ('nova',)


def _start_missing(svcs):
    """Start each of `svcs` that is not running."""
    missing = [s for s in svcs if procs.read_pid(s.name) is None]
    if missing:
        log('starting %s' % ', '.join(s.name for s in missing))
    for svc in missing:
        procs.start(svc.name, svc.argv, svc.env)


def up(args):
    t_install = install.ensure_installed(args.virt)
    if _cloud_answers(args.virt, args.computes):
        _write_clouds_yaml()
        log('cloud already up (tools/minicloud status for details)')
        return 0
    layout.ensure_dirs()
    if os.path.exists(UP_STAMP):
        os.unlink(UP_STAMP)
    _switch_shape(args.virt, args.computes)
    hosts = services.compute_hosts(args.computes)
    configs.render_all(args.virt, hosts)
    epmd, mariadb, rabbit = services.infra()
    t_install += _build_once(args.virt, mariadb)
    t0 = time.monotonic()
    phases = Phases(t0)
    keystone = services.keystone()
    others = services.openstack(args.virt, args.computes)
    _check_ports([epmd, mariadb, rabbit, keystone] + others)
    marks = _start_marks([s.name for s in [epmd, mariadb, rabbit, keystone]
                          + others])

    if procs.read_pid('mariadb') is None or procs.read_pid('rabbitmq') is None:
        log('starting mariadb, rabbitmq')
    _ensure_started(epmd, _listening(epmd), 'listen')
    bootstrap.mariadb_datadir()
    for svc in (mariadb, rabbit):
        if procs.read_pid(svc.name) is None:
            procs.start(svc.name, svc.argv, svc.env)
    procs.wait_for('mariadb', _listening(mariadb), START_TIMEOUT, 'listen')
    bootstrap.create_databases()
    phases.end('mariadb')

    if args.virt == 'libvirt':
        # The hosts' daemons need no database: they start while the
        # schemas are made, and are waited for after.
        libvirt_host.prepare()
        libvirt_host.ensure_bridge()
        for index, host in enumerate(hosts):
            host_netns.create(host, index, libvirt_host.BRIDGE,
                              libvirt_host.PREFIX_LEN)
        for svc in services.host_services(args.computes):
            if procs.read_pid(svc.name) is None:
                procs.start(svc.name, svc.argv, svc.env)
        phases.end('hosts started')

    commands = bootstrap.schema_commands()
    # Each service starts once its schema is there (and keystone is, for
    # those that call another service as they start), its imports
    # overlapping keystone's single-threaded set-up and the libvirtds'
    # first probe of qemu. nova-compute needs its host's libvirtd: below.
    computes = {services.compute_service(host, args.virt).name
                for host in hosts}
    keystone_ended = threading.Event()   # seeded or failed
    keystone_seeded = []

    def keystone_chain():
        try:
            bootstrap.schema('keystone', commands['keystone'])
            _ensure_started(keystone, _answers(keystone), 'answer HTTP')
            bootstrap.seed_keystone()
            keystone_seeded.append(True)
        finally:
            keystone_ended.set()

    def schema_then_services(name):
        bootstrap.schema(name, commands[name])
        procs.wait_for('rabbitmq', _listening(rabbit), START_TIMEOUT,
                       'listen')
        if name in CALLS_KEYSTONE_AS_IT_STARTS:
            # Each step of keystone_chain is bounded: it ends.
            keystone_ended.wait()
            if not keystone_seeded:
                return  # keystone_chain's error is up's
        _start_missing([s for s in others if s.name not in computes
                        and s.name.split('-')[0] == name])

    log('database schemas, keystone')
    parallel([keystone_chain] +
             [lambda n=n: schema_then_services(n)
              for n in commands if n != 'keystone'])
    phases.end('schemas+keystone')
    _start_missing([s for s in others if s.name not in computes])

    def computes_started():
        if args.virt == 'libvirt':
            # nova-compute started without libvirtd hangs instead of
            # exiting; the libvirtds were started before the schemas.
            for host in hosts:
                procs.wait_for(services.libvirtd_service(host).name,
                               lambda h=host: libvirt_host.answers(h),
                               START_TIMEOUT, 'answer virsh version')
                procs.wait_for('forwarder-' + host,
                               lambda h=host: host_netns.forwards(h),
                               START_TIMEOUT, 'listen in %s'
                               % host_netns.name(host))
        _start_missing([s for s in others if s.name in computes])

    def api_resources():
        # They need the APIs only: made while the libvirtds and the
        # agents come up.
        parallel([lambda s=s: procs.wait_for(
            s.name, _answers(s), START_TIMEOUT, 'answer HTTP')
            for s in others if s.health])
        sess = api.Session()
        log('flavors, volume type, network, images')
        bootstrap.ensure_flavors(sess)
        bootstrap.ensure_volume_type(sess)
        bootstrap.ensure_service_security_group(sess)
        if args.virt != 'libvirt':
            return bootstrap.ensure_images(sess), None
        guest_cloud.ensure_network(sess)
        return (guest_cloud.ensure_images(sess),
                guest_cloud.ensure_api_image(sess))

    (images, api_image), _ = parallel([api_resources, computes_started])
    phases.end('services+resources')

    # Agents first report up seconds after they start (nova's 5 s).
    sess = api.Session()
    bootstrap.wait_agents(sess, START_TIMEOUT)
    bootstrap.discover_compute(sess, START_TIMEOUT, hosts)
    bootstrap.wait_volume_backend(
        sess, START_TIMEOUT, [b['volume_backend_name'] for b in
                              configs.volume_backends(args.virt).values()])
    tempest_ws.write(images, args.virt, hosts, api_image)
    phases.end('agents')
    _check_start_errors(marks)
    open(UP_STAMP, 'w').close()
    os.unlink(START_MARKS)
    t_up = time.monotonic() - t0
    rss, pss = cloud_memory()
    log('cloud up. install %.0f s, up %.0f s (%s), RSS %.2f GiB (PSS '
        '%.2f GiB)' % (t_install, t_up, phases, rss / 2**30, pss / 2**30))
    log('tempest workspace: %s (etc/tempest.conf, etc/tempest-accounts.conf)'
        % layout.TEMPEST)
    _write_clouds_yaml()
    _report_disk()
    return 0


def _write_clouds_yaml():
    log('openstack CLI: eval "$(tools/minicloud openrc [--admin])", or '
        'OS_CLIENT_CONFIG_FILE=%s --os-cloud %s|%s (%s)' % (
            client_env.write_clouds_yaml(), client_env.CLOUD,
            client_env.ADMIN_CLOUD, client_env.OPENSTACK))


def _report_disk(low_gib=2.0):
    """Free space where volumes and guest disks live, a warning if low.

    Volumes and guest disks are sparse, but guests write, snapshots copy
    and glance stores images there: a nearly full disk fails creates in
    ways (volume in error, server in error) that say nothing about space.
    """
    st = os.statvfs(layout.DATA)
    free = st.f_bavail * st.f_frsize / 2**30
    log('%.1f GiB free on the file system of %s' % (free, layout.DATA))
    if free < low_gib:
        log('WARNING: under %.0f GiB free: volume and server creates may '
            'fail for want of space' % low_gib)


def cloud_memory():
    """(RSS, PSS) in bytes summed over every process of every daemon."""
    rss = pss = 0
    for name in procs.running():
        for pid in procs.members(name):
            try:
                with open('/proc/%d/smaps_rollup' % pid) as f:
                    for line in f:
                        key, value = line.split(':', 1)
                        if key == 'Rss':
                            rss += int(value.split()[0]) * 1024
                        elif key == 'Pss':
                            pss += int(value.split()[0]) * 1024
            except OSError:
                pass
    return rss, pss


# ------------------------------------------------------------------ down
def down(args=None):
    for stamp in (UP_STAMP, START_MARKS):
        if os.path.exists(stamp):
            os.unlink(stamp)
    names = procs.running()
    for host in services.compute_hosts():
        if services.libvirtd_service(host).name in names and \
                libvirt_host.answers(host):
            gone = libvirt_host.destroy_domains(host)
            if gone:
                log('destroyed and undefined %s on %s' % (
                    ', '.join(gone), host))
    if not names:
        log('nothing running')
        _host_cleanup()
        return 0
    infra = ['rabbitmq', 'mariadb', 'epmd']
    waves = [[n for n in names if n not in infra],
             [n for n in names if n in infra[:2]],
             [n for n in names if n == 'epmd']]
    stopped = []
    for wave in waves:
        if wave:
            stopped += procs.stop_all(wave, STOP_TIMEOUT)
    log('stopped %s' % (', '.join(stopped) or 'nothing (all had exited)'))
    _host_cleanup()
    return 0


# ----------------------------------------------------- one service at a time
def _service_named(name):
    for svc in services.all_services():
        if svc.name == name:
            return svc
    raise SystemExit('minicloud: ERROR: no service %r in this cloud; its '
                     'services: %s' % (name, ', '.join(
                         s.name for s in services.all_services())))


def stop_service(args):
    """Stop one service of the running cloud (a fault for the suite).

    Its processes get SIGTERM, then SIGKILL after the stop timeout; the
    rest of the cloud keeps running. `start` brings it back.
    """
    svc = _service_named(args.service)
    if procs.read_pid(svc.name) is None:
        log('%s is not running' % svc.name)
        return 0
    stopped = procs.stop_all([svc.name], STOP_TIMEOUT)
    log('stopped %s' % (', '.join(stopped) or '%s (it had exited)'
                        % svc.name))
    return 0


def start_service(args):
    """Start one stopped service again and wait until it serves.

    An API: until it answers HTTP; an agent (nova-compute, cinder-volume
    ...): until it reports up in its service list. Bounded by the start
    timeout.
    """
    svc = _service_named(args.service)
    if procs.read_pid(svc.name) is not None:
        log('%s is already running' % svc.name)
        return 0
    procs.start(svc.name, svc.argv, svc.env)
    if svc.health:
        procs.wait_for(svc.name, _answers(svc), START_TIMEOUT, 'answer HTTP')
    elif svc.agent:
        bootstrap.wait_agents(api.Session(), START_TIMEOUT)
    else:
        procs.wait_for(svc.name, lambda: procs.read_pid(svc.name),
                       START_TIMEOUT, 'keep running')
    log('started %s' % svc.name)
    return 0


def _host_cleanup():
    """libvirt mode's leftovers: qemu, taps, bridge, loop devices.

    Only for a cloud whose state is libvirt mode: the bridge and its taps
    are host-wide names, and a fake-mode cloud (e.g. a second checkout with
    MINICLOUD_PORT_OFFSET) must not remove another cloud's network.
    """
    if services.current_virt() != 'libvirt':
        return
    done = libvirt_host.cleanup()
    if done:
        log('removed %s' % ', '.join(done))


# ---------------------------------------------------------------- status
def status(args=None):
    rows = []
    sess = None
    try:
        sess = api.Session(timeout=5)
    except Exception as e:  # keystone down: agents cannot be asked
        auth_error = str(e)
    agent_states = {}
    for svc in services.all_services():
        pid = procs.read_pid(svc.name)
        if pid is None:
            rows.append((svc.name, '-', 'DOWN', 'not running'))
            continue
        if svc.health:
            ok = procs.http_answers(svc.url())
            detail = svc.url()
        elif svc.agent:
            api_name, binary = svc.agent
            if sess is None:
                ok, detail = False, 'cannot ask (%s)' % auth_error[:60]
            else:
                if api_name not in agent_states:
                    path = ('/v2.1/os-services' if api_name == 'nova-api'
                            else '/v3/%s/os-services' % sess.project_id)
                    try:
                        agent_states[api_name] = sess.get(
                            api_name, path)['services']
                    except Exception as e:
                        agent_states[api_name] = [{
                            'binary': binary, 'host': svc.host,
                            'state': 'error: %s' % str(e)[:60]}]
                state = next((s['state'] for s in agent_states[api_name]
                              if s['binary'] == binary and svc.host in (
                                  None, s['host'])), 'not listed')
                ok = state == 'up'
                detail = '%s service list: %s' % (api_name, state)
        elif svc.name.startswith('libvirtd-'):
            ok = libvirt_host.answers(svc.host)
            detail = libvirt_host.uri(svc.host)
        elif svc.port is None:
            ok, detail = True, 'running'
        else:
            ok = procs.port_open(svc.port)
            detail = 'port %d' % svc.port
        rows.append((svc.name, str(pid), 'ok' if ok else 'FAILING', detail))
    width = max(len(r[0]) for r in rows)
    for name, pid, state, detail in rows:
        print('%-*s  %7s  %-7s  %s' % (width, name, pid, state, detail))
    if os.path.exists(client_env.CLOUDS_YAML):
        print('clouds.yaml (clouds %s, %s): %s' % (
            client_env.CLOUD, client_env.ADMIN_CLOUD,
            client_env.CLOUDS_YAML))
    return 0 if all(r[2] == 'ok' for r in rows) else 1


# ----------------------------------------------------------- tempest/run
def tempest(args):
    if not os.path.exists(tempest_ws.CONF):
        raise procs.StartError('no tempest workspace yet: run '
                               'tools/minicloud up first')
    argv = [os.path.join(layout.VBIN, 'tempest')] + args.args
    return subprocess.run(argv, cwd=layout.TEMPEST,
                          env=tempest_ws.env()).returncode


def _install_repo():
    if not os.path.exists(os.path.join(layout.REPO, 'setup.cfg')):
        log('no setup.cfg in %s: plugin not installed' % layout.REPO)
        return
    with open(procs.logfile('pip-install-plugin'), 'w') as out:
        rc = subprocess.run(
            [os.path.join(layout.VBIN, 'python'), '-m', 'pip', 'install',
             '-q', '--disable-pip-version-check', '-c', layout.CONSTRAINTS,
             '-e', layout.REPO], stdout=out, stderr=subprocess.STDOUT,
            env=dict(os.environ, **services.venv_env())).returncode
    if rc:
        raise procs.StartError('pip install -e %s failed, see %s' % (
            layout.REPO, procs.logfile('pip-install-plugin')))


def run(args):
    try:
        up(args)
        _install_repo()
        before = census.take()
        rc = _tempest_run(args)
        return _leftovers(before) or rc
    finally:
        if not args.keep:
            down()


def _leftovers(before):
    """1 if the cloud holds what it did not before the run, else 0.

    A run must leave nothing behind, failed tests included: every
    resource of the cloud, of every project (the census), is compared
    with the one taken before it; each leftover is named.
    """
    left = census.differences(before, census.take())
    if left:
        log('the run left the cloud changed (failing the run):')
        print('\n'.join(left), flush=True)
        return 1
    log('leftovers: none (the census of the cloud equals the one before '
        'the run)')
    return 0


def _tempest_run(args):
    """tempest run in the workspace; its results kept in results/.

    The subunit stream goes to a file and through subunit-trace (the
    human-readable report, also on stdout): this run's own results, even
    when other tempest runs share the workspace.
    """
    stamp = time.strftime('%Y%m%d-%H%M%S')
    report = os.path.join(layout.RESULTS, 'tempest-%s.txt' % stamp)
    subunit = os.path.join(layout.RESULTS, 'tempest-%s.subunit' % stamp)
    argv = [os.path.join(layout.VBIN, 'tempest'), 'run', '--subunit',
            '--regex', args.regex, '--concurrency', str(args.concurrency)]
    if args.config_file:
        argv += ['--config-file', os.path.abspath(args.config_file)]
    workers = _worker_file(args, stamp)
    if workers:
        argv += ['--worker-file', workers]
    log('running: %s' % ' '.join(argv))
    log_marks = _log_sizes()
    tempest_log_mark = _size(tempest_ws.LOG)
    t0 = time.monotonic()
    env = tempest_ws.env()
    cpu = cpu_use.CpuUse().start()
    tempest_proc = subprocess.Popen(argv, cwd=layout.TEMPEST, env=env,
                                    stdout=subprocess.PIPE)
    # stestr's subunit-trace, as `tempest run` shows it. (Run as a script
    # it misses an import that tempest's process happens to have made.)
    trace = subprocess.Popen(
        [os.path.join(layout.VBIN, 'python'), '-c',
         'import subunit.test_results; from stestr import subunit_trace; '
         'subunit_trace.main()', '--fails'],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def show():
        with open(report, 'wb') as out:
            for line in trace.stdout:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
                out.write(line)
    shower = concurrent.futures.ThreadPoolExecutor(1).submit(show)
    with open(subunit, 'wb') as out:
        for chunk in iter(lambda: tempest_proc.stdout.read1(65536), b''):
            out.write(chunk)
            try:
                trace.stdin.write(chunk)
                trace.stdin.flush()
            except BrokenPipeError:
                pass   # the report is lost, the subunit stream is kept
    try:
        trace.stdin.close()
    except BrokenPipeError:
        pass
    rc = tempest_proc.wait()
    cpu.stop()
    trace.wait()
    shower.result()
    wall = time.monotonic() - t0
    totals = _totals(subunit)
    log('tempest: %s; wall %.0f s' % (
        ', '.join('%s %d' % kv for kv in totals.items()), wall))
    log('report %s, subunit %s' % (report, subunit))
    _capability_report(subunit)
    # A stream without results would fail the table: leave it out then.
    _timing_report(tempest_ws.LOG, tempest_log_mark,
                   subunit if sum(totals.values()) else None)
    _cpu_report(cpu, os.path.join(layout.RESULTS, 'tempest-%s-cpu.txt'
                                  % stamp))
    _calls_report(tempest_ws.LOG, tempest_log_mark,
                  os.path.join(layout.RESULTS, 'tempest-%s-calls.json'
                               % stamp))
    if totals['Passed'] + totals['Failed'] == 0:
        log('no test ran: failing the run')
        return rc or 1
    if totals['Failed']:
        _print_cloud_errors(log_marks)
        return rc or 1
    return rc


def _worker_file(args, stamp):
    """A worker file balancing the classes (schedule), or None.

    Always, not only in a new workspace: stestr's recorded times cover
    only what ran there before (the canary's tests, a --regex), and the
    same weights give the same schedule, run after run. The file is kept
    with the run's results. None (stestr schedules) if the tests cannot
    be listed.
    """
    argv = [os.path.join(layout.VBIN, 'tempest'), 'run', '--list-tests',
            '--regex', args.regex]
    if args.config_file:
        argv += ['--config-file', os.path.abspath(args.config_file)]
    listing = subprocess.run(argv, cwd=layout.TEMPEST, env=tempest_ws.env(),
                             stdout=subprocess.PIPE, text=True)
    classes = schedule.classes_of(listing.stdout)
    if listing.returncode or not classes:
        log('scheduling: by stestr (listing the tests failed, rc %d)'
            % listing.returncode)
        return None
    weights = schedule.load_weights()
    parts = schedule.partition(classes, weights, args.concurrency)
    path = os.path.join(layout.RESULTS, 'tempest-%s-workers.yaml' % stamp)
    with open(path, 'w') as out:
        out.write(schedule.worker_file(parts))
    log('scheduling: %d classes (%d of them weighed in %s) on %d workers, '
        'expected seconds %s' % (
            len(classes), sum(c in weights for c in classes),
            os.path.relpath(schedule.WEIGHTS, layout.REPO), len(parts),
            ' / '.join('%.0f' % seconds for seconds, _names in parts)))
    return path


def pin_times(args):
    """Write the weights: the seconds each class held its worker.

    Class fixtures included (timing.class_seconds), averaged over the
    runs given (default: the last).
    """
    streams = args.subunit or [s for s in [_last_result('.subunit')] if s]
    if not streams:
        log('no run in %s: give a subunit stream' % layout.RESULTS)
        return 1
    missing = [stream for stream in streams if not os.path.isfile(stream)]
    if missing:
        log('no such subunit stream: %s (weights unchanged)'
            % ', '.join(missing))
        return 1
    code = ('import json, sys; from mattach_tempest.cli import report, '
            'timing; json.dump([timing.class_seconds(report.tests_of_v2('
            'open(path, "rb").read())) for path in sys.argv[1:]], '
            'sys.stdout)')
    runs = json.loads(subprocess.run(
        [os.path.join(layout.VBIN, 'python'), '-c', code] + streams,
        check=True, stdout=subprocess.PIPE, text=True).stdout)
    # A class a run did not have (a --regex run) is averaged over the
    # runs that had it.
    seconds = {name: statistics.mean(run[name] for run in runs
                                     if name in run)
               for name in set().union(*runs)}
    schedule.save_weights(seconds, ' '.join(
        os.path.basename(stream) for stream in streams))
    log('weighed %d classes (%.0f s, the mean of %d run(s)) in %s' % (
        len(seconds), sum(seconds.values()), len(runs), schedule.WEIGHTS))
    return 0


def _last_result(suffix):
    """The last run's file of results/ ending in suffix, or None.

    Their names start with the run's stamp (tempest-YYYYmmdd-HHMMSS).
    """
    found = sorted(glob.glob(os.path.join(layout.RESULTS,
                                          'tempest-*' + suffix)))
    return found[-1] if found else None


# The services whose ERROR lines explain most failed tests (a volume in
# error, a server that did not boot, an attach that failed on the host).
_ERROR_LOGS = ('cinder-scheduler', 'cinder-volume', 'nova-conductor',
               'nova-scheduler', 'neutron', 'tap-agent')


def _size(path):
    """A file's size now; 0 when there is none yet."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _log_sizes(names=None):
    if names is None:
        names = _ERROR_LOGS + tuple(
            services.compute_service(h).name
            for h in services.compute_hosts())
    return {name: _size(procs.logfile(name)) for name in names}


# oslo.log's record: '<date> <time> <pid> <LEVEL> <logger> <text>'.
_OSLO_ERROR_LEVELS = (b' ERROR ', b' CRITICAL ')
# gunicorn's and MariaDB's '[ERROR]', RabbitMQ's '[error]'. libvirtd's
# '<time>: <pid>: error : ...' is not read: it logs the host probes that
# fail here (dnsmasq, D-Bus, dmidecode) as errors at every start.
_BRACKETED_ERROR = re.compile(rb'\[(?:ERROR|CRITICAL|error|critical)\]')
# The unindented lines of a bare traceback (one no logger wrote) that
# are not its exception: those chaining two tracebacks.
_TRACEBACK_LINKS = (b'During handling ', b'The above exception ')


def _is_error_message(line):
    """An ERROR line that says something: not a traceback's frame.

    oslo.log writes each traceback line as its own ERROR record,
    '<time> <pid> ERROR <logger> <text>', frames indented, so keeping
    unindented texts (after the request context, if any) keeps the
    messages and the exceptions raised. CRITICAL records (a service
    dying) count as ERROR ones, and so do the '[ERROR]' lines of the
    daemons that are not OpenStack's.
    """
    if _BRACKETED_ERROR.search(line):
        return True
    for level in _OSLO_ERROR_LEVELS:
        head, sep, rest = line.partition(level)
        if sep:
            break
    else:
        return False
    _logger, _, text = rest.partition(b' ')
    if text.startswith(b'['):     # nova's and cinder's request context
        text = text.partition(b'] ')[2]
    text = text.rstrip()
    return bool(text) and not text.startswith(
        (b' ', b'Traceback') + _TRACEBACK_LINKS)


def _error_messages(lines):
    """The error messages among a log's lines (bytes), in order.

    The ERROR lines _is_error_message keeps, and the exception that ends
    each bare traceback: one a process printed to its log without a
    logger (a crash before its logging is set up, an uncaught exception
    in a thread), whose every line would otherwise pass unnoticed.
    """
    in_traceback = False
    for line in lines:
        if line.startswith(b'Traceback (most recent call last)'):
            in_traceback = True
        elif (in_traceback and line.strip()
                and not line.startswith((b' ', b'\t') + _TRACEBACK_LINKS)):
            in_traceback = False
            yield line
        elif _is_error_message(line):
            yield line


def _cloud_errors(since):
    """{service: [its error messages]} logged after each offset in `since`.

    `since` maps a service to how far its log reached (_log_sizes); the
    services that logged none are left out.
    """
    errors = {}
    for name, offset in sorted(since.items()):
        try:
            with open(procs.logfile(name), 'rb') as f:
                f.seek(offset)
                lines = [line.decode('utf-8', 'replace').rstrip()
                         for line in _error_messages(f)]
        except OSError:
            continue
        if lines:
            errors[name] = lines
    return errors


def _print_cloud_errors(since, limit=12, width=400):
    """The last ERROR lines each service logged during the run.

    A failed test says what the API answered; the reason (no valid
    backend, a command that failed on the host) is in the services' logs,
    which a CI job's printed tail would otherwise never show.
    """
    for name, lines in _cloud_errors(since).items():
        log('%d ERROR line(s) in %s during the run, the last %d:' % (
            len(lines), procs.logfile(name), min(limit, len(lines))))
        for line in lines[-limit:]:
            print('  ' + line[:width])


def _mattach(*args):
    """argv of `mattach ARGS` in the venv, where the plugin is installed."""
    return [os.path.join(layout.VBIN, 'python'), '-m', 'mattach_tempest.cli'
            ] + list(args)


def _capability_report(subunit):
    """`mattach report` on the run: results grouped by capability.

    The table goes to stdout; the JSON and the self-contained HTML page
    are kept beside the subunit stream. A report that cannot be made is
    said, and does not change the run's result (the stream is kept).
    """
    base = subunit[:-len('.subunit')]
    argv = _mattach('report', '--html-file', base + '.html',
                    '--json-file', base + '.json', subunit)
    if subprocess.call(argv) == 0:
        log('capability report %s.html, %s.json' % (base, base))
    else:
        log('capability report failed (mattach report %s)' % subunit)


def _timing_report(tempest_log, offset, subunit):
    """`mattach timing` on this run: the waits per test class.

    Reads tempest.log from `offset`, its size before the run, so the
    table is this run's only; with the run's subunit stream (None when
    it holds no result) the classes' test seconds too. Says so when
    there is none (no test waited on a server, or the log is elsewhere:
    --config-file); never changes the run's result.
    """
    argv = _mattach('timing', '--from-byte', str(offset), tempest_log)
    if subunit:
        argv[-1:-1] = ['--subunit', subunit]
    proc = subprocess.run(argv, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode == 0:
        sys.stdout.write(proc.stdout)
        sys.stdout.flush()
    else:
        log('no timing: %s' % proc.stderr.strip())


def _cpu_report(cpu, path):
    """Print where the suite's CPU went (cpu_use), and keep it in path."""
    lines = cpu.report()
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines), flush=True)
    log('CPU report %s' % path)


def _calls_report(tempest_log, offset, path):
    """Print the API calls of this run (api_calls), and keep them in path.

    tempest.log from `offset`, its size before the run: this run's lines.
    """
    try:
        with open(tempest_log, 'rb') as f:
            f.seek(offset)
            lines = f.read().decode('utf-8', 'replace').splitlines()
    except OSError as e:
        log('no API calls report: %s' % e)
        return
    counts = api_calls.count(lines)
    guests = api_calls.guest_boots(lines)
    api_calls.dump(counts, guests, path)
    print('\n'.join(api_calls.report(counts)), flush=True)
    log('guests booted to SSH: %d' % guests)
    log('API calls %s (`tools/minicloud op-costs` multiplies them by '
        'their measured cost)' % path)


def op_costs_cmd(args):
    """The work a run's calls need: each measured (op_costs), times them.

    Measured on the running cloud with nothing else running.
    """
    calls = args.calls or _last_result('-calls.json')
    if not calls:
        log('no run\'s API calls in %s: `tools/minicloud run --keep` first, '
            'or --calls FILE' % layout.RESULTS)
        return 1
    if not _cloud_answers(services.current_virt(),
                          services.current_computes()):
        log('the cloud is not up: `tools/minicloud up --virt libvirt` first')
        return 1
    counts = api_calls.operations(*api_calls.load(calls))
    costs = op_costs.measure(log, servers=args.servers)
    rows, total = op_costs.lower_bound(costs, counts)
    log('calls of %s' % calls)
    print('\n'.join(op_costs.table(rows, total, os.cpu_count())),
          flush=True)
    return 0


_TOTALS_LINE = re.compile(
    r'^(?P<Passed>\d+) passed, (?P<Failed>\d+) failed, '
    r'(?P<Skipped>\d+) skipped$')


def _totals(subunit):
    """{'Passed': n, 'Failed': n, 'Skipped': n} of a run's subunit stream.

    `mattach report --totals` reads them from the stream itself; a stream
    without results (tempest stopped before its first test) counts none,
    its one-line reason on stderr.
    """
    proc = subprocess.run(_mattach('report', '--totals', subunit),
                          stdout=subprocess.PIPE, text=True)
    return parse_totals(proc.stdout if proc.returncode == 0 else '')


def parse_totals(line):
    """The counts of a `mattach report --totals` line; zeros if not one."""
    match = _TOTALS_LINE.match(line.strip())
    counts = match.groupdict() if match else {}
    return {key: int(counts.get(key, 0))
            for key in ('Passed', 'Failed', 'Skipped')}


def openrc(args):
    """Print the openstack CLI's environment for the local cloud."""
    if not os.path.exists(UP_STAMP):
        print('minicloud: the cloud is not up (tools/minicloud up)',
              file=sys.stderr)
    sys.stdout.write(client_env.openrc(args.admin))
    return 0


def secrets(args):
    """Print the cloud's secrets, one a line (`mattach scan-secrets`)."""
    sys.stdout.write(''.join(secret + '\n' for secret in bootstrap.SECRETS))
    return 0


def clean(args):
    """down, then delete what up made (not the venv, not others' files)."""
    down()
    for path in (layout.ETC, layout.LOGS, layout.RUN, layout.DATA,
                 layout.TEMPEST, layout.RESULTS):
        shutil.rmtree(path, ignore_errors=True)
    log('removed cloud state in %s (kept the venv)' % layout.STATE)
    return 0


def max_computes():
    """How many compute hosts this machine holds: two per core.

    Each is a nova-compute (and, with libvirt, a libvirtd) whose periodic
    tasks take CPU from the guests and the tests.
    """
    return 2 * (os.cpu_count() or 1)


def _computes(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= max_computes():
        raise argparse.ArgumentTypeError(
            '%r: a number of compute hosts from 1 to %d (two per core of '
            'this machine)' % (text, max_computes()))
    return n


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='tools/minicloud',
        description='A real OpenStack cloud (keystone, placement, glance, '
                    'nova, cinder, neutron) on 127.0.0.1 for mattach-tempest.')
    sub = p.add_subparsers(dest='cmd', required=True)
    for name, helptext in (('up', 'install if needed and start the cloud'),
                           ('run', 'up, run the plugin suite, down')):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument('--virt', choices=['fake', 'libvirt'],
                        default='libvirt',
                        help='libvirt (the default): real qemu TCG guests '
                        'on a bridge, loop-device volumes, every test runs; '
                        'fake: nova\'s fake driver and a fake cinder backend, '
                        'faster, API tests only (the data-path tests skip)')
        sp.add_argument('--computes', type=_computes, default=1,
                        metavar='N',
                        help='compute hosts, each a nova-compute of its own '
                        '(libvirt: and a libvirtd of its own); 2 runs the '
                        'multi-host tests (default 1, at most %d here)'
                        % max_computes())
    run_p = sub.choices['run']
    run_p.add_argument('--keep', action='store_true',
                       help='leave the cloud running afterwards')
    run_p.add_argument('--regex', default='^mattach_tempest\\.')
    run_p.add_argument('--concurrency', type=int, default=4,
                       help='tempest workers (default 4: on 2 cores the '
                       'suite on real guests took 621 s at 3, 565 s at 4, '
                       '551 s at 5; 900 s at 6, where a live migration '
                       'under the load did not end in 300 s)')
    run_p.add_argument('--config-file',
                       help='tempest config (default: the workspace\'s '
                            'etc/tempest.conf; etc/tempest-accounts.conf for '
                            'pre-provisioned credentials)')
    sub.add_parser('down', help='stop everything up started')
    for name, helptext in (
            ('stop', 'stop one service of the running cloud, e.g. '
                     'cinder-volume or nova-compute-compute1'),
            ('start', 'start one stopped service again; waits until it '
                      'answers or reports up')):
        sub.add_parser(name, help=helptext).add_argument('service')
    sub.add_parser('status', help='each service and whether it answers')
    sub.add_parser('clean', help='down, then delete the state (not the venv)')
    t = sub.add_parser('tempest', help='run tempest in the workspace, e.g. '
                       'tools/minicloud tempest run --regex ...')
    t.add_argument('args', nargs=argparse.REMAINDER)
    o = sub.add_parser('openrc', help='print the openstack CLI\'s `export '
                       'OS_...` lines for the primary tempest account: eval '
                       '"$(tools/minicloud openrc)" (up also writes '
                       '.minicloud/clouds.yaml)')
    o.add_argument('--admin', action='store_true',
                   help='the cloud\'s admin instead')
    sub.add_parser('secrets', help='print the cloud\'s passwords and keys, '
                   'one a line: mattach scan-secrets --secret-file '
                   '<(tools/minicloud secrets) ...')
    sub.add_parser('pin', help='write the venv\'s exact versions to '
                   'tools/minicloud-constraints.txt')
    sub.add_parser('canary-regex', help='print the regex of tempest\'s own '
                   'multiattach tests')
    times_p = sub.add_parser(
        'pin-times', help='write the seconds each test class held its '
        'worker in some runs (default: the last in .minicloud/results), '
        'averaged, to tools/minicloud-class-seconds.json, the weights run '
        'balances its workers by')
    times_p.add_argument('subunit', nargs='*',
                         help='the runs\' subunit streams')
    costs_p = sub.add_parser(
        'op-costs', help='on the running cloud (nothing else running), the '
        'core-seconds each expensive operation of the suite costs (a '
        'guest\'s boot, an API server\'s, an attachment, a GET ...), times '
        'the calls of the last run: a lower bound of the suite\'s work '
        '(~3 minutes)')
    costs_p.add_argument('--calls', help='a run\'s results/tempest-*-calls.'
                         'json (default: the last)')
    costs_p.add_argument('--servers', type=int, default=4,
                         help='servers of the API image booted, attached '
                         'and deleted per measurement (default 4; 2 '
                         'measured the same cloud 20-40 %% apart)')
    args = p.parse_args(argv)
    handlers = {'up': up, 'down': down, 'status': status, 'run': run,
                'stop': stop_service, 'start': start_service,
                'tempest': tempest, 'clean': clean, 'openrc': openrc,
                'secrets': secrets,
                'pin': lambda a: log('pinned %d packages in %s' % (
                    install.pin(), layout.CONSTRAINTS)) or 0,
                'pin-times': pin_times, 'op-costs': op_costs_cmd,
                'canary-regex': lambda a: print(CANARY_REGEX) or 0}
    try:
        return handlers[args.cmd](args)
    except (procs.StartError, bootstrap.StepError, api.ApiError) as e:
        print('minicloud: ERROR: %s' % e, file=sys.stderr)
        if args.cmd in ('up', 'run'):
            print('minicloud: logs in %s; `tools/minicloud down` stops what '
                  'was started' % layout.LOGS, file=sys.stderr)
        return 1
