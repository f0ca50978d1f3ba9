"""What a revision of each kind of page holds, and how it is taken from and put into the rows.

An article's revision holds its own fields and all its sections; a topic page's, its own
fields, the ids of the sections it shows in order, and its comparison entries; the clinic's
safety texts, the crisis strip's words and numbers, the crisis message and the disclaimer.
Review dates, status and schedule are not content: they belong to the page, not to a
revision.

These are plain functions over rows and content; locking, checking and committing are the
workflow's (publishing.workflow).
"""

import datetime
import uuid

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from articles.history import word_diff
from articles.models import Article, KeyPoint, Section, free_anchor
from articles.rendering import plain_text, render_markdown, stored_images_in
from articles.services import renditions_match, save_article, save_section
from clinic.models import ClinicSettings
from glossary.models import GlossaryEntry
from references.citations import cited_keys
from topics.models import TopicKeyPoint, TopicPage, TopicSection, TreatmentFact

from .errors import WorkflowError
from .merging import Merge

ARTICLE_FIELDS = [
    "title",
    "slug",
    "summary",
    "standfirst",
    "author_name",
    "author_credentials",
    "publisher",
    "source_url",
    "published_on",
    "updated_on",
    "attribution",
    "featured_image",
    "featured_image_alt",
    "featured_image_credit",
]
SECTION_FIELDS = ["position", "level", "heading", "anchor", "body"]
TOPIC_FIELDS = ["title", "slug", "parent", "position", "navigation_label", "summary", "intro"]
FACT_FIELDS = ["aspect", "text", "section"]
GLOSSARY_FIELDS = ["term", "slug", "also_matches", "definition"]
SAFETY_FIELDS = [
    "crisis_strip_label",
    "crisis_line",
    "emergency_number",
    "crisis_message",
    "disclaimer",
]
DATE_FIELDS = {"published_on", "updated_on"}
# Field names as editors see them, for "what changed".
LABELS = {
    "navigation_label": "menu label",
    "featured_image": "image",
    "intro": "introduction",
    "crisis_strip_label": "crisis strip's label",
    "crisis_line": "crisis line",
    "also_matches": "other spellings",
}


