"""`onrecord bench`: the full analysis measured against its ceiling, raw spaCy `nlp.pipe`.

Both sides load the model from scratch inside the timed region (start-up counts: users pay it on
every command) and run in the same process, alternating, so that machine noise hits both alike.
"""

from __future__ import annotations

import contextlib
import resource
import time
from dataclasses import dataclass, replace
from pathlib import Path

from onrecord.errors import Errors, InputError
from onrecord.inputs import Document, Failed, iter_documents
from onrecord.settings import Settings


@dataclass(slots=True)
class Timing:
    seconds: float
    articles: int
    words: int

    def as_dict(self) -> dict[str, float]:
        return {
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.articles / self.seconds, 2),
            "words_per_s": round(self.words / self.seconds, 1),
        }


def reset_peak() -> None:
    """Start a new peak-memory measurement (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):  # elsewhere the peak is the process's since its start
        Path("/proc/self/clear_refs").write_text("5")


def peak_mb() -> float:
    """This process's peak resident memory since the last `reset_peak`, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """The largest peak resident memory of any finished child process (ingest workers), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def raw_spacy(texts: list[str], settings: Settings) -> float:
    """The ceiling: load the same model and parse the same texts, nothing else."""
    import spacy

    start = time.perf_counter()
    nlp = spacy.load(settings.model)
    nlp.max_length = max(nlp.max_length, *(len(t) + 1 for t in texts))
    for _ in nlp.pipe(texts, batch_size=settings.batch_size):
        pass
    return time.perf_counter() - start


def full_analysis(documents: list[Document], settings: Settings) -> float:
    """Everything `onrecord analyze` does after reading: load, repair, parse, attribute, serialise."""
    from onrecord import encoder, nlp
    from onrecord.pipeline import analyze_many

    nlp.load.cache_clear()
    encoder.clear_caches()  # the encoder's start-up counts, as spaCy's does
    start = time.perf_counter()
    for record in analyze_many(documents, settings=settings):
        record.to_json(indent=None)
    return time.perf_counter() - start


def run_bench(paths: list[str], *, settings: Settings, repeat: int = 1) -> dict:
    """Raw spaCy, the default analysis and, where the encoder is installed, the accurate mode (`--accurate`),
    alternating in one process, best of `repeat`."""
    from onrecord import encoder

    documents = [d for d in iter_documents(paths) if not isinstance(d, Failed)]
    if not documents:
        raise InputError(Errors.E077)
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    modes = {"onrecord": replace(settings, accurate=False)}
    if settings.accurate or encoder.available():
        modes["accurate"] = replace(settings, accurate=True)
    best = {"raw_spacy": float("inf"), **{mode: float("inf") for mode in modes}}
    peaks = dict.fromkeys(best, 0.0)
    for _ in range(max(1, repeat)):
        reset_peak()
        best["raw_spacy"] = min(best["raw_spacy"], raw_spacy(texts, settings))
        peaks["raw_spacy"] = max(peaks["raw_spacy"], peak_mb())
        for mode, mode_settings in modes.items():
            reset_peak()
            best[mode] = min(best[mode], full_analysis(documents, mode_settings))
            peaks[mode] = max(peaks[mode], peak_mb())
    report = {
        "model": settings.model,
        "articles": len(texts),
        "words": words,
        **{side: Timing(seconds, len(texts), words).as_dict() for side, seconds in best.items()},
        "ratio": round(best["raw_spacy"] / best["onrecord"], 3),
        "peak_rss_mb": {side: round(mb, 1) for side, mb in peaks.items()},
        "longest_article_chars": max(len(t) for t in texts),
    }
    if "accurate" in modes:
        report["accurate_ratio"] = round(best["raw_spacy"] / best["accurate"], 3)
    return report


