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

"""Base class and configuration fixture of the project's own tests.

These tests never talk to a cloud and never read a tempest.conf: the
machine running them may have an /etc/tempest/tempest.conf (a developer's,
or tools/minicloud's) whose values must not leak into a result.
"""

import os

import fixtures
from oslo_config import cfg
from oslo_config import fixture as cfg_fixture
from oslotest import base
from tempest import config

from mattach_tempest import plugin

# The repository checkout these tests run from (.stestr.conf: top_dir=./).
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


class TestCase(base.BaseTestCase):
    """oslotest's base: timeouts, output/log capture, a temporary HOME."""


class _ConfigView(object):
    """What tempest.config.CONF answers, built on a private ConfigOpts.

    ``CONF.<group>`` with dashes written as underscores (for example
    ``CONF.compute_feature_enabled``) like tempest's TempestConfigPrivate,
    and options of [DEFAULT] by name.
    """

    def __init__(self, conf):
        self._conf = conf

    def __getattr__(self, name):
        conf = self.__dict__['_conf']
        for group in (name, name.replace('_', '-')):
            if group in conf:
                return conf[group]
        return getattr(conf, name)


class TempestConfigFixture(fixtures.Fixture):
    """tempest.config.CONF backed by fresh options, no config file read.

    Registers tempest's options and every plugin's (config.list_opts(), the
    function the sample config generator uses) plus this plugin's through
    its own register_opts() on a new cfg.ConfigOpts, parses no file and no
    environment variable, and answers tempest.config.CONF from it for the
    duration of the test. ``set()`` overrides an option through
    oslo.config's own Config fixture, undone on cleanup.

    tempest's unit tests do this by patching config.TempestConfigPrivate
    with tempest.tests.fake_config.FakePrivate, but tempest.tests is not a
    stable interface. The one tempest internal used here is the lazy
    proxy's ``_config`` slot (TempestConfigProxy, unchanged since 2015):
    the fixture checks it exists and fails loudly if tempest changes it.
    """

    def _setUp(self):
        proxy_class = type(config.CONF)
        if not hasattr(proxy_class, '_config'):
            raise RuntimeError(
                'tempest.config.CONF (%s) no longer has the _config slot '
                'this fixture replaces: update '
                'mattach_tempest/unit/base.py' % proxy_class.__name__)
        conf = cfg.ConfigOpts()
        for group, opts in config.list_opts():
            if not isinstance(group, cfg.OptGroup):
                group = cfg.OptGroup(group)
            config.register_opt_group(conf, group, opts)
        plugin.MultiattachTempestPlugin().register_opts(conf)
        conf(args=[], project='tempest', default_config_files=[],
             default_config_dirs=[], use_env=False)
        self.conf = conf
        self._overrides = self.useFixture(cfg_fixture.Config(conf))
        self.useFixture(fixtures.MockPatchObject(
            config.CONF, '_config', _ConfigView(conf)))

    def set(self, group=None, **options):
        """Override options of one group for the rest of the test."""
        self._overrides.config(group=group, **options)


class ConfiguredTestCase(TestCase):
    """A test whose tempest.config.CONF is a TempestConfigFixture."""

    def setUp(self):
        super().setUp()
        self.conf_fixture = self.useFixture(TempestConfigFixture())
        self.conf = self.conf_fixture.conf

    def set_conf(self, group=None, **options):
        self.conf_fixture.set(group=group, **options)
