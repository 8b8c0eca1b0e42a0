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

"""`mattach scan-secrets`: no password or token in what a run wrote.

Searches files (directories recursively) for

- the known secrets: the values of tempest.conf's secret options (those
  tempest or a plugin registers with oslo.config's secret=True, and any
  option it does not register whose name holds 'password', 'secret' or
  'token'), the passwords of the accounts file [auth] test_accounts_file
  names, and each line of every --secret-file;
- what a secret looks like, value unknown: a keystone fernet token, an
  X-Auth-Token / X-Subject-Token / X-Service-Token header, a "...password":
  "<value>" pair, a "token": {"id": "<value>"} body, each unless its value
  is a mask (tempest's '<omitted>', oslo's '***', a '{SHA256}...' digest).

Every file is searched as bytes, so binary ones are too: a subunit v2
stream holds its attachments (tempest's pythonlogging, tracebacks) raw.
A finding names the file, the line (and byte offset), and the secret by
its option name; the value is never printed, only masked.

Known values shorter than MIN_LENGTH characters are not searched (they
would match everywhere: 'admin', 'secret', 'nova') and are listed as
ignored, as are empty ones.

Exit codes: 0 nothing found; 1 a secret found; 2 could not run (no such
path, an unreadable file, a tempest.conf or accounts file that does not
parse), one line on stderr.
"""

import collections
import json
import os
import re
import sys
import urllib.parse

from mattach_tempest.cli import common

PROG = 'mattach scan-secrets'
HELP = "search a run's files for passwords and tokens"
DESCRIPTION = ("Search the files a run wrote (logs, subunit streams, "
               "reports, preflight's --json) for the passwords of a "
               "tempest.conf and its accounts file, extra secrets, and "
               "anything shaped like a token or a password; print where, "
               "never the secret.")
MIN_LENGTH = 6
#: Names of options tempest does not register that still hold a secret.
SECRET_NAME = re.compile(r'password|secret|token', re.IGNORECASE)
#: What tempest, oslo and keystoneauth log in place of a secret.
MASK = re.compile(rb'^(\*+|<[A-Za-z ]*>|\{SHA\d+\}[0-9a-fA-F]*)$')

Secret = collections.namedtuple('Secret', 'value names')
Finding = collections.namedtuple('Finding', 'path line start end what shown')


class Pattern(collections.namedtuple('Pattern', 'what regex min_value')):
    """A secret's shape: its group 'value' is the secret."""


# Keystone's fernet tokens are urlsafe base64 of a fernet message, whose
# first bytes (version 0x80, then a timestamp's high zero bytes) encode
# as 'gAAAAA'; keystone strips the '=' padding (183 characters here).
FERNET = Pattern('a keystone fernet token', re.compile(
    rb'(?<![A-Za-z0-9_-])(?P<value>gAAAAA[A-Za-z0-9_-]{60,}={0,2})'), 0)
PATTERNS = (
    Pattern('an auth token header', re.compile(
        rb'(?i)(?P<key>x-(?:auth|subject|service)-token)[\'"]?\s*[:=]\s*'
        rb'[\'"]?(?P<value>[^\s\'",]+)'), 16),
    Pattern('a password in a body', re.compile(
        rb'(?i)(?P<key>[\'"][a-z_]*password[\'"])\s*:\s*'
        rb'[\'"](?P<value>[^\'"]*)[\'"]'), 1),
    Pattern('a token id in a body', re.compile(
        rb'(?i)(?P<key>[\'"]token[\'"]\s*:\s*\{\s*[\'"]id[\'"])\s*:\s*'
        rb'[\'"](?P<value>[^\'"]+)[\'"]'), 1),
    FERNET,
)


# -- the known secrets --------------------------------------------------------