def format_report(report: dict) -> str:
    rows = [("raw spaCy pipe", "raw_spacy"), ("onrecord analyze", "onrecord"), ("  --accurate", "accurate")]
    lines = [
        f"model {report['model']}: {report['articles']} articles, {report['words']:,} words",
        f"{'':18}{'seconds':>10}{'articles/s':>12}{'words/s':>12}{'vs raw':>8}{'peak MB':>9}",
    ]
    for label, side in rows:
        if side not in report:
            continue
        t = report[side]
        ratio = 1.0 if side == "raw_spacy" else report["ratio" if side == "onrecord" else "accurate_ratio"]
        lines.append(
            f"{label:18}{t['seconds']:>10.2f}{t['articles_per_s']:>12.2f}{t['words_per_s']:>12,.0f}"
            f"{ratio:>8.3f}{report['peak_rss_mb'][side]:>9,.0f}"
        )
    lines.append(f"ratio (onrecord / raw throughput): {report['ratio']:.3f}")
    if "accurate_ratio" in report:
        lines.append(f"ratio (onrecord --accurate / raw throughput): {report['accurate_ratio']:.3f}")
    lines.append(f"longest article {report['longest_article_chars']:,} chars")
    return "\n".join(lines)


def run_ingest_bench(paths: list[str], *, settings: Settings, repeat: int = 1, workers=(1, 2)) -> dict:
    """`onrecord bench --ingest`: ingest throughput (fresh database, worker start-up and model loads
    included) with 1 and 2 worker processes, next to raw spaCy `nlp.pipe` on the same texts."""
    import tempfile
    from pathlib import Path

    from onrecord import inputs
    from onrecord.store.ingest import ingest
    from onrecord.store.work import Item, Prepared, read_item

    texts = []
    for source in inputs.require(inputs.expand(paths)):
        if source.kind == "tables":
            continue
        for item in inputs.items(source):
            prepared = read_item(item) if isinstance(item, Item) else None
            if isinstance(prepared, Prepared):
                texts.append(prepared.document.text)
    if not texts:
        raise InputError(Errors.E077)
    words = sum(len(t.split()) for t in texts)
    raw_best = float("inf")
    best = {n: float("inf") for n in workers}
    stored = {n: 0 for n in workers}
    for _ in range(max(1, repeat)):
        raw_best = min(raw_best, raw_spacy(texts, settings))
        for n in workers:
            with tempfile.TemporaryDirectory(prefix="onrecord-bench-") as tmp:
                start = time.perf_counter()
                db = Path(tmp) / "bench.db"
                summary = ingest(paths, db, workers=n, settings=settings, progress=False, log=lambda _: None)
                best[n] = min(best[n], time.perf_counter() - start)
                stored[n] = summary.stored
    raw = Timing(raw_best, len(texts), words)
    rate = {n: stored[n] / best[n] for n in workers}
    return {
        "model": settings.model,
        "articles": len(texts),
        "words": words,
        "raw_spacy": raw.as_dict(),
        "ingest": {str(n): {**Timing(best[n], stored[n], words).as_dict(), "stored": stored[n]} for n in workers},
        "ratio": {str(n): round(rate[n] / (len(texts) / raw_best), 3) for n in workers},
        # each worker count's throughput over the first's: what adding workers buys
        "scaling": {str(n): round(rate[n] / rate[workers[0]], 3) if rate[workers[0]] else 0.0 for n in workers},
        "worker_peak_rss_mb": round(children_peak_mb(), 1),
    }


def format_ingest_report(report: dict) -> str:
    raw = report["raw_spacy"]
    lines = [
        f"model {report['model']}: {report['articles']} articles, {report['words']:,} words",
        f"{'':22}{'seconds':>10}{'articles/s':>12}{'words/s':>12}{'vs raw':>8}",
        f"{'raw spaCy pipe':22}{raw['seconds']:>10.2f}{raw['articles_per_s']:>12.2f}"
        f"{raw['words_per_s']:>12,.0f}{1:>8.3f}",
    ]
    for n, timing in report["ingest"].items():
        label = f"ingest, {n} worker{'s' if n != '1' else ''}"
        lines.append(
            f"{label:22}{timing['seconds']:>10.2f}{timing['articles_per_s']:>12.2f}"
            f"{timing['words_per_s']:>12,.0f}{report['ratio'][n]:>8.3f}"
        )
    first, *more = report["scaling"]
    lines += [f"{n} workers / {first}: {report['scaling'][n]:.2f}x the throughput" for n in more]
    lines.append(f"peak memory of one worker (RSS): {report['worker_peak_rss_mb']:,.0f} MB")
    return "\n".join(lines)
