"""Word-level differences between two versions of a text, for the admin's history view."""

import difflib
import re
from dataclasses import dataclass

from simple_history.template_utils import HistoricalRecordContextHelper

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class DiffPart:
    kind: str  # "same", "added" or "removed"
    text: str


def word_diff(old, new):
    """The parts of `old` and `new` in reading order, each kept, added or removed."""
    old_words, new_words = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(DiffPart("same", "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(DiffPart("removed", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(DiffPart("added", "".join(new_words[b1:b2])))
    return parts


class PlainWordsContextHelper(HistoricalRecordContextHelper):
    """The history list's "Changes" column in an editor's words: a long text is summed up as
    words added and removed, not shown clipped mid-word ("Almos[309 chars]oughs…")."""

    LONG = 80

    def context_for_delta_changes(self, delta):
        shown = super().context_for_delta_changes(delta)
        for row, change in zip(shown, delta.changes, strict=True):
            old, new = change.old, change.new
            if (
                isinstance(old, str)
                and isinstance(new, str)
                and max(len(old), len(new)) > self.LONG
            ):
                parts = word_diff(old, new)
                added = sum(len(p.text.split()) for p in parts if p.kind == "added")
                removed = sum(len(p.text.split()) for p in parts if p.kind == "removed")
                row["summary"] = f"{_words(added)} added, {_words(removed)} removed"
        return shown


def _words(count):
    return f"{count} word" if count == 1 else f"{count} words"


class PlainWordsHistory:
    """For a SimpleHistoryAdmin: its history list says what changed in words."""

    def get_historical_record_context_helper(self, request, historical_record):
        return PlainWordsContextHelper(self.model, historical_record)
