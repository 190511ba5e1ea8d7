"""Forms for the photo desk (staff pages, laid out by crispy-forms with Bootstrap 5)."""

import json

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import format_html

from ..models import Photo
from .credits import built_credits, credit_for_readers

CREDIT_PARTS = ["credit", "photographer", "source", "is_file_photo"]

ACCEPTED_IMAGE_TYPES = (
    "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.jpg,.jpeg,.png,.webp,.gif,.heic,.heif"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (Django docs, "Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_IMAGE_TYPES}))
        # An empty file is refused by the photo pipeline with its name, so that the rest of
        # the batch is still saved; the plain FileField would fail the whole form instead.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        uploads = list(data) if isinstance(data, list | tuple) else [data]
        # No file at all is cleaned as one missing file, so that `required` still applies.
        return [single_file_clean(upload, initial) for upload in uploads or [None]]


def _model_field(name, **overrides):
    """A form field built from Photo's own field, so lengths and help texts stay in one place."""
    return Photo._meta.get_field(name).formfield(**overrides)


class PhotoUploadForm(forms.Form):
    """One or many image files, and the credit details that apply to all of them."""

    images = MultipleFileField(
        label="Photos",
        help_text="JPEG, PNG, WebP, GIF or HEIC (iPhone); choose several at once if you like. Captions "
        "and credits are read from the files where the fields below are left empty.",
    )
    photographer = _model_field("photographer")
    source = _model_field("source")
    credit = _model_field(
        "credit",
        help_text="As printed, e.g. “Jane Doe / Continental Press”. Left empty, it is made from "
        "the photographer and the agency.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "photo-upload-form"
        self.helper.attrs = {"data-upload-progress": ""}
        self.helper.layout = Layout(
            Field("images", css_class="form-control-lg"),
            Fieldset(
                "For every photo in this upload",
                Row(
                    Column("photographer", css_class="col-md-6"),
                    Column("source", css_class="col-md-6"),
                ),
                "credit",
            ),
            Submit("upload", "Upload", css_class="btn-lg"),
        )


class CreditLineMixin:
    """The credit readers see, by the one rule in credits.py, and a line saying what it is.

    The line is server-rendered help text, so it is right without JavaScript once saved;
    credit-preview.js updates it while staff type.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        photo = self.instance
        built = built_credits(photo.photographer, photo.source, photo.is_file_photo) if photo.pk else set()
        field = self.fields["credit"]
        field.required = False
        field.help_text = format_html(
            "Leave empty to build it from the photographer and the agency, with “file” when "
            "File photo is ticked, e.g. Jane Doe / Continental Press file."
            '<span class="d-block mt-1 text-body" data-credit-readers data-built="{}" data-fields="{}">'
            "{}</span>",
            json.dumps(sorted(built)),
            # Not self[name].auto_id: a bound field made now would keep the old help text.
            json.dumps({name: self.auto_id % self.add_prefix(name) for name in CREDIT_PARTS}),
            readers_see_line(photo) if photo.pk else "",
        )

    def clean(self):
        cleaned = super().clean()
        photo = self.instance
        if not photo.pk:
            # A new photo's credit is decided by the pipeline, which also reads the file's own.
            return cleaned
        built = built_credits(photo.photographer, photo.source, photo.is_file_photo)
        # A part not on this form keeps its stored value.
        parts = {name: cleaned.get(name, getattr(photo, name)) for name in CREDIT_PARTS}
        cleaned["credit"] = credit_for_readers(
            credit=parts["credit"] or "",
            photographer=parts["photographer"] or "",
            source=parts["source"] or "",
            is_file_photo=bool(parts["is_file_photo"]),
            built_before=built,
        )
        return cleaned


def readers_see_line(photo):
    """ "Readers see: Jane Doe / Agency file (built from …)" for a saved photo."""
    if not photo.credit:
        return "Readers see no credit: give a credit, or a photographer or an agency."
    built = photo.credit in built_credits(photo.photographer, photo.source, photo.is_file_photo)
    where = "built from the photographer and the agency" if built else "the credit as typed"
    return format_html("Readers see: <strong>{}</strong> ({})", photo.credit, where)


class PhotoDescribeForm(CreditLineMixin, forms.ModelForm):
    """Everything staff need to fix about one new photo, on the step after the upload."""

    class Meta:
        model = Photo
        fields = [
            "caption",
            "alt_text",
            "photographer",
            "source",
            "is_file_photo",
            "credit",
            "copyright_notice",
        ]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3}),
            "alt_text": forms.Textarea(attrs={"rows": 2, "maxlength": 300}),
            "copyright_notice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True  # the photo's id, which the layout does not list
        self.helper.layout = Layout(
            "caption",
            "alt_text",
            Row(Column("photographer", css_class="col-md-6"), Column("source", css_class="col-md-6")),
            "is_file_photo",
            "credit",
            "copyright_notice",
        )


class EditOnlyFormSet(forms.BaseModelFormSet):
    """Forms for the photos asked for and no more, whatever counts the browser posts back."""

    def initial_form_count(self):
        return min(super().initial_form_count(), len(self.get_queryset()))

    def total_form_count(self):
        return self.initial_form_count()


PhotoDescribeFormSet = forms.modelformset_factory(
    Photo, form=PhotoDescribeForm, formset=EditOnlyFormSet, extra=0, edit_only=True
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# What staff may change about a photo once it is in the library (the desk and the admin).
PHOTO_EDITABLE_FIELDS = [
    "caption",
    "alt_text",
    "credit",
    "photographer",
    "source",
    "is_file_photo",
    "title",
    "copyright_notice",
    "rights_expire_on",
    "focal_x",
    "focal_y",
]


class PhotoEditForm(CreditLineMixin, forms.ModelForm):
    class Meta:
        model = Photo
        fields = PHOTO_EDITABLE_FIELDS
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 3}),
            "alt_text": forms.Textarea(attrs={"rows": 2}),
            "copyright_notice": forms.Textarea(attrs={"rows": 2}),
            "rights_expire_on": DateInput(),
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        }
        labels = {"focal_x": "Across", "focal_y": "Down"}
        help_texts = {
            "focal_x": "0 is the left edge, 1 the right.",
            "focal_y": "0 is the top edge, 1 the bottom.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "photo-edit-form"
        self.helper.layout = Layout(
            "caption",
            "alt_text",
            Row(Column("photographer", css_class="col-md-6"), Column("source", css_class="col-md-6")),
            "is_file_photo",
            "credit",
            "title",
            Fieldset(
                "Rights",
                "copyright_notice",
                "rights_expire_on",
            ),
            Fieldset(
                "Focal point",
                HTML(
                    '<p class="form-text mt-0">What square thumbnails keep in view. Click the '
                    "picture to set it, or leave both empty to crop at the centre.</p>"
                ),
                Row(Column("focal_x", css_class="col-6"), Column("focal_y", css_class="col-6")),
                css_id="focal-point",
            ),
            Submit("save", "Save changes"),
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("focal_x") is None) != (cleaned.get("focal_y") is None):
            raise forms.ValidationError("Give both focal point values, or neither (to crop at the centre).")
        return cleaned


class PhotoSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": "Caption, credit, photographer or title"}),
    )
    uploaded_by = forms.ModelChoiceField(
        label="Uploaded by", queryset=get_user_model().objects.none(), required=False, empty_label="Anyone"
    )
    uploaded_from = forms.DateField(label="From", required=False, widget=DateInput())
    uploaded_to = forms.DateField(label="To", required=False, widget=DateInput())
    expired = forms.BooleanField(label="Expired rights only", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "photo-search"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-lg-4"),
                Column("uploaded_by", css_class="col-sm-6 col-lg-2"),
                Column("uploaded_from", css_class="col-6 col-lg-2"),
                Column("uploaded_to", css_class="col-6 col-lg-2"),
                Column(
                    "expired", Submit("search", "Search", css_class="btn-secondary"), css_class="col-lg-2"
                ),
                css_class="align-items-end",
            ),
        )
        users = get_user_model().objects.filter(pk__in=Photo.objects.values("uploaded_by"))
        self.fields["uploaded_by"].queryset = users.order_by("username")
        self.fields["uploaded_by"].label_from_instance = lambda user: user.get_full_name() or user.username

    def filter(self, photos):
        """Narrow a Photo queryset to what the form asks for (the form must be valid)."""
        data = self.cleaned_data
        if q := data.get("q", "").strip():
            for word in q.split():
                photos = photos.filter(
                    Q(caption__icontains=word)
                    | Q(credit__icontains=word)
                    | Q(photographer__icontains=word)
                    | Q(title__icontains=word)
                )
        if data.get("uploaded_by"):
            photos = photos.filter(uploaded_by=data["uploaded_by"])
        if data.get("uploaded_from"):
            photos = photos.filter(uploaded_at__date__gte=data["uploaded_from"])
        if data.get("uploaded_to"):
            photos = photos.filter(uploaded_at__date__lte=data["uploaded_to"])
        if data.get("expired"):
            photos = photos.rights_expired()
        return photos
