from django.core.files.storage import FileSystemStorage

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # boto3 is only needed with S3 settings
    BotoCoreError = ClientError = OSError

# What a failing store raises: a full or broken disk, or an S3 service that is down or refuses.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: staff views stream them, nothing links to them.

    Originals keep the photographer's GPS position and camera serial numbers, so they are
    readable by the server's own account only: files 0600, the folders it creates 0700.
    """

    def __init__(
        self, location=None, base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700
    ):
        super().__init__(
            location=location,
            base_url=base_url,
            file_permissions_mode=file_permissions_mode,
            directory_permissions_mode=directory_permissions_mode,
        )

    def url(self, name):
        raise ValueError("Original uploads have no public URL; staff download them through the photo desk.")


def signed_download_url(field_file, *, filename):
    """A short-lived signed URL that downloads the file as `filename`, or None if its storage cannot sign.

    Only storages that sign every URL qualify (S3 with querystring_auth): a plain URL would
    let anyone who sees it fetch a private file.
    """
    storage = field_file.storage
    if not getattr(storage, "querystring_auth", False):
        return None
    return storage.url(
        field_file.name, parameters={"ResponseContentDisposition": f'attachment; filename="{filename}"'}
    )
