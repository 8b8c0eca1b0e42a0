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

from mattach_tempest.services.volume.attachments_client import \
    AttachmentsClient
from mattach_tempest.services.volume.messages_client import \
    MessagesClient
from mattach_tempest.services.volume.snapshots_client import \
    SnapshotsClient
from mattach_tempest.services.volume.volume_actions_client import \
    VolumeActionsClient

__all__ = ['AttachmentsClient', 'MessagesClient', 'SnapshotsClient',
           'VolumeActionsClient']
