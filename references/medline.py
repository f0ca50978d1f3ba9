"""Read PubMed's MEDLINE format (.nbib, "Save as PubMed"), keeping every line in its order.

A record is a run of lines "TAG - value", the tag padded to four characters; a line
starting with six spaces continues the one before. Records are separated by a blank line
(and a new `PMID-` line always starts one). The order matters: a group author (`CN`)
stands among the persons (`FAU`/`AU`) where the record puts it, and anything else a
caller needs later (publication types, `PT`) is read with `values("PT")`.
"""

import re

_LINE = re.compile(r"^([A-Z0-9]{1,4})\s*-(?: (.*))?$")


class MedlineRecord:
    """One record: `lines` is every (tag, value) in order, continuation lines joined."""

    def __init__(self, lines, start_line):
        self.lines = lines
        self.start_line = start_line  # 1-based, for messages

    def values(self, tag):
        return [value for line_tag, value in self.lines if line_tag == tag]

    def first(self, tag, default=""):
        return next((value for line_tag, value in self.lines if line_tag == tag), default)


def records(text):
    """Each MEDLINE record in `text`, in order."""
    lines, start = [], 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.startswith("      ") and lines:
            tag, value = lines[-1]
            lines[-1] = (tag, f"{value} {line.strip()}".strip())
            continue
        match = _LINE.match(line)
        if not match:
            if not line.strip() and lines:  # a blank line ends the record
                yield MedlineRecord(lines, start)
                lines = []
            continue
        tag, value = match[1], (match[2] or "").strip()
        if tag == "PMID" and any(line_tag == "PMID" for line_tag, _ in lines):
            yield MedlineRecord(lines, start)
            lines = []
        if not lines:
            start = number
        lines.append((tag, value))
    if lines:
        yield MedlineRecord(lines, start)
