"""Plain Unicode text from what reference managers write in their fields.

BibTeX values are LaTeX: accents (`{\\'{e}}`), escapes (`{\\%}`, `{\\textgreater}`), math
(`$\\epsilon$` is ε, `H$_2$O` is H₂O). RIS and CSL-JSON titles may carry HTML-like markup
(`<i>Mus musculus</i>`, `<sup>13</sup>C`). Each function returns the text a reader sees: no
markup is kept, so what is stored is safe to show anywhere once escaped as usual.
"""

import functools
import html
import re
import unicodedata

from pylatexenc import latex2text, latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec

_SUPERSCRIPT = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ", strict=True))
# Macros pylatexenc drops or renders unlike a reader expects: `{\textgreater}40` must keep
# its ">", and \epsilon is the Greek letter ε that authors mean, not the lunate ϵ.
_MACROS = {
    "textgreater": ">",
    "textless": "<",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textbar": "|",
    "textunderscore": "_",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textdegree": "°",
    "epsilon": "ε",
    "varepsilon": "ε",
    "phi": "φ",
    "varphi": "φ",
}
# The accents and escapes reference managers write most ({\\'{o}}, M{\\"u}ller, {\\v{s}},
# 50{\\%}), decoded without the LaTeX parser, which takes a millisecond a value.
_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_LETTER = r"([A-Za-z]|\\[ij](?![A-Za-z]))"
_ACCENT = re.compile(
    r"\{\\([`'^\"~=.])\s*"
    + _LETTER
    + r"\}"  # {\'o}
    + r"|\{\\([`'^\"~=.uvHckr])\s*\{"
    + _LETTER
    + r"\}\}"  # {\'{o}}, {\v{s}}
    + r"|\\([`'^\"~=.uvHckr])\s*\{"
    + _LETTER
    + r"\}"  # \'{o}, \v{s}
    + r"|\\([`'^\"~=.])"
    + _LETTER  # \'o
)
_ESCAPE = re.compile(r"\{\\([%&_#$])\}|\\([%&_#$])|\{\\(textgreater|textless)\}")
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)
_SCRIPT_IN_MATH = re.compile(r"([\^_])(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])")
_TEXT_SCRIPT = re.compile(r"\\text(super|sub)script\s*\{([^{}]*)\}")
_NEEDS_DECODING = re.compile(r"[\\$~%]|``|''")


@functools.cache
def _decoder(keep_braces):
    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "atma-references",
        prepend=True,
        macros=[
            MacroTextSpec("url", simplify_repl="%s"),
            *(MacroTextSpec(name, simplify_repl=text) for name, text in _MACROS.items()),
        ],
    )
    return LatexNodes2Text(latex_context=context, math_mode="text", keep_braced_groups=keep_braces)


@functools.cache
def _parsing_context():
    # Built once: pylatexenc would otherwise build its default context for every value.
    return latexwalker.get_default_latex_context_db()


def latex_to_text(value, *, keep_braces=False):
    """A BibTeX value as text. `keep_braces` keeps `{…}` groups, which in a name field say
    "this is one name" ({World Health Organization}), for the name splitter to see."""
    value = (value or "").replace("---", "—").replace("--", "–")  # as LaTeX sets them
    if "\\" in value:
        value = _ACCENT.sub(_accented, value)
    if not _NEEDS_DECODING.search(_ESCAPE.sub("", value)):
        # Only accents, escapes and protecting braces ({{COVID}-19}, Mendeley's {{Title}}).
        value = _ESCAPE.sub(_escaped, value)
        return _spaces(value if keep_braces else value.replace("{", "").replace("}", ""))
    value = _TEXT_SCRIPT.sub(lambda m: _script("^" if m[1] == "super" else "_", m[2]), value)
    value = _MATH.sub(lambda m: "$" + _SCRIPT_IN_MATH.sub(_math_script, m[1]) + "$", value)
    return _spaces(_decode(value, keep_braces))


def _accented(match):
    groups = [group for group in match.groups() if group is not None]
    accent, letter = groups
    letter = {"\\i": "i", "\\j": "j"}.get(letter, letter)
    return unicodedata.normalize("NFC", letter + _COMBINING[accent])


def _escaped(match):
    character, bare, word = match.groups()
    return character or bare or {"textgreater": ">", "textless": "<"}[word]


def _decode(latex, keep_braces=False):
    return _decoder(keep_braces).latex_to_text(latex, latex_context=_parsing_context())


def _math_script(match):
    marker, body = match.groups()
    return _script(marker, body[1:-1] if body.startswith("{") else body)


def _script(marker, latex, *, plain=False):
    """A superscript or subscript in Unicode when every character has one ("¹³C", "H₂O");
    otherwise the text after a caret or underscore, as LaTeX writes it ("x^ab"), or with
    `plain` the text alone (an HTML <sup>TM</sup>)."""
    text = latex if plain else _decode(f"${latex}$" if "\\" in latex else latex).strip()
    if marker == "^" and text in ("∘", "○", "\\circ"):
        return "°"
    table = _SUPERSCRIPT if marker == "^" else _SUBSCRIPT
    if text and all(character in table for character in text):
        return "".join(table[character] for character in text)
    return text if plain else marker + text


def verbatim_to_text(value):
    """An address or identifier as written, with only the escapes Mendeley adds undone
    (`{\\_}`, `{\\%}`, `$\\backslash$`, `{\\~{}}`) and a `\\url{…}` unwrapped. A URL is
    never read as LaTeX: its `%20` would start a comment and its `~` become a space."""
    value = re.sub(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\{[^{}]*\})?", r"\1", value or "")
    for escaped, plain in (
        ("$\\backslash$", "\\"),
        ("{\\~{}}", "~"),
        ("\\~{}", "~"),
        ("{\\textasciitilde}", "~"),
    ):
        value = value.replace(escaped, plain)
    value = re.sub(r"\{\\([_%&#$])\}|\\([_%&#$])", lambda m: m[1] or m[2], value)
    return value.strip()


_TAG = re.compile(r"<(/?)(i|b|em|strong|u|sc|scp|sup|sub|span|font)(\s[^<>]*)?>", re.IGNORECASE)
_SCRIPT_TAG = re.compile(r"<(sup|sub)(?:\s[^<>]*)?>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


def markup_to_text(value):
    """A title as text without the inline markup publishers' RIS and CSL-JSON carry:
    `<i>` and `<b>` dropped with their words kept, `<sup>`/`<sub>` in Unicode where they can
    be, entities (`&amp;`) decoded. Other angle brackets ("p < 0.05") are left as text."""
    value = value or ""
    if "<" in value:
        value = _SCRIPT_TAG.sub(
            lambda m: _script(
                "^" if m[1].lower() == "sup" else "_", _TAG.sub("", m[2]).strip(), plain=True
            ),
            value,
        )
        value = _TAG.sub("", value)
    if "&" in value:
        value = html.unescape(value)
    return _spaces(value)


def _spaces(value):
    # LaTeX's ~ and publishers' &nbsp; are spaces to a reader; runs of spaces are one.
    return " ".join(value.replace("\xa0", " ").split())
