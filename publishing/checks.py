"""Launch checklist items about what patients read: overstating phrases live on a page that
no clinical reviewer has settled (publishing.review_checks)."""

from django.core import checks
from django.db import DatabaseError

from clinic.checks import LAUNCH


@checks.register(LAUNCH, deploy=True)
def live_claims_settled(app_configs=None, **kwargs):
    from .review_checks import live_claims_to_settle

    try:
        listed = live_claims_to_settle()
    except DatabaseError:  # before the first migrate
        return []
    return [
        checks.Warning(
            f"“{entry.page}” holds words that may overstate the evidence, not settled by a "
            f"clinical reviewer: {', '.join(f'“{match.found}”' for match in entry.claims)}.",
            hint="A clinical reviewer lets each stand giving the reason (admin home → "
            "Overstating phrases on live pages), or the editor changes the words.",
            id="publishing.W001",
        )
        for entry in listed
    ]
