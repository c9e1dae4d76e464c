"""The attribution stage's output, in analysis-text character offsets (before mapping back)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Segment = tuple[int, int]


@dataclass(slots=True)
class Found:
    """One attribution as found on the parsed (repaired) text.

    `content` holds one segment, or several when a quote is split around its cue; `source` is the
    mention span of the speaker in the text (possibly a pronoun), `name` its display form.
    """

    content: list[Segment]
    cue: Segment | None
    cue_lemma: str
    source: Segment | None
    name: str
    type: str = "indirect"
    confidence: float = 1.0
    frame: str = ""  # the cue frame read (clause, object, to, xcomp, prep:P, none, as; "" for rule cues)
    act: str = "speech"  # speech | thought | intention | evidence (onrecord.attribute.acts)
    head: int = -1  # token index of the cue head, for later stages (nesting, relays)
    parent: Found | None = None  # the attribution whose content reports this one
    via: list[tuple[Segment, str]] = field(default_factory=list)  # relays, nearest first
    continues: Found | None = None  # a quote without a cue of its own goes on from this attribution
    # Filled in by onrecord.resolve: resolved source, relays and addressee, and the reporting time.
    speaker: Any = None
    relays: list[Any] = field(default_factory=list)
    to: Any = None
    time: Any = None

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def with_content(self, segment: Segment) -> Found:
        self.content = [segment]
        return self
