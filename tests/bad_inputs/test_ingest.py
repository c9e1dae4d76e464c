"""`onrecord ingest` on bad paths, bad settings, too many workers and signals: one line, the right exit
code, no traceback, no database created for a run that cannot start, nothing stored lost or changed,
and no process of the run left behind however it ends."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import common, main
from onrecord.inputs import Failed, Item
from onrecord.store import ingest as ingest_module
from onrecord.store.db import Store, column_values
from onrecord.store.ingest import Progress, Run, Summary, worker_count
from onrecord.store.tables import CLOCK_COLUMNS, TABLES, columns
from onrecord.store.work import Stored, article_rows
from tests.store.corpus import articles, write_txt

from .checks import assert_clean_failure

STORED = re.compile(r"\((\d+) stored")


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["ingest", *args], env=env)


# ------------------------------------------------------------------------------------------ paths


def test_an_empty_folder_is_one_line_and_creates_no_database(tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "corpus.duckdb"
    assert_clean_failure(invoke(str(tmp_path / "empty"), "--db", str(db)), "E017")
    assert not db.exists()


def test_a_missing_path_is_one_line_and_creates_no_database(tmp_path):
    write_txt(tmp_path / "in", articles(1))
    db = tmp_path / "corpus.duckdb"
    assert_clean_failure(invoke(str(tmp_path / "in"), str(tmp_path / "nowhere"), "--db", str(db)), "E016")
    assert not db.exists()


def test_a_bad_log_interval_is_refused_before_anything_is_written(tmp_path):
    write_txt(tmp_path / "in", articles(1))
    db = tmp_path / "corpus.duckdb"
    result = invoke(str(tmp_path / "in"), "--db", str(db), env={"ONRECORD_LOG_INTERVAL": "x"})
    assert "ONRECORD_LOG_INTERVAL" in assert_clean_failure(result)
    assert not db.exists()


def test_the_log_interval_comes_from_settings_not_the_environment(monkeypatch):
    monkeypatch.setenv("ONRECORD_LOG_INTERVAL", "x")  # never read here: the CLI validated Settings already
    assert Progress(Summary(), enabled=False, interval=3.0).interval == 3.0


# ---------------------------------------------------------------------------------------- workers


def test_workers_above_the_cores_are_capped_unless_forced(monkeypatch):
    monkeypatch.setattr(ingest_module, "cores", lambda: 2)
    count, note = worker_count(8)
    assert count == 2 and note and "--workers 8" in note and "--force-workers" in note
    assert worker_count(8, force=True) == (8, None)
    assert worker_count(2) == (2, None)
    assert worker_count(None)[0] == 2


def test_the_cli_says_so_in_one_line_and_runs_with_the_cores(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "cores", lambda: 1)
    corpus = write_txt(tmp_path / "in", articles(2))
    result = invoke(str(corpus), "--db", str(tmp_path / "c.duckdb"), "--workers", "3", "--json", "--no-model")
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if "--workers 3" in line]
    assert len(notes) == 1 and "using 1" in notes[0]
    assert json.loads(result.stdout)["stored"] == 2


# --------------------------------------------------------------------------- the run, tested alone


class FakeStore:
    def __init__(self) -> None:
        self.writes: list[list] = []

    def write(self, outcomes):
        outcomes = list(outcomes)
        self.writes.append(outcomes)
        return sum(isinstance(o, Stored) for o in outcomes), sum(isinstance(o, Failed) for o in outcomes)


def fake_run(batch: int = 2) -> tuple[Run, FakeStore]:
    store = FakeStore()
    summary = Summary()
    run = Run(store, summary, Progress(summary, enabled=False), None, set(), workers=1, batch=batch)  # type: ignore[arg-type]
    return run, store


def stored(name: str) -> Stored:
    return Stored(hash=name, name=name, rows={})


def test_results_wait_for_a_batch_then_share_one_transaction(monkeypatch):
    monkeypatch.setattr(ingest_module, "WRITE_EVERY_S", 1e9)
    run, store = fake_run(batch=2)
    run.record([stored("a")])
    assert store.writes == []
    run.record([stored("b"), Failed("c", None, "E011", "c: the input is empty")])
    assert [len(w) for w in store.writes] == [3]
    assert (run.summary.stored, run.summary.failed) == (2, 1)


def test_an_interrupt_stops_the_workers_and_writes_what_is_finished(monkeypatch):
    """Ctrl-C and SIGTERM (which the CLI raises as a KeyboardInterrupt) end a run the same way."""
    run, store = fake_run(batch=100)
    stopped = []

    def loop(self, tasks):
        self.pending.append(stored("done"))
        raise KeyboardInterrupt

    monkeypatch.setattr(Run, "start_pool", lambda self: "pool")
    monkeypatch.setattr(Run, "loop", loop)
    monkeypatch.setattr(Run, "stop", lambda self: stopped.append(self.pool))
    with pytest.raises(KeyboardInterrupt):
        run.run([])
    assert stopped == ["pool"]
    assert [[o.name for o in w] for w in store.writes] == [["done"]]


# ------------------------------------------------------------------------------------ rows by name


def test_rows_are_dicts_keyed_by_every_column_of_their_table():
    record = {
        "schema": "onrecord.article/1",
        "text": "Hi, she said.",
        "meta": {"published": "2031-02-03"},
        "entities": [{"id": "e1", "name": "Ann", "mentions": [{"start": 0, "end": 2, "text": "Hi"}]}],
        "attributions": [{"id": "a1", "source": {"name": "Ann", "kind": "person"}, "via": [{"name": "X"}]}],
        "repairs": [{"start": 0, "end": 1, "original": "x", "replacement": "y"}],
    }
    rows = article_rows("h", Item(name="n", origin="o"), record)
    for table, table_rows in rows.items():
        assert table_rows, table
        for row in table_rows:
            assert set(row) == set(columns(table)) - CLOCK_COLUMNS, table
    assert rows["attributions"][0]["source_key"] == "person:ann" and rows["speakers"][0]["name"] == "Ann"


def test_the_writer_refuses_a_row_with_an_unknown_or_missing_column(tmp_path):
    row = {name: None for name in columns("repairs")}
    assert column_values("repairs", [row])["n"] == [None]
    with pytest.raises(ValueError, match="unknown \\['extra'\\]"):
        column_values("repairs", [{**row, "extra": 1}])
    with pytest.raises(ValueError, match="missing \\['n'\\]"):
        column_values("repairs", [{k: v for k, v in row.items() if k != "n"}])
    with Store.open(tmp_path / "x.db") as store:
        bad = Stored("h", "n", {"articles": [{"hash": "h"}]})
        with pytest.raises(ValueError):
            store.write([bad])
        assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0  # rolled back
    assert set(TABLES) >= {"articles", "failures"}


# ------------------------------------------------------------------------- signals, real processes

# Until cli/common.py turns SIGTERM into its Terminated(KeyboardInterrupt) (the shell engineer's part),
# this shim does the same for the test; with it in place the shim does nothing and the code is 143.
SHIM = """
import runpy, signal, sys
from onrecord.cli import common
if not hasattr(common, "Terminated"):
    class Terminated(KeyboardInterrupt):
        pass
    def _raise(signum, frame):
        raise Terminated()
    signal.signal(signal.SIGTERM, _raise)
