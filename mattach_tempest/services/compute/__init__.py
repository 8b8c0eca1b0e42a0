from mattach_tempest.services.compute.volume_attachments_client import \
    VolumeAttachmentsClient

__all__ = ['VolumeAttachmentsClient']
