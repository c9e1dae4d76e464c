"""Score extracted attributions against a PolNeAR-style brat corpus (`onrecord evaluate`).

The corpus layout is `DIR/text/<article>.txt` plus `DIR/attributions/<article>_<annotator>.ann`
(brat standoff).  The protocol is the one of the shared PolNeAR scorer, so numbers reported here
can be compared with published reference points; in short:

* Gold: read by eval/brat.py (first annotator per article, one attribution per brat event,
  Attribution-no-source events have no source, code-point offsets into the UTF-8 text).
* Every span is trimmed of whitespace and punctuation (Unicode category P*) at both ends before
  it is compared; a discontinuous span's length is the sum of its segments.
* content_exact: trimmed prediction == trimmed gold envelope, one to one.  content_partial:
  greedy one-to-one matching, largest overlap first, admissible when overlap / min(lengths)
  reaches the threshold (0.5).  content_any_overlap: the same with any overlap.
* source_given_content / cue_given_content: over the partial pairs, correct when the predicted
  span overlaps the gold one.  end_to_end: partial match AND right source (a gold attribution
  without a source accepts any predicted source by default).  content_tokens: `\\w+` tokens
  inside any content span.
* DIRECT subset: attributions whose content, widened by two characters per side, holds a double
  quotation mark (or `''` / `` `` ``, or a single quote used as one); the subset reuses the
  matching computed on all attributions.

Everything is micro-averaged over the articles of the corpus.  Stdlib only, so that evaluation
works without the NLP stack.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# load_gold and the gold types are re-exported: callers score what they load from one import.
from onrecord.eval.brat import GoldArticle, GoldAttribution, load_gold
from onrecord.spans import Seg, trim

__all__ = [
    "METRICS",
    "GoldArticle",
    "GoldAttribution",
    "format_table",
    "load_gold",
    "predictions_from_records",
    "score",
]

CONTENT_METRICS = ("content_exact", "content_partial", "content_any_overlap")
METRICS = (
    *CONTENT_METRICS,
    "source_given_content",
    "end_to_end",
    "content_tokens",
    "cue_given_content",
)
NOSOURCE_POLICIES = ("any", "null")

_LABELS = {
    "content_exact": "content exact",
    "content_partial": "content partial",
    "content_any_overlap": "content any overlap",
    "source_given_content": "source | content",
    "end_to_end": "end to end",
    "content_tokens": "content tokens",
    "cue_given_content": "cue | content",
}


# ----------------------------------------------------------------------------- predictions ---


def predictions_from_records(
    records: Iterable[tuple[str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Turn (article name, `Article.to_dict()`) pairs into scorer prediction lines.

    The content is scored by its envelope: a gold quote split around its cue is one
    discontinuous span, and the envelope is what the reference protocol compares with it.
    Nested attributions (those with a `parent`) are left out: PolNeAR annotates the outermost
    report only (6 of 2,192 dev attributions are nested), so scoring them would only count noise.
    """
    return [
        {
            "article": _article_name(name),
            "attributions": [_prediction_line(a) for a in record.get("attributions") or [] if not a.get("parent")],
        }
        for name, record in records
    ]


def _article_name(name: str) -> str:
    """Gold articles are named by their .txt file without directory or extension."""
    base = Path(name).name
    return base.removesuffix(".txt")


def _prediction_line(attribution: dict[str, Any]) -> dict[str, Any]:
    content = attribution["content"]
    pieces = [content, *(content.get("segments") or [])]
    source = attribution.get("source") or {}
    mention = source.get("mention")
    cue = attribution.get("cue")
    return {
        "content": {
            "start": min(p["start"] for p in pieces),
            "end": max(p["end"] for p in pieces),
        },
        "source": {"mention": _offsets(mention)} if mention else None,
        "cue": _offsets(cue) if cue else None,
    }


def _offsets(span: dict[str, Any]) -> dict[str, int]:
    return {"start": span["start"], "end": span["end"]}


@dataclass(slots=True)
class _Predicted:
    """One prediction after validation; absent or empty source/cue is []."""

    content: Seg
    source: list[Seg]
    cue: list[Seg]


