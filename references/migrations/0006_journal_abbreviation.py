"""The journal's abbreviation beside its full title, as CSL's container-title-short."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('references', '0005_author_particle'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalreference',
            name='container_title_short',
            field=models.CharField(blank=True, help_text="The journal's abbreviation, for example Curr Psychiatry Rep.", max_length=120, verbose_name='abbreviated journal'),
        ),
        migrations.AddField(
            model_name='reference',
            name='container_title_short',
            field=models.CharField(blank=True, help_text="The journal's abbreviation, for example Curr Psychiatry Rep.", max_length=120, verbose_name='abbreviated journal'),
        ),
    ]
