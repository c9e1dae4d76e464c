"""Training the cue model on a brat corpus (`onrecord train`).

Steps: read the corpus (`onrecord.eval.brat.load_gold`), repair and parse every article as the
pipeline does, turn every verb reading into a labelled example, fit a logistic regression, and choose
the thresholds by cross-validation inside the training corpus: each fold's articles are run through
the whole attribution step with a model that never saw them, and scored with the project's scorer.

A reading is a positive example when its verb lies inside a gold cue and its content covers at least
half of that attribution's content (or the content covers half of it); the "none" reading is positive
when the verb is a gold cue that no frame of it reaches.  Everything is seeded: the same corpus and
configuration give the same weights.
"""

from __future__ import annotations

import json
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from onrecord.attribute import frames
from onrecord.attribute import model as cue_model
from onrecord.attribute.model import Candidate, CueModel, DocContext, Linear
from onrecord.attribute.quotes import QuoteIndex, find_quotes
from onrecord.attribute.relays import NESTING_CONFIDENCE
from onrecord.eval.brat import GoldArticle, load_gold
from onrecord.repair import Repaired, repair
from onrecord.spans import trim

CONFIG = Path(cue_model.__file__).parent / "data" / "model.toml"  # beside the weights it trains
OBJECTIVE = {"content_partial": 1.0, "end_to_end": 1.0, "content_exact": 0.5, "source_given_content": 0.5}
REPORTED = ("content_partial", "content_exact", "source_given_content", "end_to_end")


@dataclass(slots=True)
class Config:
    seed: int = 13
    min_count: int = 2  # features seen fewer times in training are dropped
    epochs: int = 8
    learning_rate: float = 0.05
    ranker_learning_rate: float = 0.2  # source and boundary rankers (softmax over the options)
    ranker_epochs: int = 4
    l2: float = 1e-6
    batch_size: int = 64
    folds: int = 4
    thresholds: list[float] = field(default_factory=lambda: [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6])
    nestings: list[float] = field(default_factory=lambda: [0.4, 0.5, 0.6, 0.75])
    objective: dict[str, float] = field(default_factory=lambda: dict(OBJECTIVE))

    @classmethod
    def read(cls, path: Path | None = None) -> Config:
        return read_config(cls, path or CONFIG, "train")


def read_config(cls: type[Any], path: Path, table: str) -> Any:
    """Training settings from a TOML file (its [table], or the whole file when it has no tables), defaults
    when the file or the table is absent; a file that cannot be read or names an unknown setting is one
    OptionError (E079)."""
    from onrecord.errors import Errors, OptionError

    if not path.exists():
        return cls()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
        tabled = any(isinstance(v, dict) for v in values.values())
        return cls(**values.get(table, {} if tabled else values))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, TypeError) as exc:
        raise OptionError(Errors.E079.format(path=path, reason=exc)) from None


@dataclass(slots=True)
class Parsed:
    gold: GoldArticle
    repaired: Repaired
    doc: Doc


@dataclass(slots=True)
class Examples:
    """Candidate readings of one article, grouped by verb, with their labels; and for each verb that
    is a gold cue, its source candidates' features and labels."""

    groups: list[list[Candidate]]
    labels: list[list[int]]
    sources: list[tuple[list[list[str]], list[int]]] = field(default_factory=list)
    bounds: list[tuple[list[list[str]], list[int]]] = field(default_factory=list)


# ------------------------------------------------------------------------------ corpus ---


def parse_corpus(
    directory: str | Path, spacy_model: str, cache: Path | None = None, batch_size: int = 32
) -> list[Parsed]:
    """Repair and parse each gold article as the pipeline does; `cache` keeps the parses (DocBin)."""
    from spacy.tokens import DocBin

    from onrecord.nlp import load

    gold = load_gold(directory)
    repaired = [repair(g.text) for g in gold]
    nlp = load(spacy_model)
    if cache is not None and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) != len(gold) or any(d.text != r.text for d, r in zip(docs, repaired, strict=True)):
            docs = []
    else:
        docs = []
    if not docs:
        docs = list(nlp.pipe((r.text for r in repaired), batch_size=batch_size))
        if cache is not None:
            cache.parent.mkdir(parents=True, exist_ok=True)
            DocBin(docs=docs).to_disk(cache)
    return [Parsed(g, r, d) for g, r, d in zip(gold, repaired, docs, strict=True)]


