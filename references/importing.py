"""Turn BibTeX, RIS, PubMed (MEDLINE/.nbib) or CSL-JSON text into unsaved references.

Reading: bibtexparser splits BibTeX (its values are decoded by `plaintext`), rispy reads
RIS, `medline` reads PubMed's format keeping each line in order, and CSL-JSON is JSON.
Each reader only maps what reference managers write onto our fields.

Checking (`parse_references`): each field is checked alone against the column it goes
into. A value that does not fit (a URL field holding two addresses, a journal title
longer than the column, a month that is not a month) is left out and the entry keeps a
note naming the field and why; only an entry with no title to store is refused. Entries
are matched to stored references (DOI, PMID, PMCID, or title and year) and given keys in
a number of queries that does not grow with the entries.

Storing (`save_new`) writes the new entries in bulk; their formatted entries are made by
the background worker (`references.formatting.format_pending`).
"""

import calendar
import datetime
import json
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from . import identifiers, medline
from .evidence import RETRACTED_PUBLICATION, EvidenceType, classify
from .models import Reference, ReferenceAuthor, comparable_title
from .plaintext import latex_to_text, markup_to_text, verbatim_to_text

FORMATS = {
    "auto": gettext_lazy("Detect automatically"),
    "bibtex": "BibTeX",
    "ris": "RIS",
    "medline": gettext_lazy("PubMed (MEDLINE / .nbib)"),
    "csl-json": gettext_lazy("CSL-JSON (as this site exports it)"),
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
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)}
# What a reader calls each field in a message; the rest go by their verbose names.
_FIELD_NAMES = {
    "issued_year": gettext_lazy("year"),
    "issued_month": gettext_lazy("month"),
    "issued_day": gettext_lazy("day"),
    "accessed": gettext_lazy("access date"),
}
_AUTHOR_PARTS = ["particle", "family", "given", "suffix", "literal"]


class UnreadableText(ValueError):
    """The text could not be read in the chosen format."""


class ParsedEntries(list):
    """The entries read from a text; `problems` names each entry that could not be read,
    with its line and why, so nothing is left out silently."""

    def __init__(self, entries=(), problems=()):
        super().__init__(entries)
        self.problems = list(problems)

    def summary(self):
        """How many entries are new, stored already or repeated, refused or not read, and
        how many new ones had a field left out or changed."""
        return {
            "new": sum(1 for entry in self if entry.is_new),
            "matched": sum(1 for entry in self if entry.existing or entry.duplicate_of),
            "refused": sum(1 for entry in self if entry.problem),
            "unread": len(self.problems),
            "noted": sum(1 for entry in self if entry.is_new and entry.notes),
        }


@dataclass
class ParsedReference:
    fields: dict
    authors: list = field(default_factory=list)  # dicts: particle, family, given, suffix / literal
    existing: Reference | None = None
    duplicate_of: "ParsedReference | None" = None
    key: str = ""
    proposed_key: str = ""  # the key the text gives it (BibTeX's, RIS's ID), used when free
    problem: str = ""  # why it cannot be stored at all (no title), said at preview
    notes: list = field(default_factory=list)  # each field left out or changed, and why
    # The source's own kinds of publication, as written: MEDLINE's PT lines ("Randomized
    # Controlled Trial", "Retracted Publication"), RIS's type of work, this site's codes.
    publication_types: list = field(default_factory=list)
    # MEDLINE's check tags "Animals" and "Humans" (MH), which say whom a study was done in.
    subject_headings: list = field(default_factory=list)

    @property
    def is_new(self):
        return self.existing is None and self.duplicate_of is None and not self.problem

    @property
    def title(self):
        return self.fields.get("title", "")

    @property
    def evidence(self):
        """(kind of evidence, retracted) as the record states them (references.evidence)."""
        return classify(
            self.publication_types,
            subject_headings=self.subject_headings,
            reference_type=self.fields.get("type", ""),
            organisation=any(author.get("literal") for author in self.authors),
        )

    @property
    def evidence_label(self):
        return EvidenceType(self.evidence[0]).label

    @property
    def retracted(self):
        return self.evidence[1]

    @property
    def retracted_since_stored(self):
        """The record says the work is retracted, and the stored reference it matches does
        not: importing changes nothing stored, so the preview says so, for an editor."""
        return bool(self.existing and self.retracted and not self.existing.retracted)

    @property
    def author_names(self):
        """The authors as they will be stored: "Family, Given" for a person, an
        organisation's name as it is, so the preview shows how each name was read."""
        return "; ".join(_author_label(author) for author in self.authors)

    def as_stored(self):
        """What an import needs later, as JSON: see `from_stored`."""
        fields = {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.fields.items()
        }
        return {
            "key": self.key,
            "fields": fields,
            "authors": self.authors,
            "publication_types": self.publication_types,
            "subject_headings": self.subject_headings,
        }

    @classmethod
    def from_stored(cls, stored):
        fields = dict(stored["fields"])
        if fields.get("accessed"):
            fields["accessed"] = datetime.date.fromisoformat(fields["accessed"])
        return cls(
            fields=fields,
            authors=stored["authors"],
            key=stored["key"],
            publication_types=stored.get("publication_types", []),
            subject_headings=stored.get("subject_headings", []),
        )


