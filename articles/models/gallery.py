from django.conf import settings
from django.db import models


class Gallery(models.Model):
    """An ordered set of library photos, placed in a story's body as <figure data-gallery-id>."""

    title = models.CharField(
        max_length=200, help_text="For readers and the desk, e.g. Storm over the harbour."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "galleries"

    def __str__(self):
        return self.title


class GalleryPhoto(models.Model):
    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="items")
    photo = models.ForeignKey("articles.Photo", on_delete=models.PROTECT, related_name="gallery_items")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the gallery, lowest first.")
    caption = models.TextField(
        blank=True, help_text="Replaces the photo's library caption in this gallery only."
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "gallery photo"
        constraints = [
            models.UniqueConstraint(
                fields=["gallery", "photo"],
                name="gallery_photo_once",
                violation_error_message="This photo is already in the gallery.",
            )
        ]

    def __str__(self):
        return f"{self.gallery}: {self.photo_id}"

    @property
    def shown_caption(self):
        return self.caption or self.photo.caption
