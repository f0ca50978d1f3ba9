"""Importing references in two steps, preview then confirm, on any app server.

`import_preview` reads the text, stores the new entries as previewed in an `ImportBatch`
row and returns a signed token naming it; `import_confirm` takes that token back (from
whichever server the request reaches), and stores exactly those entries, once. A batch
lives `PREVIEW_LIFETIME`; older ones are removed as new previews are made and by the
worker (`remove_expired_import_batches`).
"""

import datetime
from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import importing
from .models import ImportBatch

PREVIEW_LIFETIME = datetime.timedelta(hours=1)
_SALT = "references.import-batch"


class ImportRefused(Exception):
    """The import was not made; the message says why and what to do, for staff to read."""


@dataclass
class ImportResult:
    created: list
    matched: int  # stored already (at preview, or since) or the same work twice in the text
    not_imported: int  # refused at preview, or not read at all
    rekeyed: list = field(default_factory=list)  # (key previewed, key given): taken since


def remove_expired_import_batches():
    """Delete previews past their lifetime, imported or not."""
    return ImportBatch.objects.filter(expires_at__lt=timezone.now()).delete()[0]


def import_preview(*, text, text_format, user, source=""):
    """Read `text`; keep its new entries for `user` to confirm. Returns the parsed entries
    (for the preview page) and the signed token that names the batch.

    Raises importing.UnreadableText, with a message for staff, when nothing can be read.
    """
    parsed = importing.parse_references(text, text_format)
    remove_expired_import_batches()
    summary = parsed.summary()
    batch = ImportBatch.objects.create(
        created_by=user,
        expires_at=timezone.now() + PREVIEW_LIFETIME,
        source=source[:300],
        entries=[entry.as_stored() for entry in parsed if entry.is_new],
        matched=summary["matched"],
        not_imported=summary["refused"] + summary["unread"],
    )
    return parsed, signing.dumps(str(batch.pk), salt=_SALT)


def import_confirm(*, token, user):
    """Store the entries previewed under `token` by `user`, all or none, once.

    A work stored by someone else since the preview is matched, not stored twice; a key
    taken since is replaced (the result lists both). Raises ImportRefused saying why when
    the preview has expired, was already imported, or belongs to someone else.
    """
    try:
        batch_id = signing.loads(token, salt=_SALT, max_age=PREVIEW_LIFETIME)
    except signing.SignatureExpired:
        raise ImportRefused(_expired()) from None
    except signing.BadSignature:
        raise ImportRefused(
            _("This import form is not one this site made: preview again.")
        ) from None
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
            gone = batch is None or batch.expires_at < timezone.now()
            if gone or batch.created_by_id != user.pk:
                raise ImportRefused(_expired())
            if batch.imported_at:
                raise ImportRefused(
                    _("These references were already imported, at %(time)s.")
                    % {"time": f"{timezone.localtime(batch.imported_at):%H:%M}"}
                )
            entries = [importing.ParsedReference.from_stored(stored) for stored in batch.entries]
            matched_since, rekeyed = importing.match_again(entries)
            created = importing.save_new(entries, user=user)
            batch.imported_at = timezone.now()
            batch.entries = []
            batch.save(update_fields=["imported_at", "entries"])
    except IntegrityError:
        raise ImportRefused(
            _(
                "Nothing was imported: some of these references were stored by someone else "
                "at the same moment. Preview again to see them matched."
            )
        ) from None
    return ImportResult(
        created=created,
        matched=batch.matched + matched_since,
        not_imported=batch.not_imported,
        rekeyed=rekeyed,
    )


def _expired():
    minutes = int(PREVIEW_LIFETIME.total_seconds() // 60)
    return _(
        "This preview is no longer kept (previews are kept for %(minutes)s minutes): "
        "preview again, then import."
    ) % {"minutes": minutes}
