import csv

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html

from .models import (
    Enquiry,
    EnquiryNote,
    Notification,
    NotificationAttempt,
    RoutingRule,
    StatusChange,
)
from .notifications import requeue

HANDLERS_GROUP = "Enquiry handlers"
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class EnquiryNoteInline(admin.TabularInline):
    model = EnquiryNote
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name_plural = "internal notes (never shown to the enquirer)"
    # Notes are a record: add new ones, never rewrite or remove old ones. (Deleting the
    # enquiry deletes its notes with it.) A delete box here was logged but did nothing.
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ["changed_at", "from_status", "to_status", "changed_by"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "status history"

    def has_add_permission(self, request, obj=None):
        return False


# What a handler needs to see of a staff notification, in the enquiry and in the outbox.
NOTIFICATION_FIELDS = [
    "recipient",
    "status",
    "attempts",
    "last_attempt_at",
    "next_attempt_at",
    "sent_at",
    "last_error",
]


class NotificationInline(admin.TabularInline):
    model = Notification
    extra = 0
    fields = NOTIFICATION_FIELDS
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "staff notifications"

    def has_add_permission(self, request, obj=None):
        return False


def _safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class OverdueNotificationsMixin:
    """Handlers see, above the list, every staff notification not delivered in time."""

    change_list_template = "admin/enquiries/change_list_with_overdue.html"

    def changelist_view(self, request, extra_context=None):
        overdue = Notification.objects.overdue(timezone.now())
        extra_context = {
            **(extra_context or {}),
            "overdue_count": overdue.count(),
            "overdue_urgent_count": overdue.filter(enquiry__is_urgent=True).count(),
            "notifications_url": "admin:enquiries_notification_changelist",
        }
        return super().changelist_view(request, extra_context)


def urgent_label(is_urgent):
    """Urgent in words and red, where a glance must catch it; nothing for the others."""
    return format_html('<span class="urgent-label">{}</span>', "Urgent") if is_urgent else ""


@admin.register(Enquiry)
class EnquiryAdmin(OverdueNotificationsMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "urgent",
        "created_at",
        "topic",
        "language",
        "status",
        "assigned_to",
    ]
    list_filter = [
        "status",
        "topic",
        "is_urgent",
        "language",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["reference", "name", "email", "phone"]
    list_select_related = ["assigned_to"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    inlines = [EnquiryNoteInline, StatusChangeInline, NotificationInline]
    readonly_fields = [
        "reference",
        "created_at",
        "urgent",
        "name",
        "email",
        "phone",
        "preferred_contact",
        "topic",
        "treatment_title",
        "message",
        "language",
        "consented_at",
    ]
    fieldsets = [
        ("Handling", {"fields": ["status", "assigned_to"]}),
        (
            "Enquiry",
            {
                "fields": [
                    "reference",
                    "created_at",
                    "urgent",
                    "topic",
                    "treatment_title",
                    "message",
                ]
            },
        ),
        (
            "Enquirer",
            {
                "fields": [
                    "name",
                    "email",
                    "phone",
                    "preferred_contact",
                    "language",
                    "consented_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # enquiries come from the public form only

    @admin.display(description="urgent", ordering="-is_urgent")
    def urgent(self, enquiry):
        return urgent_label(enquiry.is_urgent)

    def has_export_permission(self, request):
        return request.user.has_perm("enquiries.export_enquiry")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(groups__name=HANDLERS_GROUP) | Q(is_superuser=True),
                    is_active=True,
                    is_staff=True,
                )
                .distinct()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            StatusChange.objects.create(
                enquiry=obj,
                from_status=form.initial.get("status", ""),
                to_status=obj.status,
                changed_by=request.user,
            )

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if isinstance(note, EnquiryNote) and note.author_id is None:
                note.author = request.user
            note.save()
        formset.save_m2m()

    @admin.action(description="Export selected enquiries as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="enquiries-{stamp}.csv"'
        columns = [
            ("reference", lambda e: e.reference),
            ("received", lambda e: timezone.localtime(e.created_at).isoformat(timespec="minutes")),
            ("topic", lambda e: e.get_topic_display()),
            ("treatment", lambda e: e.treatment_title),
            ("urgent", lambda e: "yes" if e.is_urgent else "no"),
            ("status", lambda e: e.get_status_display()),
            ("assigned to", lambda e: e.assigned_to.get_username() if e.assigned_to else ""),
            ("name", lambda e: e.name),
            ("email", lambda e: e.email),
            ("phone", lambda e: e.phone),
            ("preferred contact", lambda e: e.get_preferred_contact_display()),
            ("language", lambda e: e.get_language_display()),
            ("message", lambda e: e.message),
        ]
        writer = csv.writer(response)
        writer.writerow([name for name, _ in columns])
        for enquiry in queryset.select_related("assigned_to"):
            writer.writerow([_safe_cell(value(enquiry)) for _, value in columns])
        return response


class NotificationAttemptInline(admin.TabularInline):
    model = NotificationAttempt
    extra = 0
    fields = ["attempted_at", "outcome", "error"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = "attempts (what the mail server said)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(OverdueNotificationsMixin, admin.ModelAdmin):
    """The outbox of staff emails: what was sent, what waits, what the server refused."""

    list_display = [
        "about",
        "urgent",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "enquiry__is_urgent"]
    list_select_related = ["enquiry"]
    search_fields = ["enquiry__reference", "recipient"]
    actions = ["requeue_selected"]
    inlines = [NotificationAttemptInline]
    fields = ["enquiry", "subject", "admin_path", *NOTIFICATION_FIELDS]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.display(description="urgent", ordering="-enquiry__is_urgent")
    def urgent(self, notification):
        return urgent_label(notification.is_urgent)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected notifications again", permissions=["change"])
    def requeue_selected(self, request, queryset):
        count = requeue(queryset)
        self.message_user(
            request,
            f"{count} notification(s) queued to be sent again now. Sent ones, and any a "
            "worker is sending at this moment, are left alone.",
            messages.SUCCESS,
        )


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["topic", "recipient_names"]
    filter_horizontal = ["recipients"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("recipients")

    @admin.display(description="recipients")
    def recipient_names(self, rule):
        return ", ".join(user.get_username() for user in rule.recipients.all()) or "—"
