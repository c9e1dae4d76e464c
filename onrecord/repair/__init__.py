"""Repair scraped article text before parsing, keeping a map back to the input as read.

`repair` splits glued words and sets page boilerplate aside; nothing else is normalised, so every
offset of the analysis text maps back through `Repaired.offsets` to the same characters of the input.
Repairs and boilerplate are reported in input coordinates for the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.record import Boilerplate, Repair
from onrecord.repair.boilerplate import find_boilerplate
from onrecord.repair.glued import Glued, find_glued, glued_tokens
from onrecord.repair.offsets import Edit, OffsetMap, apply_edits

__all__ = [
    "Edit",
    "OffsetMap",
    "Repaired",
    "apply_edits",
    "find_boilerplate",
    "find_glued",
    "repair",
]


@dataclass(slots=True)
class Repaired:
    """The analysis text and what it took to get there from the input."""

    text: str  # the input with glued words split and boilerplate lines removed
    offsets: OffsetMap  # analysis offsets -> input offsets
    repairs: list[Repair]  # input coordinates: the whole original token and its replacement
    boilerplate: list[Boilerplate]  # input coordinates: whole lines, newline included


def repair(text: str) -> Repaired:
    """Split glued words and remove boilerplate lines; glue inside removed lines is not reported."""
    spans = find_boilerplate(text)
    glued = [g for g in glued_tokens(text) if not _inside(g, spans)]
    edits = [Edit(g.start + c, g.start + c, " ") for g in glued for c in g.cuts]
    edits += [Edit(start, end, "") for start, end in spans]
    repaired, offsets = apply_edits(text, edits)
    return Repaired(
        text=repaired,
        offsets=offsets,
        repairs=[_repair_record(text, g) for g in glued],
        boilerplate=[Boilerplate(start, end) for start, end in spans],
    )


def _inside(glued: Glued, spans: list[tuple[int, int]]) -> bool:
    """Whether a glued token lies in a boilerplate line (spans are few: a linear scan is enough)."""
    return any(start <= glued.start and glued.end <= end for start, end in spans)


def _repair_record(text: str, glued: Glued) -> Repair:
    """The record's view of a split: the original token and the token with its spaces."""
    original = text[glued.start : glued.end]
    pieces, last = [], 0
    for cut in glued.cuts:
        pieces.append(original[last:cut])
        last = cut
    pieces.append(original[last:])
    return Repair(glued.start, glued.end, original, " ".join(pieces))
