"""The DISCERN checklist a clinical reviewer ticks on every review of a page: does it say how
the treatment works, its benefits, its risks, what happens without it, the alternatives,
what is uncertain, its regulatory status, and its sources and dates?

The questions follow the DISCERN instrument (Charnock et al., 1999) with the NHS Standard
for Creating Health Content and JAMA's benchmarks (sources, dates), cut to what a page about
a treatment must say. `hints` points the reviewer at the parts of the page that seem to
answer each question, from the words they use; the reviewer decides. The ticks are kept
with the revision and never required to approve.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    words: tuple = ()  # words that suggest a part of the page answers it


QUESTIONS = [
    Question(
        "how_it_works",
        _("How the treatment works"),
        ("how it works", "how ketamine works", "works by", "mechanism", "receptor", "glutamate"),
    ),
    Question(
        "benefits",
        _("Its benefits"),
        ("benefit", "effective", "improve", "relief", "response", "remission"),
    ),
    Question(
        "risks",
        _("Its risks and side effects"),
        ("risk", "side effect", "adverse", "safety", "harm", "dissociat"),
    ),
    Question(
        "without_treatment",
        _("What happens without treatment"),
        ("without treatment", "untreated", "if not treated", "no treatment", "left alone"),
    ),
    Question(
        "alternatives",
        _("The alternatives"),
        ("alternative", "other treatment", "other option", "instead", "compared with", "options"),
    ),
    Question(
        "uncertainty",
        _("What is uncertain or not known"),
        (
            "uncertain",
            "not known",
            "unknown",
            "unclear",
            "more research",
            "limited evidence",
            "long-term",
            "further studies",
        ),
    ),
    Question(
        "regulatory_status",
        _("Its regulatory status: FDA-approved, or used off-label"),
        ("fda", "off-label", "off label", "approved"),
    ),
    Question("sources_and_dates", _("Its sources and dates")),
]
CODES = [question.code for question in QUESTIONS]


@dataclass
class Hint:
    question: Question
    places: list = field(default_factory=list)  # where on the page it seems to be answered
    note: str = ""  # for sources and dates: what the page has


def _pattern(words):
    return re.compile("|".join(rf"\b{re.escape(word)}" for word in words), re.I)


def hints(texts, citations, *, dated):
    """For each question, the places among `texts` ((where, words) pairs) whose words suggest
    an answer. Sources and dates: how many references `citations` ((where, key) pairs) cite,
    and whether the page shows review dates (`dated`)."""
    found = []
    for question in QUESTIONS:
        if question.code == "sources_and_dates":
            keys = {key for _where, key in citations}
            note = _("Cites %(count)s reference(s).") % {"count": len(keys)}
            if dated:
                note += " " + _("Shows when it was last reviewed and when it is next due.")
            found.append(Hint(question, note=note))
            continue
        pattern = _pattern(question.words)
        places = [where for where, text in texts if pattern.search(text)]
        found.append(Hint(question, list(dict.fromkeys(places))))
    return found


def cleaned(ticks):
    """The reviewer's ticks as kept: every question's code, True if ticked."""
    ticked = set(ticks or ())
    return {code: code in ticked for code in CODES}


def gaps(kept):
    """The questions a kept checklist left unticked, in order."""
    return [question for question in QUESTIONS if not kept.get(question.code, False)]