def _overlaps(span: tuple[int, int], segments: list[tuple[int, int]]) -> bool:
    return any(min(e, span[1]) > max(s, span[0]) for s, e in segments)


def _hit(span: tuple[int, int], contents: list[tuple[int, int]]) -> bool:
    """The reading's content and the gold content share half of the shorter one."""
    overlap = sum(max(0, min(e, span[1]) - max(s, span[0])) for s, e in contents)
    return overlap >= 0.5 * min(sum(e - s for s, e in contents), span[1] - span[0])


def examples(item: Parsed) -> Examples:
    doc = item.doc
    quotes = QuoteIndex(find_quotes(doc.text))
    inside = [quotes.at(t.idx) is not None for t in doc]
    ctx = DocContext(doc, inside)
    to_input = item.repaired.offsets.span_to_input
    gold = [g for g in item.gold.attributions if g.cue]
    out = Examples([], [])
    for token in ctx.tokens:
        if not cue_model.is_candidate(token, ctx):
            continue
        group = cue_model.featurize(ctx, token)
        at = to_input(token.idx, token.idx + 1)[0]
        events = [g for g in gold if any(s <= at < e for s, e in g.cue)]
        marks, event, content, reading = [], None, None, None
        for cand in group:
            hit = None
            if cand.content is not None:
                span = doc[cand.content[0] : cand.content[1]]
                chars = to_input(span.start_char, span.end_char)
                hit = next((g for g in events if _hit(chars, g.content)), None)
            marks.append(int(hit is not None))
            if hit is not None and event is None:
                event, content, reading = hit, cand.content, cand
        if events and not any(marks):
            marks[-1] = 1  # the "none" reading: a gold cue that no frame reaches
        out.groups.append(group)
        out.labels.append(marks)
        if events:
            out.sources.append(_source_examples(item, token, event or events[0], content, ctx))
        if reading is not None:
            out.bounds.append(_bound_examples(item, reading, event))
    return out


def _bound_examples(item: Parsed, reading: Candidate, event) -> tuple[list[list[str]], list[int]]:
    """Content cuts of a right reading, labelled by whether they match the gold content exactly."""
    text, doc = item.gold.text, item.doc
    to_input = item.repaired.offsets.span_to_input
    gold = trim(text, event.content[0][0], event.content[-1][1])
    rows, labels = [], []
    for rng, feats in cue_model.content_variants(doc, reading):
        span = doc[rng[0] : rng[1]]
        rows.append(feats)
        labels.append(int(trim(text, *to_input(span.start_char, span.end_char)) == gold))
    return rows, labels


def _source_examples(item: Parsed, token, event, content, ctx: DocContext) -> tuple[list[list[str]], list[int]]:
    """Source options of a gold cue, labelled by whether they overlap the gold source (None: when
    the gold attribution has no source)."""
    doc, to_input = item.doc, item.repaired.offsets.span_to_input
    options, rows = cue_model.source_rows(token, frames.subject(token), content, ctx)
    labels = []
    for option in options:
        if option is None:
            labels.append(int(not event.source))
            continue
        rng = frames.source_range(doc, option, token)
        span = doc[rng[0] : rng[1]] if rng else None
        labels.append(int(span is not None and _overlaps(to_input(span.start_char, span.end_char), event.source)))
    return rows, labels


def _linear(rows: list[list[str]], y: list[int], config: Config) -> Linear:
    counts: Counter[str] = Counter(f for row in rows for f in set(row))
    vocab = sorted(f for f, n in counts.items() if n >= config.min_count)
    index = {f: i for i, f in enumerate(vocab)}
    ids = [np.fromiter((i for f in row if (i := index.get(f)) is not None), dtype=np.int32) for row in rows]
    weights = _adagrad(ids, np.array(y, dtype=np.float64), len(vocab), config)
    return Linear(vocab, weights)


