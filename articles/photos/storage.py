from django.core.files.storage import FileSystemStorage


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
