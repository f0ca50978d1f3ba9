"""Go-live and take-down times for articles, acted on by the background worker."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0013_topic_pages_move_to_their_own_app'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Unpublish at this time, for content that must not outlive it.', null=True, verbose_name='take down at'),
        ),
        migrations.AddField(
            model_name='article',
            name='go_live_at',
            field=models.DateTimeField(blank=True, help_text='Publish at this time once a clinical reviewer has approved it. Empty: on approval.', null=True, verbose_name='go live at'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='Unpublish at this time, for content that must not outlive it.', null=True, verbose_name='take down at'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='go_live_at',
            field=models.DateTimeField(blank=True, help_text='Publish at this time once a clinical reviewer has approved it. Empty: on approval.', null=True, verbose_name='go live at'),
        ),
    ]
