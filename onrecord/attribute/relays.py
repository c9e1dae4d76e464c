"""Structure between attributions: relays ("…, Reuters reported"), nesting ("The Kremlin said Putin
had told Scholz …"), and speaker labels that no verb already explains."""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc

from onrecord.attribute.attach import overlap
from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import outlets
from onrecord.attribute.nearby import Nearby, doc_text

NESTING_CONFIDENCE = 0.75  # an outer cue this reliable makes cues inside its content nested reports


def unclaimed(candidates: list[Found], found: list[Found]) -> list[Found]:
    """Candidates whose content no verb-cued attribution already covers."""
    nearby = Nearby([f for f in found if f.content])
    return [
        c
        for c in candidates
        if not any(overlap((c.start, c.end), (f.start, f.end)) for f in nearby.around(c.start, c.end))
    ]


def fold_relays(doc: Doc, found: list[Found]) -> list[Found]:
    """ "…, the government said, Reuters reported.": the parser hands the content to the last cue and
    makes "Reuters reported" the content of "said".  When an attribution's whole content is another
    one's source and cue, the first speaker takes the content and the other becomes its relay."""
    nearby = Nearby([f for f in found if f.cue and f.source])
    dropped: set[int] = set()
    for item in found:
        if len(item.content) != 1 or item.source is None:
            continue
        start, end = item.content[0]
        relay = next(
            (
                r
                for r in nearby.around(start, end)
                if r is not item and start <= r.cue[0] < end and _only_source_and_cue(doc, r, start, end)
            ),
            None,
        )
        if relay is None or not relay.content or id(relay) in dropped:
            continue
        item.content = relay.content
        item.via = [(relay.source, relay.name), *relay.via]
        dropped.add(id(relay))
    return [f for f in found if id(f) not in dropped]


def _only_source_and_cue(doc: Doc, relay: Found, start: int, end: int) -> bool:
    """The span [start, end) holds the relay's source and cue and nothing else but punctuation."""
    rest = doc_text(doc)[start:end]
    for seg in sorted([relay.source, relay.cue], reverse=True):
        if not (start <= seg[0] and seg[1] <= end):
            return False
        rest = rest[: seg[0] - start] + rest[seg[1] - start :]
    return not rest.strip(" ,.;:\n")


def nest(found: list[Found], reliable: float = NESTING_CONFIDENCE) -> None:
    """Mark attributions reported inside another's content ("The Kremlin said Putin had told …");
    only an outer attribution with at least `reliable` confidence takes nested ones."""
    nearby = Nearby(found)
    for inner in found:
        if inner.cue is None:
            continue
        outers = [
            f
            for f in nearby.around(inner.cue[0], inner.cue[1])
            if f is not inner
            and f.confidence >= reliable
            and f.start <= inner.cue[0] < f.end
            and not (f.cue and inner.start <= f.cue[0] < inner.end)
        ]
        if outers:
            inner.parent = min(outers, key=lambda f: f.end - f.start)


def _children(found: list[Found]) -> dict[int, list[Found]]:
    table: dict[int, list[Found]] = defaultdict(list)
    for f in found:
        if f.parent is not None:
            table[id(f.parent)].append(f)
    return table


def _adopt(children: dict[int, list[Found]], old: Found, new: Found | None) -> None:
    for f in children.pop(id(old), []):
        f.parent = new
        if new is not None:
            children[id(new)].append(f)


def promote_through_outlets(found: list[Found]) -> list[Found]:
    """ "X said Y, Reuters reported" / "…, according to Reuters": when an outlet's report wraps a
    nested attribution that carries most of its content, the nested speaker is the source and the
    outlet its relay."""
    children = _children(found)
    dropped: set[int] = set()
    for outer in found:
        relaying = outer.cue_lemma == "report" or outer.name.lower().removeprefix("the ") in outlets()
        inner = children.get(id(outer))
        if outer.parent is not None or not relaying or not inner:
            continue
        child = max(inner, key=_extent)
        if _extent(child) < 0.85 * (outer.end - outer.start):
            continue  # the nested report is only part of what the outlet says
        child.parent = None
        children[id(outer)].remove(child)
        child.via = [*child.via, (outer.source, outer.name), *outer.via] if outer.source else child.via
        _adopt(children, outer, child)
        dropped.add(id(outer))
    return [f for f in found if id(f) not in dropped]


def fold_trailing_according(found: list[Found]) -> list[Found]:
    """ "Officials said the talks could resume, according to Baltic Wire": an 'according to' nested
    at the end of another attribution's content names who passed that statement on."""
    children = _children(found)
    dropped: set[int] = set()
    for inner in found:
        outer = inner.parent
        if outer is None or inner.cue_lemma != "according to" or inner.source is None or len(outer.content) != 1:
            continue
        start, end = outer.content[0]
        if inner.source[1] < end - 2 or inner.start > start + 2:
            continue  # not a trailing "…, according to X" covering the rest of the content
        outer.content = [(start, max(inner.end, start + 1))]
        outer.via = [*outer.via, (inner.source, inner.name), *inner.via]
        _adopt(children, inner, outer)
        dropped.add(id(inner))
    return [f for f in found if id(f) not in dropped]


def _extent(item: Found) -> int:
    """Characters from the first to the last of an attribution's content, source and cue."""
    spans = [*item.content, *(s for s in (item.source, item.cue) if s)]
    return max(e for _, e in spans) - min(s for s, _ in spans)
