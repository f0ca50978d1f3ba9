"""The treatment comparison table: one row per aspect, one cell per treatment."""

from dataclasses import dataclass

from .models import TreatmentFact


@dataclass
class ComparisonRow:
    label: str
    cells: list


def comparison_rows(treatments):
    """The comparison table: one row per aspect, a (treatment, fact or None) cell per treatment.

    Each treatment must come with its facts loaded (`TopicPage.objects.for_comparison()`).
    """
    facts = {
        (fact.treatment_id, fact.aspect): fact
        for treatment in treatments
        for fact in treatment.facts.all()
        # A fact must link to a public source; a draft article's section is not one.
        if fact.section.article.status == fact.section.article.Status.PUBLISHED
    }
    return [
        ComparisonRow(
            label=aspect.label,
            cells=[
                (treatment, facts.get((treatment.pk, aspect.value))) for treatment in treatments
            ],
        )
        for aspect in TreatmentFact.Aspect
    ]
