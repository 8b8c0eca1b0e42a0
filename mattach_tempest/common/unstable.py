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
"""

from tempest.common import compute
from tempest.common import utils
from tempest.common.utils.linux import remote_client
from tempest.common import waiters
from tempest.lib import exceptions as lib_exc

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


__all__ = ['RemoteClient', 'create_test_server',
           'is_scheduler_filter_enabled', 'services', 'shelve_server',
           'wait_for_image_status', 'wait_for_server_status',
           'wait_for_server_termination', 'wait_for_ssh_or_ping']
