"""Under /es/ the words of the reading pages' interface are Spanish: the navigation, the search
page, the glossary, an article's headings, dates and buttons, the editorial policy and the
references guide. The English pages read as they did."""

import datetime
import re

import lxml.html
import pytest

from articles.models import Article
from tests.factories import approve_translation

pytestmark = pytest.mark.django_db

SHORT = "who-can-benefit-from-ketamine-therapy"
SPANISH_DATE = re.compile(r"^\d{1,2} de [a-záéíóú]+ de \d{4}$")


def _document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content.decode())


def _text(element):
    return " ".join(element.text_content().split())


def _main(document):
    return _text(document.xpath("//main")[0])


def _approve_spanish(slug=SHORT, *, review_english=False):
    if review_english:  # the seed's articles are not yet reviewed: no review date to show
        Article.objects.filter(slug=slug).update(
            reviewed_by="Rhea Ward, MD",
            last_reviewed_on=datetime.date(2026, 12, 4),
            next_review_on=datetime.date(2027, 12, 4),
        )
    approve_translation(Article.objects.get(slug=slug))


def _navigation(document):
    (nav,) = document.find_class("main-nav")
    return nav, [_text(link) for link in nav.xpath(".//a")]


def test_the_main_navigation_is_in_spanish_and_leads_to_spanish_addresses(client):
    nav, labels = _navigation(_document(client, "/es/"))
    assert nav.get("aria-label") == "Principal"
    assert labels[0] == "Inicio"
    assert {"Tratamientos", "Artículos", "Consultas"} <= set(labels)
    assert all(href.startswith("/es/") for href in nav.xpath(".//a/@href"))


def test_the_english_navigation_is_unchanged(client):
    nav, labels = _navigation(_document(client, "/"))
    assert nav.get("aria-label") == "Main"
    assert labels[0] == "Home"
    assert {"Treatments", "Articles", "Enquire"} <= set(labels)


def test_the_spanish_home_page_heads_its_lists_in_spanish(client):
    document = _document(client, "/es/")
    headings = [_text(h) for h in document.xpath("//main//h2")]
    assert "Lea los artículos" in headings
    assert "¿Necesita ayuda ahora?" in headings
    assert "La terapia asistida con ketamina, explicada" in document.findtext(".//title")
    english = [_text(h) for h in _document(client, "/").xpath("//main//h2")]
    assert "Read the articles" in english


def test_the_spanish_search_page_before_a_search(client):
    document = _document(client, "/es/search/")
    assert _text(document.xpath("//h1")[0]) == "Buscar"
    (label,) = document.xpath("//main//label[@for='search-q']")
    assert _text(label) == "Buscar en los artículos y las páginas"
    assert "Escriba una palabra o una pregunta" in _main(document)
    breadcrumbs = document.find_class("breadcrumbs")[0]
    assert breadcrumbs.get("aria-label") == "Ruta de navegación"
    assert breadcrumbs.xpath(".//a/text()") == ["Inicio"]


def test_the_spanish_search_page_with_results(client):
    _approve_spanish()
    document = _document(client, "/es/search/?q=trastorno+bipolar")
    assert _text(document.xpath("//h1")[0]) == "Resultados de búsqueda de “trastorno bipolar”"
    (status,) = document.xpath("//p[@role='status']")
    assert re.fullmatch(r"\d+ resultados?, primero el que mejor coincide\.", _text(status))
    assert document.find_class("search-result")


def test_the_spanish_search_page_without_results(client):
    document = _document(client, "/es/search/?q=zzzzqq")
    (help_box,) = document.find_class("search-help")
    text = _text(help_box)
    assert "Ninguna página coincide con “zzzzqq”" in text
    assert "Pruebe con otras palabras, o con menos." in text
    assert "Pregunte a nuestro equipo." in text


def test_the_english_search_page_is_unchanged(client):
    document = _document(client, "/search/?q=zzzzqq")
    assert _text(document.xpath("//h1")[0]) == "Search results for “zzzzqq”"
    assert "No page matched “zzzzqq”" in _main(document)


