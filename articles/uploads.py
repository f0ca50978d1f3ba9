"""The Markdown editor's image upload, held to the same rules as every other upload.

The editor's script (static/js/markdown-image.js) sends the file, shows the reason when it
is refused and asks for alt text before it writes the image into the section. Every answer
is JSON, whoever asks: markdownx's own form view would look for a template on a refusal.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views import View

from .images import store_inline_image, validate_upload


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
        url = store_inline_image(upload)
        # `image_code` is what markdownx's own script expects; ours asks for alt text first.
        return JsonResponse({"url": url, "image_code": f"![]({url})"})


def refusal(message):
    return JsonResponse({"error": message}, status=400)
