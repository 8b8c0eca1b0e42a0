"""The preflight's checks on canned API answers, and its bad-input paths.

Every check is driven through each of its PASS / FAIL / UNKNOWN paths with
a FakeProbe answering what tempest's clients would return. The live part
(mattach_tempest.cli.live) is tested for its error translation, its
credentials choice and, in a subprocess, for one-line errors without a
traceback. The run against a real cloud is in .ci/run (tools/preflight on
tools/minicloud's workspace).
"""

import io
import json
import os
import subprocess
import sys
import tempfile
from unittest import mock

import urllib3

from tempest import config
from tempest.lib import exceptions as lib_exc

from mattach_tempest.cli import common
from mattach_tempest.cli import live
from mattach_tempest.cli import preflight as pf
from mattach_tempest.unit import base

PASS, FAIL, UNKNOWN = pf.PASS, pf.FAIL, pf.UNKNOWN


def versions(compute='2.104', volume='3.71'):
    return {
        'compute_versions': [
            {'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
             'min_version': ''},
            {'id': 'v2.1', 'status': 'CURRENT', 'version': compute,
             'min_version': '2.1'}],
        'volume_versions': [
            {'id': 'v3.0', 'status': 'CURRENT', 'version': volume,
             'min_version': '3.0'}],
    }


MULTIATTACH = {'id': 't-multi', 'name': 'multiattach',
               'extra_specs': {'multiattach': '<is> True'}}
PLAIN = {'id': 't-plain', 'name': '__DEFAULT__', 'extra_specs': {}}


def healthy_answers():
    answers = versions()
    answers.update({
        'volume_types': [PLAIN, MULTIATTACH],
        'image': {'img-1': {'id': 'img-1', 'name': 'cirros',
                            'status': 'active'}},
        'flavor': {'42': {'id': '42', 'name': 'm1.nano', 'ram': 128,
                          'vcpus': 1, 'disk': 1},
                   '84': {'id': '84', 'name': 'm1.micro', 'ram': 192,
                          'vcpus': 1, 'disk': 1}},
        'networks_named': lambda name: [{'id': 'n-1', 'name': name}]
        if name == 'private' else [],
        'pools': [{'name': 'host@lvm#lvm',
                   'capabilities': {'multiattach': True}}],
        'hypervisors': [{'hypervisor_hostname': 'compute-1',
                         'hypervisor_type': 'QEMU',
                         'hypervisor_version': 7002000,
                         'state': 'up', 'status': 'enabled'}],
        'resource_providers': [{'name': 'compute-1', 'uuid': 'rp-1'}],
        'provider_traits': {'rp-1': ['COMPUTE_VOLUME_MULTI_ATTACH',
                                     'HW_CPU_X86_SSE']},
    })
    return answers


def healthy_settings(**overrides):
    values = dict(config_file='/ws/etc/tempest.conf',
                  volume_multiattach=True,
                  compute_max_microversion='latest',
                  volume_max_microversion='latest',
                  volume_type_multiattach='multiattach',
                  admin_configured=True,
                  image_ref='img-1', flavor_ref='42', flavor_ref_alt='84',
                  resize=True, extend_attached_volume=True)
    values.update(overrides)
    return pf.Settings(**values)


