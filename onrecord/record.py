"""The article record: the public contract `onrecord.article/1`.

Every span indexes the input text as read (`Article.text`), never the repaired text the parser saw;
`record.text[s.start:s.end] == s.text` holds for every span.  Changes within schema version 1 are
additive only; `article.schema.json` beside this module is the source of truth and is tested against
real output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Literal, get_args

SCHEMA = "onrecord.article/1"

AttributionType = Literal["direct", "indirect", "mixed"]
SourceKind = Literal["person", "organization", "unnamed"]
Act = Literal["speech", "thought", "intention", "evidence"]  # what the source did
ACTS: tuple[str, ...] = get_args(Act)  # in display order; every front end filters and shows these
EntityType = Literal["person", "organization", "place"]
Granularity = Literal["day", "week", "month", "year"]
TimeKind = Literal["date", "duration", "time"]


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Content(Span):
    """What was said; `segments` is always present: empty, or the pieces when the content is split
    around its cue (“…,” she said. “…”)."""

    segments: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Cue(Span):
    lemma: str = ""


@dataclass(slots=True)
class Source:
    """Who: `name` is canonical for entities, the descriptor for unnamed sources; `key` is the
    cross-article speaker identity (kind + folded name, variant spellings unified)."""

    mention: Span | None
    name: str
    entity: str | None = None
    kind: SourceKind | None = None
    anonymous: bool | None = None
    affiliation: str | None = None
    key: str | None = None


@dataclass(slots=True)
class TimeSpan(Span):
    """A time expression: `value` is ISO (2024-11-15, 2022-12, 2024-W46) or an ISO duration (P2Y)."""

    value: str | None = None
    granularity: Granularity | None = None
    kind: TimeKind = "date"


@dataclass(slots=True)
class Attribution:
    id: str
    type: AttributionType
    content: Content
    cue: Cue | None
    source: Source | None
    via: list[Source] = field(default_factory=list)
    parent: str | None = None
    confidence: float = 1.0
    to: Source | None = None
    time: TimeSpan | None = None
    act: Act = "speech"  # speech | thought | intention | evidence


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: EntityType
    mentions: list[Span] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    key: str | None = None


@dataclass(slots=True)
class Repair:
    start: int
    end: int
    original: str
    replacement: str


@dataclass(slots=True)
class Boilerplate:
    start: int
    end: int


@dataclass(slots=True)
class Meta:
    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    authors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    text: str
    meta: Meta = field(default_factory=Meta)
    repairs: list[Repair] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    dates: list[TimeSpan] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict with `schema` first, as readers expect to see it."""
        data = _plain(self)
        return {"schema": data.pop("schema"), **data}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild a record from its JSON form (the inverse of `to_dict`)."""
        return cls(
            schema=data.get("schema", SCHEMA),
            text=data["text"],
            meta=Meta(**data.get("meta", {})),
            repairs=[Repair(**r) for r in data.get("repairs", [])],
            boilerplate=[Boilerplate(**b) for b in data.get("boilerplate", [])],
            entities=[_entity(e) for e in data.get("entities", [])],
            attributions=[_attribution(a) for a in data.get("attributions", [])],
            dates=[_time(d) for d in data.get("dates", [])],
        )


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value: Any) -> Any:
    """`dataclasses.asdict` without its deep copies: records are serialised once per article, and
    asdict alone cost as much as the rest of the record stage."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    names = _field_names(type(value)) if hasattr(value, "__dataclass_fields__") else None
    if names is None:
        return value
    return {name: _plain(getattr(value, name)) for name in names}


def _span(data: dict[str, Any] | None) -> Span | None:
    return None if data is None else Span(data["start"], data["end"], data["text"])


def _source(data: dict[str, Any] | None) -> Source | None:
    if data is None:
        return None
    return Source(
        mention=_span(data.get("mention")),
        name=data["name"],
        entity=data.get("entity"),
        kind=data.get("kind"),
        anonymous=data.get("anonymous"),
        affiliation=data.get("affiliation"),
        key=data.get("key"),
    )


def _time(data: dict[str, Any] | None) -> TimeSpan | None:
    if data is None:
        return None
    return TimeSpan(
        data["start"],
        data["end"],
        data["text"],
        data.get("value"),
        data.get("granularity"),
        data.get("kind", "date"),
    )


def _entity(data: dict[str, Any]) -> Entity:
    mentions = [Span(**m) for m in data["mentions"]]
    return Entity(data["id"], data["name"], data["type"], mentions, list(data.get("roles", [])), data.get("key"))


def _attribution(data: dict[str, Any]) -> Attribution:
    content = data["content"]
    cue = data.get("cue")
    return Attribution(
        id=data["id"],
        type=data["type"],
        content=Content(
            content["start"],
            content["end"],
            content["text"],
            [Span(**s) for s in content.get("segments", [])],
        ),
        cue=None if cue is None else Cue(cue["start"], cue["end"], cue["text"], cue.get("lemma", "")),
        source=_source(data.get("source")),
        via=[s for s in (_source(v) for v in data.get("via", [])) if s is not None],
        parent=data.get("parent"),
        confidence=data.get("confidence", 1.0),
        to=_source(data.get("to")),
        time=_time(data.get("time")),
        act=data.get("act", "speech"),
    )
