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

"""Cinder snapshots of a multiattach volume while servers hold it.

Behaviour rule 13 (doc/source/behaviour.rst): from volume microversion
3.66 a snapshot of an in-use volume needs no force flag; below 3.66 it is
refused with 400 unless force=true.
"""

from tempest.lib.common.utils import test_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips


# cinder volume/api.py _create_snapshot_in_db(), InvalidVolume (400)
# without force below 3.66.
IN_USE_SNAPSHOT_REFUSED = ('status must be available, but current status '
                           'is: in-use')


class SnapshotBaseTest(base.MultiattachBaseTest):
    """Snapshots whose delete is registered before they can leak."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_enabled(cls, 'volume-feature-enabled', 'snapshot',
                             'Volume snapshots are not enabled')

    def snapshot_name(self):
        return self.resource_name('snap')

    def snapshots_named(self, name):
        """The project's snapshots called `name`.

        Matched here rather than with the API's name filter: from 3.33
        cinder accepts only the filters its resource_filters.json lists,
        and a cleanup must not depend on how the operator configured it.
        """
        return [snapshot for snapshot in self.snapshots_client.
                list_snapshots()['snapshots'] if snapshot['name'] == name]

    def expect_no_snapshot_named(self, name):
        """Register the delete of any snapshot called `name`.

        Registered after the volume is created, so it runs first (cleanups
        run last in, first out): the volume cannot be deleted while a
        snapshot of it exists.
        """
        def delete_named():
            for snapshot in self.snapshots_named(name):
                test_utils.call_and_ignore_notfound_exc(
                    self.snapshots_client.delete_snapshot, snapshot['id'])
                self.snapshots_client.wait_for_resource_deletion(
                    snapshot['id'])
        self.addCleanup(delete_named)


class MultiattachSnapshotTest(SnapshotBaseTest):
    """At >= 3.66 an in-use multiattach volume is snapshotted."""

    volume_min_microversion = '3.66'

    @decorators.idempotent_id('143f9067-2728-4226-b758-84dd02fc3b15')
    @unstable.services('compute', 'volume')
    def test_snapshot_in_use_multiattach_volume(self):
        """A snapshot of a volume two servers hold needs no force.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Snapshot it without force (3.66): accepted.
        3. The snapshot becomes available, of this volume; the volume is
           still in-use with both attachments (same ids).
        4. Cleanup deletes the snapshot before the volume.
        """
        volume, _servers, attachments = self.create_shared_volume()
        name = self.snapshot_name()
        self.expect_no_snapshot_named(name)
        snapshot = self.snapshots_client.create_snapshot(
            volume_id=volume['id'], name=name)['snapshot']

        def settled():
            shown = self.snapshots_client.show_snapshot(snapshot['id'])[
                'snapshot']
            return shown['status'] != 'creating', shown
        shown = waiters.wait_until(
            settled, 'snapshot %s of volume %s to be created'
            % (snapshot['id'], volume['id']))
        self.assertEqual('available', shown['status'])
        self.assertEqual(volume['id'], shown['volume_id'])
        self.assertHeldBy(volume['id'], attachments)


class MultiattachSnapshotNegativeTest(SnapshotBaseTest):
    """Below 3.66 an in-use multiattach volume needs force to snapshot."""

    volume_max_microversion = '3.65'

    @decorators.attr(type='negative')
    @decorators.idempotent_id('3ab0c674-a21d-4d8b-a07d-3a7208f0df51')
    @unstable.services('compute', 'volume')
    def test_snapshot_in_use_without_force_refused(self):
        """A snapshot without force of a volume servers hold is a 400.

        Steps:
        1. Attach one multiattach volume to servers A and B.
        2. Snapshot it without force at the class's microversion (< 3.66):
           400 "... status must be available, but current status is:
           in-use".
        3. No snapshot of that name exists; the volume is still in-use
           with both attachments (same ids).
        """
        volume, _servers, attachments = self.create_shared_volume()
        name = self.snapshot_name()
        self.expect_no_snapshot_named(name)
        self.assertRefused(lib_exc.BadRequest, IN_USE_SNAPSHOT_REFUSED,
                           self.snapshots_client.create_snapshot,
                           volume_id=volume['id'], name=name)
        self.assertEqual([], self.snapshots_named(name))
        self.assertHeldBy(volume['id'], attachments)
