"""Search tuning is public: writes to it change the page cache's content version. Seed the
synonyms patients need most (staff edit them afterwards), and let content editors edit both."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from pagecache.triggers import watch_tables

SYNONYMS = [
    "price, prices, cost, costs, fee, fees, afford, pay, payment, expensive, dollars, "
    "out of pocket",
    "insurance, insured, covered, coverage",
    "spray, nasal spray, esketamine, spravato",
    "iv, intravenous, infusion, infusions, drip",
    "session, sessions, appointment, appointments",
    "how many sessions, how many treatments, number of sessions, course, maintenance, "
    "twice weekly, six treatments",
    "during a session, during treatment, what happens, experience, experiences, "
    "dissociation, monitoring",
    "how often, frequency, weekly, schedule, schedules",
    "how long, duration, last, lasting",
    "fast, quick, quickly, rapid, rapidly, how soon, within hours",
    "side effects, side effect, side affects, adverse effects",
    "safe, safety, danger, dangerous, risk, risks",
    "should not, not appropriate, not suitable, unsuitable, contraindications, appropriate, "
    "suitable, screening",
    "addiction, addictive, addicted, dependence, abuse",
    "kap, ketamine assisted psychotherapy, ketamine assisted therapy",
    "ptsd, trauma, post traumatic stress",
    "depression, depressed, depressive",
    "anxiety, anxious, worry, worried",
    "eat, eating, food, fasting, meal",
    "drive, driving, transportation, transport, ride",
    "before treatment, before a session, preparation, prepare, preparing, pre treatment",
    "doctor, physician, provider, providers, clinician, psychiatrist",
]
EDITORS = "Content editors"
MODELS = ("synonymgroup", "noresulttopic")
ACTIONS = ("add", "change", "delete", "view")


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("front", "SynonymGroup")
    SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms) for terms in SYNONYMS)
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="front",
            codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
        )
    )


def search_index_meta(apps, schema_editor):
    # SQLite's search table is built when first searched; what it was built from is kept here.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS search_index_meta "
            "(id INTEGER PRIMARY KEY, version INTEGER, schema INTEGER)"
        )


def unseed(apps, schema_editor):
    apps.get_model("front", "SynonymGroup").objects.filter(terms__in=SYNONYMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("front", "0001_initial"),
        ("pagecache", "0001_initial"),
        ("enquiries", "0002_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        watch_tables("front_synonymgroup", "front_noresulttopic"),
        migrations.RunPython(seed, unseed),
        migrations.RunPython(search_index_meta, migrations.RunPython.noop),
    ]