sys.argv = ["onrecord", *sys.argv[1:]]
runpy.run_module("onrecord.cli", run_name="__main__")
"""
SIGTERM_EXIT = 143 if hasattr(common, "Terminated") else 130


def start(corpus: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "ONRECORD_LOG_INTERVAL": "0"}
    args = ["ingest", str(corpus), "--db", str(db), "--workers", "2", "--batch", "1", "--no-model"]
    return subprocess.Popen(
        [sys.executable, "-c", SHIM, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (workers, the resource tracker), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def wait_for_stored(proc: subprocess.Popen, n: int, timeout: float = 240) -> tuple[int, list[str]]:
    assert proc.stderr is not None
    deadline, log = time.monotonic() + timeout, []
    for line in proc.stderr:
        log.append(line)
        match = STORED.search(line)
        if match and int(match[1]) >= n:
            return int(match[1]), log
        assert time.monotonic() < deadline, "".join(log)
    raise AssertionError("ingest ended before storing anything: " + "".join(log))


def assert_all_gone(children: set[int], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if alive(pid)], "left behind: " + ", ".join(
        Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200] for pid in children if alive(pid)
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_txt(tmp_path_factory.mktemp("signals") / "in", articles(30))


def test_kill_9_of_the_main_process_leaves_no_worker_or_resource_tracker(corpus, tmp_path):
    proc = start(corpus, tmp_path / "killed.db")
    try:
        wait_for_stored(proc, 1)
        children = descendants(proc.pid)
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children]
        assert sum(b"spawn_main" in c for c in commands) == 2 and any(b"resource_tracker" in c for c in commands)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert_all_gone(children)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def test_sigterm_writes_what_is_finished_stops_every_process_and_the_rerun_completes(corpus, tmp_path):
    db = tmp_path / "terminated.db"
    proc = start(corpus, db)
    try:
        logged, _ = wait_for_stored(proc, 2)
        children = descendants(proc.pid)
        os.kill(proc.pid, signal.SIGTERM)  # what `kill PID` sends
        rest = proc.stderr.read() if proc.stderr else ""
        proc.wait(timeout=60)
        assert proc.returncode == SIGTERM_EXIT, rest
        assert "Traceback" not in rest
        assert len([line for line in rest.splitlines() if line.startswith("onrecord: error")]) == 1, rest
        assert_all_gone(children)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with Store.open(db, read_only=True) as store:
        kept = store.con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert logged <= kept < 30
    result = CliRunner().invoke(
        main, ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--json", "--no-model"]
    )
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["skipped"] == kept and summary["stored"] == 30 - kept