def _author_label(author):
    if author.get("literal"):
        return author["literal"]
    family = " ".join(part for part in (author.get("particle"), author.get("family")) if part)
    return ", ".join(part for part in (family, author.get("given"), author.get("suffix")) if part)


_STARTS = {
    "bibtex": re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(]", re.MULTILINE),
    "ris": re.compile(r"^TY  - ", re.MULTILINE),
    "medline": re.compile(r"^PMID- ", re.MULTILINE),
}


def detect_format(text):
    """The format whose first record starts earliest in `text`: reference managers put
    comment lines before the first entry (Mendeley's "Automatically generated by…")."""
    if text.lstrip().startswith(("[", "{")):
        return "csl-json"
    found = {name: pattern.search(text) for name, pattern in _STARTS.items()}
    found = {name: match.start() for name, match in found.items() if match}
    if not found:
        raise UnreadableText(_("This does not look like BibTeX, RIS or a PubMed (MEDLINE) record."))
    return min(found, key=found.get)


def parse_references(text, text_format="auto"):
    """Parse `text`; check each entry's fields, match it to a stored reference or give it a
    new key. The queries made do not depend on how many entries the text holds."""
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
        raise UnreadableText(
            _("Could not read this as %(format)s: %(error)s")
            % {"format": FORMATS[text_format], "error": error}
        ) from error
    if not parsed:
        raise UnreadableText(
            " ".join(parsed.problems)
            or _("No references found in this %(format)s text.") % {"format": FORMATS[text_format]}
        )
    for entry in parsed:
        _fit_to_columns(entry)
    stored = _Stored.load()
    seen = {}
    for entry in parsed:
        if entry.problem:
            continue
        identities = _identities(entry.fields)
        entry.existing = stored.match(entry.fields)
        earlier = next((seen[i] for i in identities if i in seen), None)
        if entry.existing is None and earlier is not None:
            entry.duplicate_of = earlier  # the same work twice in one text: import it once
        elif entry.existing is None:
            entry.key = stored.new_key(entry)
            seen.update(dict.fromkeys(identities, entry))
    return parsed


class _Stored:
    """The stored references' keys and identities, read in one query, to match against."""

    def __init__(self, references):
        self.taken = {reference.key for reference in references}
        self.by_identity = {}
        for reference in references:
            for identity in _identities(
                {
                    "doi": reference.doi,
                    "pmid": reference.pmid,
                    "pmcid": reference.pmcid,
                    "title": reference.title,
                    "issued_year": reference.issued_year,
                }
            ):
                self.by_identity.setdefault(identity, reference)

    @classmethod
    def load(cls):
        return cls(
            list(
                Reference.objects.only(
                    "pk", "key", "title", "issued_year", "doi", "pmid", "pmcid", "retracted"
                )
            )
        )

    def match(self, fields):
        """The stored reference with the same DOI, PMID or PMCID, or title and year."""
        return next(
            (
                self.by_identity[identity]
                for identity in _identities(fields)
                if identity in self.by_identity
            ),
            None,
        )

    def new_key(self, entry):
        """The entry's own key if it is free and valid, else one made from its first
        author and year; never a key taken by a stored reference or an earlier entry."""
        key = entry.proposed_key
        if not (key and key not in self.taken and _usable_key(key)):
            key = _new_key(entry, self.taken)
        self.taken.add(key)
        return key


