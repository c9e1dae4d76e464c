"""From an article record (its JSON form) to what the article page shows.

Everything here works on the plain dict of `Article.to_dict()`, so a record fresh from the pipeline and
one read back from the corpus store render the same way.  Nothing here analyses text: it only lays
out the record's spans.

Highlighting: attributions may nest (a report inside a report) and spans of different roles overlap
(a source mention inside another quote).  The text is cut at every span boundary; each piece gets the
classes of every span that covers it, and every piece of text is escaped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from onrecord import keys

PALETTE = 10  # speaker colours c0..c9 in app.css; speakers beyond wrap around
NO_SOURCE = "(no source found)"


def kind_label(source: dict[str, Any] | None) -> str:
    """The sourcing category of a source, as the page words it (`onrecord.keys`)."""
    return keys.label(keys.source_category(source))


def speaker_key(source: dict[str, Any] | None) -> str:
    """Who a quote belongs to on the page: the store's speaker key (`keys.speaker_key`), so that a speaker
    is one colour here and one row in the corpus; attributions without a source share `NO_SOURCE`."""
    return keys.speaker_key(source) or NO_SOURCE


def speaker_name(source: dict[str, Any] | None) -> str:
    if not source:
        return NO_SOURCE
    return source.get("name") or (source.get("mention") or {}).get("text") or NO_SOURCE


@dataclass
class Speaker:
    key: str
    name: str
    colour: int
    ids: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)  # sourcing category → attributions
    relayed: int = 0

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def kind(self) -> str:
        """The most frequent category label among this speaker's quotes."""
        if not self.kinds:
            return keys.label(keys.UNRESOLVED)
        return keys.label(self.kinds.most_common(1)[0][0])


def speakers(record: dict[str, Any]) -> list[Speaker]:
    """Speakers in order of first appearance, each with a stable colour and its attribution ids."""
    found: dict[str, Speaker] = {}
    for a in record.get("attributions", []):
        source = a.get("source")
        key = speaker_key(source)
        if key not in found:
            found[key] = Speaker(key=key, name=speaker_name(source), colour=len(found) % PALETTE)
        speaker = found[key]
        speaker.ids.append(a["id"])
        speaker.kinds[keys.source_category(source)] += 1
        if keys.is_relayed(a):
            speaker.relayed += 1
    return list(found.values())


def sourcing_mix(record: dict[str, Any]) -> dict[str, Any]:
    """Counts per sourcing category, the share relayed (non-empty `via`) and the share with no source."""
    attributions = record.get("attributions", [])
    counts = Counter(keys.source_category(a.get("source")) for a in attributions)
    total = len(attributions)
    relayed = sum(1 for a in attributions if keys.is_relayed(a))
    return {
        "total": total,
        "parts": keys.mix(counts),
        "relayed": relayed,
        "relayed_share": relayed / total if total else 0.0,
        "types": dict(Counter(a.get("type") for a in attributions)),
    }


def attribution_details(record: dict[str, Any], people: list[Speaker]) -> dict[str, dict[str, Any]]:
    """What the page shows on hovering or clicking a highlight, keyed by attribution id."""
    colour = {i: s.colour for s in people for i in s.ids}
    by_id = {a["id"]: a for a in record.get("attributions", [])}
    details = {}
    for a in record.get("attributions", []):
        source = a.get("source")
        parent = by_id.get(a.get("parent") or "")
        details[a["id"]] = {
            "id": a["id"],
            "type": a.get("type"),
            "act": a.get("act"),
            "speaker": speaker_name(source),
            "mention": (source or {}).get("mention") and source["mention"]["text"],
            "kind": kind_label(source),
            "colour": colour.get(a["id"], 0),
            "cue": (a.get("cue") or {}).get("text"),
            "affiliation": (source or {}).get("affiliation"),
            "via": [speaker_name(v) for v in a.get("via") or []],
            "to": speaker_name(a["to"]) if a.get("to") else None,
            "time": _time_label(a.get("time")),
            "parent": parent and parent["id"],
            "parent_speaker": parent and speaker_name(parent.get("source")),
            "content": " … ".join(p["text"] for p in a["content"].get("segments") or [a["content"]]),
            "confidence": a.get("confidence"),
        }
    return details


