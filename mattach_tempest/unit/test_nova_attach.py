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

"""NovaAttachMixin (the API and scenario bases' attach and holders) with
fake clients."""

from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import waiters
from mattach_tempest.tests import nova_attach
from mattach_tempest.unit import test_waiters

# The waiter tests' fakes: scripted cinder answers, a fake clock.
FakeAttachmentsClient = test_waiters.FakeAttachmentsClient
FakeVolumesClient = test_waiters.FakeVolumesClient
record = test_waiters.record
volume = test_waiters.volume

VOLUME = {'id': test_waiters.VOLUME_ID, 'size': 1}
SERVER = {'id': test_waiters.SERVER_A}


class FakeVolumeAttachmentsClient(object):
    """Nova's os-volume_attachments: records each call in `log`.

    list_volume_attachments answers from `listings`: {server_id: [(volume
    id, attachment id)] or an exception}, no attachment for other servers;
    the microversion of each listing is recorded in `list_microversions`.
    Not covered: nova's own rules (this is the client's side only).
    """

    def __init__(self, log, body=None, listings=None):
        self.log = log
        self.body = {} if body is None else body
        self.listings = listings or {}
        self.list_microversions = []

    def list_volume_attachments(self, server_id, microversion):
        self.list_microversions.append(microversion)
        listed = self.listings.get(server_id, [])
        if isinstance(listed, Exception):
            raise listed
        return {'volumeAttachments': [
            dict({'volumeId': volume_id, 'serverId': server_id},
                 **({} if attachment_id is None
                    else {'attachment_id': attachment_id}))
            for volume_id, attachment_id in listed]}

    def attach_volume(self, server_id, volume_id, microversion):
        self.log.append(('attach', server_id, volume_id, microversion))
        return self.body

    def detach_volume(self, server_id, volume_id, microversion):
        self.log.append(('detach', server_id, volume_id, microversion))
        return {}


class Probe(nova_attach.NovaAttachMixin):
    """A test class's side of the mixin: clients, cleanups, microversion."""

    compute_request_microversion = '2.60'

    def __init__(self, volumes, attachments, body=None, listings=None):
        self.log = []
        self.volumes_client = volumes
        self.attachments_client = attachments
        self.servers_client = test_waiters.FakeServersClient()
        self.volume_attachments_client = FakeVolumeAttachmentsClient(
            self.log, body, listings)

    def addCleanup(self, function, *args):
        self.log.append(('cleanup', function.__name__) + args)


class AttachAndWaitTest(test_waiters.WaitersTestCase):

    def test_cleanup_first_then_the_attach_then_the_wait(self):
        volumes = FakeVolumesClient(
            volume('attaching'), volume('in-use', SERVER['id']))
        attachments = FakeAttachmentsClient([record('attaching')])
        probe = Probe(volumes, attachments,
                      body={'volumeAttachment': {'device': '/dev/vdb'}})
        body, attachment = probe.attach_and_wait(SERVER, VOLUME)
        self.assertEqual(
            [('cleanup', '_detach_for_cleanup', SERVER['id'], VOLUME['id']),
             ('attach', SERVER['id'], VOLUME['id'], '2.60')], probe.log)
        self.assertEqual('/dev/vdb', body['volumeAttachment']['device'])
        self.assertEqual('att-c3a1', attachment['attachment_id'])
        self.assertEqual(1, len(attachments.filters))

    def test_an_attach_nova_dropped_fails_fast(self):
        probe = Probe(FakeVolumesClient(volume('available')),
                      FakeAttachmentsClient([]))
        self.assertRaises(waiters.AttachFailedAsynchronously,
                          probe.attach_and_wait, SERVER, VOLUME)
        self.assertEqual([], self.clock.sleeps)

    def test_from_2_101_the_reserve_may_come_after_the_answer(self):
        volumes = FakeVolumesClient(
            volume('available'), volume('reserved'),
            volume('in-use', SERVER['id']))
        attachments = FakeAttachmentsClient([], [record('x')])
        probe = Probe(volumes, attachments)
        probe.attach_and_wait(SERVER, VOLUME, microversion='2.101')
        self.assertEqual(('attach', SERVER['id'], VOLUME['id'], '2.101'),
                         probe.log[1])
        self.assertEqual([3, 3], self.clock.sleeps)