def match_again(entries):
    """Entries previewed earlier, checked against what is stored now: one stored since is
    marked `existing` (so not stored twice), and one whose key was taken since gets a new
    one. Returns how many now match, and each (previewed key, new key)."""
    stored = _Stored.load()
    matched, rekeyed = 0, []
    for entry in entries:
        entry.existing = stored.match(entry.fields)
        if entry.existing:
            matched += 1
            continue
        if entry.key in stored.taken:
            previewed, entry.key = entry.key, _new_key(entry, stored.taken)
            rekeyed.append((previewed, entry.key))
        stored.taken.add(entry.key)
    return matched, rekeyed


def _identities(fields):
    candidates = [
        ("doi", (fields.get("doi") or "").lower()),
        ("pmid", fields.get("pmid") or ""),
        ("pmcid", fields.get("pmcid") or ""),
        ("title", comparable_title(fields.get("title", "")), fields.get("issued_year")),
    ]
    return [identity for identity in candidates if identity[1]]


def _usable_key(key):
    """Whether `key` passes the key field's own checks (its pattern and length)."""
    try:
        Reference._meta.get_field("key").clean(key, None)
    except ValidationError:
        return False
    return True


def _new_key(entry, taken):
    first = entry.authors[0] if entry.authors else {}
    name = first.get("family") or first.get("literal") or entry.title or "ref"
    base = slugify(name).replace("-", "")[:20] or "ref"
    base += str(entry.fields.get("issued_year") or "")
    key, suffix = base, 0
    while key in taken:
        suffix += 1
        key = f"{base}{_letters(suffix)}"
    return key


def _letters(number):
    """a, b, … z, aa, ab, …: the suffixes that tell apart one author's works of a year."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# Checking each field on its own -------------------------------------------------------


def _label(name):
    """The field as a message names it, first letter capital: "Journal or site"."""
    return capfirst(str(_FIELD_NAMES.get(name) or Reference._meta.get_field(name).verbose_name))


def _fit_to_columns(entry):
    """Leave out each value its column cannot take, noting which and why; refuse the
    entry only if it has no title that fits."""
    fields = entry.fields
    for name, value in list(fields.items()):
        if isinstance(value, str):
            fields[name] = value.strip()
    for name in [name for name, value in fields.items() if value in (None, "")]:
        del fields[name]
    fields.update(
        {
            name: value
            for name, value in identifiers.normalized(
                doi=fields.get("doi", ""),
                pmid=fields.get("pmid", ""),
                pmcid=fields.get("pmcid", ""),
            ).items()
            if value
        }
    )
    if fields.get("url"):
        _one_address(entry)
    title = fields.get("title", "")
    limit = Reference._meta.get_field("title").max_length
    if not title:
        entry.problem = _("It has no title.")
    elif len(title) > limit:
        entry.problem = _(
            "Its title has %(count)s characters; the title field holds %(limit)s."
        ) % {"count": len(title), "limit": limit}
    _fit_date(entry)
    for name in [name for name in fields if name not in ("title", "type")]:
        if name.startswith("issued_"):
            continue
        try:
            Reference._meta.get_field(name).clean(fields[name], None)
        except ValidationError as error:
            entry.notes.append(_left_out(name, _why_not(name, fields.pop(name), error)))
    if fields.get("type") not in Reference.Type.values:
        fields["type"] = Reference.Type.JOURNAL_ARTICLE
    entry.authors = [author for author in entry.authors if _fit_author(entry, author)]


def _left_out(name, reason):
    return _("%(field)s left out: %(reason)s.") % {"field": _label(name), "reason": reason}


def _why_not(name, value, error):
    """What a field's own validation said of `value`, in words that name no other field."""
    error = error.error_list[0]
    if error.code == "max_length":
        return _("it has %(count)s characters, and the field holds %(limit)s") % {
            "count": len(str(value)),
            "limit": error.params["limit_value"],
        }
    if name == "url":
        return _("“%(value)s” is not a web address") % {"value": value}
    if name == "accessed":
        return _("“%(value)s” is not a date") % {"value": value}
    return " ".join(error.messages).rstrip(".")


