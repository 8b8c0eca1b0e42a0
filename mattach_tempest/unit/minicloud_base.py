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

"""What the tests of tools/minicloud share: its package, a private state.

tools/minicloud's package (tools/minicloud_lib) is not installed: the
tests put tools/ on sys.path. StateDirTestCase moves every directory
layout names into a temporary directory, so that rendering configuration
files writes nothing into the checkout's .minicloud.
"""

import os
import sys

import fixtures

from mattach_tempest.unit import base

sys.path.insert(0, os.path.join(base.REPO_ROOT, 'tools'))
from minicloud_lib import layout  # noqa: E402  (needs tools/ on sys.path)

# The files configs.install_shipped copies from the venv, as pip installs
# them: {service: [file names]}.
SHIPPED = {'glance': ['glance-api-paste.ini'],
           'nova': ['api-paste.ini'],
           'cinder': ['api-paste.ini', 'resource_filters.json'],
           'neutron': ['api-paste.ini']}


class StateDirTestCase(base.TestCase):
    """layout's directories moved into a temporary directory."""

    def setUp(self):
        super().setUp()
        self.state = self.useFixture(fixtures.TempDir()).path
        for name in ('STATE', 'ETC', 'DATA', 'RUN', 'LOGS', 'VENV',
                     'TEMPEST', 'RESULTS'):
            self.useFixture(fixtures.MonkeyPatch(
                'minicloud_lib.layout.' + name,
                os.path.join(self.state, name)))
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.layout.VBIN',
            os.path.join(layout.VENV, 'bin')))

    def use_ports(self, offset):
        """layout's ports as MINICLOUD_PORT_OFFSET=offset makes them."""
        self.useFixture(fixtures.MonkeyPatch(
            'minicloud_lib.layout.PORTS', layout.ports(offset)))

    def install_shipped_files(self):
        """The files the services' packages ship, as the venv has them."""
        for service, names in SHIPPED.items():
            d = os.path.join(layout.VENV, 'etc', service)
            os.makedirs(d, exist_ok=True)
            for name in names:
                with open(os.path.join(d, name), 'w') as f:
                    f.write('# %s of %s\n' % (name, service))
