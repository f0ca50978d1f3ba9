"""/media/NAME answered by the app (SERVE_MEDIA, as under `make run`) from whichever storage
holds the uploads: files under MEDIA_ROOT, or the bucket. Only through Django's storage API,
so the same view serves both. In production nginx answers /media/ instead (deploy/nginx).
"""

import mimetypes
import posixpath

from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since


@require_safe
def serve_media(request, path):
    # Only a plain relative name: no "..", "//" or "./" that storage might read differently.
    if not path or posixpath.normpath(path) != path or path.startswith("/"):
        raise Http404
    try:
        stored = default_storage.open(path)
    except (OSError, SuspiciousOperation) as error:  # missing, a folder, or outside storage
        raise Http404 from error
    modified = default_storage.get_modified_time(path).timestamp()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        stored.close()
        return HttpResponseNotModified()
    content_type, encoding = mimetypes.guess_type(path)
    response = FileResponse(stored, content_type=content_type or "application/octet-stream")
    response["Last-Modified"] = http_date(modified)
    if encoding:
        response["Content-Encoding"] = encoding
    return response
