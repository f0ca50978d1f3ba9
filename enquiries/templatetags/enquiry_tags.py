from django import template
from django.utils import timezone

from ..models import Enquiry, Notification

register = template.Library()


@register.inclusion_tag("admin/enquiries/handler_home.html", takes_context=True)
def handler_home(context):
    """An enquiry handler's home: new enquiries, the urgent among them, and staff
    notifications not delivered in time, each count a link to the list it counts."""
    user = context["request"].user
    if not user.has_perm("enquiries.view_enquiry"):
        return {"shown": False}
    new = Enquiry.objects.filter(status=Enquiry.Status.NEW)
    return {
        "shown": True,
        "new": new.count(),
        "urgent": new.filter(is_urgent=True).count(),
        "overdue": Notification.objects.overdue(timezone.now()).count(),
    }
