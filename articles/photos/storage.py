from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: staff views stream them, nothing links to them."""

    def url(self, name):
        raise ValueError("Original uploads have no public URL; staff download them through the photo desk.")
