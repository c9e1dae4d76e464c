"""The accurate mode: a fine-tuned encoder (MiniLM-L6, int8 ONNX) re-cuts the boundaries the rules chose.

`refine(doc, found)` runs after `find_attributions` and before resolution: it tags only the sentences
around the attributions found with the sentence tagger (`runtime.token_features`) and reads each
attribution with a cue once more with the cue-conditioned tagger (`cued.features`: that report's content
only), scores each candidate start and end with the shipped ranker (`data/bounds.npz`, trained by
`onrecord train --encoder` on articles the taggers were not fine-tuned on) and moves a boundary where the
ranker beats the current one by the cross-validated margin.  Optional: needs `pip install
'onrecord[encoder]'`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from onrecord.attribute import classify
from onrecord.attribute.chains import merge_verb_chains
from onrecord.attribute.found import Found
from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import QuoteIndex, find_quotes
from onrecord.encoder import bounds, cued, runtime
from onrecord.encoder.mlp import Ranker
from onrecord.errors import Errors, ModelError

WEIGHTS = Path(__file__).parent / "data" / "bounds.npz"

__all__ = ["WEIGHTS", "available", "fingerprint", "refine", "shipped"]


def available() -> bool:
    """Whether the accurate mode can run: the optional runtime and the shipped weights."""
    return runtime.available() and all(path.exists() for path in (WEIGHTS, runtime.TAGGER, cued.GRAPH))


@lru_cache(maxsize=1)
def shipped() -> tuple[Ranker, float]:
    """The shipped ranker and its margin; ModelError (one line) when the mode cannot run."""
    if not runtime.available():
        raise ModelError(Errors.E052)
    for path in (WEIGHTS, runtime.TAGGER, cued.GRAPH):
        if not path.exists():
            raise ModelError(Errors.E053.format(path=path))
    ranker, meta = Ranker.load(WEIGHTS)
    for key, graph in (("tagger", runtime.TAGGER), ("cued", cued.GRAPH)):  # a ranker learns its taggers' logits
        if meta.get(key) != fingerprint(graph):
            raise ModelError(Errors.E054.format(weights=WEIGHTS, tagger=graph))
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
    """Re-cut the content boundaries of `found` in place; the rows, with those of a verb chain that now
    read one content merged as `find_attributions` merges them ("tried to persuade X that …")."""
    items = [f for f in found if f.content and f.parent is None]  # the ranker learned outermost reports
    if not items or not len(doc):
        return found
    ranker, margin = model or shipped()
    decisions = bounds.described(doc, items)
    if not decisions:
        return found
    import numpy as np

    # one scoring call for the whole article: small matrix products are dominated by call overhead
    scores = ranker.scores(np.concatenate([d for _, _, d, _ in decisions]), [r for *_, rows in decisions for r in rows])
    drawn = {id(item): list(item.content) for item in items}
    at = 0
    for item, choice, _, _ in decisions:
        mine = np.where(bounds.allowed(doc, item, choice), scores[at : at + len(choice.positions)], -np.inf)
        at += len(choice.positions)
        best = bounds.choose(mine, choice.positions.index(choice.current), margin)
        if choice.positions[best] != choice.current:
            bounds.apply(doc, item, choice.side, choice.positions[best])
    for item in items:  # both ends moved inward past each other's words: the rules' cut stands
        if not any(ch.isalnum() for start, end in item.content for ch in doc.text[start:end]):
            item.content = drawn[id(item)]
        bounds.split_around_own_words(doc.text, item, drawn[id(item)])
    _follow_parents(found, drawn)
    _reclassify(doc, [item for item in found if item.content != drawn.get(id(item), item.content)])
    return merge_verb_chains(doc, found)


def _reclassify(doc: Doc, moved: list[Found]) -> None:
    """A re-cut content is direct, mixed or indirect by its new words: a quotation widened to the
    narration before it ("As they say, “…”") is mixed, one cut to its quoted words direct."""
    if not moved:
        return
    quotes = QuoteIndex(find_quotes(doc_text(doc)))
    for item in moved:
        item.type = classify(item, quotes)


def _follow_parents(found: list[Found], drawn: dict[int, list[tuple[int, int]]]) -> None:
    """A nested report keeps the rules' cut (the ranker never saw one: left alone, it would widen "he
    believes …" to the content of "Aides said he believes …"), except that one ending where its parent
    ended ends where the parent now ends: "… said he believes the plan will fail, which …" loses the
    trailing clause in both."""
    for item in found:
        parent = item.parent
        before = drawn.get(id(parent)) if parent is not None else None
        if before is None or not item.content or item.end != before[-1][1] or parent.end == item.end:
            continue
        last = item.content[-1]
        if parent.end > last[0]:
            item.content[-1] = (last[0], parent.end)
