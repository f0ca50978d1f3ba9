"""The overstating phrases a clinic's pages are checked for, as a start staff can edit, and
who may edit them: clinical reviewers wholly, content editors add and change (not delete).
The groups are made here if their own migrations (publishing, enquiries) have not run yet.

Negations the sources use stay correct statements: "not FDA-approved", "there is no cure".
"FDA-approved" is flagged only in a sentence about ketamine itself (esketamine is approved).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PHRASES = [
    {
        "phrase": "cure",
        "other_forms": "cures, cured, curing, curative",
        "why": "Ketamine treatments are not shown to cure depression, anxiety, PTSD or pain; "
        "many people who improve need further treatment. Say what the evidence shows (for "
        "example, that symptoms eased in a trial), with its source.",
    },
    {
        "phrase": "guaranteed",
        "other_forms": "guarantee, guarantees",
        "why": "No treatment works for everyone: a promised result is not a claim any study "
        "supports.",
    },
    {
        "phrase": "no side effects",
        "other_forms": "without side effects, free of side effects, side-effect free, "
        "zero side effects",
        "why": "Ketamine has known side effects (dissociation, nausea, dizziness, raised "
        "blood pressure); a page must not say or suggest it has none.",
    },
    {
        "phrase": "100%",
        "other_forms": "100 percent",
        "why": "A figure of 100% (effective, safe, successful) is almost never what a study "
        "found: give the study's own figure, with its source.",
    },
    {
        "phrase": "permanent",
        "other_forms": "permanently, lasting cure",
        "why": "The benefits of ketamine treatment often fade over weeks; a permanent effect "
        "needs long-term evidence. (A harm called permanent may be right: check the source.)",
    },
    {
        "phrase": "non-addictive",
        "other_forms": "not addictive, no risk of addiction, not habit-forming",
        "why": "Ketamine can be misused, and frequent use can lead to psychological "
        "dependence; a page must not say it carries no such risk.",
    },
    {
        "phrase": "no dependence",
        "other_forms": "no physical dependence, no risk of dependence, doesn't cause "
        "dependence, does not cause dependence, doesn't cause physical dependence, does not "
        "cause physical dependence",
        "why": "Whether ketamine leads to dependence depends on dose, frequency and setting; "
        "a flat denial needs a source that says exactly that.",
    },
    {
        "phrase": "FDA-approved",
        "other_forms": "FDA approval, approved by the FDA, FDA-cleared",
        "only_with": "ketamine, infusion, infusions, intravenous, IV",
        "why": "IV ketamine for depression is used off-label: of these treatments only "
        "esketamine nasal spray (Spravato) is FDA-approved, for treatment-resistant "
        "depression. Check the sentence says which treatment, and for what.",
    },
    {
        "phrase": "completely safe",
        "other_forms": "totally safe, perfectly safe, entirely safe, risk-free, no risks",
        "why": "No treatment is without risk; say what the risks are and how they are managed.",
    },
    {
        "phrase": "miracle",
        "other_forms": "miraculous, wonder drug, breakthrough cure",
        "why": "Words that promise wonders set expectations no evidence supports.",
    },
]

ALL = ("add", "change", "delete", "view")
GROUP_PERMISSIONS = {
    "Clinical reviewers": ALL,
    "Content editors": ("add", "change", "view"),
}


def seed(apps, schema_editor):
    ClaimPhrase = apps.get_model("claims", "ClaimPhrase")
    for phrase in PHRASES:
        ClaimPhrase.objects.get_or_create(phrase=phrase["phrase"], defaults=phrase)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are made after migrations
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_claimphrase" for action in actions]
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        assert permissions.count() == len(codenames), codenames
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
