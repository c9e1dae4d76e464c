"""Cue matching: which tokens introduce an attribution, with what content, source and confidence.

This is the step a trained model can take over or complement: everything after it (quotation
attachment, relays, nesting) works on whatever `Found` items it returns.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from onrecord.attribute import filters, frames
from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import cue_frames, frame_precision
from onrecord.attribute.names import display_name
from onrecord.attribute.quotes import QuoteIndex

DEFAULT_CONFIDENCE = 0.7  # hand-written cues the train split never showed
FINDING_CONFIDENCE = 0.8  # "in a poll, …"


def match_cue(doc: Doc, token: Token, quotes: QuoteIndex) -> Found | None:
    if quotes.at(token.idx) is not None:
        return None  # a verb inside someone's quotation is their speech, not our cue
    according = frames.according_to(doc, token)
    if according is not None:
        content, source, cue = according
        return found_from_ranges(doc, content, cue, "according to", source, token, 0.9)
    finding = frames.in_finding(doc, token)
    if finding is not None:
        content, source, cue = finding
        return found_from_ranges(doc, content, cue, "in", source, token, FINDING_CONFIDENCE)
    if token.pos_ != "VERB":
        return None
    lemma = token.lemma_.lower()
    allowed = cue_frames().get(lemma)
    if not allowed:
        return None
    match = frames.content_for(doc, token, allowed)
    reading = ("none", None) if match is None else (match[1], match[0])
    if filters.not_a_report(doc, token, *reading) is not None:
        return None
    source = frames.source_range(doc, frames.subject(token), token)
    cue = (token.i, token.i + 1)
    if match is None:
        # Keep speech verbs without a complement: a neighbouring quotation may be their content.
        if "clause" not in allowed:
            return None
        confidence = frame_precision().get((lemma, "clause"), DEFAULT_CONFIDENCE)
        return found_from_ranges(doc, None, cue, lemma, source, token, confidence, frame="none")
    confidence = frame_precision().get((lemma, match[1]), DEFAULT_CONFIDENCE)
    return found_from_ranges(doc, match[0], cue, lemma, source, token, confidence, frame=match[1])


def chars(doc: Doc, rng: tuple[int, int]) -> tuple[int, int]:
    span = doc[rng[0] : rng[1]]
    return span.start_char, span.end_char


def found_from_ranges(
    doc: Doc,
    content: tuple[int, int] | None,
    cue: tuple[int, int],
    lemma: str,
    source: tuple[int, int] | None,
    head: Token,
    confidence: float,
    frame: str = "",
) -> Found:
    """A `Found` from token ranges (the parse's coordinates) in character offsets."""
    return Found(
        content=[chars(doc, content)] if content else [],
        cue=chars(doc, cue),
        cue_lemma=lemma,
        source=chars(doc, source) if source else None,
        name=display_name(doc, source) if source else "",
        head=head.i,
        confidence=confidence,
        frame=frame,
    )