def _one_address(entry):
    """Reference managers put several addresses in one URL field (Mendeley: PubMed's page,
    then the publisher's). The column holds one: the first that is an address is kept."""
    written = entry.fields["url"].replace(";", " ").split()
    valid = []
    for address in written:
        address = f"https://{address}" if address.lower().startswith("www.") else address
        try:
            URLValidator()(address)
        except ValidationError:
            continue
        valid.append(address)
    if len(written) > 1 and valid:
        entry.notes.append(
            _("URL: it held %(count)s addresses; the first, %(kept)s, is kept.")
            % {"count": len(written), "kept": valid[0]}
        )
    entry.fields["url"] = valid[0] if valid else entry.fields["url"]


_DATE_PARTS = ("issued_year", "issued_month", "issued_day")


def _fit_date(entry):
    """Year, month and day in turn: a part that is not one is left out, and so is what
    follows it (a month without its year means nothing)."""
    fields = entry.fields
    reasons = {
        "issued_year": _("“%(value)s” is not a year between 1500 and 2200"),
        "issued_month": _("“%(value)s” is not a month"),
        "issued_day": _("“%(value)s” is not a day of the month"),
    }
    for position, name in enumerate(_DATE_PARTS):
        try:
            if name in fields:
                fields[name] = Reference._meta.get_field(name).clean(fields[name], None)
                continue
        except ValidationError:
            entry.notes.append(_left_out(name, reasons[name] % {"value": fields.pop(name)}))
        for later in _DATE_PARTS[position + 1 :]:
            fields.pop(later, None)
        return
    last_day = calendar.monthrange(fields["issued_year"], fields["issued_month"])[1]
    if fields["issued_day"] > last_day:
        del fields["issued_day"]
        entry.notes.append(
            _left_out("issued_day", _("that month has %(days)s days") % {"days": last_day})
        )


def _fit_author(entry, author):
    """Keep the author if each part of the name fits its column; else leave the author out,
    saying which part did not fit."""
    if not (author.get("family") or author.get("literal")):
        return False
    for part in _AUTHOR_PARTS:
        value = author.get(part) or ""
        limit = ReferenceAuthor._meta.get_field(part).max_length
        if len(value) > limit:
            entry.notes.append(
                _(
                    "Author “%(name)s” left out: the %(part)s has %(count)s characters, "
                    "and the field holds %(limit)s."
                )
                % {
                    "name": _author_label(author)[:80],
                    "part": ReferenceAuthor._meta.get_field(part).verbose_name,
                    "count": len(value),
                    "limit": limit,
                }
            )
            return False
    return True


# Storing ---------------------------------------------------------------------------------


@transaction.atomic
def save_new(parsed, *, user=None):
    """Store the new entries, all or none, with their authors and history (as `user`);
    return the References created. Their formatted entries are left to the worker."""
    entries = [entry for entry in parsed if entry.is_new]
    references = []
    for entry in entries:
        evidence_type, retracted = entry.evidence
        reference = Reference(
            key=entry.key, evidence_type=evidence_type, retracted=retracted, **entry.fields
        )
        reference.normalize_identifiers()
        references.append(reference)
    references = bulk_create_with_history(references, Reference, batch_size=500, default_user=user)
    authors = [
        ReferenceAuthor(reference=reference, position=position, **_author_fields(author))
        for entry, reference in zip(entries, references, strict=True)
        for position, author in enumerate(entry.authors, 1)
    ]
    bulk_create_with_history(authors, ReferenceAuthor, batch_size=500, default_user=user)
    return references


