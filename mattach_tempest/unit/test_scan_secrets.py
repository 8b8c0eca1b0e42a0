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

"""`mattach scan-secrets`: a run's files searched for passwords, tokens."""

import io
import os

import fixtures

from mattach_tempest.cli import secrets as command
from mattach_tempest.unit import base

ADMIN_PASSWORD = 'adm1n-Pa55word'
SSH_PASSWORD = 'guest-ssh-secret'
PLUGIN_SECRET = 'other-plugin-secret'
ACCOUNT_PASSWORD = 'acc0unt-pa55'
SERVICE_PASSWORD = 'service-pa55'
QUOTED_PASSWORD = 'a"quoted\\one'
TOKEN = 'gAAAAABpLVz' + 'x4Qk_-' * 30 + 'Yw'
UUID_TOKEN = '4f6c2ef1b3a24f8d9a0e1c2b3d4e5f60'
ALL_SECRETS = (ADMIN_PASSWORD, SSH_PASSWORD, PLUGIN_SECRET, ACCOUNT_PASSWORD,
               SERVICE_PASSWORD, QUOTED_PASSWORD, TOKEN, UUID_TOKEN,
               'nova-db-pw', 'dyn-user-pw', 'guestRootPw1')

TEMPEST_CONF = """[auth]
admin_username = admin
admin_password = %(admin)s
test_accounts_file = accounts.yaml

[validation]
image_ssh_password = %(ssh)s
image_alt_ssh_password =

[identity]
# registered, and no secret, whatever its name says
user_unique_last_password_count = 123456

[other-plugin]
api_secret = %(plugin)s
api_key = not-searched-for

[compute]
image_ref = 11111111-2222-3333-4444-555555555555
""" % {'admin': ADMIN_PASSWORD, 'ssh': SSH_PASSWORD, 'plugin': PLUGIN_SECRET}

ACCOUNTS = """- username: primary
  project_name: mattach-1
  password: %s
- username: alt
  project_name: mattach-2
  password: abc
""" % ACCOUNT_PASSWORD

# Lines as tempest's rest_client logs them, secrets masked its way.
MASKED_LOG = (
    "2026-12-01 02:00:00.000 1 DEBUG tempest.lib.common.rest_client "
    "[req-1] Request - Headers: {'Content-Type': 'application/json', "
    "'X-Auth-Token': '<omitted>'}\n"
    "        Body: <omitted>\n"
    "    Response - Headers: {'status': '201', 'x-subject-token': "
    "'<omitted>'}\n"
    '        Body: {"user": {"name": "u", "password": "***"}}\n'
    "X-Auth-Token: {SHA256}0a1b2c3d4e5f\n"
    '"token": {"id": "***"}\n'
    "user_unique_last_password_count 123456 image_ref "
    "11111111-2222-3333-4444-555555555555\n")


class ScanSecretsTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.conf = self.write('etc/tempest.conf', TEMPEST_CONF)
        self.write('etc/accounts.yaml', ACCOUNTS)
        self.secret_file = self.write(
            'secrets.txt', '%s\n\n%s\nshort\n' % (SERVICE_PASSWORD,
                                                  QUOTED_PASSWORD))
        self.write('run/logs/tempest.log', MASKED_LOG)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as stream:
            stream.write(text if isinstance(text, bytes) else text.encode())
        return path

    def scan(self, *paths, **options):
        argv = ['--config-file', self.conf, '--secret-file', self.secret_file]
        argv += options.get('argv', [])
        argv += [os.path.join(self.dir, p) for p in paths or ('run',)]
        stdout, stderr = io.StringIO(), io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        code = command.main(argv, stdout=stdout)
        out = stdout.getvalue() + stderr.getvalue()
        for secret in ALL_SECRETS:
            self.assertNotIn(secret, out)
        return code, out

    def findings(self, out):
        return [line for line in out.splitlines()
                if line.startswith(self.dir)]

    def test_masked_artefacts_are_clean(self):
        code, out = self.scan()
        self.assertEqual(0, code, out)
        self.assertEqual([], self.findings(out))
        self.assertIn('clean: 1 file(s) searched for 6 known secret(s)', out)

    def test_empty_and_short_values_are_ignored_and_said(self):
        self.write('run/short.log', 'abc and short in the log\n')
        code, out = self.scan()
        self.assertEqual(0, code, out)
        self.assertIn('ignored [validation] image_alt_ssh_password: empty',
                      out)
        self.assertIn('ignored test_accounts_file #2 password (user alt): '
                      'shorter than 6 characters', out)
        self.assertIn('secrets.txt line 4: shorter than 6', out)

    def test_known_secrets_named_by_their_option(self):
        self.write('run/logs/tempest.log', MASKED_LOG + (
            'admin login with %s\n'
            'ssh guest %s\n'
            'plugin %s\n'
            'account %s\n'
            'mysql+pymysql://cinder:%s@127.0.0.1/cinder\n'
            '{"auth": {"passwd": "%s"}}\n' % (
                ADMIN_PASSWORD, SSH_PASSWORD, PLUGIN_SECRET,
                ACCOUNT_PASSWORD, SERVICE_PASSWORD,
                QUOTED_PASSWORD.replace('\\', '\\\\').replace('"', '\\"'))))
        code, out = self.scan()
        self.assertEqual(1, code, out)
        log = os.path.join(self.dir, 'run/logs/tempest.log')
        found = self.findings(out)
        self.assertEqual(6, len(found), out)
        self.assertTrue(found[0].startswith(
            log + ':8: [auth] admin_password (byte '), found[0])
        self.assertTrue(found[0].endswith(': <masked: 14 chars>'), found[0])
        for line, name in zip(found[1:], (
                '[validation] image_ssh_password',
                '[other-plugin] api_secret',
                'test_accounts_file #1 password (user primary)',
                'secrets.txt line 1',
                'secrets.txt line 3')):
            self.assertIn(name, line)
        self.assertIn('FOUND: 1 file(s)', out)
        self.assertIn(': 6 found', out)

    def test_a_value_under_two_names_is_one_finding(self):
        self.write('etc/accounts.yaml', '- username: admin\n'
                   '  password: %s\n' % ADMIN_PASSWORD)
        self.write('run/x.log', 'x %s\n' % ADMIN_PASSWORD)
        code, out = self.scan()
        self.assertEqual(1, code)
        found, = self.findings(out)
        self.assertIn('[auth] admin_password = test_accounts_file #1 '
                      'password (user admin)', found)

    def test_shapes_without_a_known_value(self):
        self.write('run/unknown.log', (
            "Request - Headers: {'X-Auth-Token': '%s'}\n"
            "curl -H 'X-Subject-Token: %s'\n"
            '{"user": {"name": "dyn", "password": "dyn-user-pw"}}\n'
            "{'new_password': 'nova-db-pw'}\n"
            '{"access": {"token": {"id": "%s", "expires": "x"}}}\n'
            'token %s alone\n') % (TOKEN, UUID_TOKEN, UUID_TOKEN, TOKEN))
        code, out = self.scan()
        self.assertEqual(1, code, out)
        found = self.findings(out)
        self.assertEqual([
            '1: an auth token header (byte 37): X-Auth-Token: '
            '<masked: 193 chars>',
            '2: an auth token header (byte 259): X-Subject-Token: '
            '<masked: 32 chars>',
            '3: a password in a body (byte 331): "password": '
            '<masked: 11 chars>',
            "4: a password in a body (byte 364): 'new_password': "
            "<masked: 10 chars>",
            '5: a token id in a body (byte 406): "token": {"id": '
            '<masked: 32 chars>',
            '6: a keystone fernet token (byte 465): '
            'gAAAAA<masked: 187 chars>'],
            [line.split('unknown.log:', 1)[1] for line in found])

    def test_a_binary_stream_is_searched_as_bytes(self):
        # A subunit v2 packet: signature, flags, length, then the raw
        # bytes of an attachment such as tempest's pythonlogging.
        packet = (b'\xb3\x29\x01\x00\x80\x9c\x00\xff\xfe' +
                  b'pythonlogging:\x00\x01\x02' +
                  ('admin password %s in a log\n' % ADMIN_PASSWORD).encode() +
                  b'\x00\xc3\x28\xa0\xa1' + TOKEN.encode() + b'\x00\x00')
        self.write('run/results/run.subunit', packet)
        code, out = self.scan()
        self.assertEqual(1, code, out)
        admin, token = self.findings(out)
        self.assertIn('run.subunit:1: [auth] admin_password (byte 41)', admin)
        self.assertIn('run.subunit:2: a keystone fernet token', token)

    def test_the_accounts_file_relative_to_the_working_directory(self):
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(self.dir)
        self.write('accounts.yaml', '- username: x\n'
                   '  password: from-the-cwd\n')
        self.write('run/x.log', 'from-the-cwd\n')
        code, out = self.scan()
        self.assertEqual(1, code, out)
        self.assertIn('test_accounts_file #1 password (user x)', out)

    def test_without_a_config_the_secret_files_and_shapes(self):
        self.write('run/x.log', 'x %s %s\n' % (ADMIN_PASSWORD,
                                               SERVICE_PASSWORD))
        stdout = io.StringIO()
        code = command.main(['--secret-file', self.secret_file,
                             os.path.join(self.dir, 'run')], stdout=stdout)
        self.assertEqual(1, code)
        self.assertEqual(1, stdout.getvalue().count('secrets.txt line 1'))
        self.assertNotIn('admin_password', stdout.getvalue())

    def test_two_configs_and_their_accounts_files(self):
        self.write('etc/tempest-accounts.conf',
                   '[auth]\ntest_accounts_file = more-accounts.yaml\n')
        self.write('etc/more-accounts.yaml', '- username: y\n'
                   '  password: dyn-user-pw\n')
        self.write('run/x.log', 'dyn-user-pw %s\n' % ACCOUNT_PASSWORD)
        more = os.path.join(self.dir, 'etc/tempest-accounts.conf')
        code, out = self.scan(argv=['--config-file', more])
        self.assertEqual(1, code, out)
        self.assertEqual(2, len(self.findings(out)), out)
        self.assertIn('test_accounts_file #1 password (user primary)', out)
        self.assertIn('test_accounts_file #1 password (user y)', out)

    def test_bad_input_is_rc_2(self):
        code, out = self.scan('no-such-dir')
        self.assertEqual(2, code)
        self.assertIn('mattach scan-secrets: error: no such file or '
                      'directory: ', out)
        self.write('etc/accounts.yaml', '- username: [\n')
        code, out = self.scan()
        self.assertEqual(2, code)
        self.assertIn('the accounts file', out)
        self.assertIn('does not parse', out)
        self.write('etc/tempest.conf', 'no section = here\n')
        code, out = self.scan()
        self.assertEqual((2, 1), (code, out.count('\n')), out)
        self.assertIn('does not parse', out)


