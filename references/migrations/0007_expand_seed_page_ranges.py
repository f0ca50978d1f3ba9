"""Three seed references gave abbreviated page ranges ("271-80"); write them in full.

Only a range still as first loaded is changed. Its stored formatting is marked stale, so
the entry is formatted afresh when next shown (and stored by `manage.py rerender`).
"""

from django.db import migrations

EXPANDED = {
    "feder2014": ("681-8", "681–688"),
    "abreu2009": ("271-80", "271–280"),
    "niesters2014": ("357-67", "357–367"),
}


def expand(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    for key, (old, new) in EXPANDED.items():
        Reference.objects.filter(key=key, pages=old).update(pages=new, formatted_style="")


def abbreviate(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    for key, (old, new) in EXPANDED.items():
        Reference.objects.filter(key=key, pages=new).update(pages=old, formatted_style="")


class Migration(migrations.Migration):
    dependencies = [("references", "0006_journal_abbreviation")]

    operations = [migrations.RunPython(expand, abbreviate)]
