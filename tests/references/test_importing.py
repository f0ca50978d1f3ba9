"""Pasted BibTeX, RIS and PubMed records become references after a preview; known ones match."""

from pathlib import Path

import pytest

from references.formatting import format_pending
from references.models import Reference
from tests.references.imports import IMPORT_URL, confirm, preview, preview_and_import

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _post(client, name, confirm=False, text_format="auto"):
    text = (SAMPLES / name).read_text()
    if confirm:
        return preview_and_import(client, text, text_format=text_format)
    return preview(client, text, text_format=text_format)


@pytest.mark.parametrize("name", ["sample.bib", "sample.ris", "sample.nbib"])
def test_preview_lists_entries_and_saves_nothing(staff_client, name):
    before = Reference.objects.count()
    response = _post(staff_client, name)
    assert response.status_code == 200
    assert response.context["parsed"]
    assert Reference.objects.count() == before


def test_bibtex_import_creates_new_and_matches_existing(staff_client):
    response = _post(staff_client, "sample.bib")
    results = {entry.title: entry for entry in response.context["parsed"]}
    zunszain = results[next(t for t in results if t.startswith("Ketamine: synaptogenesis"))]
    assert zunszain.existing.key == "zunszain2013"
    assert "Already stored as" in response.content.decode()

    assert _post(staff_client, "sample.bib", confirm=True).status_code == 302
    assert format_pending() == 2  # the worker formats what an import stored
    paper = Reference.objects.get(doi="10.5555/test.2023.001")
    assert (paper.title, paper.issued_year, paper.issued_month, paper.pages) == (
        "A test paper about Ketamine infusions in adults",
        2023,
        3,
        "10–20",
    )
    assert [(a.family, a.given) for a in paper.authors.all()] == [
        ("Rivera", "Ana M."),
        ("O'Neil", "Sam"),
    ]
    assert paper.formatted_html.startswith(
        "Rivera, A. M., &amp; O’Neil, S. (2023)."
    ) or paper.formatted_html.startswith("Rivera, A. M., &amp; O'Neil, S. (2023).")
    who = Reference.objects.get(title="A test fact sheet")
    assert who.authors.get().literal == "World Health Organization"
    assert Reference.objects.filter(doi__iexact="10.1038/mp.2013.87").count() == 1


def test_importing_twice_does_not_duplicate(staff_client):
    _post(staff_client, "sample.bib", confirm=True)
    count = Reference.objects.count()
    response = _post(staff_client, "sample.bib", confirm=False)
    assert all(entry.existing for entry in response.context["parsed"])
    assert Reference.objects.count() == count


def test_ris_import(staff_client):
    assert _post(staff_client, "sample.ris", confirm=True).status_code == 302
    record = Reference.objects.get(doi="10.5555/test.2022.042")
    assert (record.container_title, record.volume, record.issue, record.pages) == (
        "Journal of Test Data",
        "12",
        "4",
        "101–109",
    )
    assert record.authors.first().family == "Lindqvist"


def test_pubmed_import_reads_pmid_pmcid_and_matches_by_pmid(staff_client):
    response = _post(staff_client, "sample.nbib")
    feder = next(e for e in response.context["parsed"] if e.fields["pmid"] == "24740528")
    assert feder.existing.key == "feder2014"
    _post(staff_client, "sample.nbib", confirm=True)
    record = Reference.objects.get(pmid="99999991")
    assert (record.pmcid, record.issued_year, record.issued_month) == ("PMC9999991", 2021, 10)
    assert record.title == "A MEDLINE test record about ketamine and sleep"


def test_unreadable_text_gets_a_clear_message(staff_client):
    response = staff_client.post(IMPORT_URL, {"text": "just some words", "text_format": "auto"})
    assert response.status_code == 200
    assert "does not look like BibTeX, RIS or a PubMed" in response.content.decode()
    response = staff_client.post(
        IMPORT_URL, {"text": "@article{broken, title = {x", "text_format": "bibtex"}
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()


def test_the_same_work_twice_in_one_paste_is_imported_once(staff_client):
    text = (SAMPLES / "sample.ris").read_text()
    response = preview_and_import(staff_client, text + "\n" + text, text_format="ris")
    assert response.status_code == 302
    assert Reference.objects.filter(doi="10.5555/test.2022.042").count() == 1


def test_an_empty_author_line_is_skipped_not_stored(staff_client):
    text = (SAMPLES / "sample.ris").read_text().replace("AU  - Okafor, Chidi", "AU  - ")
    preview_and_import(staff_client, text, text_format="ris")
    record = Reference.objects.get(doi="10.5555/test.2022.042")
    assert [a.family for a in record.authors.all()] == ["Lindqvist"]


def test_an_invalid_identifier_is_left_out_named_and_the_entry_imported(staff_client):
    bad = (
        (SAMPLES / "sample.bib")
        .read_text()
        .replace("year = {2023}", "year = {2023},\n  pmid = {12ab}")
    )
    previewed = preview(staff_client, bad, text_format="bibtex")
    html = previewed.content.decode()
    assert "PMID left out: “12ab” is not a PubMed ID" in html
    (noted,) = [entry for entry in previewed.context["parsed"] if entry.notes]
    assert noted.is_new and "pmid" not in noted.fields
    before = Reference.objects.count()
    response = confirm(staff_client, previewed, follow=True)
    assert "Imported 2 new references" in response.content.decode()
    assert Reference.objects.count() == before + 2
    assert Reference.objects.get(title=noted.title).pmid == ""


def test_an_entry_key_too_long_for_a_key_gets_a_new_one_and_the_import_succeeds(staff_client):
    long_key = "a" * 70  # the pattern allows it; the key field holds 64 characters
    text = (
        f"@article{{{long_key},\n  title = {{A study of waiting rooms}},\n  year = {{2021}}\n}}\n"
    )
    previewed = preview(staff_client, text)
    (entry,) = previewed.context["parsed"]
    assert entry.key and len(entry.key) <= 64
    response = confirm(staff_client, previewed)
    assert response.status_code == 302
    assert Reference.objects.filter(title="A study of waiting rooms", key=entry.key).exists()
