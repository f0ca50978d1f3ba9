""" "Was this page helpful?": on every article and topic page, stored private and anonymous,
posted without a per-reader token (the origin is checked), throttled and bot-trapped."""

import logging

import lxml.html
import pytest
from django.contrib.auth.models import Group
from django.test import Client

from articles.models import Article
from feedback.models import PageFeedback
from topics.models import TopicPage

pytestmark = pytest.mark.django_db

ARTICLE = "/articles/who-can-benefit-from-ketamine-therapy/"
SITE = "http://testserver"
PAGES = [
    ARTICLE,
    "/articles/ketamine-therapy-for-depression-guide/",
    "/treatments/",
    "/treatments/esketamine-nasal-spray/",
    "/candidacy/",
    "/safety/",
]


def _page_value(client, url):
    document = lxml.html.fromstring(client.get(url).content)
    (form,) = document.xpath("//form[@action='/feedback/']")
    return form, form.xpath(".//input[@name='page']/@value")[0]


def _post(client, page, origin=SITE, **data):
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post("/feedback/", {"page": page, **data}, **headers)


@pytest.fixture
def article_key():
    return f"article:{Article.objects.get(slug='who-can-benefit-from-ketamine-therapy').pk}"


@pytest.mark.parametrize("url", PAGES)
def test_every_article_and_topic_page_asks_and_stays_cached(client, url):
    form, page = _page_value(client, url)
    assert page.split(":")[0] in {"article", "topic"}
    assert not form.xpath(".//input[@name='csrfmiddlewaretoken']"), "no per-reader token"
    assert {i.get("value") for i in form.xpath(".//input[@name='helpful']")} == {"yes", "no"}
    assert "do not include your name" in form.text_content()
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_answer_is_stored_about_its_page_with_nothing_about_the_sender(client, article_key):
    response = _post(client, article_key, helpful="no", comment="  The dosage part confused me. ")
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/thanks/?page={article_key.replace(':', '%3A')}"
    answer = PageFeedback.objects.get()
    assert (answer.article.slug, answer.helpful, answer.comment) == (
        "who-can-benefit-from-ketamine-therapy",
        False,
        "The dosage part confused me.",
    )
    assert answer.language == "en", "the page's language, read from its address"
    fields = {field.name for field in PageFeedback._meta.get_fields()}
    assert fields == {
        "id",
        "article",
        "topic_page",
        "helpful",
        "comment",
        "received_on",
        "language",
    }
    assert not response.cookies and "sessionid" not in client.cookies
    thanks = client.get(response["Location"])
    document = lxml.html.fromstring(thanks.content)
    assert document.xpath("//main//a[starts-with(., 'Back to')]/@href") == [ARTICLE]
    assert not document.xpath("//*[contains(@class, 'crisis-box--urgent')]")
    assert "private" in thanks["Cache-Control"]


def test_a_topic_page_answer_counts_for_the_topic_page(client):
    _, page = _page_value(client, "/treatments/esketamine-nasal-spray/")
    assert _post(client, page, helpful="yes").status_code == 302
    assert PageFeedback.objects.get().topic_page.slug == "esketamine-nasal-spray"


def test_a_comment_about_harming_oneself_gets_the_crisis_box(client, article_key):
    response = _post(client, article_key, helpful="no", comment="Honestly I want to kill myself")
    thanks = lxml.html.fromstring(client.get(response["Location"]).content)
    (box,) = thanks.xpath("//section[contains(@class, 'crisis-box--urgent')]")
    assert "tel:988" in box.xpath(".//a/@href")
    assert "nobody will contact you" in box.text_content()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "http://testserver.elsewhere.example"},
        {"HTTP_REFERER": "https://elsewhere.example/testserver/"},
        {"HTTP_ORIGIN": "null"},
        {},
    ],
    ids=["other origin", "look-alike", "other referer", "null origin alone", "neither"],
)
def test_a_post_from_elsewhere_is_refused_and_nothing_stored(client, article_key, headers):
    response = client.post("/feedback/", {"page": article_key, "helpful": "yes"}, **headers)
    assert response.status_code == 403
    assert "was not stored" in response.content.decode()
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_REFERER": ARTICLE.join([SITE, ""])},
        {"HTTP_ORIGIN": "null", "HTTP_REFERER": SITE + ARTICLE},
    ],
    ids=["referer without origin", "null origin with our referer"],
)
def test_a_browser_that_sends_only_a_referer_is_believed(client, article_key, headers):
    response = client.post("/feedback/", {"page": article_key, "helpful": "yes"}, **headers)
    assert response.status_code == 302 and PageFeedback.objects.count() == 1


