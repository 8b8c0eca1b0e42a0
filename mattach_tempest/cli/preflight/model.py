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

"""The preflight's model: statuses, probe errors, results and settings.

Shared by the checks (checks.py), their rendering (render.py), the command
(command.py) and the link to a live cloud (live.py); it imports none of
them.
"""

import dataclasses

PASS = 'PASS'
FAIL = 'FAIL'
UNKNOWN = 'UNKNOWN'
WARN = 'WARN'

# The questions a probe answers (live.LiveProbe; the unit tests' fake).
LIVE_QUESTIONS = ('compute_versions', 'volume_versions', 'volume_types',
                  'volume_type', 'image', 'flavor', 'networks_named',
                  'pools', 'hypervisors', 'resource_providers',
                  'provider_traits')


# -- probe errors: raised by a probe, turned into a status by the runner ------

class ProbeError(Exception):
    """A question the cloud did not answer; str() is the one-line why."""


class Hidden(ProbeError):
    """The cloud refused to show it to these credentials (401/403)."""


class NotFound(ProbeError):
    """The resource does not exist, or is not visible to this user."""


class NoEndpoint(ProbeError):
    """The service is not in the catalog."""


class Unreachable(ProbeError):
    """The endpoint did not answer (refused, timed out, DNS ...)."""


class ApiError(ProbeError):
    """The endpoint answered with an error or an unreadable body."""


# -- results ------------------------------------------------------------------

@dataclasses.dataclass
class Fix:
    """One tempest.conf line that fixes a configuration problem."""
    section: str
    option: str
    value: str


@dataclasses.dataclass
class Outcome:
    """What a check function returns; the runner adds label and severity."""
    status: str
    reason: str
    fixes: list = dataclasses.field(default_factory=list)
    hard: bool = None   # None: the check's own severity


@dataclasses.dataclass
class Result:
    check: str
    status: str
    hard: bool
    reason: str
    fixes: list = dataclasses.field(default_factory=list)

    def as_dict(self):
        return {'check': self.check, 'status': self.status,
                'requirement': 'hard' if self.hard else 'soft',
                'reason': self.reason,
                'fix': ['[%s] %s = %s' % (f.section, f.option, f.value)
                        for f in self.fixes]}


@dataclasses.dataclass
class Settings:
    """The values of tempest.conf the checks look at (see live.settings)."""
    config_file: str = ''
    cinder_available: bool = True
    volume_multiattach: bool = False
    compute_max_microversion: str = None
    volume_max_microversion: str = None
    volume_type_multiattach: str = None
    volume_type: str = None
    create_multiattach_type: bool = False
    admin_configured: bool = False
    use_dynamic_credentials: bool = True
    accounts_file: str = None
    accounts: list = dataclasses.field(default_factory=list)
    admin_role: str = 'admin'
    image_ref: str = None
    flavor_ref: str = None
    flavor_ref_alt: str = None
    resize: bool = False
    fixed_network_name: str = None
    run_validation: bool = False
    network_for_ssh: str = None
    extend_attached_volume: bool = False
    known_defects: list = dataclasses.field(default_factory=list)

    def account_is_admin(self, account):
        return (self.admin_role in (account.get('roles') or []) or
                'admin' in (account.get('types') or []))

    def primary_accounts(self):
        return [a for a in self.accounts if not self.account_is_admin(a)]
