"""Search over published article sections and topic pages: one module, two engines.

What a person types is read here, the same way whichever engine answers:

- Words only, never syntax: quotes, operators or SQL in a query are just text.
- Small words and question words ("how", "many", "is", "the") are left out, so a question
  matches as its keywords do. The list holds every word PostgreSQL's English configuration
  drops, so both engines are given the same words.
- Each remaining word, or a phrase staff listed as a synonym, is one *concept*. A synonym
  group (`SynonymGroup`, edited in the admin) makes every term of its group an alternative:
  "price" finds "costs".
- A word that no published page holds, in any form (compared by Snowball stem, as
  PostgreSQL stems), is taken as misspelt: the page words nearest to it (edit distance,
  a transposed pair counting once) become its alternatives, and the page says so.

A page is found if it holds any concept, and ranked by how many of the query's concepts it
holds, then by the engine's relevance, in which headings and titles count most. Only matching
and stemming are the engine's: PostgreSQL's full-text search (the `english` configuration,
each document stored weighted with a GIN index, front migration 0003), or SQLite's FTS5
(porter tokenizer), a table rebuilt when the page cache's content version says the content
changed since it was built.

`search(query)` returns a `Results`: ranked `Hit`s with a snippet in which the matched words
are marked (escaped before the marks go in), the spelling alternatives used, and the concepts
no page holds. The words and synonyms it compares with are read once per content version (a
synonym edit changes it too) and kept in this process; a search then costs two queries
however much content there is.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.db import connection, transaction
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from articles.models import Article, Section
from pagecache.models import current_version
from topics.models import TopicPage

from .models import SynonymGroup

# Raise when the SQLite table's columns or what fills it change: the table is made anew.
SQLITE_SCHEMA = 3
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
MAX_RESULTS = 20
MAX_ALTERNATIVES = 12
# Control characters as marks: nothing a person types or writes can contain them.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+")

# PostgreSQL's English stop words (tsearch_data/english.stop), then question words, fillers
# and the stumps apostrophes leave ("doesn't" reads as "doesn" and "t").
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
    many much would could might must shall may also get got please tell know want wanna
    need im ive id doesn isn aren wasn weren hasn haven hadn didn wouldn shouldn couldn won
    ll ve re d m ok okay able like really actually thing things something someone anyone
    anything
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Words shorter than this are never taken as misspelt; up to the second length, one edit.
_CORRECT_FROM, _TWO_EDITS_FROM = 5, 8


@dataclass
class Hit:
    title: str
    context: str  # where it is: the article, or "Topic page"
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matched words
    rank: float


@dataclass
class Concept:
    typed: str  # as the person typed it: "sesions", "nasal spray"
    terms: list  # the alternatives the engines look for, each a tuple of words (a phrase)
    corrections: list = field(default_factory=list)  # page words taken for a misspelt word


@dataclass
class Results:
    hits: list = field(default_factory=list)
    corrections: list = field(default_factory=list)  # (typed, [page words]) per misspelt word
    missing: list = field(default_factory=list)  # what was typed that no page holds


def shown_query(query):
    """The query as it is searched and shown back: no NUL bytes, spaces folded, bounded."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def words_of(query):
    """The words of a query, as the person typed them: no operators, no syntax."""
    return _WORD.findall(shown_query(query))[:MAX_WORDS]


def search(query):
    words = [word.casefold() for word in words_of(query)]
    if not words:
        return Results()
    if connection.vendor == "postgresql":
        version = current_version(connection)
        concepts = concepts_of(words, _lexicon(version))
        rows = _postgres(concepts) if concepts else []
    else:
        version, index = _sqlite_state()
        concepts = concepts_of(words, _lexicon(version))
        rows = _sqlite(concepts, version, index) if concepts else []
    if not concepts:
        return Results()
    found = rows[0][4] if rows else [False] * len(concepts)
    return Results(
        hits=_hits(rows),
        corrections=[(c.typed, c.corrections) for c in concepts if c.corrections],
        missing=[c.typed for c, held in zip(concepts, found, strict=True) if not held],
    )


