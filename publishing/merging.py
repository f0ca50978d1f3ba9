"""Two saves of one page made from the same revision, merged: what one editor changed and the
other did not is kept from each; where both changed the same thing differently, the editor
saving last chooses.

A page's content is compared in units: each of its fields, each field of each section or
comparison entry, whether a section or entry is there at all, and the order of a topic page's
sections. A unit changed on one side only takes that side's value. Changed on both sides to
different values, it is a `Conflict`, settled by the editor's choice ("theirs" or "mine");
until they choose, nothing is saved.

Sections and entries are matched by id; one a revision adds (not yet in the page's rows) by
its anchor (a section) or its aspect (a comparison entry).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

THEIRS, MINE = "theirs", "mine"
GONE = None  # a section or entry one side removed


@dataclass
class Conflict:
    key: str  # stable within one pair of saves, for the editor's choice
    label: str
    base: object
    theirs: object
    mine: object

    @property
    def theirs_text(self):
        return _shown(self.theirs)

    @property
    def mine_text(self):
        return _shown(self.mine)


def _shown(value):
    if value is GONE:
        return _("(removed)")
    if isinstance(value, dict):
        heading = f"{'#' * value.get('level', 2)} {value.get('heading', '')}".strip()
        if "body" in value:
            return f"{heading}\n\n{value['body']}".strip()
        return ": ".join(str(value.get(name, "")) for name in ("aspect", "text"))
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return "" if value is None else str(value)


class Merge:
    """One merge of `mine` into `theirs` from `base`, with the editor's `choices`."""

    def __init__(self, choices=None):
        self.choices = choices or {}
        self.conflicts = []

    def pick(self, key, label, base, theirs, mine):
        """The merged value of one unit."""
        if mine in (base, theirs):
            return theirs
        if theirs == base:
            return mine
        choice = self.choices.get(key)
        if choice == THEIRS:
            return theirs
        if choice != MINE:
            self.conflicts.append(Conflict(key, label, base, theirs, mine))
        return mine

    def fields(self, prefix, base, theirs, mine, labels):
        merged = dict(theirs)
        for name in mine.keys() | theirs.keys():
            merged[name] = self.pick(
                f"{prefix}{name}",
                labels(name),
                base.get(name),
                theirs.get(name),
                mine.get(name),
            )
        return merged

    def rows(self, prefix, base, theirs, mine, *, identity, names, label):
        """Merge lists of rows (sections, comparison entries): each row's fields, and whether
        it is there at all. Returns the merged rows, theirs' order first, then mine's new."""
        by_id = [{identity(row): row for row in rows} for rows in (base, theirs, mine)]
        base_rows, theirs_rows, mine_rows = by_id
        order = list(theirs_rows) + [key for key in mine_rows if key not in theirs_rows]
        order += [key for key in base_rows if key not in order]
        merged = []
        for key in order:
            b, t, m = (rows.get(key, GONE) for rows in by_id)
            unit = f"{prefix}{key[0]}:{key[1]}"
            if b is GONE and (t is GONE or m is GONE):
                merged.append(t if m is GONE else m)  # added on one side
                continue
            if t is GONE or m is GONE:
                values = [row if row is GONE else _only(row, names) for row in (b, t, m)]
                kept = self.pick(f"{unit}.present", label(b), *values)
                if kept is GONE:
                    continue
                row = t if m is GONE else m
            else:
                row = m
            merged.append(
                {
                    **row,
                    **self.fields(
                        f"{unit}.",
                        _only(b, names) if b is not GONE else {},
                        _only(t, names) if t is not GONE else _only(m, names),
                        _only(m, names) if m is not GONE else _only(t, names),
                        lambda name, row=row: f"{label(row)}: {_label(name)}",
                    ),
                }
            )
        return merged

    def order(self, key, label, base, theirs, mine):
        """A list of ids (a topic page's sections): what either side removed goes, what either
        added comes, and the order is the side's that changed it (or the editor's choice)."""
        removed = (set(base) - set(theirs)) | (set(base) - set(mine))
        kept = lambda ids: [i for i in ids if i not in removed]  # noqa: E731
        common = set(theirs) & set(mine)
        in_common = lambda ids: [i for i in ids if i in common]  # noqa: E731
        ordered = self.pick(
            key, label, in_common(kept(base)), in_common(kept(theirs)), in_common(kept(mine))
        )
        chosen = theirs if ordered == in_common(kept(theirs)) else mine
        result = [i for i in kept(chosen)]
        other = mine if chosen is theirs else theirs
        return result + [i for i in kept(other) if i not in result]


def _only(row, names):
    return {name: row.get(name) for name in names}


def _label(name):
    return {"body": _("text"), "heading": _("heading"), "level": _("level")}.get(
        name, name.replace("_", " ")
    )
