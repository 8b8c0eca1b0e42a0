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

"""tools/minicloud openrc and clouds.yaml: the openstack CLI's settings.

The exports must be what python-openstackclient reads (OS_<option>), the
values shell-safe, the users those bootstrap creates, and clouds.yaml
readable by its owner only (it holds the passwords).
"""

import os
import shlex
import stat

import yaml

from mattach_tempest.unit import minicloud_base
from minicloud_lib import bootstrap
from minicloud_lib import client_env
from minicloud_lib import layout


def exports(text):
    """{name: value} of the `export NAME=value` lines, as a shell reads."""
    found = {}
    for line in text.splitlines():
        if line.startswith('export '):
            name, _, value = line[len('export '):].partition('=')
            found[name] = ' '.join(shlex.split(value))
    return found


class OpenrcTest(minicloud_base.StateDirTestCase):

    def setUp(self):
        super().setUp()
        self.use_ports(600)

    def test_primary_account(self):
        env = exports(client_env.openrc())
        primary = bootstrap.accounts()[0]
        self.assertEqual('http://127.0.0.1:29735/v3', env['OS_AUTH_URL'])
        self.assertEqual(primary['username'], env['OS_USERNAME'])
        self.assertEqual('tempest-1-member', env['OS_USERNAME'])
        self.assertEqual(primary['project_name'], env['OS_PROJECT_NAME'])
        self.assertEqual(bootstrap.ACCOUNT_PASSWORD, env['OS_PASSWORD'])
        self.assertEqual('Default', env['OS_USER_DOMAIN_NAME'])
        self.assertEqual('Default', env['OS_PROJECT_DOMAIN_NAME'])
        self.assertEqual(layout.REGION, env['OS_REGION_NAME'])
        self.assertEqual('3', env['OS_IDENTITY_API_VERSION'])
        self.assertEqual('password', env['OS_AUTH_TYPE'])
        self.assertEqual('3', env['OS_VOLUME_API_VERSION'])
        self.assertEqual('2.60', env['OS_COMPUTE_API_VERSION'])

    def test_admin(self):
        env = exports(client_env.openrc(admin=True))
        self.assertEqual('admin', env['OS_USERNAME'])
        self.assertEqual('admin', env['OS_PROJECT_NAME'])
        self.assertEqual(layout.ADMIN_PASSWORD, env['OS_PASSWORD'])

    def test_only_exports_comments_and_unset(self):
        for line in client_env.openrc().splitlines():
            self.assertTrue(line.startswith(('export OS_', '#',
                                             'unset OS_CLOUD')), line)

    def test_values_are_quoted_for_the_shell(self):
        self.useFixture(minicloud_base.fixtures.MonkeyPatch(
            'minicloud_lib.layout.ADMIN_PASSWORD', "it's $HOME"))
        env = exports(client_env.openrc(admin=True))
        self.assertEqual("it's $HOME", env['OS_PASSWORD'])


class CloudsYamlTest(minicloud_base.StateDirTestCase):

    def setUp(self):
        super().setUp()
        self.use_ports(600)
        os.makedirs(layout.STATE)
        self.path = client_env.write_clouds_yaml(
            os.path.join(layout.STATE, 'clouds.yaml'))
        with open(self.path) as f:
            self.clouds = yaml.safe_load(f)['clouds']

    def test_both_clouds(self):
        self.assertEqual({'minicloud', 'minicloud-admin'},
                         set(self.clouds))
        self.assertEqual('tempest-1-member',
                         self.clouds['minicloud']['auth']['username'])
        self.assertEqual('admin',
                         self.clouds['minicloud-admin']['auth']['username'])
        for cloud in self.clouds.values():
            self.assertEqual('http://127.0.0.1:29735/v3',
                             cloud['auth']['auth_url'])
            self.assertEqual(layout.REGION, cloud['region_name'])
            self.assertEqual('3', cloud['identity_api_version'])
            self.assertEqual('2.60', cloud['compute_api_version'])

    def test_same_settings_as_openrc(self):
        for admin, name in ((False, 'minicloud'), (True, 'minicloud-admin')):
            env = exports(client_env.openrc(admin))
            cloud = dict(self.clouds[name])
            cloud.update(cloud.pop('auth'))
            self.assertEqual(env, {'OS_' + key.upper(): str(value)
                                   for key, value in cloud.items()})

    def test_owner_only(self):
        self.assertEqual(0o600, stat.S_IMODE(os.stat(self.path).st_mode))
        os.chmod(self.path, 0o644)
        client_env.write_clouds_yaml(self.path)
        self.assertEqual(0o600, stat.S_IMODE(os.stat(self.path).st_mode))
