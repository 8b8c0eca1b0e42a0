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

"""The preflight's checks on canned API answers.

Every check is driven through each of its PASS / FAIL / UNKNOWN paths with
a FakeProbe answering what tempest's clients would return. The run against
a real cloud is in .ci/run (tools/mattach preflight on tools/minicloud's
workspace).
"""

from mattach_tempest.cli.preflight import checks
from mattach_tempest.cli.preflight import model
from mattach_tempest.unit.preflight_fakes import ChecksTestCase
from mattach_tempest.unit.preflight_fakes import FAIL
from mattach_tempest.unit.preflight_fakes import FakeProbe
from mattach_tempest.unit.preflight_fakes import healthy_answers
from mattach_tempest.unit.preflight_fakes import healthy_settings
from mattach_tempest.unit.preflight_fakes import MULTIATTACH
from mattach_tempest.unit.preflight_fakes import PASS
from mattach_tempest.unit.preflight_fakes import PLAIN
from mattach_tempest.unit.preflight_fakes import UNKNOWN
from mattach_tempest.unit.preflight_fakes import versions


class TestCloudVersions(ChecksTestCase):

    def test_compute_pass(self):
        result = self.run_check(checks.check_compute_api)
        self.assertResult(result, PASS, True, 'max 2.104')

    def test_compute_below_2_60_fails_hard(self):
        result = self.run_check(checks.check_compute_api,
                                self.answers(**versions(compute='2.59')))
        self.assertResult(result, FAIL, True, 'max 2.59')

    def test_compute_without_microversions_fails(self):
        answers = self.answers(compute_versions=[
            {'id': 'v2.0', 'status': 'CURRENT', 'version': ''}])
        result = self.run_check(checks.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'no v2.1')

    def test_compute_hidden_is_unknown(self):
        answers = self.answers(compute_versions=model.Hidden('403 Forbidden'))
        result = self.run_check(checks.check_compute_api, answers)
        self.assertResult(result, UNKNOWN, True, 'not visible')

    def test_compute_unreachable_fails(self):
        answers = self.answers(compute_versions=model.Unreachable(
            'compute versions: endpoint unreachable: connection refused'))
        result = self.run_check(checks.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'connection refused')

    def test_compute_not_in_catalog_fails_hard(self):
        answers = self.answers(compute_versions=model.NoEndpoint(
            'compute versions: no endpoint in the catalog'))
        result = self.run_check(checks.check_compute_api, answers)
        self.assertResult(result, FAIL, True, 'catalog')

    def test_compute_soft(self):
        self.assertResult(self.run_check(checks.check_compute_soft), PASS)
        result = self.run_check(checks.check_compute_soft,
                                self.answers(**versions(compute='2.79')))
        self.assertResult(result, FAIL, False, '2.89')

    def test_volume_v3(self):
        self.assertResult(self.run_check(checks.check_volume_api), PASS,
                          True, '3.71')
        answers = self.answers(volume_versions=[
            {'id': 'v2.0', 'status': 'SUPPORTED', 'version': ''}])
        self.assertResult(self.run_check(checks.check_volume_api, answers),
                          FAIL, True, 'no v3.0')

    def test_volume_hard_microversions(self):
        self.assertResult(self.run_check(checks.check_volume_hard), PASS,
                          True, '3.27, 3.44')
        result = self.run_check(checks.check_volume_hard,
                                self.answers(**versions(volume='3.43')))
        self.assertResult(result, FAIL, True, '3.44 (attachment complete')
        self.assertNotIn('3.27', result.reason)

    def test_volume_soft_microversions(self):
        self.assertResult(self.run_check(checks.check_volume_soft), PASS)
        result = self.run_check(checks.check_volume_soft,
                                self.answers(**versions(volume='3.50')))
        self.assertResult(result, FAIL, False, '3.54')
        self.assertIn('3.66', result.reason)
        self.assertNotIn('3.48', result.reason)

    def test_versions_asked_once(self):
        probe = FakeProbe(healthy_answers())
        ctx = checks.Context(healthy_settings(), probe, True)
        checks.run_checks(ctx)
        self.assertEqual(1, probe.calls.count(('compute_versions',)))
        self.assertEqual(1, probe.calls.count(('volume_versions',)))


