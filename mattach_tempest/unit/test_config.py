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

"""The committed sample config is what the generator makes today."""

import difflib
import os

import fixtures
from oslo_config import cfg
from oslo_config import generator

from mattach_tempest.unit import base

GENERATOR_CONF = os.path.join('etc', 'config-generator.mattach-tempest.conf')
SAMPLE = os.path.join('etc', 'mattach-tempest.conf.sample')
HOW_TO_FIX = ('regenerate it with `tox -e genconfig` (or '
              '`oslo-config-generator --config-file %s`) and commit it'
              % GENERATOR_CONF)


def generate_sample(output_file):
    """What `oslo-config-generator --config-file GENERATOR_CONF` writes."""
    conf = cfg.ConfigOpts()
    generator.register_cli_opts(conf)
    conf(args=['--config-file', os.path.join(base.REPO_ROOT, GENERATOR_CONF),
               '--output-file', output_file],
         default_config_files=[], default_config_dirs=[], use_env=False)
    generator.generate(conf)


class SampleConfigTest(base.TestCase):

    def read(self, path):
        with open(path) as f:
            return f.read()

    def test_sample_config_is_up_to_date(self):
        committed_path = os.path.join(base.REPO_ROOT, SAMPLE)
        self.assertTrue(os.path.isfile(committed_path),
                        '%s is missing: %s' % (SAMPLE, HOW_TO_FIX))
        fresh_path = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'fresh.conf.sample')
        generate_sample(fresh_path)
        committed, fresh = self.read(committed_path), self.read(fresh_path)
        if committed != fresh:
            diff = ''.join(difflib.unified_diff(
                committed.splitlines(True), fresh.splitlines(True),
                'committed/' + SAMPLE, 'generated/' + SAMPLE))
            self.fail('%s is stale: %s\n%s' % (SAMPLE, HOW_TO_FIX, diff))

    def test_sample_documents_every_option_with_its_default(self):
        fresh_path = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'fresh.conf.sample')
        generate_sample(fresh_path)
        sample = self.read(fresh_path)
        self.assertIn('[mattach]', sample)
        for line in ('#servers_per_volume = 3',
                     '#concurrent_attach_servers = 3',
                     '#create_multiattach_type = false',
                     '#protects_nova_attachments = true',
                     '#volume_encryption = true',
                     '#guest_filesystem = ext4',
                     '#raw_region_kib = 64'):
            self.assertIn(line, sample.splitlines())
