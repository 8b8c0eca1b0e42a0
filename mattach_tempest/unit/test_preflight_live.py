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

"""The preflight's link to a live cloud, without a cloud.

mattach_tempest.cli.preflight.live: its error translation, its settings
and credentials from a tempest configuration.
"""

import os
import tempfile
from unittest import mock

import urllib3

from tempest import config
from tempest.lib import exceptions as lib_exc

from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import live
from mattach_tempest.cli.preflight import model
from mattach_tempest.unit import base


class TestLiveProbe(base.TestCase):

    def test_live_probe_answers_every_question(self):
        for question in model.LIVE_QUESTIONS:
            self.assertTrue(callable(getattr(live.LiveProbe, question, None)),
                            question)


class TestLiveTranslation(base.TestCase):
    """live.translated: tempest and urllib3 errors -> probe errors."""

    def raised(self, exc):
        try:
            with live.translated('volume types'):
                raise exc
        except model.ProbeError as probe_error:
            return probe_error
        self.fail('nothing raised')

    def test_forbidden_is_hidden(self):
        resp = mock.Mock(status=403)
        error = self.raised(lib_exc.Forbidden(
            {'forbidden': {'message': 'Policy does not allow it.',
                           'code': 403}}, resp=resp))
        self.assertIsInstance(error, model.Hidden)
        self.assertEqual('volume types: 403 Forbidden: Policy does not '
                         'allow it.', str(error))

    def test_not_found(self):
        error = self.raised(lib_exc.NotFound({'itemNotFound': {
            'message': 'Image x could not be found.'}},
            resp=mock.Mock(status=404)))
        self.assertIsInstance(error, model.NotFound)
        self.assertIn('404 NotFound: Image x could not be found.',
                      str(error))

    def test_no_endpoint(self):
        error = self.raised(lib_exc.EndpointNotFound('placement'))
        self.assertIsInstance(error, model.NoEndpoint)
        self.assertIn('no endpoint in the catalog', str(error))

    def test_connection_refused(self):
        reason = urllib3.exceptions.NewConnectionError(
            None, 'Failed to establish a new connection: [Errno 111] '
                  'Connection refused')
        error = self.raised(urllib3.exceptions.MaxRetryError(
            None, '/v3/types', reason))
        self.assertIsInstance(error, model.Unreachable)
        self.assertEqual('volume types: endpoint unreachable: connection '
                         'refused', str(error))

    def test_bare_status_body_is_not_repeated(self):
        error = self.raised(lib_exc.UnexpectedResponseCode(
            '503', resp=mock.Mock(status=503)))
        self.assertEqual('volume types: 503 UnexpectedResponseCode',
                         str(error))

    def test_server_fault(self):
        error = self.raised(lib_exc.ServerFault(
            {'computeFault': {'message': 'boom'}},
            resp=mock.Mock(status=500)))
        self.assertIsInstance(error, model.ApiError)
        self.assertIn('500 ServerFault: boom', str(error))