class TestVolumeTypes(ChecksTestCase):

    def test_exact_spec_passes(self):
        self.assertResult(self.run_check(checks.check_multiattach_type), PASS,
                          True, "'multiattach' has multiattach")

    def test_spec_not_exact_fails(self):
        wrong = dict(MULTIATTACH, extra_specs={'multiattach': 'True'})
        result = self.run_check(checks.check_multiattach_type,
                                self.answers(volume_types=[PLAIN, wrong]))
        self.assertResult(result, FAIL, True, 'not exactly')

    def test_missing_type_fails_and_suggests_a_candidate(self):
        other = dict(MULTIATTACH, name='shared')
        result = self.run_check(checks.check_multiattach_type,
                                self.answers(volume_types=[PLAIN, other]))
        self.assertResult(result, FAIL, True, 'does not exist')
        self.assertIn('shared', result.reason)
        self.assertEqual([model.Fix('volume', 'volume_type_multiattach',
                                    'shared')], result.fixes)

    def test_unset_fails_hard(self):
        result = self.run_check(checks.check_multiattach_type,
                                volume_type_multiattach=None)
        self.assertResult(result, FAIL, True, 'not set')
        self.assertEqual('multiattach', result.fixes[0].value)

    def test_unset_with_created_type_is_soft(self):
        result = self.run_check(checks.check_multiattach_type,
                                volume_type_multiattach=None,
                                create_multiattach_type=True)
        self.assertResult(result, PASS, False, 'create_multiattach_type')

    def test_non_admin_without_extra_specs_is_unknown(self):
        hidden = {'id': 't-multi', 'name': 'multiattach'}
        answers = self.answers(volume_types=[hidden],
                               volume_type={'t-multi': hidden})
        result = self.run_check(checks.check_multiattach_type, answers,
                                is_admin=False)
        self.assertResult(result, UNKNOWN, True, 'not visible')

    def test_non_admin_seeing_the_spec_passes(self):
        # cinder shows the user-visible multiattach spec to non-admins.
        result = self.run_check(checks.check_multiattach_type, is_admin=False)
        self.assertResult(result, PASS)

    def test_spec_read_from_show_when_the_list_lacks_it(self):
        listed = {'id': 't-multi', 'name': 'multiattach'}
        answers = self.answers(volume_types=[listed],
                               volume_type={'t-multi': MULTIATTACH})
        self.assertResult(self.run_check(checks.check_multiattach_type,
                                         answers),
                          PASS)

    def test_admin_without_spec_fails(self):
        bare = dict(MULTIATTACH, extra_specs={'volume_backend_name': 'x'})
        result = self.run_check(checks.check_multiattach_type,
                                self.answers(volume_types=[bare]))
        self.assertResult(result, FAIL, True, 'no multiattach extra spec')

    def test_type_list_forbidden_is_unknown(self):
        answers = self.answers(volume_types=model.Hidden('403 Forbidden'))
        self.assertResult(self.run_check(checks.check_multiattach_type,
                                         answers),
                          UNKNOWN)

    def test_plain_type(self):
        self.assertResult(self.run_check(checks.check_plain_type), PASS,
                          False, 'not set')
        self.assertResult(self.run_check(checks.check_plain_type,
                                         volume_type='__DEFAULT__'), PASS)
        self.assertResult(self.run_check(checks.check_plain_type,
                                         volume_type='gone'), FAIL, False)
        self.assertResult(self.run_check(checks.check_plain_type,
                                         volume_type='multiattach'),
                          FAIL, False, 'is a multiattach type')