def test_the_spanish_glossary_is_headed_in_spanish_and_points_to_the_english_one(client):
    document = _document(client, "/es/glossary/")
    assert _text(document.xpath("//h1")[0]) == "Glosario: palabras explicadas"
    assert document.xpath("//nav[@class='glossary-index']/@aria-label") in (
        [],  # no approved entry yet: no index
        ["Términos de la A a la Z"],
    )
    # No entry of the seed is approved in Spanish yet: all are in the English glossary.
    (more,) = document.find_class("glossary-untranslated")
    assert "se explican solo en el glosario en inglés" in _text(more)
    assert more.xpath(".//a[@hreflang='en']/@href") == ["/glossary/"]
    english = _document(client, "/glossary/")
    assert _text(english.xpath("//h1")[0]) == "Glossary: words explained"
    assert not english.find_class("glossary-untranslated")


def test_a_spanish_article_has_its_interface_in_spanish(client):
    _approve_spanish(review_english=True)
    document = _document(client, f"/es/articles/{SHORT}/")
    assert _text(document.xpath("//h2[@id='references-heading']")[0]) == "Referencias"
    assert _text(document.xpath("//button[@data-print-page]")[0]) == "Imprimir esta página"
    assert _text(document.xpath("//h2[@id='contents-heading']")[0]) == "En esta página"
    terms = [_text(term) for term in document.xpath("//dl[@class='review-dates']/dt")]
    assert "Última revisión de la página" in terms
    assert "Próxima revisión" in terms
    assert "Revisión médica a cargo de" in terms
    dates = [_text(time) for time in document.xpath("//dl[@class='review-dates']//time")]
    assert dates == ["4 de diciembre de 2026", "4 de diciembre de 2027"]
    assert _text(document.find_class("article__byline")[0]).startswith("Por ")
    assert "Citada en el texto:" in _text(document.find_class("reference-list")[0])
    (crumbs,) = document.find_class("breadcrumbs")
    assert crumbs.xpath(".//a/text()")[:2] == ["Inicio", "Artículos"]
    hidden = document.xpath("//sup[@class='citation']//span[@class='visually-hidden']/text()")
    assert hidden and set(hidden) == {"Referencia "}


def test_the_english_article_keeps_its_english_interface(client):
    _approve_spanish(review_english=True)
    document = _document(client, f"/articles/{SHORT}/")
    assert _text(document.xpath("//h2[@id='references-heading']")[0]) == "References"
    assert _text(document.xpath("//button[@data-print-page]")[0]) == "Print this page"
    terms = [_text(term) for term in document.xpath("//dl[@class='review-dates']/dt")]
    assert "Page last reviewed" in terms
    dates = [_text(time) for time in document.xpath("//dl[@class='review-dates']//time")]
    assert dates == ["4 December 2026", "4 December 2027"]
    assert _text(document.find_class("article__byline")[0]).startswith("By ")
    hidden = document.xpath("//sup[@class='citation']//span[@class='visually-hidden']/text()")
    assert set(hidden) == {"Reference "}


def test_the_spanish_article_list_dates_its_articles_in_spanish(client):
    _approve_spanish()
    document = _document(client, "/es/articles/")
    assert _text(document.xpath("//h1")[0]) == "Artículos"
    dates = [_text(time) for time in document.xpath("//main//p[@class='card__meta']/time")]
    assert dates and all(SPANISH_DATE.match(date) for date in dates), dates
    # A listed article with no approved translation shows its English words, marked so.
    untranslated = document.xpath("//li[@class='card']/h2[@lang='en']")
    translated = document.xpath("//li[@class='card']/h2[not(@lang)]")
    assert untranslated and translated


def test_the_spanish_editorial_policy_and_references_guide(client):
    policy = _main(_document(client, "/es/editorial-policy/"))
    assert "Quién escribe nuestras páginas" in policy
    assert "Cómo elegimos y etiquetamos las fuentes" in policy
    assert "al menos una vez al año" in policy or "al menos cada" in policy
    guide = _document(client, "/es/references/how-to-read/")
    kinds = [_text(term) for term in guide.xpath("//main//dt")]
    assert "Revisión sistemática o metanálisis" in kinds
    assert "Ensayo controlado aleatorizado" in kinds


def test_the_spanish_accessibility_statement(client):
    document = _document(client, "/es/accessibility/")
    assert _text(document.xpath("//h1")[0]) == "Declaración de accesibilidad"
    assert "Limitaciones conocidas" in [_text(h) for h in document.xpath("//main//h2")]
    assert "200 %" in _main(document)
    english = _document(client, "/accessibility/")
    assert "zoom text to 200% and read pages" in _main(english)
