"""The admin's wire import form."""

from pathlib import Path

from django import forms

from ..models import Section


class WireImportForm(forms.Form):
    file = forms.FileField(
        help_text="An NITF or NewsML-G2 XML file, or a zip holding such files with their photos."
    )
    section = forms.ModelChoiceField(
        Section.objects.all(),
        label="Default section",
        help_text="Where new stories go when no wire subject rule or section name matches their subjects.",
    )
    publish = forms.BooleanField(
        required=False, help_text="Publish at once. Without it, stories arrive in review."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".xml", ".zip"}:
            raise forms.ValidationError("Upload an .xml file or a .zip.")
        return upload
