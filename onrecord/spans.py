"""Character spans: the one home of how a span's ends are normalised.

Gold corpora, the scorer, training and the run-time merge of verb chains all compare spans the way the
annotation protocol does: blanks and punctuation off both ends, since whether a quotation's marks sit
inside a content is house style, not a different statement. Stdlib only, so the scorer and the
analysis share it without either importing the other.
"""

from __future__ import annotations

import unicodedata

__all__ = ["Seg", "trim"]

Seg = tuple[int, int]  # [start, end) in code points of the text it was cut from


def _is_trimmed_away(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch).startswith("P")


def trim(text: str, start: int, end: int) -> Seg:
    """`text[start:end]` without surrounding blanks and punctuation; an empty span where nothing else is
    left, at the old `end`."""
    while start < end and _is_trimmed_away(text[start]):
        start += 1
    while end > start and _is_trimmed_away(text[end - 1]):
        end -= 1
    return start, end
