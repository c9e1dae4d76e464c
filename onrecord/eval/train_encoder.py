"""Training the encoder's boundary refiner on a brat corpus (`onrecord train --encoder [--fine-tune]`).

Two stages.  With `--fine-tune`, the tagger (`finetune`: MiniLM-L6 fine-tuned on the gold spans, PyTorch)
is trained first on all articles but every `holdout`-th, and written as `tagger.onnx`; without it, the
shipped tagger is used.  Then the ranker: repair and parse every article as the pipeline does
(`train.parse_corpus`), run the hybrid and the rules on the held-out articles only (the tagger's logits on
articles it was tuned on are overconfident), and match their attributions to the gold ones as the scorer
does (trimmed envelopes, overlap ≥ half of the shorter).  Each matched attribution gives one start and one
end decision (`bounds.choices`); a candidate is right when its trimmed boundary equals the gold one
(several may be: "said" and "said ." trim alike).  The ranker (`mlp.Ranker`) is fitted by Adam on the
listwise softmax loss; the margin by which a candidate must beat the current boundary is chosen by
cross-validation over the held-out articles.  Seeded: the same corpus and configuration give the same
weights.  The ranker stage is numpy only.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.attribute import find_attributions
from onrecord.encoder import bounds, cued, fingerprint, runtime
from onrecord.encoder.bounds import choose
from onrecord.encoder.mlp import Ranker
from onrecord.eval import finetune
from onrecord.eval.finetune import TuneConfig
from onrecord.eval.train import Parsed, parse_corpus, read_config
from onrecord.spans import trim

OUT_NAME = "bounds.npz"
CONFIG = Path(bounds.__file__).parent / "data" / "bounds.toml"  # beside the weights it trains


@dataclass(slots=True)
class EncoderConfig:
    seed: int = 17
    hidden: int = 32
    epochs: int = 10
    learning_rate: float = 2e-3
    l2: float = 1e-4
    batch: int = 128  # decisions per step
    min_count: int = 3
    folds: int = 4
    margins: list[float] = field(default_factory=lambda: [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0])
    holdout: int = 8  # articles numbered k * holdout train the ranker, the others the tagger; 1 = all

    @classmethod
    def read(cls, path: Path | None = None) -> EncoderConfig:
        """The settings of a TOML file (its [encoder] table, or the whole file); defaults without one."""
        return read_config(cls, path or CONFIG, "encoder")


@dataclass(slots=True)
class Decision:
    """One start or end decision with its rows: dense matrix, sparse features, labels."""

    article: int
    dense: np.ndarray
    rows: list[list[str]]
    labels: np.ndarray
    current: int  # row of the current boundary


# ------------------------------------------------------------------------------ examples ---


def _gold_envelopes(item: Parsed) -> list[tuple[int, int]]:
    text = item.gold.text
    out = []
    for g in item.gold.attributions:
        if g.content:
            out.append(trim(text, min(s for s, _ in g.content), max(e for _, e in g.content)))
    return out


def _matched(item: Parsed, found: list, envelopes: list[tuple[int, int]]) -> list[tuple[Any, tuple[int, int]]]:
    """Greedy one-to-one matching, largest overlap first, as the scorer's partial match."""
    text, to_input = item.gold.text, item.repaired.offsets.span_to_input
    preds = [(f, trim(text, *to_input(f.start, f.end))) for f in found if f.parent is None and f.content]
    pairs = []
    for i, g in enumerate(envelopes):
        for j, (_, p) in enumerate(preds):
            ov = min(g[1], p[1]) - max(g[0], p[0])
            if ov > 0 and ov >= 0.5 * min(g[1] - g[0], p[1] - p[0]):
                pairs.append((ov, i, j))
    used_g, used_p, out = set(), set(), []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((preds[j][0], envelopes[i]))
    return out


def article_decisions(
    number: int, item: Parsed, graph: Path = runtime.TAGGER, cued_graph: Path = cued.GRAPH
) -> list[Decision]:
    """The labelled start/end decisions of one article's matched attributions, as the hybrid and as the
    rules find them: the hybrid's cue model has seen these articles, so its boundaries are better here
    than on new text; the rules' boundaries show the refiner the errors it will meet (and `--accurate
    --no-model` runs on them)."""
    doc = item.doc
    envelopes = _gold_envelopes(item)
    matched, seen = [], set()
    for use_model in (True, False):
        for f, gold in _matched(item, find_attributions(doc, use_model=use_model), envelopes):
            if (f.start, f.end, f.head) not in seen:
                seen.add((f.start, f.end, f.head))
                matched.append((f, gold))
    if not matched:
        return []
    text, to_input = item.gold.text, item.repaired.offsets.span_to_input
    gold_of = {id(f): gold for f, gold in matched}
    out = []
    for f, choice, dense, rows in bounds.described(doc, [f for f, _ in matched], graph, cued_graph):
        gold = _gold_side(gold_of[id(f)], choice.side)
        labels = np.array([_boundary(doc, text, to_input, choice.side, p) == gold for p in choice.positions])
        if labels.any():
            out.append(Decision(number, dense.astype(np.float16), rows, labels, choice.positions.index(choice.current)))
    return out


