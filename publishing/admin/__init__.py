"""Clinical sign-off in the admin: the reviewed content's admins (`pages`), registered once
each, and the revisions with their review, compare and restore pages (`revisions`); the
overstating phrases to settle and the reasons kept (`claims`); translations, edited beside
their English and reviewed like any page (`translations`)."""

from . import claims, pages, revisions, translations  # noqa: F401  (each registers its admins)
