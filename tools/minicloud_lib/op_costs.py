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

"""`tools/minicloud op-costs`: the cloud's CPU work per API operation.

On this kind of machine the suite is CPU-bound, so its wall time is at
least its work divided by the cores. This measures, on the running cloud
with nothing else running, the core-seconds the whole machine spends per
operation the suite asks for (a real guest's boot to its login prompt, a
server of the API image, an attachment, a GET ...), and multiplies them by
the counts of the last `run` (api_calls): work the suite cannot do without.

Each operation is timed the way the suite does it, to its end (the server
ACTIVE, the attachment listed by cinder, the volume gone), then a tail of
SETTLE seconds for the work the services finish after answering. Cost per
operation: the machine's busy time (/proc/stat) minus this process's own
CPU and the idle cloud's rate over the same seconds, divided by the
operations. What it leaves out, so the total is a lower bound: the guests'
work after their boot (SSH logins, mkfs, checksums, migrations), the
operations not listed in api_calls.OPERATIONS (server actions, tokens,
cinder's attachments API ...), tempest's own work, and the slow-down of
everything sharing two cores while the suite runs.
"""
import os
import time
import uuid

from . import api
from . import api_calls
from . import bootstrap
from . import cpu_use
from . import guest_cloud
from . import libvirt_host
from . import procs

SETTLE = 2.0
POLL = 0.5
CONSOLE_POLL = 2.0     # the console's log is read whole at every ask
WAIT = 180
COMPUTE_VERSION = {'OpenStack-API-Version': 'compute 2.60'}
VOLUME_VERSION = {'OpenStack-API-Version': 'volume 3.60'}
NAME = 'minicloud-op-costs-%s'


class Meter(object):
    """The machine's busy core-seconds, less this process's own."""

    def __init__(self, stat_path='/proc/stat', clock=time.monotonic,
                 own=None):
        self.stat_path = stat_path
        self.clock = clock
        self.own = own or (lambda: sum(os.times()[:2]))
        self.hz = os.sysconf('SC_CLK_TCK')

    def read(self):
        with open(self.stat_path, 'rb') as f:
            busy = cpu_use.machine_busy_ticks(f.read()) / float(self.hz)
        return self.clock(), busy, self.own()

    @staticmethod
    def cost(before, after, idle_rate=0.0):
        """Core-seconds between two readings: others', less the idle."""
        (t0, busy0, own0), (t1, busy1, own1) = before, after
        return max(0.0, (busy1 - busy0) - (own1 - own0)
                   - idle_rate * (t1 - t0))


def lower_bound(costs, counts):
    """[(operation, calls, core-s per call, core-s)], and their total.

    costs: {operation: core-s per call}; counts: {operation: calls}.
    Operations not measured are left out (they add to the bound).
    """
    rows = [(op, counts.get(op, 0), per, counts.get(op, 0) * per)
            for op, per in costs.items()]
    return rows, sum(r[3] for r in rows)


def table(rows, total, cores):
    lines = ['%-26s %6s %9s %8s' % ('OPERATION', 'CALLS', 'CORE-S/OP',
                                    'CORE-S')]
    for op, n, per, work in rows:
        lines.append('%-26s %6d %9.2f %8.0f' % (op, n, per, work))
    lines.append('%-26s %6s %9s %8.0f' % ('TOTAL', '', '', total))
    lines.append('these operations alone take %.0f core-s: at least %.0f s '
                 'on %d cores fully busy, without the guests\' work after '
                 'their boot, the other calls and tempest\'s own'
                 % (total, total / cores, cores))
    return lines


def _gone(sess, service, path, headers):
    try:
        sess.get(service, path, headers=headers)
    except api.ApiError as e:
        if e.code == 404:
            return True
        raise
    return False


