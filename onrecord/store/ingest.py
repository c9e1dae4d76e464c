"""`onrecord ingest`: worker processes parse, the main process writes.

    main: expand inputs → items (text decoded here, so its hash is known) → skip stored hashes
          → tasks of up to --batch items, smaller towards the end → worker pool
    workers (spawned; each loads the spaCy model once): read HTML (trafilatura), hash, skip what was
          stored when the run began, `analyze_many` the rest → rows
    main: finished rows → one transaction per --batch articles or every few seconds (Store.write)

Nothing is parsed twice across runs: the stored hashes are read before any work starts, and the
writer re-checks every hash inside its transaction.  Killing the run at any moment loses at most the
tasks in flight and the results waiting for their transaction; the same command then parses those
again and nothing else.  Any KeyboardInterrupt (Ctrl-C, and SIGTERM, which the CLI turns into one)
stops the workers and writes the finished results before it stops.  The workers die with the main
process even when it is killed with SIGKILL (`die_with_parent`), and with them multiprocessing's
resource tracker, whose pipe they were the last to hold.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from onrecord import inputs
from onrecord.errors import Errors, ModelError, OnrecordError, OptionError
from onrecord.settings import Settings
from onrecord.store.db import Store
from onrecord.store.work import Failed, Item, Outcome, Prepared, Skipped, Stored, analyze_batch, read_item

DEFAULT_BATCH = 16
MAX_DEFAULT_WORKERS = 4
PARENT_POLL_S = 0.5  # how often a worker checks that the main process is still its parent
PR_SET_PDEATHSIG = 1  # linux/prctl.h
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
    identity_seconds: float = 0.0  # the corpus identity pass at the end (onrecord/corpus/identities.py)
    statement_seconds: float = 0.0  # the statements pass after it (onrecord/corpus/statements.py)
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
            "identity_seconds": round(self.identity_seconds, 3),
            "statement_seconds": round(self.statement_seconds, 3),
            "articles_per_s": round(self.stored / self.seconds, 2) if self.seconds else 0.0,
        }


# -------------------------------------------------------------------------------------------------
# the worker side

_settings: Settings | None = None
_known: frozenset[str] = frozenset()
_startup_error: str | None = None


def _init_worker(settings: Settings, known: frozenset[str], parent: int) -> None:
    """Runs once per worker process: ignore Ctrl-C (the main process stops the pool), die with the
    main process, load the model."""
    global _settings, _known, _startup_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    _settings, _known = settings, known
    try:
        from onrecord.nlp import load

        load(settings.model)
    except ModelError as exc:
        _startup_error = str(exc)


def die_with_parent(parent: int) -> None:
    """Make this process exit when `parent` does, however it ends (SIGKILL included).

    On Linux the kernel sends SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG); everywhere a
    daemon thread also exits once the parent is gone (we are re-parented, so getppid() changes).
    Without this, `kill -9` of the main process leaves every worker, 235 MB each, running."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no usable libc: the watchdog below still works
            pass
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="onrecord-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)


def _work(items: list[Item]) -> list[Outcome]:
    """One task: read every item, skip stored hashes, analyse the rest in one `analyze_many` stream."""
    if _startup_error is not None:
        raise ModelError(_startup_error)
    assert _settings is not None
    out: list[Outcome] = []
    batch: list[Prepared] = []
    seen: set[str] = set()
    for item in items:
        prepared = read_item(item, _settings)
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

    def __init__(self, summary: Summary, enabled: bool | None = None, stream=None, interval: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.quiet = enabled is False
        self.tty = self.stream.isatty() if enabled is None else enabled
        self.total = summary.total
        self.base = (summary.stored + summary.failed, summary.skipped)  # before this bar (table folders)
        self.start = time.perf_counter()
        self.last = self.start
        self.interval = interval  # Settings.log_interval
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
    aliases: str | None = None,
) -> Summary:
    """Analyse and store every article under `paths` that `db` does not hold yet.

    Every path is checked before the database is opened, so a typo or an empty folder creates no
    database file.  At the end the corpus identity pass runs over everything stored (with the
    corrections of `aliases`, a TSV file, stored in place of the earlier ones), then the statements
    pass over the identities it gave."""
    from onrecord.corpus.identities import read_aliases
    from onrecord.store import derived, statement

    corrections = read_aliases(aliases) if aliases else None
    if workers < 1:
        raise OptionError(Errors.E150.format(value=workers))
    if batch < 1:
        raise OptionError(Errors.E151.format(value=batch))
    settings = settings or Settings.from_env()
    found = inputs.require(inputs.expand(paths))
    started = time.perf_counter()
    summary = Summary(inputs=len(found))
    store = Store.open(db)
    try:
        for folder in (i for i in found if i.kind == "tables"):
            load_tables(store, folder, summary)
        files = [i for i in found if i.kind != "tables"]
        counts = [inputs.count(i) for i in files]
        summary.total = sum(c or 0 for c in counts) if None not in counts else None
        known = store.stored_hashes()
        bar = Progress(summary, enabled=progress, interval=settings.log_interval)
        try:
            if files:
                (log or bar.log)(
                    f"ingest: {len(files)} inputs, {summary.total if summary.total is not None else '?'} "
                    f"articles, {len(known)} already in {db}, {workers} worker(s)"
                )
                Run(store, summary, bar, settings, known, workers=workers, batch=batch).run(files)
        finally:
            bar.close()
        try:
            summary.identity_seconds = identify(store, corrections, aliases)
        finally:  # the statements follow whatever identities the store now holds
            try:
                summary.statement_seconds = statement.refresh(store)
            finally:  # the lists' derived tables follow both (onrecord/store/derived.py)
                derived.refresh(store)
    finally:
        store.close()
    summary.seconds = time.perf_counter() - started
    return summary


