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

"""The one place mattach-tempest touches tempest's unstable modules.

tempest.common.waiters, tempest.common.utils, tempest.common.compute's
create_test_server, shelve_server, is_scheduler_filter_enabled and
wait_for_ssh_or_ping, and the scenario RemoteClient are not part of
tempest's stable plugin interface (the stable modules are listed in
tempest's plugin guide). Every use of them goes through this module so
that a tempest change breaks one import here, not every test module.
The same goes for the one private method of a stable module relied on:
tempest.lib.common.ssh.Client._get_ssh_connection (KeptLoginClient).
"""

import threading

from oslo_log import log as logging
import paramiko
from tempest.common import compute
from tempest.common import utils
from tempest.common.utils.linux import remote_client
from tempest.common import waiters
from tempest.lib.common import ssh
from tempest.lib import exceptions as lib_exc

LOG = logging.getLogger(__name__)

services = utils.services
is_scheduler_filter_enabled = compute.is_scheduler_filter_enabled
# A server requested as tempest's tests do (validation resources, network).
create_test_server = compute.create_test_server
# Shelve, and wait until nova reports it shelved (or offloaded).
shelve_server = compute.shelve_server
RemoteClient = remote_client.RemoteClient
wait_for_server_status = waiters.wait_for_server_status
wait_for_image_status = waiters.wait_for_image_status
# A server ACTIVE: (floating IP associated, then) SSH login or ping.
wait_for_ssh_or_ping = compute.wait_for_ssh_or_ping


def wait_for_server_termination(client, server_id, **kwargs):
    """tempest's wait until a deleted server is gone, its timeout named.

    tempest raises a bare TimeoutException ("Request timed out / Details:
    None") when the server outlives [compute] build_timeout, e.g. while
    its nova-compute is down: the error here names the server, the
    timeout and what the server last showed.
    """
    try:
        return waiters.wait_for_server_termination(client, server_id,
                                                   **kwargs)
    except lib_exc.TimeoutException as exc:
        if server_id in str(exc):   # named by a later tempest: kept
            raise
        try:
            server = client.show_server(server_id)['server']
            seen = 'status %s, task state %s' % (
                server.get('status'), server.get('OS-EXT-STS:task_state'))
        except Exception as show_error:
            seen = 'not shown: %s' % show_error
        raise lib_exc.TimeoutException(
            'Server %s was not gone within the required time (%s s) after '
            'its delete; last seen: %s' % (server_id, client.build_timeout,
                                           seen)) from exc


class _KeptLogin(object):
    """What tempest's exec_command gets: the kept login, not closed after."""

    def __init__(self, client):
        self._client = client

    def get_transport(self):
        return self._client.get_transport()

    def close(self):
        """Kept for the next command; KeptLoginClient.close ends it."""


class KeptLoginClient(ssh.Client):
    """tempest's SSH client, logged in once for all of a guest's commands.

    tempest's Client.exec_command logs in anew for each command: it gets a
    connection from _get_ssh_connection and closes it after. Under qemu
    TCG each login costs the guest ~0.09 core-s (dropbear forks, key
    exchange, authentication) against ~0.03 for a command on a kept one,
    measured over 20 commands each way. This client hands exec_command the
    same login until it dies, then logs in again.

    A login found dead when a command starts (the guest restarted, or
    its connection was reset) costs one new login and the command is run
    on it: tempest raises the paramiko or socket error from opening the
    command's channel, before the command runs. A command that fails in
    the guest (SSHExecCommandFailed) or times out is not run again.
    Opening a channel waits at most the client's channel_timeout
    ([validation] connect_timeout), not paramiko's hour.

    No command waits longer than the client's timeout ([validation]
    ssh_timeout) plus channel_timeout: paramiko waits without a bound
    for the answer to a command's start, which on a login kept across a
    live migration to a guest that then hung never came. A watchdog ends
    the login then, and the command fails (or, on a kept login, is tried
    once on a new one, whose login attempts are bounded by tempest).

    close() ends the login; the test's cleanup calls it.
    """

    @classmethod
    def replacing(cls, client):
        """A KeptLoginClient with `client`'s host, user, key and timeouts."""
        kept = cls.__new__(cls)
        kept.__dict__.update(vars(client))
        kept._login = None
        return kept

    def _get_ssh_connection(self, *args, **kwargs):
        if self._login is None:
            self._login = super()._get_ssh_connection(*args, **kwargs)
            transport = self._login.get_transport()
            transport.channel_timeout = self.channel_timeout
        return _KeptLogin(self._login)

    def _alive(self):
        transport = self._login and self._login.get_transport()
        return bool(transport and transport.is_active())

    def exec_command(self, cmd, encoding='utf-8'):
        if self._login is not None and not self._alive():
            self.close()
        reused = self._login is not None
        try:
            return self._exec_bounded(cmd, encoding)
        except (paramiko.SSHException, EOFError, OSError) as exc:
            if not reused:
                raise
            LOG.info('The kept SSH login to %s@%s failed (%s: %s): logging '
                     'in again', self.username, self.host,
                     type(exc).__name__, exc)
            self.close()
            return self._exec_bounded(cmd, encoding)

    def _exec_bounded(self, cmd, encoding):
        watchdog = threading.Timer(self.timeout + self.channel_timeout,
                                   self._end_stuck_login, (cmd,))
        watchdog.daemon = True
        watchdog.start()
        try:
            return super().exec_command(cmd, encoding)
        finally:
            watchdog.cancel()

    def _end_stuck_login(self, cmd):
        login = self._login
        if login is not None:
            LOG.warning('No answer on the SSH login to %s@%s within %s s '
                        'running %r: ending the login', self.username,
                        self.host, self.timeout + self.channel_timeout,
                        cmd[:200])
            # Wakes paramiko's waits on it with an SSHException.
            login.close()

    def close(self):
        login, self._login = self._login, None
        if login is not None:
            login.close()


__all__ = ['KeptLoginClient', 'RemoteClient', 'create_test_server',
           'is_scheduler_filter_enabled', 'services', 'shelve_server',
           'wait_for_image_status', 'wait_for_server_status',
           'wait_for_server_termination', 'wait_for_ssh_or_ping']
