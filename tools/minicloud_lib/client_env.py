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

"""The openstack CLI pointed at the local cloud: openrc lines, clouds.yaml.

Two identities: the primary tempest account (a 'member' of
tempest-project-1, bootstrap.accounts()), as a test's own user sees the
cloud, and the cloud's admin (keystone's bootstrap user). Both live in the
Default domain. The cloud's venv has python-openstackclient
(.minicloud/venv/bin/openstack).

The passwords are printed to the terminal (`tools/minicloud openrc`) and
written to .minicloud/clouds.yaml (mode 0600): never to a log file.
"""
import json
import os
import shlex

from . import bootstrap
from . import layout

CLOUDS_YAML = os.path.join(layout.STATE, 'clouds.yaml')
CLOUD = 'minicloud'
ADMIN_CLOUD = 'minicloud-admin'
OPENSTACK = os.path.join(layout.VBIN, 'openstack')
# The API versions the CLI asks for: cinder's v3 API, and nova's 2.60, the
# first that attaches a multiattach volume to a second server.
VOLUME_API_VERSION = '3'
COMPUTE_API_VERSION = '2.60'


def credentials(admin=False):
    """{auth option: value} of the primary account, or the admin's."""
    if admin:
        user, project, password = ('admin', 'admin',
                                   layout.ADMIN_PASSWORD)
    else:
        primary = bootstrap.accounts()[0]
        user, project, password = (primary['username'],
                                   primary['project_name'],
                                   primary['password'])
    return {'auth_url': layout.url('keystone', '/v3'),
            'username': user,
            'password': password,
            'project_name': project,
            'user_domain_name': 'Default',
            'project_domain_name': 'Default'}


def cloud(admin=False):
    """One entry of clouds.yaml's `clouds`."""
    return {'auth_type': 'password',
            'auth': credentials(admin),
            'region_name': layout.REGION,
            'interface': 'public',
            'identity_api_version': '3',
            'volume_api_version': VOLUME_API_VERSION,
            'compute_api_version': COMPUTE_API_VERSION}


def openrc(admin=False):
    """The `export OS_...=` lines of the openstack CLI's environment."""
    settings = dict(credentials(admin))
    entry = cloud(admin)
    settings.update((key, entry[key]) for key in entry if key != 'auth')
    lines = ['# %s; then: %s ...' % (
        'the admin' if admin else 'the primary tempest account', OPENSTACK),
             # A cloud of clouds.yaml chosen earlier would win.
             'unset OS_CLOUD']
    lines += ['export OS_%s=%s' % (key.upper(), shlex.quote(str(value)))
              for key, value in sorted(settings.items())]
    return '\n'.join(lines) + '\n'


def _yaml(value, indent=0):
    """value (dicts of strings) as block YAML; strings quoted as JSON."""
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append('%s%s:' % (' ' * indent, key))
            lines += _yaml(item, indent + 2)
        else:
            lines.append('%s%s: %s' % (' ' * indent, key, json.dumps(item)))
    return lines


def clouds_yaml():
    """clouds.yaml's text: the clouds CLOUD and ADMIN_CLOUD."""
    clouds = {'clouds': {CLOUD: cloud(), ADMIN_CLOUD: cloud(admin=True)}}
    return '\n'.join(_yaml(clouds)) + '\n'


def write_clouds_yaml(path=None):
    """Write clouds.yaml, readable by its owner only; return its path."""
    path = path or CLOUDS_YAML
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(clouds_yaml())
    os.chmod(path, 0o600)
    return path
