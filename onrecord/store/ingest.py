"""`onrecord ingest`: worker processes parse, the main process writes.

    main: expand inputs → items (text decoded here, so its hash is known) → skip stored hashes
          → tasks of up to --batch items, smaller towards the end → worker pool
    workers (spawned; each loads the spaCy model once): read HTML (trafilatura), hash, skip what was
          stored when the run began, `analyze_many` the rest → rows
    main: finished rows → one transaction per --batch articles or every few seconds (Store.write)

Nothing is parsed twice across runs: the stored hashes are read before any work starts, and the
writer re-checks every hash inside its transaction.  Killing the run at any moment loses at most the
tasks in flight and the results waiting for their transaction; the same command then parses those
again and nothing else.  Ctrl-C writes the finished results before it stops.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import ModelError, OptionError
from onrecord.settings import Settings
from onrecord.store import sources
from onrecord.store.db import Store
from onrecord.store.work import Failed, Item, Outcome, Prepared, Skipped, Stored, analyze_batch, read_item

LOG_INTERVAL_ENV = "ONRECORD_LOG_INTERVAL"
DEFAULT_BATCH = 16
WRITE_EVERY_S = 2.0  # finished results wait at most this long for more to share their transaction
TASKS_PER_WORKER = 3  # guided scheduling: a task is at most 1/(3 × workers) of the work left


@dataclass(slots=True)
class Summary:
    inputs: int = 0
    total: int | None = None
    stored: int = 0
    skipped: int = 0
    failed: int = 0
    loaded: int = 0  # articles loaded from table folders (Spark output, exports)
    seconds: float = 0.0
    failures: list[Failed] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.stored + self.skipped + self.failed

    def as_dict(self) -> dict:
        return {
            "inputs": self.inputs,
            "stored": self.stored,
            "loaded": self.loaded,
            "skipped": self.skipped,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "articles_per_s": round(self.stored / self.seconds, 2) if self.seconds else 0.0,
        }


# -------------------------------------------------------------------------------------------------
# the worker side

_settings: Settings | None = None
_known: frozenset[str] = frozenset()
_startup_error: str | None = None


def _init_worker(settings: Settings, known: frozenset[str]) -> None:
    """Runs once per worker process: ignore Ctrl-C (the main process stops the pool), load the model."""
    global _settings, _known, _startup_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _settings, _known = settings, known
    try:
        from onrecord.nlp import load

        load(settings.model)
    except ModelError as exc:
        _startup_error = exc.message


def _work(items: list[Item]) -> list[Outcome]:
    """One task: read every item, skip stored hashes, analyse the rest in one `analyze_many` stream."""
    if _startup_error is not None:
        raise ModelError(_startup_error)
    assert _settings is not None
    out: list[Outcome] = []
    batch: list[Prepared] = []
    seen: set[str] = set()
    for item in items:
        prepared = read_item(item)
        if isinstance(prepared, Failed):
            out.append(prepared)
        elif prepared.hash in _known or prepared.hash in seen:
            out.append(Skipped(prepared.hash, item.name))
        else:
            seen.add(prepared.hash)
            batch.append(prepared)
    if batch:
        out.extend(analyze_batch(batch, _settings))
    return out


# -------------------------------------------------------------------------------------------------
# the main process


class Progress:
    """A tqdm bar (articles/s, ETA) on a terminal; otherwise a plain line every few seconds.

    Articles skipped as already stored take no work, so they shrink the total instead of counting
    as done: the rate and the ETA are those of the articles actually analysed.
    `enabled`: None decides by the terminal, True forces the bar, False is silent."""

    def __init__(self, summary: Summary, enabled: bool | None = None, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.quiet = enabled is False
        self.tty = self.stream.isatty() if enabled is None else enabled
        self.total = summary.total
        self.base = (summary.stored + summary.failed, summary.skipped)  # before this bar (table folders)
        self.start = time.perf_counter()
        self.last = self.start
        self.interval = float(os.environ.get(LOG_INTERVAL_ENV) or 10)
        self.bar = None
        if self.tty and not self.quiet:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="article", desc="ingest", file=self.stream, smoothing=0.1)

    def log(self, message: str) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def counts(self, summary: Summary) -> tuple[int, int | None]:
        """(analysed so far, to analyse in all) in this run."""
        done = summary.stored + summary.failed - self.base[0]
        if self.total is None:
            return done, None
        return done, max(done, self.total - (summary.skipped - self.base[1]))

    def update(self, summary: Summary) -> None:
        if self.quiet:
            return
        done, total = self.counts(summary)
        if self.bar is not None:
            self.bar.total = total
            self.bar.n = done
            self.bar.set_postfix(stored=summary.stored, skipped=summary.skipped, failed=summary.failed)
            return
        now = time.perf_counter()
        if now - self.last < self.interval:
            return
        self.last = now
        self.log(self.line(summary))

    def line(self, summary: Summary) -> str:
        done, total = self.counts(summary)
        elapsed = time.perf_counter() - self.start
        rate = done / elapsed if elapsed else 0.0
        eta = f", ETA {_duration((total - done) / rate)}" if total is not None and rate else ""
        of = f"/{total}" if total is not None else ""
        return (
            f"ingest: {done}{of} articles to analyse ({summary.stored} stored, {summary.skipped} skipped, "
            f"{summary.failed} failed), {rate:.1f} articles/s{eta}"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


@dataclass(slots=True)
class _Task:
    items: list[Item]
    retry: bool = False  # a single item re-run after a worker died


def ingest(
    paths: list[str],
    db: str | Path,
    *,
    workers: int = 1,
    batch: int = DEFAULT_BATCH,
    settings: Settings | None = None,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> Summary:
    """Analyse and store every article under `paths` that `db` does not hold yet."""
    if workers < 1:
        raise OptionError(f"--workers must be at least 1, got {workers}")
    if batch < 1:
        raise OptionError(f"--batch must be at least 1, got {batch}")
    settings = settings or Settings.from_env()
    inputs = sources.expand(paths)
    started = time.perf_counter()
    summary = Summary(inputs=len(inputs))
    store = Store.open(db)
    try:
        for table_dir in (i for i in inputs if i.kind == "tables"):
            loaded, skipped, failed = store.load_tables(table_dir.path)
            summary.loaded += loaded
            summary.stored += loaded
            summary.skipped += skipped
            summary.failed += failed
            if failed:
                summary.failures.append(
                    Failed(
                        str(table_dir.path),
                        None,
                        "E001",
                        f"{table_dir.path}: {failed} articles had failed in the job that wrote these tables",
                    )
                )
        files = [i for i in inputs if i.kind != "tables"]
        counts = [sources.count(i) for i in files]
        summary.total = sum(c or 0 for c in counts) if None not in counts else None
        known = store.stored_hashes()
        bar = Progress(summary, enabled=progress)
        if log is None:
            log = bar.log
        try:
            if files:
                log(
                    f"ingest: {len(files)} inputs, {summary.total if summary.total is not None else '?'} "
                    f"articles, {len(known)} already in {db}, {workers} worker(s)"
                )
                _run(files, store, known, workers, batch, settings, summary, bar)
        finally:
            bar.close()
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def task_size(remaining: int | None, workers: int, batch: int) -> int:
    """How many articles the next task takes: `batch` while there is plenty of work, then fewer.

    With one task size, the run ends with one worker finishing a full task while the others idle
    (16 articles are several seconds).  Sizing each task as a share of the work still to hand out
    (guided self-scheduling) keeps every worker busy to the end, down to single-article tasks."""
    if workers == 1 or remaining is None:
        return batch
    return max(1, min(batch, -(-remaining // (TASKS_PER_WORKER * workers))))


def _tasks(
    files: list[sources.Input],
    known: set[str],
    batch: int,
    workers: int,
    summary: Summary,
    pending: list[Outcome],
):
    """Items grouped into tasks; stored texts skipped here already, unreadable inputs to `pending`."""
    seen: set[str] = set()
    current: list[Item] = []
    handed_out = 0  # items of `summary.total` dealt with here: in tasks, failed to read, or stored already

    def size() -> int:
        remaining = None if summary.total is None else summary.total - handed_out
        return task_size(remaining, workers, batch)

    for source in files:
        for item in sources.items(source):
            if isinstance(item, Failed):
                pending.append(item)
                handed_out += 1
                continue
            hash_ = item.hash
            if hash_ is not None:
                if hash_ in known or hash_ in seen:
                    summary.skipped += 1
                    handed_out += 1
                    continue
                seen.add(hash_)
            current.append(item)
            if len(current) >= size():
                handed_out += len(current)
                yield _Task(current)
                current = []
    if current:
        yield _Task(current)


def _run(
    files: list[sources.Input],
    store: Store,
    known: set[str],
    workers: int,
    batch: int,
    settings: Settings,
    summary: Summary,
    bar: Progress,
) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    frozen = frozenset(known)

    def start() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(settings, frozen))

    # finished outcomes not written yet: read failures, and results gathered into fewer transactions
    pending: list[Outcome] = []
    tasks: Iterator[_Task] = _tasks(files, known, batch, workers, summary, pending)
    retries: list[_Task] = []
    inflight: dict[Future, _Task] = {}
    limit = workers * 2
    last_write = time.perf_counter()
    pool = start()

    def record(outcomes: list[Outcome]) -> None:
        summary.skipped += sum(1 for o in outcomes if isinstance(o, Skipped))
        pending.extend(o for o in outcomes if not isinstance(o, Skipped))
        waiting = sum(1 for o in pending if isinstance(o, Stored))
        if waiting >= batch or time.perf_counter() - last_write >= WRITE_EVERY_S:
            flush()

    def flush() -> None:
        """One transaction for what is pending.  Writes cost the cores the workers parse on, and
        most of a small write is fixed cost, so results wait for a batch's worth (or a few seconds)."""
        nonlocal last_write
        writable = list(pending)
        pending.clear()
        stored, failed = store.write(writable)  # type: ignore[arg-type]
        last_write = time.perf_counter()
        summary.stored += stored
        summary.failed += failed
        summary.skipped += sum(1 for o in writable if isinstance(o, Stored)) - stored  # duplicates
        summary.failures.extend(o for o in writable if isinstance(o, Failed))
        bar.update(summary)

    def submittable() -> bool:
        # a retried article runs alone, so that a worker dying again names that article
        if any(t.retry for t in inflight.values()):
            return False
        return not inflight if retries else len(inflight) < limit

    def recover() -> None:
        """A worker died (killed for memory, a crash in native code): the pool is unusable.  Keep
        what finished, and run what was lost again one article at a time in a fresh pool; an
        article that kills a worker on its own is recorded as failed."""
        nonlocal pool
        wait(inflight)  # once the pool is broken, every pending future settles at once
        for future, task in inflight.items():
            exc = future.exception()
            if exc is None:
                record(future.result())
            elif not isinstance(exc, BrokenProcessPool):
                raise exc
            elif task.retry:
                item = task.items[0]
                pending.append(Failed(item.name, item.hash, "internal", f"{item.name}: the worker died on it"))
            else:
                retries.extend(_Task([item], retry=True) for item in task.items)
        inflight.clear()
        pool.shutdown(wait=True, cancel_futures=True)
        pool = start()

    try:
        exhausted = False
        while True:
            broken = False
            while submittable() and (retries or not exhausted):
                task = retries.pop(0) if retries else next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                try:
                    inflight[pool.submit(_work, task.items)] = task
                except BrokenProcessPool:
                    retries.insert(0, task)  # never started: it goes again as it is
                    broken = True
                    break
            if not broken:
                if pending and not inflight:
                    flush()
                if not inflight:
                    break
                # finished results wait at most WRITE_EVERY_S, however long the tasks in flight take
                done, _ = wait(inflight, timeout=WRITE_EVERY_S if pending else None, return_when=FIRST_COMPLETED)
                if not done:
                    flush()
                for future in done:
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken = True
                        continue
                    outcomes = future.result()
                    del inflight[future]
                    record(outcomes)
            if broken:
                recover()
    except KeyboardInterrupt:
        _terminate(pool)  # stop the workers now, not after their current task
        flush()  # keep what is finished (a second Ctrl-C rolls this transaction back, nothing more)
        raise
    except BaseException:
        _terminate(pool)
        raise
    # Every result is in and the workers hold nothing: stop them rather than wait for each to tear
    # down its interpreter and model (a third of a second, paid at the end of every run).
    _terminate(pool)
    if pending:
        flush()


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))
