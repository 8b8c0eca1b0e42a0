from mattach_tempest.services.volume.attachments_client import \
    AttachmentsClient

__all__ = ['AttachmentsClient']
