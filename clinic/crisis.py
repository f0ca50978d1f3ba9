"""Turn the phone numbers in the crisis message into call links."""

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Short crisis codes (911, 988) and ordinary numbers such as 1-800-273-8255.
_PHONE_NUMBER = re.compile(r"(?<![\w-])(\+?\d[\d\s().-]{1,18}\d)(?![\w-])")


def dialable(number):
    """A phone number as a tel: or sms: link wants it: digits and a leading +."""
    return re.sub(r"[^\d+]", "", number or "")


def link_phone_numbers(text):
    """Escape `text` and make each phone number in it a `tel:` link."""

    def link(match):
        number = match.group(1)
        dial = dialable(number)
        return format_html('<a href="tel:{}">{}</a>', dial, number)

    return mark_safe(_PHONE_NUMBER.sub(link, escape(text)))


# Words that show a text is about suicidal thoughts or self-harm. Deliberately
# broad: a false alarm costs a crisis box, a miss could cost far more.
_SELF = r"(?:my|him|her|them|your|our)\s?sel(?:f|ves)"
_HARM_VERBS = (
    r"kill|killing|hurt|hurting|harm|harming|cut|cutting|burn|burning|hang|hanging|"
    r"unalive|unaliving|drown|drowning|poison|poisoning|shoot|shooting|starve|starving"
)
_CRISIS_LANGUAGE = re.compile(
    "|".join(
        [
            r"suicid",
            r"self[-\s]?harm",
            r"\b(?:" + _HARM_VERBS + r")\s+" + _SELF,
            r"\bunalive\b",
            r"\bkms\b",
            r"\b(?:end|ending|take|taking|took)\s+(?:my|his|her|their)\s+(?:own\s+)?li(?:fe|ves)",
            r"\bend\s+it\s+all\b",
            r"\b(?:want|wanted|wanting|wanna|going|plan|planning)\s+(?:to\s+)?die\b",
            r"\bbetter\s+off\s+dead\b",
            r"\bwish\s+(?:i|he|she|they)\s+(?:was|were)\s+dead\b",
            r"\bwish\s+(?:i|he|she|they)\s+(?:could\s+)?(?:disappear|not\s+wake\s+up)\b",
            r"\bdon'?t\s+want\s+to\s+(?:live|be\s+alive|be\s+here|exist|wake\s+up)",
            r"\bno\s+(?:reason|point)\s+(?:in\s+|to\s+)?(?:living|live|go(?:ing)?\s+on)\b",
            r"\bslit\s+(?:my|his|her|their)\s+wrists?\b",
            r"\bjump(?:ing)?\s+(?:off|in\s+front\s+of)\b",
            r"\boverdos",
            r"\btoo\s+many\s+(?:pills|tablets)\b",
            # Spanish, matched with accents folded ("dano" for "daño").
            r"\bmatar(?:me|se|te)\b",
            r"\bquitar(?:me|se|te)\s+la\s+vida\b",
            r"\b(?:acabar|terminar)\s+con\s+(?:mi|su|tu)\s+vida\b",
            r"\b(?:hacer(?:me|se)|me\s+hago|me\s+hice|me\s+estoy\s+haciendo|haciendome)\s+dano\b",
            r"\b(?:cortar(?:me|se)|me\s+(?:corto|corte|cortaba|he\s+cortado))\s+(?:los|las|el|la|mis)?"
            r"\s*(?:brazos?|munecas?|piernas?|venas|piel)\b",
            r"\bautolesi",
            r"\bno\s+quiero\s+(?:vivir|seguir\s+viviendo|estar\s+viv[oa]|despertar|existir)\b",
            r"\b(?:quiero|quisiera|deseo)\s+(?:morir(?:me)?|estar\s+muert[oa])\b",
            r"\bmejor\s+muert[oa]s?\b",
            r"\bsobredosis\b",
            r"\bdemasiadas\s+(?:pastillas|pildoras)\b",
            r"\bno\s+(?:vale\s+la\s+pena|tiene\s+sentido)\s+(?:seguir\s+)?(?:viviendo|vivir)\b",
        ]
    )
)
# Apostrophes and spaces as phones and word processors write them.
_SAME_AS_ASCII = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " "})


def mentions_crisis(text):
    """Whether `text` speaks of suicidal thoughts or self-harm.

    Matched after NFKC normalisation and case folding, so full-width or styled letters
    ("ｋｉｌｌ ｍｙｓｅｌｆ", "𝐬𝐮𝐢𝐜𝐢𝐝𝐞") and odd apostrophes read as plain ones, and with
    accents folded, so Spanish written without them ("dano") reads as with them. Only the
    check sees the normalised text: what the person wrote is stored as they wrote it.
    """
    normalised = unicodedata.normalize("NFKC", text or "").casefold().translate(_SAME_AS_ASCII)
    unaccented = "".join(
        char
        for char in unicodedata.normalize("NFKD", normalised)
        if not unicodedata.combining(char)
    )
    return bool(_CRISIS_LANGUAGE.search(unaccented))
