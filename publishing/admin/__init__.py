"""Clinical sign-off in the admin: the reviewed content's admins (`pages`), registered once
each, and the revisions with their review, compare and restore pages (`revisions`)."""

from . import pages, revisions  # noqa: F401  (each registers its admins)
