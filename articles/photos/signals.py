"""Removing a photo's files from disk when its row is deleted, once the deletion is committed."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from ..caching.purge import purge_photo_change
from ..models import Photo, Rendition


def _delete_after_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        # robust: a media store that is down leaves a stray file, never a failed deletion.
        transaction.on_commit(lambda: storage.delete(name), robust=True)


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance, **kwargs):
    # The original keeps the photographer's location data: it must not outlive the photo.
    _delete_after_commit(instance.original)
    _delete_after_commit(instance.image)
    purge_photo_change(photo=instance)  # a headshot's page stops showing it


@receiver(post_delete, sender=Rendition)
def delete_rendition_file(sender, instance, **kwargs):
    _delete_after_commit(instance.file)