class SecretOptionsTest(base.TestCase):

    def test_tempest_registers_its_passwords_secret(self):
        secrecy = command.registered_secrecy()
        self.assertTrue(secrecy[('auth', 'admin_password')])
        self.assertTrue(secrecy[('validation', 'image_ssh_password')])
        self.assertFalse(secrecy[('identity',
                                  'user_unique_last_password_count')])

    def test_unregistered_options_are_secret_by_name(self):
        sections = {'auth': {'admin_password': ['a']},
                    'compute-feature-enabled': {'change_password': ['b']},
                    'x': {'db_password': ['c'], 'app_secret': ['d'],
                          'auth_token': ['e'], 'ssh_key_type': ['f']}}
        secrecy = {('auth', 'admin_password'): True,
                   ('compute-feature-enabled', 'change_password'): False}
        self.assertEqual(
            [('[auth] admin_password', 'a'), ('[x] app_secret', 'd'),
             ('[x] auth_token', 'e'), ('[x] db_password', 'c')],
            command.config_secrets(sections, secrecy))

    def test_spellings_of_a_value(self):
        self.assertEqual([b'pa"ss/w', b'pa\\"ss/w', b'pa%22ss%2Fw'],
                         command.spellings('pa"ss/w'))
        self.assertEqual([b'plain-value'], command.spellings('plain-value'))
