"""Where a content starts and ends, decided with the encoder: the boundary refiner of the accurate mode.

The rules and the cue model find most reports (content partial F1 0.80 on PolNeAR dev) but cut a third
of them at the wrong word (exact 0.56): "that" kept or dropped, a trailing ", which …" clause, a
sentence-initial adverbial, a quotation's second sentence.  The parse alone cannot learn the corpus'
conventions for these; a pretrained encoder's view of the words around each boundary can.

For every attribution the rules found, each token near its current start (and near its end) is a
candidate boundary; a small listwise scorer (`mlp.Ranker`) rates the candidates from the fine-tuned
tagger's logits at the boundary token, the token outside it and the cue (`runtime.token_features`), plus
a few indicator features (how far the candidate moves the boundary, part of speech, punctuation,
quotation marks), and the best one wins.
The current boundary is a candidate with its own feature, so the scorer moves a boundary only where the
evidence is stronger than the rules'.  Rules stay in charge of everything else: which reports exist,
speakers, relays, nesting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from onrecord.attribute.found import Found
from onrecord.encoder import cued, runtime
from onrecord.encoder.runtime import FEATURES

REACH = 16  # tokens a boundary may move either way
_NONE = np.zeros(FEATURES, dtype=np.float32)  # the features of a token the tagger did not see (or no cue)
BETWEEN = 8  # added / removed tokens: mean content, max cue, max source, max boundary of the moving side
QUOTES = frozenset('"“”„«»') | {"''", "``", "'", "‘", "’"}


@dataclass(slots=True)
class Choice:
    """One boundary decision: candidate positions (a start token index, or an exclusive end index) and
    the rows that describe them."""

    side: str  # "start" | "end"
    positions: list[int]
    current: int
    cue: int  # token index of the cue head, -1 when the attribution has none


def sentence_numbers(doc: Doc) -> list[int]:
    """The number of each token's sentence, the index `choices` and `sentences_needed` read."""
    sent_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        sent_of[sent.start : sent.end] = [n] * len(sent)
    return sent_of


