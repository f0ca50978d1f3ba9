"""The kind of evidence each reference is: read from PubMed, kept, exported, and shown to
patients beside every reference in plain words."""

import importlib
import json
from pathlib import Path

import lxml.html
import pytest
from django.apps import apps

from articles.models import SectionCitation
from references import exporting, importing
from references.evidence import EvidenceType, classify
from references.models import Reference
from tests.factories import make_article, make_reference
from tests.references.imports import preview, preview_and_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def _all(node, selector):
    """Elements under `node` matching "tag.class" or ".class" (lxml without cssselect)."""
    tag, _dot, name = selector.rpartition(".")
    has_class = f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
    return node.xpath(f".//{tag or '*'}[{has_class}]")


# Every seed reference, its kind, and why: only what the work says of itself.
SEED_EVIDENCE = {
    "whittaker2021": ("systematic-review", "title: “Systematic Review and meta-analysis”"),
    "wilkinson2018": ("systematic-review", "title: “A Systematic Review and … Meta-Analysis”"),
    "feder2014": ("randomized-controlled-trial", "title: “a randomized clinical trial”"),
    "wilkowska2020": ("narrative-review", "title: “A Review”, not a systematic one"),
    "apa-dsm5": ("book", "its type is book (the DSM-5)"),
    "who-depression": ("organisation-page", "a web page by the World Health Organization"),
    "cdc2021": ("organisation-page", "a web page by the Centers for Disease Control"),
    "zunszain2013": ("not-classified", "title names mechanisms, not a kind of study"),
    "verdonk2019": ("not-classified", "title names a target and biomarker, not a design"),
    "alharbi2012": ("not-classified", "“trends, challenges, and future directions”: unstated"),
    "bergfeld2018": ("not-classified", "title names topics only"),
    "nuss2015": ("not-classified", "title names a mechanism only"),
    "shadli2018": ("not-classified", "“Ketamine Effects on EEG…”: design unstated"),
    "brachman2016": ("not-classified", "“Depressive-like Behavior” hints at animals; unstated"),
    "krystal2017": ("not-classified", "title names implications, not a design"),
    "abreu2009": ("not-classified", "“an update for the clinician”: kind unstated"),
    "clark2020": ("not-classified", "“Old drug new trick?”: kind unstated"),
    "niesters2014": ("not-classified", "“risks and benefits”: kind unstated"),
    "majeed2018": ("not-classified", "“Evidence, rationale, and advantages”: kind unstated"),
    "goddard2021": ("not-classified", "“Effect of ketamine…”: design unstated"),
    "andrade2017": ("not-classified", "a numbered column; kind unstated"),
}


def test_every_seed_reference_has_the_kind_its_own_title_or_type_states():
    stored = dict(Reference.objects.values_list("key", "evidence_type"))
    assert stored == {key: kind for key, (kind, _why) in SEED_EVIDENCE.items()}


def test_the_data_migration_classifies_a_site_seeded_before_it_and_spares_edited_ones():
    Reference.objects.update(evidence_type="not-classified")
    Reference.objects.filter(key="feder2014").update(title="Edited by staff since")
    Reference.objects.filter(key="apa-dsm5").update(evidence_type="guideline")  # set by hand
    migration = importlib.import_module("references.migrations.0010_classify_seed_references")
    migration.classify(apps, None)
    stored = dict(Reference.objects.values_list("key", "evidence_type"))
    expected = {key: kind for key, (kind, _why) in SEED_EVIDENCE.items()}
    assert stored == {**expected, "feder2014": "not-classified", "apa-dsm5": "guideline"}


