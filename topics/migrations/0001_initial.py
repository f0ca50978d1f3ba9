"""Topic pages move here from the articles app: the models change app, the tables stay.

The tables keep their articles_ names, so moving the models is a change to Django's
state only; articles 0013 removes them from the articles app's state.
"""

import django.db.models.deletion
import markdownx.models
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0012_section_order_by_article_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TopicPage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.CharField(
                                blank=True,
                                help_text="Name and credentials, for example Jane Doe, MD.",
                                max_length=200,
                            ),
                        ),
                        (
                            "last_reviewed_on",
                            models.DateField(
                                blank=True, null=True, verbose_name="page last reviewed"
                            ),
                        ),
                        (
                            "next_review_on",
                            models.DateField(blank=True, null=True, verbose_name="next review due"),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("slug", models.SlugField(max_length=100, unique=True)),
                        (
                            "position",
                            models.PositiveIntegerField(
                                default=0, help_text="Order among its siblings."
                            ),
                        ),
                        (
                            "navigation_label",
                            models.CharField(
                                blank=True,
                                help_text="Shorter name for menus and the comparison table.",
                                max_length=60,
                            ),
                        ),
                        (
                            "summary",
                            models.TextField(
                                help_text="One or two sentences for lists and search results."
                            ),
                        ),
                        (
                            "intro",
                            markdownx.models.MarkdownxField(
                                help_text="The page’s own short introduction. State no medical facts here: they belong in cited sections."
                            ),
                        ),
                        ("intro_html", models.TextField(blank=True, editable=False)),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                default="draft",
                                max_length=10,
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                help_text="For a treatment type: the Treatments page.",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="children",
                                to="topics.topicpage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_topicpage",
                        "ordering": ["position", "title"],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalTreatmentFact",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "aspect",
                            models.CharField(
                                choices=[
                                    ("how_given", "How it is given"),
                                    ("setting", "Where"),
                                    ("course", "Typical course"),
                                    ("session", "Session length"),
                                    ("monitoring", "Monitoring afterwards"),
                                    ("regulatory", "Regulatory status"),
                                    ("insurance", "Insurance and cost"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("text", models.CharField(max_length=300)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="The article section this fact comes from; the table links to it.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="articles.section",
                            ),
                        ),
                        (
                            "treatment",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="topics.topicpage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical treatment fact",
                        "verbose_name_plural": "historical treatment facts",
                        "db_table": "articles_historicaltreatmentfact",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalTopicSection",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="articles.section",
                            ),
                        ),
                        (
                            "page",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="topics.topicpage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical topic section",
                        "verbose_name_plural": "historical topic sections",
                        "db_table": "articles_historicaltopicsection",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalTopicPage",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "reviewed_by",
                            models.CharField(
                                blank=True,
                                help_text="Name and credentials, for example Jane Doe, MD.",
                                max_length=200,
                            ),
                        ),
                        (
                            "last_reviewed_on",
                            models.DateField(
                                blank=True, null=True, verbose_name="page last reviewed"
                            ),
                        ),
                        (
                            "next_review_on",
                            models.DateField(blank=True, null=True, verbose_name="next review due"),
                        ),
                        ("title", models.CharField(max_length=200)),
                        ("slug", models.SlugField(max_length=100)),
                        (
                            "position",
                            models.PositiveIntegerField(
                                default=0, help_text="Order among its siblings."
                            ),
                        ),
                        (
                            "navigation_label",
                            models.CharField(
                                blank=True,
                                help_text="Shorter name for menus and the comparison table.",
                                max_length=60,
                            ),
                        ),
                        (
                            "summary",
                            models.TextField(
                                help_text="One or two sentences for lists and search results."
                            ),
                        ),
                        (
                            "intro",
                            markdownx.models.MarkdownxField(
                                help_text="The page’s own short introduction. State no medical facts here: they belong in cited sections."
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Draft"), ("published", "Published")],
                                default="draft",
                                max_length=10,
                            ),
                        ),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "parent",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="For a treatment type: the Treatments page.",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="topics.topicpage",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical topic page",
                        "verbose_name_plural": "historical topic pages",
                        "db_table": "articles_historicaltopicpage",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="TopicSection",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveIntegerField(default=0)),
                        (
                            "page",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="topic_sections",
                                to="topics.topicpage",
                            ),
                        ),
                        (
                            "section",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="articles.section",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_topicsection",
                        "ordering": ["position", "id"],
                    },
                ),
                migrations.AddField(
                    model_name="topicpage",
                    name="sections",
                    field=models.ManyToManyField(
                        related_name="topic_pages",
                        through="topics.TopicSection",
                        to="articles.section",
                    ),
                ),
                migrations.CreateModel(
                    name="TreatmentFact",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "aspect",
                            models.CharField(
                                choices=[
                                    ("how_given", "How it is given"),
                                    ("setting", "Where"),
                                    ("course", "Typical course"),
                                    ("session", "Session length"),
                                    ("monitoring", "Monitoring afterwards"),
                                    ("regulatory", "Regulatory status"),
                                    ("insurance", "Insurance and cost"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("text", models.CharField(max_length=300)),
                        (
                            "section",
                            models.ForeignKey(
                                help_text="The article section this fact comes from; the table links to it.",
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="articles.section",
                            ),
                        ),
                        (
                            "treatment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="facts",
                                to="topics.topicpage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "articles_treatmentfact",
                        "ordering": ["treatment", "aspect"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="topicsection",
                    constraint=models.UniqueConstraint(
                        fields=("page", "section"), name="topic_section_once_per_page"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="topicpage",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("next_review_on__isnull", True),
                            ("last_reviewed_on__isnull", True),
                            ("next_review_on__gt", models.F("last_reviewed_on")),
                            _connector="OR",
                        ),
                        name="topicpage_next_review_after_last",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="treatmentfact",
                    constraint=models.UniqueConstraint(
                        fields=("treatment", "aspect"), name="one_fact_per_aspect"
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