def fit(data: list[Examples], config: Config) -> CueModel:
    """Both logistic regressions (cue readings, sources) by AdaGrad over indicator features, seeded."""
    cue = _linear(
        [c.features for ex in data for group in ex.groups for c in group],
        [m for ex in data for marks in ex.labels for m in marks],
        config,
    )
    source, bound = (_ranker([g for ex in data for g in getattr(ex, part)], config) for part in ("sources", "bounds"))
    return CueModel(cue, source, bound, {})


def _ranker(groups: list[tuple[list[list[str]], list[int]]], config: Config) -> Linear:
    """A softmax ranker (one option of each group is right) by AdaGrad; groups without a right option
    teach nothing and are skipped."""
    groups = [(rows, labels) for rows, labels in groups if any(labels)]
    counts: Counter[str] = Counter(f for rows, _ in groups for row in rows for f in set(row))
    vocab = sorted(f for f, n in counts.items() if n >= config.min_count)
    index = {f: i for i, f in enumerate(vocab)}
    size = len(vocab)
    prepared = []
    for rows, labels in groups:
        ids = [np.fromiter((i for f in row if (i := index.get(f)) is not None), dtype=np.int64) for row in rows]
        target = np.array(labels, dtype=np.float64)
        prepared.append(
            (np.concatenate(ids), np.repeat(np.arange(len(ids)), [len(i) for i in ids]), target / target.sum())
        )
    rng = np.random.default_rng(config.seed)
    w = np.zeros(size, dtype=np.float64)
    g2 = np.full(size, 1e-8)
    rate = config.ranker_learning_rate
    for _ in range(config.ranker_epochs):
        for n in rng.permutation(len(prepared)):
            idx, owner, target = prepared[n]
            z = np.bincount(owner, weights=w[idx], minlength=len(target))
            p = np.exp(z - z.max())
            p /= p.sum()
            grad = np.bincount(idx, weights=(p - target)[owner], minlength=size)
            touched = np.unique(idx)
            gt = grad[touched] + config.l2 * w[touched]
            g2[touched] += gt * gt
            w[touched] -= rate * gt / np.sqrt(g2[touched])
    return Linear(vocab, w)


def _adagrad(rows: list[np.ndarray], y: np.ndarray, size: int, config: Config) -> np.ndarray:
    rng = np.random.default_rng(config.seed)
    w = np.zeros(size, dtype=np.float64)
    g2 = np.full(size, 1e-8)
    n = len(rows)
    lengths = np.array([len(r) for r in rows])
    starts = np.concatenate([[0], np.cumsum(lengths)])
    flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
    for _ in range(config.epochs):
        order = rng.permutation(n)
        for b in range(0, n, config.batch_size):
            batch = order[b : b + config.batch_size]
            idx = np.concatenate([flat[starts[i] : starts[i + 1]] for i in batch])
            owner = np.repeat(np.arange(len(batch)), lengths[batch])
            z = np.bincount(owner, weights=w[idx], minlength=len(batch))
            p = 1.0 / (1.0 + np.exp(-z))
            err = p - y[batch]
            grad = np.bincount(idx, weights=err[owner], minlength=size)
            touched = np.unique(idx)
            gt = grad[touched] + config.l2 * w[touched] * len(batch)
            g2[touched] += gt * gt
            w[touched] -= config.learning_rate * gt / np.sqrt(g2[touched])
    return w


# -------------------------------------------------------------------------------- tune ---


def run_scored(
    parsed: list[Parsed], models: list[CueModel | None], settings: list[tuple[float, float]]
) -> list[dict[str, Any]]:
    """Score the whole analysis on `parsed` (each article with its own model, or rules where None),
    once per (threshold, nesting) setting, with the project's scorer."""
    from onrecord.attribute import find_attributions
    from onrecord.eval.score import predictions_from_records, score
    from onrecord.inputs import Document
    from onrecord.pipeline import Prepared, build_record
    from onrecord.resolve import resolve

    results = []
    for threshold, nesting in settings:
        records = []
        for item, model in zip(parsed, models, strict=True):
            if model is not None:
                model.threshold, model.nesting = threshold, nesting
            found = find_attributions(item.doc, use_model=model is not None, model=model)
            resolution = resolve(item.doc, found, None)
            prepared = Prepared(Document(name=item.gold.name, text=item.gold.text), item.repaired)
            records.append((item.gold.name, build_record(prepared, found, resolution, item.doc).to_dict()))
        results.append(score([p.gold for p in parsed], predictions_from_records(records)))
    return results


