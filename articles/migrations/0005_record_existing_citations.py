"""Fill the section→reference citation table for sections saved before it existed."""

from django.db import migrations

from references.citations import cited_keys


def record_citations(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    SectionCitation = apps.get_model("articles", "SectionCitation")
    Reference = apps.get_model("references", "Reference")
    ids_by_key = dict(Reference.objects.values_list("key", "pk"))
    SectionCitation.objects.bulk_create(
        [
            SectionCitation(section_id=section.pk, reference_id=ids_by_key[key])
            for section in Section.objects.only("pk", "body_html")
            for key in cited_keys(section.body_html)
            if key in ids_by_key
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_history_review_images_citations"),
        ("references", "0003_history"),
    ]

    operations = [migrations.RunPython(record_citations, migrations.RunPython.noop)]
