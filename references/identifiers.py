"""Normalise and validate the identifiers a reference may carry (DOI, PMID, PMCID).

Each `normalize_*` function accepts what people paste (a doi.org URL, "PMID: 123",
"pmc456") and returns the canonical form, or "" for blank input. Validation is
separate so a form can say exactly which identifier is malformed.
"""

import re

from django.core.exceptions import ValidationError

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^[1-9]\d{0,8}$")
PMCID_PATTERN = re.compile(r"^PMC\d{1,9}$")

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID_PREFIX = re.compile(r"^pmid:?\s*", re.IGNORECASE)


def normalized(*, doi="", pmid="", pmcid=""):
    """The three identifiers in their stored form, as a dict of fields."""
    return {
        "doi": normalize_doi(doi),
        "pmid": normalize_pmid(pmid),
        "pmcid": normalize_pmcid(pmcid),
    }


def normalize_doi(value):
    return _DOI_PREFIX.sub("", (value or "").strip()).strip()


def normalize_pmid(value):
    return _PMID_PREFIX.sub("", (value or "").strip())


def normalize_pmcid(value):
    value = re.sub(r"^PMCID:?\s*", "", (value or "").strip().upper())
    if value.isdigit():
        value = f"PMC{value}"
    return value


def validate_doi(value):
    if value and not DOI_PATTERN.match(value):
        raise ValidationError(
            "“%(value)s” is not a DOI. A DOI starts with 10. followed by a slash, "
            "for example 10.1038/mp.2013.87.",
            params={"value": value},
        )


def validate_pmid(value):
    if value and not PMID_PATTERN.match(value):
        raise ValidationError(
            "“%(value)s” is not a PubMed ID. A PMID is a number, for example 31255681.",
            params={"value": value},
        )


def validate_pmcid(value):
    if value and not PMCID_PATTERN.match(value):
        raise ValidationError(
            "“%(value)s” is not a PubMed Central ID. A PMCID looks like PMC4633406.",
            params={"value": value},
        )
