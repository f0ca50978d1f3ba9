"""Never stale: every write that can change a public page is on the next public GET.

The contract has two halves. Every table a public page is made from carries the
triggers that change the content version (and a new model must be classified here
before the suite passes). And each kind of change staff make, through the admin,
history, imports, fixtures or commands, is seen by the very next anonymous request
for every page that shows it, although those pages were cached just before.
"""

import io
import json
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from PIL import Image

from articles.models import Article, Section
from clinic.models import ClinicSettings
from pagecache import triggers
from pagecache.models import current_version
from pagecache.triggers import watched_tables
from publishing.models import Revision
from references.formatting import format_pending
from references.models import Reference
from tests.factories import publish_pending
from tests.references.imports import preview_and_import
from topics.models import TopicPage, TopicSection, TreatmentFact

pytestmark = pytest.mark.django_db

# Tables whose rows appear on public pages.
WATCHED = {
    "articles.Article",
    "articles.Section",
    "articles.SectionCitation",
    "topics.TopicPage",
    "topics.TopicSection",
    "topics.TreatmentFact",
    "articles.KeyPoint",
    "topics.TopicKeyPoint",
    "glossary.GlossaryEntry",
    "references.Reference",
    "references.ReferenceAuthor",
    "clinic.ClinicSettings",
    "front.SynonymGroup",
    "front.NoResultTopic",
    "translations.Translation",
}
# Every other model of ours, and why no public page shows it.
NEVER_ON_PUBLIC_PAGES = {
    "enquiries.Enquiry": "enquiries are private to handlers",
    "enquiries.EnquiryNote": "handlers' notes",
    "enquiries.StatusChange": "handlers' audit trail",
    "enquiries.RoutingRule": "who is emailed, staff only",
    "enquiries.Notification": "the staff email outbox",
    "enquiries.NotificationAttempt": "what the mail server said, staff only",
    "enquiries.PostCount": "the enquiry rate limit's counts",
    "pagecache.ContentVersion": "the version itself",
    "publishing.Revision": "drafts waiting for review; publishing one writes the watched rows",
    "publishing.ScheduleProblem": "failed scheduled steps, for staff and monitoring only",
    "publishing.StaffProfile": "staff names and credentials; approval copies the credit onto pages",
    "publishing.ReviewComment": "reviewers' comments to editors, staff only",
    "feedback.PageFeedback": "readers' answers, for editors only; never shown publicly",
    "references.ImportBatch": "previewed imports, staff only; importing writes the watched rows",
    "claims.ClaimPhrase": "the phrases reviewers weigh at review, staff only",
    "publishing.SettledClaim": "reviewers' reasons for letting a phrase stand, staff only",
}

ARTICLE_SLUG = "who-can-benefit-from-ketamine-therapy"
ARTICLE = f"/articles/{ARTICLE_SLUG}/"


def _our_models():
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
    }
    for model in apps.get_models():
        if model._meta.app_label not in ours:
            continue
        if model._meta.model_name.startswith("historical"):
            continue  # simple-history's copies, shown only in the admin
        yield model


def _triggers_on(table):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_model_is_watched_or_said_never_to_appear_on_a_public_page():
    labels = {model._meta.label for model in _our_models()}
    unclassified = labels - WATCHED - set(NEVER_ON_PUBLIC_PAGES)
    assert not unclassified, (
        f"Classify {sorted(unclassified)}: add its table to the page cache triggers "
        "(pagecache.triggers.watch_tables in a migration) and to WATCHED, or say why no "
        "public page shows it"
    )
    assert labels >= WATCHED


@pytest.mark.parametrize("label", sorted(WATCHED))
def test_watched_tables_carry_the_triggers(label):
    table = apps.get_model(label)._meta.db_table
    assert any(name.startswith("pagecache_") for name in _triggers_on(table))


