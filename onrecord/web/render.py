"""From an article record (its JSON form) to what the article page shows.

Everything here works on the plain dict of `Article.to_dict()`, so a record fresh from the pipeline and
one read back from the corpus store render the same way.  Nothing here analyses text: it only lays
out the record's spans.

Highlighting: attributions may nest (a report inside a report) and spans of different roles overlap
(a source mention inside another quote).  The text is cut at every span boundary; each piece gets the
classes of every span that covers it, and every piece of text is escaped.  Where an attribution's
content begins, an empty `<span class="anchor" id="a22">` is the target of `/articles/HASH#a22`, so
a quote link lands on the quote in the text (with or without JavaScript), and that piece is the
attribution's one keyboard stop, marked with its speaker's number for readers who cannot tell the
colours apart.

Colours: every speaker of an article gets its own hue (`palette`), evenly spaced in OKLCH with
alternating lightness, written into the page as a small style block (`palette_css`); attributions
without a source are grey and are not a speaker.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from onrecord import keys

NO_SOURCE = "(no source found)"  # the key of attributions without a source; never shown as a speaker
NOT_RESOLVED = keys.label(keys.UNRESOLVED)  # what the page says in their speaker column
GREY = "x"  # colour class suffix (cx, ox, sx) of an attribution without a source: grey in app.css

# OKLCH lightness and chroma of a speaker's three colours: the tint behind its content (two levels,
# alternating between neighbouring hues; the third is the last slot of an odd count, whose neighbours
# are one of each), the underline, and the source mention's text colour
TINT = ((0.925, 0.06), (0.855, 0.075), (0.89, 0.07))
STRONG = ((0.62, 0.15), (0.5, 0.15), (0.56, 0.15))
SOURCE = (0.42, 0.14)
FIRST_HUE = 255.0  # the first speaker is blue, as before
GOLDEN = (math.sqrt(5) - 1) / 2


def kind_label(source: dict[str, Any] | None) -> str:
    """The sourcing category of a source, as the page words it (`onrecord.keys`)."""
    return keys.label(keys.source_category(source))


def speaker_key(source: dict[str, Any] | None) -> str:
    """Who a quote belongs to on the page: the store's speaker key (`keys.speaker_key`), so that a speaker
    is one colour here and one row in the corpus; attributions without a source share `NO_SOURCE`."""
    return keys.speaker_key(source) or NO_SOURCE


def speaker_name(source: dict[str, Any] | None) -> str:
    """The name the page shows; "not resolved" where there is no source (it is not a speaker)."""
    if not source:
        return NOT_RESOLVED
    return source.get("name") or (source.get("mention") or {}).get("text") or NOT_RESOLVED


@dataclass
class Speaker:
    key: str
    name: str
    colour: int  # 0-based, in order of first appearance: the palette slot and (plus one) the number shown
    ids: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)  # sourcing category → attributions
    relayed: int = 0

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def number(self) -> int:
        """The index shown on the speaker's highlights and in the legend (the non-colour cue)."""
        return self.colour + 1

    @property
    def kind(self) -> str:
        """The most frequent category label among this speaker's quotes."""
        if not self.kinds:
            return keys.label(keys.UNRESOLVED)
        return keys.label(self.kinds.most_common(1)[0][0])


def speakers(record: dict[str, Any]) -> list[Speaker]:
    """Speakers in order of first appearance, each with its own colour and its attribution ids.

    Attributions without a source are no speaker: they are listed apart as "not resolved"."""
    found: dict[str, Speaker] = {}
    for a in record.get("attributions", []):
        source = a.get("source")
        if not source:
            continue
        key = speaker_key(source)
        if key not in found:
            found[key] = Speaker(key=key, name=speaker_name(source), colour=len(found))
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


def _oklch_to_srgb(lightness: float, chroma: float, hue: float) -> tuple[float, float, float]:
    """Gamma-encoded sRGB (0–1, possibly out of gamut) of an OKLCH colour (Björn Ottosson's OKLab)."""
    a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (
        4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
        -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
        -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076147010 * s_,
    )
    return tuple(12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in linear)  # type: ignore[return-value]


def oklch_hex(lightness: float, chroma: float, hue: float) -> str:
    """`#rrggbb` of an OKLCH colour; a chroma outside sRGB is lowered until it fits (hue and lightness kept)."""
    low, high = 0.0, chroma
    for _ in range(24):  # bisect the largest chroma in gamut
        mid = (low + high) / 2
        if all(-1e-9 <= c <= 1 + 1e-9 for c in _oklch_to_srgb(lightness, mid, hue)):
            low = mid
        else:
            high = mid
    rgb = _oklch_to_srgb(lightness, low, hue)
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def _slots(n: int) -> list[int]:
    """The hue slot (of n evenly spaced ones) of each speaker in order of appearance: the free slot nearest
    to the golden-ratio sequence, so any first few speakers are spread around the circle, never neighbours
    while it has room, and every slot is used once (no two speakers share a hue)."""
    free = set(range(n))
    order = []
    for i in range(n):
        target = (i * GOLDEN) % 1.0 * n
        slot = min(free, key=lambda k: (min(abs(k - target), n - abs(k - target)), k))
        free.remove(slot)
        order.append(slot)
    return order