def _gold_side(gold: tuple[int, int], side: str) -> int:
    return gold[0] if side == "start" else gold[1]


def _boundary(doc, text: str, to_input, side: str, position: int) -> int:
    """The trimmed character boundary a candidate gives in the input text."""
    if side == "start":
        a = to_input(doc[position].idx, doc[position].idx)[0]
        return trim(text, a, len(text))[0]
    token = doc[position - 1]
    b = to_input(token.idx + len(token), token.idx + len(token))[0]
    return trim(text, 0, b)[1]


# ------------------------------------------------------------------------------- fitting ---


def fit(decisions: list[Decision], config: EncoderConfig) -> Ranker:
    """Adam on the listwise loss −log Σ_right softmax(scores), over minibatches of decisions, seeded."""
    rng = np.random.default_rng(config.seed)
    counts = Counter(f for d in decisions for row in d.rows for f in set(row))
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= config.min_count))}
    data = _Stacked(decisions, vocab)
    dim, hid = data.dense.shape[1], config.hidden
    ranker = Ranker(
        vocab,
        data.mean,
        data.scale,
        (rng.standard_normal((dim, hid)) * np.sqrt(2.0 / dim)).astype(np.float32),
        np.zeros(hid, np.float32),
        np.zeros((len(vocab), hid), np.float32),
        (rng.standard_normal(hid) * 0.1).astype(np.float32),
        np.zeros(len(vocab), np.float32),
    )
    adam = _Adam(ranker, config.learning_rate)
    order = np.arange(len(decisions))
    for _ in range(config.epochs):
        rng.shuffle(order)
        for at in range(0, len(order), config.batch):
            chosen = np.sort(order[at : at + config.batch])
            adam.step(ranker, _gradients(ranker, data, chosen), config.l2, len(chosen))
    return ranker


