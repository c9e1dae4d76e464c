"""The accurate mode: a fine-tuned encoder (MiniLM-L6, int8 ONNX) re-cuts the boundaries the rules chose.

`refine(doc, found)` runs after `find_attributions` and before resolution: it tags only the sentences
around the attributions found (batched; `runtime.token_features`), scores each candidate start and end
with the shipped ranker (`data/bounds.npz`, trained by `onrecord train --encoder` on articles the tagger
was not fine-tuned on) and moves a boundary where the ranker beats the current one by the
cross-validated margin.  Optional: needs `pip install 'onrecord[encoder]'`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from onrecord.attribute.found import Found
from onrecord.encoder import bounds, runtime
from onrecord.encoder.mlp import Ranker
from onrecord.errors import Errors, ModelError

WEIGHTS = Path(__file__).parent / "data" / "bounds.npz"

__all__ = ["WEIGHTS", "available", "fingerprint", "refine", "shipped"]


def available() -> bool:
    """Whether the accurate mode can run: the optional runtime and the shipped weights."""
    return runtime.available() and WEIGHTS.exists() and runtime.TAGGER.exists()


@lru_cache(maxsize=1)
def shipped() -> tuple[Ranker, float]:
    """The shipped ranker and its margin; ModelError (one line) when the mode cannot run."""
    if not runtime.available():
        raise ModelError(Errors.E052)
    for path in (WEIGHTS, runtime.TAGGER):
        if not path.exists():
            raise ModelError(Errors.E053.format(path=path))
    ranker, meta = Ranker.load(WEIGHTS)
    if meta.get("tagger") != fingerprint(runtime.TAGGER):  # a ranker learns one tagger's logits
        raise ModelError(Errors.E054.format(weights=WEIGHTS, tagger=runtime.TAGGER))
    return ranker, float(meta.get("margin", 0.0))


def fingerprint(graph: Path) -> str:
    """The SHA-256 of a tagger graph, which the ranker trained on its logits records."""
    import hashlib

    return hashlib.sha256(graph.read_bytes()).hexdigest()


def clear_caches() -> None:
    """Forget the loaded weights, graph and vocabulary (the benchmark counts their start-up)."""
    shipped.cache_clear()
    runtime.clear_caches()


def check() -> None:
    """Fail early (before any parse) when the accurate mode was asked for but cannot run."""
    shipped()


def refine(doc: Doc, found: list[Found], model: tuple[Ranker, float] | None = None) -> list[Found]:
    """Re-cut the content boundaries of `found` in place (and return it)."""
    items = [f for f in found if f.content]
    if not items or not len(doc):
        return found
    ranker, margin = model or shipped()
    sent_of = bounds.sentence_numbers(doc)
    features = runtime.token_features(doc, sorted(bounds.sentences_needed(doc, items, sent_of)))
    if not features:
        return found
    import numpy as np

    decisions = [(item, choice) for item in items for choice in bounds.choices(doc, item, sent_of)]
    if not decisions:
        return found
    # one scoring call for the whole article: small matrix products are dominated by call overhead
    dense = np.stack([bounds.dense(features, c, p) for _, c in decisions for p in c.positions])
    rows = [bounds.sparse(doc, c, p, item) for item, c in decisions for p in c.positions]
    scores = ranker.scores(dense, rows)
    at = 0
    for item, choice in decisions:
        mine = scores[at : at + len(choice.positions)]
        at += len(choice.positions)
        best = bounds.choose(mine, choice.positions.index(choice.current), margin)
        if choice.positions[best] != choice.current:
            bounds.apply(doc, item, choice.side, choice.positions[best])
    return found
