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

"""Canned API answers and a fake probe for the preflight's unit tests."""

from mattach_tempest.cli.preflight import checks
from mattach_tempest.cli.preflight import model
from mattach_tempest.unit import base

PASS, FAIL, UNKNOWN = model.PASS, model.FAIL, model.UNKNOWN


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
    return model.Settings(**values)


class FakeProbe:
    """Answers from a dict: a value, {arg: value}, or an exception."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __getattr__(self, question):
        if question not in model.LIVE_QUESTIONS:
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
                    raise model.NotFound('%s %s: 404' % (question, args[0]))
                answer = answer[args[0]]
                if isinstance(answer, Exception):
                    raise answer
            if answer is None:
                raise model.NotFound('%s: 404' % question)
            return answer
        return ask


class ChecksTestCase(base.TestCase):

    def run_check(self, func, answers=None, is_admin=True, **settings):
        probe = FakeProbe(healthy_answers() if answers is None
                          else answers)
        ctx = checks.Context(healthy_settings(**settings), probe, is_admin)
        check = next(c for c in checks.CHECKS if c.func is func)
        [result] = checks.run_checks(ctx, [check])
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