def palette(n: int) -> list[dict[str, str]]:
    """n distinct colours (tint, strong, src) for the speakers of one article, in order of first appearance.

    The hues are evenly spaced around the OKLCH circle, so no two speakers share one however many
    there are; the slots are handed out along the golden-ratio sequence, so the first few speakers are
    far apart, and neighbouring slots alternate between two lightness levels, so close hues also differ in lightness.
    Tints are light (dark text on them stays readable), mention colours dark (readable on white).
    """
    colours = []
    for slot in _slots(n):
        hue = (FIRST_HUE + 360.0 * slot / n) % 360
        level = 2 if n % 2 and n > 1 and slot == n - 1 else slot % 2
        colours.append(
            {
                "tint": oklch_hex(*TINT[level], hue),
                "strong": oklch_hex(*STRONG[level], hue),
                "src": oklch_hex(*SOURCE, hue),
            }
        )
    return colours


def palette_css(people: list[Speaker]) -> Markup:
    """The page's colour rules: `.cN` (content tint and underline), `.oN` (outer report), `.sN` (mention)."""
    rules = []
    for person, colour in zip(people, palette(len(people)), strict=True):
        n = person.colour
        rules.append(
            f".c{n}{{--tint:{colour['tint']};--strong:{colour['strong']}}}"
            f".o{n}{{--outer:{colour['strong']}}}.s{n}{{--src:{colour['src']}}}"
        )
    return Markup("\n".join(rules))


def _tone(colour: int | None) -> str:
    """The class suffix of a colour: its palette index, or `GREY` for an attribution without a source."""
    return GREY if colour is None else str(colour)


def attribution_details(record: dict[str, Any], people: list[Speaker]) -> dict[str, dict[str, Any]]:
    """What the page shows on hovering or clicking a highlight (and in the table), keyed by attribution id."""
    number = {i: s.number for s in people for i in s.ids}
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
            "resolved": bool(source),
            "number": number.get(a["id"]),
            "mention": (source or {}).get("mention") and source["mention"]["text"],
            "kind": kind_label(source),
            "tone": _tone(colour.get(a["id"])),
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
    colour: int | None = None  # the speaker's palette index; None without a source
    number: int | None = None  # the speaker's number (content spans)
    first: bool = False  # the first piece of an attribution's content: its anchor and keyboard stop


def _content_spans(a: dict[str, Any], colour: int | None, number: int | None) -> list[_Span]:
    content = a["content"]
    parts = sorted(content.get("segments") or [content], key=lambda p: p["start"])
    return [_Span(p["start"], p["end"], "content", a["id"], colour, number, first=i == 0) for i, p in enumerate(parts)]


def _spans(record: dict[str, Any], people: list[Speaker]) -> list[_Span]:
    colour = {i: s.colour for s in people for i in s.ids}
    number = {i: s.number for s in people for i in s.ids}
    spans: list[_Span] = []
    for a in record.get("attributions", []):
        c = colour.get(a["id"])
        spans.extend(_content_spans(a, c, number.get(a["id"])))
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
    """The article text as HTML: every piece escaped, highlights as <span>s with data-a ids, and an
    empty anchor (`id` = the attribution id) where each attribution's content begins."""
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
        opening = [s for s in starts.get(left, []) if s.role == "content" and s.first]
        for s in starts.get(left, []):
            active[id(s)] = s
        out.extend(f'<span class="anchor" id="{escape(s.ref or "")}"></span>' for s in opening)
        piece = escape(text[left:right], quote=False)
        out.append(_wrap(piece, list(active.values()), opening) if active else piece)
    return Markup("".join(out))


def _wrap(piece: str, covering: list[_Span], opening: list[_Span]) -> str:
    """One piece of text in a <span> with the classes of every span covering it; where attributions
    begin, the innermost of them is the piece's `data-start` (its keyboard stop) and `data-n` (number)."""
    classes: list[str] = []
    ids: list[str] = []
    title = ""
    contents = sorted((s for s in covering if s.role == "content"), key=lambda s: s.end - s.start)
    for s in covering:
        if s.role in ("cue", "source", "via"):
            classes.append(s.role if s.role != "source" else f"src s{_tone(s.colour)}")
            if s.ref not in ids:
                ids.append(s.ref)  # type: ignore[arg-type]
    if contents:
        classes.append(f"q c{_tone(contents[0].colour)}")
        if len(contents) > 1:
            classes.append(f"nest o{_tone(contents[-1].colour)}")
        ids.extend(s.ref for s in contents if s.ref not in ids)  # type: ignore[misc]
    for s in covering:
        if s.role == "repair":
            classes.append("rep")
            title = s.ref or ""
        elif s.role == "boilerplate":
            classes.append("bp")
    attrs = f' class="{" ".join(classes)}"'
    if ids:
        attrs += f' data-a="{escape(" ".join(ids))}"'
    if opening:
        first = min(opening, key=lambda s: s.end - s.start)
        attrs += f' data-start="{escape(first.ref or "")}" tabindex="0"'
        if first.number is not None:
            attrs += f' data-n="{first.number}"'
    if title:
        attrs += f' title="{escape(title)}"'
    return f"<span{attrs}>{piece}</span>"


def page_context(record: dict[str, Any]) -> dict[str, Any]:
    """Everything article.html needs, from one record."""
    people = speakers(record)
    meta = record.get("meta") or {}
    url = meta.get("url") or ""
    details = attribution_details(record, people)
    rows = [details[a["id"]] for a in record.get("attributions", [])]
    return {
        "record": record,
        "meta": meta,
        "article_url": url if url.startswith(("http://", "https://")) else None,
        "speakers": sorted(people, key=lambda s: (-s.count, s.name.casefold())),
        "legend": people,
        "palette_css": palette_css(people),
        "mix": sourcing_mix(record),
        "details": details,
        "rows": [d for d in rows if d["resolved"]],
        "unresolved": [d for d in rows if not d["resolved"]],
        "highlighted": highlight(record, people),
        "repairs": record.get("repairs", []),
    }
