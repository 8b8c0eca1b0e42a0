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

"""The capability report on a recorded subunit stream.

fixtures/report_run.subunit was recorded by
fixtures/record_report_stream.py: a real testtools run written as subunit
v2, with tempest-style ids of this plugin and of tempest, passes, failures,
skips with reasons and a setUpClass error.
"""

import io
import json
import os
import random
import tempfile
import unittest
from unittest import mock

from mattach_tempest.cli import certification
from mattach_tempest.cli import report
from mattach_tempest.unit import base

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'fixtures', 'report_run.subunit')
API = 'mattach_tempest.tests.api.'


def read_fixture():
    with open(FIXTURE, 'rb') as f:
        return report.read_stream(f)


class TestReadStream(base.TestCase):

    def setUp(self):
        super().setUp()
        self.records = {r['short_name']: r for r in read_fixture()}

    def test_every_result_is_read(self):
        self.assertEqual(10, len(self.records))

    def test_status_time_and_id(self):
        attach = self.records['MultiattachAttachTest.'
                              'test_attach_at_2_60_listed_by_cinder_and_nova']
        self.assertEqual('pass', attach['status'])
        self.assertEqual('0b9feb9d-836e-46f7-bf6b-cdf2facd8ad6',
                         attach['idempotent_id'])
        self.assertEqual('attach and list on both services', attach['group'])
        self.assertIsInstance(attach['time'], float)
        self.assertGreaterEqual(attach['time'], 0.0)
        self.assertEqual('', attach['reason'])

    def test_skip_reason(self):
        swap = self.records[
            'MultiattachNegativeTest.test_swap_of_shared_volume_refused']
        self.assertEqual('skip', swap['status'])
        self.assertEqual('Swap volume is not enabled: '
                         '[compute-feature-enabled] swap_volume = False',
                         swap['reason'])

    def test_failure_reasons_are_the_exception_lines(self):
        detach = self.records[
            'MultiattachAttachTest.test_detach_one_leaves_the_others']
        self.assertEqual('fail', detach['status'])
        self.assertEqual("testtools.matchers._impl.MismatchError: "
                         "'available' != 'in-use': volume status after the "
                         "last detach", detach['reason'])
        retype = self.records[
            'MultiattachRetypeNegativeTest.'
            'test_in_use_retype_multiattach_to_plain_refused']
        self.assertTrue(retype['reason'].startswith(
            'tempest.lib.exceptions.BadRequest: Bad request Details: '
            'Invalid input received'), retype['reason'])

    def test_class_fixture_error(self):
        setup = self.records['setUpClass (MultiattachLifecycleTest)']
        self.assertEqual('fail', setup['status'])
        self.assertEqual('server lifecycle', setup['group'])
        self.assertIn('ServerFault', setup['reason'])

    def test_other_suites(self):
        self.assertEqual('server lifecycle', self.records[
            'AttachVolumeMultiAttachTest.'
            'test_resize_server_with_multiattached_volume']['group'])
        self.assertEqual(report.OTHER, self.records[
            'ServersTestJSON.test_create_server_with_admin_password']['group'])

    def test_not_subunit(self):
        error = self.assertRaises(report.common.BadInput, report.read_stream,
                                  io.BytesIO(b'Ran 3 tests\nOK\n'))
        self.assertEqual('not a subunit v2 stream: no test packet',
                         str(error))

    def test_random_bytes_are_refused(self):
        # Bytes with v2's signature byte make the parser report damaged
        # packets, as failed tests of its own: still not a stream.
        noise = random.Random(11).randbytes(4096)
        error = self.assertRaises(report.common.BadInput, report.read_stream,
                                  io.BytesIO(b'\xb3' + noise))
        self.assertTrue(str(error).startswith('not a subunit v2 stream: '),
                        error)
        self.assertEqual(1, len(str(error).splitlines()))

    def test_subunit_v1_is_refused(self):
        import subunit
        import testtools

        class V1(testtools.TestCase):
            def test_a_pass(self):
                pass

        out = io.BytesIO()
        client = subunit.TestProtocolClient(out)
        unittest.TestLoader().loadTestsFromTestCase(V1).run(client)
        error = self.assertRaises(report.common.BadInput, report.read_stream,
                                  io.BytesIO(out.getvalue()))
        self.assertIn('not a subunit v2 stream', str(error))

    def test_damage_after_results_is_a_failure(self):
        # A run killed while writing: its results count, the damage fails.
        with open(FIXTURE, 'rb') as f:
            data = f.read()
        records = report.read_stream(io.BytesIO(data + b'\xb3\x29\x01'))
        self.assertEqual(11, len(records))
        [damaged] = [r for r in records
                     if r['id'] == report.PARSER_ERROR_ID]
        self.assertEqual('fail', damaged['status'])

    def test_empty(self):
        error = self.assertRaises(report.common.BadInput, report.read_stream,
                                  io.BytesIO(b''))
        self.assertEqual('empty: no test results in the stream', str(error))

    def test_listing_only_has_no_results(self):
        import subunit
        out = io.BytesIO()
        stream = subunit.StreamResultToBytes(out)
        stream.status(test_id='pkg.Class.test_x', test_status='exists')
        error = self.assertRaises(report.common.BadInput, report.read_stream,
                                  io.BytesIO(out.getvalue()))
        self.assertEqual('no test results in the stream', str(error))