class TestLiveCredentials(base.ConfiguredTestCase):
    """Settings and credentials from a tempest configuration (no file)."""

    def accounts_file(self, text):
        fd, path = tempfile.mkstemp(suffix='.yaml')
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        self.addCleanup(os.unlink, path)
        return path

    def settings(self):
        return live.settings_from_conf(config.CONF, '/ws/etc/tempest.conf')

    def test_settings_from_tempest_defaults(self):
        settings = self.settings()
        self.assertFalse(settings.volume_multiattach)
        self.assertIsNone(settings.compute_max_microversion)
        self.assertTrue(settings.use_dynamic_credentials)
        self.assertFalse(settings.admin_configured)
        self.assertFalse(settings.create_multiattach_type)
        self.assertEqual([], settings.known_defects)

    def test_settings_known_defects(self):
        self.set_conf('mattach', known_defects=[
            'cinder-readonly-access-mode'])
        self.assertEqual(['cinder-readonly-access-mode'],
                         self.settings().known_defects)

    def test_admin_credentials_chosen(self):
        self.set_conf('auth', admin_username='admin', admin_password='pw',
                      admin_project_name='admin')
        kind, fields, who = live.choose_credentials(self.settings(),
                                                    config.CONF)
        self.assertEqual(('admin', None), (kind, fields))
        self.assertIn("admin 'admin' of project 'admin'", who)

    def test_first_account_is_the_primary(self):
        path = self.accounts_file(
            "- username: u1\n  project_name: p1\n  password: pw\n"
            "  resources: {network: private}\n"
            "- username: u2\n  tenant_name: p2\n  password: pw\n")
        self.set_conf('auth', use_dynamic_credentials=False,
                      test_accounts_file=path)
        settings = self.settings()
        self.assertEqual(2, len(settings.accounts))
        kind, fields, who = live.choose_credentials(settings, config.CONF)
        self.assertEqual('primary', kind)
        self.assertEqual({'username': 'u1', 'project_name': 'p1',
                          'password': 'pw'}, fields)

    def test_admin_account_preferred(self):
        path = self.accounts_file(
            "- {username: u1, project_name: p1, password: pw}\n"
            "- {username: boss, tenant_name: p0, password: pw, "
            "roles: [admin]}\n")
        self.set_conf('auth', use_dynamic_credentials=False,
                      test_accounts_file=path)
        kind, fields, _ = live.choose_credentials(self.settings(),
                                                  config.CONF)
        self.assertEqual('admin', kind)
        self.assertEqual('p0', fields['project_name'])

    def test_sample_accounts_file(self):
        accounts = live.load_accounts(os.path.join(
            base.REPO_ROOT, 'etc', 'accounts.yaml.sample'))
        self.assertGreaterEqual(len(accounts), 4)
        self.set_conf('auth', use_dynamic_credentials=False)
        settings = self.settings()
        settings.accounts = accounts
        self.assertEqual(accounts, settings.primary_accounts())

    def test_no_credentials_at_all(self):
        error = self.assertRaises(common.BadInput, live.choose_credentials,
                                  self.settings(), config.CONF)
        self.assertIn('no credentials in /ws/etc/tempest.conf', str(error))

    def test_bad_accounts_files(self):
        for text, message in (('- [unclosed', 'is not YAML'),
                              ('username: u1\n', 'not a list of accounts'),
                              ('- {password: pw}\n', 'with a username')):
            path = self.accounts_file(text)
            self.set_conf('auth', use_dynamic_credentials=False,
                          test_accounts_file=path)
            error = self.assertRaises(common.BadInput, self.settings)
            self.assertIn(message, str(error))
        self.set_conf('auth', test_accounts_file='/nonexistent.yaml')
        error = self.assertRaises(common.BadInput, self.settings)
        self.assertIn('cannot read accounts file /nonexistent.yaml',
                      str(error))

    def test_wrong_credentials(self):
        self.set_conf('identity', uri_v3='http://keystone/v3')
        with mock.patch('tempest.common.credentials_factory.get_credentials',
                        side_effect=lib_exc.Unauthorized()):
            error = self.assertRaises(common.BadInput, live.authenticate,
                                      config.CONF, 'primary',
                                      {'username': 'u1'})
        self.assertEqual("identity http://keystone/v3 refused the primary "
                         "credentials of user 'u1' (401): wrong username, "
                         "password, project or domain", str(error))

    def test_unreachable_identity(self):
        self.set_conf('identity', uri_v3='http://keystone/v3')
        refused = urllib3.exceptions.MaxRetryError(
            None, '/v3/auth/tokens', urllib3.exceptions.NewConnectionError(
                None, '[Errno 111] Connection refused'))
        with mock.patch('tempest.common.credentials_factory.'
                        'get_configured_admin_credentials',
                        side_effect=refused):
            error = self.assertRaises(common.BadInput, live.authenticate,
                                      config.CONF, 'admin', None)
        self.assertEqual('identity endpoint http://keystone/v3 unreachable: '
                         'connection refused', str(error))
