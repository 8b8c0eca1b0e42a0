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