class TestTotals(base.TestCase):
    """--totals: tempest's summary counts, from the stream itself."""

    @staticmethod
    def stream(*results):
        """Subunit v2 bytes of (test id, status[, skip reason]) results."""
        import subunit
        out = io.BytesIO()
        writer = subunit.StreamResultToBytes(out)
        for test_id, status, *reason in results:
            writer.status(test_id=test_id, test_status='inprogress')
            if reason:
                writer.status(test_id=test_id, file_name='reason',
                              file_bytes=reason[0].encode(),
                              mime_type='text/plain; charset=utf8')
            if status is not None:
                writer.status(test_id=test_id, test_status=status)
        return out.getvalue()

    def totals(self, data):
        return report.totals_line(report.read_stream(io.BytesIO(data)))

    def test_each_status_counted_as_tempest_does(self):
        data = self.stream(
            ('a.T.test_pass', 'success'), ('a.T.test_xfail', 'xfail'),
            ('a.T.test_fail', 'fail'), ('a.T.test_uxsuccess', 'uxsuccess'),
            ('a.T.test_unfinished', None),
            ('a.T.test_skip', 'skip', 'no guests'),
            ('a.T.test_defect', 'skip',
             'Known defect of this cloud, acknowledged in [mattach] '
             'known_defects: cinder-readonly-access-mode: seen'),
            ('setUpClass (a.U)', 'fail'))
        self.assertEqual('2 passed, 4 failed, 2 skipped', self.totals(data))

    def test_fixture(self):
        with open(FIXTURE, 'rb') as f:
            self.assertEqual('5 passed, 3 failed, 2 skipped',
                             self.totals(f.read()))

    def test_command_prints_one_line(self):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stderr', err):
            code = report.main(['--totals', '-'], stdin=io.BytesIO(
                self.stream(('a.T.test_pass', 'success'))), stdout=out)
        self.assertEqual((0, '1 passed, 0 failed, 0 skipped\n', ''),
                         (code, out.getvalue(), err.getvalue()))

    def test_command_refuses_what_is_not_a_stream(self):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stderr', err):
            code = report.main(['--totals'], stdin=io.BytesIO(b'PASSED\n'),
                               stdout=out)
        self.assertEqual((2, ''), (code, out.getvalue()))
        self.assertEqual('mattach report: error: stdin: not a subunit v2 '
                         'stream: no test packet\n', err.getvalue())


