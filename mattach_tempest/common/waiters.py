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

"""Bounded waits on multiattach resources.

For a multiattach volume the volume status says little: it stays in-use
while any attachment is left, and passes through reserved/attaching while
another server attaches. So these waits watch the attachment itself
(appeared on the volume for this server, or gone from it). Every wait is
bounded by a tempest timeout and, on timeout, says what it waited for and
what it last saw.

An attach through nova can also fail after nova answered the request: nova
then deletes the cinder attachment it reserved for the server. Given the
attachments client, wait_for_attachment sees that and fails at once
instead of waiting out the timeout.
"""

import socket
import time

from oslo_log import log as logging
from tempest import config
from tempest.lib import exceptions as lib_exc

from mattach_tempest.services.compute import volume_attachments_client

CONF = config.CONF
LOG = logging.getLogger(__name__)

#: Seconds cinder may hold no attachment record for an attach nova answered
#: at compute >= 2.101: nova-api then casts the attach to nova-conductor,
#: which reserves the attachment after the answer (below 2.101 nova-api
#: answers only once conductor has reserved it).
ASYNC_RESERVE_GRACE = 60


class AttachFailedAsynchronously(lib_exc.TempestException):
    """Nova accepted an attach, then dropped its cinder attachment."""

    message = '%(reason)s'


def reserve_grace(microversion):
    """How long after an attach request cinder may lack its attachment.

    0 below compute 2.101 (and without a microversion, which is 2.1):
    nova-api answers the attach only after nova-conductor created the
    reserved cinder attachment for the server. ASYNC_RESERVE_GRACE from
    2.101 and for 'latest', which may be 2.101 or more.
    """
    # Only an attach nova answers with 200 and a body is answered after
    # the reserve: the client's own reading of the microversion says which.
    if volume_attachments_client.attach_success_codes(microversion) == [200]:
        return 0
    return ASYNC_RESERVE_GRACE


def wait_until(predicate, what, timeout=None, interval=None):
    """Call predicate() until it returns a true value, then return that.

    :param predicate: returns (done, value); value is the last observation
        and goes into the timeout message.
    :param what: a sentence naming what is waited for.
    :raises lib_exc.TimeoutException: naming `what`, the timeout and the
        last observation.
    """
    timeout = CONF.volume.build_timeout if timeout is None else timeout
    interval = CONF.volume.build_interval if interval is None else interval
    start = time.time()
    while True:
        done, seen = predicate()
        if done:
            LOG.debug('Done after %.1f s: %s', time.time() - start, what)
            return seen
        if time.time() - start >= timeout:
            raise lib_exc.TimeoutException(
                'Timed out after %d s waiting for %s; last seen: %s'
                % (timeout, what, seen))
        time.sleep(interval)


SSH_PORT = 22