@pytest.mark.parametrize(
    "types, headings, kind, retracted",
    [
        (["Journal Article", "Meta-Analysis", "Review"], [], "systematic-review", False),
        (["Practice Guideline", "Systematic Review"], [], "guideline", False),
        (
            ["Randomized Controlled Trial", "Multicenter Study"],
            ["Humans"],
            "randomized-controlled-trial",
            False,
        ),
        (["Clinical Trial, Phase II"], [], "clinical-trial", False),
        (["Observational Study"], [], "observational-study", False),
        (["Case Reports", "Review"], [], "case-report", False),
        (["Journal Article", "Review"], [], "narrative-review", False),
        (["Letter", "Comment"], [], "editorial-or-opinion", False),
        (["Randomized Controlled Trial, Veterinary"], [], "animal-or-laboratory", False),
        (["Journal Article"], ["Animals"], "animal-or-laboratory", False),
        (["Systematic Review"], ["Animals"], "animal-or-laboratory", False),
        (
            ["Randomized Controlled Trial"],
            ["Animals", "Humans"],
            "randomized-controlled-trial",
            False,
        ),
        (["Journal Article", "Retracted Publication"], [], "not-classified", True),
        (["Journal Article", "Retraction of Publication"], [], "not-classified", False),
        (["Journal Article"], [], "not-classified", False),
        (
            ["Systematic review or meta-analysis", "Retracted Publication"],
            [],
            "systematic-review",
            True,
        ),
        (["case-report"], [], "case-report", False),
    ],
)
def test_pubmed_publication_types_and_this_sites_own_labels_classify(
    types, headings, kind, retracted
):
    assert classify(types, subject_headings=headings) == (kind, retracted)


def test_only_a_book_or_an_organisations_page_is_classified_by_its_type():
    assert classify([], reference_type="book") == ("book", False)
    assert classify([], reference_type="webpage", organisation=True) == ("organisation-page", False)
    assert classify([], reference_type="webpage") == ("not-classified", False)
    assert classify(["Review"], reference_type="book") == ("narrative-review", False)


def test_pubmed_records_are_imported_with_their_kind_and_retraction(staff_client):
    text = (SAMPLES / "pubmed_kinds.nbib").read_text()
    previewed = preview(staff_client, text)
    page = previewed.content.decode()
    for label in ["Randomized controlled trial", "Animal or laboratory study", "Case report"]:
        assert label in page
    assert "Retracted" in page
    preview_and_import(staff_client, text)
    stored = {
        reference.pmid: reference
        for reference in Reference.objects.filter(pmid__startswith="900003")
    }
    assert {pmid: ref.evidence_type for pmid, ref in stored.items()} == {
        "90000301": "randomized-controlled-trial",
        "90000302": "animal-or-laboratory",
        "90000303": "not-classified",
        "90000304": "case-report",
    }
    retracted = stored["90000303"]
    assert retracted.retracted is True
    assert retracted.retraction_notice.startswith("J Test Psychiatry. 2020 Jan;11(1):99.")
    assert not any(ref.retracted for pmid, ref in stored.items() if pmid != "90000303")


def test_an_imported_pubmed_record_carries_its_kind_to_the_public_page(staff_client, client):
    preview_and_import(staff_client, (SAMPLES / "pubmed_kinds.nbib").read_text())
    trial = Reference.objects.get(pmid="90000301")
    mice = Reference.objects.get(pmid="90000302")
    article = make_article(
        sections=[f"A trial in people [@{trial.key}], and one in mice [@{mice.key}]."]
    )
    document = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    entries = [li for ol in _all(document, ".reference-list") for li in ol.xpath("./li")]
    assert [entry.get("data-evidence-type") for entry in entries] == [
        "randomized-controlled-trial",
        "animal-or-laboratory",
    ]
    assert [_all(entry, ".reference-list__evidence")[0].text_content() for entry in entries] == [
        "Kind of evidence: Randomized controlled trial",
        "Kind of evidence: Animal or laboratory study",
    ]


def test_every_entry_of_a_seed_articles_list_says_its_kind(client):
    response = client.get("/articles/who-can-benefit-from-ketamine-therapy/")
    document = lxml.html.fromstring(response.content)
    entries = [li for ol in _all(document, ".reference-list") for li in ol.xpath("./li")]
    assert entries
    for entry in entries:
        kind = entry.get("data-evidence-type")
        assert kind in EvidenceType.values
        label = _all(entry, ".reference-list__evidence")[0].text_content()
        assert label == f"Kind of evidence: {EvidenceType(kind).label}"
    guide = _all(document, ".references__guide")[0].xpath(".//a")[0]
    assert guide.get("href") == "/references/how-to-read/"