class TestGrouping(base.TestCase):

    CASES = {
        API + 'volume.test_multiattach_volume_create.MultiattachVolumeCreate'
        'Test.test_multiattach_type_gives_multiattach_volume[id-1,volume]':
            'volume type and creation',
        API + 'compute.test_multiattach_attach.MultiattachAttachTest.'
        'test_attach_to_n_servers_one_at_a_time': 'N-way attach',
        API + 'compute.test_multiattach_lifecycle.MultiattachLifecycleTest.'
        'test_hard_reboot_keeps_attachments': 'server lifecycle',
        API + 'compute.test_multiattach_lifecycle.MultiattachVolumeBacked'
        'SnapshotTest.test_snapshot_volume_backed_server_keeps_attachments':
            'server lifecycle',
        API + 'volume.test_multiattach_snapshot.MultiattachSnapshotTest.'
        'test_snapshot_in_use_multiattach_volume': 'snapshots',
        API + 'compute.test_multiattach_negative.MultiattachShelvedNegative'
        'Test.test_attach_to_shelved_offloaded_server_refused':
            report.GROUPS[5],
        API + 'compute.test_multiattach_shelve.MultiattachShelveTest.'
        'test_shelve_offload_keeps_other_attachment': 'server lifecycle',
        API + 'compute.test_multiattach_boot.MultiattachBootTest.'
        'test_boot_from_multiattach_volume': 'boot from volume and bdm',
        API + 'volume.test_multiattach_attachments_api.NovaAttachment'
        'ProtectionNegativeTest.test_delete_nova_attachment_refused':
            'attachments API and nova-owned protection',
        API + 'admin.test_multiattach_encrypted_negative.Encrypted'
        'MultiattachCreateNegativeTest.test_x': 'encryption',
        API + 'compute.test_plain_volume_exclusive.PlainVolumeReserve'
        'NegativeTest.test_reserve_of_in_use_plain_volume_refused':
            'plain volumes: one server at a time',
        API + 'admin.test_plain_volume_exclusive.PlainVolumeStatusReset'
        'NegativeTest.test_attach_held_plain_volume_reset_to_available_'
        'refused': 'plain volumes: one server at a time',
        API + 'volume.test_multiattach_isolation.MultiattachIsolationTest.'
        'test_other_project_cannot_attach_volume':
            'isolation between projects',
        API + 'admin.test_multiattach_extra_spec.MultiattachExtraSpecStrict'
        'Test.test_spec_lowercase_true_without_is_gives_plain_volume':
            'volume type and creation',
        'mattach_tempest.tests.serial_tests.api.admin.test_multiattach_'
        'evacuate.MultiattachEvacuateTest.test_evacuate_holder_from_forced_'
        'down_host[id-1,slow]':
            'holders on several hosts, and moved between them',
        'mattach_tempest.tests.scenario.test_multiattach_extend.Guest'
        'ExtendTest.test_guests_see_new_size': 'data path (guests)',
        API + 'compute.test_multiattach_new.MultiattachNewTest.test_y':
            report.OTHER,
        'tempest.api.volume.test_volumes_get.VolumesGetTest.'
        'test_volume_create_get_update_delete[id-1]': report.OTHER,
        'tempest.api.compute.admin.test_volume_swap.TestMultiAttachVolume'
        'Swap.test_volume_swap_with_multiattach[id-1]': report.GROUPS[5],
    }

    def test_groups(self):
        for test_id, group in self.CASES.items():
            self.assertEqual(group, report.group_of(test_id), test_id)

    def test_rules_and_display_order_name_the_same_groups(self):
        self.assertEqual(sorted(report.GROUPS),
                         sorted([name for name, _ in report.GROUP_RULES] +
                                [report.OTHER]))

    def test_every_conformance_test_has_a_capability(self):
        # A new test no rule names would land in 'other': give it a rule
        # (report.GROUP_RULES) or a name that says what it asserts.
        self.useFixture(base.TempestConfigFixture())
        entries, errors = certification.discover()
        self.assertEqual([], errors)
        self.assertEqual([], [e.name for e in entries
                              if report.group_of(e.name) == report.OTHER])
        # A class-level error (setUpClass) is reported under the class.
        classes = {e.name.rsplit('.', 1)[0] for e in entries}
        self.assertEqual([], sorted(
            c for c in classes
            if report.group_of('setUpClass (%s)' % c) == report.OTHER))


