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

In another language (a page under /es/), the same reading and ranking search the live
translations of live pages, in that language's words: its stop words and Snowball stemmer
(`Language`), PostgreSQL's `spanish` configuration (documents made from the translations as
the query runs), or on SQLite a second FTS5 table (`search_index_es`) whose tokenizer folds
accents, each word also matched by its Spanish stem as a prefix. Staff's synonyms are
English and are not used there.

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
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from rapidfuzz import process
from rapidfuzz.distance import OSA

from articles.models import Article, Section
from pagecache.models import current_version
from topics.models import TopicPage
from translations.models import Translation
from translations.showing import default_language, page_language

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
# PostgreSQL's Spanish stop words (tsearch_data/spanish.stop, from Snowball), then question
# words and fillers as a person types them, with and without accents.
_SPANISH_STOP_WORDS = """
    de la que el en y a los del se las por un para con no una su al lo como más pero sus le
    ya o este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien
    desde todo nos durante todos uno les ni contra otros ese eso ante ellos e esto mí antes
    algunos qué unos yo otro otras otra él tanto esa estos mucho quienes nada muchos cual
    poco ella estar estas algunas algo nosotros mi mis tú te ti tu tus ellas nosotras
    vosostros vosostras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos suyas
    nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy
    estás está estamos estáis están esté estés estemos estéis estén estaré estarás
    estará estaremos estaréis estarán estaría estarías estaríamos estaríais estarían
    estaba estabas estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis
    estuvieron estuviera estuvieras estuviéramos estuvierais estuvieran estuviese estuvieses
    estuviésemos estuvieseis estuviesen estando estado estada estados estadas estad he has
    ha hemos habéis han haya hayas hayamos hayáis hayan habré habrás habrá habremos
    habréis habrán habría habrías habríamos habríais habrían había habías habíamos
    habíais habían hube hubiste hubo hubimos hubisteis hubieron hubiera hubieras
    hubiéramos hubierais hubieran hubiese hubieses hubiésemos hubieseis hubiesen habiendo
    habido habida habidos habidas soy eres es somos sois son sea seas seamos seáis sean
    seré serás será seremos seréis serán sería serías seríamos seríais serían era
    eras éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera fueras fuéramos
    fuerais fueran fuese fueses fuésemos fueseis fuesen sintiendo sentido sentida sentidos
    sentidas siente sentid tengo tienes tiene tenemos tenéis tienen tenga tengas tengamos
    tengáis tengan tendré tendrás tendrá tendremos tendréis tendrán tendría tendrías
    tendríamos tendríais tendrían tenía tenías teníamos teníais tenían tuve tuviste
    tuvo tuvimos tuvisteis tuvieron tuviera tuvieras tuviéramos tuvierais tuvieran tuviese
    tuvieses tuviésemos tuvieseis tuviesen teniendo tenido tenida tenidos tenidas tened
    cómo cuál cuáles cuánto cuánta cuántos cuántas dónde cuándo quién quiénes que
    mas si el tu mi puedo puede pueden quiero quisiera saber favor hola gracias
"""


@dataclass(frozen=True)
class Language:
    """How a query in one language is read: its stop words and its stemmer."""

    code: str
    stop_words: frozenset
    stemmer_name: str

    def stem(self, word):
        return _stem(self.stemmer_name, word)


LANGUAGES = {
    "en": Language("en", STOP_WORDS, "english"),
    "es": Language("es", frozenset(_SPANISH_STOP_WORDS.split()), "spanish"),
}
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


def search(query, language=None):
    """Search the pages in `language` (by default the current page's)."""
    words = [word.casefold() for word in words_of(query)]
    language = LANGUAGES.get(language or page_language(), LANGUAGES["en"])
    translated = language.code != default_language()
    if not words:
        return Results()
    if connection.vendor == "postgresql":
        version = current_version(connection)
        concepts = concepts_of(words, _lexicon(version, language))
        engine = _postgres_translated if translated else _postgres
        rows = engine(concepts, language) if concepts else []
    else:
        version, index = _sqlite_state(language)
        concepts = concepts_of(words, _lexicon(version, language))
        engine = _sqlite_translated if translated else _sqlite
        rows = engine(concepts, version, index, language) if concepts else []
    if not concepts:
        return Results()
    found = rows[0][4] if rows else [False] * len(concepts)
    return Results(
        hits=_hits(rows),
        corrections=[(c.typed, c.corrections) for c in concepts if c.corrections],
        missing=[c.typed for c, held in zip(concepts, found, strict=True) if not held],
    )


