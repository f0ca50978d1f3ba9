"""Every change is attributed, a section's versions can be compared and restored."""

import lxml.html
import pytest

from articles.models import Article, Section
from tests.factories import post_section_edit, publish_pending

pytestmark = pytest.mark.django_db


_edit = post_section_edit


@pytest.fixture
def section(db):
    return Section.objects.get(anchor="post-treatment-recovery")


def test_admin_edit_records_who_changed_what(staff_client, staff_user, section):
    from publishing.models import Revision

    original = section.body
    assert _edit(staff_client, section, "Rewritten recovery text.").status_code == 302
    revision = Revision.objects.of(section.article).first()
    assert revision.created_by == staff_user
    assert "edited the text of “Post-Treatment Recovery”" in revision.summary
    publish_pending(section.article)
    latest = section.history.first()
    assert latest.body == "Rewritten recovery text."
    assert latest.prev_record.body == original
    history_page = staff_client.get(
        f"/admin/publishing/revision/page/article/{section.article_id}/"
    ).content.decode()
    assert staff_user.username in history_page
    assert "edited the text of “Post-Treatment Recovery”" in history_page


def test_compare_view_marks_added_and_removed_words(staff_client, section):
    _edit(staff_client, section, "Many patients notice calmer mood improvements within hours.")
    publish_pending(section.article)
    latest = section.history.first()
    url = (
        f"/admin/articles/section/{section.pk}/history/compare/"
        f"{latest.prev_record.history_id}/{latest.history_id}/"
    )
    document = lxml.html.fromstring(staff_client.get(url).content.decode())
    added = " ".join(document.xpath("//div[@class='diff']//ins/text()"))
    removed = " ".join(document.xpath("//div[@class='diff']//del/text()"))
    assert "calmer" in added and "calmer" not in removed
    assert "demanding" in removed and "demanding" not in added


def test_restoring_an_earlier_version_puts_the_old_text_back_once_approved(
    staff_client, client, section
):
    from publishing.models import Revision

    _edit(staff_client, section, "A mistaken edit.")
    publish_pending(section.article)
    assert "A mistaken edit." in client.get(section.article.get_absolute_url()).content.decode()
    # A section's own old version is not put back alone: the page's revisions are offered.
    earlier = section.history.last()
    row_restore = f"/admin/articles/section/{section.pk}/history/{earlier.history_id}/"
    response = staff_client.get(row_restore)
    assert response.status_code == 302
    assert response.url == f"/admin/publishing/revision/page/article/{section.article_id}/"
    baseline = Revision.objects.of(section.article).order_by("id").first()
    staff_client.post(f"/admin/publishing/revision/{baseline.pk}/restore/")
    assert "A mistaken edit." in client.get(section.article.get_absolute_url()).content.decode()
    publish_pending(section.article)
    page = client.get(section.article.get_absolute_url()).content.decode()
    assert "A mistaken edit." not in page
    assert "avoiding demanding activities" in page


def test_history_covers_articles_references_topic_pages_and_facts(staff_client):
    from references.models import Reference
    from topics.models import TopicPage, TreatmentFact

    for model in (Article, Reference, TopicPage, TreatmentFact):
        obj = model.objects.first()
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/history/"
        assert staff_client.get(url).status_code == 200, url


def test_a_reference_is_restored_from_its_history(staff_client):
    from references.models import Reference

    reference = Reference.objects.get(key="clark2020")
    original_title = reference.title
    reference.title = "A mistaken title"
    reference.save()
    earlier = reference.history.filter(title=original_title).first()
    assert earlier is not None, "seed content has a first history record"
    form_url = f"/admin/references/reference/{reference.pk}/history/{earlier.history_id}/"
    form = staff_client.get(form_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update({"authors-TOTAL_FORMS": "0", "authors-INITIAL_FORMS": "0", "save_anyway": "on"})
    data["edit_token"] = form.fields["edit_token"].initial  # the hidden field, as rendered
    assert staff_client.post(form_url, data).status_code == 302
    reference.refresh_from_db()
    assert reference.title == original_title


def test_the_history_list_says_what_changed_in_words(staff_client, section):
    article = section.article
    article.status = Article.Status.DRAFT  # a draft: the edit is saved to the rows at once
    article.save()
    _edit(staff_client, section, section.body + " Three more words.")
    page = staff_client.get(f"/admin/articles/section/{section.pk}/history/").content.decode()
    assert "3 words added, 0 words removed" in page
    assert "chars]" not in page
