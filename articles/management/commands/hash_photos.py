"""Compute the perceptual hash of library photos stored before hashes were kept.

New uploads are hashed by the photo pipeline; until this has run once after the upgrade,
older photos are not found as near-duplicates. Safe to run again: it skips hashed photos.
"""

from django.core.management.base import BaseCommand

from articles.models import Photo
from articles.photos.similar import hash_missing


class Command(BaseCommand):
    help = "Compute the perceptual hash (dHash) of photos that have none, for near-duplicate warnings."

    def handle(self, *args, **options):
        missing = Photo.objects.filter(dhash="").count()
        done = hash_missing(Photo.objects.all())
        self.stdout.write(f"Hashed {done} of {missing} photos without a perceptual hash.")
        if done < missing:
            self.stdout.write(f"{missing - done} could not be read from storage; see their photo pages.")
