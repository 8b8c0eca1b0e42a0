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

"""The preflight's checks: what the suite needs of a cloud and its conf.

Each check asks the cloud through a *probe* (live.LiveProbe, or the unit
tests' fake with canned API answers) and returns an Outcome: PASS, FAIL,
UNKNOWN (not visible with these credentials) or WARN (the run is valid but
reports less than a certification run would), with a one-line reason and
the tempest.conf lines that fix a configuration problem. A FAIL of a
*hard* requirement means the suite cannot pass (or skips everything).
"""

import collections

from tempest.lib.common import api_version_request

from mattach_tempest.cli.preflight.model import ApiError
from mattach_tempest.cli.preflight.model import FAIL
from mattach_tempest.cli.preflight.model import Fix
from mattach_tempest.cli.preflight.model import Hidden
from mattach_tempest.cli.preflight.model import NoEndpoint
from mattach_tempest.cli.preflight.model import NotFound
from mattach_tempest.cli.preflight.model import Outcome
from mattach_tempest.cli.preflight.model import PASS
from mattach_tempest.cli.preflight.model import ProbeError
from mattach_tempest.cli.preflight.model import Result
from mattach_tempest.cli.preflight.model import UNKNOWN
from mattach_tempest.cli.preflight.model import WARN

# What the suite needs from the cloud (behaviour specification, rules 1,
# 4, 7 and 10; doc/source/behaviour.rst).
COMPUTE_MULTIATTACH = '2.60'
COMPUTE_SOFT = (
    ('2.89', "nova's attachment_id: nova/cinder attachment ids compared"),
)
VOLUME_HARD = (
    ('3.27', 'attachments API (create, list, show, delete)'),
    ('3.44', 'attachment complete: how nova attaches volumes'),
)
VOLUME_SOFT = (
    ('3.42', 'extend of an in-use volume'),
    ('3.48', 'shared_targets in the volume view'),
    ('3.54', 'attachment mode rw/ro'),
    ('3.66', 'snapshot of an in-use volume without force'),
)
MULTIATTACH_SPEC = '<is> True'
MULTIATTACH_TRAIT = 'COMPUTE_VOLUME_MULTI_ATTACH'
# Wallaby (nova 23) introduced compute 2.88 and requires libvirt >= 6.0.0.
COMPUTE_WALLABY = '2.88'
# Multi-attach's documented hypervisor rule: libvirt >= 3.10, or qemu < 2.10.
QEMU_WITHOUT_LIBVIRT_CHECK = (2, 10, 0)
# Drivers nova reports supports_multiattach=False for (behaviour
# specification, rule 12).
NO_MULTIATTACH_DRIVERS = ('ironic', 'vmware vcenter server', 'zvm',
                          'powervm', 'hyperv')


class Context:
    """What every check sees: the settings, the probe, memoized answers."""

    def __init__(self, settings, probe, is_admin):
        self.settings = settings
        self.probe = probe
        self.is_admin = is_admin
        self._memo = {}

    def ask(self, question, *args):
        """probe.<question>(*args), asked once; errors are remembered too."""
        key = (question,) + args
        if key not in self._memo:
            try:
                self._memo[key] = (True, getattr(self.probe, question)(*args))
            except ProbeError as exc:
                self._memo[key] = (False, exc)
        ok, value = self._memo[key]
        if not ok:
            raise value
        return value

    def compute_max(self):
        """The compute API's max microversion (APIVersionRequest)."""
        return _max_version(self.ask('compute_versions'), 'v2.1', 'compute')

    def volume_max(self):
        """The volume v3 API's max microversion (APIVersionRequest)."""
        return _max_version(self.ask('volume_versions'), 'v3.0', 'volume')

    def known(self, getter):
        """getter() or None when the cloud did not tell us."""
        try:
            return getter()
        except ProbeError:
            return None


def mv(text):
    """'2.60' -> APIVersionRequest; None, '' and '0.0' -> the null version."""
    return api_version_request.APIVersionRequest(text or None)


