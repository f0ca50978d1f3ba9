"""Every sentence of both source texts is in the article sections; page furniture is not.

The sources are read from `../shared/seeds/` (beside the repository), so this checks
the fixtures against the originals rather than against themselves.
"""

import re

import lxml.html
import pytest

from references.models import Reference

pytestmark = pytest.mark.django_db

GUIDE = "000_604cafa3ca9f129c.txt"
HASTY = "001_bbf20a80f23e3fd9.txt"
GUIDE_URL = "/articles/ketamine-therapy-for-depression-guide/"
HASTY_URL = "/articles/who-can-benefit-from-ketamine-therapy/"
FURNITURE = [
    "Follow your Curiosity",
    "Sign up to receive our free psychedelic courses",
    "Featured Image",
    "Rodnae Productions",
    "You may also be interested in",
]
SOURCE_CITATION = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")
PAGE_CITATION = re.compile(r"\s*\[(?:Reference )?\d+(?:, (?:Reference )?\d+)*\]")


def _words(text):
    return " ".join(text.split())


def _document(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(element):
    return _words(PAGE_CITATION.sub("", element.text_content()))


def _body_text(client, url):
    """The text of the article's sections only: not its header, notes or references, nor
    the glossary's definitions shown beside the terms it explains."""
    (sections,) = _document(client, url).find_class("page-sections")
    for definition in sections.find_class("glossary-term__definition"):
        definition.drop_tree()
    return _text(sections)


def _source_lines(seeds_dir, name):
    text = (seeds_dir / name).read_text("utf-8")
    return [_words(line) for line in text.splitlines() if line.strip()]


def _hasty_body(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("When most Americans"))
    body = lines[start : lines.index("References:")]
    return [line for line in body if not any(line.startswith(f) for f in FURNITURE)]


# The guide's evident slip, shown corrected with a visible editor's mark.
GUIDE_SLIP = ("mental health journey ?", "mental health journey [→]")


def test_every_line_of_the_clinic_guide_is_in_its_sections(client, seeds_dir):
    body = _body_text(client, GUIDE_URL)
    lines = [line.replace(*GUIDE_SLIP) for line in _source_lines(seeds_dir, GUIDE)]
    missing = [line for line in lines if line not in body]
    assert missing == []


def test_the_guides_lost_arrow_is_marked_and_leads_to_the_enquiry_form(client, seeds_dir):
    assert any(GUIDE_SLIP[0] in line for line in _source_lines(seeds_dir, GUIDE))
    document = _document(client, GUIDE_URL)
    (link,) = document.xpath("//a[contains(., 'mental health journey [→]')]")
    assert link.get("href") == "/enquire/"
    note = _text(document.get_element_by_id("attribution"))
    assert "a stray “?”, apparently a lost arrow: it is shown as [→]" in note


def test_every_body_line_of_the_hasty_article_is_in_its_sections(client, seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    expected = [SOURCE_CITATION.sub("", line) for line in _hasty_body(lines)]
    assert len(expected) > 30
    body = _body_text(client, HASTY_URL)
    assert [line for line in expected if line not in body] == []


def test_hasty_title_standfirst_and_byline_are_in_the_header(client, seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    (header,) = _document(client, HASTY_URL).find_class("article__header")
    text = _text(header)
    assert lines[0] in text and lines[1] in text
    assert "By Marie Hasty, RN" in text and "Psychedelic Support" in text


def test_author_bio_and_disclaimer_are_attribution_not_body(client, seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    bio = next(line for line in lines if line.startswith("I'm Marie Hasty"))
    attribution = _text(_document(client, HASTY_URL).get_element_by_id("attribution"))
    assert bio in attribution
    assert "official policy or position of Psychedelic Support" in attribution
    body = _body_text(client, HASTY_URL)
    assert bio not in body and "official policy" not in body


def test_page_furniture_of_the_source_site_is_dropped(client):
    text = _text(_document(client, HASTY_URL).get_element_by_id("main"))
    for furniture in FURNITURE:
        assert furniture not in text


def _numbered_references(seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    numbered = {
        int(m.group(1)): m.group(2) for line in lines if (m := re.match(r"^(\d+)\. (.*)", line))
    }
    assert sorted(numbered) == list(range(1, 23))
    return numbered


def _reference_for(entry):
    doi = re.search(r"(10\.\d{4,9}/[^\s]+?)\.?(?:\s|$)", entry)
    if doi:
        return Reference.objects.get(doi__iexact=doi.group(1))
    url = re.search(r"https?://\S+", entry)
    if url:
        return Reference.objects.get(url=url.group(0))
    return Reference.objects.get(
        title__in=[t for t in Reference.objects.values_list("title", flat=True) if t in entry]
    )


def test_every_identifier_and_year_the_source_gives_is_stored(seeds_dir):
    for number, entry in _numbered_references(seeds_dir).items():
        reference = _reference_for(entry)
        assert reference.title.lower()[:40] in entry.lower(), number
        if pmid := re.search(r"PMID: (\d+)", entry):
            assert reference.pmid == pmid.group(1), number
        if pmcid := re.search(r"PMCID: (PMC\d+)", entry):
            assert reference.pmcid == pmcid.group(1), number
        if year := re.search(r"\b(19|20)\d\d\b", entry):
            assert reference.issued_year == int(year.group(0)) or reference.issued_year is None, (
                number
            )
        first_author = reference.authors.first()
        assert (first_author.family or first_author.literal) in entry, number
        for part in (reference.volume, reference.issue, reference.container_title):
            assert part in entry, (number, part)


def test_duplicate_source_entries_1_and_6_are_one_reference(seeds_dir):
    numbered = _numbered_references(seeds_dir)
    assert numbered[1] == numbered[6]
    assert Reference.objects.count() == 21
    assert len({_reference_for(entry).pk for entry in numbered.values()}) == 21


def test_each_reference_is_listed_once_with_its_links(client, seeds_dir):
    document = _document(client, HASTY_URL)
    entries = document.xpath("//ol[@class='reference-list']/li")
    assert len(entries) == 21
    for entry in _numbered_references(seeds_dir).values():
        reference = _reference_for(entry)
        links = [set(li.xpath(".//a/@href")) for li in entries]
        holders = [
            i
            for i, li in enumerate(entries)
            if (reference.doi_url or reference.url) in links[i]
            or (
                not reference.doi_url and not reference.url and reference.title in li.text_content()
            )
        ]
        assert len(holders) == 1, reference.key
        if reference.pmid:
            assert reference.pubmed_url in links[holders[0]]
        if reference.pmcid:
            assert reference.pmc_url in links[holders[0]]


def test_disclaimer_slip_is_shown_corrected_with_a_visible_editors_mark(client, seeds_dir):
    source = next(
        line for line in _source_lines(seeds_dir, HASTY) if line.startswith("The content provided")
    )
    assert "should be a substitute" in source
    html = client.get(HASTY_URL).content.decode()
    attribution = _text(_document(client, HASTY_URL).get_element_by_id("attribution"))
    assert source not in attribution
    assert source.replace("should be a substitute", "should [not] be a substitute") in attribution
    assert re.search(r"should <ins[^>]*>\[not\]</ins> be a substitute", html)
    assert "Editor’s correction" in attribution