@dataclass(slots=True)
class _PredictionSet:
    by_article: dict[str, list[_Predicted]] = field(default_factory=lambda: defaultdict(list))
    issues: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unknown: set[str] = field(default_factory=set)
    lines_per_article: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _read_predictions(predictions: list[dict[str, Any]], sizes: dict[str, int]) -> _PredictionSet:
    """Validate prediction lines against the gold articles; problems are counted, not fatal."""
    out = _PredictionSet()
    for line in predictions:
        name = line.get("article") if isinstance(line, dict) else None
        if not isinstance(name, str):
            out.issues["bad_lines"] += 1
            continue
        name = _article_name(name)
        if name not in sizes:
            out.unknown.add(name)
            continue
        out.lines_per_article[name] += 1
        for item in line.get("attributions") or []:
            predicted = _validate(item, sizes[name], out.issues)
            if predicted is not None:
                out.by_article[name].append(predicted)
    return out


def _validate(item: Any, size: int, issues: dict[str, int]) -> _Predicted | None:
    content = _span_of(item.get("content")) if isinstance(item, dict) else None
    if content is None:
        issues["attributions_without_content"] += 1
        return None
    source = item.get("source")
    if isinstance(source, dict) and "mention" in source:
        source = source["mention"]
    return _Predicted(
        _clip(content, size, issues),
        _optional_span(_span_of(source), size, issues),
        _optional_span(_span_of(item.get("cue")), size, issues),
    )


def _optional_span(span: Seg | None, size: int, issues: dict[str, int]) -> list[Seg]:
    """A source or cue as a segment list; a missing or empty span names nothing."""
    if span is None:
        return []
    start, end = _clip(span, size, issues)
    return [(start, end)] if end > start else []


def _span_of(obj: Any) -> Seg | None:
    if not isinstance(obj, dict):
        return None
    try:
        return int(obj["start"]), int(obj["end"])
    except (KeyError, TypeError, ValueError):
        return None


def _clip(span: Seg, size: int, issues: dict[str, int]) -> Seg:
    """Put reversed or out-of-range offsets back into the text rather than dropping the prediction."""
    start, end = span
    if start > end:
        start, end = end, start
        issues["swapped_spans"] += 1
    if start < 0 or end > size:
        start, end = min(max(start, 0), size), min(max(end, 0), size)
        issues["clipped_spans"] += 1
    return start, end


# ------------------------------------------------------------------------------------ spans ---


def _kept(text: str, segments: list[Seg]) -> list[Seg]:
    return [(s, e) for s, e in (trim(text, *seg) for seg in segments) if e > s]


def _length(segments: list[Seg]) -> int:
    return sum(e - s for s, e in segments)


