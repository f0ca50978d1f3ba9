"""References staff can trust: cited-in lists, protected deletes, duplicate warnings, exports."""

import json

import bibtexparser
import pytest
import rispy

from references.models import Reference
from tests.factories import reference_form_data

pytestmark = pytest.mark.django_db


def test_reference_shows_the_sections_citing_it(staff_client):
    reference = Reference.objects.get(key="zunszain2013")
    html = staff_client.get(f"/admin/references/reference/{reference.pk}/change/").content.decode()
    assert "How ketamine works" in html
    assert "Ketamine Therapy for Treatment-Resistant Depression" in html


def test_deleting_a_cited_reference_is_refused_with_the_sections(staff_client):
    reference = Reference.objects.get(key="niesters2014")
    url = f"/admin/references/reference/{reference.pk}/delete/"
    page = staff_client.get(url).content.decode()
    assert "protected" in page and "Ketamine Therapy for Chronic Pain" in page
    staff_client.post(url, {"post": "yes"})
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_uncited_reference_can_be_deleted(staff_client):
    from tests.factories import make_reference

    reference = make_reference(key="unused")
    staff_client.post(f"/admin/references/reference/{reference.pk}/delete/", {"post": "yes"})
    assert not Reference.objects.filter(pk=reference.pk).exists()


def _reference_form(**fields):
    fields = {
        "key": "maybe-duplicate",
        "title": "Ketamine for chronic pain: risks and benefits",
        "issued_year": "2014",
        **fields,
    }
    return reference_form_data(**fields)


def test_same_title_and_year_warns_and_offers_the_existing_key(staff_client):
    response = staff_client.post("/admin/references/reference/add/", _reference_form())
    assert response.status_code == 200
    assert "cite it as [@niesters2014]" in response.content.decode()
    assert not Reference.objects.filter(key="maybe-duplicate").exists()
    response = staff_client.post(
        "/admin/references/reference/add/", _reference_form(save_anyway="on")
    )
    assert response.status_code == 302
    assert Reference.objects.filter(key="maybe-duplicate").exists()


def test_article_references_export_as_bibtex_ris_and_csl_json(client):
    base = "/articles/who-can-benefit-from-ketamine-therapy/references"
    bib = client.get(base + ".bib")
    assert bib.headers["Content-Type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(bib.content.decode())
    assert len(library.entries) == 21
    brachman = next(e for e in library.entries if e.key == "brachman2016")
    assert brachman.fields_dict["doi"].value == "10.1016/j.biopsych.2015.04.022"

    entries = rispy.loads(client.get(base + ".ris").content.decode())
    assert len(entries) == 21
    assert {e["doi"] for e in entries if "doi" in e} >= {"10.1038/mp.2013.87"}

    items = json.loads(client.get(base + ".json").content)
    who = next(item for item in items if item["id"] == "who-depression")
    assert who["author"] == [{"literal": "World Health Organization"}]
    assert who["container-title"] == "World Health Organization"


def test_page_export_holds_only_that_pages_references(client):
    safety = {
        item["id"] for item in json.loads(client.get("/topics/safety/references.json").content)
    }
    assert safety == {"goddard2021", "andrade2017"}  # the cited sections of that page only
    candidacy = {
        item["id"] for item in json.loads(client.get("/topics/candidacy/references.json").content)
    }
    assert "cdc2021" in candidacy
    assert "zunszain2013" in candidacy
    all_items = json.loads(client.get("/references/all.json").content)
    assert len(all_items) == Reference.objects.count()


def test_admin_export_action(staff_client):
    ids = list(
        Reference.objects.filter(key__in=["feder2014", "abreu2009"]).values_list("pk", flat=True)
    )
    response = staff_client.post(
        "/admin/references/reference/", {"action": "export_ris", "_selected_action": ids}
    )
    entries = rispy.loads(response.content.decode())
    assert sorted(e["id"] for e in entries) == ["abreu2009", "feder2014"]


def test_public_export_of_all_references_leaves_out_sources_of_drafts(client):
    from articles.models import Article

    Article.objects.filter(slug="who-can-benefit-from-ketamine-therapy").update(status="draft")
    assert json.loads(client.get("/references/all.json").content) == []


def test_a_later_save_of_a_reference_is_refused_naming_what_changed(
    staff_client, django_user_model
):
    from django.test import Client

    from tests.admin_forms import form_values

    reference = Reference.objects.get(key="clark2020")
    url = f"/admin/references/reference/{reference.pk}/change/"
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("sam", "s@x.test", "pw"))
    mine, theirs = form_values(staff_client.get(url)), form_values(other.get(url))
    mine["title"] = "Ketamine for chronic pain: old drug, new trick?"
    assert staff_client.post(url, mine).status_code == 302
    theirs["volume"] = "134"
    refused = other.post(url, theirs)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "editor saved this reference at" in page and "changed: title" in page
    assert 'value="134"' in page  # Sam's input is still in the form
    reference.refresh_from_db()
    assert (reference.title, reference.volume) == (mine["title"], "133")
    # Having compared, a second save keeps Sam's version.
    assert other.post(url, form_values(refused)).status_code == 302
