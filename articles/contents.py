"""The contents list of a page: titled sections, level-3 ones nested under the level-2 before them."""

from dataclasses import dataclass, field


@dataclass
class ContentsEntry:
    section: object
    children: list = field(default_factory=list)


def table_of_contents(sections):
    entries = []
    for section in sections:
        if not section.heading:
            continue
        if section.level == 3 and entries:
            entries[-1].children.append(ContentsEntry(section))
        else:
            entries.append(ContentsEntry(section))
    return entries
