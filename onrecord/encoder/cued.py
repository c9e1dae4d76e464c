"""The cue-conditioned tagger: the encoder told which cue it is reading, so it marks that report's content.

The sentence tagger (`runtime`) marks every content start and end in a window alike, so next to a
nested or a neighbouring report its boundary logits point at several places at once (alone, the best
candidate by them is right in only 0.70 of boundary decisions).  This tagger reads one window per
attribution, with the cue's word pieces marked by the second token type of the BERT input (so no piece
moves and no vocabulary is added), and gives four logits per piece for that report only: its content
starts here, ends here, the piece is inside its content, inside its source.  Trained by `onrecord train
--encoder --fine-tune` beside the sentence tagger (`eval.finetune`), int8 ONNX on onnxruntime.

A window is the cue's sentence with a sentence of context on each side where it fits (as the sentence
tagger's windows), and every token of it gets features, since a content may begin or end in a
neighbouring sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from onrecord.encoder import runtime
from onrecord.encoder.runtime import Window

GRAPH = runtime.DATA / "cued.onnx"
LABELS = ("start", "end", "content", "source")  # the conditioned outputs, for the one marked report
ROLES = LABELS[2:]  # the inside-a-span outputs, after start and end
FEATURES = 2 * len(LABELS)  # per token: logits at its first and at its last word piece

Span = tuple[int, int]


class Windows:
    """The windows of one doc's sentences, each built once: an article's attributions share sentences,
    and the Python WordPiece cut is the costly part of building a window."""

    def __init__(self, doc: Doc) -> None:
        self.sentences = runtime.Sentences(doc)
        self._parts: dict[int, list[Window]] = {}

    def around(self, sentence: int) -> list[Window]:
        """The window(s) of `sentence` with the one before and the one after where they fit (parts of
        MAX_PIECES when the sentence alone is longer), every token of them a target."""
        if sentence not in self._parts:
            lo, hi = self.sentences.widened(sentence, sentence)
            doc, sents = self.sentences.doc, self.sentences.sents
            self._parts[sentence] = runtime.sentence_windows(doc, sents, list(range(lo, hi + 1)), lo, hi)
        return self._parts[sentence]


def window(
    doc: Doc, sentence: int, cue: Sequence[Span], windows: Windows | None = None
) -> tuple[Window, list[int]] | None:
    """The window around sentence number `sentence` (its neighbours where they fit) and its token types:
    1 on the pieces that overlap a `cue` character span (doc offsets), else 0.  A sentence too long for one
    window is cut, and the part holding the cue is kept; None when no piece overlaps the cue."""
    best: tuple[Window, list[int]] | None = None
    for part in (windows or Windows(doc)).around(sentence):
        types = [int(any(min(b, e) > max(a, s) for s, e in cue)) for a, b in part.offsets]
        if any(types) and (best is None or sum(types) > sum(best[1])):
            best = (part, types)
    return best


def padded_types(batch: Sequence[Sequence[int]], width: int) -> np.ndarray:
    """Token type ids beside `runtime.padded`'s input ids: 0 on [CLS], [SEP] and padding."""
    out = np.zeros((len(batch), width), dtype=np.int64)
    for row, types in enumerate(batch):
        out[row, 1 : len(types) + 1] = types
    return out


def tag(batch: list[tuple[list[int], list[int]]], graph: Path = GRAPH) -> list[np.ndarray]:
    """The conditioned logits ((pieces + 2) × LABELS) of each (ids, types) window."""
    input_ids, mask = runtime.padded([ids for ids, _ in batch])
    types = padded_types([t for _, t in batch], input_ids.shape[1])
    feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": types}
    (logits,) = runtime.session(graph).run(["logits"], feeds)
    return [logits[row] for row in range(len(batch))]


def features(
    doc: Doc, requests: Sequence[tuple[int, Sequence[Span]]], graph: Path = GRAPH
) -> list[dict[int, np.ndarray]]:
    """For each (sentence number, cue spans) request, the FEATURES logits of every token of its window
    (empty where the cue falls in no window).  Batched by like lengths."""
    shared = Windows(doc)
    built = [(k, window(doc, s, cue, shared)) for k, (s, cue) in enumerate(requests)]
    ready = sorted(((k, w) for k, w in built if w is not None), key=lambda kw: len(kw[1][0].ids))
    out: list[dict[int, np.ndarray]] = [{} for _ in requests]
    for at in range(0, len(ready), runtime.BATCH):
        chunk = ready[at : at + runtime.BATCH]
        logits = tag([(w.ids, types) for _, (w, types) in chunk], graph)
        for (k, (w, _)), rows_logits in zip(chunk, logits, strict=True):
            for token_i, rows in zip(w.tokens, w.rows, strict=True):
                out[k][token_i] = np.concatenate([rows_logits[rows[0]], rows_logits[rows[-1]]])
    return out


__all__ = ["FEATURES", "GRAPH", "LABELS", "Windows", "features", "padded_types", "tag", "window"]
