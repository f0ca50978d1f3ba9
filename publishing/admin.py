"""Clinical sign-off in the admin.

The articles and topics apps know nothing of review. This module registers their page
admins again, so that:

- a save of a live page (or of a section or comparison entry on one) keeps the change as a
  draft revision and leaves the public page as it is; the form shows the newest revision;
- a page saved by someone else since the form was opened is refused, with their change shown;
- editors submit for review; clinical reviewers approve (publish) or send back; superusers may
  publish without review only giving a reason;
- every page has its revisions: compare any two, restore one as a new draft.
"""

import logging
from itertools import zip_longest

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.forms.formsets import all_valid
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from articles.admin import ArticleAdmin as PlainArticleAdmin
from articles.admin import SectionInline as PlainSectionInline
from articles.models import Article, Section
from articles.rendering import render_markdown
from articles.services import store_featured_image
from references.citations import cited_keys
from references.models import Reference
from topics.admin import SectionAdmin as TopicsSectionAdmin
from topics.admin import TopicPageAdmin as PlainTopicPageAdmin
from topics.admin import TopicSectionInline as PlainTopicSectionInline
from topics.admin import TreatmentFactAdmin as PlainTreatmentFactAdmin
from topics.admin import TreatmentFactInline as PlainTreatmentFactInline
from topics.models import TopicPage, TopicSection, TreatmentFact

from . import services
from .images import images_no_longer_stored
from .models import Revision
from .pages import SECTION_FIELDS, differences, kind_of
from .services import EditConflict, WorkflowError, is_live
from .views import ArticleContentPreview

logger = logging.getLogger(__name__)

REVIEW_FIELDS = ["reviewed_by", "last_reviewed_on", "next_review_on"]


# Forms: no lost edits ------------------------------------------------------------------


def conflict_message(conflict):
    latest = conflict.latest
    who = (
        latest.created_by.get_full_name() or latest.created_by.get_username()
        if latest.created_by
        else "Someone"
    )
    changes = (
        kind_of(latest.page).describe(conflict.loaded.content, latest.content)
        if conflict.loaded
        else []
    )
    return format_html(
        "{} saved this page at {} while you were editing it: {}. Nothing was saved from this "
        "form, and your text is still in it. Compare it with theirs (open the page in another "
        "tab, or see its revisions), copy across what you need, then press Save again to keep "
        "your version.",
        who,
        timezone.localtime(latest.created_at).strftime("%H:%M"),
        "; ".join(changes) or "no change to the text",
    )


def no_lost_edits(form_class, page):
    """`form_class` with a hidden token of the page's newest revision, refused on save when
    anyone saved the page since the form was opened."""
    token = services.edit_token(page)

    def clean(self):
        cleaned = form_class.clean(self)
        try:
            services.check_not_changed_since(page, self.data.get("edit_token", ""))
        except EditConflict as conflict:
            self.data = self.data.copy()
            self.data["edit_token"] = str(conflict.latest.pk)  # a second save keeps theirs out
            raise ValidationError(conflict_message(conflict), code="edit_conflict") from None
        return cleaned

    return type(
        form_class.__name__,
        (form_class,),
        {
            "edit_token": forms.CharField(widget=forms.HiddenInput, required=False, initial=token),
            "clean": clean,
        },
    )


# Inlines that show a live page's newest revision ---------------------------------------


class DraftInlineFormSet(BaseInlineFormSet):
    """Rows as the page's pending revision has them: `draft` is (existing objects, with the
    revision's values; initial data for rows the revision adds)."""

    draft = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.draft is not None:
            self.initial_extra = self.draft[1]

    def get_queryset(self):
        return super().get_queryset() if self.draft is None else self.draft[0]


class DraftInlineMixin:
    formset = DraftInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        draft = getattr(obj, "_draft_inlines", {}).get(self.model)
        if draft is None:
            return formset
        return type(formset.__name__, (formset,), {"draft": draft, "extra": len(draft[1])})


