"""Export and re-import without loss: every seed reference, through CSL-JSON, field by field."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import SectionCitation
from references import exporting, importing
from references.models import Reference
from tests.references.imports import confirm, preview

pytestmark = pytest.mark.django_db

FIELDS = [
    "key",
    "type",
    "title",
    "container_title",
    "container_title_short",
    "issued_year",
    "issued_month",
    "issued_day",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "url",
    "accessed",
    "publisher",
    "publisher_place",
]
AUTHOR_FIELDS = ["position", "particle", "family", "given", "suffix", "literal"]


def _record(reference):
    return {
        **{name: getattr(reference, name) for name in FIELDS},
        "authors": [
            {name: getattr(author, name) for name in AUTHOR_FIELDS}
            for author in reference.authors.all()
        ],
    }


def test_every_seed_reference_survives_csl_json_export_and_reimport_into_an_empty_database():
    before = {ref.key: _record(ref) for ref in Reference.objects.prefetch_related("authors")}
    assert len(before) == 21
    exported = exporting.to_csl_json(Reference.objects.prefetch_related("authors").order_by("key"))
    SectionCitation.objects.all().delete()
    Reference.objects.all().delete()
    parsed = importing.parse_references(exported)
    assert not parsed.problems
    importing.save_new(parsed)
    after = {ref.key: _record(ref) for ref in Reference.objects.prefetch_related("authors")}
    assert after == before


def test_the_sites_own_export_is_recognised_and_matched_not_duplicated():
    exported = exporting.to_csl_json(Reference.objects.filter(key="clark2020"))
    assert importing.detect_format(exported) == "csl-json"
    (entry,) = importing.parse_references(exported)
    assert entry.existing == Reference.objects.get(key="clark2020")


def test_an_item_without_a_title_is_named_not_dropped():
    items = json.dumps([{"id": "untitled", "type": "book"}, {"id": "kept", "title": "A book"}])
    parsed = importing.parse_references(items)
    assert [entry.title for entry in parsed] == ["A book"]
    assert parsed.problems == ["Item 1 (“untitled”) was not read: it has no title."]


def test_a_file_is_imported_after_its_preview(staff_client):
    bib = b"@article{filed2024, title = {A filed study}, author = {Doe, Jane}, year = {2024}}"
    previewed = preview(staff_client, upload=bib, name="export.bib")
    page = previewed.content.decode()
    assert "A filed study" in page and "New, key" in page and "Preview of export.bib" in page
    assert "@article{filed2024" not in page  # the batch is kept on the server, not sent back
    confirmed = confirm(staff_client, previewed)
    assert confirmed.status_code == 302
    assert Reference.objects.filter(title="A filed study").exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("notes.docx", b"PK\x03\x04", "is not a reference file"),
        (
            "export.ris",
            "TY  - JOUR\nTI  - Caf\xe9\nER  - \n".encode("latin-1"),
            "is not UTF-8 text",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_saying_why(staff_client, name, content, message):
    response = staff_client.post(
        "/admin/references/reference/import/",
        {"upload": SimpleUploadedFile(name, content), "text_format": "auto", "preview": "Preview"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def _pages_any_dash(record):
    """RIS gives a range as start and end pages: the dash between them is not carried."""
    return {**record, "pages": record["pages"].replace("-", "–")}


@pytest.mark.parametrize(
    "export, same",
    [(exporting.to_bibtex, lambda record: record), (exporting.to_ris, _pages_any_dash)],
    ids=["bibtex", "ris"],
)
def test_every_seed_reference_survives_bibtex_and_ris(export, same):
    before = {ref.key: _record(ref) for ref in Reference.objects.prefetch_related("authors")}
    exported = export(Reference.objects.prefetch_related("authors").order_by("key"))
    SectionCitation.objects.all().delete()
    Reference.objects.all().delete()
    parsed = importing.parse_references(exported)
    assert not parsed.problems and not [entry.problem for entry in parsed if entry.problem]
    importing.save_new(parsed)
    after = {ref.key: _record(ref) for ref in Reference.objects.prefetch_related("authors")}
    assert set(after) == set(before)
    for key, record in before.items():
        assert same(after[key]) == same(record), key
