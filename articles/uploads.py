"""The Markdown editor's image upload, held to the same rules as every other upload.

The editor's script (static/js/markdown-image.js) sends the file, shows the reason when it
is refused and asks for alt text before it writes the image into the section. Every answer
is JSON, whoever asks: markdownx's own form view would look for a template on a refusal.
"""

import logging

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views import View

from .images import store_inline_image, validate_upload

logger = logging.getLogger(__name__)


class CheckedImageUploadView(View):
    http_method_names = ["post"]

    def post(self, request):
        upload = request.FILES.get("image")
        if upload is None:
            return refusal("Choose an image to upload.")
        try:
            validate_upload(upload)
        except ValidationError as error:
            return refusal(" ".join(error.messages))
        try:
            url = store_inline_image(upload)
        except Exception:
            # Storage failed (a bucket not answering, a full disk): the editor is told, the
            # operator gets the traceback. A part already stored is swept within a day.
            logger.exception("The site could not store an uploaded image.")
            return refusal(
                "The image could not be stored just now. Try again in a few minutes; if it "
                "keeps failing, tell whoever looks after the site.",
                status=503,
            )
        # `image_code` is what markdownx's own script expects; ours asks for alt text first.
        return JsonResponse({"url": url, "image_code": f"![]({url})"})


def refusal(message, status=400):
    return JsonResponse({"error": message}, status=status)
