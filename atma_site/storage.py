"""Uploaded images in an S3-compatible bucket, at addresses on the site's own origin.

Patients' pages never name the bucket's host: `url()` gives /media/NAME, which nginx answers
from the bucket in production (deploy/nginx) and the app answers itself with SERVE_MEDIA
(atma_site/media.py). So the content security policy holds, no page makes a request to
another site, the bucket needs no public address, and `url()` asks nothing of S3.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class BucketStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(clean_name(name)).lstrip("/")
