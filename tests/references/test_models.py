"""References keep identifiers canonical and unique, and authors in order."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from references.models import Reference
from tests.factories import make_reference, reference_form_data


def test_identifiers_are_normalised_on_save(db):
    reference = make_reference(
        doi="https://doi.org/10.1000/ABC.123", pmid="PMID: 12345", pmcid="pmc678"
    )
    reference.refresh_from_db()
    assert (reference.doi, reference.pmid, reference.pmcid) == (
        "10.1000/ABC.123",
        "12345",
        "PMC678",
    )


def test_doi_is_unique_ignoring_case(db):
    make_reference(doi="10.1000/abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reference(doi="doi:10.1000/ABC")


@pytest.mark.parametrize("field", ["pmid", "pmcid"])
def test_pubmed_identifiers_are_unique_where_present(db, field):
    value = {"pmid": "424242", "pmcid": "PMC424242"}[field]
    make_reference(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        make_reference(**{field: value})


def test_many_references_may_have_no_identifiers(db):
    make_reference()
    make_reference()
    assert Reference.objects.filter(doi="", pmid="", pmcid="").count() >= 2


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("doi", "11.1000/x", "is not a DOI"),
        ("pmid", "12ab", "is not a PubMed ID"),
        ("pmcid", "PMCX1", "is not a PubMed Central ID"),
    ],
)
def test_malformed_identifiers_are_refused_by_validation(db, field, value, message):
    reference = Reference(key="bad", title="T", **{field: value})
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert message in str(error.value.message_dict[field])


def test_seed_references_carry_every_identifier_the_source_gives(db):
    brachman = Reference.objects.get(key="brachman2016")
    assert (brachman.doi, brachman.pmid, brachman.pmcid) == (
        "10.1016/j.biopsych.2015.04.022",
        "26037911",
        "PMC4633406",
    )
    assert (brachman.issued_year, brachman.issued_month, brachman.issued_day) == (2016, 5, 1)
    assert [author.family for author in brachman.authors.all()][:3] == [
        "Brachman",
        "McGowan",
        "Perusini",
    ]
    who = Reference.objects.get(key="who-depression")
    assert who.authors.get().literal == "World Health Organization"
    assert who.accessed.isoformat() == "2022-01-27"
    assert who.issued_year is None


def _admin_form(**fields):
    fields = {"key": "pasted2024", "title": "A pasted paper", **fields}
    return reference_form_data(authors=["Paster"], **fields)


def test_identifiers_pasted_in_the_admin_are_normalised_not_refused(staff_client):
    response = staff_client.post(
        "/admin/references/reference/add/",
        _admin_form(
            doi="https://doi.org/10.5555/Pasted.1", pmid="PMID: 99887766", pmcid="PMCID: PMC1234567"
        ),
    )
    assert response.status_code == 302
    stored = Reference.objects.get(key="pasted2024")
    assert (stored.doi, stored.pmid, stored.pmcid) == ("10.5555/Pasted.1", "99887766", "PMC1234567")


def test_duplicate_doi_in_the_admin_names_the_existing_reference(staff_client):
    response = staff_client.post(
        "/admin/references/reference/add/", _admin_form(doi="doi:10.1038/MP.2013.87")
    )
    assert response.status_code == 200
    assert "This DOI is already on reference “zunszain2013”." in response.content.decode()
    assert not Reference.objects.filter(key="pasted2024").exists()


def test_impossible_date_is_refused(db):
    reference = Reference(key="feb30", title="T", issued_year=2021, issued_month=2, issued_day=30)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "28 days" in str(error.value.message_dict["issued_day"])


def test_month_13_with_a_day_is_an_error_on_the_month_not_a_crash(db):
    from django.core.exceptions import ValidationError

    from references.models import Reference

    reference = Reference(
        key="badmonth2020", title="A study", issued_year=2020, issued_month=13, issued_day=5
    )
    with pytest.raises(ValidationError) as refused:  # was calendar.IllegalMonthError: a 500
        reference.full_clean()
    assert "issued_month" in refused.value.message_dict
