"""Edits on the input text and the map that carries offsets back through them.

The analysis runs on repaired text; the record must index the input as read.  Only this module knows
both coordinate systems: repair steps propose `Edit`s in input coordinates, `apply_edits` builds the
repaired text together with an `OffsetMap`, and every span goes back through `OffsetMap.to_input`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace input[start:end] by `replacement` (an insertion when start == end)."""

    start: int
    end: int
    replacement: str


class OffsetMap:
    """Maps offsets of the repaired text back to the input text.

    Positions outside any edit shift by the net length change of the edits before them.  A position
    inside a replacement maps into the replaced input span, clamped to it, so a span that starts or ends
    inside an inserted space still lands on a real input boundary.
    """

    __slots__ = ("_edits", "_out_starts")

    def __init__(self, edits: list[tuple[int, int, int, int]]) -> None:
        # (out_start, out_len, in_start, in_len) for each edit, sorted by position.
        self._edits = edits
        self._out_starts = [e[0] for e in edits]

    @classmethod
    def identity(cls) -> OffsetMap:
        return cls([])

    def to_input(self, pos: int) -> int:
        i = bisect_right(self._out_starts, pos) - 1
        if i < 0:
            return pos
        out_start, out_len, in_start, in_len = self._edits[i]
        if pos < out_start + out_len:
            return in_start + min(pos - out_start, in_len)
        return in_start + in_len + (pos - out_start - out_len)

    def span_to_input(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span; never returns an inverted span."""
        in_start, in_end = self.to_input(start), self.to_input(end)
        return in_start, max(in_start, in_end)


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, OffsetMap]:
    """Apply non-overlapping edits (overlapping ones are dropped, first wins) and build the map."""
    parts: list[str] = []
    table: list[tuple[int, int, int, int]] = []
    cursor = 0
    out_len = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < cursor or edit.end < edit.start or edit.end > len(text):
            continue
        parts.append(text[cursor : edit.start])
        out_len += edit.start - cursor
        table.append((out_len, len(edit.replacement), edit.start, edit.end - edit.start))
        parts.append(edit.replacement)
        out_len += len(edit.replacement)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts), OffsetMap(table)
