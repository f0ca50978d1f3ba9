"""Run the production topology on this machine, on loopback only, for checks and benchmarks.

nginx (the configuration in deploy/nginx, with a self-signed certificate) in front
of several gunicorn servers (deploy/gunicorn.conf.py) sharing one PostgreSQL
database, a Redis for cached pages, a Redis holding enquiries through a database
outage and an S3-compatible bucket for uploads (SeaweedFS, see object_storage.py),
exactly as README "Production" describes, except that every port is a free loopback
port and every file lives in a temporary directory. The app servers share no disk: each
runs in a working directory of its own, with a MEDIA_ROOT of its own that nothing should
be written to. They reach PostgreSQL through a TCP proxy (deploy/tcp_proxy.py), so that
`cut_database()` can take the database away from them, as if it had stopped, and
`restore_database()` bring it back.

    with Topology(servers=2) as topology:
        topology.nginx_url  # https://127.0.0.1:PORT
        topology.app_urls   # ["http://127.0.0.1:PORT", ...]

Everything started is stopped on leaving the block, also on an error or Ctrl-C,
and the database is dropped. Standard library only: it runs the checkout's own
virtualenv for manage.py and gunicorn.
"""

import html.parser
import http.client
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from nginx_conf import render
from object_storage import SeaweedFS, free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"

POSTGRES = os.environ.get("TOPOLOGY_POSTGRES", "postgres://postgres@127.0.0.1:5432")
STAFF_USER, STAFF_PASSWORD = "topology-staff", secrets.token_urlsafe(16)
MEDIA_BUCKET = "atma-media"


