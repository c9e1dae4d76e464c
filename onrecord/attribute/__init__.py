"""Attribution finding: cue frames on the parse, then quotations attached to the cues that own them.

`find_attributions(doc)` is "match, then assemble": cues and their frames come from the parse
(`frames`), quotation spans from the characters (`quotes`); quotes are merged into the attribution
whose cue governs them, continue the previous speaker, or are dropped as scare quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Token

from onrecord.attribute import frames
from onrecord.attribute.found import Found
from onrecord.attribute.labels import find_labels
from onrecord.attribute.lexicon import cue_frames, frame_precision, outlets
from onrecord.attribute.names import display_name
from onrecord.attribute.quotes import Quote, find_quotes

MIN_QUOTE_WORDS = 5  # shorter unclaimed quotes are scare quotes or titles, not attributions
NESTING_CONFIDENCE = 0.75  # an outer cue this reliable makes cues inside its content nested reports
DEFAULT_CONFIDENCE = 0.7  # hand-written cues the train split never showed


class QuoteIndex:
    """Which quote, if any, covers a character offset."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, pos: int) -> Quote | None:
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quotes[i].inner_start <= pos < self.quotes[i].inner_end:
            return self.quotes[i]
        return None


def find_attributions(doc: Doc) -> list[Found]:
    quotes = QuoteIndex(find_quotes(doc.text))
    found = [f for token in doc if (f := _match_cue(doc, token, quotes)) is not None]
    found.extend(_unclaimed(find_labels(doc), found))
    found = _attach_quotes(doc, found, quotes.quotes)
    found = _fold_relays(doc, found)
    for item in found:
        item.type = _classify(item, quotes)
    _nest(found)
    found = _promote_through_outlets(found)
    found = _fold_trailing_according(found)
    return found


def _fold_relays(doc: Doc, found: list[Found]) -> list[Found]:
    """ "…, the government said, Reuters reported.": the parser hands the content to the last cue and
    makes "Reuters reported" the content of "said".  When an attribution's whole content is another
    one's source and cue, the first speaker takes the content and the other becomes its relay."""
    by_cue = {f.cue: f for f in found if f.cue and f.source}
    dropped: set[int] = set()
    for item in found:
        if len(item.content) != 1 or item.source is None:
            continue
        start, end = item.content[0]
        relay = next(
            (
                r
                for c, r in by_cue.items()
                if r is not item and start <= c[0] < end and _only_source_and_cue(doc, r, start, end)
            ),
            None,
        )
        if relay is None or not relay.content:
            continue
        item.content = relay.content
        item.via = [(relay.source, relay.name), *relay.via]
        dropped.add(id(relay))
    return [f for f in found if id(f) not in dropped]


def _promote_through_outlets(found: list[Found]) -> list[Found]:
    """ "X said Y, Reuters reported" / "…, according to Reuters": when an outlet's report wraps one
    nested attribution that carries most of its content, the nested speaker is the source and the
    outlet its relay."""
    dropped: set[int] = set()
    for outer in found:
        relaying = outer.cue_lemma == "report" or outer.name.lower().removeprefix("the ") in _outlet_names()
        if outer.parent is not None or not relaying:
            continue
        inner = [f for f in found if f.parent is outer]
        if not inner:
            continue
        child = max(inner, key=_extent)
        if _extent(child) < 0.85 * (outer.end - outer.start):
            continue  # the nested report is only part of what the outlet says
        child.parent = outer.parent
        child.via = [*child.via, (outer.source, outer.name), *outer.via] if outer.source else child.via
        for f in found:
            if f.parent is outer:
                f.parent = child
        dropped.add(id(outer))
    return [f for f in found if id(f) not in dropped]


def _fold_trailing_according(found: list[Found]) -> list[Found]:
    """ "Officials said the talks could resume, according to Baltic Wire": an 'according to' nested
    at the end of another attribution's content names who passed that statement on."""
    dropped: set[int] = set()
    for inner in found:
        outer = inner.parent
        if outer is None or inner.cue_lemma != "according to" or inner.source is None or len(outer.content) != 1:
            continue
        start, end = outer.content[0]
        if inner.source[1] < end - 2 or inner.start > start + 2:
            continue  # not a trailing "…, according to X" covering the rest of the content
        outer.content = [(start, min(end, inner.cue[0]))] if inner.cue else outer.content
        outer.content = [(outer.content[0][0], max(inner.end, outer.content[0][0] + 1))]
        outer.via = [*outer.via, (inner.source, inner.name), *inner.via]
        for f in found:
            if f.parent is inner:
                f.parent = outer
        dropped.add(id(inner))
    return [f for f in found if id(f) not in dropped]


