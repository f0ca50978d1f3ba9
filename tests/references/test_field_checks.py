"""One bad field never costs the whole entry: it is left out, and the preview names it and why."""

from pathlib import Path

import pytest

from references import importing
from references.models import Reference
from tests.references.imports import confirm, preview

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def _one(text):
    (entry,) = importing.parse_references(text)
    return entry


def test_a_url_field_holding_two_addresses_keeps_the_first_and_says_so():
    entry = _one(
        "@article{m, title = {T}, year = {2010},\n"
        "url = {http://www.ncbi.nlm.nih.gov/pubmed/20428515 "
        "http://www.pubmedcentral.nih.gov/articlerender.fcgi?artid=PMC2859882}}"
    )
    assert entry.is_new
    assert entry.fields["url"] == "http://www.ncbi.nlm.nih.gov/pubmed/20428515"
    assert entry.notes == [
        "URL: it held 2 addresses; the first, http://www.ncbi.nlm.nih.gov/pubmed/20428515, is kept."
    ]


def test_a_url_field_with_no_address_is_left_out_naming_it():
    entry = _one("@article{m, title = {T}, url = {see the PDF}}")
    assert entry.is_new and "url" not in entry.fields
    assert entry.notes == ["URL left out: “see the PDF” is not a web address."]


def test_a_journal_title_longer_than_its_column_is_left_out_naming_the_field():
    journal = "Proceedings of " + "the Society " * 40
    entry = _one(f"@article{{j, title = {{T}}, journal = {{{journal}}}, year = {{2020}}}}")
    assert entry.is_new and "container_title" not in entry.fields
    assert entry.notes == [
        f"Journal or site left out: it has {len(journal.strip())} characters, and the field "
        "holds 300."
    ]


@pytest.mark.parametrize(
    "month, note",
    [
        ("Spring", "Month left out: “Spring” is not a month."),
        ("13", "Month left out: “13” is not a month."),
    ],
)
def test_an_unknown_month_is_left_out_and_the_year_kept(month, note):
    entry = _one(f"@article{{m, title = {{T}}, year = {{2020}}, month = {{{month}}}}}")
    assert entry.fields["issued_year"] == 2020 and "issued_month" not in entry.fields
    assert entry.notes == [note]


@pytest.mark.parametrize("month, number", [("apr", 4), ("April", 4), ("Sept.", 9), ("04", 4)])
def test_months_as_managers_write_them(month, number):
    entry = _one(f"@article{{m, title = {{T}}, year = {{2020}}, month = {{{month}}}}}")
    assert entry.fields["issued_month"] == number and not entry.notes


def test_a_year_that_is_not_one_is_left_out_with_its_month():
    entry = _one("@article{m, title = {T}, year = {in press}, month = {may}}")
    assert "issued_year" not in entry.fields and "issued_month" not in entry.fields
    assert entry.notes == ["Year left out: “in press” is not a year between 1500 and 2200."]


def test_a_day_the_month_does_not_have_is_left_out():
    entry = _one("@article{m, title = {T}, date = {2021-06-31}}")
    assert (entry.fields["issued_year"], entry.fields["issued_month"]) == (2021, 6)
    assert entry.notes == ["Day left out: that month has 30 days."]


def test_an_access_date_that_is_no_date_is_left_out():
    entry = _one("@online{w, title = {T}, url = {https://example.org}, urldate = {2021-02-30}}")
    assert "accessed" not in entry.fields
    assert entry.notes == ["Access date left out: “2021-02-30” is not a date."]


def test_too_long_pages_volume_and_publisher_each_name_their_field():
    entry = _one(
        "@book{b, title = {T}, volume = {" + "9" * 31 + "}, pages = {" + "1" * 41 + "},"
        " publisher = {" + "P" * 301 + "}}"
    )
    assert entry.is_new
    assert entry.notes == [
        "Volume left out: it has 31 characters, and the field holds 30.",
        "Pages left out: it has 41 characters, and the field holds 40.",
        "Publisher left out: it has 301 characters, and the field holds 300.",
    ]


def test_an_author_whose_name_does_not_fit_is_left_out_naming_the_part():
    entry = _one("@article{a, title = {T}, author = {" + "X" * 121 + ", Ann and Lee, Kim}}")
    assert [author["family"] for author in entry.authors] == ["Lee"]
    (note,) = entry.notes
    assert "left out: the family name has 121 characters, and the field holds 120." in note


def test_an_entry_without_a_title_or_with_one_too_long_is_refused_naming_the_title():
    untitled = _one("@article{u, author = {Lee, Kim}, year = {2020}}")
    assert untitled.problem == "It has no title." and not untitled.is_new
    long = _one("@article{l, title = {" + "Word " * 120 + "}}")
    assert long.problem == "Its title has 599 characters; the title field holds 500."


def test_the_preview_names_each_field_left_out_and_the_entry_is_imported_without_it(
    staff_client,
):
    previewed = preview(staff_client, (SAMPLES / "mendeley.bib").read_text())
    page = previewed.content.decode()
    assert "Month left out: “Spring” is not a month." in page
    assert "Journal or site left out: it has 326 characters, and the field holds 300." in page
    assert "URL: it held 2 addresses" in page
    assert "4 entries read" in page and "2 new entries have fields left out or changed" in page
    assert confirm(staff_client, previewed).status_code == 302
    rooms = Reference.objects.get(doi="10.5555/atma.mendeley.2")
    assert (rooms.title, rooms.issued_year, rooms.issued_month) == (
        "Infusion rooms and patient comfort",
        2020,
        None,
    )
    assert rooms.container_title == ""
    assert rooms.url == "https://example.org/rooms_and_comfort?id=12%20a"
    okafor = Reference.objects.get(doi="10.5555/atma.mendeley.1")
    assert okafor.url == "http://www.ncbi.nlm.nih.gov/pubmed/90000101"
    assert (okafor.pmid, okafor.pages, okafor.issued_month) == ("90000101", "323–333", 4)