# --- Reading the query: the same for both engines ---------------------------------------


def stem(word):
    """A word's English stem, as PostgreSQL's `english` configuration stems it."""
    return _stem("english", word)


@lru_cache(maxsize=40_000)
def _stem(stemmer_name, word):
    return _STEMMERS[stemmer_name].stemWord(word)


_STEMMERS = {name: snowballstemmer.stemmer(name) for name in ("english", "spanish")}


@dataclass
class Lexicon:
    """What the published pages hold and how staff said words relate, at one content version."""

    stems: frozenset  # the stem of every word the pages hold
    words: list  # every distinct word the pages hold, most frequent first
    synonyms: dict  # a term's stems: every term of its groups
    language: Language = LANGUAGES["en"]

    def stem(self, word):
        return self.language.stem(word)


def concepts_of(words, lexicon):
    """The concepts of a query's words (already lower case): synonyms first, longest phrase
    first; then small words dropped; then each unknown word's nearest page words."""
    concepts, position = [], 0
    while position < len(words) and len(concepts) < MAX_WORDS:
        for length in range(min(4, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + length])
            group = lexicon.synonyms.get(tuple(lexicon.stem(word) for word in phrase))
            if group:
                concepts.append(Concept(" ".join(phrase), _searchable(group, lexicon.language)))
                position += length
                break
        else:
            word = words[position]
            position += 1
            if word not in lexicon.language.stop_words:
                concepts.append(_word_concept(word, lexicon))
    return [concept for concept in concepts if concept.terms]


def _searchable(terms, language=LANGUAGES["en"]):
    # A term holding a small word is for reading queries only: the engines would drop the
    # small word and search the rest, so "before treatment" would find every "treatment".
    return [term for term in terms if not language.stop_words.intersection(term)][:MAX_ALTERNATIVES]


def _word_concept(word, lexicon):
    if lexicon.stem(word) in lexicon.stems or len(word) < _CORRECT_FROM or word.isdigit():
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
            by_stem.setdefault(lexicon.stem(candidate), candidate)
    corrections = list(by_stem.values())[:3]
    terms = [(word,)] + [(candidate,) for candidate in corrections]
    for candidate in corrections:  # a corrected word brings its synonyms too
        terms += lexicon.synonyms.get((lexicon.stem(candidate),), [])
    return Concept(word, _searchable(list(dict.fromkeys(terms)), lexicon.language), corrections)


_lexicons = {}


def _lexicon(version, language=LANGUAGES["en"]):
    """The lexicon of `language` at `version`, built once per content version in each
    process: it is derived from the database and keyed by the version every request reads,
    so no process can serve another's or an older one. (No version row, after a flush:
    built each time.)"""
    lexicon = _lexicons.get((version, language.code))
    if lexicon is None:
        if language.code == default_language():
            lexicon = _build_lexicon()
        else:
            lexicon = _build_translated_lexicon(language)
        for key in [key for key in _lexicons if key[0] != version]:
            del _lexicons[key]
        if version is not None:
            _lexicons[version, language.code] = lexicon
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


def _postgres(concepts, language=None):
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


def _sqlite_state(language=LANGUAGES["en"]):
    """The content version, and the version and schema the language's search table was built
    at: one query. (The table recording them is made by front migration 0002; English is its
    row 1, a translated language's the row `_META_ROWS` names.)"""
    row = _META_ROWS.get(language.code, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM pagecache_contentversion WHERE id = 1), "
            "(SELECT version FROM search_index_meta WHERE id = %s), "
            "(SELECT schema FROM search_index_meta WHERE id = %s)",
            [row, row],
        )
        current, built, schema = cursor.fetchone()
    return current, (built, schema)


def _sqlite(concepts, version, index, language=None):
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


# --- Another language: the live translations of live pages ---------------------------------

