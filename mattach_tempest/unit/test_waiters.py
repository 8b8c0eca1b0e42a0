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

"""mattach_tempest.common.waiters with a fake clock and fake clients."""

import socket
import threading

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


class FakeMessagesClient(object):
    """list_messages_about answers `answer`, or raises it."""

    def __init__(self, answer):
        self.answer = answer
        self.asked = []

    def list_messages_about(self, resource_uuid):
        self.asked.append(resource_uuid)
        if isinstance(self.answer, Exception):
            raise self.answer
        return {'messages': self.answer}


def volume(status, *servers):
    return {'id': VOLUME_ID, 'status': status, 'multiattach': True,
            'attachments': [{'server_id': server, 'volume_id': VOLUME_ID,
                             'attachment_id': 'att-%s' % server[:4],
                             'device': '/dev/vdb'} for server in servers]}


def record(status, server=SERVER_A):
    """A record of cinder's attachments list (summary view)."""
    return {'id': 'att-%s' % server[:4], 'status': status,
            'instance': server, 'volume_id': VOLUME_ID}


class FakeAttachmentsClient(object):
    """list_attachments answers from a script of record lists.

    The last answer repeats; each call's filters are recorded.
    """

    def __init__(self, *script):
        self.script = list(script)
        self.filters = []

    def list_attachments(self, **filters):
        item = self.script[min(len(self.filters), len(self.script) - 1)]
        self.filters.append(filters)
        return {'attachments': list(item)}


class FakeServersClient(object):
    """show_server and the instance actions of one server.

    :param actions: the instanceActions list; an exception instance is
        raised instead.
    :param events: {request_id: events} for show_instance_action.
    """

    def __init__(self, server=None, actions=(), events=None):
        self.server = server or {'id': SERVER_A, 'status': 'ACTIVE'}
        self.actions = actions
        self.events = events or {}

    def show_server(self, server_id):
        assert server_id == SERVER_A, server_id
        if isinstance(self.server, Exception):
            raise self.server
        return {'server': self.server}

    def list_instance_actions(self, server_id):
        if isinstance(self.actions, Exception):
            raise self.actions
        return {'instanceActions': list(self.actions)}

    def show_instance_action(self, server_id, request_id):
        return {'instanceAction': {'request_id': request_id,
                                   'events': self.events.get(request_id,
                                                             [])}}


ATTACH_ACTION = {'action': 'attach_volume', 'request_id': 'req-attach',
                 'start_time': '2026-11-22T07:00:10.000000',
                 'message': None}
CREATE_ACTION = {'action': 'create', 'request_id': 'req-create',
                 'start_time': '2026-11-22T07:00:00.000000',
                 'message': None}
ATTACH_ERROR = [{'event': 'compute_attach_volume', 'result': 'Error',
                 'start_time': '2026-11-22T07:00:11.000000'}]


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


