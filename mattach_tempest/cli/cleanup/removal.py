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

"""Removing a Plan, in the order the services allow, every wait bounded.

The cloud is anything with three calls (live.LiveCloud, or the unit
tests' stand-in):

    detach(server_id, volume_id)  nova's DELETE os-volume_attachments
    delete(kind, found)           issue the delete; a missing resource is
                                  not an error
    show(kind, found)             the resource as a dict (status, for a
                                  volume its attachments), None once gone

and each raises CloudError with a one-line reason when the service
refuses. A refusal does not stop the cleanup: it is reported, and what
depends on the refused resource (its volume, its project) is kept.
"""

import time

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

POLL_SECONDS = 2
# Cinder deletes a volume in these statuses; in-use, attaching and
# detaching ones first wait for their attachments to go.
DELETABLE = ('available', 'error', 'error_restoring', 'error_extending',
             'error_managing')
# Deleted in this order once the volumes are gone; users then projects.
AFTER_VOLUMES = ('image', 'volume_type', 'keypair', 'security_group',
                 'router', 'network', 'user', 'project')


class CloudError(Exception):
    """A service refused a request: one line."""


def describe(found):
    return '%s %s%s' % (found.kind.replace('_', ' '), found.id,
                        ' (%s)' % found.name if found.name else '')


class Removal:
    """One removal of a plan; failures collects the one-line reasons."""

    def __init__(self, plan, cloud, wait_timeout, out,
                 clock=time.monotonic, sleep=time.sleep):
        self.plan = plan
        self.cloud = cloud
        self.wait_timeout = wait_timeout
        self.out = out
        self.clock = clock
        self.sleep = sleep
        self.failures = []
        self.removed = 0
        # Projects (ids) something of which could not be removed.
        self.kept_projects = set()

    # -- steps --------------------------------------------------------------

    def run(self):
        volumes = self.volumes_free_of_foreign_servers()
        self.detach_through_nova(volumes)
        self.delete_and_wait(self.plan.of_kind('server'))
        self.delete_cinder_only_attachments(volumes)
        self.delete_and_wait(self.plan.of_kind('snapshot'))
        volumes = self.wait_until_deletable(volumes)
        self.delete_and_wait(volumes)
        for kind in AFTER_VOLUMES:
            found = self.plan.of_kind(kind)
            if kind in ('user', 'project'):
                found = [f for f in found if not self.kept(f)]
            self.delete_and_wait(found)
        return self.failures

    def volumes_free_of_foreign_servers(self):
        """The suite's volumes, less those a server not the suite's holds.

        Such a volume is left attached: detaching it would touch a server
        this suite did not create. (A server that no longer exists holds
        nothing: its attachment is cinder's alone.)
        """
        others = {s.id for s in self.plan.skipped if s.kind == 'server'}
        free = []
        for volume in self.plan.of_kind('volume'):
            foreign = sorted(
                a['server_id'] for a in volume.data.get('attachments', ())
                if a.get('server_id') in others)
            if foreign:
                self.fail(volume, 'held by server %s, not the suite\'s: '
                          'left attached' % ', '.join(foreign))
            else:
                free.append(volume)
        return free

    def detach_through_nova(self, volumes):
        """Nova's detach for every attachment of a suite server.

        Cinder refuses to delete an attachment nova made (bug 2004555);
        a refused detach (a server in a task) is only noted: the server's
        delete releases the volume too.
        """
        servers = self.plan.ids('server')
        for volume in volumes:
            for attachment in volume.data.get('attachments', ()):
                server_id = attachment.get('server_id')
                if server_id not in servers:
                    continue
                try:
                    self.cloud.detach(server_id, volume.id)
                    self.say('detach %s from server %s (nova)' % (
                        describe(volume), server_id))
                except CloudError as exc:
                    LOG.info('detach of volume %s from server %s refused '
                             '(%s); the server delete releases it',
                             volume.id, server_id, exc)

    def delete_cinder_only_attachments(self, volumes):
        """Delete, through cinder (3.27), what nova does not hold.

        Run after the servers are gone: what remains of a suite volume's
        attachments is cinder's alone (reserved, or its server deleted).
        """
        volume_ids = {v.id for v in volumes}
        for attachment in self.plan.of_kind('attachment'):
            if attachment.data['volume_id'] not in volume_ids:
                continue
            try:
                released = self.cloud.show('attachment', attachment) is None
            except CloudError as exc:
                self.fail(attachment, str(exc))
                continue
            if released:
                self.removed += 1
                self.say('released %s (nova, with its server)' %
                         describe(attachment))
            else:
                self.delete_and_wait([attachment])

    def wait_until_deletable(self, volumes):
        """The volumes once they leave in-use, attaching, detaching."""
        pending = {v.id: v for v in volumes}
        ready = []
        deadline = self.clock() + self.wait_timeout
        last = {}
        while pending:
            for volume_id, volume in list(pending.items()):
                try:
                    shown = self.cloud.show('volume', volume)
                except CloudError as exc:
                    last[volume_id] = str(exc)
                    continue
                if shown is None or shown.get('status') in DELETABLE:
                    ready.append(volume)
                    del pending[volume_id]
                else:
                    last[volume_id] = shown.get('status')
            if pending and not self.before(deadline):
                for volume_id, volume in pending.items():
                    self.fail(volume, 'timed out after %ss waiting for it '
                              'to be released (status %s)' % (
                                  self.wait_timeout, last.get(volume_id)))
                break
        return ready

    def delete_and_wait(self, found):
        """Delete each, then wait (bounded) until each is gone."""
        issued = []
        for item in found:
            try:
                self.cloud.delete(item.kind, item)
                issued.append(item)
            except CloudError as exc:
                self.fail(item, 'delete refused: %s' % exc)
        deadline = self.clock() + self.wait_timeout
        pending = list(issued)
        last = {}
        while pending:
            still = []
            for item in pending:
                try:
                    shown = self.cloud.show(item.kind, item)
                except CloudError as exc:
                    last[item.id] = str(exc)
                    still.append(item)
                    continue
                if shown is None:
                    self.removed += 1
                    self.say('removed %s' % describe(item))
                else:
                    last[item.id] = shown.get('status')
                    still.append(item)
            pending = still
            if pending and not self.before(deadline):
                for item in pending:
                    self.fail(item, 'timed out after %ss waiting for its '
                              'delete (status %s)' % (self.wait_timeout,
                                                      last.get(item.id)))
                break

    # -- helpers ------------------------------------------------------------

    def before(self, deadline):
        """Sleep one poll if there is time left before the deadline."""
        if self.clock() >= deadline:
            return False
        self.sleep(POLL_SECONDS)
        return True

    def kept(self, found):
        """A project, or its users, with something left inside."""
        if found.kind == 'project':
            return found.id in self.kept_projects
        return any(found.name and found.name.startswith(p.name + '-')
                   for p in self.plan.of_kind('project')
                   if p.id in self.kept_projects)

    def fail(self, found, reason):
        self.failures.append('%s: %s' % (describe(found), reason))
        project_id = found.data.get('project_id')
        if project_id:
            self.kept_projects.add(project_id)

    def say(self, line):
        self.out.write('%s\n' % line)
        self.out.flush()