class _Stacked:
    """All decisions' rows in one float16 matrix (standardised per minibatch) and one sparse indicator
    matrix, with each decision's row range, so a minibatch is a gather and a few matrix products."""

    def __init__(self, decisions: list[Decision], vocab: dict[str, int]) -> None:
        from scipy.sparse import csr_matrix

        self.dense = np.concatenate([d.dense for d in decisions])  # float16: 2.4 GB on PolNeAR train
        total = np.zeros(self.dense.shape[1])
        squares = np.zeros(self.dense.shape[1])
        for at in range(0, len(self.dense), 65536):  # mean and spread in chunks, in float64
            chunk = self.dense[at : at + 65536].astype(np.float64)
            total += chunk.sum(axis=0)
            squares += (chunk * chunk).sum(axis=0)
        mean = total / len(self.dense)
        self.mean = mean.astype(np.float32)
        self.scale = (np.sqrt(np.maximum(squares / len(self.dense) - mean * mean, 0.0)) + 1e-3).astype(np.float32)
        sizes = np.array([len(d.rows) for d in decisions])
        self.bounds = np.concatenate([[0], np.cumsum(sizes)])
        self.labels = np.concatenate([d.labels for d in decisions]).astype(np.float32)
        cols = [[vocab[f] for f in row if f in vocab] for d in decisions for row in d.rows]
        indptr = np.concatenate([[0], np.cumsum([len(c) for c in cols])])
        flat = np.fromiter((i for c in cols for i in c), dtype=np.int64, count=int(indptr[-1]))
        self.sparse = csr_matrix((np.ones(len(flat), np.float32), flat, indptr), shape=(len(cols), len(vocab)))

    def rows(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of the chosen decisions and each row's position among them (its segment)."""
        parts = [np.arange(self.bounds[k], self.bounds[k + 1]) for k in chosen]
        segment = np.concatenate([np.full(len(p), n) for n, p in enumerate(parts)])
        return np.concatenate(parts), segment


def _gradients(r: Ranker, data: _Stacked, chosen: np.ndarray) -> dict[str, np.ndarray]:
    rows, segment = data.rows(chosen)
    z = (data.dense[rows].astype(np.float32) - data.mean) / data.scale
    xs, labels = data.sparse[rows], data.labels[rows]
    pre = z @ r.w1 + xs @ r.emb + r.b1
    h = np.maximum(pre, 0.0)
    s = h @ r.w2 + xs @ r.lin
    top = np.full(len(chosen), -np.inf, np.float32)
    np.maximum.at(top, segment, s)
    p = np.exp(s - top[segment])
    p /= np.bincount(segment, weights=p, minlength=len(chosen))[segment]
    right = p * labels
    mass = np.bincount(segment, weights=right, minlength=len(chosen))[segment]
    ds = (p - right / np.maximum(mass, 1e-12)).astype(np.float32)  # d loss / d scores
    dpre = np.outer(ds, r.w2) * (pre > 0)
    return {
        "w2": h.T @ ds,
        "w1": z.T @ dpre,
        "b1": dpre.sum(axis=0),
        "emb": np.asarray(xs.T @ dpre),
        "lin": np.asarray(xs.T @ ds).ravel(),
    }


def _zero_grads(r: Ranker) -> dict[str, np.ndarray]:
    return {k: np.zeros_like(getattr(r, k)) for k in ("w1", "b1", "emb", "w2", "lin")}


class _Adam:
    def __init__(self, r: Ranker, lr: float) -> None:
        self.lr, self.t = lr, 0
        self.m = _zero_grads(r)
        self.v = _zero_grads(r)

    def step(self, r: Ranker, grads: dict[str, np.ndarray], l2: float, n: int) -> None:
        self.t += 1
        for k, grad in grads.items():
            param = getattr(r, k)
            grad = grad / max(n, 1) + l2 * param
            self.m[k] = 0.9 * self.m[k] + 0.1 * grad
            self.v[k] = 0.999 * self.v[k] + 0.001 * grad * grad
            m_hat = self.m[k] / (1 - 0.9**self.t)
            v_hat = self.v[k] / (1 - 0.999**self.t)
            param -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


# ------------------------------------------------------------------------------ choosing ---


def cross_validate(
    decisions: list[Decision], articles: int, config: EncoderConfig, log: Callable[[str], None]
) -> tuple[float, dict[float, float]]:
    """Share of decisions right per margin, each fold scored by a ranker fitted on the other folds."""
    folds = max(2, min(config.folds, articles))
    right = Counter()
    for k in range(folds):
        train = [d for d in decisions if d.article % folds != k]
        ranker = fit(train, config)
        for d in (d for d in decisions if d.article % folds == k):
            s = ranker.scores(d.dense, d.rows)
            for m in config.margins:
                right[m] += bool(d.labels[choose(s, d.current, m)])
        log(f"fold {k + 1}/{folds} fitted")
    shares = {m: right[m] / max(1, len(decisions)) for m in config.margins}
    return max(config.margins, key=lambda m: (shares[m], m)), shares


def train(
    directory: str | Path,
    out: str | Path,
    *,
    spacy_model: str,
    config: EncoderConfig | None = None,
    cache: Path | None = None,
    log: Callable[[str], None] = print,
    fine_tune: TuneConfig | None = None,
) -> dict[str, Any]:
    """Train the refiner on a brat corpus and write `bounds.npz` (and, when fine-tuning, `tagger.onnx`)
    into `out`."""
    config = config or EncoderConfig.read()
    started = time.perf_counter()
    parsed = parse_corpus(directory, spacy_model, cache)
    log(f"parsed {len(parsed)} articles ({time.perf_counter() - started:.0f} s)")
    graph, cued_graph, tuned = runtime.TAGGER, cued.GRAPH, {}
    if fine_tune is not None:
        tuned = finetune.fine_tune(parsed, Path(out), fine_tune, config.holdout, log)
        graph, cued_graph = Path(out) / finetune.TAGGER_NAME, Path(out) / cued.GRAPH.name
    held = [item for n, item in enumerate(parsed) if not finetune.in_tuning(n, config.holdout)]
    decisions = [d for k, item in enumerate(held) for d in article_decisions(k, item, graph, cued_graph)]
    kept = sum(bool(d.labels[d.current]) for d in decisions) / max(1, len(decisions))
    log(
        f"{len(decisions)} boundary decisions in {len(held)} held-out articles, current boundary right in "
        f"{kept:.3f} ({time.perf_counter() - started:.0f} s)"
    )
    margin, shares = cross_validate(decisions, len(held), config, log)
    log("cross-validated share right by margin: " + ", ".join(f"{m}: {s:.3f}" for m, s in shares.items()))
    meta = {
        "margin": margin,
        "cross_validation": {str(m): round(s, 4) for m, s in shares.items()},
        "current_right": round(kept, 4),
        "decisions": len(decisions),
        "articles": len(parsed),
        "held_out": len(held),
        "spacy_model": spacy_model,
        "tagger": fingerprint(graph),
        "cued": fingerprint(cued_graph),
        "fine_tune": tuned,
        "config": {k: getattr(config, k) for k in config.__slots__},
    }
    target = Path(out) / OUT_NAME
    fit(decisions, config).save(target, meta)
    log(
        f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB), margin {margin} "
        f"({time.perf_counter() - started:.0f} s)"
    )
    return meta
