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

"""Cleanup: remove what an interrupted run of the suite left in a cloud.

A run killed mid-flight never reaches its cleanups: servers, multiattach
volumes still attached to two of them, cinder-only attachments, snapshots,
private volume types, and the projects and users of tempest's dynamic
credentials stay. `mattach cleanup` finds them by the names the suite
gives (selection.py) and removes them in the order the services allow
(removal.py), through tempest's clients (live.py).

    selection  the suite's names, the plan: what to remove and why, what
               was left alone and why (pure; no cloud)
    removal    the order and the bounded waits, on any cloud object with
               detach/delete/show
    live       the inventory and those calls on a live cloud
    command    `mattach cleanup`: arguments, conf to exit code

How tempest's own `tempest cleanup` compares, for this suite:

* It needs `--init-saved-state` before the run (everything created after
  it is the run's, other users' work included) or a `--prefix`, which
  takes any resource with the prefix, other suites' too. Here a name must
  carry the prefix *and* one of this suite's test classes, and the
  dynamic projects are found by name, so nothing has to be saved before
  the run and a project another suite made after it is not touched.
* It deletes servers and, without waiting, volumes: a multiattach volume
  still held fails its delete. Here held volumes are detached through
  nova first (cinder refuses to delete nova's attachments, bug 2004555),
  the servers are waited for, and every wait is bounded.
* It knows nothing of cinder's attachments API: an attachment reserved
  through it (3.27) with no server keeps its volume in 'reserved' or
  'in-use' for ever. Here such attachments are deleted through cinder.
* It does not delete volume types, and deletes the dynamic users and
  projects only by saved state; here the suite's private types go after
  their volumes, then users, then projects; a project something of which
  could not be removed is kept, with the reason.

What is reused of tempest: tempest.config for tempest.conf,
credentials_factory and tempest.lib.auth for the credentials, the
tempest.lib service clients of tempest.clients.Manager for every request
(the plugin's AttachmentsClient for cinder's attachments API).
"""
