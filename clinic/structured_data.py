"""schema.org JSON-LD, written into a page as data that search engines read (never run)."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# As Django's json_script: nothing in the data can close the <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def medical_clinic(clinic, url):
    """The clinic as schema.org's MedicalClinic, with only the details it has supplied."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": clinic.clinic_name,
        "url": url,
    }
    for key, value in (
        ("telephone", clinic.phone),
        ("email", clinic.email),
        ("address", clinic.address),
    ):
        if value:
            data[key] = " ".join(value.split()) if key == "address" else value
    return data