def _author_fields(author):
    return {part: author.get(part) or "" for part in _AUTHOR_PARTS}


# Reading each format --------------------------------------------------------------------


def _year(value):
    """A year from text ("2019", "2019-05", "in press 2019"), or the text as written when it
    holds none, so the check can say it was left out."""
    if value in (None, ""):
        return None
    match = re.search(r"\b(1[5-9]\d\d|2[01]\d\d)\b", str(value))
    return int(match.group(1)) if match else str(value)


def _month(value):
    """A month from "apr", "April", "Sept.", "4" or "04"; the text as written when it is none."""
    text = str(value or "").strip().rstrip(".")
    if not text:
        return None
    if text.isdigit():
        return int(text)
    lowered = text.lower()
    for number, name in enumerate(_MONTH_NAMES, 1):
        if lowered == name or (len(lowered) >= 3 and name.startswith(lowered)):
            return number
    return text


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


def _without_final_period(title):
    """PubMed ends every title with a period, and managers copy it; the style adds its own.
    "…in the U.S." keeps its period."""
    title = title.strip()
    if (
        title
        and title.endswith(".")
        and not title.endswith("..")
        and "." not in title.split()[-1][:-1]
    ):
        return title[:-1]
    return title


def _from_bibtex(text):
    """Read BibTeX as reference managers write it. Field values are LaTeX, decoded to text
    (accents, escapes, math: `$\\epsilon$` is ε), except addresses and identifiers, which
    are read as written. Names are split into their parts (particle, family, suffix, given)
    with their braces kept, since "{World Health Organization}" is braced to say it is one
    name. An entry whose key repeats an earlier one is read too (it gets a key of its own)."""
    library = bibtexparser.parse_string(text)
    blocks = [(entry.start_line, entry) for entry in library.entries]
    problems = []
    for block in library.failed_blocks:
        if not isinstance(block, DuplicateBlockKeyBlock):
            problems.append(_unread_block(block))
            continue
        # Read again on its own (with the file's @string definitions), as any other entry.
        again = bibtexparser.parse_string(block.raw, library=Library(list(library.strings)))
        blocks.extend((block.start_line, entry) for entry in again.entries)
    blocks.sort(key=lambda line_and_entry: line_and_entry[0] or 0)
    return ParsedEntries([_bibtex_entry(entry) for _line, entry in blocks], problems)


# The fields read (abstracts, files and keywords are not). Addresses and identifiers are
# read as written, never as LaTeX: a URL's "%20" would start a comment.
_BIBTEX_VERBATIM = {"url", "doi", "pmid", "pmcid"}
_BIBTEX_READ = _BIBTEX_VERBATIM | set(
    """title journal journaltitle booktitle shortjournal publisher address location volume
    number pages month year date urldate""".split()  # noqa: SIM905
)


