"""Name particles ("de" in de Maricourt) kept beside the family name, as CSL does."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('references', '0004_watch_for_public_changes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalreferenceauthor',
            name='particle',
            field=models.CharField(blank=True, help_text='A particle kept with the family name, for example de, van.', max_length=40),
        ),
        migrations.AddField(
            model_name='referenceauthor',
            name='particle',
            field=models.CharField(blank=True, help_text='A particle kept with the family name, for example de, van.', max_length=40),
        ),
    ]