class TestRender(base.TestCase):

    def setUp(self):
        super().setUp()
        self.report = report.build(read_fixture(), 'run.subunit')

    def test_groups_in_display_order(self):
        names = [g['name'] for g in self.report['groups']]
        self.assertEqual(list(report.GROUPS), names)

    def test_verdicts_and_totals(self):
        verdicts = {g['name']: g['verdict'] for g in self.report['groups']}
        self.assertEqual('NOT RUN', verdicts['volume type and creation'])
        self.assertEqual('PASS', verdicts['N-way attach'])
        self.assertEqual('FAIL', verdicts['detach'])
        self.assertEqual('FAIL', verdicts['server lifecycle'])
        self.assertEqual('SKIP', verdicts['data path (guests)'])
        self.assertEqual({'pass': 5, 'fail': 3, 'skip': 2, 'total': 10},
                         self.report['totals'])
        self.assertEqual('FAIL', self.report['verdict'])

    def test_text(self):
        text = report.render_text(self.report)
        self.assertIn('FAIL     1 pass, 1 fail  server lifecycle\n', text)
        self.assertIn('== detach: FAIL\n', text)
        self.assertRegex(text, r"FAIL +\d+\.\ds +MultiattachAttachTest\."
                               r"test_detach_one_leaves_the_others +"
                               r"testtools\.matchers")
        self.assertTrue(text.endswith(
            'Total: 10 test(s): 5 pass, 3 fail, 2 skip; verdict FAIL\n'))

    def test_html_is_self_contained_and_escaped(self):
        group = self.report['groups'][1]
        group['tests'][0]['reason'] = '<script>alert(1)</script>'
        page = report.render_html(self.report)
        self.assertTrue(page.startswith('<!DOCTYPE html>'))
        self.assertNotIn('<script', page)
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;', page)
        for external in ('http://', 'https://', '<link', 'src=', '@import',
                         'url('):
            self.assertNotIn(external, page)
        summary = page.split('</table>')[0]
        self.assertEqual(len(report.GROUPS), summary.count('<tr><td>'))

    def test_long_reasons_are_clipped_in_the_table_only(self):
        test = self.report['groups'][1]['tests'][0]
        test['reason'] = 'x' * 300
        text = report.render_text(self.report)
        self.assertIn('x' * 157 + '...', text)
        self.assertNotIn('x' * 158, text)
        self.assertIn('x' * 300, report.render_html(self.report))

    def test_json_round_trips(self):
        data = json.loads(json.dumps(self.report))
        self.assertEqual(self.report['totals'], data['totals'])


class TestCommandLine(base.TestCase):

    def run_main(self, argv, stdin=None):
        out, err = io.StringIO(), io.StringIO()
        with mock.patch('sys.stderr', err):
            code = report.main(argv, stdin=stdin, stdout=out)
        return code, out.getvalue(), err.getvalue()

    def test_table_from_file(self):
        code, out, err = self.run_main([FIXTURE])
        self.assertEqual((0, ''), (code, err))
        self.assertIn('mattach-tempest report of %s' % FIXTURE, out)

    def test_stdin(self):
        with open(FIXTURE, 'rb') as f:
            code, out, _ = self.run_main([], stdin=io.BytesIO(f.read()))
        self.assertEqual(0, code)
        self.assertIn('report of stdin', out)

    def test_json_to_stdout(self):
        code, out, _ = self.run_main(['--json', FIXTURE])
        self.assertEqual(0, code)
        self.assertEqual(10, json.loads(out)['totals']['total'])

    def test_html_and_json_files_with_the_table(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: [os.unlink(os.path.join(tmp, f))
                                 for f in os.listdir(tmp)] and
                        os.rmdir(tmp))
        html_path = os.path.join(tmp, 'r.html')
        json_path = os.path.join(tmp, 'r.json')
        code, out, _ = self.run_main(['--html-file', html_path,
                                      '--json-file', json_path, FIXTURE])
        self.assertEqual(0, code)
        self.assertIn('VERDICT  TESTS', out)
        with open(html_path) as f:
            self.assertIn('multi-attach capabilities', f.read())
        with open(json_path) as f:
            self.assertEqual('FAIL', json.load(f)['verdict'])

    def test_html_to_stdout(self):
        code, out, _ = self.run_main(['--html', FIXTURE])
        self.assertEqual(0, code)
        self.assertTrue(out.startswith('<!DOCTYPE html>'))

    def test_unwritable_output_is_one_line(self):
        code, out, err = self.run_main(['--html-file', '/nonexistent/r.html',
                                        FIXTURE])
        self.assertEqual((2, ''), (code, out))
        self.assertEqual('mattach report: error: cannot write '
                         '/nonexistent/r.html: '
                         'No such file or directory\n', err)

    def test_bad_input_is_one_line(self):
        for argv, stdin, message in (
                (['/nonexistent.subunit'], None,
                 'mattach report: error: /nonexistent.subunit: cannot read: '
                 'No such file or directory\n'),
                ([], io.BytesIO(b'not subunit at all\n'),
                 'mattach report: error: stdin: not a subunit v2 stream: no '
                 'test packet\n'),
                ([], io.BytesIO(b''),
                 'mattach report: error: stdin: empty: no test results in '
                 'the stream\n')):
            code, out, err = self.run_main(argv, stdin)
            self.assertEqual((2, '', message), (code, out, err))


