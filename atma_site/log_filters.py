"""Logging filters: what the log should say about requests that went as designed."""

import logging

from django.core.exceptions import PermissionDenied


class ExpectedRefusals(logging.Filter):
    """A 403 from PermissionDenied is the site working as designed: log one line at INFO,
    not a WARNING with a traceback that buries real errors."""

    def filter(self, record):
        exception = record.exc_info[1] if record.exc_info else None
        if isinstance(exception, PermissionDenied):
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True
