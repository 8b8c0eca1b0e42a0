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

"""`mattach cleanup`: what it selects, the order it removes in, --dry-run,
its exit codes; on the stand-in cloud of cleanup_standin (whose docstring
says what a stand-in does not cover).
"""

import io
import os
import tempfile
import types

from mattach_tempest.cli.cleanup import command
from mattach_tempest.cli.cleanup import removal
from mattach_tempest.cli.cleanup import selection
from mattach_tempest.cli import common
from mattach_tempest.unit import base
from mattach_tempest.unit.cleanup_standin import FakeClock
from mattach_tempest.unit.cleanup_standin import StandinCloud

PREFIX = 'tempest'
CLASSES = {'AttachTest', 'TypesAdminTest'}
SUITE = 'p-suite'          # tempest-AttachTest-123
SUITE_ADMIN = 'p-suite2'   # tempest-TypesAdminTest-456
DECOY = 'p-decoy'


def attached(server_id, attachment_id):
    return {'server_id': server_id, 'attachment_id': attachment_id}


def res(resource_id, name, project_id=None, **extra):
    return dict(id=resource_id, name=name, project_id=project_id, **extra)


def interrupted_run():
    """A cloud a killed run left.

    With decoys in another project and another suite's resources under
    the same prefix.
    """
    return {
        'project': [res(SUITE, 'tempest-AttachTest-123'),
                    res(SUITE_ADMIN, 'tempest-TypesAdminTest-456'),
                    res(DECOY, 'decoys'),
                    res('p-other', 'tempest-OtherSuiteTest-789'),
                    res('p-admin', 'admin')],
        'user': [res('u1', 'tempest-AttachTest-123-project'),
                 res('u2', 'tempest-TypesAdminTest-456-project-admin'),
                 res('u-admin', 'admin'),
                 res('u-other', 'tempest-OtherSuiteTest-789-project')],
        'server': [
            res('s1', 'tempest-AttachTest-server-1', SUITE, status='ACTIVE'),
            # tempest.common.compute's own name: the project decides.
            res('s2', 'tempest-tempest.common.compute-instance-9', SUITE,
                status='ACTIVE'),
            res('ds1', 'decoy-a', DECOY, status='ACTIVE'),
            res('ds2', 'decoy-b', DECOY, status='ACTIVE'),
            res('ds3', 'decoy-lone', DECOY, status='ACTIVE'),
            res('os1', 'tempest-OtherSuiteTest-server-1', 'p-other',
                status='ACTIVE')],
        'volume': [
            res('v1', 'tempest-AttachTest-volume-1', SUITE, status='in-use',
                attachments=[attached('s1', 'a1'), attached('s2', 'a2')]),
            res('v2', 'tempest-AttachTest-volume-2', SUITE,
                status='available', attachments=[]),
            res('v3', 'tempest-AttachTest-volume-3', SUITE,
                status='reserved', attachments=[]),
            res('v4', 'tempest-TypesAdminTest-volume-4', SUITE_ADMIN,
                status='available', attachments=[],
                volume_type='tempest-TypesAdminTest-type-1'),
            res('dv1', 'decoy-shared', DECOY, status='in-use',
                attachments=[attached('ds1', 'da1'),
                             attached('ds2', 'da2')]),
            res('dv2', 'decoy-plain', DECOY, status='available',
                attachments=[]),
            res('ov1', 'tempest-OtherSuiteTest-volume-1', 'p-other',
                status='available', attachments=[])],
        'attachment': [
            res('a1', None, volume_id='v1', server_id='s1'),
            res('a2', None, volume_id='v1', server_id='s2'),
            # Reserved through cinder's attachments API, no server.
            res('a3', None, volume_id='v3', server_id=None),
            res('da1', None, volume_id='dv1', server_id='ds1'),
            res('da2', None, volume_id='dv1', server_id='ds2')],
        'snapshot': [res('sn1', 'tempest-AttachTest-snap-1', SUITE,
                         volume_id='v2', status='available')],
        'volume_type': [res('t1', 'tempest-TypesAdminTest-type-1'),
                        res('t2', 'multiattach'),
                        res('t3', 'tempest-OtherSuiteTest-type-2')],
        'image': [res('im1', 'tempest-AttachTest-image-3', SUITE),
                  res('im2', 'cirros', 'p-admin')],
        'keypair': [res('tempest-keypair-55', 'tempest-keypair-55',
                        user_id='u1'),
                    res('mine', 'mine', user_id='u-admin')],
        'security_group': [res('sg1', 'default', SUITE),
                           res('sg2', 'default', DECOY)],
    }


