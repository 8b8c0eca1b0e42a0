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

"""A stand-in cloud for `mattach cleanup`'s tests, with the services' rules.

It keeps resources as plain dicts (the inventory's shape) and enforces
what the cleanup's order exists for: cinder refuses to delete an
attachment nova holds (bug 2004555), a volume held or with snapshots, a
type a volume still uses; a deleted server releases its attachments.
Every detach and delete is recorded, in order.

What it does not cover: tempest's clients and the services' real
answers (live.py: status codes, microversions, paging, all_tenants
filters), asynchronous deletes beyond a fixed number of polls, neutron's
own rules for routers and networks, and keystone. The live run on the
local cloud covers those.
"""

import copy

from mattach_tempest.cli.cleanup import removal


class StandinCloud:

    def __init__(self, inventory, admin=True, polls_until_gone=1,
                 never_gone=()):
        self.resources = {kind: {r['id']: copy.deepcopy(r) for r in items}
                          for kind, items in inventory.items()}
        self.admin = object() if admin else None
        self.calls = []
        self.polls_until_gone = polls_until_gone
        self.never_gone = set(never_gone)
        self._going = {}   # (kind, id) -> polls left before it is gone
        self.list_error = None

    # -- what the cleanup lists ----------------------------------------------

    def inventory(self):
        self.calls.append(('inventory',))
        if self.list_error:
            raise removal.CloudError(self.list_error)
        return {kind: [copy.deepcopy(r) for r in items.values()]
                for kind, items in self.resources.items()
                if kind != 'keypair'}

    def suite_keypairs(self, inventory, user_ids):
        inventory['keypair'] = [
            copy.deepcopy(k) for k in self.resources.get('keypair', {})
            .values() if k.get('user_id') in user_ids or not self.admin]

    # -- what it changes ------------------------------------------------------

    def detach(self, server_id, volume_id):
        self.calls.append(('detach', server_id, volume_id))
        self._release(volume_id, server_id)

    def delete(self, kind, found):
        self.calls.append(('delete', kind, found.id))
        resource = self.resources.get(kind, {}).get(found.id)
        if resource is None:
            return
        refusal = self._refusal(kind, resource)
        if refusal:
            raise removal.CloudError(refusal)
        self._going[(kind, found.id)] = self.polls_until_gone

    def show(self, kind, found):
        key = (kind, found.id)
        resource = self.resources.get(kind, {}).get(found.id)
        if resource is None:
            return None
        if key in self._going and key not in self.never_gone:
            if self._going[key] <= 0:
                self._remove(kind, found.id)
                return None
            self._going[key] -= 1
        return copy.deepcopy(resource)

    # -- the services' rules --------------------------------------------------

    def _refusal(self, kind, resource):
        if kind == 'attachment' and resource.get('server_id') in \
                self.resources.get('server', {}):
            return ('409 Conflict: Detach volume from instance %s using '
                    'the Compute API' % resource['server_id'])
        if kind == 'volume':
            if resource.get('attachments'):
                return '400 BadRequest: volume is in-use'
            if any(s.get('volume_id') == resource['id'] for s in
                   self.resources.get('snapshot', {}).values()):
                return '400 BadRequest: volume has snapshots'
        if kind == 'volume_type' and any(
                v.get('volume_type') == resource['name'] for v in
                self.resources.get('volume', {}).values()):
            return '400 BadRequest: volume type is in use'
        return None

    def _remove(self, kind, resource_id):
        resource = self.resources[kind].pop(resource_id)
        self._going.pop((kind, resource_id), None)
        if kind == 'server':
            for volume_id in list(self.resources.get('volume', {})):
                self._release(volume_id, resource_id)
        if kind == 'attachment':
            volume = self.resources.get('volume', {}).get(
                resource['volume_id'])
            if volume is not None:
                volume['attachments'] = [
                    a for a in volume.get('attachments', ())
                    if a.get('attachment_id') != resource_id]
                if not any(a['volume_id'] == volume['id'] for a in
                           self.resources['attachment'].values()):
                    volume['status'] = 'available'

    def _release(self, volume_id, server_id):
        volume = self.resources.get('volume', {}).get(volume_id)
        if volume is None:
            return
        gone = [a['attachment_id'] for a in volume.get('attachments', ())
                if a.get('server_id') == server_id]
        volume['attachments'] = [a for a in volume['attachments']
                                 if a.get('server_id') != server_id]
        for attachment_id in gone:
            self.resources.get('attachment', {}).pop(attachment_id, None)
        self._status(volume)

    @staticmethod
    def _status(volume):
        if not volume.get('attachments') and volume.get('status') == \
                'in-use':
            volume['status'] = 'available'

    # -- for the assertions ---------------------------------------------------

    def ids(self, kind):
        return set(self.resources.get(kind, {}))

    def changes(self):
        return [call for call in self.calls if call[0] != 'inventory']


class FakeClock:
    """monotonic() and sleep() that only advance when slept."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