def registered_secrecy():
    """{(section, option): secret?} of tempest's and its plugins' options."""
    from tempest import config
    secrecy = {}
    for group, opts in config.list_opts():
        section = getattr(group, 'name', group) or 'DEFAULT'
        for opt in opts:
            secrecy[(section, opt.name)] = bool(opt.secret)
    return secrecy


def load(path, what, read, damaged=()):
    """read(path); BadInput naming `what` if unreadable or `damaged`."""
    try:
        return read(path)
    except OSError as exc:
        raise common.BadInput('cannot read %s%s: %s' % (
            what, path, exc.strerror or exc))
    except damaged as exc:
        raise common.BadInput('%s%s does not parse: %s' % (
            what, path, common.first_line(exc)))


def parse_config(config_file):
    """{section: {option: [values]}}, read as oslo.config reads it."""
    from oslo_config import cfg
    sections = {}
    load(config_file, '',
         lambda path: cfg.ConfigParser(path, sections).parse(),
         cfg.ParseError)
    return sections


def config_secrets(sections, secrecy):
    """[(name, value)] of the secret options of a parsed tempest.conf.

    Tempest's registered options are secret exactly when registered so
    (its 'change_password' or 'user_minimum_password_age' are not); an
    option it does not know (a plugin not installed here, a stale name)
    is secret by its name.
    """
    found = []
    for section, options in sorted(sections.items()):
        for option, values in sorted(options.items()):
            known = secrecy.get((section, option))
            if known or (known is None and SECRET_NAME.search(option)):
                found.extend(('[%s] %s' % (section, option), value)
                             for value in values)
    return found


def accounts_file_of(sections, config_file):
    """The accounts file [auth] test_accounts_file names, or None.

    A relative path is tempest's: from the directory it runs in; failing
    that, from the tempest.conf's.
    """
    values = sections.get('auth', {}).get('test_accounts_file') or ['']
    path = values[-1].strip()
    if not path or os.path.isabs(path) or os.path.exists(path):
        return path or None
    return os.path.join(os.path.dirname(os.path.abspath(config_file)), path)


def accounts_secrets(path):
    """[(name, value)] of the passwords of a tempest accounts file."""
    import yaml

    def read(path):
        with open(path) as stream:
            return yaml.safe_load(stream) or []
    accounts = load(path, 'the accounts file ', read, yaml.YAMLError)
    if not isinstance(accounts, list):
        raise common.BadInput('the accounts file %s is not a list of '
                              'accounts' % path)
    return [('test_accounts_file #%d password (user %s)' % (
        number, account.get('username')), str(account.get('password') or ''))
        for number, account in enumerate(accounts, 1)
        if isinstance(account, dict) and 'password' in account]


def file_secrets(path):
    """[(name, value)] of a --secret-file: one secret per line."""
    def read(path):
        with open(path, encoding='utf-8', errors='surrogateescape') as stream:
            return stream.read().splitlines()
    lines = load(path, 'the secret file ', read)
    return [('%s line %d' % (path, number), line)
            for number, line in enumerate(lines, 1) if line.strip()]


def known_secrets(named_values):
    """([Secret], [(name, why ignored)]): the values long enough to search.

    One Secret per value, however many options hold it.
    """
    by_value = collections.OrderedDict()
    ignored = []
    for name, value in named_values:
        if not value:
            ignored.append((name, 'empty'))
        elif len(value) < MIN_LENGTH:
            ignored.append((name, 'shorter than %d characters' % MIN_LENGTH))
        elif name not in by_value.setdefault(value, []):
            by_value[value].append(name)
    return [Secret(v, tuple(n)) for v, n in by_value.items()], ignored


def spellings(value):
    """The bytes a secret may appear as: itself, JSON- and URL-escaped."""
    forms = [value, json.dumps(value)[1:-1], urllib.parse.quote(value, '')]
    out = []
    for form in forms:
        encoded = form.encode('utf-8', 'surrogateescape')
        if encoded not in out:
            out.append(encoded)
    return out


# -- the search ---------------------------------------------------------------

