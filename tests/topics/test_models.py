"""Topic page models: queries as cheap as the pages need."""

import pytest

pytestmark = pytest.mark.django_db


def test_treatment_fact_queries_do_not_join_topic_pages_to_sort(db):
    from topics.models import TreatmentFact

    sql = str(TreatmentFact.objects.all().query)
    assert "articles_topicpage" not in sql
    assert 'ORDER BY "articles_treatmentfact"."treatment_id" ASC' in sql
