"""The treatment an enquiry names is now a topics.TopicPage: same table, state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0008_handlers_requeue_notifications"),
        ("topics", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="enquiry",
                    name="treatment",
                    field=models.ForeignKey(
                        blank=True,
                        limit_choices_to={"parent__slug": "treatments"},
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="topics.topicpage",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
