"""The one error the publishing workflow raises: its message says why, for staff."""


class WorkflowError(Exception):
    """A step the page's or revision's state does not allow, or content that cannot go live
    as it is. The message is written for the staff member who asked."""


class EditConflict(WorkflowError):
    """Someone saved the page after this editor opened it."""

    def __init__(self, loaded, latest):
        super().__init__(f"revision {latest.pk} was saved after {loaded.pk if loaded else 0}")
        self.loaded, self.latest = loaded, latest
