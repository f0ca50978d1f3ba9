"""BibTeX as reference managers write it: braces, LaTeX, particles, suffixes, bad entries."""

from pathlib import Path

import pytest

from references import exporting, importing
from references.models import Reference

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _read(name):
    return (SAMPLES / name).read_text()


def test_a_zotero_export_is_read_without_braces_or_latex():
    (entry,) = importing.parse_references(_read("zotero.bib"))
    assert entry.title == (
        "Ketamine in Bipolar Disorder: A Review of COVID-19 Care in the United States"
    )
    assert entry.fields["container_title"] == "Current Psychiatry Reports"
    assert entry.fields["pages"] == "21–30"
    assert entry.fields["issued_month"] == 3
    assert entry.authors == [
        {"particle": "de", "family": "Maricourt", "given": "Pierre", "suffix": ""},
        {"particle": "", "family": "Zarate", "given": "Carlos A.", "suffix": "Jr"},
        {"particle": "", "family": "Müller", "given": "Jörg", "suffix": ""},
        {"particle": "", "family": "Durand", "given": "Émile", "suffix": ""},
        {"literal": "American Psychiatric Association"},
    ]


def test_particles_and_suffixes_survive_storing_formatting_and_export():
    (reference,) = importing.save_new(importing.parse_references(_read("zotero.bib")))
    reference.refresh_from_db()
    names = [str(author) for author in reference.authors.all()]
    assert names[:2] == ["de Maricourt, Pierre", "Zarate, Carlos A., Jr"]
    assert "de Maricourt" in reference.entry_html and "Jr" in reference.entry_html
    bibtex = exporting.to_bibtex([reference])
    assert "de Maricourt, Pierre" in bibtex and "Zarate, Jr, Carlos A." in bibtex
    reference.delete()
    (again,) = importing.parse_references(bibtex)
    assert again.title == reference.title
    assert again.authors[:2] == [
        {"particle": "de", "family": "Maricourt", "given": "Pierre", "suffix": ""},
        {"particle": "", "family": "Zarate", "given": "Carlos A.", "suffix": "Jr"},
    ]
    assert again.authors[-1] == {"literal": "American Psychiatric Association"}


def test_a_malformed_entry_is_reported_by_key_and_line_and_the_others_read():
    parsed = importing.parse_references(_read("mixed.bib"))
    assert [entry.title for entry in parsed] == ["A first study of ketamine", "A third study"]
    (problem,) = parsed.problems
    assert "“broken2020”" in problem and "from line 8" in problem


def test_the_import_preview_says_which_entry_was_not_read(staff_client):
    response = staff_client.post(
        "/admin/references/reference/import/",
        {"text": _read("mixed.bib"), "text_format": "auto", "preview": "Preview"},
    )
    page = response.content.decode()
    assert "1 entry was not read" in page and "broken2020" in page
    assert "A first study of ketamine" in page and "A third study" in page


def test_a_stored_work_is_matched_though_braces_case_and_punctuation_differ():
    stored = Reference.objects.exclude(issued_year=None).exclude(title="").first()
    first, rest = stored.title.upper().split(" ", 1)
    braced = "{" + first + "} " + rest + ".."  # protected, shouted, punctuated differently
    text = f"@article{{again, title = {{{braced}}}, author = {{Doe, Jane}}, year = {{{stored.issued_year}}}}}"
    (entry,) = importing.parse_references(text)
    assert entry.existing == stored


def test_a_pubmed_record_keeps_the_full_journal_title_and_its_abbreviation():
    (entry,) = importing.parse_references(_read("pubmed.nbib"))
    assert entry.fields["container_title"] == "Current psychiatry reports"
    assert entry.fields["container_title_short"] == "Curr Psychiatry Rep"
    assert entry.fields["pmcid"] == "PMC5904792" and entry.fields["pmid"] == "28844076"
    assert entry.existing == Reference.objects.get(key="krystal2017")  # matched by PMID
    fields = {k: v for k, v in entry.fields.items() if k not in ("doi", "pmid", "pmcid")}
    copy = Reference.objects.create(key="krystal-copy", **fields)
    copy.refresh_formatted()
    assert "<i>Current Psychiatry Reports</i>" in copy.entry_html  # APA prints the full title
    assert exporting.reference_to_csl(copy)["container-title-short"] == "Curr Psychiatry Rep"


def test_a_journal_sites_ris_keeps_organisations_suffixes_and_whole_page_ranges():
    (entry,) = importing.parse_references(_read("journal.ris"))
    assert entry.authors == [
        {"literal": "American Psychiatric Association"},
        {"family": "Abreu", "given": "Lena N.", "suffix": ""},
        {"family": "Zarate", "given": "C. A.", "suffix": "Jr"},
    ]
    assert entry.fields["pages"] == "271–280"
    assert entry.fields["container_title"] == "Revista Brasileira de Psiquiatria"
    assert entry.fields["container_title_short"] == "Braz J Psychiatry"


@pytest.mark.parametrize(
    "written, expanded",
    [
        ("271-80", "271–280"),
        ("681-8", "681–688"),
        ("1236–1241", "1236–1241"),
        ("e14228", "e14228"),
        ("21--30", "21–30"),
    ],
)
def test_page_ranges_are_written_in_full(written, expanded):
    assert importing.expand_pages(written) == expanded


def test_the_seed_references_give_their_page_ranges_in_full():
    assert Reference.objects.get(key="abreu2009").pages == "271–280"
    assert Reference.objects.get(key="feder2014").pages == "681–688"
    assert Reference.objects.get(key="niesters2014").pages == "357–367"


def test_an_invalid_doi_is_left_out_and_said_at_preview(staff_client):
    text = "@article{bad, title = {A study with a broken DOI}, doi = {11.1234/x}, year = {2020}}"
    (entry,) = importing.parse_references(text)
    assert entry.is_new and "doi" not in entry.fields
    assert entry.notes == [
        "DOI left out: “11.1234/x” is not a DOI. A DOI starts with 10. followed by a slash, "
        "for example 10.1038/mp.2013.87."
    ]
    page = staff_client.post(
        "/admin/references/reference/import/", {"text": text, "text_format": "auto"}
    ).content.decode()
    assert "New, key" in page and "DOI left out: “11.1234/x” is not a DOI" in page


def test_a_ris_entry_without_its_end_line_is_named():
    text = "TY  - JOUR\nTI  - First\nER  - \nTY  - JOUR\nTI  - Second, unfinished\n"
    parsed = importing.parse_references(text)
    assert [entry.title for entry in parsed] == ["First"]
    (problem,) = parsed.problems
    assert "“Second, unfinished” was not read: it has no end-of-record line" in problem


def test_an_entrys_own_key_is_kept_when_free_and_a_new_one_made_when_taken():
    text = (
        "@article{zunszain2013, title = {Another work entirely}, author = {Other, Ann}, year = {2001}}\n"
        "@article{fresh-key, title = {A fresh work}, author = {New, Ned}, year = {2002}}"
    )
    taken, free = importing.parse_references(text)
    assert taken.key == "other2001" and free.key == "fresh-key"
