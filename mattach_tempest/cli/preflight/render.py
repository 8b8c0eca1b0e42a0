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

"""The preflight's results as a table or as JSON."""

import collections

from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import checks
from mattach_tempest.cli.preflight import model


def suggested_conf(results):
    """{section: {option: value}} from every FAIL's fixes, in order."""
    sections = collections.OrderedDict()
    for result in results:
        if result.status != model.FAIL:
            continue
        for fix in result.fixes:
            sections.setdefault(fix.section, collections.OrderedDict())[
                fix.option] = fix.value
    return sections


def summary_line(results):
    counts = collections.Counter(r.status for r in results)
    hard = checks.hard_failures(results)
    return '%d PASS, %d WARN, %d FAIL, %d UNKNOWN; %s' % (
        counts[model.PASS], counts[model.WARN], counts[model.FAIL],
        counts[model.UNKNOWN],
        '%d hard requirement(s) failed' % len(hard) if hard
        else 'no hard requirement failed')


def render_text(results, config_file, who):
    lines = ['mattach-tempest preflight of %s' % config_file,
             'credentials: %s' % who, '']
    lines += common.format_table(
        ('STATUS', 'REQ', 'CHECK', 'REASON'),
        [(r.status, 'hard' if r.hard else 'soft', r.check, r.reason)
         for r in results])
    lines += ['', summary_line(results)]
    sections = suggested_conf(results)
    if sections:
        lines += ['', 'Suggested tempest.conf changes:']
        for section, options in sections.items():
            lines.append('  [%s]' % section)
            lines += ['  %s = %s' % kv for kv in options.items()]
    return '\n'.join(lines) + '\n'


def render_json(results, config_file, who):
    return {'config_file': config_file,
            'credentials': who,
            'ok': not checks.hard_failures(results),
            'summary': summary_line(results),
            'checks': [r.as_dict() for r in results],
            'suggested_conf': suggested_conf(results)}