def _bibtex_entry(entry):
    raw = {name.lower(): str(f.value) for name, f in entry.fields_dict.items()}
    values = {
        name: verbatim_to_text(value) if name in _BIBTEX_VERBATIM else latex_to_text(value)
        for name, value in raw.items()
        if name in _BIBTEX_READ
    }
    date = _iso_parts(values.get("date", ""))
    year = _year(values.get("year")) or date[0]
    month = _month(values.get("month")) if values.get("month") else date[1]
    return ParsedReference(
        proposed_key=entry.key,
        fields={
            "type": _BIBTEX_TYPES.get(entry.entry_type.lower(), "article-journal"),
            "title": _without_final_period(values.get("title", "")),
            "container_title": values.get("journal")
            or values.get("journaltitle")
            or values.get("booktitle")
            or "",
            "container_title_short": values.get("shortjournal", ""),
            "issued_year": year,
            "issued_month": month,
            "issued_day": date[2],
            "accessed": _date(_iso_parts(values.get("urldate", ""))),
            "volume": values.get("volume", ""),
            "issue": values.get("number", ""),
            "pages": expand_pages(values.get("pages", "")),
            "doi": values.get("doi", ""),
            "pmid": values.get("pmid", ""),
            "pmcid": values.get("pmcid", ""),
            "url": values.get("url", ""),
            "publisher": values.get("publisher", ""),
            "publisher_place": values.get("address") or values.get("location", ""),
        },
        authors=[
            _bibtex_author(parse_single_name_into_parts(name, strict=False))
            for name in split_multiple_persons_names(
                latex_to_text(raw.get("author", ""), keep_braces=True)
            )
            if name.strip().lower() != "others"
        ],
    )


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
    name = f"“{key.group(1)}”" if key else _("An entry")
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", "") or str(error or "") or _("it is not valid BibTeX")
    reason = " ".join(reason.split()).rstrip(".")
    return _("%(name)s (from line %(line)s) was not read: %(reason)s.") % {
        "name": name,
        "line": block.start_line + 1,
        "reason": reason,
    }


_CSL_TYPES = {choice.value for choice in Reference.Type}


def _from_csl_json(text):
    """CSL-JSON, as this site and Zotero export it: one item or a list of them."""
    items = json.loads(text)
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableText(_("CSL-JSON must be a list of items, each an object."))
    parsed = ParsedEntries()
    for number, item in enumerate(items, 1):
        if not item.get("title"):
            parsed.problems.append(
                _("Item %(number)s (“%(id)s”) was not read: it has no title.")
                % {"number": number, "id": item.get("id", "")}
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
                    "title": markup_to_text(str(item["title"])),
                    "container_title": markup_to_text(str(item.get("container-title", ""))),
                    "container_title_short": str(item.get("container-title-short", "")),
                    "issued_year": issued[0],
                    "issued_month": issued[1],
                    "issued_day": issued[2],
                    "volume": str(item.get("volume", "")),
                    "issue": str(item.get("issue", "")),
                    "pages": expand_pages(str(item.get("page", ""))),
                    "doi": str(item.get("DOI", "")),
                    "pmid": str(item.get("PMID", "")),
                    "pmcid": str(item.get("PMCID", "")),
                    "url": str(item.get("URL", "")),
                    "accessed": _date(accessed),
                    "publisher": markup_to_text(str(item.get("publisher", ""))),
                    "publisher_place": str(item.get("publisher-place", "")),
                    "retraction_notice": str(_csl_custom(item).get("retraction-notice") or ""),
                },
                authors=[_csl_author(author) for author in item.get("author", [])],
                proposed_key=str(item.get("id", "")),
                publication_types=_csl_evidence(item),
            )
        )
    return parsed


def _csl_evidence(item):
    """What this site's export keeps in CSL-JSON's `custom` object: the kind of evidence,
    and whether the work is retracted, as publication types."""
    custom = _csl_custom(item)
    types = [str(custom["evidence-type"])] if custom.get("evidence-type") else []
    if custom.get("retracted") is True:
        types.append(RETRACTED_PUBLICATION)
    return types


def _csl_custom(item):
    custom = item.get("custom")
    return custom if isinstance(custom, dict) else {}


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
    try:
        return datetime.date(year, month, day) if year and month and day else None
    except ValueError:
        return f"{year}-{month:02}-{day:02}"  # said to be no date when checked


def _csl_author(author):
    if author.get("literal"):
        return {"literal": str(author["literal"])}
    return {
        "particle": str(author.get("non-dropping-particle", "")),
        "family": str(author.get("family", "")),
        "given": str(author.get("given", "")),
        "suffix": str(author.get("suffix", "")),
    }


