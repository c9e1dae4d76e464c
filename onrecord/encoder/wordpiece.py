"""BERT's uncased WordPiece cut, with character offsets, in plain Python (no `tokenizers` dependency).

The encoder was trained on text cut this way: control characters dropped, lowercased, accents
stripped, words split at whitespace and at every punctuation mark (and around each CJK character),
then each word cut greedily into the longest pieces of the vocabulary, continuations marked "##"; a
word that cannot be cut, or is longer than 100 characters, is [UNK].  Offsets point into the original
text, so each piece maps back to the spaCy tokens it overlaps.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

UNKNOWN = "[UNK]"
LONGEST_WORD = 100


class WordPiece:
    def __init__(self, vocab_path: Path) -> None:
        words = vocab_path.read_text(encoding="utf-8").splitlines()
        self.ids = {w: i for i, w in enumerate(words)}
        self.unknown = self.ids[UNKNOWN]

    def encode(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids and (start, end) offsets into `text`."""
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        for start, end, word, origin in words(text):
            for piece_id, a, b in self._cut(word):
                ids.append(piece_id)
                offsets.append((origin[a], origin[b - 1] + 1) if piece_id != self.unknown else (start, end))
        return ids, offsets

    def _cut(self, word: str) -> list[tuple[int, int, int]]:
        if len(word) > LONGEST_WORD:
            return [(self.unknown, 0, len(word))]
        return _cut(self.ids, self.unknown, word)


def _cut(ids: dict[str, int], unknown: int, word: str) -> list[tuple[int, int, int]]:
    """Greedy longest-match-first; the whole word is [UNK] when some rest has no piece."""
    out = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in ids:
                found = ids[piece]
                break
            end -= 1
        if found is None:
            return [(unknown, 0, len(word))]
        out.append((found, start, end))
        start = end
    return out


def words(text: str) -> list[tuple[int, int, str, list[int]]]:
    """(start, end, normalised word, each normalised character's index in `text`) for each word and
    punctuation mark of `text` (folding may change a word's length: "ﬀ" stays, "é" loses its accent)."""
    out = []
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        kind = _kind(ch)
        if kind == "skip":
            continue
        if kind == "word":
            folded = _fold(ch)
            if not folded:  # a combining mark on its own folds away and joins its neighbours
                continue
            chars.append(folded)
            origin.extend([i] * len(folded))
            continue
        if chars:
            out.append((origin[0], i, "".join(chars), origin))
            chars, origin = [], []
        if kind == "alone":
            folded = _fold(ch)
            out.append((i, i + 1, folded, [i] * len(folded)))
    if chars:
        out.append((origin[0] if origin else len(text), len(text), "".join(chars), origin))
    return [w for w in out if w[2]]


@lru_cache(maxsize=4096)
def _kind(ch: str) -> str:
    """ "space" (splits, dropped), "skip" (dropped without splitting: control characters), "alone" (a
    word of its own), or "word"."""
    code = ord(ch)
    category = unicodedata.category(ch)
    if ch in " \t\n\r" or category == "Zs":
        return "space"
    if code == 0 or code == 0xFFFD or category in ("Cc", "Cf"):
        return "skip"
    if _is_cjk(code) or _is_punctuation(ch, code, category):
        return "alone"
    return "word"


def _is_punctuation(ch: str, code: int, category: str) -> bool:
    """BERT counts every ASCII non-alphanumeric symbol as punctuation, and Unicode's P* categories."""
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return category.startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Lowercase and strip accents (NFD, combining marks dropped), as the uncased model expects."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