SUITE_IDS = {
    'project': {SUITE, SUITE_ADMIN}, 'user': {'u1', 'u2'},
    'server': {'s1', 's2'}, 'volume': {'v1', 'v2', 'v3', 'v4'},
    'attachment': {'a1', 'a2', 'a3'}, 'snapshot': {'sn1'},
    'volume_type': {'t1'}, 'image': {'im1'},
    'keypair': {'tempest-keypair-55'}, 'security_group': {'sg1'},
}


def plan_of(cloud, admin=True):
    inventory = cloud.inventory()
    names = selection.SuiteNames(PREFIX, CLASSES)
    plan = selection.plan_cleanup(inventory, names, admin)
    cloud.suite_keypairs(inventory, plan.ids('user'))
    return selection.plan_cleanup(inventory, names, admin)


class TestSuiteNames(base.TestCase):

    def test_prefix_then_a_suite_class(self):
        names = selection.SuiteNames(PREFIX, CLASSES)
        self.assertEqual('AttachTest',
                         names.suite_class('tempest-AttachTest-volume-1'))
        self.assertEqual('AttachTest',
                         names.suite_class('tempest-AttachTest-123-project'))
        for other in ('tempest-OtherSuiteTest-volume-1', 'AttachTest-1',
                      'tempestAttachTest-1', 'tempest-AttachTest', '',
                      None, 'xtempest-AttachTest-1'):
            self.assertIsNone(names.suite_class(other), other)

    def test_reasons_for_what_is_not_the_suites(self):
        names = selection.SuiteNames(PREFIX, CLASSES)
        self.assertEqual("name does not carry the suite prefix 'tempest'",
                         names.why_not('decoy'))
        self.assertIn('no test class of mattach_tempest',
                      names.why_not('tempest-OtherSuiteTest-1'))
        self.assertEqual('has no name', names.why_not(None))

    def test_no_prefix(self):
        names = selection.SuiteNames('', CLASSES)
        self.assertEqual('AttachTest', names.suite_class('AttachTest-1'))
        self.assertIsNone(names.suite_class('tempest-AttachTest-1'))


class TestSuiteClassNames(base.ConfiguredTestCase):

    def test_the_test_classes_of_the_package(self):
        found = selection.suite_class_names()
        self.assertIn('NovaAttachmentProtectionNegativeTest', found)
        self.assertIn('MultiattachBaseTest', found)
        self.assertTrue(all('-' not in name for name in found))


class TestSelection(base.TestCase):

    def test_admin_selects_the_suites_and_only_those(self):
        plan = plan_of(StandinCloud(interrupted_run()))
        for kind in selection.KINDS:
            self.assertEqual(SUITE_IDS.get(kind, set()), plan.ids(kind),
                             kind)

    def test_every_selection_and_skip_has_a_reason(self):
        plan = plan_of(StandinCloud(interrupted_run()))
        why = {(f.kind, f.id): f.why for f in plan.found}
        self.assertEqual('in project tempest-AttachTest-123 of the suite',
                         why[('server', 's2')])
        self.assertEqual('name carries the suite prefix and TypesAdminTest',
                         why[('volume_type', 't1')])
        self.assertEqual('of a user of the suite',
                         why[('keypair', 'tempest-keypair-55')])
        skipped = {(s.kind, s.id): s.reason for s in plan.skipped}
        self.assertEqual("name does not carry the suite prefix 'tempest', "
                         "not in a project of the suite",
                         skipped[('volume', 'dv1')])
        self.assertIn('no test class of mattach_tempest',
                      skipped[('volume_type', 't3')])
        self.assertIn(('server', 'decoy-lone'),
                      {(s.kind, s.name) for s in plan.skipped})
        self.assertIn(('volume', "name does not carry the suite prefix "
                                 "'tempest', not in a project of the suite",
                       2), plan.skipped_counts())

    def test_without_admin_only_names_decide(self):
        inventory = interrupted_run()
        for kind in ('project', 'user', 'volume_type'):
            inventory.pop(kind)
        plan = plan_of(StandinCloud(inventory, admin=False), admin=False)
        self.assertEqual({'s1'}, plan.ids('server'))
        self.assertEqual({'v1', 'v2', 'v3', 'v4'}, plan.ids('volume'))
        self.assertEqual(set(), plan.ids('keypair'))
        self.assertEqual(set(), plan.ids('security_group'))
        self.assertIn("name carries the prefix 'tempest' but no test class "
                      "of mattach_tempest",
                      {s.reason for s in plan.skipped if s.id == 's2'})