def _max_version(versions, version_id, service):
    for version in versions:
        if version.get('id') == version_id:
            if not version.get('version'):
                raise ApiError('%s %s advertises no microversions'
                               % (service, version_id))
            return mv(version['version'])
    raise ApiError('%s API has no %s version (versions: %s)' % (
        service, version_id,
        ', '.join(sorted(v.get('id', '?') for v in versions)) or 'none'))


# -- the checks ---------------------------------------------------------------

Check = collections.namedtuple('Check', 'label hard func')
CHECKS = []


def check(label, hard=True):
    def register(func):
        CHECKS.append(Check(label, hard, func))
        return func
    return register


def _microversions_outcome(have, needed, consequence=''):
    """PASS when `have` reaches every (version, why) of `needed`."""
    missing = [(v, why) for v, why in needed if mv(v) > have]
    if not missing:
        return Outcome(PASS, 'has %s' % ', '.join(v for v, _ in needed))
    return Outcome(FAIL, 'max %s lacks %s%s' % (
        have.get_string(), '; '.join('%s (%s)' % m for m in missing),
        consequence))


@check('compute API microversion >= 2.60')
def check_compute_api(ctx):
    have = ctx.compute_max()
    if have >= mv(COMPUTE_MULTIATTACH):
        return Outcome(PASS, 'max %s' % have.get_string())
    return Outcome(FAIL, 'max %s: multiattach volumes need 2.60 (nova >= '
                         'Queens)' % have.get_string())


@check('compute microversions used by some tests', hard=False)
def check_compute_soft(ctx):
    return _microversions_outcome(ctx.compute_max(), COMPUTE_SOFT,
                                  ': those tests skip')


@check('volume API v3')
def check_volume_api(ctx):
    return Outcome(PASS, 'v3.0 up to %s' % ctx.volume_max().get_string())


@check('volume microversions needed')
def check_volume_hard(ctx):
    return _microversions_outcome(ctx.volume_max(), VOLUME_HARD)


@check('volume microversions used by some tests', hard=False)
def check_volume_soft(ctx):
    return _microversions_outcome(ctx.volume_max(), VOLUME_SOFT,
                                  ': those tests skip')


def _find_type(types, name):
    for volume_type in types:
        if name in (volume_type.get('name'), volume_type.get('id')):
            return volume_type
    return None


def _type_specs(ctx, volume_type):
    """The type's extra specs as these credentials see them, or None."""
    if 'extra_specs' in volume_type:
        return volume_type['extra_specs'] or {}
    shown = ctx.ask('volume_type', volume_type['id'])
    if 'extra_specs' in shown:
        return shown['extra_specs'] or {}
    return None


def _multiattach_type_names(ctx, types):
    names = []
    for volume_type in types:
        try:
            specs = _type_specs(ctx, volume_type)
        except ProbeError:
            continue
        if specs and specs.get('multiattach') == MULTIATTACH_SPEC:
            names.append(volume_type['name'])
    return names


@check('multiattach volume type')
def check_multiattach_type(ctx):
    s = ctx.settings
    name = s.volume_type_multiattach
    types = ctx.ask('volume_types')
    candidates = _multiattach_type_names(ctx, types)
    fixes = [Fix('volume', 'volume_type_multiattach', candidates[0])
             ] if candidates else []
    if not name:
        if s.create_multiattach_type and s.admin_configured:
            return Outcome(PASS, 'not set: admin tests create their own '
                                 '([mattach] create_multiattach_type); '
                                 'non-admin tests skip', hard=False)
        return Outcome(FAIL, '[volume] volume_type_multiattach is not set: '
                             'every test skips', fixes)
    volume_type = _find_type(types, name)
    if volume_type is None:
        return Outcome(FAIL, "volume type '%s' does not exist or is not "
                             "visible to this user%s" % (
                                 name, _candidates_note(candidates)), fixes)
    specs = _type_specs(ctx, volume_type)
    value = (specs or {}).get('multiattach')
    if value == MULTIATTACH_SPEC:
        return Outcome(PASS, "'%s' has multiattach=\"%s\"" % (
            name, MULTIATTACH_SPEC))
    if value is not None:
        return Outcome(FAIL, "'%s' has multiattach=\"%s\", not exactly \"%s\""
                             ": cinder does not make its volumes multiattach"
                       % (name, value, MULTIATTACH_SPEC), fixes)
    if not ctx.is_admin:
        return Outcome(UNKNOWN, "'%s' exists; its extra specs are not "
                                "visible to this non-admin user" % name)
    return Outcome(FAIL, "'%s' has no multiattach extra spec (needs "
                         "multiattach=\"%s\")%s" % (
                             name, MULTIATTACH_SPEC,
                             _candidates_note(candidates)), fixes)


