"""Reading checks for reviewers: grade level, and claims that cite nothing.

Patient materials aim for grade 6 to 8; a section above grade 10 is flagged.
A paragraph that states a number or a study's finding without a citation is
flagged too, so a reviewer can add the source or soften the claim.
"""

import re

import textstat

from references.citations import CITATION_GROUP

GRADE_LIMIT = 10
_NUMBER = re.compile(r"\d")
_STUDY_WORDS = re.compile(
    r"\b(stud(?:y|ies)|trials?|research|review|meta-analys[ie]s|evidence|found|shown?|showed|"
    r"demonstrat\w*|reports?|data|percent|rates?)\b",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_`#>\[\]()!]|https?://\S+")


def _plain(markdown_text):
    return " ".join(_MARKUP.sub(" ", CITATION_GROUP.sub(" ", markdown_text or "")).split())


def reading_grade(markdown_text):
    """The Flesch–Kincaid grade of the text, or None when there is too little to judge."""
    text = _plain(markdown_text)
    if len(text.split()) < 10:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


def uncited_claims(markdown_text):
    """Paragraphs that state a number or a study result and cite nothing."""
    flagged = []
    for paragraph in re.split(r"\n\s*\n", markdown_text or ""):
        paragraph = paragraph.strip()
        if not paragraph or CITATION_GROUP.search(paragraph):
            continue
        if _NUMBER.search(paragraph) or _STUDY_WORDS.search(paragraph):
            flagged.append(paragraph)
    return flagged
