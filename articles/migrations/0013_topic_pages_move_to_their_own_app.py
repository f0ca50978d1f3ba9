"""Topic pages now live in the topics app (topics 0001): remove them from this app's state.

Their content types move with them, so the staff groups' permissions, the admin's log
and django-simple-history's records keep pointing at them.
"""

from django.db import migrations

MOVED_MODELS = [
    "topicpage",
    "topicsection",
    "treatmentfact",
    "historicaltopicpage",
    "historicaltopicsection",
    "historicaltreatmentfact",
]


def _move_content_types(apps, from_app, to_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        old = ContentType.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        # Made by a create_permissions run between the two migrations: unused, so the
        # old type, which groups and logs point at, takes its place.
        ContentType.objects.filter(app_label=to_app, model=model).delete()
        old.app_label = to_app
        old.save(update_fields=["app_label"])


def move_to_topics(apps, schema_editor):
    _move_content_types(apps, "articles", "topics")


def move_back_to_articles(apps, schema_editor):
    _move_content_types(apps, "topics", "articles")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_section_order_by_article_id"),
        ("topics", "0001_initial"),
        ("enquiries", "0009_alter_enquiry_treatment"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(move_to_topics, move_back_to_articles),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicaltopicsection",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicaltopicsection",
                    name="page",
                ),
                migrations.RemoveField(
                    model_name="historicaltopicsection",
                    name="section",
                ),
                migrations.RemoveField(
                    model_name="historicaltreatmentfact",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicaltreatmentfact",
                    name="section",
                ),
                migrations.RemoveField(
                    model_name="historicaltreatmentfact",
                    name="treatment",
                ),
                migrations.RemoveField(
                    model_name="topicpage",
                    name="parent",
                ),
                migrations.RemoveField(
                    model_name="topicpage",
                    name="sections",
                ),
                migrations.RemoveField(
                    model_name="treatmentfact",
                    name="treatment",
                ),
                migrations.RemoveField(
                    model_name="topicsection",
                    name="page",
                ),
                migrations.RemoveField(
                    model_name="topicsection",
                    name="section",
                ),
                migrations.RemoveField(
                    model_name="treatmentfact",
                    name="section",
                ),
                migrations.DeleteModel(
                    name="HistoricalTopicPage",
                ),
                migrations.DeleteModel(
                    name="HistoricalTopicSection",
                ),
                migrations.DeleteModel(
                    name="HistoricalTreatmentFact",
                ),
                migrations.DeleteModel(
                    name="TopicPage",
                ),
                migrations.DeleteModel(
                    name="TopicSection",
                ),
                migrations.DeleteModel(
                    name="TreatmentFact",
                ),
            ],
            database_operations=[],
        ),
    ]