def _extent(item: Found) -> int:
    """Characters from the first to the last of an attribution's content, source and cue."""
    spans = [*item.content, *(s for s in (item.source, item.cue) if s)]
    return max(e for _, e in spans) - min(s for s, _ in spans)


def _outlet_names() -> frozenset[str]:
    return frozenset(name.removeprefix("the ") for name in outlets())


def _only_source_and_cue(doc: Doc, relay: Found, start: int, end: int) -> bool:
    """The span [start, end) holds the relay's source and cue and nothing else but punctuation."""
    rest = doc.text[start:end]
    for seg in sorted([relay.source, relay.cue], reverse=True):
        if not (start <= seg[0] and seg[1] <= end):
            return False
        rest = rest[: seg[0] - start] + rest[seg[1] - start :]
    return not rest.strip(" ,.;:\n")


def _unclaimed(candidates: list[Found], found: list[Found]) -> list[Found]:
    """Candidates whose content no verb-cued attribution already covers."""
    return [
        c
        for c in candidates
        if not any(_overlap((c.start, c.end), (f.start, f.end)) for f in found if f.content)
    ]


def _nest(found: list[Found]) -> None:
    """Mark attributions reported inside another's content ("The Kremlin said Putin had told …")."""
    for inner in found:
        if inner.cue is None:
            continue
        outers = [
            f
            for f in found
            if f is not inner
            and f.confidence >= NESTING_CONFIDENCE
            and f.start <= inner.cue[0] < f.end
            and not (f.cue and inner.start <= f.cue[0] < inner.end)
        ]
        if outers:
            inner.parent = min(outers, key=lambda f: f.end - f.start)


def _chars(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    span = doc[rng[0] : rng[1]]
    return span.start_char, span.end_char


def _match_cue(doc: Doc, token: Token, quotes: QuoteIndex) -> Found | None:
    if quotes.at(token.idx) is not None:
        return None  # a verb inside someone's quotation is their speech, not our cue
    according = frames.according_to(doc, token)
    if according is not None:
        content, source, cue = according
        return _found(doc, content, cue, "according to", source, token, 0.9)
    if token.pos_ != "VERB":
        return None
    allowed = cue_frames().get(token.lemma_.lower())
    if not allowed:
        return None
    match = frames.content_for(doc, token, allowed)
    source = frames.source_range(doc, frames.subject(token), token)
    if match is None:
        # Keep speech verbs without a complement: a neighbouring quotation may be their content.
        if "clause" not in allowed:
            return None
        confidence = frame_precision().get((token.lemma_.lower(), "clause"), DEFAULT_CONFIDENCE)
        return _found(doc, None, (token.i, token.i + 1), token.lemma_.lower(), source, token, confidence)
    lemma = token.lemma_.lower()
    confidence = frame_precision().get((lemma, match[1]), DEFAULT_CONFIDENCE)
    return _found(doc, match[0], (token.i, token.i + 1), lemma, source, token, confidence)


def _found(doc, content, cue, lemma, source, head: Token, confidence: float) -> Found:
    name = display_name(doc, source) if source else ""
    return Found(
        content=[_chars(doc, content)] if content else [],
        cue=_chars(doc, cue),
        cue_lemma=lemma,
        source=_chars(doc, source) if source else None,
        name=name,
        head=head.i,
        confidence=confidence,
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class Sentences:
    """Sentence index of a character offset, for "same or next sentence" tests."""

    def __init__(self, doc: Doc) -> None:
        self.spans = list(doc.sents)
        self._starts = [s.start_char for s in self.spans]

    def of(self, pos: int) -> int:
        return max(0, bisect_right(self._starts, pos) - 1)


_DASH_SOURCE = re.compile(r"[ \t]*[―—–]\s*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})")


def _attach_quotes(doc: Doc, found: list[Found], quotes: list[Quote]) -> list[Found]:
    """Give every quotation to an attribution: the one that contains it, whose cue sits beside it,
    a dash signature after it, or the previous speaker's when it follows on; drop short leftovers."""
    sentences = Sentences(doc)
    for quote in quotes:
        span = (quote.start, quote.end)
        owner = _owner(doc, found, quote, sentences)
        if owner is not None:
            _extend(owner, span)
            continue
        if _word_count(doc.text[quote.inner_start : quote.inner_end]) < MIN_QUOTE_WORDS:
            continue
        introduced = _dash_signature(doc, quote) or _colon_intro(doc, quote)
        if introduced is not None:
            found.append(introduced)
            continue
        previous = _previous_speaker(found, quote)
        if previous is not None and _continues(doc.text, previous, quote, sentences):
            _extend(previous, span)
        elif previous is not None:
            found.append(
                Found(
                    content=[span],
                    cue=None,
                    cue_lemma="",
                    source=None,
                    name=previous.name,
                    confidence=0.6,
                    continues=previous,
                )
            )
    kept = [f for f in found if f.content]
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _owner(doc: Doc, found: list[Found], quote: Quote, sentences: Sentences) -> Found | None:
    """The attribution whose content already covers the quote, or whose cue stands beside it: in a
    sentence the quote touches, in a short "he said." sentence right after, or before a colon."""
    span = (quote.start, quote.end)
    for item in found:
        if any(_overlap(seg, span) for seg in item.content):
            return item
    first, last = sentences.of(quote.start), sentences.of(max(quote.start, quote.end - 1))
    best: tuple[int, Found] | None = None
    for item in found:
        if item.cue is None or quote.start <= item.cue[0] < quote.end:
            continue
        where = sentences.of(item.cue[0])
        near = first <= where <= last
        if not near and where == last + 1 and not item.content:
            near = len(sentences.spans[where]) <= 12
        if not near and where == first - 1:
            near = sentences.spans[where].text.rstrip().endswith(":")
        if near:
            distance = min(abs(item.cue[0] - quote.end), abs(quote.start - item.cue[1]))
            if best is None or distance < best[0]:
                best = (distance, item)
    return None if best is None else best[1]


def _dash_signature(doc: Doc, quote: Quote) -> Found | None:
    """“…” ― Name: a signed quotation (reader comments, collected reactions)."""
    match = _DASH_SOURCE.match(doc.text, quote.end)
    if match is None:
        return None
    dash = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" \t"))
    return Found(
        content=[(quote.start, quote.end)],
        cue=(dash, dash + 1),
        cue_lemma=doc.text[dash],
        source=(match.start(1), match.end(1)),
        name=match.group(1),
        confidence=0.9,
    )