class TestRemoval(base.TestCase):

    def remove(self, cloud, wait_timeout=60):
        clock = FakeClock()
        work = removal.Removal(plan_of(cloud), cloud, wait_timeout,
                               io.StringIO(), clock=clock,
                               sleep=clock.sleep)
        return work.run()

    def test_leaves_only_what_is_not_the_suites(self):
        before = interrupted_run()
        cloud = StandinCloud(before)
        self.assertEqual([], self.remove(cloud))
        for kind, items in before.items():
            self.assertEqual({r['id'] for r in items} -
                             SUITE_IDS.get(kind, set()), cloud.ids(kind),
                             kind)
        decoy = cloud.resources['volume']['dv1']
        self.assertEqual(('in-use', ['ds1', 'ds2']), (
            decoy['status'], [a['server_id'] for a in decoy['attachments']]))
        touched = {call[-1] for call in cloud.changes()} | {
            call[1] for call in cloud.changes() if call[0] == 'detach'}
        self.assertFalse(touched & {'ds1', 'ds2', 'ds3', 'dv1', 'dv2', 'da1',
                                    'da2', 't2', 't3', 'os1', 'ov1', DECOY,
                                    'p-other', 'u-other', 'mine', 'sg2'})

    def test_order_the_services_allow(self):
        cloud = StandinCloud(interrupted_run())
        self.remove(cloud)
        calls = cloud.changes()

        def first(*call):
            return calls.index(call)

        def last(kind):
            return max(i for i, c in enumerate(calls)
                       if c[0] == 'delete' and c[1] == kind)
        self.assertLess(first('detach', 's1', 'v1'),
                        first('delete', 'server', 's1'))
        self.assertLess(first('detach', 's2', 'v1'),
                        first('delete', 'server', 's1'))
        self.assertLess(last('server'), first('delete', 'attachment', 'a3'))
        self.assertLess(first('delete', 'snapshot', 'sn1'),
                        first('delete', 'volume', 'v2'))
        self.assertLess(last('volume'), first('delete', 'volume_type', 't1'))
        self.assertLess(last('user'), first('delete', 'project', SUITE))
        # Nova's attachments never go through cinder (bug 2004555).
        self.assertNotIn(('delete', 'attachment', 'a1'), calls)

    def test_suite_volume_on_a_foreign_server_is_left_attached(self):
        run = interrupted_run()
        run['volume'][1]['attachments'] = [attached('ds3', 'x1')]
        run['volume'][1]['status'] = 'in-use'
        cloud = StandinCloud(run)
        failures = self.remove(cloud)
        self.assertEqual(["volume v2 (tempest-AttachTest-volume-2): held by "
                          "server ds3, not the suite's: left attached"],
                         failures)
        self.assertNotIn(('detach', 'ds3', 'v2'), cloud.changes())
        self.assertIn('v2', cloud.ids('volume'))
        # Its project and the project's users are kept; the rest goes.
        self.assertEqual({SUITE}, cloud.ids('project') & SUITE_IDS['project'])
        self.assertEqual({'u1'}, cloud.ids('user') & SUITE_IDS['user'])

    def test_every_wait_is_bounded_and_named(self):
        cloud = StandinCloud(interrupted_run(), never_gone={('server', 's1')})
        failures = self.remove(cloud, wait_timeout=30)
        self.assertEqual(['server s1 (tempest-AttachTest-server-1): timed '
                          'out after 30s waiting for its delete (status '
                          'ACTIVE)'], failures)
        # What is inside a project that keeps something is kept with it.
        self.assertIn(SUITE, cloud.ids('project'))
        self.assertIn('u1', cloud.ids('user'))
        self.assertNotIn(SUITE_ADMIN, cloud.ids('project'))

    def test_a_volume_never_released_times_out(self):
        run = interrupted_run()
        run['volume'][1]['status'] = 'detaching'
        cloud = StandinCloud(run)
        failures = self.remove(cloud, wait_timeout=30)
        self.assertEqual(['volume v2 (tempest-AttachTest-volume-2): timed '
                          'out after 30s waiting for it to be released '
                          '(status detaching)'], failures)
        self.assertNotIn(('delete', 'volume', 'v2'), cloud.changes())
        self.assertIn(SUITE, cloud.ids('project'))