def _candidates_note(candidates):
    if not candidates:
        return ''
    return '; multiattach types here: %s' % ', '.join(candidates)


@check('plain volume type (retype tests)', hard=False)
def check_plain_type(ctx):
    name = ctx.settings.volume_type
    if not name:
        return Outcome(PASS, "[volume] volume_type not set: tests use the "
                             "cloud's default volume type")
    volume_type = _find_type(ctx.ask('volume_types'), name)
    if volume_type is None:
        return Outcome(FAIL, "volume type '%s' does not exist or is not "
                             "visible to this user" % name)
    specs = _type_specs(ctx, volume_type) or {}
    if specs.get('multiattach') == MULTIATTACH_SPEC:
        return Outcome(FAIL, "'%s' is a multiattach type: retype tests need "
                             "a plain one" % name)
    return Outcome(PASS, "'%s' exists and is not multiattach" % name)


ANY_IMAGE = '<id of an active image>'


@check('image [compute] image_ref')
def check_image(ctx):
    ref = ctx.settings.image_ref
    if not ref:
        return Outcome(FAIL, '[compute] image_ref is not set',
                       [Fix('compute', 'image_ref', ANY_IMAGE)])
    try:
        image = ctx.ask('image', ref)
    except NotFound:
        return Outcome(FAIL, 'image %s does not exist or is not visible to '
                             'this user' % ref,
                       [Fix('compute', 'image_ref', ANY_IMAGE)])
    if image.get('status') != 'active':
        return Outcome(FAIL, "image %s '%s' is %s, not active" % (
            ref, image.get('name'), image.get('status')))
    return Outcome(PASS, "%s '%s' active" % (ref, image.get('name')))


def _check_flavor(ctx, option, ref):
    if not ref:
        return Outcome(FAIL, '[compute] %s is not set' % option,
                       [Fix('compute', option, '<flavor id>')])
    try:
        flavor = ctx.ask('flavor', ref)
    except NotFound:
        return Outcome(FAIL, 'flavor %s does not exist or is not visible to '
                             'this user' % ref,
                       [Fix('compute', option, '<flavor id>')])
    return Outcome(PASS, "%s '%s' (%s MB, %s vCPU, %s GB disk)" % (
        ref, flavor.get('name'), flavor.get('ram'), flavor.get('vcpus'),
        flavor.get('disk')))


@check('flavor [compute] flavor_ref')
def check_flavor(ctx):
    return _check_flavor(ctx, 'flavor_ref', ctx.settings.flavor_ref)


@check('flavor [compute] flavor_ref_alt (resize)', hard=False)
def check_flavor_alt(ctx):
    if not ctx.settings.resize:
        return Outcome(PASS, '[compute-feature-enabled] resize is False: '
                             'resize tests skip')
    return _check_flavor(ctx, 'flavor_ref_alt', ctx.settings.flavor_ref_alt)


