"""NovaAttachMixin (the API and scenario bases' attach) with fake clients."""

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
    """Nova's os-volume_attachments: records each call in `log`."""

    def __init__(self, log, body=None):
        self.log = log
        self.body = {} if body is None else body

    def attach_volume(self, server_id, volume_id, microversion):
        self.log.append(('attach', server_id, volume_id, microversion))
        return self.body

    def detach_volume(self, server_id, volume_id, microversion):
        self.log.append(('detach', server_id, volume_id, microversion))
        return {}


class Probe(nova_attach.NovaAttachMixin):
    """A test class's side of the mixin: clients, cleanups, microversion."""

    nova_microversion = '2.60'

    def __init__(self, volumes, attachments, body=None):
        self.log = []
        self.volumes_client = volumes
        self.attachments_client = attachments
        self.servers_client = test_waiters.FakeServersClient()
        self.volume_attachments_client = FakeVolumeAttachmentsClient(
            self.log, body)

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

    def test_cleanup_detaches_what_cinder_lists(self):
        volumes = FakeVolumesClient(
            volume('in-use', SERVER['id']), volume('available'))
        probe = Probe(volumes, None)
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
