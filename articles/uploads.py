"""The markdownx editor's image upload, held to the same rules as every other upload."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from markdownx.forms import ImageForm
from markdownx.views import ImageUploadView

from .images import strip_metadata, validate_upload


class CheckedImageForm(ImageForm):
    def clean(self):
        upload = self.files.get("image")
        if upload is None:
            raise ValidationError("Choose an image to upload.")
        validate_upload(upload)
        return self.cleaned_data

    def save(self, commit=True):
        cleaned = strip_metadata(self.files["image"])
        stored = default_storage.save(f"markdownx/{cleaned.name}", cleaned)
        return default_storage.url(stored)


class CheckedImageUploadView(ImageUploadView):
    form_class = CheckedImageForm