class SectionInline(DraftInlineMixin, PlainSectionInline):
    pass


class TopicSectionInline(DraftInlineMixin, PlainTopicSectionInline):
    pass


class TreatmentFactInline(DraftInlineMixin, PlainTreatmentFactInline):
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


# The page admins -----------------------------------------------------------------------

for model in (Article, TopicPage, Section, TreatmentFact):
    admin.site.unregister(model)


class WholePageRestoreOnly:
    """A row's old version is not put back on its own (that would skip review, and restore a
    section without its page): its page's revisions are restored instead, as a new draft."""

    def page_of(self, obj):
        return obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        page = self.page_of(obj)
        self.message_user(
            request,
            "Restore the whole page from one of its revisions: it becomes a new draft, which a "
            "clinical reviewer approves before patients see it.",
            messages.INFO,
        )
        return redirect("admin:publishing_revision_page", page._meta.model_name, page.pk)


class RevisionedPageAdmin(WholePageRestoreOnly):
    """Saves of a live page become revisions; everything the page shows patients waits for
    a clinical reviewer. Used before the page admin it extends."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "status", *REVIEW_FIELDS, "workflow"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [list(fieldset) for fieldset in super().get_fieldsets(request, obj)]
        first = dict(fieldsets[0][1])
        first["fields"] = [*first["fields"], "workflow", *(["edit_token"] if obj else [])]
        fieldsets[0][1] = first
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The token is declared on the form, not a model field.
        fields = kwargs.get("fields") or flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [name for name in fields if name != "edit_token"]
        form = super().get_form(request, obj, change=change, **kwargs)
        return no_lost_edits(form, obj) if obj is not None else form

    def get_object(self, request, object_id, from_field=None):
        page = super().get_object(request, object_id, from_field)
        if page is not None and is_live(page):
            pending = services.pending_revision(page)
            if pending:
                self.show_revision(page, pending.content)
        return page

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        if stored is not None:
            services.ensure_baseline(stored)  # the page as it stood, before this change
        if stored is not None and is_live(stored):
            obj._keep_as_revision = True  # patients keep seeing the published page
            # The schedule is not content: a take-down time in particular must not wait.
            type(obj).objects.filter(pk=obj.pk).update(
                go_live_at=obj.go_live_at, expires_at=obj.expires_at
            )
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        page = form.instance
        if getattr(page, "_keep_as_revision", False):
            content = self.content_from_forms(page, formsets)
            services.save_revision(page, content, user=request.user)
            for formset in formsets:  # nothing saved; what the admin's log message reads
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        super().save_related(request, form, formsets, change)
        services.save_revision(
            page, kind_of(page).snapshot(page), user=request.user, created=not change
        )

    def response_change(self, request, obj):
        if getattr(obj, "_keep_as_revision", False):
            self.message_user(
                request,
                "Your changes are saved as a draft. Patients still see the published page until "
                "a clinical reviewer approves them: preview them, then submit them for review.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.display(description="review and publishing")
    def workflow(self, page):
        if page is None or not page.pk:
            return "A new page is a draft. Save it, then submit it for review."
        latest = services.latest_revision(page)
        links = [
            (
                reverse("admin:publishing_revision_page", args=[page._meta.model_name, page.pk]),
                "All revisions",
            ),
        ]
        if latest and latest.status != Revision.Status.PUBLISHED:
            links.insert(
                0,
                (
                    reverse("admin:publishing_revision_preview", args=[latest.pk]),
                    "Preview this draft",
                ),
            )
            state = format_html(
                "{}: revision {} ({}), {}.",
                "Changes waiting" if is_live(page) else "Draft",
                latest.pk,
                latest.get_status_display().lower(),
                latest.summary,
            )
        elif is_live(page):
            state = "Published. Saving changes keeps them as a draft for clinical review."
        else:
            state = "Draft, not yet submitted for review."
        return format_html(
            "{} {}",
            state,
            format_html_join(" · ", '<a href="{}">{}</a>', links),
        )

    # Actions: editors submit; publishing is approval's ---------------------------------

    actions = ["submit_for_review", "unpublish"]

    @admin.action(description="Submit the selected pages' changes for clinical review")
    def submit_for_review(self, request, queryset):
        if not request.user.has_perm("publishing.submit_revision"):
            raise PermissionDenied
        done = []
        for page in queryset:
            try:
                services.submit(page, user=request.user)
                done.append(str(page))
            except WorkflowError as error:
                self.message_user(request, f"“{page}”: {error}", messages.WARNING)
        if done:
            self.message_user(
                request,
                f"Submitted for clinical review: {', '.join(done)}. The reviewers are emailed.",
                messages.SUCCESS,
            )

    @admin.action(description="Unpublish selected (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        losing = self.pages_losing_content(queryset)
        if request.POST.get("confirmed") != "yes":
            return TemplateResponse(
                request,
                "admin/publishing/confirm_unpublish.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Unpublish these pages?",
                    "pages": queryset,
                    "losing": losing,
                    "action": "unpublish",
                    "opts": self.model._meta,
                    "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                    "changelist_url": reverse(
                        f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_changelist"
                    ),
                },
            )
        for page in queryset:
            services.take_down(page)
        self.message_user(request, f"Unpublished {len(queryset)}.", messages.SUCCESS)
        return None

    def pages_losing_content(self, queryset):
        return []


@admin.register(Article)
class ArticleAdmin(RevisionedPageAdmin, PlainArticleAdmin):
    inlines = [SectionInline]
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
        with transaction.atomic():
            article = self.get_object(request, str(object_id))
            if article is None or not self.has_view_permission(request, article):
                raise PermissionDenied
            form = self.get_form(request, article, change=True)(
                request.POST, request.FILES, instance=article
            )
            form_valid = form.is_valid()
            formsets, _ = self._create_formsets(request, form.instance, change=True)
            if not (form_valid and all_valid(formsets)):
                errors = [str(form.errors)] + [str(f.errors) for f in formsets if any(f.errors)]
                return TemplateResponse(
                    request,
                    "admin/publishing/preview_errors.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": "Fix the form first",
                        "errors": errors,
                    },
                )
            content = self.content_from_forms(form.instance, formsets, store_image=False)
        return ArticleContentPreview.as_view(content=content)(request, pk=article.pk)

    fieldsets = [
        *PlainArticleAdmin.fieldsets,
        ("Schedule", {"fields": [("go_live_at", "expires_at")]}),
    ]

    def show_revision(self, article, content):
        content = kind_of(article).normalized(article, content)
        article, sections = kind_of(article).overlay(article, content)
        article._draft_inlines = {
            Section: (
                [section for section in sections if section.pk],
                [
                    {name: getattr(section, name) for name in SECTION_FIELDS}
                    for section in sections
                    if not section.pk
                ],
            )
        }

    def content_from_forms(self, article, formsets, *, store_image=True):
        if store_image:
            store_featured_image(article)  # a new upload is stored now; the revision names it
        content = kind_of(article).normalized(article, services.current_content(article))
        current = {
            entry["id"]: Section(
                pk=entry["id"], article=article, **{n: entry[n] for n in SECTION_FIELDS}
            )
            for entry in content["sections"]
            if entry["id"]
        }
        rows = formset_rows(next(f for f in formsets if f.model is Section), current)
        rows.sort(key=lambda row: row[0].position)
        return kind_of(article).snapshot(article, [section for section, _ in rows])

    def pages_losing_content(self, queryset):
        """Topic pages that show a section of these articles: they lose it."""
        return list(
            TopicPage.objects.live()
            .filter(topic_sections__section__article__in=queryset)
            .distinct()
        )


@admin.register(TopicPage)
class TopicPageAdmin(RevisionedPageAdmin, PlainTopicPageAdmin):
    inlines = [TopicSectionInline, TreatmentFactInline]
    fieldsets = [
        *PlainTopicPageAdmin.fieldsets,
        ("Schedule", {"fields": [("go_live_at", "expires_at")]}),
    ]

    def show_revision(self, page, content):
        content = kind_of(page).normalized(page, content)
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
            values = {
                "aspect": entry["aspect"],
                "text": entry["text"],
                "section_id": entry["section"],
            }
            if fact:
                for name, value in values.items():
                    setattr(fact, name, value)
                kept.append(fact)
            else:
                new.append(
                    {"aspect": entry["aspect"], "text": entry["text"], "section": entry["section"]}
                )
        page._draft_inlines = {TopicSection: (shown, added), TreatmentFact: (kept, new)}

    def content_from_forms(self, page, formsets, *, store_image=True):
        by_model = {formset.model: formset for formset in formsets}
        current = kind_of(page).normalized(page, services.current_content(page))
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
        content["sections"] = [row.section_id for row, _ in sections]
        content["facts"] = [
            {"id": pk, "aspect": fact.aspect, "text": fact.text, "section": fact.section_id}
            for fact, pk in formset_rows(by_model[TreatmentFact], current_facts)
        ]
        return content

    def pages_losing_content(self, queryset):
        """Treatment pages under these pages: a treatment is public only with its parent."""
        return list(TopicPage.objects.live().filter(parent__in=queryset))


@admin.register(Section)
class SectionAdmin(WholePageRestoreOnly, TopicsSectionAdmin):
    """A section on its own: on a live article, a save becomes a revision of the article."""

    change_form_template = "admin/publishing/section_change_form.html"

    def page_of(self, section):
        return section.article

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
        content = kind_of(article).normalized(article, services.current_content(article))
        body = request.POST.get("body", section.body)
        for entry in content["sections"]:
            if entry["id"] == section.pk:
                entry["heading"] = request.POST.get("heading", section.heading)
                entry["level"] = 3 if request.POST.get("level") == "3" else 2
                entry["body"] = body
        warnings = [
            f"Unknown citation key @{key}: saving will be refused until the reference exists."
            for key in Reference.objects.unknown_keys(cited_keys(render_markdown(body)))
        ]
        view = ArticleContentPreview.as_view(
            content=content, edited_section_id=section.pk, warnings=warnings
        )
        return view(request, pk=article.pk)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "edit_token"] if obj is not None else fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.get("fields") or self.get_fields(request, obj)
        kwargs["fields"] = [name for name in fields if name != "edit_token"]
        form = super().get_form(request, obj, change=change, **kwargs)
        return no_lost_edits(form, obj.article) if obj is not None else form

    def get_object(self, request, object_id, from_field=None):
        section = super().get_object(request, object_id, from_field)
        if section is not None and is_live(section.article):
            pending = services.pending_revision(section.article)
            entry = pending and next(
                (e for e in pending.content["sections"] if e["id"] == section.pk), None
            )
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
        article = services.lock(obj.article)
        services.ensure_baseline(article)
        super().delete_model(request, obj)
        services.save_revision(article, kind_of(article).snapshot(article), user=request.user)

    def delete_queryset(self, request, queryset):
        for section in queryset.select_related("article"):
            self.delete_model(request, section)

    def save_model(self, request, obj, form, change):
        article = services.lock(Article.objects.get(pk=obj.article_id))
        if not is_live(article):
            services.ensure_baseline(article)
            super().save_model(request, obj, form, change)
            services.save_revision(article, kind_of(article).snapshot(article), user=request.user)
            return
        content = services.current_content(article)
        entry = {"id": obj.pk, **{name: getattr(obj, name) for name in SECTION_FIELDS}}
        sections = [e for e in content["sections"] if not obj.pk or e["id"] != obj.pk]
        sections.append(entry)
        content["sections"] = sorted(sections, key=lambda e: e["position"])
        services.save_revision(article, content, user=request.user)
        obj._keep_as_revision = True

    def response_change(self, request, obj):
        if getattr(obj, "_keep_as_revision", False):
            self.message_user(request, SAVED_AS_DRAFT, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_keep_as_revision", False):
            self.message_user(request, SAVED_AS_DRAFT, messages.SUCCESS)
            return redirect("admin:articles_article_change", obj.article_id)
        return super().response_add(request, obj, post_url_continue)

    def log_addition(self, request, obj, message):
        if not getattr(obj, "_keep_as_revision", False):  # nothing was added yet
            super().log_addition(request, obj, message)


SAVED_AS_DRAFT = (
    "Your changes are saved as a draft of the article. Patients still see the published page "
    "until a clinical reviewer approves them: preview them, then submit them for review."
)


class TreatmentFactForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        for page in {
            self.instance.treatment if self.instance.pk else None,
            cleaned.get("treatment"),
        }:
            if page is not None and is_live(page):
                raise ValidationError(
                    f"“{page}” is published: change its comparison entries on its own page, "
                    "where the change goes to clinical review."
                )
        return cleaned


@admin.register(TreatmentFact)
class TreatmentFactAdmin(WholePageRestoreOnly, PlainTreatmentFactAdmin):
    """On a draft page, a comparison entry saved or deleted here is kept in the page's
    revisions too, so publishing a revision never brings back what was changed here."""

    form = TreatmentFactForm

    def page_of(self, fact):
        return fact.treatment

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_live(obj.treatment):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        page = services.lock(TopicPage.objects.get(pk=obj.treatment_id))
        services.ensure_baseline(page)
        super().save_model(request, obj, form, change)
        services.save_revision(page, kind_of(page).snapshot(page), user=request.user)

    def delete_model(self, request, obj):
        page = services.lock(obj.treatment)
        services.ensure_baseline(page)
        super().delete_model(request, obj)
        services.save_revision(page, kind_of(page).snapshot(page), user=request.user)

    def delete_queryset(self, request, queryset):
        for fact in queryset.select_related("treatment"):
            self.delete_model(request, fact)


# Revisions: the review queue, review, compare, restore ------------------------------------


class ApproveForm(forms.Form):
    credit = forms.CharField(
        label="Your name and credentials",
        max_length=200,
        help_text="Shown to patients as the page's medical reviewer, for example Jane Doe, MD.",
    )
    next_review_on = forms.DateField(
        label="Next review due",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the page must be reviewed again.",
    )


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label="What needs changing", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class PublishAnywayForm(forms.Form):
    reason = forms.CharField(
        label="Why publish without clinical review",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Recorded with the revision, for the clinic's records.",
    )


PAGE_MODELS = {"article": Article, "topicpage": TopicPage}


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = [
        "page_title",
        "kind",
        "status",
        "summary",
        "created_by",
        "created_at",
        "submitted_at",
    ]
    list_filter = ["status", "content_type"]
    list_select_related = ["content_type", "created_by"]
    search_fields = ["summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="page")
    def page_title(self, revision):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:publishing_revision_review", args=[revision.pk]),
            revision.content["fields"].get("title", "—"),
        )

    @admin.display(description="kind")
    def kind(self, revision):
        return "Article" if revision.content_type.model == "article" else "Topic page"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", view(self.review_view), name="publishing_revision_review"),
            path("<int:pk>/preview/", view(self.preview_view), name="publishing_revision_preview"),
            path("<int:pk>/restore/", view(self.restore_view), name="publishing_revision_restore"),
            path(
                "compare/<int:older>/<int:newer>/",
                view(self.compare_view),
                name="publishing_revision_compare",
            ),
            path("compare/", view(self.compare_any_view), name="publishing_revision_compare_any"),
            path(
                "page/<str:model>/<int:page_pk>/",
                view(self.page_view),
                name="publishing_revision_page",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:publishing_revision_review", object_id)

    def _revision(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=pk)
        if revision.page is None:
            raise Http404("The page of this revision has been deleted.")
        return revision

    def _context(self, request, title, **context):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **context,
        }

    def review_view(self, request, pk):
        revision = self._revision(request, pk)
        page = revision.page
        user = request.user
        forms_shown = {
            "approve": ApproveForm(
                initial={
                    "credit": page.reviewed_by or user.get_full_name(),
                    "next_review_on": services.default_next_review(),
                }
            ),
            "send_back": SendBackForm(),
            "publish_anyway": PublishAnywayForm(),
        }
        if request.method == "POST":
            action = request.POST.get("action")
            outcome = self._act(request, revision, action, forms_shown)
            if outcome:
                self._log(request, page, f"Revision {revision.pk}: {outcome}")
                self.message_user(request, outcome, messages.SUCCESS)
                return redirect("admin:publishing_revision_review", revision.pk)
        latest = services.latest_revision(page)
        live = (
            Revision.objects.of(page)
            .filter(status=Revision.Status.PUBLISHED, id__lt=revision.pk)
            .first()
            or Revision.objects.of(page).order_by("id").first()
        )
        may = {
            "review": revision.status == Revision.Status.SUBMITTED and services.may_review(user),
            "submit": revision == latest
            and revision.status in (Revision.Status.DRAFT, Revision.Status.SENT_BACK)
            and user.has_perm("publishing.submit_revision"),
            "publish_anyway": user.is_superuser and revision.status != Revision.Status.PUBLISHED,
            "restore": user.has_perm(f"{page._meta.app_label}.change_{page._meta.model_name}")
            and revision != latest,
        }
        context = self._context(
            request,
            f"Revision {revision.pk} of “{page}”",
            revision=revision,
            page=page,
            page_admin_url=reverse(
                f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk]
            ),
            compared_with=live if live and live.pk != revision.pk else None,
            differences=differences(page, live.content, revision.content)
            if live and live.pk != revision.pk
            else [],
            forms=forms_shown,
            may=may,
            losing=self._removed_sections_shown_elsewhere(page, revision),
            newer_publication=services.newer_publication(revision),
        )
        return TemplateResponse(request, "admin/publishing/review.html", context)

    def _log(self, request, page, message):
        """In the page's own admin history: who submitted, approved, restored what."""
        self.admin_site._registry[type(page)].log_change(request, page, message)

    def _removed_sections_shown_elsewhere(self, page, revision):
        if not isinstance(page, Article):
            return []
        removed = kind_of(page).sections_removed(page, revision.content)
        showing = ((section, list(TopicPage.objects.showing(section))) for section in removed)
        return [(section, pages) for section, pages in showing if pages]

    def _act(self, request, revision, action, forms_shown):
        """Carry out a reviewer's, editor's or superuser's step; the message to show, or None
        when a form has errors (shown on the page)."""
        user = request.user
        try:
            if action == "approve":
                if not services.may_review(user):
                    raise PermissionDenied
                form = forms_shown["approve"] = ApproveForm(request.POST)
                if not form.is_valid():
                    return None
                services.approve(
                    revision,
                    reviewer=user,
                    credit=form.cleaned_data["credit"],
                    next_review_on=form.cleaned_data["next_review_on"],
                )
                revision.refresh_from_db()
                if revision.status == Revision.Status.APPROVED:
                    return f"Approved. It goes live at {timezone.localtime(revision.page.go_live_at):%d %B %Y, %H:%M}."
                return "Approved and published. Patients see it now."
            if action == "send_back":
                if not services.may_review(user):
                    raise PermissionDenied
                form = forms_shown["send_back"] = SendBackForm(request.POST)
                if not form.is_valid():
                    return None
                services.send_back(revision, reviewer=user, comment=form.cleaned_data["comment"])
                return "Sent back to the editor with your comment."
            if action == "publish_anyway":
                form = forms_shown["publish_anyway"] = PublishAnywayForm(request.POST)
                if not form.is_valid():
                    return None
                services.publish_without_review(
                    revision, user=user, reason=form.cleaned_data["reason"]
                )
                return "Published without clinical review; your reason is recorded."
            if action == "submit":
                if not user.has_perm("publishing.submit_revision"):
                    raise PermissionDenied
                services.submit(revision.page, user=user)
                return "Submitted for clinical review. The reviewers are emailed."
        except (WorkflowError, ValueError) as error:
            messages.error(request, str(error))
            return None
        except IntegrityError:
            logger.exception("Revision %s: %s failed on the database.", revision.pk, action)
            messages.error(
                request,
                "The page could not take this revision as it is. Nothing was published. Restore "
                "it as a new draft, check it, and submit it again.",
            )
            return None
        messages.error(request, "Choose one of the buttons on this page.")
        return None

    def preview_view(self, request, pk):
        from .views import revision_preview

        self._revision(request, pk)
        return revision_preview(request, pk)

    def restore_view(self, request, pk):
        revision = self._revision(request, pk)
        page = revision.page
        if not request.user.has_perm(f"{page._meta.app_label}.change_{page._meta.model_name}"):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:publishing_revision_review", pk)
        try:
            restored = services.restore(revision, user=request.user)
        except ValueError as error:
            messages.error(request, f"Revision {revision.pk} was not restored: {error}")
            return redirect("admin:publishing_revision_review", pk)
        self._log(
            request,
            page,
            f"Restored revision {revision.pk} as a new draft (revision {restored.pk}).",
        )
        self.message_user(
            request,
            f"Revision {revision.pk} is restored as a new draft (revision {restored.pk}). "
            "Patients see no change until a clinical reviewer approves it.",
            messages.SUCCESS,
        )
        gone = images_no_longer_stored(kind_of(page).images(revision.content))
        if gone:
            featured = revision.content["fields"].get("featured_image")
            names = ", ".join(name.rsplit("/", 1)[-1] for name in gone)
            messages.warning(
                request,
                f"Revision {revision.pk} shows images no longer stored, since no page showed "
                f"them: {names}. "
                + ("The featured image is left out of the draft. " if featured in gone else "")
                + (
                    "Upload the images in the text again, or take them out, before submitting."
                    if set(gone) - {featured}
                    else "Upload it again if the page needs it."
                ),
            )
        return redirect("admin:publishing_revision_review", restored.pk)

    def compare_view(self, request, older, newer):
        old, new = self._revision(request, older), self._revision(request, newer)
        if (old.content_type_id, old.object_id) != (new.content_type_id, new.object_id):
            raise Http404("These revisions are of two different pages.")
        page = new.page
        context = self._context(
            request,
            f"Changes to “{page}” from revision {old.pk} to {new.pk}",
            page=page,
            older=old,
            newer=new,
            differences=differences(page, old.content, new.content),
        )
        return TemplateResponse(request, "admin/publishing/compare.html", context)

    def compare_any_view(self, request):
        older, newer = request.GET.get("older", ""), request.GET.get("newer", "")
        if not (older.isdigit() and newer.isdigit()):
            raise Http404("Choose two revisions to compare.")
        older, newer = sorted([int(older), int(newer)])
        return redirect("admin:publishing_revision_compare", older, newer)

    def page_view(self, request, model, page_pk):
        if model not in PAGE_MODELS or not self.has_view_permission(request):
            raise PermissionDenied
        page = get_object_or_404(PAGE_MODELS[model], pk=page_pk)
        revisions = list(
            Revision.objects.of(page).select_related("created_by", "reviewed_by", "restored_from")
        )
        context = self._context(
            request,
            f"Revisions of “{page}”",
            page=page,
            # Each revision with the one before it in time (listed after it), or None.
            rows=list(zip_longest(revisions, revisions[1:])),
        )
        return TemplateResponse(request, "admin/publishing/page_revisions.html", context)
