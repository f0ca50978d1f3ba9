"""Search in Spanish looks only through approved Spanish translations, matches a word's other
forms (Snowball's Spanish stems, as PostgreSQL's `spanish` configuration has them) and its
spelling with or without accents, on SQLite as on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from front.search import search
from publishing import workflow
from tests.factories import approve_translation
from translations.models import Translation

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"


def _approve_spanish(slug=SHORT):
    return approve_translation(Article.objects.get(slug=slug))


def _urls(query, language="es"):
    return [hit.url for hit in search(query, language=language).hits]


def test_an_unapproved_translation_is_never_found():
    assert _urls("trastorno bipolar") == []
    _approve_spanish()
    urls = _urls("trastorno bipolar")
    assert urls[0].endswith(f"/articles/{SHORT}/#ketamine-therapy-for-bipolar-disorder")


def test_a_word_finds_its_other_forms_and_is_found_without_its_accents():
    _approve_spanish()
    # "pacientes" in the text, "paciente" asked; "depresión" in the text, typed without its
    # accent and in capitals, as on a phone keyboard.
    singular = _urls("paciente bipolar")
    assert any("#ketamine-therapy-for-bipolar-disorder" in url for url in singular)
    unaccented = _urls("DEPRESION resistente")
    assert any("#ketamine-therapy-for-treatment-resistant-depression" in url for url in unaccented)


def test_the_hit_shows_the_spanish_heading_and_marks_the_words_found():
    _approve_spanish()
    (hit, *_) = search("ansiedad pandemia", language="es").hits
    assert hit.title == "Terapia con ketamina para la ansiedad"
    assert "<mark>" in hit.snippet and "pandemia" in hit.snippet.lower()


def test_spanish_words_are_not_found_in_english_nor_english_ones_in_spanish():
    _approve_spanish()
    assert _urls("ansiedad", language="en") == []
    assert _urls("electroencephalogram", language="es") == []


def test_taking_a_translation_down_takes_it_out_of_spanish_search_at_once():
    translation = _approve_spanish()
    assert _urls("trastorno bipolar")
    workflow.unpublish(Translation.objects.get(pk=translation.pk))
    assert _urls("trastorno bipolar") == []


def test_spanish_stop_words_alone_match_nothing():
    _approve_spanish()
    results = search("¿qué es la de?", language="es")
    assert results.hits == []


def test_a_spanish_search_costs_the_same_queries_however_many_translations():
    def count():
        search("ketamina", language="es")  # builds the index, as the first search after a change
        with CaptureQueriesContext(connection) as queries:
            search("ketamina", language="es")
        return len(queries)

    _approve_spanish()
    one = count()
    _approve_spanish("ketamine-therapy-for-depression-guide")
    assert count() == one