# --- Reading the query: the same for both engines ---------------------------------------


@lru_cache(maxsize=20_000)
def stem(word):
    return _STEMMER.stemWord(word)


_STEMMER = snowballstemmer.stemmer("english")


@dataclass
class Lexicon:
    """What the published pages hold and how staff said words relate, at one content version."""

    stems: frozenset  # the stem of every word the pages hold
    words: list  # every distinct word the pages hold, most frequent first
    synonyms: dict  # a term's stems: every term of its groups


def concepts_of(words, lexicon):
    """The concepts of a query's words (already lower case): synonyms first, longest phrase
    first; then small words dropped; then each unknown word's nearest page words."""
    concepts, position = [], 0
    while position < len(words) and len(concepts) < MAX_WORDS:
        for length in range(min(4, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + length])
            group = lexicon.synonyms.get(tuple(stem(word) for word in phrase))
            if group:
                concepts.append(Concept(" ".join(phrase), _searchable(group)))
                position += length
                break
        else:
            word = words[position]
            position += 1
            if word not in STOP_WORDS:
                concepts.append(_word_concept(word, lexicon))
    return [concept for concept in concepts if concept.terms]


def _searchable(terms):
    # A term holding a small word is for reading queries only: the engines would drop the
    # small word and search the rest, so "before treatment" would find every "treatment".
    return [term for term in terms if not STOP_WORDS.intersection(term)][:MAX_ALTERNATIVES]


def _word_concept(word, lexicon):
    if stem(word) in lexicon.stems or len(word) < _CORRECT_FROM or word.isdigit():
        return Concept(word, [(word,)])
    nearest = process.extract(
        word,
        lexicon.words,
        scorer=OSA.distance,
        score_cutoff=1 if len(word) < _TWO_EDITS_FROM else 2,
        limit=None,
    )
    if not nearest:
        return Concept(word, [(word,)])
    closest = min(distance for _, distance, _ in nearest)
    # Most frequent first (the list's order), one word per stem.
    by_stem = {}
    for candidate, distance, _index in sorted(nearest, key=lambda n: n[2]):
        if distance == closest:
            by_stem.setdefault(stem(candidate), candidate)
    corrections = list(by_stem.values())[:3]
    terms = [(word,)] + [(candidate,) for candidate in corrections]
    for candidate in corrections:  # a corrected word brings its synonyms too
        terms += lexicon.synonyms.get((stem(candidate),), [])
    return Concept(word, _searchable(list(dict.fromkeys(terms))), corrections)


_lexicons = {}


def _lexicon(version):
    """The lexicon at `version`, built once per content version in each process: it is
    derived from the database and keyed by the version every request reads, so no process
    can serve another's or an older one. (No version row, after a flush: built each time.)"""
    lexicon = _lexicons.get(version)
    if lexicon is None:
        lexicon = _build_lexicon()
        _lexicons.clear()
        if version is not None:
            _lexicons[version] = lexicon
    return lexicon


def offered_topics():
    """The published topic pages a search that finds nothing offers: those staff chose, in
    their order, or else the top-level topic pages."""
    from .models import NoResultTopic

    live = Q(page__status=TopicPage.Status.PUBLISHED) & (
        Q(page__parent=None) | Q(page__parent__status=TopicPage.Status.PUBLISHED)
    )
    chosen = [choice.page for choice in NoResultTopic.objects.filter(live).select_related("page")]
    return chosen or list(TopicPage.objects.live().filter(parent=None).order_by("position"))


def _build_lexicon():
    counts = {}
    texts = Section.objects.filter(article__status=Article.Status.PUBLISHED).values_list(
        "heading", "body_text"
    )
    pages = TopicPage.objects.live().values_list("title", "summary", "intro")
    for row in [*texts, *pages]:
        for text in row:
            for word in _WORD.findall((text or "").casefold()):
                counts[word] = counts.get(word, 0) + 1
    synonyms = {}
    for group in SynonymGroup.objects.all():
        terms = group.term_list()
        for term in terms:
            key = tuple(stem(word) for word in term)
            synonyms[key] = list(dict.fromkeys([*synonyms.get(key, []), term, *terms]))
    words = sorted(
        (word for word in counts if len(word) >= 3 and not word.isdigit()),
        key=lambda word: (-counts[word], word),
    )
    return Lexicon(stems=frozenset(stem(word) for word in counts), words=words, synonyms=synonyms)


