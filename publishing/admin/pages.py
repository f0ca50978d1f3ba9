"""The admins of reviewed content, registered once each: articles, sections, topic pages,
comparison entries and the clinic's safety texts.

They are glue between the admins the content apps define and the workflow: a form's save
becomes `workflow.save_draft` (a live page's change waits as a revision; a draft page's rows
take it), deletions and the unpublish action call the workflow too, and the form shows the
page's newest revision. Nothing here locks, publishes or decides what patients see.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.formsets import all_valid
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles import admin as article_admins
from articles.history import word_diff
from articles.models import Article, KeyPoint, Section
from articles.rendering import render_markdown
from articles.services import ImageNotStored, store_featured_image
from clinic.admin import ClinicSettingsAdmin as PlainClinicSettingsAdmin
from clinic.models import ClinicSettings
from glossary.admin import GlossaryEntryAdmin as PlainGlossaryEntryAdmin
from glossary.models import GlossaryEntry
from references.citations import cited_keys
from references.models import Reference
from topics import admin as topic_admins
from topics.models import TopicKeyPoint, TopicPage, TopicSection, TreatmentFact
from translations.models import Translation, other_languages
from translations.spec import source_words, translatable

from .. import workflow
from ..errors import EditConflict
from ..models import ReviewComment, Revision
from ..pages import (
    ARTICLE_POINTS,
    SAFETY_FIELDS,
    SECTION_FIELDS,
    TOPIC_POINTS,
    kind_for,
    kind_of,
)
from ..translating import load_source
from ..views import ArticleContentPreview
from ..workflow import WorkflowError, is_live
from .forms import RevisionedForm

REVIEW_FIELDS = ["reviewed_by", "last_reviewed_on", "next_review_on"]
POINTS = {Article: ARTICLE_POINTS, TopicPage: TOPIC_POINTS}
CHOICE_PREFIX = "merge:"
SCHEDULE_FIELDS = ["go_live_at", "expires_at"]


# What an editor is working on, read once per request -------------------------------------


class EditingState:
    """Where a page's editing stands, for its form and its save, read once per request.

    Showing the form (or adding a row on its own, which carries no token): the page's newest
    revision (pending, or what is live). Saving it: the revision the form was made from,
    which its edit token names; each posted row is found
    as that revision had it, and the workflow, reading the newest revision once under its
    lock, merges the save with anything saved since."""

    def __init__(self, request, page):
        kind = kind_of(page)
        revisions = Revision.objects.of(page)
        if request.method == "POST" and "edit_token" in request.POST:
            posted = request.POST["edit_token"]
            base = revisions.filter(pk=posted).first() if posted.isdigit() else None
            self.token = str(base.pk) if base else "0"
            self.pending = base if base and base.status != Revision.Status.PUBLISHED else None
            self.content = kind.normalized(page, base.content) if base else kind.snapshot(page)
            self.from_revision = base is not None
        else:
            latest = revisions.first()
            self.token = str(latest.pk) if latest else "0"
            self.pending = latest if latest and latest.status != Revision.Status.PUBLISHED else None
            pending = self.pending
            self.content = (
                kind.normalized(page, pending.content) if pending else kind.snapshot(page)
            )
            self.from_revision = pending is not None
        self.page = page

    @cached_property
    def comments(self):
        """The reviewers' comments on the page not yet resolved."""
        return list(
            ReviewComment.objects.filter(
                revision__in=Revision.objects.of(self.page), resolved_at__isnull=True
            ).select_related("created_by__staff_profile")
        )


def editing(request, page):
    """The page's EditingState, read once per request whatever asks: the form, each inline,
    the save."""
    states = request.__dict__.setdefault("_publishing_editing", {})
    key = (type(page), page.pk)
    if key not in states:
        states[key] = EditingState(request, page)
    return states[key]


def conflict_context(conflict):
    """What the form shows of a conflict: each part both changed, their version and the
    editor's side by side, each marked where it differs from the other."""
    latest = conflict.latest
    return {
        "against": latest.pk,
        "who": latest.created_by.get_full_name() or latest.created_by.get_username()
        if latest.created_by
        else _("Someone"),
        "when": latest.created_at,
        "parts": [
            {
                "name": CHOICE_PREFIX + part.key,
                "label": part.label,
                "differences": word_diff(part.theirs_text, part.mine_text),
            }
            for part in conflict.conflicts
        ],
    }


