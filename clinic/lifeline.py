"""The crisis numbers and the clinic's ways to be reached, kept where a database outage
cannot hide them.

Pages answered while the database cannot be read (the 503 and 500 pages, the enquiry
form's answers during an outage) are rendered without it, by `render_without_database`.
They show the values last published, found in this order:

1. this process's memory: what the last page rendered here read from the database
   (`remember`, called by the `clinic` context processor);
2. `lifeline.json` in default storage (through the storage API, so every app server
   and the worker share it), written by the background worker whenever the values
   change (`keep_published`, one of WORKER_TASKS);
3. the code: the model's defaults (988, 911), without contact details.

The crisis strip's label and the crisis message are kept in each language with a live
translation too (`translated`), so a Spanish page during an outage speaks Spanish.

`published()` is the one place that says where the published values come from.
"""

import json
import logging
from dataclasses import asdict, dataclass, fields, replace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation as i18n
from django.utils.cache import patch_cache_control

from translations.models import Translation

from .models import ClinicSettings

logger = logging.getLogger(__name__)

STORAGE_NAME = "clinic/lifeline.json"


@dataclass(frozen=True)
class Lifeline:
    """What a page needs to show the crisis strip and the clinic's contact details."""

    clinic_name: str
    crisis_strip_label: str
    crisis_line: str
    emergency_number: str
    crisis_message: str
    phone: str = ""
    email: str = ""
    address: str = ""
    # Per language with a live translation: ((language, label, message), ...).
    translated: tuple = ()

    @classmethod
    def of(cls, clinic, translations=()):
        names = [field.name for field in fields(cls) if field.name != "translated"]
        values = {name: getattr(clinic, name) for name in names}
        return cls(**values, translated=_translated(translations))

    @property
    def has_contact_details(self):
        return any((self.phone, self.email, self.address))

    def in_language(self, language):
        """These values as a page in `language` shows them."""
        for code, label, message in self.translated:
            if code == language:
                return replace(
                    self,
                    crisis_strip_label=label or self.crisis_strip_label,
                    crisis_message=message or self.crisis_message,
                )
        return self


def _translated(translations):
    return tuple(
        sorted(
            (t.language, t.field("crisis_strip_label"), t.field("crisis_message"))
            for t in translations
        )
    )


def published():
    """The values patients are shown now, read from the database."""
    clinic = ClinicSettings.load()
    return Lifeline.of(clinic, Translation.objects.live().of_model(ClinicSettings))


def built_in():
    """The model's defaults, with no query: the crisis numbers, and no contact details."""
    return Lifeline.of(ClinicSettings())


_remembered = None  # this process's newest values
_written = None  # the worker's: what it last wrote to storage


def remember(clinic, translations=None):
    """Note the values a page is rendered with, for pages rendered without the database.
    `translations`: the clinic's live translations, when the page read them (a page in
    another language); otherwise those remembered before are kept."""
    global _remembered
    if translations is None:
        kept = _remembered.translated if _remembered is not None else ()
        _remembered = replace(Lifeline.of(clinic), translated=kept)
    else:
        _remembered = Lifeline.of(clinic, translations)


def last_published():
    """The newest values this process can find without the database."""
    global _remembered
    if _remembered is None:
        _remembered = _read_stored()
    return _remembered or built_in()


def forget():
    """Drop what this process remembers (tests, and a process starting afresh)."""
    global _remembered, _written
    _remembered = _written = None


def keep_published():
    """Write the published values to storage if they changed (a WORKER_TASK, every poll).

    Returns True if it wrote them.
    """
    global _written
    current = published()
    if _written is None:
        _written = _read_stored()
    if current == _written:
        return False
    if default_storage.exists(STORAGE_NAME):
        default_storage.delete(STORAGE_NAME)
    saved = default_storage.save(STORAGE_NAME, ContentFile(json.dumps(asdict(current)).encode()))
    if saved != STORAGE_NAME:  # another writer got there between delete and save
        default_storage.delete(saved)
    _written = current
    logger.info("Crisis numbers and contact details kept for outages.")
    return True


def _read_stored():
    try:
        with default_storage.open(STORAGE_NAME) as stored:
            values = json.load(stored)
        known = {field.name for field in fields(Lifeline)}
        values = {**asdict(built_in()), **{k: v for k, v in values.items() if k in known}}
        values["translated"] = tuple(tuple(entry) for entry in values["translated"])
        return Lifeline(**values)
    except FileNotFoundError:
        return None
    except Exception as error:  # unreadable or unreachable: the built-in values will do
        logger.warning("Kept crisis numbers unreadable (%s: %s).", type(error).__name__, error)
        return None


def render_without_database(template_name, context=None, *, status, request=None):
    """A page that needs no query: no context processors, `clinic` from `last_published`.
    Never kept by a proxy or browser.

    With `request`, the page carries a CSRF token (read from its cookie, not a session),
    so a form on it can be sent again.
    """
    language = (i18n.get_language() or "en").split("-")[0]
    context = {"clinic": last_published().in_language(language), **(context or {})}
    if request is not None:
        context["csrf_token"] = get_token(request)
    response = HttpResponse(render_to_string(template_name, context), status=status)
    patch_cache_control(response, private=True, no_store=True)  # a moment's answer, or personal
    return response
