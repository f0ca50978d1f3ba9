"""Turn pasted BibTeX, RIS or PubMed (MEDLINE/.nbib) text into unsaved References.

Parsing is done by bibtexparser, rispy and Biopython's Medline reader; this module
only maps their fields onto ours, matches entries to references already stored
(by DOI, PMID, or title and year) and proposes a key for new ones.
"""

import datetime
import io
import json
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import middlewares
from Bio import Medline
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from . import identifiers
from .models import Reference, ReferenceAuthor, comparable_title

FORMATS = {
    "auto": "Detect automatically",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "medline": "PubMed (MEDLINE / .nbib)",
    "csl-json": "CSL-JSON (as this site exports it)",
}

_BIBTEX_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "webpage",
}
_RIS_TYPES = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "BOOK": "book",
    "CHAP": "chapter",
    "RPRT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
}
_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


class UnreadableText(ValueError):
    """The text could not be read in the chosen format."""


class ParsedEntries(list):
    """The entries read from a text; `problems` names each entry that could not be read,
    with its line and why, so nothing is left out silently."""

    def __init__(self, entries=(), problems=()):
        super().__init__(entries)
        self.problems = list(problems)


@dataclass
class ParsedReference:
    fields: dict
    authors: list = field(default_factory=list)  # dicts: family, given / literal
    existing: Reference | None = None
    duplicate_of: "ParsedReference | None" = None
    key: str = ""
    proposed_key: str = ""  # the key the text gives it (CSL-JSON's id), used when free
    problem: str = ""  # why it cannot be stored as it is (an invalid DOI…), said at preview

    @property
    def is_new(self):
        return self.existing is None and self.duplicate_of is None and not self.problem

    @property
    def title(self):
        return self.fields.get("title", "")

    @property
    def author_names(self):
        return ", ".join(
            author.get("family") or author.get("literal", "") for author in self.authors
        )


def detect_format(text):
    stripped = text.lstrip()
    if stripped.startswith("@"):
        return "bibtex"
    if stripped.startswith(("[", "{")):
        return "csl-json"
    if re.search(r"^TY  - ", text, re.MULTILINE):
        return "ris"
    if re.search(r"^PMID- ", text, re.MULTILINE):
        return "medline"
    raise UnreadableText("This does not look like BibTeX, RIS or a PubMed (MEDLINE) record.")


def parse_references(text, text_format="auto"):
    """Parse `text`; match each entry to a stored reference or give it a new key."""
    text_format = detect_format(text) if text_format == "auto" else text_format
    parser = {
        "bibtex": _from_bibtex,
        "ris": _from_ris,
        "medline": _from_medline,
        "csl-json": _from_csl_json,
    }[text_format]
    try:
        parsed = parser(text)
    except UnreadableText:
        raise
    except Exception as error:  # the parsers raise many types for malformed text
        raise UnreadableText(f"Could not read this as {FORMATS[text_format]}: {error}") from error
    if not parsed:
        raise UnreadableText(
            " ".join(parsed.problems) or f"No references found in this {FORMATS[text_format]} text."
        )
    taken = set(Reference.objects.values_list("key", flat=True))
    seen = {}
    for entry in parsed:
        entry.fields = {
            name: value for name, value in entry.fields.items() if value not in (None, "")
        }
        entry.fields.update(
            identifiers.normalized(
                doi=entry.fields.get("doi", ""),
                pmid=entry.fields.get("pmid", ""),
                pmcid=entry.fields.get("pmcid", ""),
            )
        )
        entry.authors = [a for a in entry.authors if a.get("family") or a.get("literal")]
        entry.existing = find_existing(entry.fields)
        if entry.existing is None:
            entry.problem = _invalid_fields(entry)
            if entry.problem:
                continue
        identities = _identities(entry.fields)
        earlier = next((seen[i] for i in identities if i in seen), None)
        if entry.existing is None and earlier is not None:
            entry.duplicate_of = earlier  # the same work twice in one paste: import it once
        elif entry.existing is None:
            free = entry.proposed_key and entry.proposed_key not in taken
            entry.key = entry.proposed_key if free and _usable_key(entry.proposed_key) else ""
            entry.key = entry.key or _new_key(entry, taken)
            taken.add(entry.key)
            seen.update(dict.fromkeys(identities, entry))
    return parsed


