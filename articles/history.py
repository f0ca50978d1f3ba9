"""Word-level differences between two versions of a text, for the admin's history view."""

import difflib
import re
from dataclasses import dataclass

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
