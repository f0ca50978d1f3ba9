"""Turn the phone numbers in the crisis message into call links."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Short crisis codes (911, 988) and ordinary numbers such as 1-800-273-8255.
_PHONE_NUMBER = re.compile(r"(?<![\w-])(\+?\d[\d\s().-]{1,18}\d)(?![\w-])")


def link_phone_numbers(text):
    """Escape `text` and make each phone number in it a `tel:` link."""

    def link(match):
        number = match.group(1)
        dial = re.sub(r"[^\d+]", "", number)
        return format_html('<a href="tel:{}">{}</a>', dial, number)

    return mark_safe(_PHONE_NUMBER.sub(link, escape(text)))


# Words that show a text is about suicidal thoughts or self-harm. Deliberately
# broad: a false alarm costs a crisis box, a miss could cost far more.
_CRISIS_LANGUAGE = re.compile(
    r"suicid"
    r"|self[-\s]?harm"
    r"|\bkill(?:ing)?\s+(?:my|him|her|them)sel(?:f|ves)"
    r"|\bend(?:ing)?\s+(?:my|his|her|their)\s+li(?:fe|ves)"
    r"|\b(?:want|wanted|wanting)\s+to\s+die\b"
    r"|\bhurt(?:ing)?\s+(?:my|him|her|them)sel(?:f|ves)"
    r"|\bno\s+reason\s+to\s+live\b"
    r"|\boverdos",
    re.IGNORECASE,
)


def mentions_crisis(text):
    """Whether `text` speaks of suicidal thoughts or self-harm."""
    return bool(_CRISIS_LANGUAGE.search(text or ""))
