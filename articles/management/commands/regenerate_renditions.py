from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.caching import keys, purge
from articles.models import Photo
from articles.photos.checks import ImageRejected
from articles.photos.pipeline import make_renditions, process_photo

PURGE_EVERY = 100  # photos whose pages are purged together


class Command(BaseCommand):
    help = (
        "Make the renditions photos are missing (after a change to the rendition sizes, or a lost "
        "file). With --force, remake them all, e.g. after a change to the quality settings. "
        "Photos still processing or failed are processed here and now, in the foreground."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Delete and remake existing renditions too.")
        parser.add_argument(
            "--photo",
            dest="photo_ids",
            type=int,
            nargs="+",
            metavar="ID",
            help="Only these photos (by id). Default: every photo in the library.",
        )

    def handle(self, *args, force=False, photo_ids=None, **options):
        photos = Photo.objects.order_by("pk")
        if photo_ids:
            photos = photos.filter(pk__in=photo_ids)
            if missing := sorted(set(photo_ids) - set(photos.values_list("pk", flat=True))):
                raise CommandError(f"No photo with id {', '.join(map(str, missing))}.")
        written, changed = 0, []
        total = photos.count()
        # The bar goes to stderr so that stdout stays a clean summary for scripts and cron mail.
        with tqdm(total=total, unit="photo", file=self.stderr._out, disable=None) as bar:
            for photo in photos.iterator(chunk_size=100):
                if photo.is_ready:
                    if made := make_renditions(photo, force=force):
                        written += len(made)
                        changed.append(keys.photo_key(photo.pk))
                        if len(changed) == PURGE_EVERY:
                            purge.purge(changed)  # pages must stop pointing at deleted files
                            changed = []
                else:
                    # No master yet: make everything from the original, as the task would.
                    try:
                        process_photo(photo=photo)
                    except ImageRejected as damaged:
                        # A damaged upload stays failed; the others are still done.
                        self.stderr.write(f"Photo {photo.pk} skipped: {damaged}")
                        bar.update()
                        continue
                    written += photo.renditions.count()
                bar.update()
        purge.purge(changed)
        self.stdout.write(f"{written} renditions written for {total} photos.")
