import os
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the seed content (both articles and their references)."""
    with django_db_blocker.unblock():
        call_command("load_seed_content")


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
