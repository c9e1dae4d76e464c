"""Find words glued together where scraping lost a space, usually at the edge of a removed link.

"PresidentAlice", "Marwoodhas", "thewar", "saidGarrick", "Inc.All" read as one token to the parser and
break names, cues and sentences.  A split needs evidence: the glued token is rare or unknown as a whole,
and one side is a function word, a title, or a name the same document uses on its own.  Real names and
brands (McCain, LinkedIn, Kyiv) are protected by their own frequency and by the lists in `data/`.  Only
insertions of one space are proposed, so offsets stay trivial to map back.

Speed: two fast regex scans over-approximate the candidates and set operations against the frequency
list (in C) drop ordinary words, so Python only looks at the few suspects (well under 1 ms per 1000
words); each suspect is then checked against the exact token boundaries of `_TOKEN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from math import log10

from onrecord.repair.data import lines, words
from onrecord.repair.offsets import Edit

RARE = 1.5  # zipf below which a mixed-case token counts as unknown (lowercase: absent from the list)
FREQUENT = 4.0  # zipf of an everyday word
COMMON = 3.0  # zipf of a plain word, enough when the other side is a function word
SHORT_GLUE_OTHER = (4, 3.5)  # length and zipf the other side needs when the glue word is "of" or "to"
NAME_MIN = 3  # shortest document name accepted as the left part of "Namehas"
SUFFIX_MIN = 3  # shortest function word accepted after a document name ("has", not "is")
MAX_TOKEN = 40  # longer runs of letters are not two glued words; the cap keeps odd input linear

FUNCTION = words("function_words.txt")
DETERMINERS = words("determiners.txt")
TITLES = words("titles.txt")
NAME_PREFIXES = frozenset(lines("name_prefixes.txt"))
COMPOUND_PARTS = words("compound_parts.txt")
NEVER_SPLIT = words("never_split.txt")
WEB_SUFFIXES = words("web_suffixes.txt")
GLUE_WORDS = words("glue_words.txt")
NAME_SUFFIXES = tuple(sorted((w for w in GLUE_WORDS if len(w) >= SUFFIX_MIN), key=len, reverse=True))
_DETERMINERS_LONGEST_FIRST = tuple(sorted(DETERMINERS, key=len, reverse=True))
PAIRS = frozenset(f + d for f in FUNCTION if len(f) >= 2 for d in DETERMINERS)  # "ofthe", "inthis"

# Not inside a word, URL, e-mail, hashtag, @handle or markup attribute, nor after a line-end hyphen.
_START = r"(?<![\w@#/.:\-])(?<!\w['’])(?<![=\w]\")(?<!\w-[ \n])"
_END = r"(?![\w@/\-]|[.:][\w/])"  # not followed by more word, a path or a domain

_TOKEN = re.compile(
    rf"""{_START}(?:
        (?P<camel>[A-Za-z]*[a-z][A-Z][A-Za-z]*)          # lower->Upper inside: saidPutin
      | (?P<dot>[A-Za-z]+[a-z][.!?]”?“?[A-Z][A-Za-z]*)   # sentence glued on: Inc.All
      | (?P<cap>[A-Z][a-z]{{{NAME_MIN + SUFFIX_MIN - 1},}})  # name + function word: Marwoodhas
      | (?P<low>[a-z]{{5,}})                             # two lowercase words: thewar, ofthe
    ){_END}""",
    re.VERBOSE,
)
# Fast scans that over-approximate the candidates; `_TOKEN` then checks each hit exactly.
_SCAN_WORDS = re.compile(r"[a-z]{5,}")  # run over the lowercased text
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SCAN_JOINS = re.compile(r"[a-z][A-Z]|[a-z][.!?]”?“?[A-Z]")
_NAME = re.compile(r"(?<!\w)[A-Z](?:[a-z]+|[A-Z]+)(?!\w)")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD_SHAPE = re.compile(r"[A-Z][a-z]+|[A-Z]{2,}")
_STOP = re.compile(r"[.!?]”?")


@dataclass(frozen=True, slots=True)
class Glued:
    """A glued token in input coordinates and the offsets (inside it) where a space belongs."""

    start: int
    end: int
    cuts: tuple[int, ...]


def find_glued(text: str) -> list[Edit]:
    """Insertions of one space that split the glued tokens of `text`."""
    return [Edit(g.start + c, g.start + c, " ") for g in glued_tokens(text) for c in g.cuts]


def glued_tokens(text: str) -> list[Glued]:
    """The glued tokens of `text`, each with its cut points; the record reports them as repairs."""
    hits = _word_hits(text) + _join_hits(text)
    if not hits:
        return []
    names = document_names(text) if any(kind != "low" for _, kind in hits) else frozenset()
    found: list[Glued] = []
    for m, kind in sorted(hits, key=lambda h: h[0].start()):
        token = m.group()
        cuts = _lower_cuts(token) if kind == "low" else _SPLITTERS[kind](token, names)
        if cuts:
            found.append(Glued(m.start(), m.end(), cuts))
    return found


def document_names(text: str) -> frozenset[str]:
    """Capitalised words that stand alone somewhere in the text: the document's own evidence."""
    return frozenset(_NAME.findall(text))


