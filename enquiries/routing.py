"""Who is told about an enquiry: the staff the routing rules name, or the default list."""

import logging

from django.conf import settings

from .models import RoutingRule

logger = logging.getLogger(__name__)


def recipients_for(enquiry):
    """Email addresses to notify about `enquiry`, without duplicates, in a stable order.

    Urgent enquiries go to the "urgent" rule's staff as well as the topic's. When no
    rule names an active staff member with an email address, ENQUIRY_DEFAULT_RECIPIENTS
    catches the enquiry so that it is never routed to nobody.
    """
    topics = [enquiry.topic] + ([RoutingRule.URGENT] if enquiry.is_urgent else [])
    rules = RoutingRule.objects.filter(topic__in=topics).prefetch_related("recipients")
    by_topic = {rule.topic: rule for rule in rules}
    addresses = []
    for topic in reversed(topics):  # urgent recipients first
        rule = by_topic.get(topic)
        for user in rule.recipients.all() if rule else ():
            if user.is_active and user.is_staff and user.email:
                addresses.append(user.email)
            else:
                logger.warning(
                    "Routing rule %r names user %s with no usable email.", topic, user.pk
                )
    if not addresses:
        addresses = list(settings.ENQUIRY_DEFAULT_RECIPIENTS)
    if not addresses:
        logger.error(
            "Enquiry %s has no recipients: set ENQUIRY_DEFAULT_RECIPIENTS.", enquiry.reference
        )
    return list(dict.fromkeys(address.lower() for address in addresses))
