"""The Spanish catalogue is complete: every string marked for translation in the code and the
templates has Spanish, none is left fuzzy, each keeps its placeholders, and the compiled
catalogue the site loads says what the translators' file says.

Needs GNU gettext (as `makemessages` does); CI installs it and sets REQUIRE_GETTEXT."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CATALOGUE = REPO / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _gettext():
    if not (shutil.which("xgettext") and shutil.which("msgfmt")):
        if os.environ.get("REQUIRE_GETTEXT"):
            pytest.fail("GNU gettext is required (REQUIRE_GETTEXT is set)")
        pytest.skip("GNU gettext is not installed")


def _run(*command, cwd=REPO):
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=True).stdout


def _msgids(po_text):
    """The msgids of a PO file's entries (its header's empty one left out)."""
    return [
        entry
        for entry in po_text.split("\n\n")
        if "msgid" in entry and 'msgid ""\nmsgstr' not in entry
    ]


def test_every_entry_has_spanish_none_is_fuzzy_and_placeholders_match():
    # --check verifies each python-format entry keeps the msgid's placeholders.
    _run("msgfmt", "--check", "-o", os.devnull, str(CATALOGUE))
    assert _msgids(_run("msgattrib", "--untranslated", str(CATALOGUE))) == []
    assert _msgids(_run("msgattrib", "--only-fuzzy", str(CATALOGUE))) == []


def test_every_string_marked_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh from a copy of the project, as `makemessages` would for a
    release, and find each in the catalogue."""
    copy = tmp_path / "project"
    shutil.copytree(
        REPO,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "node_modules", "media", "*.sqlite3", "__pycache__", "locale"
        ),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=True,
    )
    fresh = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    merged = tmp_path / "merged.po"
    _run(
        "msgmerge", "--quiet", "--no-fuzzy-matching", "-o", str(merged), str(CATALOGUE), str(fresh)
    )
    missing = _msgids(_run("msgattrib", "--untranslated", "--no-obsolete", str(merged)))
    assert missing == [], "strings marked for translation with no Spanish yet"


def test_the_compiled_catalogue_is_the_translators_file(tmp_path):
    compiled_now = tmp_path / "django.mo"
    _run("msgfmt", "-o", str(compiled_now), str(CATALOGUE))
    with compiled_now.open("rb") as now, COMPILED.open("rb") as shipped:
        assert gettext.GNUTranslations(shipped)._catalog == gettext.GNUTranslations(now)._catalog, (
            "run `make messages` to compile the catalogue"
        )