class WaitForAttachmentFailFastTest(WaitersTestCase):
    """An attach nova gave up on: its cinder attachment record is gone."""

    def wait(self, volumes, attachments, servers=None, grace=0):
        return waiters.wait_for_attachment(
            volumes, VOLUME_ID, SERVER_A, attachments_client=attachments,
            servers_client=servers, grace=grace)

    def assertFailsFast(self, volumes, attachments, servers=None, grace=0):
        exc = self.assertRaises(waiters.AttachFailedAsynchronously,
                                self.wait, volumes, attachments, servers,
                                grace)
        message = str(exc)
        self.assertIn('The attach of volume %s to server %s failed '
                      'asynchronously' % (VOLUME_ID, SERVER_A), message)
        return message

    def test_record_gone_after_it_was_seen_fails_at_once(self):
        volumes = FakeVolumesClient(volume('reserved'), volume('attaching'),
                                    volume('available'))
        attachments = FakeAttachmentsClient([record('reserved')],
                                            [record('attaching')], [])
        message = self.assertFailsFast(volumes, attachments,
                                       FakeServersClient())
        self.assertIn('its attachment att-c3a1 (last seen attaching) is '
                      'gone', message)
        self.assertIn('Volume status available', message)
        self.assertEqual([3, 3], self.clock.sleeps)

    def test_no_record_on_the_first_poll_fails_without_grace(self):
        # Below compute 2.101 nova answered after reserving the record.
        volumes = FakeVolumesClient(volume('available'))
        message = self.assertFailsFast(volumes, FakeAttachmentsClient([]))
        self.assertIn('no attachment record for the server after 0 s',
                      message)
        self.assertEqual([], self.clock.sleeps)

    def test_no_record_within_the_grace_is_waited_for(self):
        # From 2.101 nova reserves after answering.
        volumes = FakeVolumesClient(volume('available'), volume('available'),
                                    volume('reserved'),
                                    volume('in-use', SERVER_A))
        attachments = FakeAttachmentsClient([], [], [record('reserved')])
        attachment = self.wait(volumes, attachments, grace=10)
        self.assertEqual(SERVER_A, attachment['server_id'])
        self.assertEqual([3, 3, 3], self.clock.sleeps)

    def test_no_record_after_the_grace_fails(self):
        volumes = FakeVolumesClient(volume('available'))
        message = self.assertFailsFast(volumes, FakeAttachmentsClient([]),
                                       grace=10)
        self.assertIn('no attachment record for the server after 12 s',
                      message)
        self.assertEqual([3, 3, 3, 3], self.clock.sleeps)

    def test_lists_records_of_this_volume_and_server(self):
        attachments = FakeAttachmentsClient([record('attaching')])
        self.wait(FakeVolumesClient(volume('attaching'),
                                    volume('in-use', SERVER_A)), attachments)
        self.assertEqual([{'volume_id': VOLUME_ID, 'instance_id': SERVER_A}],
                         attachments.filters)

    def test_another_servers_record_does_not_count(self):
        # A cloud ignoring the instance_id filter lists every record.
        volumes = FakeVolumesClient(volume('reserved', SERVER_B))
        self.assertFailsFast(volumes, FakeAttachmentsClient(
            [record('attached', SERVER_B)]))

    def test_the_volume_view_is_read_first(self):
        # Attached: the records are not listed at all.
        attachments = FakeAttachmentsClient([])
        self.wait(FakeVolumesClient(volume('in-use', SERVER_A)), attachments)
        self.assertEqual([], attachments.filters)

    def test_a_record_that_stays_times_out_naming_it(self):
        volumes = FakeVolumesClient(volume('attaching'))
        exc = self.assertRaises(
            lib_exc.TimeoutException, self.wait, volumes,
            FakeAttachmentsClient([record('attaching')]))
        self.assertIn("[('att-c3a1', 'attaching')]", str(exc))
        self.assertIn('30 s', str(exc))

    def test_error_status_still_fails_first(self):
        volumes = FakeVolumesClient(volume('error'))
        exc = self.assertRaises(lib_exc.TimeoutException, self.wait,
                                volumes, FakeAttachmentsClient([]))
        self.assertIn('went to error', str(exc))

    def test_the_error_names_the_last_instance_action_and_its_events(self):
        servers = FakeServersClient(
            actions=[CREATE_ACTION, ATTACH_ACTION],
            events={'req-attach': ATTACH_ERROR})
        message = self.assertFailsFast(
            FakeVolumesClient(volume('available')),
            FakeAttachmentsClient([]), servers)
        self.assertIn('status ACTIVE', message)
        self.assertIn('fault (none shown)', message)
        self.assertIn('last instance action attach_volume (request '
                      'req-attach', message)
        self.assertIn("[('compute_attach_volume', 'Error')]", message)

    def test_the_error_names_the_servers_fault(self):
        fault = {'code': 500, 'message': 'Failed to attach volume'}
        servers = FakeServersClient(
            server={'id': SERVER_A, 'status': 'ERROR', 'fault': fault})
        message = self.assertFailsFast(
            FakeVolumesClient(volume('available')),
            FakeAttachmentsClient([]), servers)
        self.assertIn('status ERROR', message)
        self.assertIn('Failed to attach volume', message)
        self.assertIn('no instance action', message)

    def test_what_is_not_visible_is_said(self):
        servers = FakeServersClient(actions=lib_exc.Forbidden())
        message = self.assertFailsFast(
            FakeVolumesClient(volume('available')),
            FakeAttachmentsClient([]), servers)
        self.assertIn('instance actions not visible', message)
        message = self.assertFailsFast(
            FakeVolumesClient(volume('available')),
            FakeAttachmentsClient([]),
            FakeServersClient(server=lib_exc.NotFound()))
        self.assertIn('server: (not shown:', message)
        message = self.assertFailsFast(
            FakeVolumesClient(volume('available')),
            FakeAttachmentsClient([]))
        self.assertIn('(no servers client to look with)', message)


class ReserveGraceTest(base.TestCase):

    def test_below_2_101_nova_has_reserved_before_answering(self):
        for microversion in (None, '2.60', '2.89', '2.100'):
            self.assertEqual(0, waiters.reserve_grace(microversion),
                             microversion)

    def test_from_2_101_nova_may_reserve_after_answering(self):
        for microversion in ('2.101', '2.102', 'latest'):
            self.assertEqual(waiters.ASYNC_RESERVE_GRACE,
                             waiters.reserve_grace(microversion),
                             microversion)


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


SHELVE_ACTION = {'action': 'shelve', 'request_id': 'req-shelve-2',
                 'start_time': '2026-11-22T07:01:00.000000', 'message': None}
OLD_SHELVE = {'action': 'shelve', 'request_id': 'req-shelve-1',
              'start_time': '2026-11-22T07:00:30.000000', 'message': None}


def shelve_event(finish_time):
    return [{'event': 'compute_shelve_instance', 'result': None,
             'start_time': '2026-11-22T07:01:01.000000',
             'finish_time': finish_time}]


