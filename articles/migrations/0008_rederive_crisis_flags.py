"""Work out each section's crisis flag again: the matcher now normalises (NFKC) and knows
more phrasings."""

from django.db import migrations

from clinic.crisis import mentions_crisis


def rederive(apps, schema_editor):
    Section = apps.get_model("articles", "Section")
    for section in Section.objects.all():
        flag = mentions_crisis(section.heading) or mentions_crisis(section.body)
        if flag != section.discusses_suicide:
            Section.objects.filter(pk=section.pk).update(discusses_suicide=flag)


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_section_discusses_suicide")]

    operations = [migrations.RunPython(rederive, migrations.RunPython.noop)]
