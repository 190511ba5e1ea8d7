"""The story form of the editors' desk, with the checks a shared desk needs."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import Article
from ..stories import workflow
from ..stories.dateline import remove_repeated_dateline
from .widgets import body_media_attribute

# The change form's workflow buttons (submit buttons with these names), see ArticleAdmin.
SEND_FOR_REVIEW, PUBLISH_NOW, SCHEDULE = "_send_for_review", "_publish_now", "_schedule"
WORKFLOW_BUTTONS = (SEND_FOR_REVIEW, PUBLISH_NOW, SCHEDULE)
BYLINES_PREFIX = "bylines"


def bylines_in_post(data):
    """How many byline rows of the story form's inline name a contributor and are not deleted."""
    try:
        total = int(data.get(f"{BYLINES_PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        return 0
    return sum(
        1
        for index in range(min(total, 1000))
        if data.get(f"{BYLINES_PREFIX}-{index}-contributor")
        and not data.get(f"{BYLINES_PREFIX}-{index}-DELETE")
    )


class ArticleAdminForm(forms.ModelForm):
    """The story form, with the checks a shared desk needs: roles, stale saves, update flags."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    significant_update = forms.BooleanField(
        required=False,
        label="Significant update",
        help_text="Tick when the change matters to readers: the story shows an 'Updated' time. "
        "Leave unticked for typo fixes.",
    )
    revoke_share_links = forms.BooleanField(
        required=False,
        label="Revoke share links",
        help_text="Every preview link given out for this story stops working.",
    )
    publish_without_byline = forms.BooleanField(
        required=False,
        label="Publish without a byline",
        help_text="Tick to publish a story that credits nobody, e.g. a staff notice.",
    )
    stale_version = None  # the saved story, when this form was opened at an older version
    stale_editor = ""
    publish_time_set = None  # the publish time chosen for "Published" with an empty time
    action = None  # which workflow button was pressed, if any (WORKFLOW_BUTTONS)
    dateline_removed = ""  # the dateline found again at the start of the body, and removed
    needs_byline_confirmation = False
    for_preview = False  # a preview of unsaved changes: nothing is saved, so no stale or byline check
    user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 — the admin's fieldsets choose what is shown
        # Room to read a 300-character dek without scrolling sideways.
        widgets = {"dek": forms.Textarea(attrs={"rows": 3, "class": "newsroom-dek"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.version
        if "body" in self.fields:
            body = self.instance.body if self.instance.pk else ""
            self.fields["body"].widget.attrs["data-body-media"] = body_media_attribute(body)
        if "status" in self.fields and self.user is not None:
            allowed = workflow.allowed_statuses(self.user)
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in allowed
            ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.user is not None and status not in workflow.allowed_statuses(self.user):
            raise forms.ValidationError("Only editors can publish, schedule or withdraw a story.")
        return status

    def clean(self):
        cleaned = super().clean()
        self.action = next((name for name in WORKFLOW_BUTTONS if name in self.data), None)
        self._check_workflow_button(cleaned)
        if not self.for_preview:
            self._check_byline(cleaned)
        body, removed = remove_repeated_dateline(cleaned.get("body") or "", cleaned.get("dateline") or "")
        if removed:
            cleaned["body"], self.dateline_removed = body, cleaned["dateline"]
        if (
            cleaned.get("status") == Article.Status.PUBLISHED
            and "publish_at" in self.fields
            and not cleaned.get("publish_at")
            and "publish_at" not in self.errors
        ):
            # "Published" with no time means now, as the field's help text promises.
            cleaned["publish_at"] = self.publish_time_set = workflow.publish_time(self.instance)
        if not self.instance.pk or self.for_preview:
            return cleaned
        if cleaned.get("edit_version") is None:
            raise forms.ValidationError(
                "This form is missing the version it was opened at, so it could overwrite someone "
                "else's changes. Reload the story and make your changes again.",
                code="no_version",
            )
        # The admin saves inside a transaction: locking the row here makes check-and-save atomic.
        saved = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if saved is not None:
            current = saved.version
            if current != cleaned["edit_version"]:
                # Read after the lock, on its own: a join in the locking query can miss the
                # editor who saved while this request waited for the row.
                editor = get_user_model().objects.filter(pk=saved.last_edited_by_id).first()
                who = (editor.get_full_name() or editor.get_username()) if editor else "Someone"
                when = timezone.localtime(saved.updated_at).strftime("%H:%M")
                self.stale_version = saved
                self.stale_editor = who if editor else "someone else"
                # Let a second save go through once the editor has seen what changed.
                self.data = self.data.copy()
                self.data["edit_version"] = current
                raise forms.ValidationError(
                    f"{who} saved this story at {when}, after you opened it. Your changes are "
                    "below and have not been saved. Compare them with the saved version shown "
                    "under this message, then save again to replace it with yours.",
                    code="stale",
                )
        return cleaned

    def _check_workflow_button(self, cleaned):
        if self.action in (PUBLISH_NOW, SCHEDULE) and not workflow.can_publish(self.user):
            raise forms.ValidationError(
                "Only editors can publish or schedule a story. Use “Send for review” instead.",
                code="not_an_editor",
            )
        if self.action == SCHEDULE and "publish_at" not in self.errors:
            at = cleaned.get("publish_at")
            if at is None or at <= timezone.now():
                self.add_error(
                    "publish_at",
                    "To schedule the story, enter a date and time in the future here, e.g. "
                    f"{(timezone.localdate() + datetime.timedelta(days=1)).isoformat()} "
                    "06:00, then press “Schedule…” again.",
                )

    def _check_byline(self, cleaned):
        """Publishing a story that credits nobody needs a second, deliberate press."""
        publishing = self.action in (PUBLISH_NOW, SCHEDULE) or (
            cleaned.get("status") == Article.Status.PUBLISHED
            and self.instance.status != Article.Status.PUBLISHED
        )
        if publishing and not bylines_in_post(self.data) and not cleaned.get("publish_without_byline"):
            self.needs_byline_confirmation = True
            raise forms.ValidationError(
                "This story has no byline. Add one in the Bylines rows below, or tick “Publish "
                "without a byline” and publish again.",
                code="no_byline",
            )