def _overlap(a: list[Seg], b: list[Seg]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


_DOUBLE_QUOTES = frozenset('"\u201c\u201d\u201e\u201f\u00ab\u00bb')
# A single quote opens a quotation at a word start, after a blank or opening punctuation ...
_OPENING_SINGLE = re.compile(r"(?<![^\s(\[{\"\u201c\u2014\u2013/:-])['\u2018](?=\w)")
# ... and closes it at a word end; an apostrophe inside a word ("Clinton's") is neither.
_CLOSING_SINGLE = re.compile(r"(?<=[\w.,!?;:])['\u2019](?![^\s.,;:!?)\]}\"\u201d\u2014\u2013-])")
_TOKEN = re.compile(r"\w+")


def _has_quotation_mark(snippet: str) -> bool:
    """Double marks (incl. the NYT's '' and ``), or a single-quote pair used as quotation marks."""
    if "''" in snippet or "``" in snippet or not _DOUBLE_QUOTES.isdisjoint(snippet):
        return True
    opening = _OPENING_SINGLE.search(snippet)
    return opening is not None and _CLOSING_SINGLE.search(snippet, opening.end()) is not None


def _is_direct(text: str, segments: list[Seg], window: int) -> bool:
    """Look a little outside the content too: annotators often leave the quote marks out."""
    if not segments:
        return False
    first, last = segments[0][0], segments[-1][1]
    snippet = (
        text[max(0, first - window) : first] + "".join(text[s:e] for s, e in segments) + text[last : last + window]
    )
    return _has_quotation_mark(snippet)


# --------------------------------------------------------------------------------- scoring ---


@dataclass(slots=True)
class _Tally:
    """Precision counts on the predicted side, recall counts on the gold side."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    def add(self, tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> None:
        self.tp_pred += tp_pred
        self.n_pred += n_pred
        self.tp_gold += tp_gold
        self.n_gold += n_gold

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": p,
            "r": r,
            "f1": f1,
            "tp_pred": self.tp_pred,
            "n_pred": self.n_pred,
            "tp_gold": self.tp_gold,
            "n_gold": self.n_gold,
        }


@dataclass(slots=True)
class _Side:
    """Facts about the attributions of one side (gold or predicted) of one article."""

    raw: list[list[Seg]]
    kept: list[list[Seg]]
    direct: list[bool]
    source: list[list[Seg]]
    cue: list[list[Seg]]

    def __len__(self) -> int:
        return len(self.raw)


@dataclass(slots=True)
class _Config:
    partial_threshold: float
    nosource_policy: str
    direct_window: int


Matching = dict[int, int]  # prediction index -> gold index
Tallies = dict[tuple[str, str], _Tally]


def score(
    gold: list[GoldArticle],
    predictions: list[dict[str, Any]],
    *,
    partial_threshold: float = 0.5,
    nosource_policy: str = "any",
    direct_window: int = 2,
) -> dict[str, Any]:
    """Micro-averaged metrics of `predictions` (scorer lines) against `gold`; see the module doc.

    `nosource_policy` decides what a gold attribution without a source accepts end to end:
    "any" predicted source (there is no span to check it against) or only "null".
    """
    if nosource_policy not in NOSOURCE_POLICIES:
        raise ValueError(f"nosource_policy must be one of {NOSOURCE_POLICIES}")
    config = _Config(partial_threshold, nosource_policy, direct_window)
    preds = _read_predictions(predictions, {a.name: len(a.text) for a in gold})
    tallies: Tallies = defaultdict(_Tally)
    fragments = 0
    for article in gold:
        fragments += _score_article(article, preds.by_article.get(article.name, []), config, tallies)
    return _result(gold, preds, config, tallies, fragments)


def _result(
    gold: list[GoldArticle],
    preds: _PredictionSet,
    config: _Config,
    tallies: Tallies,
    fragments: int,
) -> dict[str, Any]:
    result: dict[str, Any] = {m: tallies[("all", m)].as_dict() for m in METRICS}
    result["direct"] = {m: tallies[("direct", m)].as_dict() for m in METRICS}
    result["counts"] = _counts(gold, preds, config, fragments)
    result["unknown_articles"] = sorted(preds.unknown)
    result["config"] = {
        "partial_threshold": config.partial_threshold,
        "nosource_policy": config.nosource_policy,
        "direct_window": config.direct_window,
    }
    return result


def _counts(gold: list[GoldArticle], preds: _PredictionSet, config: _Config, fragments: int) -> dict[str, int]:
    attributions = [(a.text, g) for a in gold for g in a.attributions]
    names = {a.name for a in gold}
    return {
        "articles": len(gold),
        "gold_attributions": len(attributions),
        "gold_with_source": sum(bool(g.source) for _, g in attributions),
        "gold_direct": sum(_is_direct(t, g.content, config.direct_window) for t, g in attributions),
        "gold_discontinuous": sum(len(g.content) > 1 for _, g in attributions),
        "predictions": sum(len(v) for v in preds.by_article.values()),
        "predicted_articles": len(preds.lines_per_article),
        "missing_articles": len(names - set(preds.lines_per_article)),
        "unknown_articles": len(preds.unknown),
        "duplicate_articles": sum(n > 1 for n in preds.lines_per_article.values()),
        "fragments_inside_matched_gold": fragments,
        **preds.issues,
    }


def _gold_side(text: str, gold: list[GoldAttribution], window: int) -> _Side:
    return _Side(
        raw=[g.content for g in gold],
        kept=[_kept(text, g.content) for g in gold],
        direct=[_is_direct(text, g.content, window) for g in gold],
        source=[g.source for g in gold],
        cue=[g.cue for g in gold],
    )


def _predicted_side(text: str, preds: list[_Predicted], window: int) -> _Side:
    return _Side(
        raw=[[p.content] for p in preds],
        kept=[_kept(text, [p.content]) for p in preds],
        direct=[_is_direct(text, [p.content], window) for p in preds],
        source=[p.source for p in preds],
        cue=[p.cue for p in preds],
    )


def _score_article(article: GoldArticle, preds: list[_Predicted], config: _Config, tallies: Tallies) -> int:
    """Add one article's counts to `tallies`; returns its diagnostic fragment count."""
    text = article.text
    gold = _gold_side(text, article.attributions, config.direct_window)
    pred = _predicted_side(text, preds, config.direct_window)
    threshold = config.partial_threshold
    matchings = {
        "content_exact": _match_exact(pred.kept, gold.kept),
        "content_partial": _match_greedy(pred.kept, gold.kept, lambda o, ratio: ratio >= threshold),
        "content_any_overlap": _match_greedy(pred.kept, gold.kept, lambda o, ratio: o > 0),
    }
    partial = matchings["content_partial"]
    right_source = {i: _role_hit(text, pred.source[i], gold.source[j]) for i, j in partial.items()}
    right_cue = {i: _role_hit(text, pred.cue[i], gold.cue[j]) for i, j in partial.items()}
    end_to_end = {i for i, j in partial.items() if _end_to_end_ok(pred, gold, i, j, right_source, config)}
    for subset, p_in, g_in in (
        ("all", [True] * len(pred), [True] * len(gold)),
        ("direct", pred.direct, gold.direct),
    ):
        for name, matching in matchings.items():
            tallies[(subset, name)].add(*_matched_counts(matching, p_in, g_in, set(matching)))
        tallies[(subset, "source_given_content")].add(
            *_role_counts(partial, pred.source, gold.source, right_source, p_in, g_in)
        )
        tallies[(subset, "cue_given_content")].add(*_role_counts(partial, pred.cue, gold.cue, right_cue, p_in, g_in))
        tallies[(subset, "end_to_end")].add(*_matched_counts(partial, p_in, g_in, end_to_end))
    _add_token_counts(text, pred, gold, tallies)
    return _fragments(pred.kept, gold.kept, partial)


def _match_exact(pred: list[list[Seg]], gold: list[list[Seg]]) -> Matching:
    """Pair each prediction, in order, with the first unused gold of identical trimmed envelope."""
    waiting: dict[Seg, list[int]] = defaultdict(list)
    for j, segs in enumerate(gold):
        if segs:
            waiting[(segs[0][0], segs[-1][1])].append(j)
    matching: Matching = {}
    for i, segs in enumerate(pred):
        queue = waiting.get((segs[0][0], segs[-1][1])) if segs else None
        if queue:
            matching[i] = queue.pop(0)
    return matching


def _match_greedy(
    pred: list[list[Seg]],
    gold: list[list[Seg]],
    admissible: Callable[[int, float], bool],
) -> Matching:
    """One-to-one, taking pairs by largest overlap, then ratio, then document order.

    Greedy rather than optimal on purpose: it is what the reference protocol specifies, and the
    numbers must stay comparable with it.
    """
    candidates = []
    for (i, p), (j, g) in itertools.product(enumerate(pred), enumerate(gold)):
        shared = _overlap(p, g)
        if shared <= 0:
            continue
        ratio = shared / min(_length(p), _length(g))
        if admissible(shared, ratio):
            candidates.append((-shared, -ratio, i, j))
    matching: Matching = {}
    used_gold: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i not in matching and j not in used_gold:
            matching[i] = j
            used_gold.add(j)
    return matching


def _role_hit(text: str, pred: list[Seg], gold: list[Seg]) -> bool:
    """A source (or cue) is right when its trimmed span shares a character with the gold one.

    A span made only of punctuation is kept untrimmed, so that it can still be compared.
    """
    if not pred or not gold:
        return False
    return _overlap(_kept(text, pred) or pred, _kept(text, gold) or gold) > 0


def _end_to_end_ok(
    pred: _Side,
    gold: _Side,
    i: int,
    j: int,
    right_source: dict[int, bool],
    config: _Config,
) -> bool:
    if gold.source[j]:
        return right_source[i]
    return config.nosource_policy == "any" or not pred.source[i]


def _matched_counts(
    matching: Matching, p_in: list[bool], g_in: list[bool], correct: set[int]
) -> tuple[int, int, int, int]:
    """Counts over the selected attributions; a pair counts on each side its member is selected."""
    pairs = [(i, j) for i, j in matching.items() if i in correct]
    return (
        sum(p_in[i] for i, _ in pairs),
        sum(p_in),
        sum(g_in[j] for _, j in pairs),
        sum(g_in),
    )


def _role_counts(
    partial: Matching,
    pred_role: list[list[Seg]],
    gold_role: list[list[Seg]],
    right: dict[int, bool],
    p_in: list[bool],
    g_in: list[bool],
) -> tuple[int, int, int, int]:
    """Role scored only on matched contents: precision over pairs whose prediction names one."""
    counts = [0, 0, 0, 0]
    for i, j in partial.items():
        if p_in[i] and pred_role[i]:
            counts[0] += right[i]
            counts[1] += 1
        if g_in[j] and gold_role[j]:
            counts[2] += right[i]
            counts[3] += 1
    return counts[0], counts[1], counts[2], counts[3]


def _add_token_counts(text: str, pred: _Side, gold: _Side, tallies: Tallies) -> None:
    """Token overlap of the raw content spans: a tokenizer-free view of how much was covered."""
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    if not tokens:
        return
    in_gold = _covered(tokens, itertools.chain.from_iterable(gold.raw), len(text))
    in_pred = _covered(tokens, itertools.chain.from_iterable(pred.raw), len(text))
    gold_direct = _covered(tokens, _selected(gold.raw, gold.direct), len(text))
    pred_direct = _covered(tokens, _selected(pred.raw, pred.direct), len(text))
    both = _count_both(in_gold, in_pred)
    tallies[("all", "content_tokens")].add(both, sum(in_pred), both, sum(in_gold))
    tallies[("direct", "content_tokens")].add(
        _count_both(pred_direct, in_gold),
        sum(pred_direct),
        _count_both(gold_direct, in_pred),
        sum(gold_direct),
    )


def _selected(spans: list[list[Seg]], keep: list[bool]) -> Iterator[Seg]:
    return (seg for segs, k in zip(spans, keep, strict=True) if k for seg in segs)


def _covered(tokens: list[Seg], spans: Iterable[Seg], size: int) -> list[bool]:
    """Whether any character of each token lies inside one of `spans` (via prefix counts)."""
    marks = bytearray(size)
    for start, end in spans:
        marks[start:end] = b"\x01" * (end - start)
    before = [0, *itertools.accumulate(marks)]
    return [before[e] > before[s] for s, e in tokens]


def _count_both(a: list[bool], b: list[bool]) -> int:
    return sum(x and y for x, y in zip(a, b, strict=True))


def _fragments(pred: list[list[Seg]], gold: list[list[Seg]], partial: Matching) -> int:
    """Unmatched predictions lying mostly inside an already matched gold content.

    Typically the second half of a quote split around "he said", which the gold annotates as
    one discontinuous span: a false positive worth pointing out, not a wrong extraction.
    """
    matched = [gold[j] for j in set(partial.values())]
    return sum(
        1
        for i, segs in enumerate(pred)
        if i not in partial and segs and any(2 * _overlap(segs, g) >= _length(segs) for g in matched)
    )


# ---------------------------------------------------------------------------------- output ---


def format_table(metrics: dict[str, Any]) -> str:
    """The metrics of `score` as a plain-text table: ALL attributions, then the DIRECT subset."""
    counts = metrics.get("counts", {})
    lines = [
        "gold: {articles} articles, {gold_attributions} attributions, {gold_with_source} with "
        "source, {gold_direct} direct".format_map(defaultdict(int, counts)),
        "predictions: {predictions} in {predicted_articles} articles; missing {missing_articles}, "
        "unknown {unknown_articles}, duplicate {duplicate_articles}".format_map(defaultdict(int, counts)),
    ]
    if metrics.get("unknown_articles"):
        lines.append("  unknown articles (ignored): " + ", ".join(metrics["unknown_articles"][:10]))
    threshold = metrics.get("config", {}).get("partial_threshold", 0.5)
    for title, block in (
        ("ALL attributions", metrics),
        ("DIRECT subset", metrics.get("direct", {})),
    ):
        lines += ["", f"[{title}]", _ROW.format("metric", "P", "R", "F1", *_COUNT_KEYS)]
        lines += [_row(name, block[name], threshold) for name in METRICS if name in block]
    fragments = counts.get("fragments_inside_matched_gold", 0)
    lines += [
        "",
        f"unmatched predictions inside an already matched gold content: {fragments}",
    ]
    return "\n".join(lines)


_COUNT_KEYS = ("tp_pred", "n_pred", "tp_gold", "n_gold")
_ROW = "{:<26} {:>6} {:>6} {:>6}  {:>7} {:>7} {:>7} {:>7}"


def _row(name: str, values: dict[str, Any], threshold: float) -> str:
    label = _LABELS[name] + (f" >={threshold:g}" if name == "content_partial" else "")
    rates = (f"{values[k]:.3f}" for k in ("p", "r", "f1"))
    return _ROW.format(label, *rates, *(values.get(k, "") for k in _COUNT_KEYS))
