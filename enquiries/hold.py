"""Enquiries sent while the database cannot be reached, held until the worker stores them.

They are held in a Redis instance of their own (ENQUIRY_HOLD_REDIS_URL), configured
`maxmemory-policy noeviction` and never the page cache's: nothing there is evicted to
make room; once it is full a new enquiry is refused (its sender gets their words back,
enquiries.views), never an older one dropped. Each is held under its form's submission
token, so a second post of the same form (a double click) is held once, with the same
reference.

The worker runs `store_held` (a WORKER_TASK) every poll: each held enquiry is stored
through `enquiry_submit`, whose duplicate-token guard makes a second attempt find the
first (a worker stopped after storing it, before deleting it from the hold): each is
stored exactly once, with the reference its sender was given, dated when it was sent,
in the language it was sent in.
Then it is deleted from the hold. Nothing held is ever logged.

While the database is away the enquiry rate limit cannot be counted, so the hold keeps
its own count per client and window, with the same limit.
"""

import datetime
import json
import logging
import uuid
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from clinic.crisis import mentions_crisis

from .forms import EnquiryForm
from .models import current_language, new_reference
from .services import enquiry_submit

logger = logging.getLogger(__name__)

HELD = "enquiries:held"


class Unavailable(Exception):
    """No hold is configured, or it cannot take the enquiry (unreachable, or full)."""


class Unstorable(ValueError):
    """A held enquiry the form refuses now; the message names fields, never their values."""


class OverLimit(Exception):
    """This client has sent more than the rate limit allows in the window."""


@dataclass(frozen=True)
class Held:
    reference: str
    urgent: bool


HELD_ASIDE = "enquiries:held-unstorable"

_connection = (None, None)  # (url, client)


def _redis():
    global _connection
    url = settings.ENQUIRY_HOLD_REDIS_URL
    if not url:
        raise Unavailable("ENQUIRY_HOLD_REDIS_URL is not set")
    if _connection[0] != url:
        _connection = (
            url,
            redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5),
        )
    return _connection[1]


@sensitive_variables("form", "entry", "data")
def hold(*, form, window_key):
    """Hold a valid OfflineEnquiryForm's enquiry; the reference its sender is given.

    `window_key` and its lifetime name the client's count for the window now running
    (enquiries.throttling.window_key).
    """
    data = form.held_data()
    try:
        client = _redis()
        key, keep_seconds = window_key
        count_key = f"enquiries:held-posts:{key}"
        with client.pipeline() as pipeline:
            count, _ = pipeline.incr(count_key).expire(count_key, keep_seconds).execute()
        if count > settings.ENQUIRY_RATE_LIMIT[0]:
            raise OverLimit
        entry = {
            "data": data,
            "reference": new_reference(),
            "sent_at": timezone.now().isoformat(),
            "language": current_language(),
        }
        # HSETNX: of two posts of one form racing, one is held and the other finds it.
        if not client.hsetnx(HELD, data["submission_token"], json.dumps(entry)):
            held = json.loads(client.hget(HELD, data["submission_token"]))
            if held["data"] == data:  # the same form sent again: held once
                entry = held
            else:  # the same form with other words: a new enquiry, as enquiry_submit has it
                data["submission_token"] = str(uuid.uuid4())
                client.hset(HELD, data["submission_token"], json.dumps(entry))
    except redis.RedisError as error:  # unreachable, or full (noeviction refuses writes)
        logger.error("Enquiry hold unavailable (%s: %s).", type(error).__name__, error)
        raise Unavailable from error
    return Held(entry["reference"], mentions_crisis(data["message"]))


def store_held():
    """Store every held enquiry, each exactly once (a WORKER_TASK). Returns how many.

    An enquiry that cannot be stored because the database is still away stays held for
    the next pass.
    """
    if not settings.ENQUIRY_HOLD_REDIS_URL:
        return 0
    client = _redis()
    stored = 0
    for token in client.hkeys(HELD):
        raw = client.hget(HELD, token)
        if raw is None:  # another worker stored it meanwhile
            continue
        entry = json.loads(raw)
        try:
            enquiry = _store(entry)
        except (OperationalError, InterfaceError):
            raise  # the database is still away: everything stays held for the next pass
        except Exception as error:
            # Set aside rather than tried again each second, or blocking the others. The
            # log names the reference and the kind of error only: never what was written.
            client.hset(HELD_ASIDE, token, raw)
            client.hdel(HELD, token)
            logger.error(
                "Held enquiry %s could not be stored (%s); it is kept aside in the hold as %s.",
                entry["reference"],
                error if isinstance(error, Unstorable) else type(error).__name__,
                HELD_ASIDE,
            )
            continue
        client.hdel(HELD, token)
        logger.info("Held enquiry %s stored.", enquiry.reference)
        stored += 1
    return stored


@sensitive_variables("entry", "form")
def _store(entry):
    form = EnquiryForm(data=entry["data"])
    if not form.is_valid() and "treatment" in form.errors:
        # The treatment page went while the enquiry was held: the topic still says enough.
        form = EnquiryForm(data={**entry["data"], "treatment": ""})
    if not form.is_valid():
        # Checked when it was held, by the same form: only a release between could do this.
        raise Unstorable(f"the form's checks now refuse {', '.join(sorted(form.errors))}")
    return enquiry_submit(
        form=form,
        # Held before enquiries recorded their language: those came from the English form.
        language=entry.get("language", "en"),
        reference=entry["reference"],
        sent_at=datetime.datetime.fromisoformat(entry["sent_at"]),
    )
