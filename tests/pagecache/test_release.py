"""The release fingerprint that keys cached pages changes with what a page is made from,
its compiled translations included, and not with what it is not (the tests); a lazy
setting, whose repr changes once it is used, does not change it either."""

from django.conf import settings as live_settings
from django.utils.functional import SimpleLazyObject

from pagecache.release import release_fingerprint


def _fingerprint():
    return release_fingerprint.__wrapped__()


def _project(tmp_path):
    (tmp_path / "front").mkdir()
    (tmp_path / "front" / "views.py").write_text("VIEW = 1\n")
    catalogue = tmp_path / "locale" / "es" / "LC_MESSAGES"
    catalogue.mkdir(parents=True)
    (catalogue / "django.mo").write_bytes(b"\xde\x12\x04\x95 first")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_views.py").write_text("def test(): pass\n")
    return tmp_path


def test_a_new_compiled_catalogue_is_a_new_release(tmp_path, settings):
    tree = settings.BASE_DIR = _project(tmp_path)
    before = _fingerprint()
    assert _fingerprint() == before
    (tree / "locale" / "es" / "LC_MESSAGES" / "django.mo").write_bytes(b"\xde\x12\x04\x95 second")
    assert _fingerprint() != before


def test_a_changed_test_is_not_a_new_release(tmp_path, settings):
    tree = settings.BASE_DIR = _project(tmp_path)
    before = _fingerprint()
    (tree / "tests" / "test_views.py").write_text("def test(): assert True\n")
    assert _fingerprint() == before
    (tree / "front" / "views.py").write_text("VIEW = 2\n")
    assert _fingerprint() != before


def test_using_a_lazy_setting_does_not_change_the_fingerprint(tmp_path, settings):
    settings.BASE_DIR = _project(tmp_path)
    # As django-axes' defaults are: evaluated the first time something reads them.
    settings.LAZY_FOR_THE_TEST = SimpleLazyObject(lambda: "username")
    before = _fingerprint()
    str(live_settings.LAZY_FOR_THE_TEST)
    assert _fingerprint() == before
