"""deploy/render-nginx-conf: a configuration nginx accepts, with media on disk or in a bucket."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.ports import free_port

sys.path.append(str(REPO / "deploy"))
from nginx_conf import render  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _nginx_accepts(tmp_path, site):
    """Whether `nginx -t` accepts `site` in an http block, as deploy/topology.py includes it."""
    if not shutil.which(NGINX):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp_path}/body;\n    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/site.conf;\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )


def _site(tmp_path, **media):
    certificate, key = tmp_path / "tls.crt", tmp_path / "tls.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return render(
        server_name="clinic.example",
        app_root="/srv/atma",
        upstreams=["127.0.0.1:8001", "127.0.0.1:8002"],
        certificate=certificate,
        certificate_key=key,
        cache_dir=tmp_path / "cache",
        media_cache_dir=tmp_path / "media-cache",
        http_listen=f"127.0.0.1:{free_port()}",
        https_listen=f"127.0.0.1:{free_port()}",
        **media,
    )


@pytest.mark.parametrize(
    "media, expected",
    [
        ({"media_root": "/srv/atma/var/media/"}, "alias /srv/atma/var/media/;"),
        (
            {"media_bucket_url": "http://10.0.0.5:8333/atma-media/"},
            "proxy_pass http://10.0.0.5:8333/atma-media/;",
        ),
        (
            # A name nginx resolves without a network, checking the TLS directives.
            {"media_bucket_url": "https://localhost"},
            "proxy_pass https://localhost/;",
        ),
    ],
)
def test_nginx_accepts_the_site_with_media_from_disk_or_a_bucket(tmp_path, media, expected):
    site = _site(tmp_path, **media)
    assert expected in site
    assert site.count("location /media/") == 1
    checked = _nginx_accepts(tmp_path, site)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    "media", [{}, {"media_root": "/srv/atma/var/media", "media_bucket_url": "http://s3/atma"}]
)
def test_media_comes_from_one_place(tmp_path, media):
    with pytest.raises(ValueError, match="give media_root"):
        render(
            server_name="clinic.example",
            app_root="/srv/atma",
            upstreams=["127.0.0.1:8001"],
            certificate="c",
            certificate_key="k",
            **media,
        )
