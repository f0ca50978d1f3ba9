"""Search over published article sections and topic pages: one module, two engines.

PostgreSQL (production) uses its full-text search, with a GIN index on each section's
heading and text (articles migration 0009); SQLite (the embedded default) uses an FTS5 table
that is rebuilt from the content when the page cache's content version says the
content changed since it was built. Both take the person's words, never their syntax:
each word is matched as a word, so quotes, operators or SQL in a query are just text.

`search(query)` returns ranked `Hit`s with a snippet in which the matched words are
marked; the snippet is escaped before the marks go in. It costs the same few queries
however much content there is.
"""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Section
from topics.models import TopicPage

# Raise when the SQLite table's columns or what fills it change: the table is made anew.
SQLITE_SCHEMA = 2
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_RESULTS = 20
# Control characters as marks: nothing a person types or writes can contain them.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+")

# The document each section is searched as; the index in articles migration 0009 is on exactly this.
SECTION_DOCUMENT = (
    "to_tsvector('english'::regconfig, coalesce(s.heading, '') || ' ' || coalesce(s.body_text, ''))"
)


@dataclass
class Hit:
    title: str
    context: str  # where it is: the article, or "Topic page"
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matched words
    rank: float


def shown_query(query):
    """The query as it is searched and shown back: no NUL bytes, spaces folded, bounded."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def words_of(query):
    """The words of a query, as the person typed them: no operators, no syntax."""
    return _WORD.findall(shown_query(query))[:MAX_WORDS]


def search(query):
    words = words_of(query)
    if not words:
        return []
    rows = _postgres(words) if connection.vendor == "postgresql" else _sqlite(words)
    return _hits(rows)


def _postgres(words):
    # plainto_tsquery reads its text as plain words: nothing in it is an operator.
    text = " ".join(words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'section', s.id,
                   ts_rank({SECTION_DOCUMENT}, plainto_tsquery('english', %s)) AS rank,
                   ts_headline('english', s.body_text, plainto_tsquery('english', %s),
                               'StartSel=' || chr(2) || ', StopSel=' || chr(3)
                               || ', MaxWords=30, MinWords=12, MaxFragments=1')
            FROM articles_section s
            JOIN articles_article a ON a.id = s.article_id
            WHERE a.status = 'published'
              AND {SECTION_DOCUMENT} @@ plainto_tsquery('english', %s)
            UNION ALL
            SELECT 'topic', t.id,
                   ts_rank(to_tsvector('english', t.title || ' ' || t.summary || ' ' || t.intro),
                           plainto_tsquery('english', %s)),
                   ts_headline('english', t.summary, plainto_tsquery('english', %s),
                               'StartSel=' || chr(2) || ', StopSel=' || chr(3)
                               || ', HighlightAll=true')
            FROM articles_topicpage t
            LEFT JOIN articles_topicpage p ON p.id = t.parent_id
            WHERE t.status = 'published' AND (p.id IS NULL OR p.status = 'published')
              AND to_tsvector('english', t.title || ' ' || t.summary || ' ' || t.intro)
                  @@ plainto_tsquery('english', %s)
            ORDER BY rank DESC
            LIMIT %s
            """,
            [text, text, text, text, text, text, MAX_RESULTS],
        )
        return cursor.fetchall()


def _sqlite(words):
    _refresh_sqlite_index()
    # Each word a quoted FTS5 string: a word, never an operator or a column filter.
    match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT kind, ref_id, bm25(search_index),
                   snippet(search_index, 3, char(2), char(3), '…', 24)
            FROM search_index
            WHERE search_index MATCH %s
            ORDER BY bm25(search_index)
            LIMIT %s
            """,
            [match, MAX_RESULTS],
        )
        return [(kind, ref_id, -rank, snippet) for kind, ref_id, rank, snippet in cursor]


def _refresh_sqlite_index():
    """Rebuild the FTS5 table if content changed since it was built (the content version)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS search_index_meta "
            "(id INTEGER PRIMARY KEY, version INTEGER, schema INTEGER)"
        )
        cursor.execute(
            "SELECT (SELECT version FROM pagecache_contentversion WHERE id = 1), "
            "(SELECT version FROM search_index_meta WHERE id = 1), "
            "(SELECT schema FROM search_index_meta WHERE id = 1)"
        )
        current, built, schema = cursor.fetchone()
    if current is not None and current == built and schema == SQLITE_SCHEMA:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if schema != SQLITE_SCHEMA:
            cursor.execute("DROP TABLE IF EXISTS search_index")
        # The body column is what snippets quote (a section's text, a page's summary);
        # "more" is searched but never quoted (a topic page's intro, written in Markdown).
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(kind UNINDEXED, "
            "ref_id UNINDEXED, title, body, more, tokenize='porter unicode61')"
        )
        cursor.execute("DELETE FROM search_index")
        cursor.execute(
            """
            INSERT INTO search_index (kind, ref_id, title, body, more)
            SELECT 'section', s.id, s.heading, s.body_text, ''
            FROM articles_section s JOIN articles_article a ON a.id = s.article_id
            WHERE a.status = 'published'
            """
        )
        cursor.execute(
            """
            INSERT INTO search_index (kind, ref_id, title, body, more)
            SELECT 'topic', t.id, t.title, t.summary, t.intro
            FROM articles_topicpage t LEFT JOIN articles_topicpage p ON p.id = t.parent_id
            WHERE t.status = 'published' AND (p.id IS NULL OR p.status = 'published')
            """
        )
        cursor.execute(
            "INSERT OR REPLACE INTO search_index_meta (id, version, schema) VALUES (1, %s, %s)",
            [current, SQLITE_SCHEMA],
        )


def _hits(rows):
    section_ids = [ref_id for kind, ref_id, *_ in rows if kind == "section"]
    topic_ids = [ref_id for kind, ref_id, *_ in rows if kind == "topic"]
    sections = Section.objects.select_related("article").in_bulk(section_ids)
    topics = TopicPage.objects.select_related("parent").in_bulk(topic_ids)
    hits = []
    for kind, ref_id, rank, snippet in rows:
        if kind == "section" and ref_id in sections:
            section = sections[ref_id]
            if section.article.status != Article.Status.PUBLISHED:
                continue  # unpublished between the search and this read
            hits.append(
                Hit(
                    title=section.heading or section.article.title,
                    context=section.article.title,
                    url=section.get_absolute_url(),
                    snippet=_marked(snippet),
                    rank=rank,
                )
            )
        elif kind == "topic" and ref_id in topics:
            page = topics[ref_id]
            hits.append(
                Hit(
                    title=page.title,
                    context="Topic page",
                    url=page.get_absolute_url(),
                    snippet=_marked(snippet),
                    rank=rank,
                )
            )
    return hits


def _marked(snippet):
    """Escape the snippet, then turn the engine's marks into <mark> elements."""
    text = escape(snippet or "")
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))
