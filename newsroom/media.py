"""Where media files live: STORAGES built from the environment (README, docs/deploy.md "Shared media").

Without NEWSROOM_S3_PUBLIC_BUCKET: the local disk, public media under MEDIA_ROOT and
originals in a folder with no URL (one app server, or a shared mount).

With it: an S3-compatible service through django-storages. Public media (photo masters
and renditions) go to a bucket readers fetch from directly, by plain URLs; originals,
which keep the photographer's camera and location data, go to a private bucket that only
answers signed URLs, valid for NEWSROOM_S3_SIGNED_URL_SECONDS.
"""

from urllib.parse import urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
# Stored names never change (they carry the file's hash), so a copy may be kept for a year.
PUBLIC_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}


def storages_from_environment(environ, *, originals_root, staticfiles_backend):
    public_bucket = environ.get("NEWSROOM_S3_PUBLIC_BUCKET", "")
    staticfiles = {"BACKEND": staticfiles_backend}
    if not public_bucket:
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "originals": {
                "BACKEND": "articles.photos.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": originals_root},
            },
            "staticfiles": staticfiles,
        }
    private_bucket = environ.get("NEWSROOM_S3_PRIVATE_BUCKET", "")
    if not private_bucket or private_bucket == public_bucket:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "NEWSROOM_S3_PRIVATE_BUCKET must name a second, private bucket for original uploads "
            "(they keep the photographer's location data, so they never go in the public bucket)."
        )
    endpoint = environ.get("NEWSROOM_S3_ENDPOINT_URL") or None
    common = {
        "access_key": environ.get("NEWSROOM_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY") or None,
        "endpoint_url": endpoint,
        "region_name": environ.get("NEWSROOM_S3_REGION") or None,
        "signature_version": "s3v4",
        # Services other than AWS (MinIO, Ceph, moto) often know buckets only by path.
        "addressing_style": environ.get("NEWSROOM_S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
        "file_overwrite": False,
    }
    public = {
        **common,
        "bucket_name": public_bucket,
        "querystring_auth": False,
        "object_parameters": PUBLIC_OBJECT_PARAMETERS,
    }
    if public_url := environ.get("NEWSROOM_S3_PUBLIC_URL"):
        # e.g. https://media.example.org or http://127.0.0.1:9000/newsroom-public
        parts = urlsplit(public_url)
        public["custom_domain"] = (parts.netloc + parts.path).rstrip("/")
        public["url_protocol"] = f"{parts.scheme or 'https'}:"
    private = {
        **common,
        "bucket_name": private_bucket,
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": int(environ.get("NEWSROOM_S3_SIGNED_URL_SECONDS") or 300),
    }
    return {
        "default": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "originals": {"BACKEND": S3_BACKEND, "OPTIONS": private},
        "staticfiles": staticfiles,
    }
