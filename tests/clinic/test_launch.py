"""Nothing unfinished in front of patients; what is missing is on the launch checklist."""

import lxml.html
import pytest
from django.core.checks import run_checks

from clinic.models import ClinicSettings

pytestmark = pytest.mark.django_db

PAGES = ["/", "/articles/", "/safety/", "/treatments/", "/privacy/", "/accessibility/", "/enquire/"]


def _launch_checks():
    return run_checks(tags=["launch"], include_deployment_checks=True)


@pytest.mark.parametrize("url", PAGES)
def test_no_page_shows_a_placeholder_or_an_empty_contact_heading(client, url):
    html = client.get(url).content.decode()
    assert "[To be supplied" not in html
    assert "Contact ATMA CENA" not in html, "no contact block with nothing in it"
    footer = lxml.html.fromstring(html).xpath("//footer")[0]
    links = footer.xpath(".//a/@href")
    assert "/privacy/" in links and "/accessibility/" in links


def test_supplied_details_appear_as_links_and_missing_ones_stay_out(client):
    clinic = ClinicSettings.load()
    clinic.phone = "(555) 010-0199"
    clinic.save()
    document = lxml.html.fromstring(client.get("/privacy/").content)
    (details,) = document.xpath("//main//dl[@class='contact-details']")
    assert details.xpath(".//a/@href") == ["tel:5550100199"]
    assert [dt.text for dt in details.xpath("./dt")] == ["Phone"]


def test_privacy_notice_says_how_to_reach_the_clinic_with_nothing_configured(client):
    document = lxml.html.fromstring(client.get("/privacy/").content)
    choices = document.xpath("//h2[.='Your choices']/following-sibling::p[1]")[0]
    assert choices.xpath(".//a/@href") == ["/enquire/"]
    assert "quoting your reference number" in choices.text_content()


CONTACT_CHECKS = {"clinic.W001", "clinic.W002", "clinic.W003"}


def test_the_system_check_names_each_missing_contact_detail():
    messages = [m.msg for m in _launch_checks() if m.id in CONTACT_CHECKS]
    assert messages == [
        "The clinic's phone is not set, so public pages leave it out.",
        "The clinic's email is not set, so public pages leave it out.",
        "The clinic's address is not set, so public pages leave it out.",
    ]
    clinic = ClinicSettings.load()
    clinic.email = "hello@clinic.example"
    clinic.save()
    ids = [m.id for m in _launch_checks() if m.id in CONTACT_CHECKS]
    assert ids == ["clinic.W001", "clinic.W003"]


def test_the_system_check_names_each_editorial_statement_not_yet_written(client):
    ids = [m.id for m in _launch_checks() if m.id in {"clinic.W004", "clinic.W005"}]
    assert ids == ["clinic.W004", "clinic.W005"]
    clinic = ClinicSettings.load()
    clinic.funding = "The clinic pays for this site from its fees. No drug maker pays for it."
    clinic.save()
    messages = [m.msg for m in _launch_checks() if m.id in {"clinic.W004", "clinic.W005"}]
    assert messages == [
        "The clinic's statement of conflicts of interest is not written, so the editorial "
        "policy page leaves it out."
    ]


def test_the_system_check_names_published_pages_never_reviewed():
    from articles.models import Article

    unreviewed = {m.msg for m in _launch_checks() if m.id == "articles.W001"}
    assert (
        "Article “Who Can Benefit From Ketamine Therapy?” is published but has never been "
        "medically reviewed."
    ) in unreviewed
    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(
        reviewed_by="A. Clinician, MD", last_reviewed_on="2026-11-01"
    )
    assert not any("Who Can Benefit" in m.msg for m in _launch_checks() if m.id == "articles.W001")


def test_the_system_check_finds_placeholder_text_in_content():
    from articles.models import Section

    section = Section.objects.first()
    section.body += "\n\nPrices: [To be supplied by the clinic]"
    section.save()
    assert any(m.id == "articles.W002" and str(section) in m.msg for m in _launch_checks())


def test_the_system_check_names_topic_pages_never_reviewed_or_holding_placeholders():
    from topics.models import TopicPage

    unreviewed = {m.msg for m in _launch_checks() if m.id == "topics.W001"}
    assert (
        "Topic page “Is ketamine therapy safe?” is published but has never been medically reviewed."
        in unreviewed
    )
    safety = TopicPage.objects.get(slug="safety")
    safety.reviewed_by, safety.last_reviewed_on = "A. Clinician, MD", "2026-11-01"
    safety.intro += " TODO: add the clinic's own monitoring times."
    safety.save()
    messages = {(m.id, m.msg) for m in _launch_checks()}
    assert not any(
        "Is ketamine therapy safe?" in msg for id_, msg in messages if id_ == "topics.W001"
    )
    assert (
        "topics.W002",
        "The topic page “Is ketamine therapy safe?” still holds placeholder text.",
    ) in messages


def test_check_deploy_runs_the_launch_checklist(capsys):
    from django.core.management import call_command

    call_command("check", "--deploy", "--fail-level", "CRITICAL")
    output = capsys.readouterr()
    assert "clinic.W001" in output.err + output.out


def test_the_admin_home_shows_the_checklist(staff_client):
    document = lxml.html.fromstring(staff_client.get("/admin/").content)
    (checklist,) = document.xpath("//div[@id='launch-checklist']")
    text = " ".join(checklist.text_content().split())
    assert "The clinic's phone is not set" in text
    assert "has never been medically reviewed" in text


def test_the_checklist_names_what_patients_ask_that_no_source_answers(staff_client):
    from articles.models import Article
    from tests.factories import make_article, make_section

    messages = [m.msg for m in _launch_checks() if m.id == "topics.W004"]
    assert [msg.split(", and")[0] for msg in messages] == [
        "Patients ask about pregnancy and breastfeeding",
        "Patients ask about driving after a session",
        "Patients ask about medicines that interact with ketamine",
        "Patients ask about what to do if unwell after a session",
    ]
    text = " ".join(
        lxml.html.fromstring(staff_client.get("/admin/").content)
        .xpath("//div[@id='launch-checklist']")[0]
        .text_content()
        .split()
    )
    assert "Patients ask about driving after a session" in text

    draft = make_article(status=Article.Status.DRAFT)
    make_section(article=draft, heading="Driving home afterwards", body="Text.")
    assert len([m for m in _launch_checks() if m.id == "topics.W004"]) == 4, "a draft answers none"
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED)
    remaining = [m.msg for m in _launch_checks() if m.id == "topics.W004"]
    assert len(remaining) == 3 and not any("driving" in msg for msg in remaining)