class Operations(object):
    """The suite's operations on the running cloud, as the admin."""

    def __init__(self, sess):
        self.sess = sess
        self.servers, self.volumes, self.guests = [], [], []
        self.image = self._image_id(guest_cloud.API_IMAGE)
        self.flavor = bootstrap.FLAVORS[0][0]

    def _image_id(self, name):
        images = self.sess.get('glance', '/v2/images?name=' + name)['images']
        if not images:
            procs.fail('glance', 'has no image %s (op-costs needs a cloud '
                       'of `up --virt libvirt`)' % name)
        return images[0]['id']

    def _server(self, sid):
        return self.sess.get('nova-api', '/v2.1/servers/' + sid,
                             headers=COMPUTE_VERSION)['server']

    def _volume(self, vid):
        return self.sess.get('cinder-api', '/v3/%s/volumes/%s' % (
            self.sess.project_id, vid), headers=VOLUME_VERSION)['volume']

    def _request_servers(self, n, kind, image, networks, into):
        """Ask nova for n servers, then wait until each is ACTIVE.

        Their ids go into `into` (what cleanup deletes) as they are made.
        """
        ids = []
        for _ in range(n):
            ids.append(self.sess.post('nova-api', '/v2.1/servers', {
                'server': {'name': NAME % kind, 'imageRef': image,
                           'flavorRef': self.flavor, 'networks': networks}},
                headers=COMPUTE_VERSION)['server']['id'])
            into.append(ids[-1])
        for sid in ids:
            procs.wait_for('nova-api', lambda: self._active(sid), WAIT,
                           'bring server %s to ACTIVE' % sid, POLL)
        return ids

    def boot(self, n):
        self._request_servers(n, 'server', self.image, 'none', self.servers)

    def boot_guests(self, n):
        """Real guests on the guests' network, to their login prompt.

        Their sshd starts just before the prompt.
        """
        net = self.sess.get('neutron', '/v2.0/networks?name=' +
                            libvirt_host.NETWORK)['networks'][0]['id']
        ids = self._request_servers(
            n, 'guest', self._image_id(bootstrap.IMAGES[0]),
            [{'uuid': net}], self.guests)
        for sid in ids:
            procs.wait_for('nova-api', lambda: 'login:' in self._console(sid),
                           WAIT, 'show guest %s\'s login prompt on its '
                           'console' % sid, CONSOLE_POLL)

    def _console(self, sid):
        return self.sess.post('nova-api', '/v2.1/servers/%s/action' % sid,
                              {'os-getConsoleOutput': {'length': 5}},
                              headers=COMPUTE_VERSION)['output']

    def _active(self, sid):
        status = self._server(sid)['status']
        if status == 'ERROR':
            procs.fail('nova-api', 'put server %s in ERROR' % sid)
        return status == 'ACTIVE'

    def delete_servers(self, n):
        ids, self.servers = self.servers[-n:], self.servers[:-n]
        for sid in ids:
            self.sess.request('DELETE', 'nova-api', '/v2.1/servers/' + sid)
        for sid in ids:
            procs.wait_for('nova-api', lambda: _gone(
                self.sess, 'nova-api', '/v2.1/servers/' + sid,
                COMPUTE_VERSION), WAIT, 'delete server %s' % sid, POLL)

    def create_volumes(self, n):
        ids = []
        for _ in range(n):
            ids.append(self.sess.post('cinder-api', '/v3/%s/volumes' % (
                self.sess.project_id), {'volume': {
                    'size': 1, 'name': NAME % 'volume',
                    'volume_type': bootstrap.MULTIATTACH_TYPE}},
                headers=VOLUME_VERSION)['volume']['id'])
            self.volumes.append(ids[-1])
        for vid in ids:
            procs.wait_for('cinder-api',
                           lambda: self._volume(vid)['status'] == 'available',
                           WAIT, 'make volume %s available' % vid, POLL)

    def delete_volumes(self, n):
        ids, self.volumes = self.volumes[-n:], self.volumes[:-n]
        for vid in ids:
            self.sess.request('DELETE', 'cinder-api', '/v3/%s/volumes/%s' % (
                self.sess.project_id, vid))
        for vid in ids:
            procs.wait_for('cinder-api', lambda: _gone(
                self.sess, 'cinder-api', '/v3/%s/volumes/%s' % (
                    self.sess.project_id, vid), VOLUME_VERSION), WAIT,
                'delete volume %s' % vid, POLL)

    def _holders(self, vid):
        return {a['server_id'] for a in self._volume(vid)['attachments']}

    def attach_all(self):
        """The last volume to every server: one attach per server."""
        vid = self.volumes[-1]
        for sid in self.servers:
            self.sess.post('nova-api', '/v2.1/servers/%s/os-volume_'
                           'attachments' % sid,
                           {'volumeAttachment': {'volumeId': vid}},
                           headers=COMPUTE_VERSION)
            procs.wait_for('cinder-api', lambda: sid in self._holders(vid),
                           WAIT, 'list server %s as a holder of volume %s'
                           % (sid, vid), POLL)

    def detach_all(self):
        vid = self.volumes[-1]
        for sid in self.servers:
            self.sess.request('DELETE', 'nova-api', '/v2.1/servers/%s/os-'
                              'volume_attachments/%s' % (sid, vid),
                              headers=COMPUTE_VERSION)
            procs.wait_for('cinder-api',
                           lambda: sid not in self._holders(vid), WAIT,
                           'drop server %s from the holders of volume %s'
                           % (sid, vid), POLL)

    def get_servers(self, n):
        for _ in range(n):
            self._server(self.servers[0])

    def get_volumes(self, n):
        for _ in range(n):
            self._volume(self.volumes[-1])

    def get_server_attachments(self, n):
        for _ in range(n):
            self.sess.get('nova-api', '/v2.1/servers/%s/os-volume_'
                          'attachments' % self.servers[0],
                          headers=COMPUTE_VERSION)

    def credentials(self, n):
        """tempest's dynamic credentials, made and deleted.

        A project, its user, a role, the user's token and first network
        call (neutron makes the project's default security group).
        """
        role = bootstrap.ensure_role(self.sess, 'member')
        for _ in range(n):
            name = NAME % uuid.uuid4().hex[:8]
            password = uuid.uuid4().hex
            # bootstrap's helpers look each name up first: two keystone
            # GETs a set, as many as tempest's provider makes (roles,
            # domains) for its own.
            project = bootstrap.ensure_project(self.sess, name)
            user = bootstrap.ensure_user(self.sess, name, password, project,
                                         [role])
            try:
                own = api.Session(user=name, password=password,
                                  project=name)
                own.get('neutron', '/v2.0/networks')
            finally:
                groups = self.sess.get(
                    'neutron', '/v2.0/security-groups?project_id=%s'
                    % project['id'])['security_groups']
                for group in groups:
                    self.sess.request('DELETE', 'neutron',
                                      '/v2.0/security-groups/' + group['id'])
                self.sess.request('DELETE', 'keystone',
                                  '/v3/users/' + user['id'])
                self.sess.request('DELETE', 'keystone',
                                  '/v3/projects/' + project['id'])

    def cleanup(self):
        self.servers += self.guests
        self.guests = []
        if self.servers:
            self.delete_servers(len(self.servers))
        if self.volumes:
            self.delete_volumes(len(self.volumes))


