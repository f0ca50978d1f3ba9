"""The one error the publishing workflow raises: its message says why, for staff."""


class WorkflowError(Exception):
    """A step the page's or revision's state does not allow, or content that cannot go live
    as it is. The message is written for the staff member who asked."""


class EditConflict(WorkflowError):
    """Someone saved the page after this editor opened it, and both changed the same parts:
    `conflicts` (publishing.merging.Conflict), for the editor to choose between. Everything
    else of both saves merges without asking."""

    def __init__(self, latest, conflicts):
        super().__init__(
            f"revision {latest.pk} changed {len(conflicts)} part(s) this save changes too"
        )
        self.latest, self.conflicts = latest, conflicts