class TestCommand(base.TestCase):

    def setUp(self):
        super().setUp()
        fd, self.config_file = tempfile.mkstemp(suffix='.conf')
        os.close(fd)
        self.addCleanup(os.unlink, self.config_file)

    def run_main(self, cloud, *args):
        conf = types.SimpleNamespace(resource_name_prefix=PREFIX)

        def connect(path, timeout):
            self.assertEqual(self.config_file, path)
            return cloud, conf, 'admin at http://keystone/v3'
        out, err = io.StringIO(), io.StringIO()
        clock = FakeClock()
        with self.patch_stderr(err):
            code = command.main(['--config-file', self.config_file] +
                                list(args), stdout=out, connect=connect,
                                class_names=CLASSES, clock=clock,
                                sleep=clock.sleep)
        return code, out.getvalue(), err.getvalue()

    def patch_stderr(self, err):
        from unittest import mock
        return mock.patch('sys.stderr', err)

    def test_dry_run_lists_and_touches_nothing(self):
        cloud = StandinCloud(interrupted_run())
        code, out, err = self.run_main(cloud, '--dry-run')
        self.assertEqual((0, ''), (code, err))
        self.assertEqual([], cloud.changes())
        self.assertIn('would remove 18:', out)
        self.assertIn('tempest-AttachTest-volume-1', out)
        self.assertIn("skip volume dv1 (decoy-shared): name does not carry "
                      "the suite prefix 'tempest', not in a project of the "
                      "suite", out)
        self.assertIn("  2 volume: name does not carry the suite prefix "
                      "'tempest', not in a project of the suite", out)

    def test_rc_0_when_all_removed_and_on_a_clean_cloud(self):
        cloud = StandinCloud(interrupted_run())
        code, out, err = self.run_main(cloud)
        self.assertEqual((0, ''), (code, err))
        self.assertIn('removed 18 of 18; 0 could not be removed', out)
        code, out, err = self.run_main(cloud)
        self.assertEqual((0, ''), (code, err))
        self.assertIn('nothing of the suite found', out)

    def test_rc_1_when_something_stays(self):
        cloud = StandinCloud(interrupted_run(),
                             never_gone={('snapshot', 'sn1')})
        code, out, err = self.run_main(cloud)
        self.assertEqual(common.EXIT_FAILED, code)
        self.assertIn('mattach cleanup: error: snapshot sn1 ', err)
        self.assertNotIn('Traceback', err)

    def test_rc_1_when_the_cloud_cannot_be_listed(self):
        cloud = StandinCloud(interrupted_run())
        cloud.list_error = 'list volumes: endpoint unreachable: timed out'
        code, out, err = self.run_main(cloud)
        self.assertEqual((1, 'mattach cleanup: error: cannot list what the '
                          'cloud holds: list volumes: endpoint unreachable: '
                          'timed out\n'), (code, err))
        self.assertEqual([], cloud.changes())

    def test_rc_2_without_a_tempest_conf(self):
        err = io.StringIO()
        with self.patch_stderr(err):
            code = command.main(['--config-file', '/nonexistent.conf'])
        self.assertEqual(2, code)
        self.assertEqual('mattach cleanup: error: no tempest.conf at '
                         '/nonexistent.conf (give --config-file, or run in '
                         'a tempest workspace)\n', err.getvalue())
