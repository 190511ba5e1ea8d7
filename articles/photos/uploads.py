"""Upload handlers that fingerprint each file (SHA-256) while it streams in.

The photo desk names stored files by their SHA-256 and refuses a file it already has; hashing
the chunks as Django receives them saves reading a 20 MB upload a second time in the request.
Django's own handlers still do the storing: small files in memory, big ones in a temporary
file that FileSystemStorage then moves into place instead of copying.
"""

import hashlib

from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler

# The attribute the handlers set on each uploaded file: hex digest of exactly its bytes.
DIGEST_ATTRIBUTE = "streamed_sha256"
CHUNK = 1024 * 1024


class _Hashing:
    def new_file(self, *args, **kwargs):
        # First: the memory handler's own new_file ends by raising StopFutureHandlers.
        self.digest = hashlib.sha256()
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        if self._keeps_the_file():
            self.digest.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            setattr(uploaded, DIGEST_ATTRIBUTE, self.digest.hexdigest())
        return uploaded

    def _keeps_the_file(self):
        return True


class HashingMemoryFileUploadHandler(_Hashing, MemoryFileUploadHandler):
    def _keeps_the_file(self):
        # Not activated for a request bigger than FILE_UPLOAD_MAX_MEMORY_SIZE: the chunks pass on
        # to the temporary-file handler, which hashes them.
        return self.activated


class HashingTemporaryFileUploadHandler(_Hashing, TemporaryFileUploadHandler):
    pass


def sha256_of(file):
    """The SHA-256 of an upload: from the handlers above when they saw it, else read once now."""
    if digest := getattr(file, DIGEST_ATTRIBUTE, None):
        return digest
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(CHUNK):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
