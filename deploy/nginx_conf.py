"""Fill in deploy/nginx/atma-site.conf.template (see deploy/render-nginx-conf)."""

import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "atma-site.conf.template"
# /media/ from the object storage bucket, or from a directory on disk.
MEDIA_FROM_BUCKET = TEMPLATE.parent / "media-bucket.conf.template"
MEDIA_FROM_DISK = TEMPLATE.parent / "media-disk.conf.template"


def render(
    *,
    server_name,
    app_root,
    upstreams,
    certificate,
    certificate_key,
    media_root=None,
    media_bucket_url=None,
    cache_dir="/var/cache/nginx/atma",
    media_cache_dir="/var/cache/nginx/atma-media",
    http_listen="80",
    https_listen="443",
    staff_upload_limit="8m",
):
    """/media/ comes from `media_bucket_url` (http(s)://host[:port]/bucket, or
    https://bucket.host) or from the directory `media_root`: give one."""
    if (media_root is None) == (media_bucket_url is None):
        raise ValueError("give media_root (media on disk) or media_bucket_url, not both")
    media = MEDIA_FROM_DISK if media_bucket_url is None else MEDIA_FROM_BUCKET
    values = {
        "MEDIA_LOCATION": media.read_text().rstrip("\n"),  # first: it holds placeholders too
        "SERVER_NAME": server_name,
        "APP_ROOT": str(app_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "MEDIA_BUCKET_URL": str(media_bucket_url).rstrip("/"),
        "UPSTREAM_SERVERS": "\n".join(
            f"    server {upstream} max_fails=3 fail_timeout=10s;" for upstream in upstreams
        ),
        "TLS_CERTIFICATE": str(certificate),
        "TLS_CERTIFICATE_KEY": str(certificate_key),
        "CACHE_DIR": str(cache_dir),
        "MEDIA_CACHE_DIR": str(media_cache_dir),
        "HTTP_LISTEN": str(http_listen),
        "HTTPS_LISTEN": str(https_listen),
        "STAFF_UPLOAD_LIMIT": staff_upload_limit,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    missing = [
        line
        for line in text.splitlines()
        if re.search("@[A-Z_]+@", line) and not line.lstrip().startswith("#")
    ]
    if missing:
        raise ValueError(f"unfilled placeholders: {missing}")
    return text
