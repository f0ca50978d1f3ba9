"""Go-live and take-down times for topic pages, acted on by the background worker."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('topics', '0002_treatment_fact_order_by_page_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltopicpage',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Unpublish at this time, for content that must not outlive it.', null=True, verbose_name='take down at'),
        ),
        migrations.AddField(
            model_name='historicaltopicpage',
            name='go_live_at',
            field=models.DateTimeField(blank=True, help_text='Publish at this time once a clinical reviewer has approved it. Empty: on approval.', null=True, verbose_name='go live at'),
        ),
        migrations.AddField(
            model_name='topicpage',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Unpublish at this time, for content that must not outlive it.', null=True, verbose_name='take down at'),
        ),
        migrations.AddField(
            model_name='topicpage',
            name='go_live_at',
            field=models.DateTimeField(blank=True, help_text='Publish at this time once a clinical reviewer has approved it. Empty: on approval.', null=True, verbose_name='go live at'),
        ),
    ]
