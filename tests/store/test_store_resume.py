"""`kill -9` in the middle of `onrecord ingest`, then the same command: nothing lost, nothing twice."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.store.conftest import all_tables, onrecord

STORED = re.compile(r"\((\d+) stored")


def start_ingest(corpus, db) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "ONRECORD_LOG_INTERVAL": "0"}
    args = ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--batch", "1"]
    return subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, so its workers can be cleaned up below
        preexec_fn=_default_signals,
    )


def _default_signals() -> None:
    """A child starts with SIGINT and SIGTERM at their defaults, whatever the test process has: an
    ignored SIGINT would be inherited and make Ctrl-C a no-op in the child (a lost signal seen in full runs)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


def kill_after(proc: subprocess.Popen, stored: int, timeout: float = 240) -> str:
    """SIGKILL the ingest's main process once its log says `stored` articles are committed."""
    log = []
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            log.append(line)
            match = STORED.search(line)
            if match and int(match[1]) >= stored:
                os.kill(proc.pid, signal.SIGKILL)  # the writer dies wherever it is, mid-transaction or not
                break
            assert time.monotonic() < deadline, "".join(log)
        proc.wait(timeout=60)
    finally:
        # kill -9 reaches only the main process; its worker processes exit when their pipe closes,
        # and anything left of this process group (started by this test) is ended here
        time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    return "".join(log)


def test_kill_9_and_rerun_loses_and_duplicates_nothing(tmp_path, txt_corpus, reference_db):
    db = tmp_path / "killed.db"
    counts = []
    for threshold in (3, 12):
        proc = start_ingest(txt_corpus, db)
        log = kill_after(proc, threshold)
        assert proc.returncode == -signal.SIGKILL, log
        stored = len(all_tables(db)["articles"])
        counts.append(stored)
        assert threshold <= stored < 30, (stored, log)  # really stopped half-way
    assert counts[1] > counts[0]
    result = onrecord("ingest", str(txt_corpus), "--db", str(db), "--workers", "1", "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert '"skipped": ' + str(counts[1]) in result.stdout
    # exactly the rows an uninterrupted run stores: every table, every row, once
    resumed, reference = all_tables(db), all_tables(reference_db)
    for name, rows in reference.items():
        assert resumed[name] == rows, name
    assert len(resumed["articles"]) == 30


def test_a_worker_killed_mid_run_is_replaced_and_nothing_is_lost(tmp_path, txt_corpus, reference_db):
    """A worker process dying (the kernel's OOM killer, a native crash) costs its task a rerun, no more."""
    db = tmp_path / "worker-killed.db"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "ONRECORD_LOG_INTERVAL": "0"}
    args = ["ingest", str(txt_corpus), "--db", str(db), "--workers", "2", "--batch", "2", "--json"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert proc.stderr is not None
    killed = None
    for line in proc.stderr:
        match = STORED.search(line)
        if match and int(match[1]) >= 2:
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
            killed = int(workers[0])
            os.kill(killed, signal.SIGKILL)
            break
    out, err = proc.communicate(timeout=300)
    assert killed is not None
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert '"stored": 30' in out
    assert all_tables(db) == all_tables(reference_db)


def test_ctrl_c_stops_cleanly_and_the_rerun_completes(tmp_path, txt_corpus, reference_db):
    db = tmp_path / "interrupted.db"
    proc = start_ingest(txt_corpus, db)
    assert proc.stderr is not None
    for line in proc.stderr:
        match = STORED.search(line)
        if match and int(match[1]) >= 2:
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: the whole group
            break
    rest = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 130, rest
    assert "Traceback" not in rest and "interrupted" in rest
    result = onrecord("ingest", str(txt_corpus), "--db", str(db), "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert all_tables(db) == all_tables(reference_db)
