"""mattach_tempest.common.waiters with a fake clock and fake clients."""

import fixtures
from tempest.lib import exceptions as lib_exc

from mattach_tempest.common import waiters
from mattach_tempest.unit import base

VOLUME_ID = '7d6a2c1e-0b77-4e55-9a5d-5d3e2f9b0a11'
SERVER_A = 'c3a1f0de-52d8-4c35-8d1b-0f9a5e8e2b22'
SERVER_B = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b55'


class FakeClock(object):
    """time.time()/time.sleep() for the waiters: sleeping moves time."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class FakeVolumesClient(object):
    """show_volume answers from a script; the last answer repeats.

    Each scripted item is a volume dict or an exception instance to raise.
    """

    def __init__(self, *script):
        self.script = list(script)
        self.calls = 0

    def show_volume(self, volume_id):
        assert volume_id == VOLUME_ID, volume_id
        item = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        if isinstance(item, Exception):
            raise item
        return {'volume': item}


def volume(status, *servers):
    return {'id': VOLUME_ID, 'status': status, 'multiattach': True,
            'attachments': [{'server_id': server, 'volume_id': VOLUME_ID,
                             'attachment_id': 'att-%s' % server[:4],
                             'device': '/dev/vdb'} for server in servers]}


class WaitersTestCase(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.clock = FakeClock()
        self.useFixture(fixtures.MockPatchObject(waiters, 'time', self.clock))
        self.set_conf('volume', build_timeout=30, build_interval=3)

    @property
    def waited(self):
        return sum(self.clock.sleeps)


class WaitUntilTest(WaitersTestCase):

    def test_returns_the_value_at_once(self):
        self.assertEqual('v', waiters.wait_until(lambda: (True, 'v'), 'x'))
        self.assertEqual([], self.clock.sleeps)

    def test_polls_at_the_interval_until_done(self):
        answers = iter([(False, 1), (False, 2), (True, 3)])
        self.assertEqual(3, waiters.wait_until(lambda: next(answers), 'x',
                                               timeout=60, interval=5))
        self.assertEqual([5, 5], self.clock.sleeps)

    def test_times_out_naming_what_timeout_and_last_seen(self):
        seen = iter(range(100))
        exc = self.assertRaises(
            lib_exc.TimeoutException, waiters.wait_until,
            lambda: (False, 'status=attaching #%d' % next(seen)),
            'volume v to be attached to server s', timeout=10, interval=2)
        message = str(exc)
        self.assertIn('volume v to be attached to server s', message)
        self.assertIn('10 s', message)
        self.assertIn('status=attaching #5', message)
        self.assertEqual(10, self.waited)

    def test_defaults_come_from_volume_build_timeout_and_interval(self):
        exc = self.assertRaises(lib_exc.TimeoutException, waiters.wait_until,
                                lambda: (False, None), 'y')
        self.assertIn('30 s', str(exc))
        self.assertEqual([3] * 10, self.clock.sleeps)

    def test_a_zero_timeout_checks_once(self):
        calls = []
        self.assertRaises(lib_exc.TimeoutException, waiters.wait_until,
                          lambda: calls.append(1) or (False, None), 'z',
                          timeout=0)
        self.assertEqual([1], calls)

    def test_predicate_errors_propagate(self):
        def broken():
            raise lib_exc.NotFound()
        self.assertRaises(lib_exc.NotFound, waiters.wait_until, broken, 'w')


class WaitForAttachmentTest(WaitersTestCase):

    def test_returns_the_servers_attachment_once_listed(self):
        client = FakeVolumesClient(volume('reserved'),
                                   volume('attaching'),
                                   volume('in-use', SERVER_A))
        attachment = waiters.wait_for_attachment(client, VOLUME_ID,
                                                 SERVER_A)
        self.assertEqual(SERVER_A, attachment['server_id'])
        self.assertEqual('att-c3a1', attachment['attachment_id'])
        self.assertEqual(3, client.calls)

    def test_another_servers_attachment_does_not_count(self):
        client = FakeVolumesClient(volume('in-use', SERVER_A),
                                   volume('attaching', SERVER_A),
                                   volume('in-use', SERVER_A, SERVER_B))
        attachment = waiters.wait_for_attachment(client, VOLUME_ID,
                                                 SERVER_B)
        self.assertEqual(SERVER_B, attachment['server_id'])
        self.assertEqual([3, 3], self.clock.sleeps)

    def test_returns_what_the_wait_saw(self):
        # The attachment may be gone by the time a second GET would run
        # (a concurrent detach): the waiter returns the one it saw.
        client = FakeVolumesClient(volume('in-use', SERVER_A),
                                   volume('available'))
        attachment = waiters.wait_for_attachment(client, VOLUME_ID,
                                                 SERVER_A)
        self.assertEqual(SERVER_A, attachment['server_id'])

    def test_error_status_fails_fast(self):
        client = FakeVolumesClient(volume('attaching'), volume('error'))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_attachment, client,
                                VOLUME_ID, SERVER_A)
        self.assertIn('went to error', str(exc))
        self.assertIn(VOLUME_ID, str(exc))
        self.assertIn(SERVER_A, str(exc))
        self.assertEqual([3], self.clock.sleeps)

    def test_times_out_with_the_last_status_and_attachments(self):
        client = FakeVolumesClient(volume('in-use', SERVER_B))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_attachment, client,
                                VOLUME_ID, SERVER_A)
        message = str(exc)
        self.assertIn('volume %s to be attached to server %s'
                      % (VOLUME_ID, SERVER_A), message)
        self.assertIn('30 s', message)
        self.assertIn('in-use', message)
        self.assertIn(SERVER_B, message)


class WaitForAttachmentRemovedTest(WaitersTestCase):

    def test_returns_once_the_server_is_no_longer_listed(self):
        client = FakeVolumesClient(volume('detaching', SERVER_A, SERVER_B),
                                   volume('in-use', SERVER_B))
        waiters.wait_for_attachment_removed(client, VOLUME_ID, SERVER_A)
        self.assertEqual(2, client.calls)

    def test_other_attachments_may_stay(self):
        client = FakeVolumesClient(volume('in-use', SERVER_B))
        waiters.wait_for_attachment_removed(client, VOLUME_ID, SERVER_A)
        self.assertEqual([], self.clock.sleeps)

    def test_not_found_means_removed(self):
        client = FakeVolumesClient(volume('in-use', SERVER_A),
                                   lib_exc.NotFound())
        waiters.wait_for_attachment_removed(client, VOLUME_ID, SERVER_A)
        self.assertEqual(2, client.calls)

    def test_times_out_naming_the_attachment(self):
        client = FakeVolumesClient(volume('in-use', SERVER_A))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_attachment_removed, client,
                                VOLUME_ID, SERVER_A)
        message = str(exc)
        self.assertIn('the attachment of volume %s to server %s to go'
                      % (VOLUME_ID, SERVER_A), message)
        self.assertIn('30 s', message)
        self.assertIn(SERVER_A, message)


class WaitForVolumeStatusTest(WaitersTestCase):

    def test_returns_the_volume_in_that_status(self):
        client = FakeVolumesClient(volume('creating'), volume('available'),
                                   volume('in-use', SERVER_A))
        self.assertEqual('available', waiters.wait_for_volume_status(
            client, VOLUME_ID, 'available')['status'])
        self.assertEqual(2, client.calls)

    def test_error_fails_fast(self):
        client = FakeVolumesClient(volume('creating'), volume('error'))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_volume_status, client,
                                VOLUME_ID, 'available')
        self.assertIn('went to error while waiting for available', str(exc))
        self.assertEqual([3], self.clock.sleeps)

    def test_waiting_for_an_error_status_works(self):
        client = FakeVolumesClient(volume('deleting'), volume('error'))
        self.assertEqual('error', waiters.wait_for_volume_status(
            client, VOLUME_ID, 'error')['status'])

    def test_times_out_with_the_last_status(self):
        client = FakeVolumesClient(volume('reserved'))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_volume_status, client,
                                VOLUME_ID, 'available')
        self.assertIn('volume %s to reach status available' % VOLUME_ID,
                      str(exc))
        self.assertIn('last seen: reserved', str(exc))


class WaitForVolumeSettledTest(WaitersTestCase):

    def test_settles_in_use_or_available(self):
        for final in (volume('in-use', SERVER_A), volume('available')):
            client = FakeVolumesClient(volume('reserved'),
                                       volume('attaching'), final)
            self.assertEqual(final, waiters.wait_for_volume_settled(
                client, VOLUME_ID))

    def test_times_out_while_reserved(self):
        client = FakeVolumesClient(volume('reserved'))
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_volume_settled, client,
                                VOLUME_ID)
        self.assertIn('settle in in-use or available', str(exc))
        self.assertIn('reserved', str(exc))
