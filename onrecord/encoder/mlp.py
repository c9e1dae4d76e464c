"""A small listwise scorer over dense encoder vectors and sparse indicator features (numpy only).

score(row) = w2 · relu(W1 · z(dense) + Σ E[f] + b1) + Σ u[f], with z the standardisation learnt on
train and f the row's indicator features.  One hidden layer is enough to cross "what the words are"
(the encoder) with "what moving here means" (the indicators); a linear part over the indicators keeps
the rules' strong signals (the current boundary, a quotation mark) easy to learn.  Trained by
`onrecord.eval.train_encoder`; shipped as one .npz with float16 weights.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from onrecord.errors import Errors, ModelError


@dataclass(slots=True)
class Ranker:
    vocab: dict[str, int]
    mean: np.ndarray  # (D,)
    scale: np.ndarray  # (D,)
    w1: np.ndarray  # (D, H)
    b1: np.ndarray  # (H,)
    emb: np.ndarray  # (V, H)
    w2: np.ndarray  # (H,)
    lin: np.ndarray  # (V,)

    def indices(self, rows: list[list[str]]) -> list[list[int]]:
        vocab = self.vocab
        return [[vocab[f] for f in row if f in vocab] for row in rows]

    def scores(self, dense: np.ndarray, rows: list[list[str]]) -> np.ndarray:
        at, cols = _flat(self.indices(rows))  # (row, feature) pairs, shared by both scatter-adds
        pre = ((dense.astype(np.float32) - self.mean) / self.scale) @ self.w1 + self.b1
        np.add.at(pre, at, self.emb[cols])
        out = np.maximum(pre, 0.0) @ self.w2
        np.add.at(out, at, self.lin[cols])
        return out

    def save(self, path: Path, meta: dict) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {k: getattr(self, k).astype(np.float16) for k in ("mean", "scale", "w1", "b1", "emb", "w2", "lin")}
        words = json.dumps({"vocab": self.vocab, "meta": meta}, sort_keys=True).encode("utf-8")
        arrays["index"] = np.frombuffer(words, dtype=np.uint8)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> tuple[Ranker, dict]:
        try:
            with np.load(path, allow_pickle=False) as data:
                index = json.loads(data["index"].tobytes())
                parts = {k: data[k].astype(np.float32) for k in ("mean", "scale", "w1", "b1", "emb", "w2", "lin")}
        except (OSError, KeyError, ValueError) as exc:
            raise ModelError(Errors.E053.format(path=path)) from exc
        return cls(vocab=index["vocab"], **parts), index["meta"]


def _flat(idx: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(row, feature) pairs of the rows' indicator features, for scatter-adds."""
    rows = np.fromiter((r for r, row in enumerate(idx) for _ in row), dtype=np.int64)
    cols = np.fromiter((c for row in idx for c in row), dtype=np.int64)
    return rows, cols