class FakeProbe:
    """Answers from a dict: a value, {arg: value}, or an exception."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __getattr__(self, question):
        if question not in pf.LIVE_QUESTIONS:
            raise AttributeError(question)

        def ask(*args):
            self.calls.append((question,) + args)
            answer = self.answers.get(question)
            if isinstance(answer, Exception):
                raise answer
            if callable(answer):
                return answer(*args)
            if args:
                if not isinstance(answer, dict) or args[0] not in answer:
                    raise pf.NotFound('%s %s: 404' % (question, args[0]))
                answer = answer[args[0]]
                if isinstance(answer, Exception):
                    raise answer
            if answer is None:
                raise pf.NotFound('%s: 404' % question)
            return answer
        return ask


class ChecksTestCase(base.TestCase):

    def run_check(self, func, answers=None, is_admin=True, **settings):
        ctx = pf.Context(healthy_settings(**settings),
                         FakeProbe(healthy_answers() if answers is None
                                   else answers), is_admin)
        check = next(c for c in pf.CHECKS if c.func is func)
        [result] = pf.run_checks(ctx, [check])
        return result

    def answers(self, **changes):
        answers = healthy_answers()
        answers.update(changes)
        return answers

    def assertResult(self, result, status, hard=None, reason=None):
        self.assertEqual(status, result.status, result)
        if hard is not None:
            self.assertEqual(hard, result.hard, result)
        if reason is not None:
            self.assertIn(reason, result.reason)


class TestCloudVersions(ChecksTestCase):

    def test_compute_pass(self):
        result = self.run_check(pf.check_compute_api)
        self.assertResult(result, PASS, True, 'max 2.104')

    def test_compute_below_2_60_fails_hard(self):
        result = self.run_check(pf.check_compute_api,
                                self.answers(**versions(compute='2.59')))
        self.assertResult(result, FAIL, True, 'max 2.59')

    def test_compute_without_microversions_fails(self):
        answers = self.answers(compute_versions=[
            {'id': 'v2.0', 'status': 'CURRENT', 'version': ''}])
        result = self.run_check(pf.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'no v2.1')

    def test_compute_hidden_is_unknown(self):
        answers = self.answers(compute_versions=pf.Hidden('403 Forbidden'))
        result = self.run_check(pf.check_compute_api, answers)
        self.assertResult(result, UNKNOWN, True, 'not visible')

    def test_compute_unreachable_fails(self):
        answers = self.answers(compute_versions=pf.Unreachable(
            'compute versions: endpoint unreachable: connection refused'))
        result = self.run_check(pf.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'connection refused')

    def test_compute_not_in_catalog_fails_hard(self):
        answers = self.answers(compute_versions=pf.NoEndpoint(
            'compute versions: no endpoint in the catalog'))
        result = self.run_check(pf.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'catalog')

    def test_compute_soft(self):
        self.assertResult(self.run_check(pf.check_compute_soft), PASS)
        result = self.run_check(pf.check_compute_soft,
                                self.answers(**versions(compute='2.79')))
        self.assertResult(result, FAIL, False, '2.89')

    def test_volume_v3(self):
        self.assertResult(self.run_check(pf.check_volume_api), PASS,
                          True, '3.71')
        answers = self.answers(volume_versions=[
            {'id': 'v2.0', 'status': 'SUPPORTED', 'version': ''}])
        self.assertResult(self.run_check(pf.check_volume_api, answers),
                          FAIL, True, 'no v3.0')

    def test_volume_hard_microversions(self):
        self.assertResult(self.run_check(pf.check_volume_hard), PASS,
                          True, '3.27, 3.44')
        result = self.run_check(pf.check_volume_hard,
                                self.answers(**versions(volume='3.43')))
        self.assertResult(result, FAIL, True, '3.44 (attachment complete')
        self.assertNotIn('3.27', result.reason)

    def test_volume_soft_microversions(self):
        self.assertResult(self.run_check(pf.check_volume_soft), PASS)
        result = self.run_check(pf.check_volume_soft,
                                self.answers(**versions(volume='3.50')))
        self.assertResult(result, FAIL, False, '3.54')
        self.assertIn('3.66', result.reason)
        self.assertNotIn('3.48', result.reason)

    def test_versions_asked_once(self):
        probe = FakeProbe(healthy_answers())
        ctx = pf.Context(healthy_settings(), probe, True)
        pf.run_checks(ctx)
        self.assertEqual(1, probe.calls.count(('compute_versions',)))
        self.assertEqual(1, probe.calls.count(('volume_versions',)))


class TestVolumeTypes(ChecksTestCase):

    def test_exact_spec_passes(self):
        self.assertResult(self.run_check(pf.check_multiattach_type), PASS,
                          True, "'multiattach' has multiattach")

    def test_spec_not_exact_fails(self):
        wrong = dict(MULTIATTACH, extra_specs={'multiattach': 'True'})
        result = self.run_check(pf.check_multiattach_type,
                                self.answers(volume_types=[PLAIN, wrong]))
        self.assertResult(result, FAIL, True, 'not exactly')

    def test_missing_type_fails_and_suggests_a_candidate(self):
        other = dict(MULTIATTACH, name='shared')
        result = self.run_check(pf.check_multiattach_type,
                                self.answers(volume_types=[PLAIN, other]))
        self.assertResult(result, FAIL, True, 'does not exist')
        self.assertIn('shared', result.reason)
        self.assertEqual([pf.Fix('volume', 'volume_type_multiattach',
                                 'shared')], result.fixes)

    def test_unset_fails_hard(self):
        result = self.run_check(pf.check_multiattach_type,
                                volume_type_multiattach=None)
        self.assertResult(result, FAIL, True, 'not set')
        self.assertEqual('multiattach', result.fixes[0].value)

    def test_unset_with_created_type_is_soft(self):
        result = self.run_check(pf.check_multiattach_type,
                                volume_type_multiattach=None,
                                create_multiattach_type=True)
        self.assertResult(result, PASS, False, 'create_multiattach_type')

    def test_non_admin_without_extra_specs_is_unknown(self):
        hidden = {'id': 't-multi', 'name': 'multiattach'}
        answers = self.answers(volume_types=[hidden],
                               volume_type={'t-multi': hidden})
        result = self.run_check(pf.check_multiattach_type, answers,
                                is_admin=False)
        self.assertResult(result, UNKNOWN, True, 'not visible')

    def test_non_admin_seeing_the_spec_passes(self):
        # cinder shows the user-visible multiattach spec to non-admins.
        result = self.run_check(pf.check_multiattach_type, is_admin=False)
        self.assertResult(result, PASS)

    def test_spec_read_from_show_when_the_list_lacks_it(self):
        listed = {'id': 't-multi', 'name': 'multiattach'}
        answers = self.answers(volume_types=[listed],
                               volume_type={'t-multi': MULTIATTACH})
        self.assertResult(self.run_check(pf.check_multiattach_type, answers),
                          PASS)

    def test_admin_without_spec_fails(self):
        bare = dict(MULTIATTACH, extra_specs={'volume_backend_name': 'x'})
        result = self.run_check(pf.check_multiattach_type,
                                self.answers(volume_types=[bare]))
        self.assertResult(result, FAIL, True, 'no multiattach extra spec')

    def test_type_list_forbidden_is_unknown(self):
        answers = self.answers(volume_types=pf.Hidden('403 Forbidden'))
        self.assertResult(self.run_check(pf.check_multiattach_type, answers),
                          UNKNOWN)

    def test_plain_type(self):
        self.assertResult(self.run_check(pf.check_plain_type), PASS,
                          False, 'not set')
        self.assertResult(self.run_check(pf.check_plain_type,
                                         volume_type='__DEFAULT__'), PASS)
        self.assertResult(self.run_check(pf.check_plain_type,
                                         volume_type='gone'), FAIL, False)
        self.assertResult(self.run_check(pf.check_plain_type,
                                         volume_type='multiattach'),
                          FAIL, False, 'is a multiattach type')


class TestResources(ChecksTestCase):

    def test_image(self):
        self.assertResult(self.run_check(pf.check_image), PASS, True,
                          'cirros')
        result = self.run_check(pf.check_image, image_ref='nope')
        self.assertResult(result, FAIL, True, 'does not exist')
        self.assertEqual('image_ref', result.fixes[0].option)
        self.assertResult(self.run_check(pf.check_image, image_ref=None),
                          FAIL, True, 'not set')
        queued = self.answers(image={'img-1': {'status': 'queued',
                                               'name': 'x'}})
        self.assertResult(self.run_check(pf.check_image, queued), FAIL,
                          True, 'queued')

    def test_flavors(self):
        self.assertResult(self.run_check(pf.check_flavor), PASS, True,
                          'm1.nano')
        self.assertResult(self.run_check(pf.check_flavor, flavor_ref='9'),
                          FAIL, True, 'flavor 9 does not exist')
        self.assertResult(self.run_check(pf.check_flavor_alt), PASS, False)
        self.assertResult(self.run_check(pf.check_flavor_alt,
                                         flavor_ref_alt='9'), FAIL, False)
        self.assertResult(self.run_check(pf.check_flavor_alt, resize=False,
                                         flavor_ref_alt='9'),
                          PASS, False, 'resize tests skip')

    def test_networks(self):
        self.assertResult(self.run_check(pf.check_networks), PASS, True,
                          'none configured')
        self.assertResult(self.run_check(pf.check_networks,
                                         fixed_network_name='private'),
                          PASS, True, 'found private')
        self.assertResult(self.run_check(pf.check_networks,
                                         fixed_network_name='public'),
                          FAIL, True, 'fixed_network_name')

    def test_account_network_missing_is_soft(self):
        accounts = [{'username': 'u1', 'resources': {'network': 'gone'}}]
        self.assertResult(self.run_check(pf.check_networks,
                                         accounts=accounts),
                          FAIL, False, 'accounts file (u1)')

    def test_validation_network_checked_when_validating(self):
        self.assertResult(self.run_check(pf.check_networks,
                                         network_for_ssh='gone'), PASS)
        self.assertResult(self.run_check(pf.check_networks,
                                         run_validation=True,
                                         network_for_ssh='gone'),
                          FAIL, True, 'network_for_ssh')


class TestAdminView(ChecksTestCase):

    def test_pools(self):
        self.assertResult(self.run_check(pf.check_pools), PASS, True,
                          'host@lvm#lvm')
        incapable = self.answers(pools=[
            {'name': 'a', 'capabilities': {'multiattach': False}},
            {'name': 'b', 'capabilities': {}}])
        self.assertResult(self.run_check(pf.check_pools, incapable), FAIL,
                          True, 'none of 2 pool(s)')
        self.assertResult(self.run_check(pf.check_pools,
                                         self.answers(pools=[])), FAIL)

    def test_pools_hidden_from_non_admin_is_unknown(self):
        answers = self.answers(pools=pf.Hidden(
            'scheduler-stats get_pools: 403 Forbidden'))
        result = self.run_check(pf.check_pools, answers, is_admin=False)
        self.assertResult(result, UNKNOWN, True,
                          'not visible with these credentials')

    def test_traits(self):
        self.assertResult(self.run_check(pf.check_traits), PASS, True,
                          'all 1 host(s)')

    def test_traits_missing_everywhere_fails_hard(self):
        answers = self.answers(provider_traits={'rp-1': ['HW_CPU_X86_SSE']})
        self.assertResult(self.run_check(pf.check_traits, answers), FAIL,
                          True, 'no host has it')

    def test_traits_missing_on_some_hosts_fails_soft(self):
        answers = self.answers(
            hypervisors=healthy_answers()['hypervisors'] + [
                {'hypervisor_hostname': 'compute-2', 'state': 'up',
                 'status': 'enabled'},
                {'hypervisor_hostname': 'compute-3', 'state': 'up',
                 'status': 'enabled'}],
            resource_providers=[{'name': 'compute-1', 'uuid': 'rp-1'},
                                {'name': 'compute-2', 'uuid': 'rp-2'}],
            provider_traits={'rp-1': ['COMPUTE_VOLUME_MULTI_ATTACH'],
                             'rp-2': []})
        result = self.run_check(pf.check_traits, answers)
        self.assertResult(result, FAIL, False, '2 of 3 host(s) lack it')
        self.assertIn('compute-3 (no resource provider)', result.reason)

    def test_disabled_hosts_are_ignored(self):
        answers = self.answers(hypervisors=healthy_answers()['hypervisors'] + [
            {'hypervisor_hostname': 'old', 'state': 'down',
             'status': 'disabled', 'hypervisor_type': 'ironic'}])
        self.assertResult(self.run_check(pf.check_traits, answers), PASS)
        self.assertResult(self.run_check(pf.check_hypervisors, answers),
                          PASS)

    def test_placement_not_in_catalog_fails_the_hard_check(self):
        answers = self.answers(resource_providers=pf.NoEndpoint(
            'placement resource providers: no endpoint in the catalog'))
        self.assertResult(self.run_check(pf.check_traits, answers), FAIL)

    def test_hypervisor_versions(self):
        self.assertResult(self.run_check(pf.check_hypervisors), PASS, True,
                          'QEMU 7.2.0, libvirt >= 6.0')

    def test_hypervisor_verdicts(self):
        new = pf.mv('2.104')
        old = pf.mv('2.70')
        self.assertEqual(PASS, pf.hypervisor_verdict('QEMU', 2009000,
                                                     old)[0])
        self.assertEqual(UNKNOWN, pf.hypervisor_verdict('QEMU', 4002000,
                                                        old)[0])
        self.assertEqual(UNKNOWN, pf.hypervisor_verdict('QEMU', 4002000,
                                                        None)[0])
        self.assertEqual(PASS, pf.hypervisor_verdict('kvm', 8002002,
                                                     new)[0])
        self.assertEqual(PASS, pf.hypervisor_verdict('fake', 1000, new)[0])
        self.assertEqual(FAIL, pf.hypervisor_verdict('ironic', 1, new)[0])
        self.assertEqual(UNKNOWN, pf.hypervisor_verdict('lxd', 1, new)[0])
        self.assertEqual((7, 2, 0), pf.decode_hypervisor_version(7002000))

    def test_only_incapable_hypervisors_fail(self):
        answers = self.answers(hypervisors=[
            {'hypervisor_hostname': 'bm', 'hypervisor_type': 'ironic',
             'hypervisor_version': 1}])
        self.assertResult(self.run_check(pf.check_hypervisors, answers),
                          FAIL, True, 'bm: ironic')

    def test_hypervisors_hidden_is_unknown(self):
        answers = self.answers(hypervisors=pf.Hidden('hypervisors: 403'))
        self.assertResult(self.run_check(pf.check_hypervisors, answers,
                                         is_admin=False), UNKNOWN)
        self.assertResult(self.run_check(pf.check_traits, answers,
                                         is_admin=False), UNKNOWN)


class TestConfiguration(ChecksTestCase):

    def test_cinder_flag(self):
        self.assertResult(self.run_check(pf.check_cinder_flag), PASS)
        result = self.run_check(pf.check_cinder_flag, cinder_available=False)
        self.assertResult(result, FAIL, True)
        self.assertEqual([pf.Fix('service_available', 'cinder', 'True')],
                         result.fixes)

    def test_credentials(self):
        self.assertResult(self.run_check(pf.check_credentials), PASS)
        result = self.run_check(pf.check_credentials, admin_configured=False)
        self.assertResult(result, FAIL, True, 'needs [auth] admin_*')
        self.assertEqual(['use_dynamic_credentials', 'test_accounts_file'],
                         [f.option for f in result.fixes])

    def test_pre_provisioned_credentials(self):
        accounts = [{'username': 'a', 'roles': ['admin']},
                    {'username': 'b'}, {'username': 'c', 'types': ['admin']},
                    {'username': 'd'}]
        result = self.run_check(pf.check_credentials,
                                use_dynamic_credentials=False,
                                admin_configured=False,
                                accounts_file='/ws/etc/accounts.yaml',
                                accounts=accounts)
        self.assertResult(result, PASS, True, '2 non-admin account(s)')
        result = self.run_check(pf.check_credentials,
                                use_dynamic_credentials=False,
                                admin_configured=False,
                                accounts=accounts[:1])
        self.assertResult(result, FAIL, True, 'no non-admin account')

    def test_multiattach_flag(self):
        self.assertResult(self.run_check(pf.check_multiattach_flag), PASS)
        result = self.run_check(pf.check_multiattach_flag,
                                volume_multiattach=False)
        self.assertResult(result, FAIL, True, 'every test')
        self.assertEqual([pf.Fix('compute-feature-enabled',
                                 'volume_multiattach', 'True')],
                         result.fixes)

    def test_multiattach_flag_on_an_old_cloud(self):
        old = self.answers(**versions(compute='2.53'))
        self.assertResult(self.run_check(pf.check_multiattach_flag, old),
                          FAIL, True, 'stops at 2.53')
        result = self.run_check(pf.check_multiattach_flag, old,
                                volume_multiattach=False)
        self.assertResult(result, FAIL)
        self.assertEqual([], result.fixes)   # nothing to enable there

    def test_compute_max_microversion(self):
        self.assertResult(self.run_check(pf.check_compute_max_flag), PASS,
                          True, 'latest')
        self.assertResult(self.run_check(pf.check_compute_max_flag,
                                         compute_max_microversion='2.95'),
                          PASS)
        result = self.run_check(pf.check_compute_max_flag,
                                compute_max_microversion=None)
        self.assertResult(result, FAIL, True, 'unset (= 0.0)')
        self.assertEqual([pf.Fix('compute', 'max_microversion', '2.104')],
                         result.fixes)
        self.assertResult(self.run_check(pf.check_compute_max_flag,
                                         compute_max_microversion='2.59'),
                          FAIL, True)
        self.assertResult(self.run_check(pf.check_compute_max_flag,
                                         compute_max_microversion='2.200'),
                          FAIL, False, "above the cloud's 2.104")

    def test_compute_max_microversion_suggests_latest_when_unknown(self):
        answers = self.answers(compute_versions=pf.Hidden('403'))
        result = self.run_check(pf.check_compute_max_flag, answers,
                                compute_max_microversion=None)
        self.assertEqual('latest', result.fixes[0].value)

    def test_volume_max_microversion(self):
        self.assertResult(self.run_check(pf.check_volume_max_flag), PASS)
        result = self.run_check(pf.check_volume_max_flag,
                                volume_max_microversion=None)
        self.assertResult(result, FAIL, True, 'every test skips')
        self.assertEqual('3.71', result.fixes[0].value)
        result = self.run_check(pf.check_volume_max_flag,
                                volume_max_microversion='3.50')
        self.assertResult(result, FAIL, False, '3.54, 3.66')
        self.assertResult(self.run_check(pf.check_volume_max_flag,
                                         volume_max_microversion='3.70'),
                          PASS)
        self.assertResult(self.run_check(pf.check_volume_max_flag,
                                         volume_max_microversion='3.90'),
                          FAIL, False, 'above')

    def test_extend_flag(self):
        self.assertResult(self.run_check(pf.check_extend_flag), PASS)
        old = self.answers(**versions(volume='3.40'))
        self.assertResult(self.run_check(pf.check_extend_flag, old), FAIL,
                          False, 'needs 3.42')
        self.assertResult(self.run_check(pf.check_extend_flag,
                                         extend_attached_volume=False),
                          PASS, False, 'the API allows it')

    def test_validation(self):
        self.assertResult(self.run_check(pf.check_validation), PASS,
                          False, 'skip')
        self.assertResult(self.run_check(pf.check_validation,
                                         run_validation=True), PASS, False,
                          'SSH')

    def test_no_known_defects(self):
        self.assertResult(self.run_check(pf.check_known_defects), PASS,
                          False, 'empty')

    def test_known_defects_warn_listing_them(self):
        result = self.run_check(pf.check_known_defects, known_defects=[
            'cinder-readonly-access-mode', 'cinder-attachment-status-filter'])
        self.assertResult(result, pf.WARN, False,
                          '2 acknowledged (cinder-readonly-access-mode, '
                          'cinder-attachment-status-filter)')
        self.assertIn('a certification run needs the list empty',
                      result.reason)
        self.assertEqual([], result.fixes)


class TestRunAndRender(ChecksTestCase):

    def run_main(self, answers=None, settings=None, args=(), is_admin=True,
                 config_file=None):
        settings = settings or healthy_settings()
        probe = FakeProbe(answers or healthy_answers())
        if config_file is None:
            fd, config_file = tempfile.mkstemp(suffix='.conf')
            os.close(fd)
            self.addCleanup(os.unlink, config_file)

        def connect(path, timeout):
            self.assertEqual(config_file, path)
            return settings, probe, is_admin, 'admin at http://keystone/v3'
        out = io.StringIO()
        code = pf.main(['--config-file', config_file] + list(args),
                       stdout=out, connect=connect)
        return code, out.getvalue()

    def test_healthy_cloud_passes_everything(self):
        code, out = self.run_main()
        self.assertEqual(0, code)
        self.assertIn('0 FAIL, 0 UNKNOWN; no hard requirement failed', out)
        self.assertNotIn('Suggested', out)
        self.assertIn('STATUS  REQ   CHECK', out)

    def test_every_check_has_a_row(self):
        code, out = self.run_main(args=['--json'])
        data = json.loads(out)
        self.assertEqual([c.label for c in pf.CHECKS],
                         [r['check'] for r in data['checks']])
        self.assertTrue(data['ok'])
        self.assertEqual({PASS}, {r['status'] for r in data['checks']})

    def test_hard_failure_exits_1_and_suggests_conf(self):
        settings = healthy_settings(compute_max_microversion=None,
                                    volume_multiattach=False)
        code, out = self.run_main(settings=settings)
        self.assertEqual(pf.EXIT_HARD_FAIL, code)
        self.assertIn('Suggested tempest.conf changes:\n  [compute-feature-'
                      'enabled]\n  volume_multiattach = True\n  [compute]\n'
                      '  max_microversion = 2.104\n', out)

    def test_json_suggestions(self):
        settings = healthy_settings(volume_max_microversion=None)
        code, out = self.run_main(settings=settings, args=['--json'])
        data = json.loads(out)
        self.assertEqual(1, code)
        self.assertFalse(data['ok'])
        self.assertEqual({'volume': {'max_microversion': '3.71'}},
                         data['suggested_conf'])

    def test_known_defects_warning_does_not_fail(self):
        settings = healthy_settings(
            known_defects=['cinder-readonly-access-mode'])
        for args in ((), ('--strict',)):
            code, out = self.run_main(settings=settings, args=args)
            self.assertEqual(0, code, args)
            self.assertIn('WARN    soft  [mattach] known_defects', out)
            self.assertIn('1 WARN, 0 FAIL, 0 UNKNOWN; no hard requirement '
                          'failed', out)
            self.assertNotIn('Suggested', out)
        code, out = self.run_main(settings=settings, args=['--json'])
        data = json.loads(out)
        self.assertTrue(data['ok'])
        [row] = [r for r in data['checks'] if r['status'] == pf.WARN]
        self.assertEqual('[mattach] known_defects', row['check'])
        self.assertIn('cinder-readonly-access-mode', row['reason'])

    def test_soft_failure_exits_0_unless_strict(self):
        answers = healthy_answers()
        answers.update(versions(volume='3.50'))
        settings = healthy_settings(volume_max_microversion='3.50')
        self.assertEqual(0, self.run_main(answers, settings)[0])
        self.assertEqual(1, self.run_main(answers, settings,
                                          args=['--strict'])[0])

    def test_non_admin_unknowns_do_not_fail(self):
        answers = healthy_answers()
        for question in ('pools', 'hypervisors', 'resource_providers'):
            answers[question] = pf.Hidden('%s: 403 Forbidden' % question)
        code, out = self.run_main(answers, is_admin=False)
        self.assertEqual(0, code)
        self.assertIn('3 UNKNOWN', out)

    def test_missing_config_file_is_one_line(self):
        err = io.StringIO()
        with mock.patch('sys.stderr', err):
            code = pf.main(['--config-file', '/nonexistent/tempest.conf'],
                           stdout=io.StringIO(),
                           connect=lambda *a: self.fail('connected'))
        self.assertEqual(2, code)
        self.assertEqual('preflight: error: no tempest.conf at '
                         '/nonexistent/tempest.conf (give --config-file, or '
                         'run in a tempest workspace)\n', err.getvalue())

    def test_connect_errors_are_one_line(self):
        def connect(path, timeout):
            raise common.BadInput('identity endpoint http://x/v3 '
                                  'unreachable: connection refused')
        with tempfile.NamedTemporaryFile(suffix='.conf') as conf:
            err = io.StringIO()
            with mock.patch('sys.stderr', err):
                code = pf.main(['--config-file', conf.name],
                               stdout=io.StringIO(), connect=connect)
        self.assertEqual(2, code)
        self.assertEqual(1, err.getvalue().count('\n'))

    def test_default_config_path(self):
        self.assertEqual('/ws/etc/tempest.conf',
                         pf.default_config_path({}, '/ws'))
        self.assertEqual('/c/my.conf', pf.default_config_path(
            {'TEMPEST_CONFIG_DIR': '/c', 'TEMPEST_CONFIG': 'my.conf'}, '/ws'))
        self.assertEqual('/ws/etc/my.conf', pf.default_config_path(
            {'TEMPEST_CONFIG': 'my.conf'}, '/ws'))


class TestLiveProbe(base.TestCase):

    def test_live_probe_answers_every_question(self):
        for question in pf.LIVE_QUESTIONS:
            self.assertTrue(callable(getattr(live.LiveProbe, question, None)),
                            question)


class TestLiveTranslation(base.TestCase):
    """live.translated: tempest and urllib3 errors -> probe errors."""

    def raised(self, exc):
        try:
            with live.translated('volume types'):
                raise exc
        except pf.ProbeError as probe_error:
            return probe_error
        self.fail('nothing raised')

    def test_forbidden_is_hidden(self):
        resp = mock.Mock(status=403)
        error = self.raised(lib_exc.Forbidden(
            {'forbidden': {'message': 'Policy does not allow it.',
                           'code': 403}}, resp=resp))
        self.assertIsInstance(error, pf.Hidden)
        self.assertEqual('volume types: 403 Forbidden: Policy does not '
                         'allow it.', str(error))

    def test_not_found(self):
        error = self.raised(lib_exc.NotFound({'itemNotFound': {
            'message': 'Image x could not be found.'}},
            resp=mock.Mock(status=404)))
        self.assertIsInstance(error, pf.NotFound)
        self.assertIn('404 NotFound: Image x could not be found.',
                      str(error))

    def test_no_endpoint(self):
        error = self.raised(lib_exc.EndpointNotFound('placement'))
        self.assertIsInstance(error, pf.NoEndpoint)
        self.assertIn('no endpoint in the catalog', str(error))

    def test_connection_refused(self):
        reason = urllib3.exceptions.NewConnectionError(
            None, 'Failed to establish a new connection: [Errno 111] '
                  'Connection refused')
        error = self.raised(urllib3.exceptions.MaxRetryError(
            None, '/v3/types', reason))
        self.assertIsInstance(error, pf.Unreachable)
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
        self.assertIsInstance(error, pf.ApiError)
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


class TestCommandLine(base.TestCase):
    """tools/preflight in a subprocess: one line on stderr, no traceback."""

    def run_tool(self, *args, conf_text=None):
        env = dict(os.environ)
        env.pop('TEMPEST_CONFIG_DIR', None)
        env.pop('TEMPEST_CONFIG', None)
        workdir = tempfile.mkdtemp()
        self.addCleanup(subprocess.call, ['rm', '-rf', workdir])
        if conf_text is not None:
            os.mkdir(os.path.join(workdir, 'etc'))
            with open(os.path.join(workdir, 'etc', 'tempest.conf'), 'w') as f:
                f.write(conf_text)
        env['HOME'] = workdir
        proc = subprocess.run(
            [sys.executable, os.path.join(base.REPO_ROOT, 'tools',
                                          'preflight')] + list(args),
            cwd=workdir, env=env, capture_output=True, text=True,
            timeout=120)
        return proc

    def assertOneLineError(self, proc, fragment):
        self.assertEqual(2, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        self.assertNotIn('Traceback', proc.stderr)
        self.assertEqual(1, proc.stderr.count('\n'), proc.stderr)
        self.assertIn(fragment, proc.stderr)

    def test_no_tempest_conf(self):
        self.assertOneLineError(self.run_tool(), 'no tempest.conf at ')

    def test_unreachable_identity_endpoint(self):
        with socket_closed_port() as port:
            proc = self.run_tool(conf_text=(
                '[auth]\nadmin_username = admin\nadmin_password = pw\n'
                'admin_project_name = admin\nadmin_domain_name = Default\n'
                '[identity]\nuri_v3 = http://127.0.0.1:%d/v3\n' % port))
        self.assertOneLineError(proc, 'unreachable: connection refused')

    def test_no_credentials(self):
        proc = self.run_tool(conf_text='[identity]\nuri_v3 = http://x/v3\n')
        self.assertOneLineError(proc, 'no credentials in ')

    def test_unparsable_tempest_conf(self):
        proc = self.run_tool(conf_text='this is not ini\n[auth\n')
        self.assertOneLineError(proc, 'cannot read ')


class socket_closed_port:
    """A local TCP port nothing listens on (bound, then closed)."""

    def __enter__(self):
        import socket
        sock = socket.socket()
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
        sock.close()
        return port

    def __exit__(self, *exc):
        return False
