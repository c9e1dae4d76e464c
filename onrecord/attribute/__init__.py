"""Attribution finding: cue frames on the parse, then quotations attached to the cues that own them.

`find_attributions(doc)` is "match, then assemble": cues and their frames come from the parse
(`cues`, `frames`), quotation spans from the characters (`quotes`); quotes are merged into the
attribution whose cue governs them or continue the previous speaker (`attach`); relays and nested
reports are then put in order (`relays`).
"""

from __future__ import annotations

from spacy.tokens import Doc

from onrecord.attribute import frames
from onrecord.attribute import model as cue_model
from onrecord.attribute.acts import assign_acts
from onrecord.attribute.attach import attach_quotes, overlap
from onrecord.attribute.chains import merge_verb_chains
from onrecord.attribute.cues import match_cue
from onrecord.attribute.filters import word_lists
from onrecord.attribute.found import Found
from onrecord.attribute.labels import find_labels
from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import QuoteIndex, find_quotes
from onrecord.attribute.relays import (
    NESTING_CONFIDENCE,
    fold_relays,
    fold_trailing_according,
    nest,
    promote_through_outlets,
    unclaimed,
)

__all__ = ["Found", "QuoteIndex", "find_attributions"]


def find_attributions(doc: Doc, *, use_model: bool = True, model: cue_model.CueModel | None = None) -> list[Found]:
    """With a cue model (`model`, else the shipped one unless `use_model` is false) the model decides
    which verbs are cues and in which frame (the hybrid); without one the cue table does (rules)."""
    quotes = QuoteIndex(find_quotes(doc_text(doc)))
    model = model or (cue_model.shipped() if use_model else None)
    if model is None:
        found = [f for token in doc if (f := match_cue(doc, token, quotes)) is not None]
        found.extend(unclaimed(find_labels(doc), found))
    else:  # the model finds cues inside a transcript's turns too: a speaker label stays their parent
        found = cue_model.match_cues(doc, quotes, model)
        found.extend(find_labels(doc))
    found = attach_quotes(doc, found, quotes.quotes)
    found = fold_relays(doc, found)
    found = merge_verb_chains(doc, found)
    for item in found:
        item.type = classify(item, quotes)
    found = _drop_self_contents(doc, found, quotes)
    nest(found, NESTING_CONFIDENCE if model is None else model.nesting)
    found = promote_through_outlets(found)
    found = fold_trailing_according(found)
    _drop_phrase_sources(doc, found)
    assign_acts(doc, found)
    return found


def _drop_self_contents(doc: Doc, found: list[Found], quotes: QuoteIndex) -> list[Found]:
    """A reported content never opens with its own speaker: an indirect or mixed content that starts
    where the cue's subject starts and runs over the cue (outside any quotation) is the writer's
    sentence around the verb ("<quoted title> singer took to her page to comment on photos"), not
    what anyone reported.  A parenthetical cue ("It would take weeks, he said, to …") has content
    on both sides but none of it is its subject; hedges ("X seems to …") are `filters`' business."""
    continued = {id(item.continues) for item in found if item.continues is not None}
    kept = []
    for item in found:
        cue = item.cue
        inside = cue is not None and item.type != "direct" and item.start <= cue[0] < item.end
        inside = inside and id(item) not in continued and quotes.at(cue[0]) is None
        if inside and _opens_with_speaker(doc, item, quotes):
            continue
        kept.append(item)
    return kept


def _opens_with_speaker(doc: Doc, item: Found, quotes: QuoteIndex) -> bool:
    """The content begins with the cue verb's own subject; a quotation before it that is no sentence
    (a title naming the subject, "“<song>” singer") counts as part of the subject."""
    hedges = word_lists().get("hedge", frozenset()) | word_lists().get("agentless", frozenset())
    if not 0 <= item.head < len(doc) or doc[item.head].lemma_.lower() in hedges:
        return False
    subject = frames.subject(doc[item.head])
    if subject is None or subject.i > item.head:
        return False
    edge = subject.left_edge.idx
    if edge <= item.start <= subject.idx:
        return True  # the content starts inside the subject's phrase ("the “<song>” singer")
    if edge < item.start:
        return False
    text = doc_text(doc)
    gap = list(text[item.start : edge])
    for quote in quotes.overlapping(item.start, edge):
        if text[quote.inner_start : quote.inner_end].rstrip()[-1:] in (",", ".", "!", "?", ";", ":"):
            continue  # “It's over,” she said …: a quoted sentence before its cue, not a title
        for k in range(max(quote.start, item.start), min(quote.end, edge)):
            gap[k - item.start] = " "
    return not "".join(gap).strip(" \"“”‘’'")


def _drop_phrase_sources(doc: Doc, found: list[Found]) -> None:
    """A source is a noun phrase with words: a participial or prepositional phrase ("Writing in a blog
    post", "After the vote") or page debris taken for one is no speaker, so the attribution keeps no
    source."""
    for item in found:
        if item.source is None:
            continue
        span = doc.char_span(*item.source, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if (
            span.root.pos_ in ("VERB", "AUX", "ADP", "SCONJ")
            or not any(c.isalpha() for c in span.text)
            or "|" in span.text
            or span[-1].pos_ in ("ADP", "CCONJ", "DET")  # a fragment cut before its noun ("a lot of")
        ):
            item.source, item.name = None, ""  # also table rules ("|  |  |") taken for a name
    for item in found:  # a quotation that continues a speaker dropped here continues no one
        if item.continues is not None and item.continues.source is None and not item.continues.name:
            item.name = ""


def classify(item: Found, quotes: QuoteIndex) -> str:
    """direct: all quoted; mixed: quoted fragments in reported speech; indirect: no quotation."""
    quoted = 0
    total = 0
    for start, end in item.content:
        total += end - start
        quoted += sum(overlap((start, end), (q.start, q.end)) for q in quotes.overlapping(start, end))
    if total and quoted >= 0.9 * total:
        return "direct"
    return "mixed" if quoted else "indirect"
