"""Every sentence of both source texts is on the rendered pages; page furniture is not.

The sources are read from `../shared/seeds/` (beside the repository), so this checks
the fixtures against the originals rather than against themselves.
"""

import re

import lxml.html
import pytest

GUIDE = "000_604cafa3ca9f129c.txt"
HASTY = "001_bbf20a80f23e3fd9.txt"
FURNITURE = [
    "Follow your Curiosity",
    "Sign up to receive our free psychedelic courses",
    "Featured Image",
    "Rodnae Productions",
    "You may also be interested in",
]
SOURCE_CITATION = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")
PAGE_CITATION = re.compile(r"\s*\[(?:Reference )?\d+(?:, (?:Reference )?\d+)*\]")

pytestmark = pytest.mark.django_db


def _words(text):
    return " ".join(text.split())


def _page_text(client, slug):
    response = client.get(f"/articles/{slug}/")
    assert response.status_code == 200
    main = lxml.html.fromstring(response.content).get_element_by_id("main")
    return _words(PAGE_CITATION.sub("", main.text_content()))


def _source_lines(seeds_dir, name):
    return [
        _words(line) for line in (seeds_dir / name).read_text("utf-8").splitlines() if line.strip()
    ]


def test_every_line_of_the_clinic_guide_is_on_its_page(client, seeds_dir):
    page = _page_text(client, "ketamine-therapy-for-depression-guide")
    missing = [line for line in _source_lines(seeds_dir, GUIDE) if line not in page]
    assert missing == []


def test_every_body_line_of_the_hasty_article_is_on_its_page(client, seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    body = lines[
        lines.index(
            next(line for line in lines if line.startswith("When most Americans"))
        ) : lines.index("References:")
    ]
    body = [line for line in body if not any(line.startswith(f) for f in FURNITURE)]
    assert len(body) > 30
    page = _page_text(client, "who-can-benefit-from-ketamine-therapy")
    missing = [
        SOURCE_CITATION.sub("", line) for line in body if SOURCE_CITATION.sub("", line) not in page
    ]
    assert missing == []
    assert lines[0] in page and lines[1] in page  # title and standfirst
    bio = next(line for line in lines if line.startswith("I'm Marie Hasty"))
    assert bio in page


def test_page_furniture_of_the_source_site_is_dropped(client):
    page = _page_text(client, "who-can-benefit-from-ketamine-therapy")
    for furniture in FURNITURE:
        assert furniture not in page


def test_every_numbered_source_reference_is_listed_once(client, seeds_dir):
    lines = _source_lines(seeds_dir, HASTY)
    numbered = [line for line in lines if re.match(r"^\d+\. ", line)]
    assert len(numbered) == 22
    dois = {
        m.group(1).rstrip(".").lower()
        for line in numbered
        for m in re.finditer(r"(10\.\d{4,9}/\S+)", line)
    }
    html = client.get("/articles/who-can-benefit-from-ketamine-therapy/").content.decode().lower()
    for doi in dois:
        assert f'href="https://doi.org/{doi}"' in html, doi
    pmids = {m.group(1) for line in numbered for m in re.finditer(r"PMID: (\d+)", line)}
    for pmid in pmids:
        assert f"pubmed.ncbi.nlm.nih.gov/{pmid}/" in html


def test_disclaimer_slip_is_shown_corrected_with_a_visible_editors_mark(client, seeds_dir):
    source = next(
        line for line in _source_lines(seeds_dir, HASTY) if line.startswith("The content provided")
    )
    assert "should be a substitute" in source
    html = client.get("/articles/who-can-benefit-from-ketamine-therapy/").content.decode()
    page = _page_text(client, "who-can-benefit-from-ketamine-therapy")
    assert source not in page
    assert source.replace("should be a substitute", "should [not] be a substitute") in page
    assert re.search(r"should <ins[^>]*>\[not\]</ins> be a substitute", html)
    assert "Editor’s correction" in page