@check('networks the servers use')
def check_networks(ctx):
    s = ctx.settings
    wanted = []   # (name, where it is configured, hard)
    if s.fixed_network_name:
        wanted.append((s.fixed_network_name, '[compute] fixed_network_name',
                       True))
    if s.run_validation and s.network_for_ssh:
        wanted.append((s.network_for_ssh, '[validation] network_for_ssh',
                       True))
    for account in s.accounts:
        network = (account.get('resources') or {}).get('network')
        if network:
            wanted.append((network, 'accounts file (%s)'
                           % account.get('username'), False))
    if not wanted:
        return Outcome(PASS, 'none configured: servers get the network '
                             'tempest picks (isolated, or none)')
    missing = []
    seen = set()
    for name, where, hard in wanted:
        if name in seen:
            continue
        seen.add(name)
        if not ctx.ask('networks_named', name):
            missing.append((name, where, hard))
    if not missing:
        return Outcome(PASS, 'found %s' % ', '.join(sorted(seen)))
    return Outcome(FAIL, 'not found or not visible: %s' % '; '.join(
        "'%s' (%s)" % (name, where) for name, where, _ in missing),
        hard=any(hard for _, _, hard in missing))


@check('cinder backend pool reports multiattach')
def check_pools(ctx):
    pools = ctx.ask('pools')
    if not pools:
        return Outcome(FAIL, 'the scheduler reports no backend pool')
    capable = [p['name'] for p in pools
               if (p.get('capabilities') or {}).get('multiattach') is True]
    if not capable:
        return Outcome(FAIL, 'none of %d pool(s) reports multiattach: '
                             'multiattach volumes go to error' % len(pools))
    return Outcome(PASS, '%d of %d pool(s): %s' % (
        len(capable), len(pools), ', '.join(capable)))


def _active_hypervisors(hypervisors):
    active = [h for h in hypervisors
              if h.get('state', 'up') == 'up' and
              h.get('status', 'enabled') == 'enabled']
    return active or hypervisors


@check('compute hosts carry trait %s' % MULTIATTACH_TRAIT)
def check_traits(ctx):
    hypervisors = _active_hypervisors(ctx.ask('hypervisors'))
    if not hypervisors:
        return Outcome(FAIL, 'nova reports no hypervisor')
    providers = {rp['name']: rp['uuid']
                 for rp in ctx.ask('resource_providers')}
    with_trait, without = [], []
    for hypervisor in hypervisors:
        name = hypervisor.get('hypervisor_hostname')
        uuid = providers.get(name)
        if uuid is None:
            without.append('%s (no resource provider)' % name)
        elif MULTIATTACH_TRAIT in ctx.ask('provider_traits', uuid):
            with_trait.append(name)
        else:
            without.append(name)
    if not without:
        return Outcome(PASS, 'all %d host(s): %s' % (
            len(with_trait), ', '.join(with_trait)))
    if not with_trait:
        return Outcome(FAIL, 'no host has it (%s): attaches to a second '
                             'server are refused' % ', '.join(without))
    return Outcome(FAIL, '%d of %d host(s) lack it (%s): servers landing '
                         'there cannot share volumes' % (
                             len(without), len(hypervisors),
                             ', '.join(without)), hard=False)


