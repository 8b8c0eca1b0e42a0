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


"""Decoys: what a fault drill's cleanup must leave exactly as it was.

In a project of their own (as on a production cloud, where the suite
shares the cloud with workloads): a multiattach volume held by two
servers, a plain volume, and a lone server. Their names start with
tempest's default resource name prefix but name no test class of the
suite, so a cleanup matching the prefix alone would take them: the
decoys prove it matches what the suite made, not what looks like it.

`create` saves their ids and state; `check` compares the state now:
every status, and the held volume's attachment ids and servers.
"""
import json
import time

from .. import api
from .. import bootstrap

PROJECT = 'fault-drills-decoys'
USER = 'fault-drills-decoy'
# A local cloud's throwaway account: the drill needs to log in as it.
PASSWORD = 'fault-drills-decoy-account'
NAME = 'tempest-decoy-%s'
WAIT_TIMEOUT = 180
COMPUTE = {'OpenStack-API-Version': 'compute 2.60'}   # multiattach


class DecoyError(api.ApiError):
    def __init__(self, msg):
        Exception.__init__(self, msg)


def _wait(what, check, timeout=WAIT_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(1)
    raise DecoyError('decoys: waited %d s for %s' % (timeout, what))


def _account(admin):
    project = bootstrap.ensure_project(admin, PROJECT)
    bootstrap.ensure_user(admin, USER, PASSWORD, project,
                          [bootstrap.ensure_role(admin, 'member')])
    return api.Session(USER, PASSWORD, PROJECT)


def _volume_path(sess, volume_id=None):
    path = '/v3/%s/volumes' % sess.project_id
    return path + '/' + volume_id if volume_id else path


def _boot(sess, name, image_id):
    server = sess.post('nova-api', '/v2.1/servers', {'server': {
        'name': NAME % name, 'imageRef': image_id, 'networks': 'none',
        'flavorRef': bootstrap.FLAVORS[0][0]}}, headers=COMPUTE)['server']

    def active():
        status = sess.get('nova-api', '/v2.1/servers/' + server['id'])[
            'server']['status']
        if status == 'ERROR':
            raise DecoyError('decoys: server %s went to ERROR' % name)
        return status == 'ACTIVE'
    return server['id'], active


def _create_volume(sess, name, volume_type=None):
    body = {'name': NAME % name, 'size': 1}
    if volume_type:
        body['volume_type'] = volume_type
    volume = sess.post('cinder-api', _volume_path(sess),
                       {'volume': body})['volume']
    return volume['id']


def _volume(sess, volume_id):
    return sess.get('cinder-api', _volume_path(sess, volume_id))['volume']


def create():
    """Make the decoys; {role: id} (roles: servers a b c, volumes)."""
    admin = api.Session()
    sess = _account(admin)
    image = admin.get('glance', '/v2/images?name=' + bootstrap.IMAGES[0])[
        'images'][0]['id']
    ids, waits = {}, []
    for role in ('server-a', 'server-b', 'server-c'):
        ids[role], active = _boot(sess, role, image)
        waits.append(('server %s ACTIVE' % role, active))
    ids['shared-volume'] = _create_volume(sess, 'shared-volume',
                                          bootstrap.MULTIATTACH_TYPE)
    ids['plain-volume'] = _create_volume(sess, 'plain-volume')
    for role in ('shared-volume', 'plain-volume'):
        waits.append(('volume %s available' % role,
                      lambda v=ids[role]: _volume(sess, v)['status']
                      == 'available'))
    for what, check in waits:
        _wait(what, check)
    for role in ('server-a', 'server-b'):
        sess.post('nova-api', '/v2.1/servers/%s/os-volume_attachments'
                  % ids[role], {'volumeAttachment': {
                      'volumeId': ids['shared-volume']}}, headers=COMPUTE)
        _wait('the shared volume attached to %s' % role,
              lambda s=ids[role]: s in {
                  a['server_id'] for a in _volume(
                      sess, ids['shared-volume'])['attachments']})
    return ids


def state(ids):
    """What must not change: statuses, the held volume's attachments."""
    sess = api.Session(USER, PASSWORD, PROJECT)
    now = {}
    for role, rid in sorted(ids.items()):
        if role.startswith('server'):
            try:
                server = sess.get('nova-api', '/v2.1/servers/' + rid)
                now[role] = server['server']['status']
            except api.ApiError as e:
                now[role] = 'HTTP %s' % e.code
            continue
        try:
            volume = _volume(sess, rid)
        except api.ApiError as e:
            now[role] = 'HTTP %s' % e.code
            continue
        now[role] = volume['status']
        now[role + ' attachments'] = sorted(
            '%s on %s' % (a['attachment_id'], a['server_id'])
            for a in volume['attachments'])
    return now


def check(path):
    """0 if the decoys saved in `path` are as they were, else 1."""
    with open(path) as src:
        saved = json.load(src)
    now = state(saved['ids'])
    changed = {k for k in set(saved['state']) | set(now)
               if saved['state'].get(k) != now.get(k)}
    for key in sorted(now):
        print('decoys: %-26s %s%s' % (key, now[key], '   CHANGED, was %s'
                                      % (saved['state'].get(key),)
                                      if key in changed else ''))
    if changed:
        print('decoys: %d of %d changed' % (len(changed), len(now)))
        return 1
    print('decoys: unchanged (%d checked)' % len(now))
    return 0


def command(args):
    if args.action == 'check':
        return check(args.file)
    ids = create()
    with open(args.file, 'w') as out:
        json.dump({'ids': ids, 'state': state(ids)}, out, indent=1)
    print('decoys: created in project %s: %s; saved in %s' % (
        PROJECT, ', '.join(sorted(ids)), args.file))
    return 0


def register(sub):
    p = sub.add_parser('decoys', help='create decoys in a project of their '
                       'own, or check they are unchanged (rc 1 if not)')
    p.add_argument('action', choices=['create', 'check'])
    p.add_argument('file', help='where their ids and state are saved')
    p.set_defaults(handler=command)