class DetachTest(test_waiters.WaitersTestCase):

    def test_detach_waits_until_the_attachment_is_gone(self):
        volumes = FakeVolumesClient(
            volume('detaching', SERVER['id']), volume('available'))
        probe = Probe(volumes, None)
        probe.detach_volume(SERVER, VOLUME)
        self.assertEqual([('detach', SERVER['id'], VOLUME['id'], '2.60')],
                         probe.log)
        self.assertEqual(2, volumes.calls)

    def test_detach_waits_until_nova_no_longer_lists_it(self):
        probe = Probe(FakeVolumesClient(volume('available')), None,
                      listings={SERVER['id']: [(VOLUME['id'], None)]})
        self.set_conf('volume', build_timeout=9, build_interval=3)
        exc = self.assertRaises(lib_exc.TimeoutException,
                                probe.detach_volume, SERVER, VOLUME)
        self.assertIn('nova to stop listing volume %s on server %s'
                      % (VOLUME['id'], SERVER['id']), str(exc))

    def test_cleanup_detaches_what_cinder_lists(self):
        volumes = FakeVolumesClient(
            volume('in-use', SERVER['id']), volume('available'))
        probe = Probe(volumes, None)
        probe._detach_for_cleanup(SERVER['id'], VOLUME['id'])
        self.assertEqual([('detach', SERVER['id'], VOLUME['id'], '2.60')],
                         probe.log)

    def test_cleanup_waits_until_nova_no_longer_lists_it(self):
        # A server the class's tests share must list nothing of the
        # volume when the next test takes it.
        probe = Probe(FakeVolumesClient(volume('in-use', SERVER['id']),
                                        volume('available')), None,
                      listings={SERVER['id']: [(VOLUME['id'], None)]})
        self.set_conf('volume', build_timeout=9, build_interval=3)
        exc = self.assertRaises(lib_exc.TimeoutException,
                                probe._detach_for_cleanup, SERVER['id'],
                                VOLUME['id'])
        self.assertIn('nova to stop listing volume %s on server %s'
                      % (VOLUME['id'], SERVER['id']), str(exc))

    def test_cleanup_of_a_server_gone_is_done(self):
        probe = Probe(FakeVolumesClient(volume('in-use', SERVER['id']),
                                        volume('available')), None,
                      listings={SERVER['id']: lib_exc.NotFound()})
        probe._detach_for_cleanup(SERVER['id'], VOLUME['id'])
        self.assertEqual([('detach', SERVER['id'], VOLUME['id'], '2.60')],
                         probe.log)

    def test_cleanup_leaves_what_cinder_does_not_list(self):
        for volumes in (
                FakeVolumesClient(volume('in-use', test_waiters.SERVER_B)),
                FakeVolumesClient(lib_exc.NotFound())):
            probe = Probe(volumes, None)
            probe._detach_for_cleanup(SERVER['id'], VOLUME['id'])
            self.assertEqual([], probe.log)


class BlockDeviceMappingTest(test_waiters.WaitersTestCase):

    def test_data_volume_behind_the_image(self):
        self.set_conf('compute', image_ref='image-id')
        self.assertEqual(
            [{'uuid': 'image-id', 'source_type': 'image',
              'destination_type': 'local', 'boot_index': 0,
              'delete_on_termination': True},
             {'uuid': VOLUME['id'], 'source_type': 'volume',
              'destination_type': 'volume', 'boot_index': -1,
              'delete_on_termination': False}],
            nova_attach.data_volume_bdms(VOLUME['id']))

    def test_boot_volume(self):
        self.assertEqual(
            {'uuid': VOLUME['id'], 'source_type': 'volume',
             'destination_type': 'volume', 'boot_index': 0,
             'delete_on_termination': True},
            nova_attach.volume_bdm(VOLUME['id'], 0, True))