def test_a_retracted_reference_is_flagged_in_the_list_and_where_it_is_cited(client):
    reference = make_reference(key="withdrawn2019", retracted=True)
    article = make_article(sections=["A claim resting on it [@withdrawn2019]."])
    document = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    (entry,) = [li for ol in _all(document, ".reference-list") for li in ol.xpath("./li")]
    assert entry.get("data-retracted") is not None
    assert "Retracted" in _all(entry, ".reference-list__retracted")[0].text_content()
    (citation,) = [a for sup in _all(document, "sup.citation") for a in sup.xpath(".//a")]
    assert " ".join(citation.text_content().split()) == "Reference 1 retracted"
    assert reference.key == "withdrawn2019"


def test_the_how_to_read_page_explains_every_kind_at_its_own_address(client):
    response = client.get("/references/how-to-read/")
    assert response.status_code == 200
    document = lxml.html.fromstring(response.content)
    assert len(document.xpath("//h1")) == 1
    kinds = {
        entry.get("id"): entry.xpath(".//dt")[0].text_content()
        for entry in _all(document, ".glossary-list__entry")
    }
    assert kinds == {kind.value: str(kind.label) for kind in EvidenceType}
    assert "Retracted" in response.content.decode()


def test_csl_json_carries_the_kind_and_the_retraction_there_and_back():
    Reference.objects.filter(key="clark2020").update(
        retracted=True, retraction_notice="Retraction in: Anesthesiology. 2021;1:1."
    )
    keep = ["key", "evidence_type", "retracted", "retraction_notice"]
    before = list(Reference.objects.order_by("key").values(*keep))
    exported = exporting.to_csl_json(Reference.objects.prefetch_related("authors").order_by("key"))
    item = next(item for item in json.loads(exported) if item["id"] == "feder2014")
    assert item["custom"] == {"evidence-type": "randomized-controlled-trial"}
    SectionCitation.objects.all().delete()
    Reference.objects.all().delete()
    importing.save_new(importing.parse_references(exported))
    assert list(Reference.objects.order_by("key").values(*keep)) == before


def test_ris_carries_the_kind_and_the_retraction_as_its_type_of_work():
    Reference.objects.filter(key="clark2020").update(retracted=True)
    keep = ["key", "evidence_type", "retracted"]
    before = list(Reference.objects.order_by("key").values(*keep))
    exported = exporting.to_ris(Reference.objects.prefetch_related("authors").order_by("key"))
    assert "M3  - Randomized controlled trial\n" in exported
    assert "M3  - Retracted Publication\n" in exported  # clark2020: not classified, retracted
    SectionCitation.objects.all().delete()
    Reference.objects.all().delete()
    importing.save_new(importing.parse_references(exported))
    assert list(Reference.objects.order_by("key").values(*keep)) == before


def test_an_endnote_ris_record_keeps_pubmeds_types_in_its_type_of_work():
    ris = (
        "TY  - JOUR\nTI  - A trial from EndNote\nPY  - 2021\n"
        "M3  - Journal Article; Randomized Controlled Trial\nER  - \n"
    )
    (entry,) = importing.parse_references(ris)
    assert entry.evidence == ("randomized-controlled-trial", False)


def test_editors_set_the_kind_and_mark_a_retraction_in_the_admin(editor):
    from tests.admin_forms import form_values

    reference = Reference.objects.get(key="clark2020")
    url = f"/admin/references/reference/{reference.pk}/change/"
    data = form_values(editor.get(url))
    data.update(evidence_type="editorial-or-opinion", retracted="on")
    assert editor.post(url, data).status_code == 302
    reference.refresh_from_db()
    assert (reference.evidence_type, reference.retracted) == ("editorial-or-opinion", True)


def test_a_stored_work_pubmed_now_says_is_retracted_is_pointed_out_at_preview(staff_client):
    stored = make_reference(
        key="brandt2017",
        title="Rapid remission after a single ketamine infusion in fifty patients",
        issued_year=2017,
    )
    previewed = preview(staff_client, (SAMPLES / "pubmed_kinds.nbib").read_text())
    page = previewed.content.decode()
    assert "Already stored as" in page and "brandt2017" in page
    assert "This record says the work is retracted; the stored reference is not marked so." in page
    stored.retracted = True
    stored.save()
    again = preview(staff_client, (SAMPLES / "pubmed_kinds.nbib").read_text()).content.decode()
    assert "the stored reference is not marked so" not in again
