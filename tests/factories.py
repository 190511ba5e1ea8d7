"""factory_boy factories. Photos go through the real photo pipeline with real image files."""

import io
import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Contributor, Correction, Section
from articles.photos.pipeline import create_photo

_colours = itertools.count(1)


def jpeg_upload(name="photo.jpg", size=(800, 533)):
    """A real, distinct JPEG file as an upload (each call gets a different colour)."""
    n = next(_colours)
    colour = (n * 37 % 256, n * 91 % 256, n * 53 % 256)
    image = Image.new("RGB", size, colour)
    image.paste((255 - colour[0], 20, n % 256), (n % size[0], 0, size[0], size[1] // 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


PASSWORD = "correct horse battery staple"  # every test account's, for tests that sign in by form


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.test")
    password = factory.django.Password(PASSWORD)


def staff_user(username, group, **fields):
    """A staff account in one of the newsroom's groups (`group` None for none); `fields` go to the user."""
    user = UserFactory(username=username, **{"is_staff": True, **fields})
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Faker("name")
    job_title = "Staff reporter"


class PhotoFactory(factory.Factory):
    """Builds photos with `create_photo`, the same path as the photo desk."""

    class Meta:
        model = dict

    caption = factory.Sequence(lambda n: f"Commuters wait on platform {n} at dawn.")
    credit = "Jane Doe / Continental Press"
    photographer = "Jane Doe"
    source = "Continental Press"
    alt_text = "People waiting on a railway platform."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        size = kwargs.pop("size", (800, 533))
        return create_photo(file=jpeg_upload(size=size), **kwargs)

    _build = _create


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"City council approves transit plan number {n}")
    dek = "The vote ends a two-year fight over bus lanes on the east side."
    dateline = "WASHINGTON"
    body = factory.LazyFunction(
        lambda: "<p>The council voted 7 to 2.</p><blockquote>“We listened,” the mayor said.</blockquote>"
    )
    section = factory.SubFactory(SectionFactory, name="National", slug="national")
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=2))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=Article.Status.REVIEW, publish_at=None)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))
        )
        withdrawn = factory.Trait(status=Article.Status.WITHDRAWN)
        with_photo = factory.Trait(lead_photo=factory.LazyFunction(lambda: PhotoFactory()))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class BylineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = Byline.Role.BY


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this story misstated the number of council members."
