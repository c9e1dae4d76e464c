"""Quotation attachment: every quote goes to the attribution that contains it, whose cue sits beside
it, a dash signature or colon introduction, or the previous speaker; short leftovers are scare quotes."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from onrecord.attribute import frames
from onrecord.attribute.cues import found_from_ranges
from onrecord.attribute.found import Found
from onrecord.attribute.nearby import Nearby, Sentences, doc_text
from onrecord.attribute.quotes import Quote

MIN_QUOTE_WORDS = 5  # shorter unclaimed quotes are scare quotes or titles, not attributions
UNCLAIMED_QUOTES = True  # keep a quotation no speaker is near enough to continue, unresolved
PREVIOUS_SPEAKER_WINDOW = 600  # characters back to look for whoever a cue-less quote continues (chosen on train)

_DASH_SOURCE = re.compile(r"[ \t]*[―—–]\s*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,4})")


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def attach_quotes(doc: Doc, found: list[Found], quotes: list[Quote]) -> list[Found]:
    sentences = Sentences(doc)
    nearby = Nearby(found)
    text = doc_text(doc)
    for quote in quotes:
        span = (quote.start, quote.end)
        owner = _owner(nearby, quote, sentences)
        if owner is not None:
            extend(owner, span)
            continue
        if len(text[quote.inner_start : quote.inner_end].split()) < MIN_QUOTE_WORDS:
            continue
        introduced = _dash_signature(text, quote) or _colon_intro(doc, text, quote, sentences)
        if introduced is None:
            previous = _previous_speaker(nearby, quote)
            if previous is not None and _continues(text, previous, quote, sentences):
                extend(previous, span)
                continue
            if previous is None:
                if not UNCLAIMED_QUOTES or _title_of_a_work(text[quote.inner_start : quote.inner_end]):
                    continue
                # A quotation is the strongest sign of an attribution: with no speaker near enough to
                # continue, it is kept with its speaker unresolved (dialogue lines in a table).
                introduced = Found(content=[span], cue=None, cue_lemma="", source=None, name="", confidence=0.5)
                found.append(introduced)
                nearby.add(introduced)
                continue
            introduced = Found(
                content=[span],
                cue=None,
                cue_lemma="",
                source=None,
                name=previous.name,
                confidence=0.6,
                continues=previous,
            )
        found.append(introduced)
        nearby.add(introduced)
    kept = [f for f in found if f.content]
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _owner(nearby: Nearby, quote: Quote, sentences: Sentences) -> Found | None:
    """The attribution whose content already covers the quote, or whose cue stands beside it: in a
    sentence the quote touches, in a short "he said." sentence right after, or before a colon."""
    span = (quote.start, quote.end)
    candidates = nearby.around(quote.start, quote.end)
    for item in candidates:
        if any(overlap(seg, span) for seg in item.content):
            return item
    first, last = sentences.of(quote.start), sentences.of(max(quote.start, quote.end - 1))
    best: tuple[int, Found] | None = None
    for item in candidates:
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


def _dash_signature(text: str, quote: Quote) -> Found | None:
    """“…” ― Name: a signed quotation (reader comments, collected reactions)."""
    match = _DASH_SOURCE.match(text, quote.end)
    if match is None:
        return None
    dash = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" \t"))
    return Found(
        content=[(quote.start, quote.end)],
        cue=(dash, dash + 1),
        cue_lemma=text[dash],
        source=(match.start(1), match.end(1)),
        name=match.group(1),
        confidence=0.9,
    )


def _colon_intro(doc: Doc, text: str, quote: Quote, sentences: Sentences) -> Found | None:
    """'The spokesman put it plainly: “…”': any clause ending in a colon introduces the quote; its
    main verb is the cue and that verb's subject the speaker."""
    window = text[max(0, quote.start - 200) : quote.start]
    before = window.rstrip()
    if not before.endswith(":"):
        return None
    colon_at = quote.start - (len(window) - len(before)) - 1
    colon = doc.char_span(colon_at, colon_at + 1, alignment_mode="expand")
    if colon is None:
        return None
    root = colon[0].head if colon[0].head.pos_ in ("VERB", "AUX") else sentences.root_at(colon_at)
    if root.idx >= quote.start:
        return None
    speaker = frames.subject(root) if root.pos_ in ("VERB", "AUX") else None
    source = frames.source_range(doc, speaker, root)
    if source is None:
        return None
    item = found_from_ranges(doc, None, (root.i, root.i + 1), root.lemma_.lower(), source, root, 0.7)
    return item.with_content((quote.start, quote.end))


def _title_of_a_work(inner: str) -> bool:
    """“My Heart Will Go On”: every word capitalised (small words aside) and no sentence inside."""
    words = [w for w in inner.split() if w[:1].isalpha()]
    small = {"a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "at", "by", "with"}
    capital = [w for w in words if w[:1].isupper() or w.lower() in small]
    return bool(words) and len(capital) == len(words) and not inner.rstrip(" ,").endswith((".", "!", "?"))


def _previous_speaker(nearby: Nearby, quote: Quote) -> Found | None:
    before = [
        f
        for f in nearby.around(quote.start - PREVIOUS_SPEAKER_WINDOW, quote.start, margin=0)
        if f.content and f.end <= quote.start and f.source is not None
    ]
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


def extend(item: Found, span: tuple[int, int]) -> None:
    segments = sorted([*item.content, span])
    merged: list[tuple[int, int]] = []
    for seg in segments:
        if merged and seg[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], seg[1]))
        else:
            merged.append(seg)
    item.content = merged
