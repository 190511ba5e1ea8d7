"""Deleting a library photo: only one that no story and no contributor uses.

Stories keep their lead photo with PROTECT in the database; headshots would silently go
blank (SET_NULL), so they count as a use too. Files leave storage once the deletion is
committed (signals.py).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError

from ..models import Article, Contributor


@dataclass
class PhotoInUse(Exception):
    """The photo is a story's lead photo or a contributor's headshot."""

    stories: list
    contributors: list

    def __str__(self):
        names = [f"“{story.headline}”" for story in self.stories]
        names += [f"the headshot of {contributor.name}" for contributor in self.contributors]
        return f"This photo is used by {', '.join(names)}, so it cannot be deleted."


def photo_uses(photo):
    """(stories with it as lead photo, contributors with it as headshot)."""
    stories = Article.objects.filter(lead_photo=photo).order_by("-publish_at", "-pk")
    contributors = Contributor.objects.filter(headshot=photo).order_by("name")
    return list(stories), list(contributors)


def delete_photo(*, photo):
    """Delete `photo` and, after commit, its files; raise PhotoInUse if anything uses it."""
    with transaction.atomic():
        stories, contributors = photo_uses(photo)
        if stories or contributors:
            raise PhotoInUse(stories, contributors)
        try:
            photo.delete()
        except ProtectedError:
            # A story picked it between the check and the delete.
            raise PhotoInUse(*photo_uses(photo)) from None



def may_remove_if_failed(user, photo):
    """Whoever uploaded a photo may remove it in one click once the worker could not process it
    (a damaged file), as may those allowed to delete photos."""
    return user.has_perm("articles.delete_photo") or (
        photo.uploaded_by_id is not None and photo.uploaded_by_id == user.pk
    )


def may_remove_failed(user, photo):
    return photo.status == photo.Status.FAILED and may_remove_if_failed(user, photo)