class TestKnownDefects(base.ConfiguredTestCase):
    """Acknowledged defects are counted and listed apart from the skips.

    The stream is made by a testtools run of fake tests decorated with
    known_defects.detects, so the skip reasons are the ones a real run
    of the suite gives.
    """

    def run_stream(self):
        import subunit
        import testtools

        from mattach_tempest.common import known_defects

        class Readonly(testtools.TestCase):
            # Named like the conformance tests so they are grouped.
            @known_defects.detects('cinder-readonly-access-mode')
            def test_readonly_volume_connections_are_ro(self):
                with known_defects.signature('cinder-readonly-access-mode'):
                    self.assertEqual('ro', 'rw', 'access_mode')

            def test_readonly_volume_attachments_are_ro(self):
                pass

            def test_readonly_config_skip(self):
                self.skipTest('[validation] run_validation is False')

        Readonly.__module__ = API + 'volume.test_multiattach_readonly'
        self.set_conf('mattach', known_defects=[
            'cinder-readonly-access-mode'])
        out = io.BytesIO()
        result = testtools.ExtendedToStreamDecorator(
            subunit.StreamResultToBytes(out))
        result.startTestRun()
        unittest.TestLoader().loadTestsFromTestCase(Readonly).run(result)
        result.stopTestRun()
        return report.build(report.read_stream(io.BytesIO(out.getvalue())),
                            'run.subunit')

    def test_grouping_counts_and_list(self):
        data = self.run_stream()
        self.assertEqual({'pass': 1, report.KNOWN_DEFECT: 1, 'skip': 1,
                          'total': 3}, data['totals'])
        self.assertEqual('KNOWN DEFECT', data['verdict'])
        [group] = [g for g in data['groups'] if g['tests']]
        self.assertEqual('read-only', group['name'])
        self.assertEqual('KNOWN DEFECT', group['verdict'])
        [defect] = data['known_defects']
        self.assertEqual('cinder-readonly-access-mode', defect['defect'])
        self.assertEqual('Readonly.test_readonly_volume_connections_are_ro',
                         defect['short_name'])
        self.assertEqual('read-only', defect['group'])
        self.assertIn('Reproduced: ', defect['reason'])
        self.assertIn('access_mode', defect['reason'])
        skips = [t for t in group['tests'] if t['status'] == 'skip']
        self.assertEqual(['Readonly.test_readonly_config_skip'],
                         [t['short_name'] for t in skips])
        self.assertIsNone(skips[0]['defect'])

    def test_text_html_and_json(self):
        data = self.run_stream()
        text = report.render_text(data)
        self.assertIn('KNOWN DEFECT  1 pass, 1 known-defect, 1 skip  '
                      'read-only\n', text)
        self.assertIn('== %s: 1\n' % report.DEFECTS_TITLE, text)
        self.assertRegex(text, r'\n  cinder-readonly-access-mode +Readonly\.'
                               r'test_readonly_volume_connections_are_ro +'
                               r'read-only\n')
        self.assertRegex(text, r'KNOWN-DEFECT +\d+\.\ds +Readonly\.test_')
        self.assertTrue(text.endswith(
            'Total: 3 test(s): 1 pass, 1 known-defect, 1 skip; verdict '
            'KNOWN DEFECT\n'), text)
        page = report.render_html(data)
        self.assertIn('<h2>%s: 1</h2>' % report.DEFECTS_TITLE, page)
        self.assertIn('<tr><td>cinder-readonly-access-mode</td>', page)
        self.assertIn('class="s KNOWN-DEFECT"', page)
        self.assertEqual(data['known_defects'],
                         json.loads(json.dumps(data))['known_defects'])

    def test_ordinary_skips_and_failures_are_not_defects(self):
        self.assertIsNone(report.acknowledged_defect(
            'Swap volume is not enabled'))
        self.assertEqual('cinder-attachment-status-filter',
                         report.acknowledged_defect(
                             'Known defect of this cloud, acknowledged in '
                             '[mattach] known_defects: '
                             'cinder-attachment-status-filter: GET ...'))
        records = read_fixture()
        self.assertNotIn(report.KNOWN_DEFECT,
                         {r['status'] for r in records})
        self.assertEqual([], report.build(records)['known_defects'])