def _usable_key(key):
    """Whether `key` passes the key field's own checks (its pattern and length)."""
    try:
        Reference._meta.get_field("key").clean(key, None)
    except ValidationError:
        return False
    return True


def _invalid_fields(entry):
    """What would stop the entry being stored (an invalid DOI or PMID, a month 13…), said
    now, at preview, rather than when the import is confirmed."""
    try:
        Reference(key="preview", **entry.fields).full_clean(
            exclude=["key"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return "; ".join(" ".join(messages) for messages in error.message_dict.values())
    return ""


def _identities(fields):
    title = comparable_title(fields.get("title", ""))
    candidates = [
        ("doi", fields.get("doi", "").lower()),
        ("pmid", fields.get("pmid", "")),
        ("title", title, fields.get("issued_year")),
    ]
    return [identity for identity in candidates if identity[1]]


def find_existing(fields):
    """The stored reference with the same DOI or PMID, or the same title and year."""
    if fields.get("doi") and (match := Reference.objects.filter(doi__iexact=fields["doi"]).first()):
        return match
    if fields.get("pmid") and (match := Reference.objects.filter(pmid=fields["pmid"]).first()):
        return match
    if comparable_title(fields.get("title", "")):
        return Reference(title=fields["title"], issued_year=fields.get("issued_year")).same_work()
    return None


@transaction.atomic
def save_new(parsed):
    """Store the entries that matched nothing, all or none; return the References created.

    Raises UnreadableText naming the entry and the field when one does not validate.
    """
    created = []
    for entry in (entry for entry in parsed if entry.is_new):
        reference = Reference(key=entry.key, **entry.fields)
        try:
            reference.full_clean()
            reference.save()
            for position, author in enumerate(entry.authors, 1):
                author = ReferenceAuthor(reference=reference, position=position, **author)
                author.full_clean()
                author.save()
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise UnreadableText(
                f"“{entry.title or entry.key}” cannot be stored ({problems})."
            ) from error
        reference.refresh_formatted()
        created.append(reference)
    return created


def _new_key(entry, taken):
    first = entry.authors[0] if entry.authors else {}
    name = first.get("family") or first.get("literal") or entry.title or "ref"
    base = slugify(name).replace("-", "")[:20] or "ref"
    base += str(entry.fields.get("issued_year") or "")
    key, suffix = base, ord("a")
    while key in taken:
        key, suffix = f"{base}{chr(suffix)}", suffix + 1
    return key


def _year(value):
    match = re.search(r"\b(1[5-9]\d\d|2[01]\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def expand_pages(pages):
    """An abbreviated page range written in full: "271-80" is 271–280, "681-8" 681–688.
    A whole range is kept as written (BibTeX's "--" read as a dash)."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:-{1,2}|–)\s*(\d+)\s*", pages or "")
    if not match:
        return (pages or "").replace("--", "–")
    start, end = match.groups()
    if len(end) >= len(start):
        return pages.replace("--", "–")  # already whole: kept as written
    return f"{start}–{start[: len(start) - len(end)] + end}"


def _ris_author(name):
    """RIS writes a person "Family, Given" and an organisation as it is named, no comma."""
    name = " ".join(str(name).split())
    if "," not in name:
        return {"literal": name}
    family, given = (part.strip() for part in name.split(",", 1))
    given, _, suffix = given.partition(", ")
    return {"family": family, "given": given, "suffix": suffix}


def _medline_author(name):
    """MEDLINE's 'Family, Given' (FAU) or 'Family Initials' (AU), as our author fields."""
    name = " ".join(str(name).split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
    else:
        family, _, given = name.rpartition(" ")
        family, given = (family, given) if family else (given, "")
    return {"family": family, "given": given}


def _from_bibtex(text):
    """Read BibTeX as reference managers write it, with bibtexparser's middlewares: LaTeX
    decoded and protecting braces removed ("{{COVID}} in the {United} {States}"), names split
    into their parts (particle, family, suffix, given). Names are read in a second pass that
    keeps braces, since "{World Health Organization}" is braced to say it is one name."""
    fields_pass = bibtexparser.parse_string(
        text, append_middleware=[middlewares.LatexDecodingMiddleware()]
    )
    names_pass = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(keep_braced_groups=True),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    names_by_key = {entry.key: entry for entry in names_pass.entries}
    parsed = ParsedEntries(problems=[_unread_block(block) for block in fields_pass.failed_blocks])
    for entry in fields_pass.entries:
        values = {name: str(f.value) for name, f in entry.fields_dict.items() if name != "author"}
        names = names_by_key.get(entry.key)
        authors = [
            _bibtex_author(name)
            for name in (
                names.fields_dict["author"].value if names and "author" in names.fields_dict else []
            )
        ]
        month = _MONTHS.get(values.get("month", "")[:3].lower()) or (
            int(values["month"]) if values.get("month", "").isdigit() else None
        )
        day = _iso_parts(values.get("date", ""))[2]
        year = _year(values.get("year"))
        parsed.append(
            ParsedReference(
                proposed_key=entry.key,
                fields={
                    "type": _BIBTEX_TYPES.get(entry.entry_type.lower(), "article-journal"),
                    "issued_day": day if month else None,
                    "accessed": _date(_iso_parts(values.get("urldate", ""))),
                    "title": values.get("title", ""),
                    "container_title": values.get("journal") or values.get("booktitle") or "",
                    "container_title_short": values.get("shortjournal", ""),
                    "issued_year": year,
                    "issued_month": month if year else None,
                    "volume": values.get("volume", ""),
                    "issue": values.get("number", ""),
                    "pages": expand_pages(values.get("pages", "")),
                    "doi": values.get("doi", ""),
                    "pmid": values.get("pmid", ""),
                    "pmcid": values.get("pmcid", ""),
                    "url": values.get("url", ""),
                    "publisher": values.get("publisher", ""),
                    "publisher_place": values.get("address", ""),
                },
                authors=authors,
            )
        )
    return parsed


def _bibtex_author(name):
    """Our author fields from bibtexparser's name parts; one braced name is an organisation."""
    if not name.first and not name.von and len(name.last) == 1 and name.last[0].startswith("{"):
        return {"literal": name.last[0].strip("{}")}
    part = lambda words: " ".join(words).replace("{", "").replace("}", "")  # noqa: E731
    return {
        "particle": part(name.von),
        "family": part(name.last),
        "given": part(name.first),
        "suffix": part(name.jr),
    }


def _unread_block(block):
    """What could not be read, naming the entry by its key and line, with the reason."""
    key = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", block.raw)
    name = f"“{key.group(1)}”" if key else "An entry"
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "") or "it is not valid BibTeX"
    reason = " ".join(reason.split()).rstrip(".")
    return f"{name} (from line {block.start_line + 1}) was not read: {reason}."


_CSL_TYPES = {choice.value for choice in Reference.Type}


def _from_csl_json(text):
    """CSL-JSON, as this site and Zotero export it: one item or a list of them."""
    items = json.loads(text)
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableText("CSL-JSON must be a list of items, each an object.")
    parsed = ParsedEntries()
    for number, item in enumerate(items, 1):
        if not item.get("title"):
            parsed.problems.append(
                f"Item {number} (“{item.get('id', '')}”) was not read: it has no title."
            )
            continue
        issued = _date_parts(item.get("issued"))
        accessed = _date_parts(item.get("accessed"))
        parsed.append(
            ParsedReference(
                fields={
                    "type": item.get("type")
                    if item.get("type") in _CSL_TYPES
                    else "article-journal",
                    "title": item["title"],
                    "container_title": item.get("container-title", ""),
                    "container_title_short": item.get("container-title-short", ""),
                    "issued_year": issued[0],
                    "issued_month": issued[1],
                    "issued_day": issued[2],
                    "volume": str(item.get("volume", "")),
                    "issue": str(item.get("issue", "")),
                    "pages": expand_pages(str(item.get("page", ""))),
                    "doi": item.get("DOI", ""),
                    "pmid": str(item.get("PMID", "")),
                    "pmcid": item.get("PMCID", ""),
                    "url": item.get("URL", ""),
                    "accessed": _date(accessed),
                    "publisher": item.get("publisher", ""),
                    "publisher_place": item.get("publisher-place", ""),
                },
                authors=[_csl_author(author) for author in item.get("author", [])],
                proposed_key=str(item.get("id", "")),
            )
        )
    return parsed


def _iso_parts(text):
    """(year, month, day) from "2018-02-01" (or the start of one), None where not given."""
    match = re.match(r"\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text or "")
    parts = [int(part) if part else None for part in match.groups()] if match else []
    return (*parts, *[None] * (3 - len(parts)))


def _date_parts(value):
    """(year, month, day) from a CSL date, each None where not given."""
    parts = ((value or {}).get("date-parts") or [[]])[0]
    parts = [int(part) for part in parts if str(part).isdigit()][:3]
    return (*parts, *[None] * (3 - len(parts)))


def _date(parts):
    year, month, day = parts
    return datetime.date(year, month, day) if year and month and day else None


def _csl_author(author):
    if author.get("literal"):
        return {"literal": author["literal"]}
    return {
        "particle": author.get("non-dropping-particle", ""),
        "family": author.get("family", ""),
        "given": author.get("given", ""),
        "suffix": author.get("suffix", ""),
    }


def _from_ris(text):
    parsed = ParsedEntries()
    records = re.split(r"^ER  -.*$", text, flags=re.MULTILINE)
    unterminated = records[-1] if re.search(r"^TY  - ", records[-1], re.MULTILINE) else ""
    if unterminated:
        title = re.search(r"^(?:TI|T1)  - (.*)$", unterminated, re.MULTILINE)
        name = f"“{title.group(1).strip()}”" if title else "The last entry"
        parsed.problems.append(
            f"{name} was not read: it has no end-of-record line (ER  - ) after it. Each RIS "
            "entry ends with one; copy the entry again in full."
        )
    for entry in rispy.loads(text):
        start, end = entry.get("start_page", ""), entry.get("end_page", "")
        date = _iso_parts(entry.get("date", "").replace("/", "-"))
        year = _year(entry.get("year") or entry.get("publication_year") or entry.get("date"))
        accession = str(entry.get("accession_number", ""))
        pmcid = str(entry.get("custom2", ""))
        parsed.append(
            ParsedReference(
                proposed_key=str(entry.get("id", "")),
                fields={
                    "issued_month": date[1] if year and date[0] == year else None,
                    "issued_day": date[2] if year and date[0] == year and date[1] else None,
                    "accessed": _date(_iso_parts(entry.get("access_date", "").replace("/", "-"))),
                    "pmid": accession if accession.isdigit() else "",
                    "pmcid": pmcid if pmcid.upper().startswith("PMC") else "",
                    "type": _RIS_TYPES.get(entry.get("type_of_reference", ""), "article-journal"),
                    "title": entry.get("primary_title") or entry.get("title", ""),
                    "container_title": entry.get("secondary_title")
                    or entry.get("journal_name")
                    or entry.get("alternate_title1", ""),
                    "container_title_short": entry.get("alternate_title1", "")
                    if entry.get("secondary_title") or entry.get("journal_name")
                    else "",
                    "issued_year": year,
                    "volume": entry.get("volume", ""),
                    "issue": entry.get("number", ""),
                    "pages": expand_pages(f"{start}–{end}" if start and end else start),
                    "doi": entry.get("doi", ""),
                    "url": (entry.get("urls") or [""])[0],
                    "publisher": entry.get("publisher", ""),
                    "publisher_place": entry.get("place_published", ""),
                },
                authors=[
                    _ris_author(name)
                    for name in entry.get("authors") or entry.get("first_authors") or []
                ],
            )
        )
    return parsed


def _from_medline(text):
    parsed = ParsedEntries()
    for record in Medline.parse(io.StringIO(text)):
        if not record.get("PMID"):
            continue
        articles = record.get("AID", [])
        doi = next((aid.split(" ")[0] for aid in articles if aid.endswith("[doi]")), "")
        date = record.get("DP", "")
        month = _MONTHS.get(date[5:8].lower()) if len(date) >= 8 else None
        authors = []
        for name in record.get("FAU") or record.get("AU") or []:
            authors.append(_medline_author(name))
        parsed.append(
            ParsedReference(
                fields={
                    "type": "article-journal",
                    "title": record.get("TI", "").rstrip("."),
                    # The full title (JT) is what APA prints; the abbreviation (TA) is kept.
                    "container_title": record.get("JT") or record.get("TA", ""),
                    "container_title_short": record.get("TA", "") if record.get("JT") else "",
                    "issued_year": _year(date),
                    "issued_month": month,
                    "volume": record.get("VI", ""),
                    "issue": record.get("IP", ""),
                    "pages": expand_pages(record.get("PG", "")),
                    "doi": doi,
                    "pmid": record.get("PMID", ""),
                    "pmcid": record.get("PMC", ""),
                },
                authors=authors,
            )
        )
    return parsed