class ChangingEventsServersClient(FakeServersClient):
    """The last shelve's events as nova shows them, one answer a poll."""

    def __init__(self, answers, actions=(CREATE_ACTION, OLD_SHELVE,
                                         SHELVE_ACTION)):
        super().__init__(actions=actions,
                         events={'req-shelve-1': shelve_event('old')})
        self.answers = list(answers)
        self.asked = []

    def show_instance_action(self, server_id, request_id):
        self.asked.append(request_id)
        if request_id == 'req-shelve-2':
            self.events[request_id] = self.answers.pop(0)
        return super().show_instance_action(server_id, request_id)


class WaitForInstanceActionFinishedTest(WaitersTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', build_timeout=20, build_interval=2)

    def wait(self, servers):
        waiters.wait_for_instance_action_finished(servers, SERVER_A,
                                                  'shelve')

    def test_waits_until_the_last_actions_events_have_finished(self):
        servers = ChangingEventsServersClient(
            [[], shelve_event(None), shelve_event('2026-11-22T07:01:04')])
        self.wait(servers)
        self.assertEqual(['req-shelve-2'] * 3, servers.asked)
        self.assertEqual([2, 2], self.clock.sleeps)

    def test_every_event_must_have_finished(self):
        half = shelve_event('2026-11-22T07:01:02') + [
            {'event': 'compute_shelve_offload_instance', 'result': None,
             'finish_time': None}]
        servers = ChangingEventsServersClient([half] * 20)
        self.assertRaises(lib_exc.TimeoutException, self.wait, servers)

    def test_an_earlier_finished_action_does_not_count(self):
        servers = ChangingEventsServersClient([shelve_event(None)] * 20)
        exc = self.assertRaises(lib_exc.TimeoutException, self.wait,
                                servers)
        message = str(exc)
        self.assertIn('nova to finish the shelve of server %s' % SERVER_A,
                      message)
        self.assertIn('20 s', message)
        self.assertIn("('compute_shelve_instance', None)", message)

    def test_no_such_action_is_waited_for_and_named(self):
        servers = ChangingEventsServersClient([], actions=[CREATE_ACTION])
        exc = self.assertRaises(lib_exc.TimeoutException, self.wait,
                                servers)
        self.assertIn('no shelve action', str(exc))


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

    def test_error_quotes_what_cinder_told_the_user(self):
        client = FakeVolumesClient(volume('error'))
        messages = FakeMessagesClient([{
            'user_message': 'schedule allocate volume: Could not find any '
                            'available weighted backend.',
            'created_at': '2026-11-22T10:00:00'}])
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_volume_status, client,
                                VOLUME_ID, 'available',
                                messages_client=messages)
        self.assertIn('went to error while waiting for available; cinder '
                      'says: schedule allocate volume: Could not find any '
                      'available weighted backend. (2026-11-22T10:00:00)',
                      str(exc))
        self.assertEqual([VOLUME_ID], messages.asked)

    def test_unreadable_messages_leave_the_error_as_it_is(self):
        client = FakeVolumesClient(volume('error'))
        messages = FakeMessagesClient(lib_exc.NotFound())
        exc = self.assertRaises(lib_exc.TimeoutException,
                                waiters.wait_for_volume_status, client,
                                VOLUME_ID, 'available',
                                messages_client=messages)
        self.assertIn('went to error while waiting for available', str(exc))
        self.assertNotIn('cinder says', str(exc))

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


class SSHBannerTest(base.ConfiguredTestCase):
    """A real listening socket on 127.0.0.1 stands in for a guest's sshd."""

    def listener(self, greeting):
        server = socket.socket()
        server.bind(('127.0.0.1', 0))
        server.listen(1)
        self.addCleanup(server.close)

        def greet():
            conn, _addr = server.accept()
            conn.sendall(greeting)
            conn.close()
        thread = threading.Thread(target=greet, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 5)
        return server.getsockname()[1]

    def test_banner_of_sshd(self):
        port = self.listener(b'SSH-2.0-dropbear_2022.83\r\n')
        self.assertEqual((True, 'SSH-2.0-dropbear_2022.83'),
                         waiters._ssh_banner('127.0.0.1', port))

    def test_another_greeting_is_not_sshd(self):
        port = self.listener(b'220 smtp ready\r\n')
        done, why = waiters._ssh_banner('127.0.0.1', port)
        self.assertFalse(done)
        self.assertIn("greeted b'220 smtp", why)

    def test_timeout_names_the_server_and_shows_its_console(self):
        # Nothing listens on a port just closed: refused at every look.
        probe = socket.socket()
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
        probe.close()
        self.useFixture(fixtures.MockPatchObject(waiters, 'SSH_PORT', port))
        exc = self.assertRaises(
            lib_exc.TimeoutException, waiters.wait_for_ssh_banner,
            '127.0.0.1', 'server s1', console=lambda: 'guest: rcS start',
            timeout=0, interval=0)
        self.assertIn('sshd of server s1 to greet on 127.0.0.1:%d' % port,
                      str(exc))
        self.assertIn('console:\nguest: rcS start', str(exc))