# Inline rows as the page's newest revision has them --------------------------------------


class PendingRowsFormSet(BaseInlineFormSet):
    """An inline's rows as the page's pending revision has them: `rows` are stored objects
    with the revision's values, `new_rows` the initial data of rows it adds."""

    def __init__(self, *args, rows=None, new_rows=(), **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)
        if rows is not None:
            self.initial_extra = list(new_rows)
            self.extra = len(new_rows)

    def get_queryset(self):
        return super().get_queryset() if self.rows is None else self.rows


class PendingRowsInline:
    formset = PendingRowsFormSet


class PendingSectionsFormSet(PendingRowsFormSet, article_admins.SectionFormSet):
    """A page's sections, each with the reviewer's comments on it still open (shown beside
    it by the inline's template)."""

    def __init__(self, *args, comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:
            section = form.instance
            section.review_comments = [
                c
                for c in comments
                if (c.section_id and c.section_id == section.pk)
                or (not c.section_id and c.anchor and c.anchor == section.anchor)
            ]


class SectionInline(article_admins.SectionInline):
    formset = PendingSectionsFormSet
    template = "admin/publishing/edit_inline/stacked_sections.html"


class PendingKeyPointsFormSet(PendingRowsFormSet, article_admins.KeyPointFormSet):
    pass


class KeyPointInline(article_admins.KeyPointInline):
    formset = PendingKeyPointsFormSet


class PendingTopicKeyPointsFormSet(PendingRowsFormSet, topic_admins.TopicKeyPointFormSet):
    pass


class TopicKeyPointInline(topic_admins.TopicKeyPointInline):
    formset = PendingTopicKeyPointsFormSet


class TopicSectionInline(PendingRowsInline, topic_admins.TopicSectionInline):
    pass


class TreatmentFactInline(PendingRowsInline, topic_admins.TreatmentFactInline):
    pass


def formset_rows(formset, current):
    """The rows of an inline as the editor left them: (object, its id or None), in order.

    `current` maps the ids of the rows the page's newest revision has to objects for them.
    As in Django's own formsets, a row is removed only by its delete box: a row the form
    did not post is kept as it was.
    """
    rows, spoken_for = [], set()
    for index, form in enumerate(formset.forms):
        existing = index < formset.initial_form_count() and form.instance.pk is not None
        if existing:
            spoken_for.add(form.instance.pk)
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if existing or form.cleaned_data:
            rows.append((form.instance, form.instance.pk if existing else None))
        elif form.initial:  # a row the revision added, left as it was
            rows.append((_instance_from_initial(formset.model, form.initial), None))
    rows += [(obj, pk) for pk, obj in current.items() if pk not in spoken_for]
    return rows


def _instance_from_initial(model, initial):
    """An unsaved `model` from a form's initial data (foreign keys given as ids)."""
    values = {}
    for name, value in initial.items():
        field = model._meta.get_field(name)
        values[field.attname if field.is_relation else name] = getattr(value, "pk", value)
    return model(**values)


# The glue every reviewed admin shares ----------------------------------------------------


class Revisioned:
    """A form whose save goes to the workflow. The workflow refusing it (someone saved the
    page meanwhile, or the content cannot be taken) shows the form again, nothing saved,
    the editor's text kept, the reason at the top."""

    form = RevisionedForm
    change_form_template = "admin/publishing/change_form.html"

    def page_of(self, obj):
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, ImageNotStored) as refusal:
            if request.method != "POST":
                raise
            # The save's transaction is rolled back. Shown again, the form says why; a
            # conflict shows both versions of each part both editors changed.
            request._publishing_refusal = refusal
            request.__dict__.pop("_publishing_editing", None)
            extra_context = {**(extra_context or {})}
            if isinstance(refusal, EditConflict):
                extra_context["edit_conflict"] = conflict_context(refusal)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The admin makes a new form class at every call: these are this request's.
        form.refusal = getattr(request, "_publishing_refusal", None)
        if obj is not None:
            form.opened_at = editing(request, self.page_of(obj)).token
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A row's old version is not put back on its own (that would skip review, and restore
        a section without its page): its page's revisions are restored instead."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        page = self.page_of(obj)
        self.message_user(
            request,
            _(
                "Restore the whole page from one of its revisions: it becomes a new draft, which "
                "a clinical reviewer approves before patients see it."
            ),
            messages.INFO,
        )
        return redirect("admin:publishing_revision_page", page._meta.model_name, page.pk)

    def save_draft(self, request, page, content, form, *, change=True):
        """Keep the form's content through the workflow; the revision is what the log says.
        A new row (a section, an entry) added on its own is checked against nothing."""
        based_on = (form.cleaned_data.get("edit_token") or "0") if change else None
        revision = workflow.save_draft(
            page,
            content,
            user=request.user,
            based_on=based_on,
            choices={
                name.removeprefix(CHOICE_PREFIX): value
                for name, value in request.POST.items()
                if name.startswith(CHOICE_PREFIX)
            },
            choices_against=request.POST.get("merge_against"),
        )
        request._publishing_saved = revision
        self.after_save(request, page)
        return revision

    def after_save(self, request, page):
        """What the editor asked for with their save: comments resolved, the draft submitted."""
        workflow.resolve_comments(page, request.POST.getlist("resolve_comment"), user=request.user)
        if "_save_and_submit" in request.POST:
            if not request.user.has_perm("publishing.submit_revision"):
                raise PermissionDenied
            workflow.submit(page, user=request.user)
            request._publishing_submitted = True

    def review_state(self, request, obj):
        """Where the page's review stands, for the top of its form, and the next step."""
        page = self.page_of(obj)
        state = editing(request, page)
        pending = state.pending
        may_submit = request.user.has_perm("publishing.submit_revision")
        return {
            "pending": pending,
            "sent_back": pending
            if pending and pending.status == Revision.Status.SENT_BACK
            else None,
            "comments": self.comments_on_top(request, obj, state.comments),
            "may_submit": may_submit
            and pending is not None
            and pending.status in (Revision.Status.DRAFT, Revision.Status.SENT_BACK)
            and request.method == "GET",
            "may_save_and_submit": may_submit,
        }

    def comments_on_top(self, request, obj, comments):
        """The reviewer's comments not shown beside a section of the form."""
        return comments

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["review_state"] = self.review_state(request, obj)
        elif self.has_submit_permission(request):
            context["review_state"] = {"may_save_and_submit": False}
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_submit_permission(self, request):
        return request.user.has_perm("publishing.submit_revision")

    def submitted_response(self, request):
        """After "Save and submit": back to the form, saying what happened."""
        if getattr(request, "_publishing_submitted", False):
            self.message_user(request, SUBMITTED, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return None

    def construct_change_message(self, request, form, formsets, add=False):
        saved = getattr(request, "_publishing_saved", None)
        if saved is not None:
            return saved.summary
        return super().construct_change_message(request, form, formsets, add)

    @staticmethod
    def workflow_state(page):
        """Where the page stands, with links to its draft's review, its revisions and its
        translations."""
        pending = workflow.pending_revision(page)
        links = [
            (
                reverse("admin:publishing_revision_page", args=[page._meta.model_name, page.pk]),
                _("All revisions"),
            ),
            *translation_links(page),
        ]
        if pending:
            links.insert(0, (workflow.revision_url(pending), _("Review or submit this draft")))
            return format_html(
                "{} {}",
                _("%(state)s: revision %(id)s (%(status)s), %(summary)s.")
                % {
                    "state": _("Changes waiting") if is_live(page) else _("Draft"),
                    "id": pending.pk,
                    "status": pending.get_status_display().lower(),
                    "summary": pending.summary,
                },
                format_html_join(" · ", '<a href="{}">{}</a>', links),
            )
        state = (
            _("Published. Saving changes keeps them as a draft for clinical review.")
            if is_live(page)
            else _("Draft, not yet submitted for review.")
        )
        return format_html("{} {}", state, format_html_join(" · ", '<a href="{}">{}</a>', links))


def translation_links(page):
    """A link to each of the page's translations (saying if the English changed since), and
    to start one in each language it lacks."""
    if not translatable(page):
        return []
    translations = Translation.objects.of_model(type(page)).filter(object_id=page.pk)
    found = {translation.language: translation for translation in translations}
    content_type = ContentType.objects.get_for_model(page)
    words = None
    links = []
    for code, name in other_languages():
        translation = found.get(code)
        if translation is None:
            url = reverse("admin:translations_translation_add")
            links.append(
                (
                    f"{url}?source={content_type.pk}:{page.pk}&language={code}",
                    _("Translate into %(language)s") % {"language": name},
                )
            )
            continue
        if words is None:  # as published: the form's page holds its pending draft
            words = source_words(load_source(content_type.pk, page.pk))
        state = (
            _("the English changed since")
            if translation.changes_since(words)
            else (_("live") if translation.is_live else _("draft"))
        )
        links.append(
            (
                reverse("admin:translations_translation_change", args=[translation.pk]),
                _("%(language)s translation (%(state)s)") % {"language": name, "state": state},
            )
        )
    return links


class RevisionedPage(Revisioned):
    """An article's or topic page's admin: the form shows the newest revision (inline rows
    included); saves, the unpublish action and deletions go through the workflow."""

    actions = ["submit_for_review", "unpublish"]

    def get_readonly_fields(self, request, obj=None):
        review = REVIEW_FIELDS if kind_for(self.model).dated_review else []
        return [*super().get_readonly_fields(request, obj), "status", *review, "workflow"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [list(fieldset) for fieldset in super().get_fieldsets(request, obj)]
        first = dict(fieldsets[0][1])
        first["fields"] = [*first["fields"], "workflow", *(["edit_token"] if obj else [])]
        fieldsets[0][1] = first
        if kind_for(self.model).scheduled:
            fieldsets.append((_("Schedule"), {"fields": [tuple(SCHEDULE_FIELDS)]}))
        return fieldsets

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        pending = page and editing(request, page).pending
        if pending:
            kind_of(page).overlay(page, editing(request, page).content)
        return page

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        state = obj is not None and obj.pk and editing(request, obj)
        if state and state.from_revision:
            rows, new_rows = self.pending_rows(obj, state.content)[inline.model]
            kwargs.update(rows=rows, new_rows=new_rows)
        if state and issubclass(inline.formset, article_admins.KeyPointFormSet):
            kwargs["links"] = self.key_point_links(state.content)  # the sections as drafted
        if state and issubclass(inline.formset, PendingSectionsFormSet):
            kwargs["comments"] = state.comments
        return kwargs

    def key_point_rows(self, page, content):
        """The key points as `content` has them: (stored ones, initial data of new ones)."""
        points = POINTS[type(page)].objects(page, content)
        names = POINTS[type(page)].names
        return (
            [point for point in points if point.pk],
            [{name: getattr(point, name) for name in names} for point in points if not point.pk],
        )

    def key_points_from_forms(self, request, page, formsets):
        rows = POINTS[type(page)]
        current = {
            point.pk: point
            for point in rows.objects(page, editing(request, page).content)
            if point.pk
        }
        formset = next((f for f in formsets if f.model is rows.model), None)
        if formset is None:  # not theirs to change: kept as they are
            return rows.snapshot(page, list(current.values()))
        points = sorted(formset_rows(formset, current), key=lambda row: row[0].position)
        return rows.snapshot(page, [point for point, _pk in points])

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)  # a new page: a draft's row

    def save_related(self, request, form, formsets, change):
        page = form.instance
        if not change:
            super().save_related(request, form, formsets, change)
            workflow.record_new_page(page, user=request.user)
            return
        if kind_of(page).scheduled and set(SCHEDULE_FIELDS) & set(form.changed_data):
            workflow.save_schedule(
                page, go_live_at=page.go_live_at, expires_at=page.expires_at, user=request.user
            )
        self.save_draft(request, page, self.content_from_forms(request, page, formsets), form)

    def response_change(self, request, obj):
        if submitted := self.submitted_response(request):
            return submitted
        if is_live(obj) and "_continue" not in request.POST and "_addanother" not in request.POST:
            self.message_user(
                request,
                _(
                    "Your changes are saved as a draft. Patients still see the published page "
                    "until a clinical reviewer approves them: preview them, then submit them for "
                    "review."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        workflow.delete_page(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            workflow.delete_page(page, user=request.user)

    @admin.display(description="review and publishing")
    def workflow(self, page):
        if page is None or not page.pk:
            return _("A new page is a draft. Save it, then submit it for review.")
        return self.workflow_state(page)

    @admin.action(description="Submit the selected pages' changes for clinical review")
    def submit_for_review(self, request, queryset):
        if not request.user.has_perm("publishing.submit_revision"):
            raise PermissionDenied
        done = []
        for page in queryset:
            try:
                workflow.submit(page, user=request.user)
                done.append(str(page))
            except WorkflowError as error:
                self.message_user(request, f"“{page}”: {error}", messages.WARNING)
        if done:
            self.message_user(
                request,
                _("Submitted for clinical review: %(pages)s. The reviewers are emailed.")
                % {"pages": ", ".join(done)},
                messages.SUCCESS,
            )

    @admin.action(description="Unpublish selected (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            opts = self.model._meta
            return TemplateResponse(
                request,
                "admin/publishing/confirm_unpublish.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Unpublish these pages?"),
                    "pages": queryset,
                    "losing": self.pages_losing_content(queryset),
                    "action": "unpublish",
                    "opts": opts,
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    "changelist_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_changelist"
                    ),
                },
            )
        taken_down = sum(workflow.unpublish(page, user=request.user) for page in queryset)
        self.message_user(
            request, _("Unpublished %(count)s.") % {"count": taken_down}, messages.SUCCESS
        )
        return None

    def pages_losing_content(self, queryset):
        return []


# Articles ----------------------------------------------------------------------------------


class ArticleForm(RevisionedForm, article_admins.ArticleForm):
    pass


@admin.register(Article)
class ArticleAdmin(RevisionedPage, article_admins.ArticleAdmin):
    form = ArticleForm
    inlines = [KeyPointInline, SectionInline]
    change_form_template = "admin/publishing/article_change_form.html"

    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview-changes/",
                self.admin_site.admin_view(self.preview_changes_view),
                name="articles_article_preview_changes",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def preview_changes_view(self, request, object_id):
        """The article with the form's unsaved edits, sections edited inline included, as
        patients would see it. Nothing is saved, not even an uploaded image."""
        article = self.get_object(request, str(object_id))
        if article is None or not self.has_view_permission(request, article):
            raise PermissionDenied
        form = self.get_form(request, article, change=True)(
            request.POST, request.FILES, instance=article
        )
        form_valid = form.is_valid()
        formsets, _inlines = self._create_formsets(request, form.instance, change=True)
        if not (form_valid and all_valid(formsets)):
            errors = [str(form.errors)] + [str(f.errors) for f in formsets if any(f.errors)]
            return TemplateResponse(
                request,
                "admin/publishing/preview_errors.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Fix the form first"),
                    "errors": errors,
                },
            )
        content = self.content_from_forms(request, form.instance, formsets, store_image=False)
        return ArticleContentPreview.as_view(content=content)(request, pk=article.pk)

    def pending_rows(self, article, content):
        article, sections = kind_of(article).overlay(article, content)
        return {
            Section: (
                [section for section in sections if section.pk],
                [
                    {name: getattr(section, name) for name in SECTION_FIELDS}
                    for section in sections
                    if not section.pk
                ],
            ),
            KeyPoint: self.key_point_rows(article, content),
        }

    def comments_on_top(self, request, article, comments):
        """Those on no section the form shows (a section since removed): the others are
        beside their sections."""
        sections = editing(request, article).content["sections"]
        shown = {entry["id"] for entry in sections}
        anchors = {entry["anchor"] for entry in sections}
        return [
            c
            for c in comments
            if not (c.section_id in shown or (not c.section_id and c.anchor in anchors))
        ]

    def key_point_links(self, content):
        return [
            (entry["anchor"], entry["heading"] or _("Introduction"))
            for entry in content["sections"]
            if entry["anchor"]
        ]

    def content_from_forms(self, request, article, formsets, *, store_image=True):
        if store_image:
            store_featured_image(article)  # a new upload is stored now; the revision names it
        current = {
            entry["id"]: Section(
                pk=entry["id"], article=article, **{n: entry[n] for n in SECTION_FIELDS}
            )
            for entry in editing(request, article).content["sections"]
            if entry["id"]
        }
        rows = formset_rows(next(f for f in formsets if f.model is Section), current)
        rows.sort(key=lambda row: row[0].position)
        content = kind_of(article).snapshot(article, [section for section, _pk in rows])
        content["key_points"] = self.key_points_from_forms(request, article, formsets)
        return content

    def pages_losing_content(self, queryset):
        """Topic pages that show a section of these articles: they lose it."""
        return list(
            TopicPage.objects.live()
            .filter(topic_sections__section__article__in=queryset)
            .distinct()
        )