def _time_label(time: dict[str, Any] | None) -> str | None:
    if not time:
        return None
    value = time.get("value")
    return f"{time['text']} ({value})" if value and value != time.get("text") else time.get("text")


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    role: str  # content | cue | source | via | repair | boilerplate
    ref: str | None = None  # attribution id, or the repair's note
    colour: int = 0


def _spans(record: dict[str, Any], people: list[Speaker]) -> list[_Span]:
    colour = {i: s.colour for s in people for i in s.ids}
    spans: list[_Span] = []
    for a in record.get("attributions", []):
        c = colour.get(a["id"], 0)
        content = a["content"]
        for part in content.get("segments") or [content]:
            spans.append(_Span(part["start"], part["end"], "content", a["id"], c))
        if a.get("cue"):
            spans.append(_Span(a["cue"]["start"], a["cue"]["end"], "cue", a["id"], c))
        mention = (a.get("source") or {}).get("mention")
        if mention:
            spans.append(_Span(mention["start"], mention["end"], "source", a["id"], c))
        for relay in a.get("via") or []:
            if relay.get("mention"):
                spans.append(_Span(relay["mention"]["start"], relay["mention"]["end"], "via", a["id"], c))
    for r in record.get("repairs", []):
        note = f"repaired: “{r['original']}” read as “{r['replacement']}”"
        spans.append(_Span(r["start"], r["end"], "repair", note))
    for b in record.get("boilerplate", []):
        spans.append(_Span(b["start"], b["end"], "boilerplate"))
    return spans


def highlight(record: dict[str, Any], people: list[Speaker] | None = None) -> Markup:
    """The article text as HTML: every piece escaped, highlights as <span>s with data-a ids."""
    text: str = record["text"]
    people = speakers(record) if people is None else people
    size = len(text)
    spans = [s for s in _spans(record, people) if 0 <= s.start < s.end <= size]
    starts: dict[int, list[_Span]] = {}
    ends: dict[int, list[_Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
        ends.setdefault(s.end, []).append(s)
    cuts = sorted({0, size, *starts, *ends})
    active: dict[int, _Span] = {}
    out: list[str] = []
    for left, right in pairwise(cuts):
        for s in ends.get(left, []):
            active.pop(id(s), None)
        for s in starts.get(left, []):
            active[id(s)] = s
        piece = escape(text[left:right], quote=False)
        out.append(_wrap(piece, list(active.values())) if active else piece)
    return Markup("".join(out))


def _wrap(piece: str, covering: list[_Span]) -> str:
    classes: list[str] = []
    ids: list[str] = []
    title = ""
    contents = sorted((s for s in covering if s.role == "content"), key=lambda s: s.end - s.start)
    roles = [s for s in covering if s.role in ("cue", "source", "via")]
    for s in roles:
        classes.append(s.role if s.role != "source" else f"src s{s.colour}")
        if s.ref not in ids:
            ids.append(s.ref)  # type: ignore[arg-type]
    if contents:
        classes.append(f"q c{contents[0].colour}")
        if len(contents) > 1:
            classes.append(f"nest o{contents[-1].colour}")
        for s in contents:
            if s.ref not in ids:
                ids.append(s.ref)  # type: ignore[arg-type]
    for s in covering:
        if s.role == "repair":
            classes.append("rep")
            title = s.ref or ""
        elif s.role == "boilerplate":
            classes.append("bp")
    attrs = f' class="{" ".join(classes)}"'
    if ids:
        attrs += f' data-a="{escape(" ".join(ids))}" tabindex="0"'
    if title:
        attrs += f' title="{escape(title)}"'
    return f"<span{attrs}>{piece}</span>"


def page_context(record: dict[str, Any]) -> dict[str, Any]:
    """Everything article.html needs, from one record."""
    people = speakers(record)
    meta = record.get("meta") or {}
    url = meta.get("url") or ""
    return {
        "record": record,
        "meta": meta,
        "article_url": url if url.startswith(("http://", "https://")) else None,
        "speakers": sorted(people, key=lambda s: (-s.count, s.name.casefold())),
        "mix": sourcing_mix(record),
        "details": attribution_details(record, people),
        "highlighted": highlight(record, people),
        "repairs": record.get("repairs", []),
    }
