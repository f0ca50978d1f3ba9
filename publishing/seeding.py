"""The seed content's Spanish translations (translations/seed/es.json), loaded after the
English seed content (topics' `load_seed_content` calls `load_seed_translations` through
settings.SEED_TRANSLATIONS_FUNCTION, being below this app).

The articles, topic pages and glossary entries arrive as drafts submitted for clinical
review: no patient reads them until a reviewer approves them. The clinic's own texts (home
page, crisis strip's label, crisis message, disclaimer) are published at once, as the
English ones are by the clinic's settings: they translate the built-in English defaults,
and a Spanish-speaking patient must find help in a crisis from the first day.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from articles.models import Article, KeyPoint, Section
from clinic.models import ClinicSettings
from glossary.models import GlossaryEntry
from topics.models import TopicKeyPoint, TopicPage, TreatmentFact
from translations.models import Translation

from . import workflow
from .translating import load_source, rendered, source_state

SEED_FILE = Path(settings.BASE_DIR) / "translations" / "seed" / "es.json"
SEED_SUMMARY = "Seed translation, loaded with the seed content"


def load_seed_translations(path=SEED_FILE):
    """Load the seed translations of the seed content present; returns how many. Rows not
    in the database (content deleted, or not the seed's) are left out."""
    seed = json.loads(Path(path).read_text(encoding="utf-8"))
    language = seed["language"]
    contents = {}

    def add(model, pk, relation, key, words):
        content = contents.setdefault((model, pk), {"fields": {}})
        if relation == "fields":
            content["fields"].update({name: text for name, text in words.items() if text})
        else:
            content.setdefault(relation, {})[str(key)] = words

    for pk, fields in seed["articles"].items():
        add(Article, int(pk), "fields", None, fields)
    for section in Section.objects.filter(pk__in=[int(pk) for pk in seed["sections"]]):
        add(Article, section.article_id, "sections", section.pk, seed["sections"][str(section.pk)])
    for point in KeyPoint.objects.filter(pk__in=[int(pk) for pk in seed["key_points"]]):
        add(
            Article,
            point.article_id,
            "key_points",
            point.pk,
            {"text": seed["key_points"][str(point.pk)]},
        )
    for pk, fields in seed["topic_pages"].items():
        add(TopicPage, int(pk), "fields", None, fields)
    for point in TopicKeyPoint.objects.filter(pk__in=[int(pk) for pk in seed["topic_key_points"]]):
        text = seed["topic_key_points"][str(point.pk)]
        add(TopicPage, point.page_id, "key_points", point.pk, {"text": text})
    for fact in TreatmentFact.objects.filter(pk__in=[int(pk) for pk in seed["treatment_facts"]]):
        text = seed["treatment_facts"][str(fact.pk)]
        add(TopicPage, fact.treatment_id, "facts", fact.pk, {"text": text})
    for pk, fields in seed["glossary"].items():
        add(GlossaryEntry, int(pk), "fields", None, fields)
    add(ClinicSettings, ClinicSettings.load().pk, "fields", None, seed["clinic"])

    loaded = 0
    for (model, pk), content in contents.items():
        content_type = ContentType.objects.get_for_model(model)
        source = load_source(content_type.pk, pk)
        if source is None or Translation.objects.of(source, language).exists():
            continue
        state = source_state(source)
        translation = Translation.objects.create(
            content_type=content_type,
            object_id=pk,
            language=language,
            content=content,
            source_revision_id=state["revision"],
            source_words=state["words"],
        )
        if model is ClinicSettings:
            translation.publish()
            translation.rendered = rendered(content)
            translation.save()
            workflow.ensure_baseline(translation)
        else:
            workflow.record_new_page(translation, user=None)
            workflow.submit(translation, user=None)
        loaded += 1
    return loaded
