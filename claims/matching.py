"""Find overstating phrases in what patients read, as a clinical reviewer needs to see them.

A phrase matches as whole words, in any case, with its words joined by a space, a hyphen or
nothing ("FDA-approved", "FDA approved"), and curly apostrophes read as straight ones. A
match is left out when the phrase is negated just before it in its clause ("not
FDA-approved", "there is no cure"), or when the phrase is only about some subject
(`only_with`) and its sentence does not mention it. Each match carries its sentence, which
is what a reviewer settles: the same phrase in the same sentence is the same claim, wherever
on the page it moves. Plain functions over text: no queries but `Matcher.active()`.
"""

import hashlib
import re
from dataclasses import dataclass

# Characters that write the same thing: matched as one.
_SAME = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "neither", "none", "without", "cannot"}
    # Contractions, their apostrophe dropped: "isn't" is read as "isnt".
    | {"isnt", "arent", "wasnt", "werent", "doesnt", "dont", "didnt", "hasnt", "havent"}
    | {"hadnt", "wont", "wouldnt", "cant", "couldnt", "shouldnt"}
)
# How many words before a phrase a negation may stand: "is not currently FDA-approved".
NEGATION_WINDOW = 4
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014]")
_WORD = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Match:
    phrase: str  # the listed phrase ("cure"), whichever form was found
    found: str  # as the text writes it ("cures")
    sentence: str  # the sentence it stands in
    where: str  # where on the page, e.g. Section “Risks”
    why: str  # what the reviewer weighs

    @property
    def key(self):
        """The claim's identity: this phrase in this sentence (wherever it stands)."""
        return claim_key(self.phrase, self.sentence)


def claim_key(phrase, sentence):
    text = f"{phrase.casefold()}\n{' '.join(sentence.translate(_SAME).split()).casefold()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _words_pattern(text):
    """A form as a pattern: its words joined by any space or hyphen, or none."""
    words = [re.escape(word).replace("%", r"\s*%") for word in re.split(r"[\s-]+", text) if word]
    return r"(?<!\w)" + r"[\s-]*".join(words) + r"(?!\w)"


class _Phrase:
    def __init__(self, phrase):
        self.phrase = phrase.phrase
        self.why = phrase.why
        self.negation_clears = phrase.negation_clears
        self.pattern = re.compile(
            "|".join(_words_pattern(form.translate(_SAME)) for form in phrase.forms), re.I
        )
        context = phrase.context_words
        self.context = (
            re.compile("|".join(_words_pattern(word) for word in context), re.I)
            if context
            else None
        )


class Matcher:
    """The phrases to look for, compiled once for any number of texts."""

    def __init__(self, phrases):
        self.phrases = [_Phrase(phrase) for phrase in phrases]

    @classmethod
    def active(cls):
        from .models import ClaimPhrase

        return cls(ClaimPhrase.objects.active())

    def find(self, text, where=""):
        """The matches in `text`, in order, one per phrase and sentence."""
        text = (text or "").translate(_SAME)
        hits, sentences = [], None
        # Each phrase is searched for in the whole text (one pass of the regex engine);
        # only a text that holds one is cut into sentences.
        for phrase in self.phrases:
            for match in phrase.pattern.finditer(text):
                if sentences is None:
                    sentences = list(_sentences(text))
                hits.append((match.start(), match.end(), phrase, match.group(0)))
        found, seen = [], set()
        for start, end, phrase, written in sorted(hits, key=lambda hit: hit[:2]):
            begin, stop = next((s for s in sentences if s[0] <= start < s[1]), (start, end))
            sentence = text[begin:stop]
            if phrase.context and not phrase.context.search(sentence):
                continue
            if phrase.negation_clears and _negated(text[begin:start]):
                continue
            shown = " ".join(sentence.split())
            if (phrase.phrase, shown) not in seen:
                seen.add((phrase.phrase, shown))
                found.append(Match(phrase.phrase, written, shown, where, phrase.why))
        return found

    def find_all(self, texts):
        """The matches in each (where, text) of `texts`."""
        return [match for where, text in texts for match in self.find(text, where)]


def _negated(before):
    clause = _CLAUSE_BREAK.split(before)[-1]
    words = [word.casefold().replace("'", "") for word in _WORD.findall(clause)]
    return any(word in NEGATIONS for word in words[-NEGATION_WINDOW:])


def _sentences(text):
    """(start, end) of each sentence: a line, or a part of one ending in . ! or ?"""
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in _SENTENCE_END.finditer(line.group(0)):
            stop = line.start() + end.end()
            if text[start:stop].strip():
                yield start, stop
            start = stop
        if text[start : line.end()].strip():
            yield start, line.end()
