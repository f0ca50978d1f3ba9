"""Write references as BibTeX, RIS or CSL-JSON, with bibtexparser and rispy."""

import json

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser import model as bibtex
from bibtexparser.middlewares.names import NameParts
from django.http import HttpResponse

from .evidence import RETRACTED_PUBLICATION, EvidenceType
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


def _ris_authors(reference):
    """Names as RIS writes them: "Last, First, Jr". A comma says it is a person even with no
    given name; without one, an organisation."""
    return [
        str(author) if author.literal or author.given else f"{author},"
        for author in reference.authors.all()
    ]


def _bibtex_names(reference):
    """Authors as bibtexparser's name parts: an organisation, or a family name holding its
    own particle ("de Maricourt" with no particle of its own), braced to stay whole."""
    names = []
    for author in reference.authors.all():
        if author.literal:
            names.append(NameParts(first=[], von=[], last=["{" + author.literal + "}"], jr=[]))
            continue
        family = (
            author.family
            if author.particle or " " not in author.family
            else "{" + author.family + "}"
        )
        names.append(
            NameParts(
                first=[author.given] if author.given else [],
                von=[author.particle] if author.particle else [],
                last=[family],
                jr=[author.suffix] if author.suffix else [],
            )
        )
    return names


def _iso_date(year, month, day):
    return f"{year:04d}-{month:02d}-{day:02d}" if year and month and day else ""


def to_bibtex(references):
    """BibTeX with LaTeX for what needs it ("&" as "\\&"), via bibtexparser's middlewares."""
    library = bibtexparser.Library()
    for reference in references:
        values = {
            "author": _bibtex_names(reference),
            "title": reference.title,
            "journal"
            if reference.type == "article-journal"
            else "booktitle": reference.container_title,
            "shortjournal": reference.container_title_short,
            "year": str(reference.issued_year or ""),
            "month": str(reference.issued_month or ""),
            # biblatex's full date, for the day BibTeX has no field for.
            "date": _iso_date(reference.issued_year, reference.issued_month, reference.issued_day),
            "volume": reference.volume,
            "number": reference.issue,
            "pages": reference.pages,
            "doi": reference.doi,
            "pmid": reference.pmid,
            "pmcid": reference.pmcid,
            "url": reference.url,
            "urldate": reference.accessed.isoformat() if reference.accessed else "",
            "publisher": reference.publisher,
            "address": reference.publisher_place,
        }
        fields = [bibtex.Field(name, value) for name, value in values.items() if value]
        library.add(bibtex.Entry(_BIBTEX_TYPES.get(reference.type, "misc"), reference.key, fields))
    return bibtexparser.write_string(
        library,
        prepend_middleware=[
            middlewares.LatexEncodingMiddleware(),
            middlewares.MergeNameParts(),
            middlewares.MergeCoAuthors(),
        ],
    )


def to_ris(references):
    entries = []
    for reference in references:
        start, _, end = reference.pages.replace("–", "-").partition("-")
        accessed = reference.accessed
        entry = {
            "type_of_reference": _RIS_TYPES.get(reference.type, "GEN"),
            "id": reference.key,
            "authors": _ris_authors(reference),
            "primary_title": reference.title,
            "secondary_title": reference.container_title,
            "alternate_title1": reference.container_title_short,
            "year": str(reference.issued_year or ""),
            "volume": reference.volume,
            "number": reference.issue,
            "start_page": start,
            "end_page": end,
            "date": "/".join(
                f"{part:02d}" if index else str(part)
                for index, part in enumerate(
                    p
                    for p in (reference.issued_year, reference.issued_month, reference.issued_day)
                    if p
                )
            ),
            "access_date": f"{accessed:%Y/%m/%d}" if accessed else "",
            "doi": reference.doi,
            "accession_number": reference.pmid,  # AN: the PubMed ID, as PubMed's RIS gives it
            "custom2": reference.pmcid,  # C2: the PMC ID, as PubMed's RIS gives it
            "urls": [reference.url] if reference.url else [],
            "publisher": reference.publisher,
            "place_published": reference.publisher_place,
            # M3, type of work: where EndNote keeps PubMed's publication types.
            "type_of_work": "; ".join(_ris_work_types(reference)),
        }
        entries.append({name: value for name, value in entry.items() if value})
    return rispy.dumps(entries, implementation=_PlainRisWriter)


def _ris_work_types(reference):
    types = (
        []
        if reference.evidence_type == EvidenceType.NOT_CLASSIFIED
        else [str(EvidenceType(reference.evidence_type).label)]
    )
    return types + ([RETRACTED_PUBLICATION] if reference.retracted else [])


def to_csl_json(references):
    """CSL-JSON; what CSL has no field for (the kind of evidence, a retraction) goes in its
    `custom` object, which is there for such data."""
    items = []
    for reference in references:
        item = reference_to_csl(reference)
        item["id"] = reference.key
        custom = {
            "evidence-type": reference.evidence_type,
            "retracted": reference.retracted,
            "retraction-notice": reference.retraction_notice,
        }
        item["custom"] = {name: value for name, value in custom.items() if value}
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)