def _ssh_banner(ip, port=None, timeout=2.0):
    """(True, banner) once sshd at ip:port greets; else (False, why)."""
    port = SSH_PORT if port is None else port
    try:
        with socket.create_connection((ip, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            banner = sock.recv(64)
    except OSError as exc:
        return False, '%s:%s: %s' % (ip, port, exc)
    if banner.startswith(b'SSH-'):
        return True, banner.decode('ascii', 'replace').strip()
    return False, '%s:%s greeted %r' % (ip, port, banner)


def wait_for_ssh_banner(ip, what, console=None, timeout=None, interval=None):
    """Wait until sshd greets on ip's SSH port; a server's boot, bounded.

    Bounded by [compute] build_timeout, polled every [compute]
    build_interval. On timeout the error names `what`, the last answer
    and, given console() (the server's console tail), what the guest
    printed.
    """
    timeout = CONF.compute.build_timeout if timeout is None else timeout
    interval = CONF.compute.build_interval if interval is None else interval
    try:
        return wait_until(lambda: _ssh_banner(ip),
                          'sshd of %s to greet on %s:%s' % (what, ip,
                                                            SSH_PORT),
                          timeout=timeout, interval=interval)
    except lib_exc.TimeoutException as exc:
        if console is None:
            raise
        raise lib_exc.TimeoutException(
            '%s\nconsole:\n%s' % (exc, console()))


def _volume_attachment_of(volumes_client, volume_id, server_id):
    volume = volumes_client.show_volume(volume_id)['volume']
    for attachment in volume['attachments']:
        if attachment['server_id'] == server_id:
            return volume, attachment
    return volume, None


def wait_for_attachment(volumes_client, volume_id, server_id,
                        attachments_client=None, servers_client=None,
                        grace=0):
    """Wait until cinder lists server_id among the volume's attachments.

    Cinder lists only attached records in the volume view, so this returns
    once the attach has completed. An error state of the volume fails fast.
    Returns the attachment record the wait saw (a second GET could miss it
    when another request detaches it meanwhile).

    With `attachments_client` (mattach_tempest.services.volume), an attach
    nova gave up on fails fast too: while the view does not list the
    server yet, each poll lists cinder's attachment records of the volume
    for the server (any status: reserved, attaching ...). Nova reserved one
    before answering the attach (below compute 2.101), so none at all,
    once one was seen or once `grace` seconds have passed since the wait
    began (see reserve_grace), means nova deleted it: the attach failed
    asynchronously. The error then says what `servers_client` (tempest's)
    shows of the server: status, fault, last instance action and its
    events.

    :raises AttachFailedAsynchronously: as above.
    :raises lib_exc.TimeoutException: on an error status of the volume, or
        when the attach has not completed within [volume] build_timeout.
    """
    start = time.time()
    records_seen = []

    def attached():
        volume, attachment = _volume_attachment_of(
            volumes_client, volume_id, server_id)
        if volume['status'].startswith('error'):
            raise lib_exc.TimeoutException(
                'Volume %s went to %s while attaching to server %s'
                % (volume_id, volume['status'], server_id))
        if attachment is not None:
            return True, attachment
        seen = {'status': volume['status'],
                'attachments': volume['attachments']}
        if attachments_client is None:
            return False, seen
        # Filtered here too: a cloud ignoring the filter must not make
        # another server's record count as this one's.
        records = [r for r in attachments_client.list_attachments(
            volume_id=volume_id, instance_id=server_id)['attachments']
            if r.get('instance') == server_id]
        if records:
            records_seen[:] = records
        elif records_seen or time.time() - start >= grace:
            raise AttachFailedAsynchronously(reason=_async_failure(
                volume_id, server_id, volume, records_seen, time.time() -
                start, servers_client))
        seen['records'] = [(r['id'], r['status']) for r in records]
        return False, seen
    return wait_until(attached, 'volume %s to be attached to server %s'
                      % (volume_id, server_id))


def _async_failure(volume_id, server_id, volume, records_seen, waited,
                   servers_client):
    if records_seen:
        gone = ('its attachment %s (last seen %s) is gone from cinder'
                % (records_seen[0]['id'], records_seen[0]['status']))
    else:
        gone = ('cinder holds no attachment record for the server after '
                '%.0f s' % waited)
    return ('The attach of volume %s to server %s failed asynchronously: '
            'nova accepted it, but %s (nova deletes the attachment it '
            'reserved when the attach fails). Volume status %s; server: %s'
            % (volume_id, server_id, gone, volume['status'],
               server_evidence(servers_client, server_id)))


def _latest_action(actions):
    """The instance action nova started last (its start_time)."""
    return max(actions, key=lambda action: action.get('start_time') or '')


def server_evidence(servers_client, server_id):
    """What the API shows of a server's failure, as far as it is visible.

    Its status, its fault (nova shows one for ERROR servers only), its
    last instance action and that action's events. Never raises: what
    cannot be read is said instead.
    """
    if servers_client is None:
        return '(no servers client to look with)'
    try:
        server = servers_client.show_server(server_id)['server']
    except Exception as exc:
        return '(not shown: %s)' % exc
    parts = ['status %s' % server.get('status'),
             'fault %s' % (server.get('fault') or '(none shown)')]
    try:
        actions = servers_client.list_instance_actions(server_id)[
            'instanceActions']
    except Exception as exc:
        parts.append('instance actions not visible: %s' % exc)
        return ', '.join(parts)
    if not actions:
        parts.append('no instance action')
        return ', '.join(parts)
    last = _latest_action(actions)
    described = '%s (request %s, started %s, message %s)' % (
        last.get('action'), last.get('request_id'), last.get('start_time'),
        last.get('message'))
    try:
        events = servers_client.show_instance_action(
            server_id, last['request_id'])['instanceAction'].get('events')
    except Exception as exc:
        events = 'not visible: %s' % exc
    else:
        events = [(e.get('event'), e.get('result')) +
                  ((e['details'],) if e.get('details') else ())
                  for e in events or []]
    parts.append('last instance action %s, events %s' % (described, events))
    return ', '.join(parts)


def wait_for_instance_action_finished(servers_client, server_id, action):
    """Wait until every event of the server's last `action` has finished.

    A server's status can change before nova's work for it is done: a
    shelve with [DEFAULT] shelved_offload_time 0 saves SHELVED_OFFLOADED,
    then updates the compute host's resources, then clears the server's
    host (nova's compute manager, _shelve_offload_instance). An unshelve
    sent in between was seen on tools/minicloud to end ACTIVE with no
    host, which refuses every detach (500 InstanceNotReady). The action's
    compute event finishes only after that last step. Events are shown to
    the server's owner from compute 2.51.
    """
    def finished():
        actions = [a for a in servers_client.list_instance_actions(
            server_id)['instanceActions'] if a['action'] == action]
        if not actions:
            return False, 'no %s action' % action
        last = _latest_action(actions)
        events = servers_client.show_instance_action(
            server_id, last['request_id'])['instanceAction'].get('events')
        seen = [(e.get('event'), e.get('finish_time')) for e in events or []]
        return bool(seen) and all(finish for _, finish in seen), seen
    wait_until(finished, 'nova to finish the %s of server %s (every event '
               'of the action with a finish time)' % (action, server_id),
               timeout=CONF.compute.build_timeout,
               interval=CONF.compute.build_interval)


def wait_for_attachment_removed(volumes_client, volume_id, server_id):
    """Wait until cinder no longer lists server_id on the volume."""
    def detached():
        try:
            volume, attachment = _volume_attachment_of(
                volumes_client, volume_id, server_id)
        except lib_exc.NotFound:
            return True, 'volume gone'
        return attachment is None, {'status': volume['status'],
                                    'attachments': volume['attachments']}
    wait_until(detached, 'the attachment of volume %s to server %s to go'
               % (volume_id, server_id))


def cinder_messages(messages_client, resource_id):
    """What cinder told the user about a resource (its user messages).

    A volume in error says nothing of why; cinder's messages API does
    ("schedule allocate volume: Could not find any available weighted
    backend."). `messages_client`: mattach_volume.MessagesClient. For an
    error's text only: any failure to read them gives an empty list, never
    an exception hiding the error being reported.
    """
    if messages_client is None:
        return []
    try:
        messages = messages_client.list_messages_about(
            resource_id)['messages']
    except Exception as exc:
        LOG.warning('Could not read cinder\'s user messages for %s: %s',
                    resource_id, exc)
        return []
    return ['%s (%s)' % (m.get('user_message'), m.get('created_at'))
            for m in messages]


def wait_for_volume_status(volumes_client, volume_id, status,
                           messages_client=None):
    """Wait for a volume status; an unexpected error status fails fast.

    With `messages_client` the failure quotes cinder's user messages
    about the volume. Returns the volume as the wait saw it in that status.
    """
    def reached():
        volume = volumes_client.show_volume(volume_id)['volume']
        if volume['status'] != status and 'error' in volume['status']:
            said = cinder_messages(messages_client, volume_id)
            raise lib_exc.TimeoutException(
                'Volume %s went to %s while waiting for %s%s'
                % (volume_id, volume['status'], status,
                   '; cinder says: %s' % ' | '.join(said) if said else ''))
        if volume['status'] == status:
            return True, volume
        return False, volume['status']
    return wait_until(reached, 'volume %s to reach status %s'
                      % (volume_id, status))


def wait_for_volume_settled(volumes_client, volume_id):
    """Wait until no attach or detach is in flight on the volume.

    Returns the volume once its status is in-use or available (used after
    racing requests, where the outcome is not known in advance).
    """
    def settled():
        volume = volumes_client.show_volume(volume_id)['volume']
        return volume['status'] in ('in-use', 'available'), volume
    return wait_until(settled, 'volume %s to settle in in-use or available'
                      % volume_id)
