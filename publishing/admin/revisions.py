"""Revisions in the admin: the review page (submit, approve, send back, publish without
review), preview, compare and restore. Each step is the workflow's; these views only show
what a step would do, call it, and say what happened."""

from itertools import zip_longest

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.models import Article, Section
from clinic.models import ClinicSettings
from glossary.models import GlossaryEntry
from topics.models import TopicPage
from translations.models import Translation

from .. import workflow
from ..images import images_no_longer_stored
from ..models import Revision, StaffProfile
from ..pages import kind_for, kind_of
from ..translating import translated_beside
from ..workflow import WorkflowError
from .forms import ApproveForm, PublishAnywayForm, SendBackForm
from .review_extras import ReviewChecks

PAGE_MODELS = {
    "article": Article,
    "topicpage": TopicPage,
    "clinicsettings": ClinicSettings,
    "glossaryentry": GlossaryEntry,
    "translation": Translation,
}
KIND_NAMES = {
    "article": "Article",
    "topicpage": "Topic page",
    "clinicsettings": "Safety texts",
    "glossaryentry": "Glossary entry",
    "translation": "Translation",
}


def credit_of(user):
    """What the approve form offers as the reviewer's credit: their staff profile's name and
    credentials, never their username."""
    profile = getattr(user, "staff_profile", None)
    return profile.credit if profile else ""


