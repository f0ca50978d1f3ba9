"""Patients' questions, typed as they type them (`patient_questions.py`), find their pages.

Each must bring one of its pages into the first three results, on SQLite and on
PostgreSQL alike (the suite runs on both); the seed synonyms (front migration 0002) are
part of what is tested, as patients meet them.
"""

import pytest

from front.search import search
from tests.front.patient_questions import QUESTIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("question, answers", QUESTIONS, ids=[q for q, _ in QUESTIONS])
def test_each_question_finds_its_page_in_the_first_three(question, answers):
    first = [hit.url for hit in search(question).hits[:3]]
    assert answers & set(first), first


def test_what_the_sources_do_not_answer_is_named_not_hidden():
    assert search("pregnant").hits == [] and search("pregnant").missing == ["pregnant"]
    partly = search("can i take it while pregnant")
    assert partly.missing == ["pregnant"], "the words found are shown, the others named"
