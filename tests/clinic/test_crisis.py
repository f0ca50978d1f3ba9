"""Crisis language is recognised in the many ways people write it; ordinary text is not."""

import pytest

from clinic.crisis import link_phone_numbers, mentions_crisis

# Written as people write them, independently of the patterns in clinic/crisis.py.
CRISIS = [
    "I have had suicidal thoughts for months",
    "My son attempted suicide last year",
    "I've been self-harming again",
    "sometimes I self harm",
    "I want to kill myself",
    "thinking about killing myself",
    "I might kill my self",
    "I want to take my own life",
    "I want to end my life",
    "I could end it all",
    "I keep hurting myself",
    "I harm myself when it gets bad",
    "I've been cutting myself",
    "everyone would be better off dead without me, or I'd be better off dead",
    "I wish I was dead",
    "I just wanna die",
    "I want to die",
    "I don’t want to live anymore",
    "I don't want to wake up",
    "there's no point in living",
    "no reason to go on",
    "I took too many pills last week",
    "I overdosed in March",
    "I want to hang myself",
    "I keep thinking I should unalive myself",
    "I feel like I want to unalive",
    "I've thought about slitting... no, I mean I thought I'd slit my wrists",
    "I thought about jumping off the bridge",
    "I don't want to exist anymore",
    "honestly kms",
    # Full-width and mathematical letters, as pasted from some keyboards and apps.
    "ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ",
    "𝐬𝐮𝐢𝐜𝐢𝐝𝐚𝐥 thoughts",
    "I WANT TO DIE",
    "I don\u2019t want to be here",
    "I\u00a0want\u00a0to\u00a0die",
    # In Spanish, as an enquiry under /es/ is written: with and without accents.
    "He tenido pensamientos suicidas",
    "Mi hijo intentó suicidarse",
    "Quiero matarme",
    "a veces pienso en quitarme la vida",
    "quiero acabar con mi vida",
    "Me estoy haciendo daño otra vez",
    "me hago dano cuando estoy mal",
    "me corto los brazos",
    "me he autolesionado",
    "Ya no quiero vivir",
    "quiero morirme",
    "estaría mejor muerta",
    "tomé demasiadas pastillas",
    "tuve una sobredosis",
    "no vale la pena seguir viviendo",
]
ORDINARY = [
    "How much does IV ketamine cost?",
    "I have treatment-resistant depression and two failed medications.",
    "Can my partner drive me home after the session?",
    "I'm dying to know whether insurance covers esketamine",
    "What is the difference between KAP and infusions?",
    "I hung my coat up and killed time in the waiting room",
    "Will I be able to jump back into work the next day?",
    "Does ketamine help with burning nerve pain?",
    "¿Cuánto cuesta la ketamina intravenosa?",
    "Tengo depresión resistente al tratamiento.",
    "¿Me puede llevar mi pareja a casa después de la sesión?",
    "¿El seguro médico cubre la esketamina?",
    "Me muero de ganas de saber si funciona",
    "¿Puedo volver a trabajar al día siguiente?",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_language_is_recognised(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_are_not_flagged(text):
    assert not mentions_crisis(text)


def test_phone_numbers_become_call_links_and_text_is_escaped():
    html = link_phone_numbers("Call <b>911</b> or 1-800-273-8255 & stay safe")
    assert '<a href="tel:911">911</a>' in html
    assert '<a href="tel:18002738255">1-800-273-8255</a>' in html
    assert "&lt;b&gt;" in html and "&amp;" in html