class Topology:
    def __init__(self, *, servers=2, workers_per_server=2, environment=None, access_logs=True):
        self.server_count = servers
        self.workers_per_server = workers_per_server
        self.extra_environment = environment or {}
        self.access_logs = access_logs
        self.processes = []
        self.databases = []
        self.dir = None
        self.object_store = None

    # Starting and stopping --------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        self.dir = Path(tempfile.mkdtemp(prefix="atma-topology-"))
        self.database = f"atma_topology_{os.getpid()}"
        self.redis_port, self.hold_redis_port = free_port(), free_port()
        self.database_proxy_port = free_port()
        self.app_ports = [free_port() for _ in range(self.server_count)]
        self.http_port, self.https_port = free_port(), free_port()
        # Started first: it is ready while the database is migrated.
        self.object_store = SeaweedFS(self.dir / "seaweedfs", weed=VENV_BIN / "weed")
        self.object_store.start()
        self.environment = {
            **os.environ,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url(self.database),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "ENQUIRY_HOLD_REDIS_URL": f"redis://127.0.0.1:{self.hold_redis_port}/0",
            "HTTPS": "true",
            "NUM_PROXIES": "1",
            "SITE_URL": f"https://127.0.0.1:{self.https_port}",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.https_port}",
            "SERVE_MEDIA": "false",  # nginx serves /media/ from the bucket
            "AWS_STORAGE_BUCKET_NAME": MEDIA_BUCKET,
            "AWS_S3_ENDPOINT_URL": self.object_store.endpoint_url,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "atma-topology",
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(24),
            "ENQUIRY_DEFAULT_RECIPIENTS": "enquiries@clinic.example",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "DEFAULT_FROM_EMAIL": "website@clinic.example",
            "WEB_CONCURRENCY": str(self.workers_per_server),
            **self.extra_environment,
        }
        self.environment.pop("DJANGO_SETTINGS_MODULE", None)

        self._create_database(self.database)
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("load_seed_content", "--verbosity", "0")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")
        self.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            STAFF_USER,
            "--email",
            "staff@clinic.example",
            extra_env={"DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD},
        )
        self.object_store.wait_until_ready()
        self.environment["AWS_S3_ENDPOINT_URL"] = self.object_store.endpoint_url  # if restarted
        self.object_store.create_bucket(MEDIA_BUCKET)
        # As README "Production" configures them: pages may be evicted, held enquiries never.
        self._start_redis("redis", self.redis_port, "allkeys-lru")
        self._start_redis("redis-hold", self.hold_redis_port, "noeviction")
        self.restore_database()
        for port in self.app_ports:
            self._start_app_server(port)
        self._start_nginx()

    def stop(self):
        for process in reversed(self.processes):
            _terminate(process)
        self.processes.clear()
        if self.object_store:
            self.object_store.stop()
        for database in self.databases:
            _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        self.databases.clear()
        if self.dir and not os.environ.get("TOPOLOGY_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)

    def database_url(self, name):
        return f"{POSTGRES}/{name}"

    def _create_database(self, name):
        self.databases.append(name)
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _psql(f'CREATE DATABASE "{name}"', check=True)

    def manage(self, *args, extra_env=None, database=None):
        environment = {**self.environment, **(extra_env or {})}
        if database:
            environment["DATABASE_URL"] = self.database_url(database)
        result = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def python(self, code, *, database=None, extra_env=None):
        """The last line `code` prints, run by manage.py shell against the topology's database."""
        output = self.manage(
            "shell", "--no-imports", "-c", code, database=database, extra_env=extra_env
        )
        return output.strip().splitlines()[-1]

    def _spawn(self, name, command, **kwargs):
        with open(self.dir / f"{name}.log", "w") as log:  # the child keeps its own copy
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
                **kwargs,
            )
        process.log_path = self.dir / f"{name}.log"
        self.processes.append(process)
        return process

    def _start_redis(self, name, port, policy):
        self._spawn(
            name,
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "64mb",
                "--maxmemory-policy",
                policy,
            ],
        )
        _wait_for_port(port)

    def cut_database(self):
        """Take PostgreSQL away from the app servers, as if it had stopped: their open
        connections break and new ones are refused. manage.py here still reaches it."""
        _terminate(self.database_proxy)
        self.processes.remove(self.database_proxy)

    def reload_app_servers(self):
        """Reload every app server, as `systemctl reload` does: new workers, empty memory."""
        for process in self.processes:
            if process.log_path.name.startswith("gunicorn-"):
                os.kill(process.pid, signal.SIGHUP)

    def restore_database(self):
        parts = urllib.parse.urlsplit(POSTGRES)
        self.database_proxy = self._spawn(
            "database-proxy",
            [
                str(VENV_BIN / "python"),
                str(ROOT / "deploy" / "tcp_proxy.py"),
                str(self.database_proxy_port),
                f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}",
            ],
        )
        _wait_for_port(self.database_proxy_port)

    def media_root(self, port):
        """The app server's own MEDIA_ROOT: on another host, nobody else's disk."""
        return self.dir / f"server-{port}" / "media"

    def _start_app_server(self, port):
        working_directory = self.dir / f"server-{port}"
        self.media_root(port).mkdir(parents=True, exist_ok=True)
        # Relative, so each server's is in its own working directory while the settings,
        # and so the page cache's release fingerprint, stay the same on both.
        environment = {**self.environment, "MEDIA_ROOT": "media"}
        # Through the proxy, which `cut_database()` stops.
        credentials = urllib.parse.urlsplit(POSTGRES).netloc.rpartition("@")[0] or "postgres"
        environment["DATABASE_URL"] = (
            f"postgres://{credentials}@127.0.0.1:{self.database_proxy_port}/{self.database}"
        )
        if self.access_logs:
            environment["GUNICORN_ACCESS_LOG"] = str(self.dir / f"access-{port}.log")
        self._spawn(
            f"gunicorn-{port}",
            [
                str(VENV_BIN / "gunicorn"),
                "atma_site.wsgi",
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--pythonpath",
                str(ROOT),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=working_directory,
            env=environment,
        )
        _wait_for_port(port, timeout=30)

    def _start_nginx(self, extra_servers=""):
        certificate, key = self.dir / "tls.crt", self.dir / "tls.key"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
        )
        site = render(
            server_name="127.0.0.1 localhost",
            app_root=ROOT,
            media_bucket_url=f"{self.object_store.endpoint_url}/{MEDIA_BUCKET}",
            upstreams=[f"127.0.0.1:{port}" for port in self.app_ports],
            certificate=certificate,
            certificate_key=key,
            cache_dir=self.dir / "nginx-cache",
            media_cache_dir=self.dir / "nginx-media-cache",
            http_listen=f"127.0.0.1:{self.http_port}",
            https_listen=f"127.0.0.1:{self.https_port}",
        )
        (self.dir / "atma-site.conf").write_text(site)
        self.static_copy_dir = self.dir / "static-copy"
        self.static_copy_dir.mkdir()
        self.static_port, self.static_http_port = free_port(), free_port()
        user = "user root root;" if os.geteuid() == 0 else ""
        temp = self.dir / "nginx-temp"
        temp.mkdir()
        (self.dir / "nginx.conf").write_text(
            f"""
{user}
worker_processes auto;
pid {self.dir}/nginx.pid;
error_log {self.dir}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {self.dir}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    sendfile on;
    include {self.dir}/atma-site.conf;
    # For benchmarks only: files served straight from disk, with the same TLS.
    server {{
        listen 127.0.0.1:{self.static_port} ssl;
        ssl_certificate {certificate};
        ssl_certificate_key {key};
        access_log off;
        root {self.static_copy_dir};
    }}
    server {{
        listen 127.0.0.1:{self.static_http_port};
        access_log off;
        root {self.static_copy_dir};
    }}
}}
"""
        )
        self._spawn(
            "nginx",
            ["nginx", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"), "-g", "daemon off;"],
        )
        _wait_for_port(self.https_port)

    # Addresses and requests -----------------------------------------------------

    @property
    def nginx_url(self):
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def app_urls(self):
        return [f"http://127.0.0.1:{port}" for port in self.app_ports]

    def access_log(self, port):
        path = self.dir / f"access-{port}.log"
        return path.read_text() if path.exists() else ""


class Browser:
    """A visitor's HTTP client: keeps its cookies, follows no redirects.

    `via_proxy` sends X-Forwarded-For and X-Forwarded-Proto as nginx does, for
    requests made straight to an app server.
    """

    def __init__(self, client_address="198.51.100.10"):
        self.cookies = {}
        self.client_address = client_address

    def request(self, method, url, *, data=None, files=None, headers=None, via_proxy=False):
        """`files`: {field: (filename, bytes[, content type])}, sent as multipart/form-data
        with `data`, and the CSRF token in X-CSRFToken as the editor's script sends it."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "https":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the topology's self-signed certificate
            connection = http.client.HTTPSConnection(parts.netloc, timeout=30, context=context)
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if via_proxy:
            headers["X-Forwarded-For"] = self.client_address
            headers["X-Forwarded-Proto"] = "https"
        body = None
        if files is not None:
            body, headers["Content-Type"] = _multipart(data or {}, files)
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            # As the browser saw it: behind nginx, every page is https.
            headers.setdefault(
                "Referer", url.replace("http://", "https://", 1) if via_proxy else url
            )
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers)
        response = connection.getresponse()
        response.content = response.read()
        response.text = response.content.decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        connection.close()
        return response

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url, data, *, files=None, **kwargs):
        return self.request("POST", url, data=data, files=files, **kwargs)

    def sign_in(self, base_url, *, via_proxy=False, username=STAFF_USER, password=STAFF_PASSWORD):
        login = f"{base_url}/admin/login/"
        page = self.get(login, via_proxy=via_proxy)
        fields = form_fields(page.text, form_id="login-form")
        fields.update(username=username, password=password, next="/admin/")
        response = self.post(login, fields, via_proxy=via_proxy)
        if response.status != 302:
            raise RuntimeError(f"sign-in at {base_url} answered {response.status}")


class _FormParser(html.parser.HTMLParser):
    """The successful controls of one form, as a browser would submit them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            self.fields.setdefault(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(page_html, *, form_id):
    parser = _FormParser(form_id)
    parser.feed(page_html)
    if not parser.fields:
        raise RuntimeError(f"no form #{form_id} on the page")
    # A textarea's first newline belongs to the markup, not the value.
    return {name: value.removeprefix("\n") for name, value in parser.fields.items()}


def _multipart(fields, files):
    """A multipart/form-data body of `fields` and `files`, and its Content-Type."""
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + str(value).encode()
            + b"\r\n"
        )
    for name, (filename, content, *content_type) in files.items():
        kind = content_type[0] if content_type else "application/octet-stream"
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _psql(statement, check=False):
    subprocess.run(
        ["psql", "--quiet", "--no-psqlrc", POSTGRES + "/postgres", "-c", statement],
        capture_output=True,
        check=check,
    )


def _wait_for_port(port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def _terminate(process):
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def stop_on_signals():
    """Turn SIGTERM and SIGHUP into SystemExit, so `with Topology()` cleans up."""

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, leave)