def _value(obj, name):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname)
    value = getattr(obj, name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name == "featured_image":
        return value.name or ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")  # browsers send a textarea's lines with CRLF
    return value


def _set(obj, name, value):
    field = obj._meta.get_field(name)
    if field.is_relation:
        setattr(obj, field.attname, value)
    elif name in DATE_FIELDS:
        setattr(obj, name, datetime.date.fromisoformat(value) if value else None)
    else:
        setattr(obj, name, value)


class KeyPointRows:
    """A page's key points in its revisions: each {"id", "position", "text", link}, where the
    link names the section that supports the point (an article's by its anchor, a topic
    page's by the section's id). Revisions made before key points existed have none."""

    def __init__(self, model, parent, link):
        self.model, self.parent, self.link = model, parent, link
        self.names = ["position", "text", link]

    def snapshot(self, page, rows=None):
        if rows is None:
            rows = self.model.objects.filter(**{self.parent: page}).order_by("position", "id")
        return [{"id": row.pk, **{name: _value(row, name) for name in self.names}} for row in rows]

    def objects(self, page, content):
        """Unsaved objects with the revision's values, stored ones keeping their ids."""
        stored = {row.pk: row for row in self.model.objects.filter(**{self.parent: page})}
        shown = []
        for entry in content.get("key_points", []):
            row = stored.get(entry["id"]) or self.model(**{self.parent: page})
            for name in self.names:
                _set(row, name, entry[name])
            shown.append(row)
        return shown

    def normalized(self, page, entries, keep=lambda entry: True):
        stored = set(self.model.objects.filter(**{self.parent: page}).values_list("pk", flat=True))
        return [
            {**entry, "id": entry["id"] if entry["id"] in stored else None}
            for entry in entries
            if keep(entry)
        ]

    def apply(self, page, entries):
        """Only the points that change are written, one by one, so their history is whole."""
        stored = {row.pk: row for row in self.model.objects.filter(**{self.parent: page})}
        kept = {entry["id"] for entry in entries if entry["id"]}
        for pk in stored.keys() - kept:
            stored.pop(pk).delete()
        for entry in entries:
            row = stored.get(entry["id"]) or self.model(**{self.parent: page})
            before = [_value(row, name) for name in self.names] if row.pk else None
            for name in self.names:
                _set(row, name, entry[name])
            if before != [_value(row, name) for name in self.names]:
                row.save()

    def describe(self, old, new):
        return (
            ["changed the key points"]
            if old.get("key_points", []) != new.get("key_points", [])
            else []
        )

    def differences(self, old, new, linked):
        """The points in words, each with where it leads (`linked` names a link)."""
        listing = lambda entries: "\n".join(  # noqa: E731
            f"{e['text']} (→ {linked(e[self.link])})" for e in entries
        )
        before, after = old.get("key_points", []), new.get("key_points", [])
        if listing(before) == listing(after):
            return []
        return [(_("Key points"), word_diff(listing(before), listing(after)))]

    def merge(self, merge, base, theirs, mine):
        return merge.rows(
            "key_points.",
            base.get("key_points", []),
            theirs.get("key_points", []),
            mine.get("key_points", []),
            identity=lambda e: ("id", e["id"]) if e["id"] else ("text", e["text"]),
            names=self.names,
            label=lambda e: _("Key point “%(text)s”") % {"text": e["text"]},
        )


ARTICLE_POINTS = KeyPointRows(KeyPoint, "article", "anchor")
TOPIC_POINTS = KeyPointRows(TopicKeyPoint, "page", "section")


class PageKind:
    """What every kind of reviewed content has in common: a page with a status (draft or
    published), a schedule and review dates."""

    model = None
    scheduled = True  # has go-live and take-down times
    dated_review = True  # has "reviewed by", "last reviewed" and "next review due"
    discern = True  # reviewed with the DISCERN checklist (publishing.discern): a page

    def is_live(self, page):
        return page.status == page.Status.PUBLISHED

    def title(self, content):
        return content["fields"].get("title") or "—"

    def empty(self):
        """The content of a page patients cannot see: nothing."""
        return {"fields": {}, "sections": [], "facts": [], "key_points": []}

    def live_content(self, page):
        """What patients see of the page now."""
        return self.snapshot(page) if self.is_live(page) else self.empty()

    def go_live(self, page):
        page.publish()
        page.go_live_at = None

    def take_down(self, page):
        page.unpublish()
        page.expires_at = None

    def sections_removed(self, page, content):
        return []

    # What patients read, for the checks at review (publishing.review_checks): each as
    # (where on the page, its words), and the citation keys each place cites.

    def texts(self, page, content, rows=None):
        return _field_texts(content["fields"], self.text_fields)

    def citations(self, page, content, rows=None):
        return []


class ArticlePages(PageKind):
    model = Article

    def snapshot(self, article, sections=None, key_points=None):
        sections = article.sections.order_by("position", "id") if sections is None else sections
        return {
            "fields": {name: _value(article, name) for name in ARTICLE_FIELDS},
            "sections": [
                {"id": section.pk, **{name: _value(section, name) for name in SECTION_FIELDS}}
                for section in sections
            ],
            "key_points": ARTICLE_POINTS.snapshot(article, key_points),
        }

    def overlay(self, article, content, *, for_preview=False):
        """`article` with the revision's fields, and its sections as the revision has them:
        unsaved objects, for forms and previews. Only a preview renders their Markdown: a
        form shows the text as written, and saving renders it anyway."""
        for name, value in content["fields"].items():
            _set(article, name, value)
        if for_preview:
            article.attribution_html = render_markdown(article.attribution)
            _size_unstored_image(article)
        stored = {s.pk: s for s in Section.objects.filter(article=article)}
        sections = []
        for entry in content["sections"]:
            section = stored.get(entry["id"]) or Section(article=article)
            for name in SECTION_FIELDS:
                _set(section, name, entry[name])
            section.article = article
            if for_preview:
                section.derive()
            sections.append(section)
        return article, sections

    def normalized(self, article, content):
        """`content` fit for the page as it is now: a section deleted since is a new one, and
        a featured image removed from storage since (no page showed it) is left out."""
        existing = set(Section.objects.filter(article=article).values_list("pk", flat=True))
        sections = [
            {**entry, "id": entry["id"] if entry["id"] in existing else None}
            for entry in content["sections"]
        ]
        fields = content["fields"]
        image = fields.get("featured_image")
        if image and not default_storage.exists(image):
            fields = {**fields, "featured_image": ""}
        key_points = ARTICLE_POINTS.normalized(article, content.get("key_points", []))
        return {**content, "fields": fields, "sections": sections, "key_points": key_points}

    def images(self, content):
        """The stored images `content` shows: the featured image and those in the text."""
        fields = content["fields"]
        names = stored_images_in(fields.get("attribution", ""))
        if fields.get("featured_image"):
            names.add(fields["featured_image"])
        for entry in content["sections"]:
            names |= stored_images_in(entry["body"])
        return names

    def sections_removed(self, article, content):
        kept = {entry["id"] for entry in content["sections"] if entry["id"]}
        return list(Section.objects.filter(article=article).exclude(pk__in=kept))

    @transaction.atomic
    def apply(self, article, content):
        """Write the revision into the page's rows: what patients will see. Only the
        sections it changes are written, so their history records what really changed."""
        stored = {
            row["id"]: row
            for row in Section.objects.filter(article=article).values("id", *SECTION_FIELDS)
        }
        article, sections = self.overlay(article, content)
        _check_address_free(article)
        save_article(article)
        removed = self.sections_removed(article, content)
        for section in removed:
            try:
                section.delete()
            except ProtectedError as error:
                raise WorkflowError(
                    _("“%(heading)s” is shown on other pages; remove it from them first.")
                    % {"heading": section.heading or _("Introduction")}
                ) from error
        wanted = {section.anchor for section in sections}
        used = set()
        for section in sections:
            if not section.anchor or section.anchor in used:
                # Two drafts took one anchor: the later gets one no section wants.
                section.anchor = free_anchor(section.anchor or section.heading, wanted | used)
            used.add(section.anchor)
        changed = [
            section
            for section in sections
            if section.pk is None
            or any(getattr(section, name) != stored[section.pk][name] for name in SECTION_FIELDS)
        ]
        # Free the anchors that move first: sections may swap theirs, and anchors are unique.
        moving = [s.pk for s in changed if s.pk and s.anchor != stored[s.pk]["anchor"]]
        for pk in moving:
            Section.objects.filter(pk=pk).update(anchor=f"moving-{uuid.uuid4().hex}")
        for section in changed:
            save_section(section)
        ARTICLE_POINTS.apply(article, content.get("key_points", []))

    def describe(self, old, new):
        """What changed from `old` to `new`, in an editor's words."""
        changes = _field_changes(old["fields"], new["fields"])
        before = {entry["id"]: entry for entry in old["sections"] if entry["id"]}
        after_ids = {entry["id"] for entry in new["sections"] if entry["id"]}
        for entry in new["sections"]:
            name = entry["heading"] or "Introduction"
            if not entry["id"] or entry["id"] not in before:
                changes.append(f"added section “{name}”")
                continue
            previous = before[entry["id"]]
            edited = [
                label for label in ("heading", "body", "level") if previous[label] != entry[label]
            ]
            if "body" in edited:
                changes.append(f"edited the text of “{name}”")
            elif edited:
                changes.append(f"changed the {' and '.join(edited)} of “{name}”")
        for entry_id, entry in before.items():
            if entry_id not in after_ids:
                changes.append(f"removed section “{entry['heading'] or 'Introduction'}”")
        if [e["id"] for e in old["sections"] if e["id"] in after_ids] != [
            e["id"] for e in new["sections"] if e["id"] in before
        ]:
            changes.append("reordered the sections")
        return changes + ARTICLE_POINTS.describe(old, new)

    def differences(self, old, new):
        shown = _field_differences(old["fields"], new["fields"])
        headings = {e["anchor"]: e["heading"] or _("Introduction") for e in new["sections"]}
        shown += ARTICLE_POINTS.differences(old, new, lambda anchor: headings.get(anchor, anchor))
        before = {entry["id"]: entry for entry in old["sections"] if entry["id"]}
        for entry in new["sections"]:
            previous = before.pop(entry["id"], None) if entry["id"] else None
            old_text = _section_text(previous) if previous else ""
            new_text = _section_text(entry)
            if old_text != new_text or previous is None:
                label = _("Section “%(heading)s”") % {
                    "heading": entry["heading"] or _("Introduction")
                }
                shown.append(
                    (label + ("" if previous else _(" (new)")), word_diff(old_text, new_text))
                )
        for entry in before.values():
            label = _("Section “%(heading)s” (removed)") % {
                "heading": entry["heading"] or _("Introduction")
            }
            shown.append((label, word_diff(_section_text(entry), "")))
        order = lambda entries: "\n".join(e["heading"] or _("Introduction") for e in entries)  # noqa: E731
        if old["sections"] and order(old["sections"]) != order(new["sections"]):
            shown.append(
                (_("Order of sections"), word_diff(order(old["sections"]), order(new["sections"])))
            )
        return shown

    text_fields = ["title", "summary", "standfirst", "attribution"]

    def _sections(self, article, content, rows):
        """(where, heading, html, text) of each section: a stored row's rendered text where
        the revision's body is the row's, rendered afresh where it is not."""
        if rows is None:
            rows = {row.pk: row for row in Section.objects.filter(article=article)}
        shown = []
        for entry in content["sections"]:
            row = rows.get(entry["id"]) if entry["id"] else None
            if row is not None and row.body == entry["body"] and row.body_html:
                html, text = row.body_html, row.body_text
            else:
                html = render_markdown(entry["body"])
                text = plain_text(html)
            heading = entry["heading"] or _("Introduction")
            where = _("Section “%(heading)s”") % {"heading": heading}
            shown.append((where, entry["heading"], html, text))
        return shown

    def texts(self, article, content, rows=None):
        texts = _field_texts(content["fields"], self.text_fields, markdown={"attribution"})
        texts += _key_point_texts(content)
        texts += [
            (where, f"{heading}\n{text}".strip())
            for where, heading, _html, text in self._sections(article, content, rows)
        ]
        return texts

    def citations(self, article, content, rows=None):
        return [
            (where, key)
            for where, _heading, html, _text in self._sections(article, content, rows)
            for key in cited_keys(html)
        ]

    def merge(self, base, theirs, mine, choices=None):
        """Mine merged into theirs from base (see publishing.merging): (content, conflicts)."""
        merge = Merge(choices)
        fields = merge.fields("fields.", base["fields"], theirs["fields"], mine["fields"], _label)
        sections = merge.rows(
            "sections.",
            base["sections"],
            theirs["sections"],
            mine["sections"],
            identity=lambda e: ("id", e["id"]) if e["id"] else ("anchor", e["anchor"]),
            names=SECTION_FIELDS,
            label=lambda e: (
                _("Section “%(heading)s”") % {"heading": e["heading"] or _("Introduction")}
            ),
        )
        sections.sort(key=lambda entry: entry["position"])
        key_points = ARTICLE_POINTS.merge(merge, base, theirs, mine)
        key_points.sort(key=lambda entry: entry["position"])
        content = {**mine, "fields": fields, "sections": sections, "key_points": key_points}
        return content, merge.conflicts


class TopicPages(PageKind):
    model = TopicPage

    def snapshot_fields(self, page):
        return {name: _value(page, name) for name in TOPIC_FIELDS}

    def snapshot(self, page):
        return {
            "fields": self.snapshot_fields(page),
            "sections": list(
                page.topic_sections.order_by("position", "id").values_list("section_id", flat=True)
            ),
            "facts": [
                {"id": fact.pk, **{name: _value(fact, name) for name in FACT_FIELDS}}
                for fact in page.facts.order_by("aspect", "id")
            ],
            "key_points": TOPIC_POINTS.snapshot(page),
        }

    def overlay(self, page, content, *, for_preview=False):
        for name, value in content["fields"].items():
            _set(page, name, value)
        if for_preview:
            page.intro_html = render_markdown(page.intro)
        return page

    def normalized(self, page, content):
        """`content` fit for the page as it is now: sections deleted since are left out, and
        comparison entries citing them too; an entry deleted since is a new one."""
        points = content.get("key_points", [])
        wanted = set(content["sections"]) | {entry["section"] for entry in content["facts"]}
        wanted |= {entry["section"] for entry in points}
        existing = set(Section.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        facts_now = set(TreatmentFact.objects.filter(treatment=page).values_list("pk", flat=True))
        return {
            **content,
            "sections": [pk for pk in content["sections"] if pk in existing],
            "facts": [
                {**entry, "id": entry["id"] if entry["id"] in facts_now else None}
                for entry in content["facts"]
                if entry["section"] in existing
            ],
            "key_points": TOPIC_POINTS.normalized(
                page, points, keep=lambda entry: entry["section"] in existing
            ),
        }

    def images(self, content):
        return stored_images_in(content["fields"].get("intro", ""))

    @transaction.atomic
    def apply(self, page, content):
        """Write the revision into the page's rows. Each row is saved or deleted on its own,
        and only if it changes, so the rows' history records every change."""
        content = self.normalized(page, content)
        page = self.overlay(page, content)
        _check_address_free(page)
        page.save()
        rows = {row.section_id: row for row in TopicSection.objects.filter(page=page)}
        for section_id in rows.keys() - set(content["sections"]):
            rows[section_id].delete()
        for position, section_id in enumerate(content["sections"], 1):
            row = rows.get(section_id) or TopicSection(page=page, section_id=section_id)
            if row.pk is None or row.position != position:
                row.position = position
                row.save()
        facts = {fact.pk: fact for fact in TreatmentFact.objects.filter(treatment=page)}
        wanted = {entry["id"] for entry in content["facts"] if entry["id"]}
        for pk in facts.keys() - wanted:
            facts.pop(pk).delete()
        updates = []
        for entry in content["facts"]:
            fact = facts.get(entry["id"]) or TreatmentFact(treatment=page)
            before = [_value(fact, name) for name in FACT_FIELDS] if fact.pk else None
            for name in FACT_FIELDS:
                _set(fact, name, entry[name])
            if before != [_value(fact, name) for name in FACT_FIELDS]:
                updates.append(fact)
        # An aspect moving from one entry to another must not collide half-way: the entries
        # that change let go of their aspects first.
        for fact in updates:
            if fact.pk:
                TreatmentFact.objects.filter(pk=fact.pk).update(aspect=f"moving-{fact.pk}"[:20])
        for fact in updates:
            fact.save()
        TOPIC_POINTS.apply(page, content.get("key_points", []))

    def describe(self, old, new):
        changes = _field_changes(old["fields"], new["fields"])
        if old["sections"] != new["sections"]:
            added = [s for s in new["sections"] if s not in old["sections"]]
            removed = [s for s in old["sections"] if s not in new["sections"]]
            headings = dict(
                Section.objects.filter(pk__in=added + removed).values_list("pk", "heading")
            )
            changes += [f"added section “{headings.get(s) or 'Introduction'}”" for s in added]
            changes += [f"removed section “{headings.get(s) or 'Introduction'}”" for s in removed]
            if not added and not removed:
                changes.append("reordered the sections")
        if old["facts"] != new["facts"]:
            changes.append("changed the comparison table")
        return changes + TOPIC_POINTS.describe(old, new)

    def differences(self, old, new):
        linked = {e["section"] for e in old.get("key_points", []) + new.get("key_points", [])}
        headings = dict(
            Section.objects.filter(
                pk__in=set(old["sections"] + new["sections"]) | linked
            ).values_list("pk", "heading")
        )
        shown = _field_differences(old["fields"], new["fields"])
        shown += TOPIC_POINTS.differences(
            old, new, lambda pk: headings.get(pk) or _("Introduction")
        )
        if old["sections"] != new["sections"]:
            listing = lambda ids: "\n".join(headings.get(i) or _("Introduction") for i in ids)  # noqa: E731
            shown.append(
                (_("Sections shown"), word_diff(listing(old["sections"]), listing(new["sections"])))
            )
        if old["facts"] != new["facts"]:
            facts = lambda entries: "\n".join(f"{e['aspect']}: {e['text']}" for e in entries)  # noqa: E731
            shown.append(
                (_("Comparison table"), word_diff(facts(old["facts"]), facts(new["facts"])))
            )
        return shown

    text_fields = ["title", "summary", "intro"]

    def _sections(self, content, rows):
        """(where, heading, html, text) of each section the page shows, as stored: a topic
        page shows its articles' sections as they are published."""
        if rows is None:
            rows = Section.objects.filter(pk__in=content["sections"]).select_related("article")
            rows = {row.pk: row for row in rows}
        shown = []
        for pk in content["sections"]:
            row = rows.get(pk)
            if row is None:
                continue
            where = _("Section “%(heading)s” (from “%(article)s”)") % {
                "heading": row.heading or _("Introduction"),
                "article": row.article.title,
            }
            shown.append((where, row.heading, row.body_html, row.body_text))
        return shown

    def texts(self, page, content, rows=None):
        texts = _field_texts(content["fields"], self.text_fields, markdown={"intro"})
        texts += _key_point_texts(content)
        aspects = dict(TreatmentFact.Aspect.choices)
        texts += [
            (
                _("Comparison: %(aspect)s") % {"aspect": aspects.get(e["aspect"], e["aspect"])},
                e["text"],
            )
            for e in content["facts"]
        ]
        texts += [
            (where, f"{heading}\n{text}".strip())
            for where, heading, _html, text in self._sections(content, rows)
        ]
        return texts

    def citations(self, page, content, rows=None):
        return [
            (where, key)
            for where, _heading, html, _text in self._sections(content, rows)
            for key in cited_keys(html)
        ]

    def merge(self, base, theirs, mine, choices=None):
        merge = Merge(choices)
        fields = merge.fields("fields.", base["fields"], theirs["fields"], mine["fields"], _label)
        sections = merge.order(
            "sections.order",
            _("Order of the sections shown"),
            base["sections"],
            theirs["sections"],
            mine["sections"],
        )
        aspects = dict(TreatmentFact.Aspect.choices)
        facts = merge.rows(
            "facts.",
            base["facts"],
            theirs["facts"],
            mine["facts"],
            identity=lambda e: ("id", e["id"]) if e["id"] else ("aspect", e["aspect"]),
            names=FACT_FIELDS,
            label=lambda e: (
                _("Comparison entry “%(aspect)s”")
                % {"aspect": aspects.get(e["aspect"], e["aspect"])}
            ),
        )
        key_points = TOPIC_POINTS.merge(merge, base, theirs, mine)
        key_points.sort(key=lambda entry: entry["position"])
        content = {
            **mine,
            "fields": fields,
            "sections": sections,
            "facts": facts,
            "key_points": key_points,
        }
        return content, merge.conflicts


class FieldsOnly(PageKind):
    """Content that is only fields, no rows of its own: the safety texts, a glossary entry."""

    fields = []
    scheduled = False
    dated_review = False
    discern = False  # a term, or the safety texts: not a page about a treatment

    @property
    def text_fields(self):
        return self.fields

    def empty(self):
        return {"fields": {}}

    def snapshot(self, page):
        return {"fields": {name: _value(page, name) for name in self.fields}}

    def overlay(self, page, content, *, for_preview=False):
        for name in self.fields:
            if name in content["fields"]:
                _set(page, name, content["fields"][name])
        return page

    def normalized(self, page, content):
        return content

    def images(self, content):
        return set()

    def describe(self, old, new):
        return _field_changes(old["fields"], new["fields"])

    def differences(self, old, new):
        return _field_differences(old["fields"], new["fields"])

    def merge(self, base, theirs, mine, choices=None):
        merge = Merge(choices)
        fields = merge.fields("fields.", base["fields"], theirs["fields"], mine["fields"], _label)
        return {"fields": fields}, merge.conflicts


class SafetyTexts(FieldsOnly):
    """The texts patients rely on in a crisis, and the disclaimer: on every page, and as
    safety-critical as any page, so changed only through clinical review. The clinic's
    contact details and home page texts are edited directly; they are not these."""

    model = ClinicSettings
    fields = SAFETY_FIELDS

    def is_live(self, clinic):
        return True  # the site always shows them

    def title(self, content):
        return _("Safety texts: crisis strip, crisis message and disclaimer")

    def apply(self, clinic, content):
        self.overlay(clinic, content).save(update_fields=SAFETY_FIELDS)

    def go_live(self, clinic):
        pass

    def take_down(self, clinic):
        raise WorkflowError(_("The safety texts are always shown; change them instead."))


class GlossaryEntries(FieldsOnly):
    """A term and its plain definition: shown where pages use the term, so reviewed like a
    page, and public only once published."""

    model = GlossaryEntry
    fields = GLOSSARY_FIELDS

    def title(self, content):
        return _("Glossary: %(term)s") % {"term": content["fields"].get("term") or "—"}

    def apply(self, entry, content):
        entry = self.overlay(entry, content)
        _check_address_free(entry)
        entry.save()

    def go_live(self, entry):
        entry.publish()

    def take_down(self, entry):
        entry.unpublish()


def _field_changes(old, new):
    changed = [name for name in new if old.get(name) != new[name]]
    return [f"changed the {LABELS.get(name, name.replace('_', ' '))}" for name in changed]


def _label(name):
    return LABELS.get(name, name.replace("_", " ")).capitalize()


def _field_differences(old, new):
    shown = []
    for name, value in new.items():
        before = old.get(name)
        if before != value and (before or value):
            label = LABELS.get(name, name.replace("_", " ")).capitalize()
            shown.append((label, word_diff(str(before or ""), str(value or ""))))
    return shown


def _field_texts(fields, names, markdown=()):
    """(label, words) of each of `names` the content has; Markdown ones as read."""
    texts = []
    for name in names:
        value = fields.get(name) or ""
        if name in markdown:
            value = plain_text(render_markdown(value))
        if str(value).strip():
            texts.append((_label(name), str(value)))
    return texts


def _key_point_texts(content):
    return [
        (_("Key point %(number)s") % {"number": number}, entry["text"])
        for number, entry in enumerate(content.get("key_points", []), 1)
    ]


def _check_address_free(page):
    """Refuse, in words, a page whose address another page of its kind took meanwhile."""
    if type(page).objects.exclude(pk=page.pk).filter(slug=page.slug).exists():
        raise WorkflowError(
            _(
                "Its address “%(slug)s” is now used by another page. Change the address "
                "(slug), then submit it again."
            )
            % {"slug": page.slug}
        )


# Translations are content of their own kind, built on PageKind (publishing.translating).
from .translating import TranslationKind  # noqa: E402

KINDS = {
    Article: ArticlePages(),
    TopicPage: TopicPages(),
    ClinicSettings: SafetyTexts(),
    GlossaryEntry: GlossaryEntries(),
    TranslationKind.model: TranslationKind(),
}


def kind_of(page):
    return KINDS[type(page)]


def kind_for(model):
    return KINDS[model]


def differences(page, old, new):
    """What differs between two revisions' content, for a reviewer: a list of
    (what, word-level parts) for each field, section or list that changed."""
    return kind_of(page).differences(old, new)


def _section_text(entry):
    heading = f"{'#' * entry['level']} {entry['heading']}".strip()
    return f"{heading}\n(address #{entry['anchor']})\n\n{entry['body']}".strip()


def _size_unstored_image(article):
    """Sizes for a featured image the rows do not have yet (a revision's new upload), read
    from the file, so a preview shows it; its smaller copies are made on publication."""
    if not article.featured_image:
        article.featured_image_renditions = []
    elif not renditions_match(article):
        try:
            width, height = get_image_dimensions(article.featured_image)
        except (OSError, ValueError):
            width = height = None
        article.featured_image_renditions = [
            {"url": article.featured_image.url, "width": width, "height": height}
        ]