def _from_ris(text):
    parsed = ParsedEntries()
    records = re.split(r"^ER  -.*$", text, flags=re.MULTILINE)
    unterminated = records[-1] if re.search(r"^TY  - ", records[-1], re.MULTILINE) else ""
    if unterminated:
        title = re.search(r"^(?:TI|T1)  - (.*)$", unterminated, re.MULTILINE)
        name = f"“{title.group(1).strip()}”" if title else _("The last entry")
        parsed.problems.append(
            _(
                "%(name)s was not read: it has no end-of-record line (ER  - ) after it. Each "
                "RIS entry ends with one; copy the entry again in full."
            )
            % {"name": name}
        )
    entries = rispy.loads(text)
    names = [
        str(name)
        for entry in entries
        for name in entry.get("authors") or entry.get("first_authors") or []
    ]
    # A writer that puts a comma in a person's name ("Family, Given") writes an organisation
    # without one; a writer that never uses a comma writes people as "Given Family".
    given_first = bool(names) and not any("," in name for name in names)
    for entry in entries:
        start, end = entry.get("start_page", ""), entry.get("end_page", "")
        date = _iso_parts(entry.get("date", "").replace("/", "-"))
        year = _year(entry.get("year") or entry.get("publication_year") or entry.get("date"))
        same_year = isinstance(year, int) and date[0] == year
        accession = str(entry.get("accession_number", ""))
        pmcid = str(entry.get("custom2", ""))
        parsed.append(
            ParsedReference(
                proposed_key=str(entry.get("id", "")),
                fields={
                    "issued_year": year,
                    "issued_month": date[1] if same_year else None,
                    "issued_day": date[2] if same_year and date[1] else None,
                    "accessed": _date(_iso_parts(entry.get("access_date", "").replace("/", "-"))),
                    "pmid": accession if accession.isdigit() else "",
                    "pmcid": pmcid if pmcid.upper().startswith("PMC") else "",
                    "type": _RIS_TYPES.get(entry.get("type_of_reference", ""), "article-journal"),
                    "title": _without_final_period(
                        markup_to_text(entry.get("primary_title") or entry.get("title", ""))
                    ),
                    "container_title": markup_to_text(
                        entry.get("secondary_title")
                        or entry.get("journal_name")
                        or entry.get("alternate_title1", "")
                    ),
                    "container_title_short": entry.get("alternate_title1", "")
                    if entry.get("secondary_title") or entry.get("journal_name")
                    else "",
                    "volume": entry.get("volume", ""),
                    "issue": entry.get("number", ""),
                    "pages": expand_pages(f"{start}–{end}" if start and end else start),
                    "doi": entry.get("doi", ""),
                    "url": " ".join(entry.get("urls") or []),
                    "publisher": entry.get("publisher", ""),
                    "publisher_place": entry.get("place_published", ""),
                },
                authors=[
                    _ris_author(name, given_first=given_first)
                    for name in entry.get("authors") or entry.get("first_authors") or []
                ],
                # EndNote keeps PubMed's publication types here ("Journal Article; Review"),
                # and this site its kind of evidence.
                publication_types=[
                    part.strip()
                    for part in str(entry.get("type_of_work", "")).split(";")
                    if part.strip()
                ],
            )
        )
    return parsed


_PARTICLES = {"da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le"}
_PARTICLES |= {"ten", "ter", "van", "von", "zu"}
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Words that make a name an organisation's, whatever the writer's habit.
_ORGANISATION_WORDS = set(
    """academy administration agency alliance association authority board bureau centre
    center clinic coalition college collaboration collaborative commission committee company
    consortium corporation council department division federation forum foundation group
    health hospital inc institute institutes investigators league limited ltd medicine
    ministry network office organisation organization panel programme program project registry
    research school service services society study team trust union unit university working
    writing""".split()  # noqa: SIM905 (a paragraph reads better than 60 lines)
)
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*\.?$")