# Each translated language's search table and its row in search_index_meta.
_META_ROWS = {"es": 2}
TRANSLATED_SCHEMA = 1


def translated_documents(language):
    """What a search in `language` looks through: each section of a live article with a live
    translation, and each live topic page with one, as that translation has them (a section
    it does not translate is left out). Read as dicts with the columns of the search tables."""
    article_type = ContentType.objects.get_for_model(Article)
    topic_type = ContentType.objects.get_for_model(TopicPage)
    translations = Translation.objects.live().filter(
        language=language.code, content_type__in=[article_type, topic_type]
    )
    by_article = {t.object_id: t for t in translations if t.content_type_id == article_type.pk}
    by_topic = {t.object_id: t for t in translations if t.content_type_id == topic_type.pk}
    documents = []
    sections = Section.objects.filter(
        article_id__in=by_article, article__status=Article.Status.PUBLISHED
    ).select_related("article")
    for section in sections.order_by("article_id", "position", "id"):
        translation = by_article[section.article_id]
        text = (translation.rendered.get("section_text") or {}).get(str(section.pk))
        if not text:
            continue
        title = translation.row("sections", section.pk).get("heading") or ""
        documents.append(
            {
                "kind": "section",
                "ref_id": section.pk,
                "title": title,
                "body": text,
                "more": "",
                "context": translation.field("title") or section.article.title,
                "slug": section.article.slug,
                "place": section.anchor,
            }
        )
    live = Q(status=TopicPage.Status.PUBLISHED) & (
        Q(parent=None) | Q(parent__status=TopicPage.Status.PUBLISHED)
    )
    for page in TopicPage.objects.filter(live, pk__in=by_topic).select_related("parent"):
        translation = by_topic[page.pk]
        documents.append(
            {
                "kind": "topic",
                "ref_id": page.pk,
                "title": translation.field("title") or page.title,
                "body": translation.field("summary"),
                "more": (translation.rendered.get("text") or {}).get("intro", ""),
                "context": "",
                "slug": page.slug,
                "place": page.parent.slug if page.parent_id else "",
            }
        )
    return documents


_COLUMNS = ["kind", "ref_id", "title", "body", "more", "context", "slug", "place"]


def _build_translated_lexicon(language):
    counts = {}
    for document in translated_documents(language):
        for name in ("title", "body", "more"):
            for word in _WORD.findall((document[name] or "").casefold()):
                counts[word] = counts.get(word, 0) + 1
    words = sorted(
        (word for word in counts if len(word) >= 3 and not word.isdigit()),
        key=lambda word: (-counts[word], word),
    )
    return Lexicon(
        stems=frozenset(language.stem(word) for word in counts),
        words=words,
        synonyms={},
        language=language,
    )


def _translated_table(language):
    return f"search_index_{language.code}"


def _refresh_translated_table(language, current, built, schema):
    """Rebuild the language's search table if content changed since it was built. On
    PostgreSQL two app servers may find it stale at once: the first rebuilds it under a
    transaction-scoped advisory lock, the second then finds it built."""
    if current is not None and current == built and schema == TRANSLATED_SCHEMA:
        return
    table, row = _translated_table(language), _META_ROWS[language.code]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REBUILD_LOCK + row])
            cursor.execute("SELECT version, schema FROM search_index_meta WHERE id = %s", [row])
            found = cursor.fetchone()
            if found and found[0] == current and found[1] == TRANSLATED_SCHEMA:
                return
        else:
            if schema != TRANSLATED_SCHEMA:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            # Accents folded as words are read, in the pages and in a query alike.
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(kind UNINDEXED, "
                "ref_id UNINDEXED, title, body, more, context UNINDEXED, slug UNINDEXED, "
                "place UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
            )
        cursor.execute(f"DELETE FROM {table}")
        documents = translated_documents(language)
        if documents:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join(['%s'] * len(_COLUMNS))})",
                [[document[name] for name in _COLUMNS] for document in documents],
            )
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO search_index_meta (id, version, schema) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, "
                "schema = EXCLUDED.schema",
                [row, current, TRANSLATED_SCHEMA],
            )
        else:
            cursor.execute(
                "INSERT OR REPLACE INTO search_index_meta (id, version, schema) "
                "VALUES (%s, %s, %s)",
                [row, current, TRANSLATED_SCHEMA],
            )