def identify(store: Store, corrections: list | None, name: str | None) -> float:
    """The corpus pass after the articles are stored: the file's corrections replace the stored ones
    (checked against the corpus first), then every identity is recomputed.  Returns its seconds."""
    from onrecord.store import identity

    started = time.perf_counter()
    try:
        if corrections is not None:
            identity.replace_aliases(store, corrections, by=f"file {name}")
    finally:  # a file with an unknown key is refused, and the new articles still get their identities
        identity.refresh(store)
    return time.perf_counter() - started


def load_tables(store: Store, folder: inputs.Input, summary: Summary) -> None:
    """A table folder (Spark output, export): loaded as it is, its failures counted as one."""
    loaded, skipped, failed = store.load_tables(folder.path)
    summary.loaded += loaded
    summary.stored += loaded
    summary.skipped += skipped
    summary.failed += failed
    if failed:
        error = OnrecordError(Errors.E154.format(name=folder.path, count=failed))
        summary.failures.append(Failed.of(str(folder.path), error))


def task_size(remaining: int | None, workers: int, batch: int) -> int:
    """How many articles the next task takes: `batch` while there is plenty of work, then fewer.

    With one task size, the run ends with one worker finishing a full task while the others idle
    (16 articles are several seconds).  Sizing each task as a share of the work still to hand out
    (guided self-scheduling) keeps every worker busy to the end, down to single-article tasks."""
    if workers == 1 or remaining is None:
        return batch
    return max(1, min(batch, -(-remaining // (TASKS_PER_WORKER * workers))))


def _tasks(
    files: list[inputs.Input],
    known: set[str] | frozenset[str],
    batch: int,
    workers: int,
    summary: Summary,
    pending: list[Outcome],
) -> Iterator[_Task]:
    """Items grouped into tasks; stored texts skipped here already, unreadable inputs to `pending`."""
    seen: set[str] = set()
    current: list[Item] = []
    handed_out = 0  # items of `summary.total` dealt with here: in tasks, failed to read, or stored already
    for source in files:
        for item in inputs.items(source):
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
            remaining = None if summary.total is None else summary.total - handed_out
            if len(current) >= task_size(remaining, workers, batch):
                handed_out += len(current)
                yield _Task(current)
                current = []
    if current:
        yield _Task(current)


class Run:
    """One ingest run's moving parts: the worker pool, the tasks in flight, and the results waiting
    for their transaction.  The main process is the only writer; `run` is the whole of it."""

    def __init__(
        self,
        store: Store,
        summary: Summary,
        bar: Progress,
        settings: Settings,
        known: set[str],
        *,
        workers: int,
        batch: int,
    ) -> None:
        self.store, self.summary, self.bar, self.settings = store, summary, bar, settings
        self.known = frozenset(known)
        self.workers, self.batch = workers, batch
        self.pending: list[Outcome] = []  # finished, not written yet: read failures and analysed articles
        self.retries: list[_Task] = []
        self.inflight: dict[Future, _Task] = {}
        self.last_write = time.perf_counter()
        self.pool: ProcessPoolExecutor | None = None

    def run(self, files: list[inputs.Input]) -> None:
        """Every task through the pool.  On any KeyboardInterrupt (Ctrl-C, SIGTERM) the workers are
        stopped at once and what is finished is written before the interrupt goes on up."""
        tasks = _tasks(files, self.known, self.batch, self.workers, self.summary, self.pending)
        self.pool = self.start_pool()
        try:
            self.loop(tasks)
        except KeyboardInterrupt:
            self.stop()
            self.flush()  # a second interrupt rolls this transaction back, nothing more
            raise
        except BaseException:
            self.stop()
            raise
        # Every result is in and the workers hold nothing: stop them rather than wait for each to tear
        # down its interpreter and model (a third of a second, paid at the end of every run).
        self.stop()
        if self.pending:
            self.flush()

    def start_pool(self) -> ProcessPoolExecutor:
        import multiprocessing

        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(self.settings, self.known, os.getpid()),
        )

    def loop(self, tasks: Iterator[_Task]) -> None:
        exhausted = False
        while True:
            exhausted, broken = self.submit(tasks, exhausted)
            if not broken:
                if self.pending and not self.inflight:
                    self.flush()
                if not self.inflight:
                    return
                broken = self.collect()
            if broken:
                self.recover()

    def submittable(self) -> bool:
        # a retried article runs alone, so that a worker dying again names that article
        if any(t.retry for t in self.inflight.values()):
            return False
        return not self.inflight if self.retries else len(self.inflight) < self.workers * 2

    def submit(self, tasks: Iterator[_Task], exhausted: bool) -> tuple[bool, bool]:
        """Hand out tasks while there is room: (no new tasks left, the pool broke)."""
        assert self.pool is not None
        while self.submittable() and (self.retries or not exhausted):
            task = self.retries.pop(0) if self.retries else next(tasks, None)
            if task is None:
                return True, False
            try:
                self.inflight[self.pool.submit(_work, task.items)] = task
            except BrokenProcessPool:
                self.retries.insert(0, task)  # never started: it goes again as it is
                return exhausted, True
        return exhausted, False

    def collect(self) -> bool:
        """Wait for a task (finished results wait at most WRITE_EVERY_S); True when the pool broke."""
        timeout = WRITE_EVERY_S if self.pending else None
        done, _ = wait(self.inflight, timeout=timeout, return_when=FIRST_COMPLETED)
        if not done:
            self.flush()
        broken = False
        for future in done:
            if isinstance(future.exception(), BrokenProcessPool):
                broken = True
                continue
            outcomes = future.result()
            del self.inflight[future]
            self.record(outcomes)
        return broken

    def record(self, outcomes: list[Outcome]) -> None:
        self.summary.skipped += sum(1 for o in outcomes if isinstance(o, Skipped))
        self.pending.extend(o for o in outcomes if not isinstance(o, Skipped))
        waiting = sum(1 for o in self.pending if isinstance(o, Stored))
        if waiting >= self.batch or time.perf_counter() - self.last_write >= WRITE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        """One transaction for what is pending.  Writes cost the cores the workers parse on, and
        most of a small write is fixed cost, so results wait for a batch's worth (or a few seconds)."""
        writable = [o for o in self.pending if not isinstance(o, Skipped)]
        self.pending.clear()
        stored, failed = self.store.write(writable)  # type: ignore[arg-type]
        self.last_write = time.perf_counter()
        summary = self.summary
        summary.stored += stored
        summary.failed += failed
        summary.skipped += sum(1 for o in writable if isinstance(o, Stored)) - stored  # duplicates
        summary.failures.extend(o for o in writable if isinstance(o, Failed))
        self.bar.update(summary)

    def recover(self) -> None:
        """A worker died (killed for memory, a crash in native code): the pool is unusable.  Keep
        what finished, and run what was lost again one article at a time in a fresh pool; an
        article that kills a worker on its own is recorded as failed."""
        wait(self.inflight)  # once the pool is broken, every pending future settles at once
        for future, task in self.inflight.items():
            exc = future.exception()
            if exc is None:
                self.record(future.result())
            elif not isinstance(exc, BrokenProcessPool):
                raise exc
            elif task.retry:
                item = task.items[0]
                error = OnrecordError(Errors.E152.format(name=item.name))
                self.pending.append(Failed.of(item.name, error, item.hash))
            else:
                self.retries.extend(_Task([item], retry=True) for item in task.items)
        self.inflight.clear()
        assert self.pool is not None
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self.start_pool()

    def stop(self) -> None:
        if self.pool is not None:
            _terminate(self.pool)


def _terminate(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # Tasks still queued for a worker that is killed can leave the queue's feeder thread blocked on a
    # full pipe nobody reads; the pool's manager thread then waits for it, and the interpreter for the
    # manager at exit (seen once under load: "[E096] interrupted" printed, the process never ended).
    call_queue = getattr(pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def cores() -> int:
    """The CPUs this process may run on (a container's or taskset's share, not the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    return min(MAX_DEFAULT_WORKERS, cores())


def worker_count(requested: int | None, force: bool = False) -> tuple[int, str | None]:
    """The workers to start, and a line to print when a request above the core count was capped.

    Each worker holds its own model (about 235 MB) and more workers than cores only share the same
    CPUs, so asking for more is taken as a mistake unless forced."""
    if requested is None:
        return default_workers(), None
    if requested < 1:
        raise OptionError(Errors.E150.format(value=requested))
    available = cores()
    if requested <= available or force:
        return requested, None
    note = (
        f"onrecord: --workers {requested} is more than the {available} CPU cores here; using {available} "
        f"(--force-workers to start {requested})"
    )
    return available, note
