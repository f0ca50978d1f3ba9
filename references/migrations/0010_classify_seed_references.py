"""The seed references whose own title or type says what kind of evidence they are.

Only where the work states it: two titles say "systematic review" and "meta-analysis", one
"randomized clinical trial", one "A Review" (not a systematic one); one is a book, and two
are an organisation's web page. The other fourteen stay not-classified until an editor
reads them. A reference an editor has changed since (its title is no longer the seed's, or
its kind is already set) is left as it is. `references/fixtures/references.json` carries
the same kinds for a fresh database; tests/references/test_evidence.py lists each and why.
"""

from django.db import migrations

SEED_KINDS = {
    "whittaker2021": (
        "systematic-review",
        "Systematic Review and meta-analysis of randomized controlled trials of ketamine in "
        "the treatment of refractory anxiety spectrum disorders",
    ),
    "wilkinson2018": (
        "systematic-review",
        "The Effect of a Single Dose of Intravenous Ketamine on Suicidal Ideation: A "
        "Systematic Review and Individual Participant Data Meta-Analysis",
    ),
    "feder2014": (
        "randomized-controlled-trial",
        "Efficacy of intravenous ketamine for treatment of chronic posttraumatic stress "
        "disorder: a randomized clinical trial",
    ),
    "wilkowska2020": ("narrative-review", "Ketamine in Bipolar Disorder: A Review"),
    "apa-dsm5": ("book", "Diagnostic and Statistical Manual of Mental Disorders: DSM-5"),
    "who-depression": ("organisation-page", "Depression"),
    "cdc2021": (
        "organisation-page",
        "National and state trends in anxiety and depression severity scores among adults "
        "during the COVID-19 pandemic – United States, 2020–2021",
    ),
}


def classify(apps, schema_editor):
    Reference = apps.get_model("references", "Reference")
    for key, (kind, title) in SEED_KINDS.items():
        Reference.objects.filter(key=key, title=title, evidence_type="not-classified").update(
            evidence_type=kind
        )


class Migration(migrations.Migration):
    dependencies = [("references", "0009_evidence_type_and_retraction")]

    operations = [migrations.RunPython(classify, migrations.RunPython.noop)]