def change_permission(page):
    return f"{page._meta.app_label}.change_{page._meta.model_name}"


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
        kind = kind_for(revision.content_type.model_class())
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:publishing_revision_review", args=[revision.pk]),
            kind.title(revision.content),
        )

    @admin.display(description="kind")
    def kind(self, revision):
        return KIND_NAMES.get(revision.content_type.model, revision.content_type.model)

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
        revision = get_object_or_404(Revision.objects.select_related("content_type"), pk=pk)
        if revision.page is None:
            raise Http404(_("The page of this revision has been deleted."))
        return revision

    def _context(self, request, title, **context):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            **context,
        }

    # Review ------------------------------------------------------------------------------

    def review_view(self, request, pk):
        revision = self._revision(request, pk)
        page = revision.page
        kind = kind_of(page)
        user = request.user
        undone = workflow.newer_publications(revision)
        forms_shown = {
            "approve": ApproveForm(
                initial={
                    "credit": credit_of(user),
                    "next_review_on": workflow.default_next_review(),
                },
                dated_review=kind.dated_review,
                undoes=bool(undone),
            ),
            "send_back": SendBackForm(sections=self._sections_of(revision)),
            "publish_anyway": PublishAnywayForm(undoes=bool(undone)),
        }
        # Retracted references, overstating phrases, DISCERN (publishing.review_checks).
        checks = ReviewChecks(page, revision)
        forms_shown.update(checks.forms())
        if request.method == "POST":
            action = request.POST.get("action")
            outcome = self._act(request, revision, action, forms_shown, undone, checks)
            if outcome:
                self._log(request, page, f"Revision {revision.pk}: {outcome}")
                self.message_user(request, outcome, messages.SUCCESS)
                if action in ("approve", "send_back"):
                    return self._next_waiting(request, revision)
                return redirect("admin:publishing_revision_review", revision.pk)
        latest = workflow.latest_revision(page)
        may = {
            "review": revision.status == Revision.Status.SUBMITTED and workflow.may_review(user),
            "submit": revision == latest
            and revision.status in (Revision.Status.DRAFT, Revision.Status.SENT_BACK)
            and user.has_perm("publishing.submit_revision"),
            "publish_anyway": user.is_superuser and revision.status != Revision.Status.PUBLISHED,
            "restore": user.has_perm(change_permission(page)) and revision != latest,
            "preview": isinstance(page, Article | TopicPage),
        }
        live = workflow.is_live(page)
        context = self._context(
            request,
            _("Revision %(id)s of “%(page)s”")
            % {"id": revision.pk, "page": kind.title(revision.content)},
            revision=revision,
            page=page,
            page_title=kind.title(revision.content),
            page_admin_url=reverse(
                f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk]
            ),
            page_is_live=live,
            # What approving it changes for patients: against what they see now; a page not
            # yet public shows all its content as added.
            differences=kind.differences(kind.live_content(page), revision.content),
            forms=forms_shown,
            may=may,
            losing=self._removed_sections_shown_elsewhere(page, revision),
            undone=undone,
            without_key_points=isinstance(page, Article | TopicPage)
            and not revision.content.get("key_points"),
            checks=checks,
            discern_rows=checks.discern_rows(forms_shown["discern"]),
            beside=translated_beside(revision.content) if isinstance(page, Translation) else None,
        )
        return TemplateResponse(request, "admin/publishing/review.html", context)

    def _next_waiting(self, request, done):
        """After a review, the next change waiting for one (oldest first), or the home page."""
        waiting = Revision.objects.waiting_for_review().exclude(pk=done.pk).first()
        if waiting is None:
            self.message_user(request, _("Nothing else is waiting for review."), messages.INFO)
            return redirect("admin:index")
        self.message_user(request, _("This is the next change waiting for review."), messages.INFO)
        return redirect("admin:publishing_revision_review", waiting.pk)

    def _sections_of(self, revision):
        """(id, anchor, heading) of each section of the revision, for comments on them."""
        content = revision.content
        if revision.content_type.model == "article":
            return [(e["id"], e["anchor"], e["heading"]) for e in content["sections"]]
        if revision.content_type.model == "topicpage":
            headings = dict(
                Section.objects.filter(pk__in=content["sections"]).values_list("pk", "heading")
            )
            return [(pk, "", headings.get(pk, "")) for pk in content["sections"] if pk in headings]
        return []

    def _log(self, request, page, message):
        """In the page's own admin history: who submitted, approved, restored what."""
        self.admin_site._registry[type(page)].log_change(request, page, message)

    def _removed_sections_shown_elsewhere(self, page, revision):
        if not isinstance(page, Article) or revision.status == Revision.Status.PUBLISHED:
            return []
        removed = kind_of(page).sections_removed(page, revision.content)
        showing = ((section, list(TopicPage.objects.showing(section))) for section in removed)
        return [(section, pages) for section, pages in showing if pages]

    def _act(self, request, revision, action, forms_shown, undone, checks):
        """Carry out a reviewer's, editor's or superuser's step; the message to show, or None
        when a form has errors (shown on the page) or the workflow refused (said why)."""
        user = request.user
        kind = kind_of(revision.page)
        try:
            if action == "approve":
                if not workflow.may_review(user):
                    raise PermissionDenied
                form = forms_shown["approve"] = ApproveForm(
                    request.POST, dated_review=kind.dated_review, undoes=bool(undone)
                )
                forms_shown.update(checks.forms(request.POST))
                reasons, ticks = forms_shown["claims"], forms_shown["discern"]
                if not all(f.is_valid() for f in (form, reasons, ticks) if f is not None):
                    return None
                approved = workflow.approve(
                    revision,
                    reviewer=user,
                    credit=form.cleaned_data["credit"],
                    next_review_on=form.cleaned_data.get("next_review_on"),
                    undo_confirmed=form.cleaned_data.get("undo_confirmed", False),
                    claim_reasons=reasons.reasons(),
                    discern_ticks=ticks.cleaned_data["discern"] if ticks else None,
                )
                if approved.status == Revision.Status.APPROVED:
                    return _("Approved. It goes live at %(when)s.") % {
                        "when": f"{timezone.localtime(revision.page.go_live_at):%d %B %Y, %H:%M}"
                    }
                return _("Approved and published. Patients see it now.")
            if action == "send_back":
                if not workflow.may_review(user):
                    raise PermissionDenied
                form = forms_shown["send_back"] = SendBackForm(
                    request.POST, sections=self._sections_of(revision)
                )
                if not form.is_valid():
                    return None
                workflow.send_back(
                    revision,
                    reviewer=user,
                    comment=form.cleaned_data["comment"],
                    section_comments=form.section_comments(),
                )
                return _("Sent back to the editor with your comment.")
            if action == "publish_anyway":
                form = forms_shown["publish_anyway"] = PublishAnywayForm(
                    request.POST, undoes=bool(undone)
                )
                if not form.is_valid():
                    return None
                workflow.publish_without_review(
                    revision,
                    user=user,
                    reason=form.cleaned_data["reason"],
                    undo_confirmed=form.cleaned_data.get("undo_confirmed", False),
                )
                return _("Published without clinical review; your reason is recorded.")
            if action == "submit":
                if not user.has_perm("publishing.submit_revision"):
                    raise PermissionDenied
                workflow.submit(revision.page, user=user)
                return _("Submitted for clinical review. The reviewers are emailed.")
        except WorkflowError as refusal:
            messages.error(request, str(refusal))
            return None
        messages.error(request, _("Choose one of the buttons on this page."))
        return None

    # Preview, restore, compare -----------------------------------------------------------

    def preview_view(self, request, pk):
        from ..views import revision_preview

        revision = self._revision(request, pk)
        if revision.content_type.model not in ("article", "topicpage"):
            raise Http404(_("This has no page of its own: see its differences."))
        return revision_preview(request, revision)

    def restore_view(self, request, pk):
        revision = self._revision(request, pk)
        page = revision.page
        if not request.user.has_perm(change_permission(page)):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:publishing_revision_review", pk)
        try:
            restored = workflow.restore(revision, user=request.user)
        except WorkflowError as refusal:
            messages.error(
                request,
                _("Revision %(id)s was not restored: %(why)s")
                % {"id": revision.pk, "why": refusal},
            )
            return redirect("admin:publishing_revision_review", pk)
        self._log(
            request,
            page,
            f"Restored revision {revision.pk} as a new draft (revision {restored.pk}).",
        )
        self.message_user(
            request,
            _(
                "Revision %(id)s is restored as a new draft (revision %(new)s). Patients see no "
                "change until a clinical reviewer approves it."
            )
            % {"id": revision.pk, "new": restored.pk},
            messages.SUCCESS,
        )
        self._warn_of_images_gone(request, revision)
        return redirect("admin:publishing_revision_review", restored.pk)

    def _warn_of_images_gone(self, request, revision):
        gone = images_no_longer_stored(kind_of(revision.page).images(revision.content))
        if not gone:
            return
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

    def compare_view(self, request, older, newer):
        old, new = self._revision(request, older), self._revision(request, newer)
        if (old.content_type_id, old.object_id) != (new.content_type_id, new.object_id):
            raise Http404(_("These revisions are of two different pages."))
        page = new.page
        context = self._context(
            request,
            _("Changes to “%(page)s” from revision %(old)s to %(new)s")
            % {"page": kind_of(page).title(new.content), "old": old.pk, "new": new.pk},
            page=page,
            older=old,
            newer=new,
            differences=kind_of(page).differences(old.content, new.content),
        )
        return TemplateResponse(request, "admin/publishing/compare.html", context)

    def compare_any_view(self, request):
        older, newer = request.GET.get("older", ""), request.GET.get("newer", "")
        if not (older.isdigit() and newer.isdigit()):
            raise Http404(_("Choose two revisions to compare."))
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
            _("Revisions of “%(page)s”") % {"page": page},
            page=page,
            revisions=revisions,
            # Each revision with the one before it in time (listed after it), or None.
            rows=list(zip_longest(revisions, revisions[1:])),
        )
        return TemplateResponse(request, "admin/publishing/page_revisions.html", context)


class StaffProfileForm(forms.ModelForm):
    class Meta:
        model = StaffProfile
        fields = ["name", "credentials"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    """Each staff member's name and credentials, which a clinical reviewer gives once here and
    the approve form then offers."""

    list_display = ["user", "name", "credentials"]

    def get_urls(self):
        return [
            path(
                "mine/",
                self.admin_site.admin_view(self.mine_view),
                name="publishing_staffprofile_mine",
            ),
            *super().get_urls(),
        ]

    def mine_view(self, request):
        """Any staff member's own profile: no permission on the table is needed for one's own."""
        profile = StaffProfile.objects.filter(user=request.user).first()
        form = StaffProfileForm(request.POST or None, instance=profile)
        if request.method == "POST" and form.is_valid():
            form.instance.user = request.user
            form.save()
            self.message_user(
                request,
                _("Saved. Approvals now offer “%(credit)s” as your credit.")
                % {"credit": form.instance.credit},
                messages.SUCCESS,
            )
            return redirect("admin:publishing_staffprofile_mine")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Your name and credentials"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/publishing/staff_profile.html", context)
