"""Bounded waits on multiattach resources.

For a multiattach volume the volume status says little: it stays in-use
while any attachment is left, and passes through reserved/attaching while
another server attaches. So these waits watch the attachment itself
(appeared on the volume for this server, or gone from it). Every wait is
bounded by a tempest timeout and, on timeout, says what it waited for and
what it last saw.
"""

import time

from oslo_log import log as logging
from tempest import config
from tempest.lib import exceptions as lib_exc

CONF = config.CONF
LOG = logging.getLogger(__name__)


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


def _volume_attachment_of(volumes_client, volume_id, server_id):
    volume = volumes_client.show_volume(volume_id)['volume']
    for attachment in volume['attachments']:
        if attachment['server_id'] == server_id:
            return volume, attachment
    return volume, None


def wait_for_attachment(volumes_client, volume_id, server_id):
    """Wait until cinder lists server_id among the volume's attachments.

    Cinder lists only attached records in the volume view, so this returns
    once the attach has completed. An error state of the volume fails fast.
    Returns the attachment record the wait saw (a second GET could miss it
    when another request detaches it meanwhile).
    """
    def attached():
        volume, attachment = _volume_attachment_of(
            volumes_client, volume_id, server_id)
        if volume['status'].startswith('error'):
            raise lib_exc.TimeoutException(
                'Volume %s went to %s while attaching to server %s'
                % (volume_id, volume['status'], server_id))
        if attachment is not None:
            return True, attachment
        return False, {'status': volume['status'],
                       'attachments': volume['attachments']}
    return wait_until(attached, 'volume %s to be attached to server %s'
                      % (volume_id, server_id))


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


def wait_for_volume_status(volumes_client, volume_id, status):
    """Wait for a volume status; an unexpected error status fails fast.

    Returns the volume as the wait saw it in that status.
    """
    def reached():
        volume = volumes_client.show_volume(volume_id)['volume']
        if volume['status'] != status and 'error' in volume['status']:
            raise lib_exc.TimeoutException(
                'Volume %s went to %s while waiting for %s'
                % (volume_id, volume['status'], status))
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