@cache
def frequencies() -> dict[str, float]:
    """wordfreq's English list, loaded on first use (about 0.3 s) so importing stays cheap."""
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="best")


@lru_cache(maxsize=1 << 17)
def zipf(word: str) -> float:
    """Zipf frequency (log10 per billion words) of `word`, 0.0 when unknown; cached per word."""
    freq = frequencies().get(word.lower())
    return log10(freq) + 9 if freq else 0.0


def _word_hits(text: str) -> list[tuple[re.Match[str], str]]:
    """Unknown lowercase words, function-word pairs and rare "Namehas" tokens, found in C.

    The text is lowercased so that set operations against the frequency list drop every ordinary
    word, capitalised or not, before any Python runs; only the few suspects (about one per 1000
    words) are then located and checked against the exact token boundaries.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter changed length; keep offsets aligned
        lowered = text.translate(_ASCII_LOWER)
    tokens = set(_SCAN_WORDS.findall(lowered))
    hits = []
    for token in tokens.difference(frequencies()) | (tokens & PAIRS):
        if len(token) > MAX_TOKEN:
            continue
        for m in _occurrences(text, lowered, token):
            kind = m.lastgroup or ""
            if _worth_checking(m.group(), kind):
                hits.append((m, kind))
    return hits


def _join_hits(text: str) -> list[tuple[re.Match[str], str]]:
    """Tokens with a lower->Upper boundary or a glued full stop, widened to the whole token."""
    hits = []
    seen_end = -1
    for j in _SCAN_JOINS.finditer(text):
        if j.start() < seen_end:
            continue  # a later boundary of a token already taken
        start = _token_start(text, j.start())
        if start is None:
            continue
        m = _TOKEN.match(text, start)
        if m is not None and m.end() > j.start() and m.lastgroup in ("camel", "dot"):
            seen_end = m.end()
            if _worth_checking(m.group(), m.lastgroup):
                hits.append((m, m.lastgroup))
    return hits


def _token_start(text: str, pos: int) -> int | None:
    """Start of the ASCII letter run ending at `pos`, or None when it is longer than MAX_TOKEN."""
    start = pos
    limit = max(0, pos - MAX_TOKEN)
    while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
        if start == limit:
            return None
        start -= 1
    return start


@lru_cache(maxsize=1 << 16)
def _worth_checking(token: str, kind: str) -> bool:
    """Document-independent filter: rare as a whole, not listed as a real word, and for "cap"
    ending in a function word."""
    if len(token) > MAX_TOKEN or token.lower() in NEVER_SPLIT:
        return False
    if kind == "low":
        return bool(_lower_cuts(token))
    if zipf(token) >= RARE:
        return False
    return kind != "cap" or token.lower().endswith(NAME_SUFFIXES)


def _occurrences(text: str, lowered: str, token: str) -> list[re.Match[str]]:
    """Whole-word "cap" or "low" candidates spelling `token` (not in a URL, handle, ...)."""
    found = []
    i = lowered.find(token)
    while i >= 0:
        m = _TOKEN.match(text, i)
        if m is not None and m.lastgroup in ("cap", "low") and m.end() == i + len(token):
            found.append(m)
        i = lowered.find(token, i + len(token))
    return found


@lru_cache(maxsize=1 << 16)
def _lower_cuts(token: str) -> tuple[int, ...]:
    """Cut a lowercase token at its best split into two words, one of them a glue word."""
    if token in PAIRS:
        return _pair_cut(token)
    if token in NEVER_SPLIT:
        return ()
    best, best_score = 0, 0.0
    for i in range(2, len(token) - 1):
        score = _pair_score(token[:i], token[i:])
        if score > best_score:
            best, best_score = i, score
    return (best,) if best else ()


def _pair_cut(token: str) -> tuple[int, ...]:
    """Cut "ofthe" after the function word (the determiner is the longest that fits)."""
    for det in _DETERMINERS_LONGEST_FIRST:
        if token.endswith(det) and token[: -len(det)] in FUNCTION:
            return (len(token) - len(det),)
    return ()


def _pair_score(left: str, right: str) -> float:
    """How surely `left` + `right` are two words (0 when not): the other part's frequency.

    One side must be a glue word ("of", "the", "about"): two content words glued ("skywriters",
    "gunmakers") are far more often a real compound than a lost space.
    """
    if left in COMPOUND_PARTS or right in COMPOUND_PARTS:
        return 0.0
    if left in GLUE_WORDS:
        glue, other = left, right
    elif right in GLUE_WORDS:
        glue, other = right, left
    else:
        return 0.0
    min_len, min_zipf = SHORT_GLUE_OTHER if len(glue) <= 2 else (3, COMMON)
    score = zipf(other)
    return score if len(other) >= min_len and score >= min_zipf else 0.0


def _camel_cuts(token: str, names: frozenset[str]) -> tuple[int, ...]:
    """Cut at lower->Upper boundaries whose two sides read as separate words."""
    parts = _CAMEL_BOUNDARY.split(token)
    cuts: list[int] = []
    offset = 0
    for i in range(len(parts) - 1):
        offset += len(parts[i])
        if i == 0 and parts[0] in NAME_PREFIXES:
            continue
        if _camel_split(parts[i], parts[i + 1], names):
            cuts.append(offset)
    return tuple(cuts)


def _camel_split(left: str, right: str, names: frozenset[str]) -> bool:
    """Evidence for "left Right": a title, a function word, a lowercase word, or two document names.

    Capitalised compounds of ordinary words ("NewsGuard", "WashPost") are brands far more often
    than glue, so a capitalised left side needs the document's own names on both sides.
    """
    if len(left) < 2 or not _WORD_SHAPE.fullmatch(right):
        return False
    low = left.lower()
    if low in TITLES:
        return True
    lower_left = left[0].islower()
    if low in FUNCTION:
        return lower_left or (right in names and right.lower() not in FUNCTION)
    if not right[1:].islower():  # an acronym after an ordinary word: watchOS
        return False
    if lower_left:
        return len(left) >= 3 and _lower_left_word(left, right, names)
    return left in names and right in names


def _lower_left_word(left: str, right: str, names: frozenset[str]) -> bool:
    """A lowercase word before a capital: an everyday word, or a plain one before a document name."""
    score = zipf(left)
    return score >= FREQUENT or (score >= COMMON and right in names)


def _cap_cuts(token: str, names: frozenset[str]) -> tuple[int, ...]:
    """Cut "Marwoodhas" when "Marwood" stands alone elsewhere and "has" is a function word."""
    low = token.lower()
    for suffix in NAME_SUFFIXES:
        cut = len(token) - len(suffix)
        if cut >= NAME_MIN and low.endswith(suffix) and token[:cut] in names:
            return (cut,)
    return ()


def _dot_cuts(token: str, names: frozenset[str]) -> tuple[int, ...]:
    """Cut "Inc.All" after the stop when both sides are words and it is no web or file name."""
    m = _STOP.search(token)
    if m is None:
        return ()
    left, right = token[: m.start()], token[m.end() :].lstrip("“")
    if right.lower() in WEB_SUFFIXES or left.lower() in WEB_SUFFIXES:
        return ()
    if _WORD_SHAPE.fullmatch(right) and _known(left, names) and _known(right, names):
        return (m.end(),)
    return ()


def _known(word: str, names: frozenset[str]) -> bool:
    """A plain word or a name this document uses on its own."""
    return zipf(word) >= COMMON or word in names


_SPLITTERS = {"camel": _camel_cuts, "cap": _cap_cuts, "dot": _dot_cuts}
