"""Forms for the photo desk (staff pages, laid out by crispy-forms with Bootstrap 5)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from ..models import Photo

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


class PhotoDescribeForm(forms.ModelForm):
    """The caption and alt text of one new photo, on the step after the upload."""

    class Meta:
        model = Photo
        fields = ["caption", "alt_text"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt_text"].widget = forms.Textarea(attrs={"rows": 2, "maxlength": 300})


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


class PhotoEditForm(forms.ModelForm):
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
            "credit",
            "is_file_photo",
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