# --- The engines ---------------------------------------------------------------------------


def _postgres(concepts):
    """One statement: every concept a tsquery of its alternatives (phrases kept as phrases),
    a page found if it holds any; how many it holds, and whether any page holds each, beside.
    Documents are read from their stored, weighted `search_vector` (front migration 0003);
    only the snippets of the rows returned parse text."""
    params, tsqueries = [], []
    for concept in concepts:
        tsqueries.append(
            "(" + " || ".join(["phraseto_tsquery('english', %s)"] * len(concept.terms)) + ")"
        )
        params += [" ".join(term) for term in concept.terms]
    names = [f"c{number}" for number in range(len(concepts))]
    held = " + ".join(f"(m.doc @@ q.{name})::int" for name in names)
    found = ", ".join(f"bool_or(m.doc @@ q.{name}) OVER ()" for name in names)
    headline = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', {}'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT {", ".join(f"{t} AS {n}" for t, n in zip(tsqueries, names, strict=True))}),
            query AS (SELECT q.*, {" || ".join(names)} AS anyq FROM q),
            matched AS (
                SELECT 'section' AS kind, s.id, s.heading AS title, a.title AS context,
                       a.slug, s.anchor AS place, s.search_vector AS doc, s.body_text AS text
                FROM articles_section s
                JOIN articles_article a ON a.id = s.article_id, query
                WHERE a.status = 'published' AND s.search_vector @@ query.anyq
                UNION ALL
                SELECT 'topic', t.id, t.title, '', t.slug, p.slug, t.search_vector, t.summary
                FROM articles_topicpage t
                LEFT JOIN articles_topicpage p ON p.id = t.parent_id, query
                WHERE t.status = 'published' AND (p.id IS NULL OR p.status = 'published')
                  AND t.search_vector @@ query.anyq
            ),
            ranked AS (
                SELECT m.*, ts_rank(m.doc, q.anyq) AS rank, ARRAY[{found}] AS found,
                       {held} AS held
                FROM matched m, query q
                ORDER BY held DESC, rank DESC, m.kind, m.id
                LIMIT %s
            )
            SELECT r.kind, r.id, r.rank,
                   ts_headline('english', r.text, q.anyq, CASE WHEN r.kind = 'section'
                       THEN {headline.format("MaxWords=30, MinWords=12, MaxFragments=1")}
                       ELSE {headline.format("HighlightAll=true")} END),
                   r.found, r.held, r.title, r.context, r.slug, r.place
            FROM ranked r, query q
            ORDER BY r.held DESC, r.rank DESC, r.kind, r.id
            """,
            [*params, MAX_RESULTS],
        )
        return cursor.fetchall()


def _fts_phrase(term):
    # Each word a quoted FTS5 string: a word, never an operator or a column filter; the
    # words of a phrase side by side in one string are searched as that phrase.
    return '"' + " ".join(word.replace('"', '""') for word in term) + '"'


def _sqlite_state():
    """The content version, and the version and schema the FTS5 table was built at: one query.
    (The table recording them is made by front migration 0002.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM pagecache_contentversion WHERE id = 1), "
            "(SELECT version FROM search_index_meta WHERE id = 1), "
            "(SELECT schema FROM search_index_meta WHERE id = 1)"
        )
        current, built, schema = cursor.fetchone()
    return current, (built, schema)