def _ris_author(name, *, given_first=False):
    """RIS writes a person "Family, Given" and an organisation as it is named, no comma.
    Some writers put every person "Given Family", no comma anywhere: then a name of two to
    four capitalised words, none an organisation's, is read as a person."""
    name = " ".join(str(name).split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        given, _sep, suffix = given.partition(", ")
        return {"family": family, "given": given, "suffix": suffix}
    person = given_first and _person_given_first(name)
    return person or {"literal": name}


def _person_given_first(name):
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in _SUFFIXES else ""
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(word) for word in words):
        return None
    if any(word.lower().strip(".") in _ORGANISATION_WORDS for word in words):
        return None
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return None
    if any(word[0].islower() and word not in _PARTICLES for word in words):
        return None
    if re.fullmatch(r"[A-Z]{1,3}", words[-1]) and len(words[0]) > 1:
        # MEDLINE's habit, family name then initials: "Smith JA".
        return {"given": words[-1], "particle": "", "family": " ".join(words[:-1]), "suffix": ""}
    first_particle = next(
        (index for index, word in enumerate(words) if word in _PARTICLES), len(words) - 1
    )
    if first_particle == 0:
        return None
    return {
        "given": " ".join(words[:first_particle]),
        "particle": " ".join(words[first_particle:-1]),
        "family": words[-1],
        "suffix": suffix.rstrip(".").capitalize()
        if suffix.lower().startswith(("jr", "sr"))
        else suffix,
    }


def _medline_author(name):
    """MEDLINE's 'Family, Given' (FAU) or 'Family Initials' (AU), as our author fields."""
    name = " ".join(str(name).split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
    else:
        family, _sep, given = name.rpartition(" ")
        family, given = (family, given) if family else (given, "")
    return {"family": family, "given": given}


def _medline_authors(record):
    """Persons (FAU, or AU where a record has no FAU) and groups (CN), in the record's order."""
    person_tag = "FAU" if record.values("FAU") else "AU"
    return [
        {"literal": value} if tag == "CN" else _medline_author(value)
        for tag, value in record.lines
        if value and tag in (person_tag, "CN")
    ]


_MEDLINE_DATE = re.compile(r"^\s*(\d{4})(?:\s+([A-Za-z]+)(?:\s+(\d{1,2})(?![\d-]))?)?")


def _medline_date(text):
    """(year, month, day) from DP: "2017 Aug 26", "2014 Jun", "2018 Jan-Feb" (its first
    month), "2017 Spring" (no month). None where not given."""
    match = _MEDLINE_DATE.match(text or "")
    if not match:
        return (_year(text), None, None)
    year, month, day = match.groups()
    month = _MONTHS.get((month or "")[:3].lower())
    return (int(year), month, int(day) if month and day else None)


_CHECK_TAGS = {"Animals", "Humans"}


def _from_medline(text):
    parsed = ParsedEntries()
    for record in medline.records(text):
        if not record.first("PMID"):
            continue
        doi = next(
            (
                value.split(" ")[0]
                for value in [*record.values("LID"), *record.values("AID")]
                if value.endswith("[doi]")
            ),
            "",
        )
        year, month, day = _medline_date(record.first("DP"))
        book = record.first("BTI")
        parsed.append(
            ParsedReference(
                fields={
                    "type": ("chapter" if record.first("TI") else "book")
                    if book
                    else "article-journal",
                    "title": _without_final_period(record.first("TI") or book),
                    # The full title (JT) is what APA prints; the abbreviation (TA) is kept.
                    "container_title": (book if record.first("TI") else "")
                    or record.first("JT")
                    or record.first("TA"),
                    "container_title_short": record.first("TA") if record.first("JT") else "",
                    "issued_year": year,
                    "issued_month": month,
                    "issued_day": day,
                    "volume": record.first("VI"),
                    "issue": record.first("IP"),
                    "pages": expand_pages(record.first("PG")),
                    "doi": doi,
                    "pmid": record.first("PMID"),
                    "pmcid": record.first("PMC"),
                    "publisher": record.first("PB"),
                    "publisher_place": record.first("PL") if book else "",
                    "retraction_notice": record.first("RIN"),
                },
                authors=_medline_authors(record),
                publication_types=record.values("PT"),
                subject_headings=[
                    heading for heading in record.values("MH") if heading in _CHECK_TAGS
                ],
            )
        )
    return parsed