def decode_hypervisor_version(number):
    """nova's convert_version_to_int() inverted: 7002000 -> (7, 2, 0)."""
    number = int(number)
    return (number // 1000000, number // 1000 % 1000, number % 1000)


def hypervisor_verdict(hypervisor_type, version, compute_max):
    """(status, text) for one hypervisor against the documented rule."""
    kind = (hypervisor_type or '').lower()
    if kind in ('qemu', 'kvm'):
        if version in (None, ''):
            return UNKNOWN, '%s (version not shown)' % hypervisor_type
        qemu = decode_hypervisor_version(version)
        text = '%s %s' % (hypervisor_type, '.'.join(map(str, qemu)))
        if qemu < QEMU_WITHOUT_LIBVIRT_CHECK:
            return PASS, text + ' < 2.10'
        if compute_max is not None and compute_max >= mv(COMPUTE_WALLABY):
            return PASS, text + ', libvirt >= 6.0 (nova >= Wallaby)'
        return UNKNOWN, text + ': needs libvirt >= 3.10 (not shown by the API)'
    if kind == 'fake':
        return PASS, 'fake driver'
    if kind in NO_MULTIATTACH_DRIVERS:
        return FAIL, '%s: driver does not support multiattach' % (
            hypervisor_type)
    return UNKNOWN, '%s: see nova\'s support matrix' % hypervisor_type


@check('hypervisor type/version (libvirt >= 3.10 or qemu < 2.10)')
def check_hypervisors(ctx):
    hypervisors = _active_hypervisors(ctx.ask('hypervisors'))
    if not hypervisors:
        return Outcome(FAIL, 'nova reports no hypervisor')
    compute_max = ctx.known(ctx.compute_max)
    verdicts = collections.defaultdict(list)
    for hypervisor in hypervisors:
        status, text = hypervisor_verdict(
            hypervisor.get('hypervisor_type'),
            hypervisor.get('hypervisor_version'), compute_max)
        verdicts[status].append('%s: %s' % (
            hypervisor.get('hypervisor_hostname'), text))
    summary = '; '.join(verdicts[PASS] + verdicts[FAIL] + verdicts[UNKNOWN])
    if verdicts[PASS]:
        return Outcome(PASS, summary)
    if verdicts[FAIL] and not verdicts[UNKNOWN]:
        return Outcome(FAIL, summary)
    return Outcome(UNKNOWN, summary)


# -- configuration checks -----------------------------------------------------

@check('[service_available] cinder')
def check_cinder_flag(ctx):
    if ctx.settings.cinder_available:
        return Outcome(PASS, 'True')
    return Outcome(FAIL, 'False: every test skips',
                   [Fix('service_available', 'cinder', 'True')])


@check('credentials for the run')
def check_credentials(ctx):
    s = ctx.settings
    if s.use_dynamic_credentials:
        if s.admin_configured:
            return Outcome(PASS, 'dynamic credentials with [auth] admin_*')
        return Outcome(FAIL, 'use_dynamic_credentials = True needs [auth] '
                             'admin_*; without admin use pre-provisioned '
                             'accounts',
                       [Fix('auth', 'use_dynamic_credentials', 'False'),
                        Fix('auth', 'test_accounts_file',
                            '<path to accounts.yaml>')])
    primaries = s.primary_accounts()
    if not primaries:
        return Outcome(FAIL, 'pre-provisioned credentials but no non-admin '
                             'account in %s' % (s.accounts_file or
                                                '[auth] test_accounts_file'))
    return Outcome(PASS, '%d non-admin account(s) in %s (tempest wants 2 '
                         'per concurrent worker)' % (
                             len(primaries), s.accounts_file))


@check('[compute-feature-enabled] volume_multiattach')
def check_multiattach_flag(ctx):
    compute_max = ctx.known(ctx.compute_max)
    cloud_can = compute_max is not None and compute_max >= mv(
        COMPUTE_MULTIATTACH)
    if ctx.settings.volume_multiattach:
        if compute_max is not None and not cloud_can:
            return Outcome(FAIL, 'True, but the compute API stops at %s: '
                                 'tests fail instead of skipping'
                           % compute_max.get_string())
        return Outcome(PASS, 'True')
    fixes = [Fix('compute-feature-enabled', 'volume_multiattach', 'True')
             ] if cloud_can else []
    return Outcome(FAIL, 'False: every test of the suite skips', fixes)


def _max_microversion_fix(section, cloud_max):
    return [Fix(section, 'max_microversion',
                cloud_max.get_string() if cloud_max else 'latest')]


def _check_max_microversion(section, conf, cloud_max, floor, skipped):
    """[section] max_microversion against the suite's floor and the cloud.

    tempest skips a class whose minimum microversion is above the
    configured maximum (unset = 0.0), and sends a test's own minimum.
    """
    fix = _max_microversion_fix(section, cloud_max)
    if not conf or mv(conf) < mv(floor):
        return Outcome(FAIL, '%s: tempest treats it as the upper bound and '
                             '%s' % (conf or 'unset (= 0.0)', skipped), fix)
    if conf == 'latest':
        return Outcome(PASS, 'latest: each test requests its own '
                             'microversion')
    if cloud_max is not None and mv(conf) > cloud_max:
        return Outcome(FAIL, '%s is above the cloud\'s %s: tests needing more '
                             'fail instead of skipping' % (
                                 conf, cloud_max.get_string()),
                       fix, hard=False)
    return Outcome(PASS, conf)


@check('[compute] max_microversion')
def check_compute_max_flag(ctx):
    return _check_max_microversion(
        'compute', ctx.settings.compute_max_microversion,
        ctx.known(ctx.compute_max), COMPUTE_MULTIATTACH,
        'every 2.60 test skips')


@check('[volume] max_microversion')
def check_volume_max_flag(ctx):
    conf = ctx.settings.volume_max_microversion
    cloud_max = ctx.known(ctx.volume_max)
    outcome = _check_max_microversion('volume', conf, cloud_max, '3.0',
                                      'every test skips')
    if outcome.status == PASS and conf != 'latest':
        below = [v for v, _ in VOLUME_HARD + VOLUME_SOFT if mv(v) > mv(conf)]
        if below:
            return Outcome(FAIL, '%s: tests needing %s skip' % (
                conf, ', '.join(sorted(below, key=mv))),
                _max_microversion_fix('volume', cloud_max), hard=False)
    return outcome


@check('[volume-feature-enabled] extend_attached_volume', hard=False)
def check_extend_flag(ctx):
    volume_max = ctx.known(ctx.volume_max)
    cloud_can = volume_max is not None and volume_max >= mv('3.42')
    if ctx.settings.extend_attached_volume:
        if volume_max is not None and not cloud_can:
            return Outcome(FAIL, 'True, but the volume API stops at %s '
                                 '(needs 3.42)' % volume_max.get_string(),
                           [Fix('volume-feature-enabled',
                                'extend_attached_volume', 'False')])
        return Outcome(PASS, 'True')
    return Outcome(PASS, 'False: extend tests skip%s' % (
        ' (the API allows it; set True if the backend extends in-use '
        'volumes)' if cloud_can else ''))


@check('[validation] run_validation (data path)', hard=False)
def check_validation(ctx):
    if ctx.settings.run_validation:
        return Outcome(PASS, 'True: the data-path tests SSH into guests')
    return Outcome(PASS, 'False: the data-path (guest) tests skip')


@check('[mattach] known_defects', hard=False)
def check_known_defects(ctx):
    # Not a failure: the operator acknowledged them on purpose. But each
    # one's test reports a skip where a certification run would fail.
    defects = ctx.settings.known_defects
    if not defects:
        return Outcome(PASS, 'empty: every defect fails its test')
    return Outcome(WARN, '%d acknowledged (%s): their tests skip where the '
                         'defect reproduces and fail where it is fixed; a '
                         'certification run needs the list empty'
                   % (len(defects), ', '.join(defects)))


# -- running ------------------------------------------------------------------

def run_checks(ctx, checks=None):
    """Run every check; a probe error becomes its check's status."""
    results = []
    for chk in (CHECKS if checks is None else checks):
        try:
            outcome = chk.func(ctx)
        except Hidden as exc:
            outcome = Outcome(UNKNOWN, 'not visible with these credentials: '
                                       '%s' % exc)
        except NoEndpoint as exc:
            outcome = Outcome(UNKNOWN if not chk.hard else FAIL, str(exc))
        except ProbeError as exc:
            outcome = Outcome(FAIL, str(exc))
        hard = chk.hard if outcome.hard is None else outcome.hard
        results.append(Result(chk.label, outcome.status, hard,
                              outcome.reason, outcome.fixes))
    return results


def hard_failures(results):
    return [r for r in results if r.status == FAIL and r.hard]