def objective(metrics: dict[str, Any], weights: dict[str, float]) -> float:
    return sum(w * metrics[name]["f1"] for name, w in weights.items())


def train(
    directory: str | Path,
    out: str | Path,
    *,
    spacy_model: str,
    config: Config | None = None,
    cache: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Train on a brat corpus and write `model.npz` (weights, vocabularies, threshold) into `out`.

    The threshold is the one whose cross-validated score (articles split into folds by position,
    each fold analysed by a model fitted on the others) maximises `config.objective`."""
    config = config or Config.read()
    started = time.perf_counter()
    parsed = parse_corpus(directory, spacy_model, cache)
    log(f"parsed {len(parsed)} articles ({time.perf_counter() - started:.0f} s)")
    data = [examples(p) for p in parsed]
    n = sum(len(m) for ex in data for m in ex.labels)
    positive = sum(sum(m) for ex in data for m in ex.labels)
    log(f"{n} verb readings, {positive} positive")
    folds = max(2, min(config.folds, len(parsed)))
    fold_models: list[CueModel | None] = [None] * len(parsed)
    for k in range(folds):
        model = fit([d for i, d in enumerate(data) if i % folds != k], config)
        for i in range(k, len(parsed), folds):
            fold_models[i] = model
        log(f"fold {k + 1}/{folds} fitted ({time.perf_counter() - started:.0f} s)")
    best_setting, best_result = choose_thresholds(parsed, fold_models, config, log)
    model = fit(data, config)
    model.threshold, model.nesting = best_setting
    model.meta.update(
        threshold=model.threshold,
        nesting=model.nesting,
        cross_validation={k: round(best_result[k]["f1"], 4) for k in REPORTED},
        readings=n,
        positive_readings=positive,
        articles=len(parsed),
        features={k: len(v.vocab) for k, v in model.scorers().items()},
        spacy_model=spacy_model,
        config=_as_dict(config),
    )
    target = Path(out) / "model.npz"
    model.save(target)
    elapsed = time.perf_counter() - started
    log(
        f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB): threshold {model.threshold}, nesting "
        f"{model.nesting}, cross-validated {_scores(best_result)} ({elapsed:.0f} s)"
    )
    return model.meta


def choose_thresholds(
    parsed: list[Parsed], fold_models: list[CueModel | None], config: Config, log: Callable[[str], None]
) -> tuple[tuple[float, float], dict[str, Any]]:
    """The cross-validated best (threshold, nesting) and its scores: the threshold first (nesting as the
    rules do it), then how confident an outer report must be to take the reports inside its content as
    nested ones."""
    best_setting, best_result = None, None
    for stage in ("threshold", "nesting"):
        if stage == "threshold":
            settings = [(t, NESTING_CONFIDENCE) for t in config.thresholds]
        else:
            settings = [(best_setting[0], n) for n in config.nestings if n >= best_setting[0]]
        for setting, m in zip(settings, run_scored(parsed, fold_models, settings), strict=True):
            log(f"  threshold {setting[0]:.2f} nesting {setting[1]:.2f}: " + _scores(m))
            if best_result is None or objective(m, config.objective) > objective(best_result, config.objective):
                best_setting, best_result = setting, m
    return best_setting, best_result


def _scores(metrics: dict[str, Any]) -> str:
    return " ".join(f"{k} {metrics[k]['f1']:.3f}" for k in REPORTED)


def _as_dict(config: Config) -> dict[str, Any]:
    return json.loads(json.dumps({k: getattr(config, k) for k in config.__slots__}))