def measure(log, servers=4, guests=2, gets=50, meter=None):
    """{operation: core-s per call} on the running cloud."""
    meter = meter or Meter()
    start = meter.read()
    time.sleep(10)
    idle_rate = Meter.cost(start, meter.read()) / 10.0
    log('op-costs: the idle cloud keeps %.3f cores busy' % idle_rate)
    ops = Operations(api.Session())
    costs = {}

    def timed(name, fn, n, calls):
        time.sleep(SETTLE)
        before = meter.read()
        fn(n)
        time.sleep(SETTLE)
        costs[name] = Meter.cost(before, meter.read(), idle_rate) / calls
        log('op-costs: %-26s %.2f core-s per call' % (name, costs[name]))

    try:
        timed('server boot', ops.boot, servers, servers)
        timed('GET server', ops.get_servers, gets, gets)
        timed('volume create', ops.create_volumes, 2, 2)
        timed('GET volume', ops.get_volumes, gets, gets)
        timed('volume attach (nova)', lambda _n: ops.attach_all(), 0,
              servers)
        timed('GET server attachments', ops.get_server_attachments, gets,
              gets)
        timed('volume detach (nova)', lambda _n: ops.detach_all(), 0,
              servers)
        timed('volume delete', ops.delete_volumes, 2, 2)
        timed('server delete', ops.delete_servers, servers, servers)
        timed('project (credentials)', ops.credentials, 2, 2)
        # Last: a booted guest keeps a little work going afterwards.
        timed('guest boot (to SSH)', ops.boot_guests, guests, guests)
    finally:
        ops.cleanup()
    return dict((op, costs[op]) for op in api_calls.OPERATIONS
                if op in costs)