@pytest.mark.parametrize("label", sorted(WATCHED))
def test_any_write_to_a_watched_table_changes_the_version(label):
    """Even an UPDATE that bypasses models and signals: no code path can forget."""
    model = apps.get_model(label)
    if not model.objects.exists():  # no seed row: give the UPDATE one to touch
        from front.models import NoResultTopic

        assert model is NoResultTopic, label
        NoResultTopic.objects.create(page=TopicPage.objects.get(slug="safety"))
    before = current_version(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET id = id")
    assert current_version(connection) != before


def test_the_migrations_name_every_watched_table():
    assert set(watched_tables(connection)) == {
        apps.get_model(label)._meta.db_table for label in WATCHED
    }


def test_triggers_lost_in_a_table_rebuild_come_back_after_migrate():
    """SQLite rebuilds a table to alter it, and the rebuild drops the table's triggers."""
    table = Section._meta.db_table
    triggers._uninstall([table], connection)
    before = current_version(connection)
    Section.objects.update(position=F("position"))
    assert current_version(connection) == before, "the triggers really were gone"
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    after_migrate = current_version(connection)
    assert after_migrate != before, "a migrate may have changed content"
    if connection.vendor == "postgresql":  # as the test fixture does for the others
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS pagecache_{table}_change IMMEDIATE")
    Section.objects.update(position=F("position"))
    assert current_version(connection) != after_migrate


def test_inserts_and_deletes_change_the_version():
    reference = Reference.objects.get(key="clark2020")
    before = current_version(connection)
    author = reference.authors.create(position=99, family="Added")
    after_insert = current_version(connection)
    author.delete()
    assert len({before, after_insert, current_version(connection)}) == 3


def test_a_write_elsewhere_leaves_the_version_alone():
    before = current_version(connection)
    from enquiries.models import RoutingRule

    RoutingRule.objects.create(topic="costs")
    assert current_version(connection) == before


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_when_the_change_commits(committed_seed):
    before = current_version(connection)
    with transaction.atomic():
        Article.objects.filter(slug=ARTICLE_SLUG).update(title="Committed title")
        during = current_version(connection)
    assert current_version(connection) != before
    if connection.vendor == "postgresql":
        # Deferred to commit: the version row is locked only while committing.
        assert during == before


# Through the ways staff change content ------------------------------------------------


@pytest.fixture
def visitor():
    return Client()


def _cached(visitor, *urls):
    """Fetch each page twice so it is certainly in the cache before the change."""
    for url in urls:
        visitor.get(url)
        response = visitor.get(url)
        assert response["X-Page-Cache"] == "hit", url


def _text(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _submit(client, url, changes=(), **extra):
    """Post an admin form as a browser would: every field as shown, with `changes`."""
    page = client.get(url)
    assert page.status_code == 200, url
    form = next(
        f
        for f in lxml.html.fromstring(page.content.decode()).forms
        if f.get("id", "").endswith("_form")
    )
    textareas = {element.name for element in form.xpath(".//textarea")}
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value.removeprefix("\n") if name in textareas else value)
    data.update(dict(changes))
    data.update(extra)
    response = client.post(url, data)
    if response.status_code != 302:
        errors = lxml.html.fromstring(response.content).xpath(
            "//*[contains(@class, 'errorlist') or contains(@class, 'errornote')]"
        )
        pytest.fail(f"{url} refused: {[e.text_content().strip() for e in errors]}")
    return response


def _approve(client, page):
    """Submit the page's pending changes and have a clinical reviewer approve them in the
    admin: the moment they reach patients."""
    revision = Revision.objects.of(page).first()
    review = f"/admin/publishing/revision/{revision.pk}/review/"
    if revision.status != Revision.Status.SUBMITTED:
        assert client.post(review, {"action": "submit"}).status_code == 302
    reviewer, _ = get_user_model().objects.get_or_create(
        username="rhea", defaults={"is_staff": True}
    )
    reviewer.groups.add(Group.objects.get(name="Clinical reviewers"))
    reviewing = Client()
    reviewing.force_login(reviewer)
    approval = {"action": "approve", "credit": "Rhea Ward, MD", "next_review_on": "2099-01-01"}
    # A page put back live adds the overstating phrases it holds: each needs a reason.
    form = lxml.html.fromstring(reviewing.get(review).content)
    for name in form.xpath("//form[@id='approve-form']//textarea/@name"):
        approval[name] = "The cited source says so."
    assert reviewing.post(review, approval).status_code == 302


def _shared_section():
    """A section of the article that a topic page also shows."""
    topic_section = (
        TopicSection.objects.select_related("section__article", "page")
        .filter(section__article__slug=ARTICLE_SLUG)
        .first()
    )
    return topic_section.section, topic_section.page


def test_section_edit_reaches_the_article_and_every_topic_page_using_it(staff_client, visitor):
    section, topic = _shared_section()
    _cached(visitor, ARTICLE, topic.get_absolute_url())
    _submit(
        staff_client,
        f"/admin/articles/section/{section.pk}/change/",
        {"body": "A freshly edited paragraph."},
    )
    assert "A freshly edited paragraph." not in _text(visitor, ARTICLE)  # waits for review
    _approve(staff_client, section.article)
    assert "A freshly edited paragraph." in _text(visitor, ARTICLE)
    assert "A freshly edited paragraph." in _text(visitor, topic.get_absolute_url())


def test_article_edit_reaches_its_page_the_list_and_home(staff_client, visitor):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    _cached(visitor, ARTICLE, "/articles/", "/")
    _submit(
        staff_client,
        f"/admin/articles/article/{article.pk}/change/",
        {"title": "Who May Benefit: a retitled article"},
    )
    _approve(staff_client, article)
    for url in (ARTICLE, "/articles/", "/"):
        assert "Who May Benefit: a retitled article" in _text(visitor, url), url


def test_unpublish_and_publish_actions_take_effect_at_once(staff_client, visitor):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    _cached(visitor, ARTICLE, "/articles/")
    changelist = "/admin/articles/article/"
    unpublish = {"action": "unpublish", "_selected_action": [article.pk], "confirmed": "yes"}
    staff_client.post(changelist, unpublish)
    assert visitor.get(ARTICLE).status_code == 404
    assert article.title not in _text(visitor, "/articles/")
    staff_client.post(changelist, {"action": "submit_for_review", "_selected_action": [article.pk]})
    _approve(staff_client, article)
    assert article.title in _text(visitor, ARTICLE)


def test_topic_page_edit_and_its_section_list(staff_client, visitor):
    page = TopicPage.objects.get(slug="safety")
    url = page.get_absolute_url()
    removed = page.topic_sections.select_related("section").first()
    assert removed.section.heading in _text(visitor, url)
    _cached(visitor, url)
    form_url = f"/admin/topics/topicpage/{page.pk}/change/"
    rows = lxml.html.fromstring(staff_client.get(form_url).content.decode()).xpath(
        "//input[starts-with(@name, 'topic_sections-') and substring(@name, string-length(@name) - 2) = '-id']"
    )
    row = next(r.name.removesuffix("-id") for r in rows if r.value == str(removed.pk))
    _submit(
        staff_client, form_url, {"intro": "A new introduction to safety.", f"{row}-DELETE": "on"}
    )
    _approve(staff_client, page)
    html = _text(visitor, url)
    assert "A new introduction to safety." in html
    assert f'id="{removed.section.anchor}"' not in html


def test_treatment_fact_edit_reaches_the_comparison(staff_client, visitor):
    fact = TreatmentFact.objects.first()
    _cached(visitor, "/treatments/")
    form_url = f"/admin/topics/topicpage/{fact.treatment_id}/change/"
    rows = lxml.html.fromstring(staff_client.get(form_url).content.decode()).xpath(
        "//input[starts-with(@name, 'facts-') and substring(@name, string-length(@name) - 2) = '-id']"
    )
    row = next(r.name.removesuffix("-id") for r in rows if r.value == str(fact.pk))
    _submit(staff_client, form_url, {f"{row}-text": "Given in a way nobody has read before"})
    _approve(staff_client, fact.treatment)
    assert "Given in a way nobody has read before" in _text(visitor, "/treatments/")


def test_reference_and_author_edits_reach_pages_and_exports(staff_client, visitor):
    reference = Reference.objects.get(key="zunszain2013")
    section = Section.objects.filter(body__contains="@zunszain2013", article__slug=ARTICLE_SLUG)
    assert section.exists()
    _cached(visitor, ARTICLE, "/references/all.bib")
    author_row = (
        f"authors-{list(reference.authors.values_list('family', flat=True)).index('Zunszain')}"
    )
    _submit(
        staff_client,
        f"/admin/references/reference/{reference.pk}/change/",
        {"title": "A renamed study of ketamine", f"{author_row}-family": "Zunszainova"},
    )
    page = _text(visitor, ARTICLE)
    assert "A renamed study of ketamine" in page and "Zunszainova" in page
    assert "Zunszainova" in _text(visitor, "/references/all.bib")


def test_clinic_settings_reach_every_page(staff_client, visitor):
    """Contact details show at once; the safety texts once a clinical reviewer approves."""
    _cached(visitor, "/", ARTICLE, "/privacy/")
    _submit(
        staff_client,
        "/admin/clinic/clinicsettings/1/change/",
        {"disclaimer": "A disclaimer the clinic has just rewritten.", "phone": "555 0100 23"},
    )
    for url in ("/", ARTICLE, "/privacy/"):
        page = _text(visitor, url)
        assert "555 0100 23" in page, url
        assert "A disclaimer the clinic has just rewritten." not in page, url
    publish_pending(ClinicSettings.load())
    for url in ("/", ARTICLE, "/privacy/"):
        assert "A disclaimer the clinic has just rewritten." in _text(visitor, url), url


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (40, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_featured_image_upload_reaches_the_article(staff_client, visitor):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    assert "<img" not in _text(visitor, ARTICLE)
    _cached(visitor, ARTICLE)
    _submit(
        staff_client,
        f"/admin/articles/article/{article.pk}/change/",
        {"featured_image_alt": "A calm treatment room"},
        featured_image=SimpleUploadedFile("room.jpg", _jpeg(), "image/jpeg"),
    )
    _approve(staff_client, article)
    assert 'alt="A calm treatment room"' in _text(visitor, ARTICLE)


def test_restoring_a_revision_reaches_the_page_once_approved(staff_client, visitor):
    section, _ = _shared_section()
    _submit(
        staff_client, f"/admin/articles/section/{section.pk}/change/", {"body": "A mistaken edit."}
    )
    _approve(staff_client, section.article)
    assert "A mistaken edit." in _text(visitor, ARTICLE)
    _cached(visitor, ARTICLE)
    baseline = Revision.objects.of(section.article).order_by("id").first()
    assert (
        staff_client.post(f"/admin/publishing/revision/{baseline.pk}/restore/").status_code == 302
    )
    _approve(staff_client, section.article)
    assert "A mistaken edit." not in _text(visitor, ARTICLE)


def test_reference_import_reaches_a_page_citing_its_key(staff_client, visitor):
    section, _ = _shared_section()
    section.body += " A later claim [@latecomer2021]."
    section.save()
    _cached(visitor, ARTICLE)
    bibtex = (
        "@article{latecomer2021, author = {Latecomer, Ann}, title = {A study imported late}, "
        "journal = {Journal of Imports}, year = {2021}}"
    )
    response = preview_and_import(staff_client, bibtex, text_format="bibtex")
    assert response.status_code == 302
    assert Reference.objects.filter(key="latecomer2021").exists()
    assert "A study imported late" in _text(visitor, ARTICLE)
    _cached(visitor, ARTICLE)
    format_pending()  # the worker stores its formatted entry: a write like any other
    response = visitor.get(ARTICLE)
    assert response["X-Page-Cache"] == "miss" and "A study imported late" in (
        response.content.decode()
    )


def test_loaddata_reaches_the_page(visitor, tmp_path):
    article = Article.objects.get(slug=ARTICLE_SLUG)
    _cached(visitor, ARTICLE)
    fields = {
        field.name: field.value_from_object(article)
        for field in Article._meta.concrete_fields
        if not field.primary_key
    }
    fields["title"] = "Title from a fixture"
    fixture = [{"model": "articles.article", "pk": article.pk, "fields": fields}]
    path = tmp_path / "change.json"
    path.write_text(json.dumps(fixture, default=str))
    call_command("loaddata", str(path), verbosity=0)
    assert "Title from a fixture" in _text(visitor, ARTICLE)


def _entry(html, author):
    """The reference list entry naming `author`."""
    entries = lxml.html.fromstring(html).xpath("//li[starts-with(@id, 'ref-')]")
    return next(e.text_content() for e in entries if author in e.text_content())


def test_a_management_command_reaches_the_page(visitor, settings):
    _cached(visitor, ARTICLE)
    apa = _entry(_text(visitor, ARTICLE), "Zunszain")
    assert "(2013)" in apa
    settings.CITATION_STYLE = "american-medical-association"
    call_command("format_references", stdout=io.StringIO())
    ama = _entry(_text(visitor, ARTICLE), "Zunszain")
    assert "(2013)" not in ama and "2013;18(12)" in ama
