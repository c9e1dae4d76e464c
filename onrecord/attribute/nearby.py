"""Position indexes, so that every "which attribution is next to this quote" question looks at a few
neighbours instead of the whole article (a 5 MB input has thousands of attributions)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc

from onrecord.attribute.found import Found

_TEXT_KEY = "onrecord.text"
WINDOW = 3000  # characters: attributions, their quotes and cues never sit further apart than this


def anchor(item: Found) -> int:
    points = [*(s for s, _ in item.content), *(s[0] for s in (item.cue, item.source) if s)]
    return min(points) if points else 0


class Nearby:
    """Attributions sorted by their first character; `around` returns those near a span."""

    def __init__(self, found: list[Found]) -> None:
        self._items = sorted(found, key=anchor)
        self._anchors = [anchor(f) for f in self._items]

    def add(self, item: Found) -> None:
        position = anchor(item)
        i = bisect_right(self._anchors, position)
        self._anchors.insert(i, position)
        self._items.insert(i, item)

    def around(self, start: int, end: int, margin: int = WINDOW) -> list[Found]:
        lo = bisect_left(self._anchors, start - margin)
        hi = bisect_right(self._anchors, end + margin)
        return self._items[lo:hi]


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once: spaCy joins every token again on each access, which made every
    look-around O(article length)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


class Sentences:
    """Sentence index of a character offset, for "same or next sentence" tests."""

    def __init__(self, doc: Doc) -> None:
        self.spans = list(doc.sents)
        self._starts = [s.start_char for s in self.spans]

    def of(self, pos: int) -> int:
        return max(0, bisect_right(self._starts, pos) - 1)

    def root_at(self, pos: int):
        return self.spans[self.of(pos)].root


__all__ = ["WINDOW", "Nearby", "Sentences", "anchor", "doc_text"]
