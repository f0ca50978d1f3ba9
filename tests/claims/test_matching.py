"""Overstating phrases are found as words, with the negations the sources use left alone."""

import pytest

from claims.matching import Matcher
from claims.models import ClaimPhrase

pytestmark = pytest.mark.django_db


def _found(text):
    return [(match.phrase, match.found) for match in Matcher.active().find(text)]


@pytest.mark.parametrize(
    "text, found",
    [
        # The seed text's own claim, with its curly apostrophe.
        (
            "Unlike other pain management methods like opioids, ketamine doesn\u2019t cause "
            "physical dependence.",
            [("no dependence", "doesn't cause physical dependence")],
        ),
        ("Ketamine cures depression.", [("cure", "cures")]),
        ("A curative treatment.", [("cure", "curative")]),
        ("There is no cure for depression yet.", []),
        ("Ketamine is not a cure.", []),
        ("Ketamine does not cure depression.", []),
        ("Your data is secure here.", []),  # a word containing "cure" is not "cure"
        ("Results are guaranteed.", [("guaranteed", "guaranteed")]),
        ("There is no guarantee it will work.", []),
        ("It has no side effects.", [("no side effects", "no side effects")]),
        ("A side-effect free treatment.", [("no side effects", "side-effect free")]),
        ("It is not without side effects.", []),
        ("It worked for 100% of patients.", [("100%", "100%")]),
        ("It worked for 100 % of patients.", [("100%", "100 %")]),
        ("It is not 100% effective.", []),
        ("It is non-addictive.", [("non-addictive", "non-addictive")]),
        ("It is nonaddictive.", [("non-addictive", "nonaddictive")]),
        ("It is non addictive.", [("non-addictive", "non addictive")]),
        ("Ketamine is not addictive.", [("non-addictive", "not addictive")]),
        # "FDA-approved" said of ketamine, not of esketamine, and not when negated.
        ("IV ketamine is FDA-approved for depression.", [("FDA-approved", "FDA-approved")]),
        ("Ketamine infusions are FDA approved.", [("FDA-approved", "FDA approved")]),
        ("In 2019, the FDA approved esketamine for treatment-resistant depression.", []),
        (
            "While highly effective, IV ketamine use for depression is considered "
            "\u201coff-label,\u201d meaning it\u2019s not specifically FDA-approved for this "
            "indication.",
            [],
        ),
        ("Ketamine isn't currently FDA-approved for depression.", []),
        # A negation in another clause does not clear it.
        ("It's not a pill, and IV ketamine is FDA-approved.", [("FDA-approved", "FDA-approved")]),
        ("Results are permanent.", [("permanent", "permanent")]),
        ("It is completely safe.", [("completely safe", "completely safe")]),
    ],
)
def test_the_seeded_phrases(text, found):
    assert _found(text) == found


def test_each_match_keeps_its_sentence_and_where_it_stands():
    text = "Ketamine helps many people. For some it is a cure! Others need more."
    (match,) = Matcher.active().find(text, where="Section “Risks”")
    assert (match.sentence, match.where) == ("For some it is a cure!", "Section “Risks”")
    assert "cure" in match.why


def test_the_same_phrase_in_the_same_sentence_is_one_claim_wherever_it_stands():
    matcher = Matcher.active()
    (first,) = matcher.find("It is a cure.", where="Summary")
    (moved,) = matcher.find("Intro.\nIt is  a cure.", where="Section “Risks”")
    (other,) = matcher.find("It is a cure for pain.", where="Summary")
    assert first.key == moved.key
    assert first.key != other.key


def test_a_phrase_that_negation_does_not_clear_is_found_after_not():
    ClaimPhrase.objects.filter(phrase="cure").update(negation_clears=False)
    assert _found("Ketamine is not a cure.") == [("cure", "cure")]


def test_inactive_phrases_are_not_looked_for():
    ClaimPhrase.objects.filter(phrase="cure").update(active=False)
    assert _found("Ketamine cures depression.") == []


def test_staff_add_a_phrase_and_it_is_looked_for(editor, reviewer):
    response = editor.post(
        "/admin/claims/claimphrase/add/",
        {
            "phrase": "instant relief",
            "other_forms": "instantly relieves",
            "only_with": "",
            "negation_clears": "on",
            "why": "Relief within hours is not the rule.",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert _found("It brings instant relief.") == [("instant relief", "instant relief")]
    phrase = ClaimPhrase.objects.get(phrase="instant relief")
    assert (
        editor.post(f"/admin/claims/claimphrase/{phrase.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        reviewer.post(f"/admin/claims/claimphrase/{phrase.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )


def test_a_phrase_without_letters_is_refused(reviewer):
    response = reviewer.post(
        "/admin/claims/claimphrase/add/",
        {"phrase": "--", "why": "Nothing.", "active": "on"},
    )
    assert response.status_code == 200
    assert "has no letters or digits to match" in response.content.decode()
