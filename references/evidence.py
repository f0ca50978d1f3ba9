"""The kind of evidence a reference is, in words a patient can weigh, and how it is read from
what a source says of itself.

`EvidenceType` is the list editors choose from and patients read beside each reference.
`classify` turns a record's own publication types into one of them: PubMed's (MEDLINE `PT`
lines, "Randomized Controlled Trial"), an RIS file's type of work (`M3`, where EndNote keeps
PubMed's types), or this site's own codes and labels (its CSL-JSON and RIS exports). Only
what the record states is used; anything else stays `not-classified` for an editor to set.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceType(models.TextChoices):
    SYSTEMATIC_REVIEW = "systematic-review", _("Systematic review or meta-analysis")
    RANDOMIZED_CONTROLLED_TRIAL = "randomized-controlled-trial", _("Randomized controlled trial")
    CLINICAL_TRIAL = "clinical-trial", _("Clinical trial, not randomized")
    OBSERVATIONAL_STUDY = "observational-study", _("Observational study")
    CASE_REPORT = "case-report", _("Case report or case series")
    NARRATIVE_REVIEW = "narrative-review", _("Review article")
    GUIDELINE = "guideline", _("Clinical guideline")
    ANIMAL_OR_LABORATORY = "animal-or-laboratory", _("Animal or laboratory study")
    EDITORIAL_OR_OPINION = "editorial-or-opinion", _("Editorial or opinion")
    ORGANISATION_PAGE = "organisation-page", _("Organization's web page")
    BOOK = "book", _("Book")
    NOT_CLASSIFIED = "not-classified", _("Not yet classified")


# What each kind means, for the "How to read our references" page, in the order a reader
# would weigh them (the strongest kinds of study first).
EXPLANATIONS = {
    EvidenceType.SYSTEMATIC_REVIEW: _(
        "Researchers searched for every study on one question and weighed them together; a "
        "meta-analysis also combines their numbers. When the studies are good, this is the "
        "strongest kind of evidence."
    ),
    EvidenceType.GUIDELINE: _(
        "Advice for clinicians from a professional body or health agency, usually built on "
        "systematic reviews and expert agreement."
    ),
    EvidenceType.RANDOMIZED_CONTROLLED_TRIAL: _(
        "People were assigned by chance to the treatment or to a comparison (often a "
        "placebo). This is the fairest test of whether a treatment works, though one trial "
        "may be small or short."
    ),
    EvidenceType.CLINICAL_TRIAL: _(
        "People were given a treatment and followed, but not assigned to it by chance, so "
        "other things may explain the results."
    ),
    EvidenceType.OBSERVATIONAL_STUDY: _(
        "Researchers looked at what happened to people without assigning a treatment. It "
        "shows links, which are not always causes."
    ),
    EvidenceType.CASE_REPORT: _(
        "What happened to one person or a few. It can raise a question, not answer it."
    ),
    EvidenceType.NARRATIVE_REVIEW: _(
        "Experts summarized research on a topic without a systematic search, so it may "
        "leave out studies that disagree."
    ),
    EvidenceType.ANIMAL_OR_LABORATORY: _(
        "Done in animals or in cells, not in people. It helps explain how a treatment may "
        "work; the results may not hold for people."
    ),
    EvidenceType.EDITORIAL_OR_OPINION: _(
        "An expert's view, a comment or a letter: an argument rather than new results."
    ),
    EvidenceType.ORGANISATION_PAGE: _(
        "A page by a health agency or professional body, such as the World Health "
        "Organization: often a summary of other evidence, for the public."
    ),
    EvidenceType.BOOK: _("A book, such as a textbook or a diagnostic manual."),
    EvidenceType.NOT_CLASSIFIED: _(
        "Our editors have not yet recorded what kind of evidence it is. Follow its link to "
        "read what it says of itself."
    ),
}

RETRACTED_PUBLICATION = "Retracted Publication"

# PubMed's publication types (MEDLINE PT), by kind; the first kind a record has wins, so
# a practice guideline built on a systematic review is a guideline, and a trial that is also
# a multicentre study is a trial.
_PUBMED_TYPES = [
    (EvidenceType.GUIDELINE, {"guideline", "practice guideline"}),
    (
        EvidenceType.SYSTEMATIC_REVIEW,
        {"systematic review", "meta-analysis", "network meta-analysis"},
    ),
    (EvidenceType.RANDOMIZED_CONTROLLED_TRIAL, {"randomized controlled trial"}),
    (
        EvidenceType.CLINICAL_TRIAL,
        {
            "clinical trial",
            "clinical trial, phase i",
            "clinical trial, phase ii",
            "clinical trial, phase iii",
            "clinical trial, phase iv",
            "controlled clinical trial",
            "pragmatic clinical trial",
            "equivalence trial",
            "adaptive clinical trial",
        },
    ),
    (EvidenceType.OBSERVATIONAL_STUDY, {"observational study", "twin study"}),
    (EvidenceType.CASE_REPORT, {"case reports"}),
    (EvidenceType.NARRATIVE_REVIEW, {"review"}),
    (EvidenceType.EDITORIAL_OR_OPINION, {"editorial", "comment", "letter"}),
]
# PubMed marks studies in animals by type only for veterinary trials and studies.
_VETERINARY = {
    "randomized controlled trial, veterinary",
    "clinical trial, veterinary",
    "observational study, veterinary",
}
# Kinds that report or weigh studies: about animals when the studies were.
_STUDIES = {
    EvidenceType.SYSTEMATIC_REVIEW,
    EvidenceType.RANDOMIZED_CONTROLLED_TRIAL,
    EvidenceType.CLINICAL_TRIAL,
    EvidenceType.OBSERVATIONAL_STUDY,
    EvidenceType.CASE_REPORT,
    EvidenceType.NARRATIVE_REVIEW,
    EvidenceType.NOT_CLASSIFIED,
}


def _by_name():
    """Each kind by its code and by its label, as this site's exports write them."""
    names = {}
    for choice in EvidenceType:
        names[choice.value] = choice
        names[str(choice.label).casefold()] = choice
    return names


def classify(publication_types, *, subject_headings=(), reference_type="", organisation=False):
    """(evidence type, retracted) from what a record says of itself.

    `publication_types`: PubMed's names, or this site's codes or labels, as written.
    `subject_headings`: MEDLINE's check tags (MH); a record about animals and not humans is
    an animal study. Failing those, a book is a book and an organisation's web page is one
    (`reference_type`, and whether its author is an `organisation`).
    """
    written = {str(name).strip().casefold() for name in publication_types if str(name).strip()}
    retracted = RETRACTED_PUBLICATION.casefold() in written
    found = EvidenceType.NOT_CLASSIFIED
    ours = _by_name()
    own = [ours[name] for name in written if name in ours]
    if own:
        found = own[0]
    elif written & _VETERINARY:
        found = EvidenceType.ANIMAL_OR_LABORATORY
    else:
        found = next(
            (kind for kind, names in _PUBMED_TYPES if written & names),
            EvidenceType.NOT_CLASSIFIED,
        )
    headings = {str(name).strip().casefold() for name in subject_headings}
    if found in _STUDIES and "animals" in headings and "humans" not in headings:
        found = EvidenceType.ANIMAL_OR_LABORATORY
    if found == EvidenceType.NOT_CLASSIFIED:
        if reference_type == "book":
            found = EvidenceType.BOOK
        elif reference_type == "webpage" and organisation:
            found = EvidenceType.ORGANISATION_PAGE
    return found, retracted
