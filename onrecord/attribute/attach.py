"""Quotation attachment: every quote goes to the attribution that contains it, whose cue sits beside
it, a dash signature or colon introduction, or the previous speaker; short leftovers are scare quotes."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from onrecord.attribute import frames
from onrecord.attribute.acts import act_of
from onrecord.attribute.cues import found_from_ranges
from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import cue_frames
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
        if _data_value(text, quote) or _named_in_prose(doc, quote):
            continue
        introduced = (
            _dash_signature(text, quote)
            or _colon_intro(doc, text, quote, sentences)
            or _line_intro(doc, text, quote, sentences)
        )
        if introduced is None:
            previous = _previous_speaker(nearby, quote)
            if previous is not None and _continues(text, previous, quote, sentences):
                extend(previous, span)
                continue
            run = _run_before(nearby, text, quote)
            if run is not None:
                introduced = _continuation(run, span)
            elif previous is not None and not _heading_between(text, previous.end, quote.start):
                introduced = _continuation(previous, span)
            else:
                if not UNCLAIMED_QUOTES or _title_of_a_work(text[quote.inner_start : quote.inner_end]):
                    continue
                # A quotation is the strongest sign of an attribution: with no speaker near enough to
                # continue, it is kept with its speaker unresolved (dialogue lines in a table).
                introduced = Found(content=[span], cue=None, cue_lemma="", source=None, name="", confidence=0.5)
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


def _continuation(previous: Found, span: tuple[int, int]) -> Found:
    """A cue-less quotation that goes on from `previous`'s speaker (or stays unresolved with it)."""
    root = previous.continues or previous
    if root.source is None and not root.name:
        return Found(content=[span], cue=None, cue_lemma="", source=None, name="", confidence=0.5)
    return Found(content=[span], cue=None, cue_lemma="", source=None, name=root.name, confidence=0.6, continues=root)


_FURNITURE = re.compile(r"[\s|“”\"'‘’«»„*•·–—-]*")
_RUN_CELL = 6  # words: a table cell or list label up to this long is a row label, not a new section


def _run_before(nearby: Nearby, text: str, quote: Quote) -> Found | None:
    """The quotation right before this one when nothing but line breaks, table rules, list marks
    and short row labels lies between: consecutive lines, rows or items of quotations are a run, and
    a run keeps its speaker (the dialogue lines of a table under "X will say")."""
    before = [f for f in nearby.around(quote.start - 400, quote.start, margin=0) if f.content and f.end <= quote.start]
    if not before:
        return None
    previous = max(before, key=lambda f: f.end)
    if previous.cue is not None and previous.cue[0] >= previous.end:
        return None  # "“…,” she said." ends with its own cue: what follows is the usual continuation test
    gap = text[previous.end : quote.start]
    if "\n" not in gap and "|" not in gap:
        return None  # two quotations in one sentence or paragraph: the ordinary rules decide
    for line in gap.split("\n"):
        if _FURNITURE.fullmatch(line):
            continue
        if "|" not in line:
            return None  # a line of prose or a heading between the two: the run is broken
        cells = [c.strip(' \t“”"') for c in line.split("|")]
        if any(len(c.split()) > _RUN_CELL or c.endswith((".", "!", "?")) for c in cells):
            return None
    return previous


def _heading_between(text: str, start: int, end: int) -> bool:
    """A whole line between two offsets that reads as a heading: a few words, no closing punctuation,
    no table rule ("Quotes", "Early life")."""
    lines = text[start:end].split("\n")[1:-1]  # only whole lines: the first and last are partial
    for line in lines:
        line = line.strip()
        if not line or "|" in line or not any(c.isalpha() for c in line):
            continue
        if len(line.split()) <= 5 and not line.endswith((".", "!", "?", ":", ",", ";", "”", '"', ")")):
            return True
    return False


def _line_intro(doc: Doc, text: str, quote: Quote, sentences: Sentences) -> Found | None:
    """'For loved gifts, Marisol will say' on a line of its own before the quotation: a verb of saying
    that ends the line before (table rules and a lone quote mark aside) introduces it, and that verb's
    subject is the speaker."""
    head = _FURNITURE.match(text[::-1], len(text) - quote.start)
    before_at = len(text) - (head.end() if head else len(text) - quote.start)
    if "\n" not in text[before_at : quote.start]:
        return None
    last = doc.char_span(max(0, before_at - 1), before_at, alignment_mode="expand")
    if last is None or not len(last):
        return None
    verb = last[0]
    if verb.pos_ not in ("VERB", "AUX") or not _saying(verb.lemma_.lower()):
        return None
    speaker = frames.subject(verb)
    source = frames.source_range(doc, speaker, verb)
    if source is None:
        return None
    item = found_from_ranges(doc, None, (verb.i, verb.i + 1), verb.lemma_.lower(), source, verb, 0.7)
    return item.with_content((quote.start, quote.end))


def _saying(lemma: str) -> bool:
    """A verb of saying in the cue table (a clause cue whose act is speech: say, reply, ask, add)."""
    return "clause" in cue_frames().get(lemma, ()) and act_of(lemma, "clause", None) == "speech"


MAX_NAMED_WORDS = 12  # a quoted phrase the writer names in passing is short: a title, a wording, a label
_NAMING_POS = frozenset(["VERB", "AUX"])
_CLAUSE_MARKERS = frozenset(["that", "because", "if", "whether", "as", "since", "while", "though", "although"])


def _named_in_prose(doc: Doc, quote: Quote) -> bool:
    """A short quotation that no cue claims and that the writer's own clause names as a thing: right
    after a preposition or a verb that is no cue ("her performance of “…”", "a booklet
    titled “…”", "pay much for “…”", "it is “…”").  A title or a wording is named, nobody says it."""
    text = doc_text(doc)
    if len(text[quote.inner_start : quote.inner_end].split()) > MAX_NAMED_WORDS:
        return False
    head = text[max(0, quote.start - 40) : quote.start]
    end = quote.start - (len(head) - len(head.rstrip(" \t")))
    if end == 0 or not text[end - 1].isalpha():
        return False  # the quotation opens its line, or follows a colon, a comma or a dash
    before = doc.char_span(end - 1, end, alignment_mode="expand")
    if before is None or not len(before):
        return False
    word = before[0]
    if word.tag_ == "IN":  # a preposition, even one tagged as a conjunction ("pay much for “…”")
        return word.lower_ not in _CLAUSE_MARKERS
    return word.pos_ in _NAMING_POS and word.lemma_.lower() not in cue_frames()


def _data_value(text: str, quote: Quote) -> bool:
    """A key or a value of a data listing ("Value": "…"): a quoted key before a colon, or a value after one."""
    after = text[quote.end : quote.end + 2].lstrip(" \t")
    before = text[max(0, quote.start - 4) : quote.start].rstrip(" \t")
    return after.startswith(":") or (before.endswith(":") and before[:-1].rstrip(" \t")[-1:] in ('"', "”"))


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
