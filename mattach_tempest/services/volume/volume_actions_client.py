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

"""Volume actions tempest.lib's volumes client lacks or sends too low.

``os-begin_detaching`` and ``os-roll_detaching`` (POST
volumes/{id}/action, 202, no body) move an in-use volume to 'detaching'
and back: what a consumer does around its own detach, and the one way a
user puts a volume in that state. tempest.lib's v3 VolumesClient has
neither.

``os-extend`` of an in-use volume needs microversion 3.42 (below it
cinder extends available volumes only). tempest.lib's client sends the
test class's microversion; a class that shares its guests among tests
of which only one extends keeps its own and extends through this one.
"""

from mattach_tempest.services.volume import per_call_microversion

BASE = '3.0'
#: Cinder extends in-use volumes from this microversion on.
IN_USE_EXTEND = '3.42'


class VolumeActionsClient(per_call_microversion.PerCallMicroversionClient):
    """Client for actions of /volumes/{id}/action, each at its microversion."""

    def _action(self, volume_id, action, microversion, body=None):
        return self._do_call('POST', 'volumes/%s/action' % volume_id,
                             microversion, 202, {action: body})

    def extend_volume(self, volume_id, new_size, microversion=IN_USE_EXTEND):
        """Grow a volume, in-use included (3.42), to new_size GiB: 202."""
        return self._action(volume_id, 'os-extend', microversion,
                            {'new_size': new_size})

    def begin_detaching(self, volume_id, microversion=BASE):
        """Mark an in-use, attached volume 'detaching': 202."""
        return self._action(volume_id, 'os-begin_detaching', microversion)

    def roll_detaching(self, volume_id, microversion=BASE):
        """Put a 'detaching' volume back to 'in-use': 202."""
        return self._action(volume_id, 'os-roll_detaching', microversion)
