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

"""The tempest plugin entry point of mattach-tempest.

tempest's plugin manager imports this module for every tempest command and
re-raises an import failure, so it stays light: no side effects, and the
service client modules are named by path, not imported here.
"""

import os

from tempest import config
from tempest.test_discover import plugins

from mattach_tempest import config as mattach_config


class MultiattachTempestPlugin(plugins.TempestPlugin):

    def load_tests(self):
        """Conformance tests live in mattach_tempest/tests only."""
        base_path = os.path.split(os.path.dirname(
            os.path.abspath(__file__)))[0]
        full_test_dir = os.path.join(base_path, 'mattach_tempest', 'tests')
        return full_test_dir, base_path

    def register_opts(self, conf):
        config.register_opt_group(conf, mattach_config.mattach_group,
                                  mattach_config.MattachGroup)

    def get_opt_lists(self):
        return [(group.name, opts)
                for group, opts in mattach_config.list_opts()]

    def get_service_clients(self):
        volume_config = config.service_client_config('volume')
        volume_clients = {
            'name': 'mattach_volume',
            'service_version': 'mattach.volume.v3',
            'module_path': 'mattach_tempest.services.volume',
            'client_names': ['AttachmentsClient', 'MessagesClient',
                             'SnapshotsClient', 'VolumeActionsClient'],
        }
        volume_clients.update(volume_config)
        compute_config = config.service_client_config('compute')
        compute_clients = {
            'name': 'mattach_compute',
            'service_version': 'mattach.compute',
            'module_path': 'mattach_tempest.services.compute',
            'client_names': ['VolumeAttachmentsClient'],
        }
        compute_clients.update(compute_config)
        return [volume_clients, compute_clients]