def _sqlite(concepts, version, index):
    _refresh_sqlite_index(version, *index)
    matches = ["(" + " OR ".join(_fts_phrase(term) for term in c.terms) + ")" for c in concepts]
    # Each concept's matching rows are found once (an uncorrelated IN list), then compared.
    # FTS5's functions cannot sit beside window functions: matching is done first, apart.
    holds = [
        f"(rowid IN (SELECT rowid FROM search_index WHERE search_index MATCH %s)) AS h{n}"
        for n in range(len(concepts))
    ]
    found = ", ".join(f"max(h{n}) OVER ()" for n in range(len(concepts)))
    held = " + ".join(f"h{n}" for n in range(len(concepts)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH matched AS MATERIALIZED (
                SELECT kind, ref_id, title, context, slug, place,
                       bm25(search_index, 0, 0, 8.0, 2.0, 1.0, 0, 0, 0) AS rank,
                       snippet(search_index, 3, char(2), char(3), '…', 24) AS snippet,
                       {", ".join(holds)}
                FROM search_index
                WHERE search_index MATCH %s
            )
            SELECT kind, ref_id, rank, snippet, {found}, {held} AS held,
                   title, context, slug, place
            FROM matched
            ORDER BY held DESC, rank, kind, ref_id
            LIMIT %s
            """,
            [*matches, " OR ".join(matches), MAX_RESULTS],
        )
        n = len(concepts)
        return [
            (kind, ref_id, -rank, snippet, [bool(f) for f in rest[:n]], *rest[n:])
            for kind, ref_id, rank, snippet, *rest in cursor
        ]


def _refresh_sqlite_index(current, built, schema):
    """Rebuild the FTS5 table if content changed since it was built (the content version)."""
    if current is not None and current == built and schema == SQLITE_SCHEMA:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if schema != SQLITE_SCHEMA:
            cursor.execute("DROP TABLE IF EXISTS search_index")
        # The body column is what snippets quote (a section's text, a page's summary);
        # "more" is searched but never quoted (a topic page's intro, written in Markdown).
        # What a hit shows and links to is kept beside it, unsearched, so that a search
        # reads nothing else.
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(kind UNINDEXED, "
            "ref_id UNINDEXED, title, body, more, context UNINDEXED, slug UNINDEXED, "
            "place UNINDEXED, tokenize='porter unicode61')"
        )
        cursor.execute("DELETE FROM search_index")
        cursor.execute(
            """
            INSERT INTO search_index (kind, ref_id, title, body, more, context, slug, place)
            SELECT 'section', s.id, s.heading, s.body_text, '', a.title, a.slug, s.anchor
            FROM articles_section s JOIN articles_article a ON a.id = s.article_id
            WHERE a.status = 'published'
            """
        )
        cursor.execute(
            """
            INSERT INTO search_index (kind, ref_id, title, body, more, context, slug, place)
            SELECT 'topic', t.id, t.title, t.summary, t.intro, '', t.slug, p.slug
            FROM articles_topicpage t LEFT JOIN articles_topicpage p ON p.id = t.parent_id
            WHERE t.status = 'published' AND (p.id IS NULL OR p.status = 'published')
            """
        )
        cursor.execute(
            "INSERT OR REPLACE INTO search_index_meta (id, version, schema) VALUES (1, %s, %s)",
            [current, SQLITE_SCHEMA],
        )


def _hits(rows):
    """Hits from the rows alone: the query brought what each shows and links to. Each
    page's address is worked out once (a section's is its article's, with its anchor)."""
    addresses = {}

    def address(kind, slug, parent_slug=None):
        if (kind, slug) not in addresses:
            if kind == "article":
                page = Article(slug=slug)
            else:  # stand-ins for the page and its parent: only their slugs decide it
                parent = TopicPage(pk=-1, slug=parent_slug) if parent_slug else None
                page = TopicPage(slug=slug, parent=parent)
            addresses[kind, slug] = page.get_absolute_url()
        return addresses[kind, slug]

    hits = []
    for kind, _id, rank, snippet, _found, _held, title, context, slug, place in rows:
        if kind == "section":
            url = f"{address('article', slug)}#{place}"  # as Section.get_absolute_url
            title = title or context
        else:
            url, context = address("topic", slug, place), "Topic page"
        hits.append(Hit(title, context, url, _marked(snippet), rank))
    return hits


def _marked(snippet):
    """Escape the snippet, then turn the engine's marks into <mark> elements."""
    text = escape(snippet or "")
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))
