"""The story form's workflow buttons: which ones a user gets, what pressing one does, and the
messages that say what happened. Every state change goes through stories/workflow.py."""

from django.utils import timezone

from ..models import Article
from ..stories import workflow
from .forms import PUBLISH_NOW, SCHEDULE, SEND_FOR_REVIEW

NO_BYLINE_WARNING = (
    "This story has no byline yet. Add one in the Bylines rows before it is published; "
    "publishing without one asks you to confirm."
)


def buttons_for(user, article):
    """[(name, label, title)] of the workflow buttons shown next to Save."""
    if not workflow.can_publish(user):
        if article is None or article.status == Article.Status.DRAFT:
            return [(SEND_FOR_REVIEW, "Send for review", "Save and ask the editors to review it")]
        return []
    if article is not None and article.is_public:
        return []
    return [
        (PUBLISH_NOW, "Publish now", "Save and publish now, whatever the publish time says"),
        (SCHEDULE, "Schedule…", "Save and publish at the time in “Publish at”, which must be in the future"),
    ]


def apply_button(action, *, article, form, by, **save_options):
    """Save `article` as the pressed button asks. The form has checked who may press it."""
    if action == SEND_FOR_REVIEW:
        return workflow.submit_for_review(article=article, by=by, **save_options)
    at = form.cleaned_data.get("publish_at") if action == SCHEDULE else None
    return workflow.publish_article(article=article, by=by, at=at, **save_options)


def _when(moment):
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M")


def messages_after_save(form, article):
    """What the editor is told after a save, besides Django's own "changed successfully"."""
    said = []
    if form.dateline_removed:
        said.append(
            f"The body started with the dateline “{form.dateline_removed} —” again; that copy was "
            "removed, since readers see the dateline before the first paragraph."
        )
    if form.action == SEND_FOR_REVIEW:
        said.append("Sent to the editors for review.")
    elif form.action and article.is_scheduled:
        said.append(f"Scheduled for {_when(article.publish_at)}.")
    elif form.action:
        local = timezone.localtime(article.publish_at)
        today = local.date() == timezone.localdate()
        said.append(f"Published now at {local:%H:%M}." if today else f"Published at {_when(local)}.")
    elif form.publish_time_set is not None:
        said.append(f"The publish time was empty, so it was set to now: {_when(article.publish_at)}.")
    return said
