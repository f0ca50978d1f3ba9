"""Fill in deploy/nginx/atma-site.conf.template (see deploy/render-nginx-conf)."""

from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "atma-site.conf.template"


def render(
    *,
    server_name,
    app_root,
    media_root,
    upstreams,
    certificate,
    certificate_key,
    cache_dir="/var/cache/nginx/atma",
    http_listen="80",
    https_listen="443",
    staff_upload_limit="8m",
):
    values = {
        "SERVER_NAME": server_name,
        "APP_ROOT": str(app_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "UPSTREAM_SERVERS": "\n".join(
            f"    server {upstream} max_fails=3 fail_timeout=10s;" for upstream in upstreams
        ),
        "TLS_CERTIFICATE": str(certificate),
        "TLS_CERTIFICATE_KEY": str(certificate_key),
        "CACHE_DIR": str(cache_dir),
        "HTTP_LISTEN": str(http_listen),
        "HTTPS_LISTEN": str(https_listen),
        "STAFF_UPLOAD_LIMIT": staff_upload_limit,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    missing = [
        line for line in text.splitlines() if "@" in line and not line.lstrip().startswith("#")
    ]
    if missing:
        raise ValueError(f"unfilled placeholders: {missing}")
    return text
