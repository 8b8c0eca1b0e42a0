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


"""The census of the local cloud: every resource, by kind and id.

Taken as the cloud's admin, across all projects, so that a leftover of
any test project shows. Two censuses are equal when every kind holds the
same ids: what a run (or a drill and the cleanup after it) must leave.
"""
import json
import time

from .. import api

# The kinds the suite can leave behind, and more (a drill proves the
# suite touched nothing else, so the census covers what the cloud holds).
COMPUTE = {'OpenStack-API-Version': 'compute 2.10'}   # keypairs ?user_id=
VOLUME = {'OpenStack-API-Version': 'volume 3.27'}     # the attachments API


def _cinder(sess, path):
    return '/v3/%s/%s' % (sess.project_id, path)


def _listing(sess, service, path, key, headers=None):
    return sess.get(service, path, headers=headers)[key]


def _label(item, *fields):
    """A line naming a resource for a human: its name and state fields."""
    parts = [str(item.get('name') or item.get('id'))]
    parts += ['%s=%s' % (f, item.get(f)) for f in fields if item.get(f)]
    return ' '.join(parts)


def take(sess=None):
    """{kind: {id: label}} of everything the local cloud holds now."""
    sess = sess or api.Session()
    users = _listing(sess, 'keystone', '/v3/users', 'users')
    kinds = {
        'projects': _listing(sess, 'keystone', '/v3/projects', 'projects'),
        'users': users,
        'servers': _listing(sess, 'nova-api',
                            '/v2.1/servers/detail?all_tenants=1', 'servers'),
        'keypairs': [
            dict(kp['keypair'], id='%s/%s' % (user['id'],
                                              kp['keypair']['name']))
            for user in users
            for kp in _listing(sess, 'nova-api', '/v2.1/os-keypairs?user_id='
                               + user['id'], 'keypairs', COMPUTE)],
        'volumes': _listing(sess, 'cinder-api',
                            _cinder(sess, 'volumes/detail?all_tenants=1'),
                            'volumes'),
        'attachments': _listing(sess, 'cinder-api',
                                _cinder(sess, 'attachments?all_tenants=1'),
                                'attachments', VOLUME),
        'snapshots': _listing(sess, 'cinder-api',
                              _cinder(sess, 'snapshots?all_tenants=1'),
                              'snapshots'),
        'volume types': _listing(sess, 'cinder-api',
                                 _cinder(sess, 'types?is_public=None'),
                                 'volume_types'),
        'images': _listing(sess, 'glance', '/v2/images?limit=1000',
                           'images'),
        'flavors': _listing(sess, 'nova-api',
                            '/v2.1/flavors/detail?is_public=None',
                            'flavors'),
        'server groups': _listing(
            sess, 'nova-api', '/v2.1/os-server-groups?all_projects=True',
            'server_groups'),
        'aggregates': _listing(sess, 'nova-api', '/v2.1/os-aggregates',
                               'aggregates'),
        'backups': _listing(sess, 'cinder-api',
                            _cinder(sess, 'backups?all_tenants=1'),
                            'backups'),
        'qos specs': _listing(sess, 'cinder-api', _cinder(sess, 'qos-specs'),
                              'qos_specs'),
    }
    for kind in ('networks', 'subnets', 'ports', 'routers',
                 'security_groups', 'floatingips'):
        kinds[kind.replace('_', ' ')] = _listing(
            sess, 'neutron', '/v2.0/' + kind, kind)
    return {kind: {item['id']: _label(item, 'status', 'volume_id',
                                      'instance', 'project_id')
                   for item in items}
            for kind, items in kinds.items()}


def save(path, counted):
    with open(path, 'w') as out:
        json.dump({'taken': time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                          time.gmtime()),
                   'kinds': counted}, out, indent=1, sort_keys=True)


def load(path):
    with open(path) as src:
        return json.load(src)['kinds']


def differences(before, after):
    """Lines naming what `after` holds that `before` did not, and back."""
    lines = []
    for kind in sorted(set(before) | set(after)):
        was, now = before.get(kind, {}), after.get(kind, {})
        lines += ['  left behind: %s %s (%s)' % (kind, i, now[i])
                  for i in sorted(set(now) - set(was))]
        lines += ['  gone: %s %s (%s)' % (kind, i, was[i])
                  for i in sorted(set(was) - set(now))]
    return lines


def table(named):
    """Counts per kind, one column per (name, census): a report's table."""
    kinds = sorted({k for _, counted in named for k in counted})
    head = ['kind'] + [name for name, _ in named]
    rows = [[kind] + [str(len(counted.get(kind, {})))
                      for _, counted in named] for kind in kinds]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    return ['  '.join(c.ljust(w) for c, w in zip(r, widths))
            for r in [head] + rows]


def command(args):
    if args.save:
        save(args.save, take())
        print('census: saved in %s' % args.save)
        return 0
    named = [(path, load(path)) for path in args.compare]
    if len(named) == 1:
        named.append(('now', take()))
    print('\n'.join(table(named)))
    diff = differences(named[0][1], named[-1][1])
    if diff:
        print('census: %s differs from %s:' % (named[-1][0], named[0][0]))
        print('\n'.join(diff))
        return 1
    print('census: %s equals %s' % (named[-1][0], named[0][0]))
    return 0


def register(sub):
    p = sub.add_parser('census', help='save every resource of the cloud, '
                       'or compare with a saved census (rc 1 if differs)')
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument('--save', metavar='FILE')
    what.add_argument('--compare', nargs='+', metavar='FILE',
                      help='the first is the reference; the last (or the '
                      'cloud now, if only one) must equal it; any between '
                      'are shown in the table')
    p.set_defaults(handler=command)