# Advisory lock keys: this one, plus the language's meta row.
_REBUILD_LOCK = 728_000


def _postgres_translated(concepts, language):
    """As `_postgres`, over the language's table (front migration 0004), which holds each
    document weighted in PostgreSQL's configuration for the language, rebuilt when content
    changed (two queries then, besides the search's one)."""
    version = current_version(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT version, schema FROM search_index_meta WHERE id = %s",
            [_META_ROWS[language.code]],
        )
        built, schema = cursor.fetchone() or (None, None)
    _refresh_translated_table(language, version, built, schema)
    config = _PG_CONFIGS[language.code]
    params, tsqueries = [], []
    for concept in concepts:
        tsqueries.append(
            "(" + " || ".join([f"phraseto_tsquery('{config}', %s)"] * len(concept.terms)) + ")"
        )
        params += [" ".join(term) for term in concept.terms]
    names = [f"c{number}" for number in range(len(concepts))]
    held = " + ".join(f"(m.document @@ q.{name})::int" for name in names)
    found = ", ".join(f"bool_or(m.document @@ q.{name}) OVER ()" for name in names)
    headline = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', {}'"
    table = _translated_table(language)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT {", ".join(f"{t} AS {n}" for t, n in zip(tsqueries, names, strict=True))}),
            query AS (SELECT q.*, {" || ".join(names)} AS anyq FROM q),
            matched AS (
                SELECT d.* FROM {table} d, query
                WHERE d.document @@ query.anyq
            ),
            ranked AS (
                SELECT m.*, ts_rank(m.document, q.anyq) AS rank, ARRAY[{found}] AS found,
                       {held} AS held
                FROM matched m, query q
                ORDER BY held DESC, rank DESC, m.kind, m.ref_id
                LIMIT %s
            )
            SELECT r.kind, r.ref_id, r.rank,
                   ts_headline('{config}', r.body, q.anyq, CASE WHEN r.kind = 'section'
                       THEN {headline.format("MaxWords=30, MinWords=12, MaxFragments=1")}
                       ELSE {headline.format("HighlightAll=true")} END),
                   r.found, r.held, r.title, r.context, r.slug, r.place
            FROM ranked r, query q
            ORDER BY r.held DESC, r.rank DESC, r.kind, r.ref_id
            """,
            [*params, MAX_RESULTS],
        )
        return cursor.fetchall()


_PG_CONFIGS = {"es": "spanish"}


def _fts_term(term, language):
    """A term for the language's FTS5 table: a phrase as a phrase; a single word also by its
    stem as a prefix ("tratamient"*), since FTS5 has no Spanish stemmer."""
    phrase = _fts_phrase(term)
    if len(term) != 1:
        return phrase
    stemmed = language.stem(term[0])
    if len(stemmed) < 4 or stemmed == term[0]:
        return phrase
    return f"{phrase} OR {_fts_phrase((stemmed,))}*"


def _sqlite_translated(concepts, version, index, language):
    _refresh_translated_table(language, version, *index)
    table = _translated_table(language)
    matches = [
        "(" + " OR ".join(_fts_term(term, language) for term in c.terms) + ")" for c in concepts
    ]
    holds = [
        f"(rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)) AS h{n}"
        for n in range(len(concepts))
    ]
    found = ", ".join(f"max(h{n}) OVER ()" for n in range(len(concepts)))
    held = " + ".join(f"h{n}" for n in range(len(concepts)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH matched AS MATERIALIZED (
                SELECT kind, ref_id, title, context, slug, place,
                       bm25({table}, 0, 0, 8.0, 2.0, 1.0, 0, 0, 0) AS rank,
                       snippet({table}, 3, char(2), char(3), '…', 24) AS snippet,
                       {", ".join(holds)}
                FROM {table}
                WHERE {table} MATCH %s
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
            url, context = address("topic", slug, place), _("Topic page")
        hits.append(Hit(title, context, url, _marked(snippet), rank))
    return hits


def _marked(snippet):
    """Escape the snippet, then turn the engine's marks into <mark> elements."""
    text = escape(snippet or "")
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))