def test_the_honeypot_looks_ordinary_stores_nothing_and_is_counted(client, article_key, caplog):
    with caplog.at_level(logging.WARNING, logger="feedback.views"):
        response = _post(client, article_key, helpful="yes", website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == "/feedback/thanks/"
    assert not PageFeedback.objects.exists()
    assert "treated as automated" in caplog.text


def test_posts_are_limited_per_reader_apart_from_enquiries(client, settings, article_key):
    settings.FEEDBACK_RATE_LIMIT = (2, 900)
    settings.ENQUIRY_RATE_LIMIT = (1, 900)
    for _ in range(2):
        assert _post(client, article_key, helpful="yes").status_code == 302
    over = _post(client, article_key, helpful="no", comment="Third thought, kept for later.")
    assert over.status_code == 429
    assert "Third thought, kept for later." in over.content.decode()
    assert PageFeedback.objects.count() == 2

    from django.test import RequestFactory

    from enquiries import throttling

    request = RequestFactory().post("/enquire/")
    assert throttling.allow_post(request), "feedback never uses up the enquiry limit"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"comment": "No choice made"}, "Choose yes or no."),
        ({"helpful": "maybe"}, "Choose yes or no."),
        ({"helpful": "yes", "comment": "x" * 1001}, "at most 1000 characters"),
    ],
)
def test_an_unfinished_answer_comes_back_with_what_was_written(client, article_key, data, message):
    response = _post(client, article_key, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert (data.get("comment") or "")[:200] in html
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize(
    "page", ["", "article:", "article:x", "topic:99999", "article:1" + "0" * 30, "user:1", "\x00"]
)
def test_a_bent_page_field_is_a_clear_message_never_an_error(client, page):
    response = _post(client, page, helpful="yes")
    assert response.status_code == 200
    assert not PageFeedback.objects.exists()


def test_a_draft_takes_no_feedback_and_its_preview_shows_no_form(
    client, article_key, django_user_model
):
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(
        status=Article.Status.DRAFT
    )
    response = _post(client, article_key, helpful="yes")
    assert "no longer takes feedback" in response.content.decode()
    assert not PageFeedback.objects.exists()

    staff = Client()
    staff.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    preview = staff.get(f"/articles/preview/{article_key.split(':')[1]}/")
    assert preview.status_code == 200 and b"Preview" in preview.content
    assert b'action="/feedback/"' not in preview.content
    assert b'action="/feedback/"' in client.get("/safety/").content


def test_answers_are_never_shown_on_a_public_page(client, article_key):
    _post(client, article_key, helpful="no", comment="Zygomorphic remark")
    for url in PAGES + ["/search/?q=zygomorphic", "/sitemap.xml"]:
        assert b"Zygomorphic remark" not in client.get(url).content, url


def test_nothing_a_reader_wrote_reaches_the_log(client, article_key, caplog):
    with caplog.at_level(logging.DEBUG):
        _post(client, article_key, helpful="no", comment="Logan Secret wrote this")
        _post(client, article_key, helpful="no", comment="Logan Secret again", website="x")
    assert "Logan Secret" not in caplog.text


def _member(django_user_model, group):
    user = django_user_model.objects.create_user(group[:10], password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    staff = Client()
    staff.force_login(user)
    return staff


def test_editors_see_answers_counted_per_page(client, django_user_model, article_key):
    _post(client, article_key, helpful="yes")
    _post(client, article_key, helpful="no", comment="Too long.")
    _, safety = _page_value(client, "/safety/")
    _post(client, safety, helpful="yes")
    editor = _member(django_user_model, "Content editors")
    document = lxml.html.fromstring(editor.get("/admin/feedback/pagefeedback/").content)
    rows = [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in document.xpath("//div[@id='feedback-per-page']//tbody/tr")
    ]
    assert rows == [
        ["Who Can Benefit From Ketamine Therapy? (Article)", "1", "1", "1", "2"],
        ["Is ketamine therapy safe? (Topic page)", "1", "0", "0", "1"],
    ]
    link = document.xpath("//div[@id='feedback-per-page']//tbody/tr[1]//a/@href")[0]
    filtered = editor.get("/admin/feedback/pagefeedback/" + link)
    assert filtered.status_code == 200 and b"Too long." in filtered.content
    assert editor.get("/admin/feedback/pagefeedback/add/").status_code == 403


def test_reviewers_read_answers_and_enquiry_handlers_do_not(django_user_model):
    assert (
        _member(django_user_model, "Clinical reviewers")
        .get("/admin/feedback/pagefeedback/")
        .status_code
        == 200
    )
    assert (
        _member(django_user_model, "Enquiry handlers")
        .get("/admin/feedback/pagefeedback/")
        .status_code
        == 403
    )


def test_a_topic_page_taken_down_keeps_its_answers_for_editors(client):
    _, page = _page_value(client, "/safety/")
    _post(client, page, helpful="yes")
    TopicPage.objects.filter(slug="safety").update(status=TopicPage.Status.DRAFT)
    assert PageFeedback.objects.get().topic_page.slug == "safety"
