"""Treatment facts ordered by the page id, not by joining the pages table."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('topics', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='treatmentfact',
            options={'ordering': ['treatment_id', 'aspect']},
        ),
    ]
