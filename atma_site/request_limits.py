"""Discard file parts wherever the site takes no files, before they reach the disk.

Only the admin and the Markdown editor accept files. Anywhere else (the enquiry form
above all) Django would otherwise spool each file part of a multipart body to a
temporary file as soon as anything read request.POST, which the CSRF check does
before any view runs. Here every file part is skipped as it streams past: the other
fields are kept, and `request.META[FILES_REFUSED]` tells a view that files were sent.
nginx's client_max_body_size bounds the body itself in production.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from enquiries.views import FILES_REFUSED

UPLOAD_PATHS = ("/admin/", "/markdownx/")


class SkipFileParts(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        self.request.META[FILES_REFUSED] = True
        raise SkipFile  # the parser reads past the part without storing it

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


class RefuseUnexpectedFilesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and not request.path.startswith(UPLOAD_PATHS):
            request.upload_handlers = [SkipFileParts(request)]
        return self.get_response(request)
