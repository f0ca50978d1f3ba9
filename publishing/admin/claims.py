"""The overstating phrases patients can read now that no clinical reviewer has settled: the
list, and a reviewer's "let it stand, because…" for each (publishing.workflow.settle_claim).
To change the words instead, the editor edits the page, and the change goes to review."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import review_checks, workflow
from ..models import SettledClaim
from ..workflow import WorkflowError


def _admin_url(page):
    return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])


def claims_to_settle(request):
    user = request.user
    if not user.has_perm("publishing.view_revision"):
        raise PermissionDenied
    may_settle = workflow.may_review(user)
    if request.method == "POST":
        if not may_settle:
            raise PermissionDenied
        _settle(request)
        return redirect("claims_to_settle")
    listed = [
        {
            "page": entry.page,
            "admin_url": _admin_url(entry.page),
            "page_ref": f"{ContentType.objects.get_for_model(entry.page).pk}:{entry.page.pk}",
            "claims": entry.claims,
        }
        for entry in review_checks.live_claims_to_settle()
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Overstating phrases on live pages"),
        "listed": listed,
        "may_settle": may_settle,
    }
    return TemplateResponse(request, "admin/publishing/claims_to_settle.html", context)


def _settle(request):
    type_id, _sep, page_id = request.POST.get("page", "").partition(":")
    content_type = ContentType.objects.filter(pk=type_id).first() if type_id.isdigit() else None
    model = content_type.model_class() if content_type else None
    page = (
        model._default_manager.filter(pk=page_id).first() if model and page_id.isdigit() else None
    )
    if page is None:
        messages.error(request, _("That page no longer exists."))
        return
    try:
        settled = workflow.settle_claim(
            page,
            key=request.POST.get("key", ""),
            reason=request.POST.get("reason", "")[:2000],
            reviewer=request.user,
        )
    except (WorkflowError, LookupError) as refusal:
        messages.error(request, str(refusal))
        return
    messages.success(
        request,
        _("“%(phrase)s” in “%(sentence)s” is settled; your reason is kept.")
        % {"phrase": settled.phrase, "sentence": settled.sentence[:120]},
    )


@admin.register(SettledClaim)
class SettledClaimAdmin(admin.ModelAdmin):
    """Reviewers' reasons, kept. Made only by approving or settling; a reviewer may withdraw
    one (the phrase is then listed to settle again), never edit it."""

    list_display = ["phrase", "sentence", "reason", "settled_by", "settled_at", "revision"]
    list_select_related = ["settled_by"]
    search_fields = ["phrase", "sentence", "reason"]
    readonly_fields = [field.name for field in SettledClaim._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