def _colon_intro(doc: Doc, quote: Quote) -> Found | None:
    """'The spokesman put it plainly: “…”': any clause ending in a colon introduces the quote; its
    main verb is the cue and that verb's subject the speaker."""
    before = doc.text[: quote.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None:
        return None
    root = colon[0].head if colon[0].head.pos_ in ("VERB", "AUX") else colon[0].sent.root
    if root.idx >= quote.start:
        return None
    speaker = frames.subject(root) if root.pos_ in ("VERB", "AUX") else None
    source = frames.source_range(doc, speaker, root)
    if source is None:
        return None
    return _found(doc, None, (root.i, root.i + 1), root.lemma_.lower(), source, root, 0.7).with_content(
        (quote.start, quote.end)
    )


def _previous_speaker(found: list[Found], quote: Quote) -> Found | None:
    before = [f for f in found if f.content and f.end <= quote.start and f.source is not None]
    return max(before, key=lambda f: f.end) if before else None


def _continues(text: str, previous: Found, quote: Quote, sentences: Sentences) -> bool:
    """The quote follows on its speaker's attribution: only whitespace between them, or only the
    sentence that holds that attribution's own cue ("“…,” she said. “…”")."""
    gap = text[previous.end : quote.start]
    if not gap.strip(" \t\n\r\u00a0.,;:”\"'"):
        return True
    if previous.cue is None or not previous.end <= previous.cue[0] < quote.start:
        return False
    return sentences.of(quote.start) - sentences.of(previous.cue[0]) <= 1 and gap.count("\n") <= 2


def _extend(item: Found, span: tuple[int, int]) -> None:
    segments = sorted([*item.content, span])
    merged: list[tuple[int, int]] = []
    for seg in segments:
        if merged and seg[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], seg[1]))
        else:
            merged.append(seg)
    item.content = merged


def _word_count(text: str) -> int:
    return len(text.split())


def _classify(item: Found, quotes: QuoteIndex) -> str:
    quoted = 0
    total = 0
    for start, end in item.content:
        total += end - start
        for quote in quotes.quotes:
            quoted += _overlap((start, end), (quote.start, quote.end))
    if total and quoted >= 0.9 * total:
        return "direct"
    return "mixed" if quoted else "indirect"