def masked(length):
    return '<masked: %d chars>' % length


def _overlaps(start, end, spans):
    return any(start < e and s < end for s, e in spans)


def search(data, secrets, path='-'):
    """[Finding] in `data` (bytes), in the order they occur.

    A known secret comes first; a shape matching where a known secret was
    found, or inside another shape's match, is not reported twice.
    """
    hits = []
    for secret in secrets:
        what = ' = '.join(secret.names)
        for form in spellings(secret.value):
            start = data.find(form)
            while start >= 0:
                hits.append((start, start + len(form), what,
                             masked(len(secret.value))))
                start = data.find(form, start + 1)
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(data):
            value = match.group('value')
            if len(value) < pattern.min_value or MASK.match(value):
                continue
            shown = masked(len(value))
            if 'key' in pattern.regex.groupindex:
                shown = '%s: %s' % (
                    match.group('key').decode('ascii', 'replace'), shown)
            elif pattern is FERNET:
                shown = 'gAAAAA' + masked(len(value) - 6)
            hits.append((match.start('value'), match.end('value'),
                         pattern.what, shown))
    kept = []
    for start, end, what, shown in hits:
        if not _overlaps(start, end, [(f.start, f.end) for f in kept]):
            kept.append(Finding(path, data.count(b'\n', 0, start) + 1,
                                start, end, what, shown))
    return sorted(kept, key=lambda f: f.start)


def files_under(paths):
    """Every regular file of `paths` (directories walked, sorted)."""
    for path in paths:
        if os.path.isdir(path):
            for top, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    full = os.path.join(top, name)
                    if os.path.isfile(full):
                        yield full
        elif os.path.exists(path):
            yield path
        else:
            raise common.BadInput('no such file or directory: %s' % path)


def read_bytes(path):
    def read(path):
        with open(path, 'rb') as stream:
            return stream.read()
    return load(path, '', read)


# -- command line -------------------------------------------------------------

def add_arguments(parser):
    parser.add_argument('paths', metavar='PATH', nargs='+',
                        help='a file, or a directory searched recursively '
                             '(binary files too, e.g. subunit streams)')
    parser.add_argument('--config-file', metavar='FILE', action='append',
                        default=[],
                        help='a tempest.conf: its secret options and its '
                             'accounts file\'s passwords are searched for '
                             '(repeatable)')
    parser.add_argument('--secret-file', metavar='FILE', action='append',
                        default=[],
                        help='more secrets, one per line (repeatable)')


def gather(args):
    """([Secret], ignored) of every --config-file and --secret-file."""
    named = []
    for config_file in args.config_file:
        sections = parse_config(config_file)
        named += config_secrets(sections, registered_secrecy())
        accounts = accounts_file_of(sections, config_file)
        if accounts:
            named += accounts_secrets(accounts)
    for path in args.secret_file:
        named += file_secrets(path)
    return known_secrets(named)


def render(finding):
    where = '%s:%d' % (finding.path, finding.line)
    return '%s: %s (byte %d): %s\n' % (where, finding.what, finding.start,
                                       finding.shown)


def run(args, stdout=None):
    stdout = stdout or sys.stdout
    secrets, ignored = gather(args)
    for name, why in ignored:
        stdout.write('ignored %s: %s\n' % (name, why))
    files = list(files_under(args.paths))
    findings = []
    for path in files:
        found = search(read_bytes(path), secrets, path)
        findings += found
        stdout.writelines(render(f) for f in found)
    stdout.write('%s: %d file(s) searched for %d known secret(s) and %d '
                 'shapes: %d found\n' % (
                     'FOUND' if findings else 'clean', len(files),
                     len(secrets), len(PATTERNS), len(findings)))
    return common.EXIT_FAILED if findings else common.EXIT_OK


def main(argv=None, **injected):
    return common.run_command(PROG, sys.modules[__name__], argv, **injected)


if __name__ == '__main__':
    sys.exit(main())