def token_range(doc: Doc, item: Found) -> tuple[int, int] | None:
    """The attribution's content envelope as a token range, or None when it is empty."""
    span = doc.char_span(item.start, item.end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start, span.end


def choices(doc: Doc, item: Found, sent_of: Sequence[int]) -> list[Choice]:
    """The start and end decisions of one attribution: positions within REACH tokens of the current
    boundary, inside the boundary's sentence or its neighbour on the moving side, never crossing the other
    boundary."""
    rng = token_range(doc, item)
    if rng is None:
        return []
    start, end = rng
    cue = item.head if 0 <= item.head < len(doc) else -1
    first_sent, last_sent = sent_of[start], sent_of[end - 1]
    starts = [
        t
        for t in range(max(0, start - REACH), min(end, start + REACH + 1))
        if first_sent - 1 <= sent_of[t] <= first_sent and not doc[t].is_space
    ]
    ends = [
        e
        for e in range(max(start + 1, end - REACH), min(len(doc), end + REACH) + 1)
        if last_sent <= sent_of[e - 1] <= last_sent + 1 and not doc[e - 1].is_space
    ]
    out = []
    if start in starts and len(starts) > 1:
        out.append(Choice("start", starts, start, cue))
    if end in ends and len(ends) > 1:
        out.append(Choice("end", ends, end, cue))
    return out


def allowed(doc: Doc, item: Found, choice: Choice) -> np.ndarray:
    """Which candidates the refiner may move to: none that leaves a content without a word or grows it
    over its own speaker (`_speaker_fence`); the current boundary always.  A constraint on the output,
    applied to the ranker's scores: the ranker is trained and scores over every candidate, as before."""
    rng = token_range(doc, item)
    start, end = rng if rng is not None else (0, len(doc))
    floor, ceiling = _speaker_fence(doc.text, item)
    if choice.side == "start":
        ok = [_has_word(doc, t, end) and doc[t].idx >= floor for t in choice.positions]
    else:
        ok = [_has_word(doc, start, e) and doc[e - 1].idx < ceiling for e in choice.positions]
    mask = np.array(ok, dtype=bool)
    mask[choice.positions.index(choice.current)] = True
    return mask


def _speaker_fence(text: str, item: Found) -> tuple[int, float]:
    """How far the content may grow towards its own speaker: never over them ("that Dion had not loved
    her body" is no content of "loved" with "Dion" as its speaker, however often the corpus gives the
    outer report that content), except where the speaker and cue stand between commas inside the
    sentence ("The plan, she said, is …", one content split around them).  An agentless passive has no
    speaker to fence it off ("Mr. X is seen as …" is its content, as annotated news has it)."""
    floor, ceiling = 0, float("inf")
    if item.source is None or _between_commas(text, item):
        return floor, ceiling
    if item.source[1] <= item.start:
        floor = item.source[1]
    elif item.source[0] >= item.end:
        ceiling = item.source[0]
    return floor, ceiling


def _between_commas(text: str, item: Found) -> bool:
    """Whether the attribution's speaker and cue stand between commas: ", she said," (a quotation mark
    may close before the first comma)."""
    spans = [span for span in (item.cue, item.source) if span is not None]
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    ahead, behind = text[max(0, first - 4) : first].rstrip(), text[last : last + 3].lstrip()
    return ahead.rstrip("”’\"'").endswith(",") and behind.startswith(",")


def _has_word(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens start … end-1 hold a word (a boundary may not leave only quotation marks)."""
    return any(not (t.is_punct or t.is_space) for t in doc[start:end])


def sentences_needed(doc: Doc, items: Sequence[Found], sent_of: Sequence[int]) -> set[int]:
    """Sentence numbers the encoder must see for these attributions' boundaries and cues."""
    needed: set[int] = set()
    last = sent_of[-1] if len(sent_of) else 0
    for item in items:
        rng = token_range(doc, item)
        if rng is None:
            continue
        a, b = sent_of[rng[0]], sent_of[rng[1] - 1]
        needed.update(range(max(0, a - 1), min(last, b + 1) + 1))
        if 0 <= item.head < len(doc):
            needed.add(sent_of[item.head])
    return needed


def _bucket(delta: int) -> str:
    size = abs(delta)
    for limit in (0, 1, 2, 4, 8):
        if size <= limit:
            return f"{'-' if delta < 0 else '+'}{limit}"
    return f"{'-' if delta < 0 else '+'}far"


def sparse(doc: Doc, choice: Choice, position: int, item: Found) -> list[str]:
    """Indicator features of one candidate boundary (the words around it, how far it moves, the cue)."""
    side = choice.side
    inner = doc[position] if side == "start" else doc[position - 1]  # first / last token kept
    outer_i = position - 1 if side == "start" else position  # the token just outside
    outer = doc[outer_i] if 0 <= outer_i < len(doc) else None
    feats = [
        f"{side}:bias",
        f"{side}:move={_bucket(position - choice.current)}",
        f"{side}:current={position == choice.current}",
        f"{side}:type={item.type}",
        f"{side}:frame={item.frame or 'rule'}",
        f"{side}:inner_pos={inner.pos_}",
        f"{side}:inner_dep={inner.dep_}",
        f"{side}:inner_quote={inner.text in QUOTES}",
        f"{side}:inner_punct={inner.is_punct}",
        f"{side}:sent_edge={inner.is_sent_start if side == 'start' else _sent_end(doc, position)}",
    ]
    if outer is not None:
        feats += [
            f"{side}:outer_pos={outer.pos_}",
            f"{side}:outer={outer.lower_ if outer.is_punct or outer.pos_ in ('ADP', 'SCONJ', 'DET') else '*'}",
            f"{side}:pair={inner.pos_}|{outer.pos_}",
        ]
    if choice.cue >= 0:
        where = "at" if choice.cue in (position, position - 1) else ("after" if choice.cue >= position else "before")
        feats += [f"{side}:cue_side={where}", f"{side}:cue_dist={_bucket(position - choice.cue)}"]
    return feats


def _sent_end(doc: Doc, end: int) -> bool:
    return end >= len(doc) or doc[end].is_sent_start or all(t.is_space or t.is_punct for t in doc[end : end + 2])


_CUED_NONE = np.zeros(cued.FEATURES, dtype=np.float32)
_FAR = -20.0  # the boundary logit of a token the cued tagger did not see


def _cued_boundary(mine: dict[int, np.ndarray], choice: Choice, position: int) -> float:
    """The cued tagger's start logit (first piece) of a start candidate, end logit (last piece) of an end."""
    start = choice.side == "start"
    row = mine.get(position if start else position - 1)
    return _FAR if row is None else float(row[_cued_column(start)])


def _cued_column(start: bool) -> int:
    """The first piece's start logit for a start, the last piece's end logit for an end."""
    return 0 if start else len(cued.LABELS) + 1


def _running(rows: np.ndarray, present: np.ndarray, mean_col: int, max_cols: Sequence[int]) -> np.ndarray:
    """For k = 1 … len(rows): over the first k rows that are present, their count, the mean of `mean_col`
    and the maximum of each of `max_cols` (0 where none is present): the summaries of every move at once,
    the rows ordered outward from the current boundary."""
    count = np.cumsum(present)
    total = np.cumsum(np.where(present, rows[:, mean_col], 0.0))
    highs = [np.maximum.accumulate(np.where(present, rows[:, c], -np.inf)) for c in max_cols]
    some = count > 0
    out = np.zeros((len(rows), 2 + len(max_cols)), dtype=np.float64)
    out[:, 0] = count
    out[:, 1] = np.divide(total, count, out=np.zeros_like(total), where=some)
    for n, high in enumerate(highs):
        out[:, 2 + n] = np.where(some, high, 0.0)
    return out


def dense(features: dict[int, np.ndarray], choice: Choice, mine: dict[int, np.ndarray]) -> np.ndarray:
    """The dense rows of every candidate of a decision, in `choice.positions` order.

    The sentence tagger's features (`features`, zeros where a token has none) of the first/last token kept,
    the token outside it and the cue; how much of a content the tokens the move adds to the span (or takes
    from it) look like, and whether a cue, a source or another boundary lies among them (mean content,
    highest cue, source and boundary logit: the tagger's view of the whole move, not only of its ends).
    Then the cued tagger's view of this attribution (`mine`): its logits at the first/last token kept and
    the token outside it; the candidate's boundary logit less the best candidate's (so "the tagger's
    favourite" reads the same in every sentence); the mean content logit and the highest boundary logit
    of the tokens the move adds and of those it removes; whether the tagger saw this attribution at all.
    A move's summaries are running means and maxima outward from the current boundary, one pass a side.
    """
    positions = np.asarray(choice.positions)
    start = choice.side == "start"
    current = choice.current
    lo = min(int(positions.min()), current) - 1
    hi = max(int(positions.max()), current) + 1
    tokens = range(lo, hi + 1)
    tagged = np.stack([features.get(i, _NONE) for i in tokens])
    seen = np.array([i in features for i in tokens])
    cued_rows = np.stack([mine.get(i, _CUED_NONE) for i in tokens])
    cued_seen = np.array([i in mine for i in tokens])
    inner = (positions if start else positions - 1) - lo
    outer = (positions - 1 if start else positions) - lo
    column = _cued_column(start)
    logits = np.array([_cued_boundary(mine, choice, p) for p in choice.positions])

    moves = positions - current
    left, right = current - 1 - lo, current - lo  # rows of the first token outward on each side (lo < current)
    ahead = np.abs(moves) - 1  # rows of a move's last token in its running summary
    boundary = 0 if start else 1
    between = np.zeros((len(positions), BETWEEN), dtype=np.float32)
    moved = np.zeros((len(positions), 4), dtype=np.float32)
    for side, order in (
        (moves < 0, slice(left, None, -1)),
        (moves > 0, slice(right, None)),
    ):
        if not side.any():
            continue
        summary = _running(tagged[order], seen[order], 2, (3, 4, boundary))
        cued_summary = _running(cued_rows[order], cued_seen[order], 2, (column,))
        for n in np.flatnonzero(side):
            k = ahead[n]
            adds = (moves[n] < 0) == start
            if summary[k, 0]:
                between[n, (0 if adds else 4) : (4 if adds else 8)] = summary[k, 1:]
            if cued_summary[k, 0]:
                moved[n, (0 if adds else 2) : (2 if adds else 4)] = cued_summary[k, 1:]
    cue = np.broadcast_to(features.get(choice.cue, _NONE), (len(positions), FEATURES))
    flag = np.full((len(positions), 1), float(bool(mine)))
    rel = (logits - logits.max())[:, None]  # so "the cued tagger's favourite" reads the same in every sentence
    parts = [tagged[inner], tagged[outer], cue, between, cued_rows[inner], cued_rows[outer], rel, moved, flag]
    return np.concatenate(parts, axis=1).astype(np.float32)


def described(
    doc: Doc, items: Sequence[Found], tagger: Path | None = None, cued_graph: Path | None = None
) -> list[tuple[Found, Choice, np.ndarray, list[list[str]]]]:
    """Every boundary decision of `items` with its candidates' dense rows and indicator features: the
    taggers run once per article (the sentences around the attributions; one cued window per
    attribution with a cue), for the refiner at run time and for its training alike."""
    sent_of = sentence_numbers(doc)
    decisions = [(item, choice) for item in items for choice in choices(doc, item, sent_of)]
    if not decisions:
        return []
    features = runtime.token_features(doc, sorted(sentences_needed(doc, items, sent_of)), tagger or runtime.TAGGER)
    asked = [item for item in items if item.cue is not None and 0 <= item.head < len(doc)]
    views = cued.features(doc, [(sent_of[item.head], [item.cue]) for item in asked], cued_graph or cued.GRAPH)
    view_of = {id(item): view for item, view in zip(asked, views, strict=True)}
    out = []
    for item, choice in decisions:
        rows = dense(features, choice, view_of.get(id(item), {}))
        out.append((item, choice, rows, [sparse(doc, choice, p, item) for p in choice.positions]))
    return out


def apply(doc: Doc, item: Found, side: str, position: int) -> None:
    """Move one boundary of an attribution to a token position (start index or exclusive end)."""
    if side == "start":
        first = item.content[0]
        new = doc[position].idx
        if new < first[1]:
            item.content[0] = (new, first[1])
        return
    last = item.content[-1]
    token = doc[position - 1]
    new = token.idx + len(token)
    if new > last[0]:
        item.content[-1] = (last[0], new)


def split_around_own_words(text: str, item: Found, drawn: list[tuple[int, int]]) -> None:
    """A content re-cut over its own cue and speaker where they stand between commas ("The plan, she
    said, is …" from "is …": annotators mark the words on both sides as one content) becomes two
    segments around them, as a quotation split by its cue is, so the record keeps "she said" out of what
    was said.  A cue taken in otherwise stays inside: an agentless passive's clause ("Mr. X is seen as
    …") is its content, as annotated news has it."""
    if len(drawn) != 1 or len(item.content) != 1:
        return
    (start, end), (old_start, old_end) = item.content[0], drawn[0]
    own = [span for span in (item.cue, item.source) if span is not None]
    own = [span for span in own if start <= span[0] and span[1] <= end and not (old_start <= span[0] < old_end)]
    if not own:
        return
    cut_start, cut_end = min(a for a, _ in own), max(b for _, b in own)
    if not _between_commas(text, item):
        return
    pieces = [(start, _rstrip(text, start, cut_start)), (_lstrip(text, cut_end, end), end)]
    if all(any(ch.isalnum() for ch in text[a:b]) for a, b in pieces):
        item.content = pieces


_SEPARATORS = " \t\n\xa0,;:—–-"


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _SEPARATORS:
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start] in _SEPARATORS:
        start += 1
    return start


def choose(scores: np.ndarray, current: int, margin: float) -> int:
    """The best candidate, unless it beats the current boundary by less than `margin` (chosen by
    cross-validation on train: a boundary the rules drew moves only on clear evidence)."""
    best = int(np.argmax(scores))
    return best if scores[best] - scores[current] >= margin else current
