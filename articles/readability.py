"""Reading checks for reviewers: grade level, and claims that cite nothing.

Patient materials aim for grade 6 to 8; a section above grade 10 is flagged.
A sentence or list item that states a quantity or a study's finding without a
citation is flagged too, so a reviewer can add the source or soften the claim.
"""

import re

import textstat

from references.citations import CITATION_GROUP

GRADE_LIMIT = 10
# A key point at the top of a page is read first, often by someone anxious: grade 8 at most.
KEY_POINT_GRADE_LIMIT = 8
# A quantity as a claim: a percentage, a rate, a count of people, a span of time or a dose.
_QUANTITY = re.compile(
    r"\b\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?\s*"
    r"(?:%|percent\b|per\s?cent\b|times\b|fold\b|in\s+\d+\b|out\s+of\b|of\s+(?:\w+\s+)?"
    r"(?:patients|people|participants|adults|those)\b|(?:patients|people|participants|adults)\b|"
    r"mg\b|(?:hours?|days?|weeks?|months?|years?)\b)",
    re.IGNORECASE,
)
_STUDY_RESULT = re.compile(
    r"\b(?:stud(?:y|ies)|trials?|research|meta-analys[ie]s|systematic\s+reviews?|evidence)\b"
    r"|\b(?:found|showed|demonstrated|proved)\s+that\b",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_`#>\[\]()!]|https?://\S+")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _units(markdown_text):
    """List items and sentences: each is one unit a reader takes as one statement."""
    for block in re.split(r"\n\s*\n", markdown_text or ""):
        items = _LIST_ITEM.split(block) if _LIST_ITEM.search(block) else [block]
        for item in items:
            yield from (
                sentence.strip() for sentence in _SENTENCE_END.split(item) if sentence.strip()
            )


def _plain(markdown_text):
    # Each list item and line counts as a sentence, as a reader takes it.
    units = (unit if unit[-1] in ".!?" else unit + "." for unit in _units(markdown_text))
    return " ".join(_MARKUP.sub(" ", CITATION_GROUP.sub(" ", " ".join(units))).split())


def reading_grade(markdown_text):
    """The Flesch–Kincaid grade of the text, or None when there is too little to judge."""
    text = _plain(markdown_text)
    if len(text.split()) < 10:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


def key_point_grade(text):
    """The Flesch–Kincaid grade of one short point, however short (None for no words)."""
    plain = _plain(text)
    if not plain:
        return None
    return round(textstat.flesch_kincaid_grade(plain), 1)


def describe_key_point_grade(text):
    """What an editor is told of a point's grade as they write it."""
    problem = key_point_problem(text)
    if problem:
        return problem
    grade = key_point_grade(text)
    if grade is None:
        return ""
    if grade < 1:
        return "Reading grade under 1: very plain."
    return f"Reading grade {grade}: plain enough."


def key_point_problem(text):
    """Why a key point reads too hard, in words for its editor; None when it is plain."""
    grade = key_point_grade(text)
    if grade is not None and grade > KEY_POINT_GRADE_LIMIT:
        return (
            f"Reading grade {grade}: above {KEY_POINT_GRADE_LIMIT}. Shorter sentences and "
            "everyday words help."
        )
    return None


def uncited_claims(markdown_text):
    """Sentences and list items that state a quantity or a study result and cite nothing."""
    return [
        unit
        for unit in _units(markdown_text)
        if not CITATION_GROUP.search(unit)
        and (_QUANTITY.search(unit) or _STUDY_RESULT.search(unit))
    ]