class TestResources(ChecksTestCase):

    def test_image(self):
        self.assertResult(self.run_check(checks.check_image), PASS, True,
                          'cirros')
        result = self.run_check(checks.check_image, image_ref='nope')
        self.assertResult(result, FAIL, True, 'does not exist')
        self.assertEqual('image_ref', result.fixes[0].option)
        self.assertResult(self.run_check(checks.check_image, image_ref=None),
                          FAIL, True, 'not set')
        queued = self.answers(image={'img-1': {'status': 'queued',
                                               'name': 'x'}})
        self.assertResult(self.run_check(checks.check_image, queued), FAIL,
                          True, 'queued')

    def test_flavors(self):
        self.assertResult(self.run_check(checks.check_flavor), PASS, True,
                          'm1.nano')
        self.assertResult(self.run_check(checks.check_flavor, flavor_ref='9'),
                          FAIL, True, 'flavor 9 does not exist')
        self.assertResult(self.run_check(checks.check_flavor_alt), PASS, False)
        self.assertResult(self.run_check(checks.check_flavor_alt,
                                         flavor_ref_alt='9'), FAIL, False)
        self.assertResult(self.run_check(checks.check_flavor_alt, resize=False,
                                         flavor_ref_alt='9'),
                          PASS, False, 'resize tests skip')

    def test_networks(self):
        self.assertResult(self.run_check(checks.check_networks), PASS, True,
                          'none configured')
        self.assertResult(self.run_check(checks.check_networks,
                                         fixed_network_name='private'),
                          PASS, True, 'found private')
        self.assertResult(self.run_check(checks.check_networks,
                                         fixed_network_name='public'),
                          FAIL, True, 'fixed_network_name')

    def test_account_network_missing_is_soft(self):
        accounts = [{'username': 'u1', 'resources': {'network': 'gone'}}]
        self.assertResult(self.run_check(checks.check_networks,
                                         accounts=accounts),
                          FAIL, False, 'accounts file (u1)')

    def test_validation_network_checked_when_validating(self):
        self.assertResult(self.run_check(checks.check_networks,
                                         network_for_ssh='gone'), PASS)
        self.assertResult(self.run_check(checks.check_networks,
                                         run_validation=True,
                                         network_for_ssh='gone'),
                          FAIL, True, 'network_for_ssh')


