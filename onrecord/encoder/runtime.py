"""The fine-tuned encoder at run time: a MiniLM-L6 boundary tagger as an int8 ONNX graph on onnxruntime.

No PyTorch: the graph (`data/tagger.onnx`, all-MiniLM-L6-v2 fine-tuned on PolNeAR train by `onrecord
train --encoder --fine-tune`, then quantized to int8) ships inside the package, the WordPiece vocabulary
of the same model beside it (`data/vocab.txt`), and `wordpiece` cuts words into pieces as the model's own
tokenizer does.  Optional (`pip install 'onrecord[encoder]'` adds onnxruntime): `available()` says whether
it is installed, and the `--accurate` mode refuses to start with one clear line when it is not.

`token_features(doc, sentences)` gives, for every spaCy token of the chosen sentences, the tagger's
logits (content start, content end, inside a content, a cue, a source) at its first and at its last word
piece, encoding the sentences in windows of whole sentences with one sentence of context on each side
where it fits, so the tagger sees what a reader sees around a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from onrecord.encoder.wordpiece import WordPiece
from onrecord.errors import Errors, ModelError

DATA = Path(__file__).parent / "data"
VOCAB = DATA / "vocab.txt"
TAGGER = DATA / "tagger.onnx"
LABELS = ("content_start", "content_end", "content", "cue", "source")  # the tagger's outputs, in order
FEATURES = 2 * len(LABELS)  # per token: the logits at its first and at its last word piece
MAX_PIECES = 254  # word pieces per window, [CLS] and [SEP] aside (the model was trained on 256)
BATCH = 16  # windows per onnxruntime call


def available() -> bool:
    """Whether the encoder's optional runtime (onnxruntime) is installed."""
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=2)
def session(graph: Path = TAGGER) -> Any:
    """An onnxruntime session of a tagger graph; ModelError when the runtime or the graph is missing."""
    if not available():
        raise ModelError(Errors.E052)
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    # threads that spin while they wait slow everything down on a busy machine (ingest workers, other jobs)
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own types for a missing or damaged file
        raise ModelError(Errors.E053.format(path=graph)) from exc


@lru_cache(maxsize=1)
def _tokenizer() -> WordPiece:
    return WordPiece(VOCAB)


def clear_caches() -> None:
    session.cache_clear()
    _tokenizer.cache_clear()


def pieces(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Word piece ids and their character offsets in `text`, without the special tokens."""
    return _tokenizer().encode(text)


@dataclass(slots=True)
class Window:
    """One encoder input: word piece ids, each piece's character offsets in the doc, the target tokens
    it covers and each target token's rows in the output (+1 for [CLS])."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    tokens: list[int]
    rows: list[list[int]]


def token_features(doc: Doc, sentences: Sequence[int], graph: Path = TAGGER) -> dict[int, np.ndarray]:
    """The tagger's FEATURES logits of each token of the sentences numbered `sentences` (indices into
    `doc.sents`): first piece's, then last piece's.  Windows are batched by like lengths, which waste
    little on padding."""
    chosen = sorted(set(sentences))
    found = sorted(windows(doc, chosen), key=lambda w: len(w.ids)) if chosen else []
    out: dict[int, np.ndarray] = {}
    for at in range(0, len(found), BATCH):
        batch = found[at : at + BATCH]
        for window, logits in zip(batch, tag([w.ids for w in batch], graph), strict=True):
            for token_i, rows in zip(window.tokens, window.rows, strict=True):
                out[token_i] = np.concatenate([logits[rows[0]], logits[rows[-1]]])
    return out


class Sentences:
    """A doc's sentences and their word-piece counts, each sentence cut once: window sizes are asked
    again and again while runs grow and context is added."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.sents = list(doc.sents)
        self._counts: dict[int, int] = {}

    def size(self, lo: int, hi: int) -> int:
        """Word pieces of sentences lo..hi."""
        for n in range(lo, hi + 1):
            if n not in self._counts:
                self._counts[n] = len(pieces(self.sents[n].text)[0])
        return sum(self._counts[n] for n in range(lo, hi + 1))

    def widened(self, lo: int, hi: int) -> tuple[int, int]:
        """Sentences lo..hi with the one before, then the one after, where the window still holds at
        most MAX_PIECES pieces."""
        if lo > 0 and self.size(lo - 1, hi) <= MAX_PIECES:
            lo -= 1
        if hi + 1 < len(self.sents) and self.size(lo, hi + 1) <= MAX_PIECES:
            hi += 1
        return lo, hi


def windows(doc: Doc, chosen: Sequence[int]) -> list[Window]:
    """Windows of word pieces: runs of the chosen sentences (with a sentence of context around when the
    window has room)."""
    sentences = Sentences(doc)
    runs: list[list[int]] = []
    for index in chosen:
        if runs and index == runs[-1][-1] + 1 and sentences.size(runs[-1][0], index) <= MAX_PIECES:
            runs[-1].append(index)
        else:
            runs.append([index])
    out = []
    for run in runs:
        lo, hi = sentences.widened(run[0], run[-1])
        out.extend(sentence_windows(doc, sentences.sents, run, lo, hi))
    return out


def sentence_windows(doc: Doc, sents: list, run: list[int], lo: int, hi: int) -> list[Window]:
    """The text of sentences lo..hi as windows for the tokens of the `run` sentences; a text longer than
    the window (one very long sentence) is cut into pieces of MAX_PIECES."""
    start = sents[lo].start_char
    ids, offsets = pieces(doc[sents[lo].start : sents[hi].end].text)  # doc.text would join every token
    targets = [t for i in run for t in range(sents[i].start, sents[i].end)]
    out = []
    for cut in range(0, max(1, len(ids)), MAX_PIECES):
        part_ids = ids[cut : cut + MAX_PIECES]
        part_offsets = [(a + start, b + start) for a, b in offsets[cut : cut + MAX_PIECES]]
        tokens, rows = _align(doc, targets, part_offsets)
        if tokens:
            out.append(Window(part_ids, part_offsets, tokens, rows))
    return out


def _align(doc: Doc, targets: list[int], offsets: list[tuple[int, int]]) -> tuple[list[int], list[list[int]]]:
    """Each target token's rows in the window's output (+1 for [CLS]); tokens with no piece inside this
    window (spaces, or the other part of a cut sentence) are left out."""
    tokens, rows = [], []
    k = 0
    for i in targets:
        token = doc[i]
        start, end = token.idx, token.idx + len(token)
        while k < len(offsets) and offsets[k][1] <= start:
            k += 1
        mine = []
        j = k
        while j < len(offsets) and offsets[j][0] < end:
            mine.append(j + 1)
            j += 1
        if mine:
            tokens.append(i)
            rows.append(mine)
    return tokens, rows


def padded(batch: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Input ids ([CLS] ids [SEP], zero-padded to the longest window) and the attention mask of a batch,
    as the tagger reads them at run time and in training."""
    width = max(len(ids) for ids in batch) + 2
    input_ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids) + 2] = [101, *ids, 102]  # [CLS] … [SEP] in this vocabulary
        mask[row, : len(ids) + 2] = 1
    return input_ids, mask


def tag(batch: list[list[int]], graph: Path = TAGGER) -> list[np.ndarray]:
    """The tagger's logits ((pieces + 2) × LABELS, [CLS] and [SEP] included) of each window."""
    input_ids, mask = padded(batch)
    (logits,) = session(graph).run(["logits"], {"input_ids": input_ids, "attention_mask": mask})
    return [logits[row] for row in range(len(batch))]
