"""Reference entries come from citeproc-py in a real CSL style."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from references.formatting import format_reference
from references.models import Reference
from tests.factories import make_reference


@pytest.fixture
def zunszain(db):
    return Reference.objects.get(key="zunszain2013")


def test_apa_entry_puts_initials_after_family_names_and_year_in_parentheses(zunszain):
    entry = format_reference(zunszain, "apa")
    assert entry.startswith("Zunszain, P. A., Horowitz, M. A.")
    assert "(2013)" in entry
    assert "<i>18</i>(12)" in entry


def test_ama_entry_has_compact_initials_and_no_leading_number(zunszain):
    entry = format_reference(zunszain, "american-medical-association")
    assert entry.startswith("Zunszain PA, Horowitz MA")
    assert "2013;18(12)" in entry


def test_doi_in_the_entry_is_a_link(zunszain):
    for style in ("apa", "american-medical-association"):
        assert '<a href="https://doi.org/10.1038/mp.2013.87"' in format_reference(zunszain, style)


def test_organisation_author_is_kept_whole_and_not_repeated_as_site_name(db):
    who = Reference.objects.get(key="who-depression")
    entry = format_reference(who, "apa")
    assert entry.startswith("World Health Organization. (n.d.). <i>Depression</i>.")
    assert entry.count("World Health Organization") == 1


def test_markup_in_a_title_is_escaped_not_interpreted(db):
    reference = make_reference(title='Dose <script>alert(1)</script> & "response"')
    entry = format_reference(reference, "apa")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry


def test_author_with_family_name_only_has_no_stray_punctuation(db):
    entry = format_reference(Reference.objects.get(key="alharbi2012"), "apa")
    assert entry.startswith("Al-harbi. (2012).")


def test_unknown_style_fails_with_the_setting_named(zunszain):
    with pytest.raises(ImproperlyConfigured, match="CITATION_STYLE"):
        format_reference(zunszain, "no-such-style")


def test_style_setting_changes_the_entry_shown_without_a_stale_cache(zunszain, settings):
    zunszain.refresh_formatted()
    assert zunszain.entry_html.startswith("Zunszain, P. A.")
    settings.CITATION_STYLE = "american-medical-association"
    assert zunszain.entry_html.startswith("Zunszain PA")


def test_admin_save_formats_the_entry_with_its_inline_authors(staff_client):
    response = staff_client.post(
        "/admin/references/reference/add/",
        {
            "key": "newauthor2024",
            "type": "article-journal",
            "evidence_type": "not-classified",
            "title": "A new paper",
            "container_title": "Journal of Tests",
            "issued_year": "2024",
            "authors-TOTAL_FORMS": "1",
            "authors-INITIAL_FORMS": "0",
            "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "1000",
            "authors-0-position": "1",
            "authors-0-family": "Newauthor",
            "authors-0-given": "Q.",
        },
    )
    assert response.status_code == 302
    stored = Reference.objects.get(key="newauthor2024")
    assert stored.formatted_style == "apa"
    assert stored.formatted_html.startswith("Newauthor, Q. (2024).")


@pytest.mark.parametrize("style", ["apa", "american-medical-association"])
def test_pages_with_an_ampersand_are_escaped_once(db, style):
    import lxml.html

    from references.formatting import format_reference
    from references.models import Reference

    reference = Reference.objects.create(
        key="amp2020",
        title="A study",
        type="article-journal",
        container_title="Journal",
        issued_year=2020,
        volume="3",
        pages="e12&e13",
    )
    entry = format_reference(reference, style)
    assert "amp;" not in lxml.html.fromstring(entry).text_content()
    assert "e12 & e13" in lxml.html.fromstring(entry).text_content()