class TestAdminView(ChecksTestCase):

    def test_pools(self):
        self.assertResult(self.run_check(checks.check_pools), PASS, True,
                          'host@lvm#lvm')
        incapable = self.answers(pools=[
            {'name': 'a', 'capabilities': {'multiattach': False}},
            {'name': 'b', 'capabilities': {}}])
        self.assertResult(self.run_check(checks.check_pools, incapable), FAIL,
                          True, 'none of 2 pool(s)')
        self.assertResult(self.run_check(checks.check_pools,
                                         self.answers(pools=[])), FAIL)

    def test_pools_hidden_from_non_admin_is_unknown(self):
        answers = self.answers(pools=model.Hidden(
            'scheduler-stats get_pools: 403 Forbidden'))
        result = self.run_check(checks.check_pools, answers, is_admin=False)
        self.assertResult(result, UNKNOWN, True,
                          'not visible with these credentials')

    def test_traits(self):
        self.assertResult(self.run_check(checks.check_traits), PASS, True,
                          'all 1 host(s)')

    def test_traits_missing_everywhere_fails_hard(self):
        answers = self.answers(provider_traits={'rp-1': ['HW_CPU_X86_SSE']})
        self.assertResult(self.run_check(checks.check_traits, answers), FAIL,
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
        result = self.run_check(checks.check_traits, answers)
        self.assertResult(result, FAIL, False, '2 of 3 host(s) lack it')
        self.assertIn('compute-3 (no resource provider)', result.reason)

    def test_disabled_hosts_are_ignored(self):
        answers = self.answers(hypervisors=healthy_answers()['hypervisors'] + [
            {'hypervisor_hostname': 'old', 'state': 'down',
             'status': 'disabled', 'hypervisor_type': 'ironic'}])
        self.assertResult(self.run_check(checks.check_traits, answers), PASS)
        self.assertResult(self.run_check(checks.check_hypervisors, answers),
                          PASS)

    def test_placement_not_in_catalog_fails_the_hard_check(self):
        answers = self.answers(resource_providers=model.NoEndpoint(
            'placement resource providers: no endpoint in the catalog'))
        self.assertResult(self.run_check(checks.check_traits, answers), FAIL)

    def test_hypervisor_versions(self):
        self.assertResult(self.run_check(checks.check_hypervisors), PASS, True,
                          'QEMU 7.2.0, libvirt >= 6.0')

    def test_hypervisor_verdicts(self):
        new = checks.mv('2.104')
        old = checks.mv('2.70')
        verdict = checks.hypervisor_verdict
        self.assertEqual(PASS, verdict('QEMU', 2009000, old)[0])
        self.assertEqual(UNKNOWN, verdict('QEMU', 4002000, old)[0])
        self.assertEqual(UNKNOWN, verdict('QEMU', 4002000, None)[0])
        self.assertEqual(PASS, verdict('kvm', 8002002, new)[0])
        self.assertEqual(PASS, checks.hypervisor_verdict('fake', 1000, new)[0])
        self.assertEqual(FAIL, checks.hypervisor_verdict('ironic', 1, new)[0])
        self.assertEqual(UNKNOWN, checks.hypervisor_verdict('lxd', 1, new)[0])
        self.assertEqual((7, 2, 0), checks.decode_hypervisor_version(7002000))

    def test_only_incapable_hypervisors_fail(self):
        answers = self.answers(hypervisors=[
            {'hypervisor_hostname': 'bm', 'hypervisor_type': 'ironic',
             'hypervisor_version': 1}])
        self.assertResult(self.run_check(checks.check_hypervisors, answers),
                          FAIL, True, 'bm: ironic')

    def test_hypervisors_hidden_is_unknown(self):
        answers = self.answers(hypervisors=model.Hidden('hypervisors: 403'))
        self.assertResult(self.run_check(checks.check_hypervisors, answers,
                                         is_admin=False), UNKNOWN)
        self.assertResult(self.run_check(checks.check_traits, answers,
                                         is_admin=False), UNKNOWN)


class TestConfiguration(ChecksTestCase):

    def test_cinder_flag(self):
        self.assertResult(self.run_check(checks.check_cinder_flag), PASS)
        result = self.run_check(checks.check_cinder_flag,
                                cinder_available=False)
        self.assertResult(result, FAIL, True)
        self.assertEqual([model.Fix('service_available', 'cinder', 'True')],
                         result.fixes)

    def test_credentials(self):
        self.assertResult(self.run_check(checks.check_credentials), PASS)
        result = self.run_check(checks.check_credentials,
                                admin_configured=False)
        self.assertResult(result, FAIL, True, 'needs [auth] admin_*')
        self.assertEqual(['use_dynamic_credentials', 'test_accounts_file'],
                         [f.option for f in result.fixes])

    def test_pre_provisioned_credentials(self):
        accounts = [{'username': 'a', 'roles': ['admin']},
                    {'username': 'b'}, {'username': 'c', 'types': ['admin']},
                    {'username': 'd'}]
        result = self.run_check(checks.check_credentials,
                                use_dynamic_credentials=False,
                                admin_configured=False,
                                accounts_file='/ws/etc/accounts.yaml',
                                accounts=accounts)
        self.assertResult(result, PASS, True, '2 non-admin account(s)')
        result = self.run_check(checks.check_credentials,
                                use_dynamic_credentials=False,
                                admin_configured=False,
                                accounts=accounts[:1])
        self.assertResult(result, FAIL, True, 'no non-admin account')

    def test_multiattach_flag(self):
        self.assertResult(self.run_check(checks.check_multiattach_flag), PASS)
        result = self.run_check(checks.check_multiattach_flag,
                                volume_multiattach=False)
        self.assertResult(result, FAIL, True, 'every test')
        self.assertEqual([model.Fix('compute-feature-enabled',
                                    'volume_multiattach', 'True')],
                         result.fixes)

    def test_multiattach_flag_on_an_old_cloud(self):
        old = self.answers(**versions(compute='2.53'))
        self.assertResult(self.run_check(checks.check_multiattach_flag, old),
                          FAIL, True, 'stops at 2.53')
        result = self.run_check(checks.check_multiattach_flag, old,
                                volume_multiattach=False)
        self.assertResult(result, FAIL)
        self.assertEqual([], result.fixes)   # nothing to enable there

    def test_compute_max_microversion(self):
        self.assertResult(self.run_check(checks.check_compute_max_flag), PASS,
                          True, 'latest')
        self.assertResult(self.run_check(checks.check_compute_max_flag,
                                         compute_max_microversion='2.95'),
                          PASS)
        result = self.run_check(checks.check_compute_max_flag,
                                compute_max_microversion=None)
        self.assertResult(result, FAIL, True, 'unset (= 0.0)')
        self.assertEqual([model.Fix('compute', 'max_microversion', '2.104')],
                         result.fixes)
        self.assertResult(self.run_check(checks.check_compute_max_flag,
                                         compute_max_microversion='2.59'),
                          FAIL, True)
        self.assertResult(self.run_check(checks.check_compute_max_flag,
                                         compute_max_microversion='2.200'),
                          FAIL, False, "above the cloud's 2.104")

    def test_compute_max_microversion_suggests_latest_when_unknown(self):
        answers = self.answers(compute_versions=model.Hidden('403'))
        result = self.run_check(checks.check_compute_max_flag, answers,
                                compute_max_microversion=None)
        self.assertEqual('latest', result.fixes[0].value)

    def test_volume_max_microversion(self):
        self.assertResult(self.run_check(checks.check_volume_max_flag), PASS)
        result = self.run_check(checks.check_volume_max_flag,
                                volume_max_microversion=None)
        self.assertResult(result, FAIL, True, 'every test skips')
        self.assertEqual('3.71', result.fixes[0].value)
        result = self.run_check(checks.check_volume_max_flag,
                                volume_max_microversion='3.50')
        self.assertResult(result, FAIL, False, '3.54, 3.66')
        self.assertResult(self.run_check(checks.check_volume_max_flag,
                                         volume_max_microversion='3.70'),
                          PASS)
        self.assertResult(self.run_check(checks.check_volume_max_flag,
                                         volume_max_microversion='3.90'),
                          FAIL, False, 'above')

    def test_extend_flag(self):
        self.assertResult(self.run_check(checks.check_extend_flag), PASS)
        old = self.answers(**versions(volume='3.40'))
        self.assertResult(self.run_check(checks.check_extend_flag, old), FAIL,
                          False, 'needs 3.42')
        self.assertResult(self.run_check(checks.check_extend_flag,
                                         extend_attached_volume=False),
                          PASS, False, 'the API allows it')

    def test_validation(self):
        self.assertResult(self.run_check(checks.check_validation), PASS,
                          False, 'skip')
        self.assertResult(self.run_check(checks.check_validation,
                                         run_validation=True), PASS, False,
                          'SSH')

    def test_no_known_defects(self):
        self.assertResult(self.run_check(checks.check_known_defects), PASS,
                          False, 'empty')

    def test_known_defects_warn_listing_them(self):
        result = self.run_check(checks.check_known_defects, known_defects=[
            'cinder-readonly-access-mode', 'cinder-attachment-status-filter'])
        self.assertResult(result, model.WARN, False,
                          '2 acknowledged (cinder-readonly-access-mode, '
                          'cinder-attachment-status-filter)')
        self.assertIn('a certification run needs the list empty',
                      result.reason)
        self.assertEqual([], result.fixes)