class HoldersTest(test_waiters.WaitersTestCase):
    """assertHeldBy asks cinder (two views) and nova the same."""

    A, B = test_waiters.SERVER_A, test_waiters.SERVER_B

    def setUp(self):
        super().setUp()
        # A cloud where nova lists attachment ids (2.89).
        self.set_conf('compute', max_microversion='latest')

    def probe(self, servers, records=None, listings=None):
        """A probe whose cinder lists `servers` attached to the volume.

        Nova lists each of them with cinder's attachment id unless
        `listings` says otherwise.
        """
        records = ([record('attached', s) for s in servers]
                   if records is None else records)
        nova = {s: [(VOLUME['id'], 'att-%s' % s[:4])] for s in servers}
        nova.update(listings or {})
        probe = Probe(FakeVolumesClient(volume(
            'in-use' if servers else 'available', *servers)),
            FakeAttachmentsClient(records), listings=nova)
        for name in ('assertEqual', 'assertNotIn'):
            setattr(probe, name, getattr(self, name))
        return probe

    def test_both_services_agree(self):
        probe = self.probe([self.A, self.B])
        self.assertEqual(
            {self.A: 'att-c3a1', self.B: 'att-9f8e'},
            probe.assertHeldBy(VOLUME['id'], [self.A, self.B]))
        # Nova's ids are read at 2.89, not at the class's 2.60.
        self.assertEqual(
            ['2.89', '2.89'],
            probe.volume_attachments_client.list_microversions)

    def test_nova_attachment_id_differing_from_cinders_fails(self):
        probe = self.probe([self.A, self.B], listings={
            self.B: [(VOLUME['id'], 'att-other')]})
        exc = self.assertRaises(
            AssertionError, probe.assertHeldBy, VOLUME['id'],
            [self.A, self.B])
        self.assertIn('What nova lists on server %s' % self.B, str(exc))

    def test_ids_are_not_compared_where_nova_lists_none(self):
        self.set_conf('compute', max_microversion='2.88')
        probe = self.probe([self.A], listings={
            self.A: [(VOLUME['id'], None)]})
        probe.assertHeldBy(VOLUME['id'], [self.A])
        self.assertEqual(
            ['2.60'], probe.volume_attachments_client.list_microversions)

    def test_holder_nova_does_not_list_fails(self):
        probe = self.probe([self.A], listings={self.A: []})
        self.assertRaises(AssertionError, probe.assertHeldBy,
                          VOLUME['id'], [self.A])

    def test_former_holder_nova_still_lists_fails(self):
        probe = self.probe([self.A], listings={
            self.B: [(VOLUME['id'], 'att-9f8e')]})
        exc = self.assertRaises(
            AssertionError, probe.assertHeldBy, VOLUME['id'],
            [self.A], former_holders=[self.B])
        self.assertIn('Nova still lists volume %s on server %s'
                      % (VOLUME['id'], self.B), str(exc))

    def test_former_holder_that_is_gone_is_fine(self):
        probe = self.probe([self.A], listings={self.B: lib_exc.NotFound()})
        probe.assertHeldBy(VOLUME['id'], [self.A], former_holders=[self.B])

    def test_a_reserved_record_beside_the_holders_fails(self):
        probe = self.probe([self.A], records=[
            record('attached', self.A), record('reserved', self.B)])
        exc = self.assertRaises(AssertionError, probe.assertHeldBy,
                                VOLUME['id'], [self.A])
        self.assertIn('The attachments API disagrees', str(exc))

    def test_a_claim_of_a_disconnected_server_is_expected_when_named(self):
        probe = self.probe([self.A], records=[
            record('attached', self.A), dict(record('reserved', self.B),
                                             id='claim-b')],
            listings={self.B: [(VOLUME['id'], 'claim-b')]})
        self.assertEqual(
            {self.A: 'att-c3a1', self.B: 'claim-b'},
            probe.assertHeldBy(VOLUME['id'], [self.A], claimed_by=[self.B]))

    def test_a_named_claim_that_is_missing_fails(self):
        probe = self.probe([self.A])
        exc = self.assertRaises(AssertionError, probe.assertHeldBy,
                                VOLUME['id'], [self.A], claimed_by=[self.B])
        self.assertIn('The reserved claims', str(exc))

    def test_a_claim_nova_does_not_list_fails(self):
        probe = self.probe([self.A], records=[
            record('attached', self.A), dict(record('reserved', self.B),
                                             id='claim-b')])
        exc = self.assertRaises(AssertionError, probe.assertHeldBy,
                                VOLUME['id'], [self.A], claimed_by=[self.B])
        self.assertIn('What nova lists on server %s' % self.B, str(exc))

    def test_unchanged_attachment_ids(self):
        probe = self.probe([self.A, self.B])
        self.assertEqual(
            {self.A: 'att-c3a1', self.B: 'att-9f8e'},
            probe.assertHeldBy(VOLUME['id'],
                               {self.A: 'att-c3a1', self.B: 'att-9f8e'}))

    def test_changed_attachment_id_fails(self):
        probe = self.probe([self.A])
        exc = self.assertRaises(AssertionError, probe.assertHeldBy,
                                VOLUME['id'], {self.A: 'att-before'})
        self.assertIn('The attachment ids of volume %s changed'
                      % VOLUME['id'], str(exc))

    def test_released(self):
        probe = self.probe([], listings={self.A: []})
        probe.assertReleased(VOLUME['id'], former_holders=[self.A])

    def test_released_with_a_reserved_record_left_fails(self):
        probe = self.probe([], records=[record('reserved', self.A)])
        exc = self.assertRaises(AssertionError, probe.assertReleased,
                                VOLUME['id'])
        self.assertIn('The attachments API disagrees', str(exc))