class SectionForm(RevisionedForm, article_admins.SectionForm):
    pass


@admin.register(Section)
class SectionAdmin(Revisioned, topic_admins.ShownOnTopicPages, article_admins.SectionAdmin):
    """A section on its own. Its save is a save of its article's newest revision: on a live
    article it waits for review; on a draft article its rows take it."""

    form = SectionForm
    change_form_template = "admin/publishing/section_change_form.html"
    fields = [*article_admins.SectionAdmin.fields, "shown_on"]
    readonly_fields = [*article_admins.SectionAdmin.readonly_fields, "shown_on"]

    def page_of(self, section):
        return section.article

    def comments_on_top(self, request, section, comments):
        return [comment for comment in comments if comment.section_id == section.pk]

    def get_urls(self):
        return [
            path(
                "<int:object_id>/preview-changes/",
                self.admin_site.admin_view(self.preview_changes_view),
                name="articles_section_preview_changes",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def preview_changes_view(self, request, object_id):
        """The article as it will be with this section's unsaved edits: the other sections as
        the article's newest revision has them, and unknown citation keys named."""
        section = self.get_object(request, str(object_id))
        if section is None or not self.has_view_permission(request, section):
            raise PermissionDenied
        article = section.article
        content = editing(request, article).content
        body = request.POST.get("body", section.body)
        for entry in content["sections"]:
            if entry["id"] == section.pk:
                entry["heading"] = request.POST.get("heading", section.heading)
                entry["level"] = 3 if request.POST.get("level") == "3" else 2
                entry["body"] = body
        warnings = [
            _("Unknown citation key @%(key)s: saving will be refused until the reference exists.")
            % {"key": key}
            for key in Reference.objects.unknown_keys(cited_keys(render_markdown(body)))
        ]
        view = ArticleContentPreview.as_view(
            content=content, edited_section_id=section.pk, warnings=warnings
        )
        return view(request, pk=article.pk)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "edit_token"] if obj is not None else fields

    def get_object(self, request, object_id, from_field=None):
        section = super().get_object(request, object_id, from_field)
        if section is not None and editing(request, section.article).pending:
            content = editing(request, section.article).content
            entry = next((e for e in content["sections"] if e["id"] == section.pk), None)
            for name in SECTION_FIELDS if entry else ():
                setattr(section, name, entry[name])
        return section

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # Moving a section to another article would take it off a live page unreviewed.
        return [*fields, "article"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_live(obj.article):
            return False  # remove it on the article's page, where the change goes to review
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        workflow.remove_row(obj, page=obj.article, user=request.user)

    def delete_queryset(self, request, queryset):
        for section in queryset.select_related("article"):
            try:
                workflow.remove_row(section, page=section.article, user=request.user)
            except WorkflowError as refusal:
                self.message_user(request, f"“{section}”: {refusal}", messages.ERROR)

    def save_model(self, request, obj, form, change):
        """The section's edit, put into its article's newest revision."""
        article = Article.objects.get(pk=obj.article_id)
        content = editing(request, article).content
        entry = {"id": obj.pk, **{name: getattr(obj, name) for name in SECTION_FIELDS}}
        known = {e["id"] for e in content["sections"] if e["id"]}
        sections = [e for e in content["sections"] if not obj.pk or e["id"] != obj.pk]
        content = {**content, "sections": sorted([*sections, entry], key=lambda e: e["position"])}
        revision = self.save_draft(request, article, content, form, change=change)
        if not obj.pk and not is_live(article):  # added to a draft article's rows
            obj.pk = next(e["id"] for e in revision.content["sections"] if e["id"] not in known)

    def save_related(self, request, form, formsets, change):
        pass  # the section's citations are its article's to record, with its rows

    def log_addition(self, request, obj, message):
        if obj.pk:  # on a live article nothing is added until the revision is published
            super().log_addition(request, obj, message)

    def response_change(self, request, obj):
        if submitted := self.submitted_response(request):
            return submitted
        if is_live(obj.article):
            self.message_user(request, SAVED_AS_DRAFT, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            self.message_user(request, SAVED_AS_DRAFT, messages.SUCCESS)
            return redirect("admin:articles_article_change", obj.article_id)
        return super().response_add(request, obj, post_url_continue)


SUBMITTED = (
    "Your changes are saved and submitted for clinical review. The reviewers are emailed; "
    "patients see the change once one of them approves it."
)
SAVED_AS_DRAFT = (
    "Your changes are saved as a draft of the article. Patients still see the published page "
    "until a clinical reviewer approves them: preview them, then submit them for review."
)


# Topic pages and comparison entries --------------------------------------------------------


@admin.register(TopicPage)
class TopicPageAdmin(RevisionedPage, topic_admins.TopicPageAdmin):
    inlines = [TopicKeyPointInline, TopicSectionInline, TreatmentFactInline]

    def pending_rows(self, page, content):
        kind_of(page).overlay(page, content)
        rows = {row.section_id: row for row in TopicSection.objects.filter(page=page)}
        shown, added = [], []
        for position, section_id in enumerate(content["sections"], 1):
            row = rows.get(section_id)
            if row:
                row.position = position
                shown.append(row)
            else:
                added.append({"section": section_id, "position": position})
        facts = {fact.pk: fact for fact in TreatmentFact.objects.filter(treatment=page)}
        kept, new = [], []
        for entry in content["facts"]:
            fact = facts.get(entry["id"])
            if fact:
                fact.aspect, fact.text, fact.section_id = (
                    entry["aspect"],
                    entry["text"],
                    entry["section"],
                )
                kept.append(fact)
            else:
                new.append(
                    {"aspect": entry["aspect"], "text": entry["text"], "section": entry["section"]}
                )
        return {
            TopicSection: (shown, added),
            TreatmentFact: (kept, new),
            TopicKeyPoint: self.key_point_rows(page, content),
        }

    def key_point_links(self, content):
        headings = dict(
            Section.objects.filter(pk__in=content["sections"]).values_list("pk", "heading")
        )
        return [(pk, headings.get(pk) or _("Introduction")) for pk in content["sections"]]

    def content_from_forms(self, request, page, formsets, *, store_image=True):
        by_model = {formset.model: formset for formset in formsets}
        current = editing(request, page).content
        rows_by_section = {row.section_id: row for row in TopicSection.objects.filter(page=page)}
        current_rows = {}
        for position, section_id in enumerate(current["sections"], 1):
            row = rows_by_section.get(section_id)
            if row:  # placed as the revision orders it
                row.position = position
                current_rows[row.pk] = row
        sections = sorted(
            formset_rows(by_model[TopicSection], current_rows), key=lambda row: row[0].position
        )
        current_facts = {
            entry["id"]: TreatmentFact(
                pk=entry["id"],
                aspect=entry["aspect"],
                text=entry["text"],
                section_id=entry["section"],
            )
            for entry in current["facts"]
            if entry["id"]
        }
        content = kind_of(page).snapshot(page)
        content["sections"] = [row.section_id for row, _pk in sections]
        content["facts"] = [
            {"id": pk, "aspect": fact.aspect, "text": fact.text, "section": fact.section_id}
            for fact, pk in formset_rows(by_model[TreatmentFact], current_facts)
        ]
        content["key_points"] = self.key_points_from_forms(request, page, formsets)
        return content

    def pages_losing_content(self, queryset):
        """Treatment pages under these pages: a treatment is public only with its parent."""
        return list(TopicPage.objects.live().filter(parent__in=queryset))


class TreatmentFactForm(RevisionedForm):
    def clean(self):
        cleaned = super().clean()
        for page in {
            self.instance.treatment if self.instance.pk else None,
            cleaned.get("treatment"),
        }:
            if page is not None and is_live(page):
                raise ValidationError(
                    _(
                        "“%(page)s” is published: change its comparison entries on its own "
                        "page, where the change goes to clinical review."
                    )
                    % {"page": page}
                )
        return cleaned


@admin.register(TreatmentFact)
class TreatmentFactAdmin(Revisioned, topic_admins.TreatmentFactAdmin):
    """On a draft page, a comparison entry saved or deleted here is kept in the page's
    revisions too, so publishing a revision never brings back what was changed here."""

    form = TreatmentFactForm

    def page_of(self, fact):
        return fact.treatment

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "edit_token"] if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_live(obj.treatment):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        page = TopicPage.objects.get(pk=obj.treatment_id)
        content = editing(request, page).content
        entry = {"id": obj.pk, "aspect": obj.aspect, "text": obj.text, "section": obj.section_id}
        known = {e["id"] for e in content["facts"] if e["id"]}
        facts = [e for e in content["facts"] if not obj.pk or e["id"] != obj.pk]
        revision = self.save_draft(
            request, page, {**content, "facts": [*facts, entry]}, form, change=change
        )
        if not obj.pk:
            obj.pk = next(e["id"] for e in revision.content["facts"] if e["id"] not in known)

    def save_related(self, request, form, formsets, change):
        pass

    def delete_model(self, request, obj):
        workflow.remove_row(obj, page=obj.treatment, user=request.user)

    def delete_queryset(self, request, queryset):
        for fact in queryset.select_related("treatment"):
            try:
                workflow.remove_row(fact, page=fact.treatment, user=request.user)
            except WorkflowError as refusal:
                self.message_user(request, f"“{fact}”: {refusal}", messages.ERROR)


# The clinic's safety texts -----------------------------------------------------------------


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(Revisioned, PlainClinicSettingsAdmin):
    """The clinic's contact details and home page texts are saved at once. Its safety texts
    (the crisis strip's words and numbers, the crisis message, the disclaimer) are as
    safety-critical as any page: a change waits as a revision for a clinical reviewer, and
    patients keep seeing the approved texts until then."""

    readonly_fields = ["workflow"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [list(fieldset) for fieldset in super().get_fieldsets(request, obj)]
        for fieldset in fieldsets:
            options = dict(fieldset[1])
            if set(flatten_fieldsets([fieldset])) & set(SAFETY_FIELDS):
                fieldset[0] = _(
                    "Safety texts, shown on every page (changed through clinical review)"
                )
                options["fields"] = [*options["fields"], "workflow"]
                options["description"] = _(
                    "A change here is saved as a draft: patients keep seeing the approved texts "
                    "until a clinical reviewer approves it."
                )
            fieldset[1] = options
        if obj is not None:
            fieldsets[0][1] = {
                **fieldsets[0][1],
                "fields": [*fieldsets[0][1]["fields"], "edit_token"],
            }
        return fieldsets

    def get_object(self, request, object_id, from_field=None):
        clinic = super().get_object(request, object_id, from_field)
        if clinic is not None and editing(request, clinic).pending:
            kind_of(clinic).overlay(clinic, editing(request, clinic).content)
        return clinic

    def save_model(self, request, obj, form, change):
        stored = {field.name for field in ClinicSettings._meta.concrete_fields}
        direct = [n for n in form.changed_data if n in stored and n not in SAFETY_FIELDS]
        ClinicSettings.load()  # the one row, made with the default texts if missing
        if direct:
            obj.save(update_fields=direct)  # contact details and home texts: not under review
        if set(SAFETY_FIELDS) & set(form.changed_data):
            content = {"fields": {name: form.cleaned_data[name] for name in SAFETY_FIELDS}}
            self.save_draft(request, obj, content, form, change=change)
        else:
            self.after_save(request, obj)

    def response_change(self, request, obj):
        if submitted := self.submitted_response(request):
            return submitted
        if getattr(request, "_publishing_saved", None):
            self.message_user(
                request,
                _(
                    "The safety texts' changes are saved as a draft. Patients keep seeing the "
                    "approved texts until a clinical reviewer approves them: submit them for "
                    "review from “Review or submit this draft”."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.display(description="review")
    def workflow(self, clinic):
        if clinic is None or not clinic.pk:
            return "—"
        return self.workflow_state(clinic)


# The glossary -------------------------------------------------------------------------------


@admin.register(GlossaryEntry)
class GlossaryEntryAdmin(RevisionedPage, PlainGlossaryEntryAdmin):
    """A term goes public, or changes, once a clinical reviewer approves it, like a page."""

    def content_from_forms(self, request, entry, formsets, *, store_image=True):
        return kind_of(entry).snapshot(entry)
