"""Approval keeps its review dates on the revision until the content goes live, and the
worker's failed steps are kept for staff to see.

Revisions approved before this change already gave their page its credit; they keep the
page's next review date, so going live later does not clear it."""

import django.db.models.deletion
from django.db import migrations, models


def keep_next_review_of_approved(apps, schema_editor):
    Revision = apps.get_model("publishing", "Revision")
    for revision in Revision.objects.filter(status="approved").select_related("content_type"):
        page = (
            apps.get_model(revision.content_type.app_label, revision.content_type.model)
            .objects.filter(pk=revision.object_id)
            .first()
        )
        if page is not None:
            revision.next_review_on = page.next_review_on
            revision.save(update_fields=["next_review_on"])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('publishing', '0002_clinical_reviewers'),
    ]

    operations = [
        migrations.AddField(
            model_name='revision',
            name='next_review_on',
            field=models.DateField(blank=True, null=True, verbose_name='next review due'),
        ),
        migrations.AddField(
            model_name='revision',
            name='undid',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='publishing.revision'),
        ),
        migrations.CreateModel(
            name='ScheduleProblem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('step', models.CharField(choices=[('go_live', 'Go live'), ('take_down', 'Take down')], max_length=10)),
                ('reason', models.TextField(help_text='Why it failed, in words staff can act on.')),
                ('retrying', models.BooleanField(default=True)),
                ('failures', models.PositiveIntegerField(default=1)),
                ('first_failed_at', models.DateTimeField(auto_now_add=True)),
                ('last_failed_at', models.DateTimeField(auto_now=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='publishing.revision')),
            ],
            options={
                'ordering': ['first_failed_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('content_type', 'object_id', 'step'), name='one_problem_per_page_step')],
            },
        ),
        migrations.RunPython(keep_next_review_of_approved, migrations.RunPython.noop),
    ]
