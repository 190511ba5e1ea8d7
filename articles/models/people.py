from django.conf import settings
from django.db import models

from .slugs import save_with_unique_slug
from .urls import remembered_reverse


class ContributorQuerySet(models.QuerySet):
    def with_published_stories(self):
        """Contributors readers can know of: bylined on at least one published story."""
        from .article import Article

        bylined = Byline.objects.filter(article__in=Article.objects.published().values("pk"))
        return self.filter(pk__in=bylined.values("contributor"))


class Contributor(models.Model):
    """A person or an organisation that gets bylines."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation (e.g. a wire agency)"

    name = models.CharField(max_length=120, help_text="As printed in the byline, e.g. Jane Doe.")
    slug = models.SlugField(max_length=140, unique=True, allow_unicode=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    job_title = models.CharField(max_length=120, blank=True, help_text="e.g. Washington correspondent.")
    bio = models.TextField(blank=True, help_text="Two or three sentences for the author page.")
    headshot = models.ForeignKey(
        "articles.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
        help_text="Staff account, if any. Freelancers and wire agencies have none.",
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.slug:
            return super().save(*args, **kwargs)
        return save_with_unique_slug(
            self,
            self.name,
            max_length=140,
            fallback="contributor",
            save=lambda: super(Contributor, self).save(*args, **kwargs),
        )

    def get_absolute_url(self):
        return remembered_reverse("articles:contributor", slug=self.slug)

    @property
    def is_organisation(self):
        return self.kind == self.Kind.ORGANISATION


class Byline(models.Model):
    class Role(models.TextChoices):
        BY = "by", "By"
        REPORTING = "reporting", "Reporting by"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting by"
        PHOTOGRAPHS = "photographs", "Photographs by"
        EDITED = "edited", "Edited by"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.BY)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the byline.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"],
                name="byline_once_per_role",
                violation_error_message="This contributor already has this role in the byline.",
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.contributor}"
