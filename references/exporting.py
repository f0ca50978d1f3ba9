"""Write references as BibTeX, RIS or CSL-JSON, with bibtexparser and rispy."""

import json

import bibtexparser
import rispy
from bibtexparser import model as bibtex
from django.http import HttpResponse

from .formatting import reference_to_csl

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
_BIBTEX_TYPES = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "webpage": "online",
}
_RIS_TYPES = {
    "article-journal": "JOUR",
    "book": "BOOK",
    "chapter": "CHAP",
    "report": "RPRT",
    "webpage": "ELEC",
}


class _PlainRisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each entry, which RIS does not define."""

    def set_header(self, count):
        return ""


def export(references, export_format):
    return {"bib": to_bibtex, "ris": to_ris, "json": to_csl_json}[export_format](references)


def download(references, export_format, name):
    """An attachment response holding `references` as `name`.<format>."""
    response = HttpResponse(
        export(references, export_format), content_type=CONTENT_TYPES[export_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
    return response


def _authors(reference, separator):
    """Names as each format writes them: BibTeX "von Last, Jr, First", RIS "Last, First, Jr"."""
    names = []
    for author in reference.authors.all():
        if author.literal:
            names.append("{" + author.literal + "}" if separator == " and " else author.literal)
        elif separator == " and ":
            parts = (author.family_name, author.suffix, author.given)
            names.append(", ".join(part for part in parts if part))
        else:
            parts = (author.family_name, author.given, author.suffix)
            names.append(", ".join(part for part in parts if part))
    return names


def to_bibtex(references):
    library = bibtexparser.Library()
    for reference in references:
        values = {
            "author": " and ".join(_authors(reference, " and ")),
            "title": reference.title,
            "journal"
            if reference.type == "article-journal"
            else "booktitle": reference.container_title,
            "shortjournal": reference.container_title_short,
            "year": str(reference.issued_year or ""),
            "month": str(reference.issued_month or ""),
            "volume": reference.volume,
            "number": reference.issue,
            "pages": reference.pages,
            "doi": reference.doi,
            "pmid": reference.pmid,
            "pmcid": reference.pmcid,
            "url": reference.url,
            "publisher": reference.publisher,
            "address": reference.publisher_place,
        }
        fields = [bibtex.Field(name, value) for name, value in values.items() if value]
        library.add(bibtex.Entry(_BIBTEX_TYPES.get(reference.type, "misc"), reference.key, fields))
    return bibtexparser.write_string(library)


def to_ris(references):
    entries = []
    for reference in references:
        start, _, end = reference.pages.replace("–", "-").partition("-")
        entry = {
            "type_of_reference": _RIS_TYPES.get(reference.type, "GEN"),
            "id": reference.key,
            "authors": _authors(reference, "; "),
            "primary_title": reference.title,
            "secondary_title": reference.container_title,
            "alternate_title1": reference.container_title_short,
            "year": str(reference.issued_year or ""),
            "volume": reference.volume,
            "number": reference.issue,
            "start_page": start,
            "end_page": end,
            "doi": reference.doi,
            "urls": [url for url in (reference.url, reference.pubmed_url) if url],
            "publisher": reference.publisher,
            "place_published": reference.publisher_place,
        }
        entries.append({name: value for name, value in entry.items() if value})
    return rispy.dumps(entries, implementation=_PlainRisWriter)


def to_csl_json(references):
    items = []
    for reference in references:
        item = reference_to_csl(reference)
        item["id"] = reference.key
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)
