"""Fixtures for the corpus store: a made-up corpus on disk and an uninterrupted reference ingest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.corpus import articles, write_txt


def onrecord(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a real subprocess."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "onrecord.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


def table(db: Path, name: str) -> list[tuple]:
    """Every row of a table, sorted, without the columns that record when a row was written."""
    from onrecord.store.db import Store
    from onrecord.store.tables import CLOCK_COLUMNS, columns

    keep = [c for c in columns(name) if c not in CLOCK_COLUMNS]
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(f"SELECT {', '.join(keep)} FROM {name}").fetchall()
    return sorted(rows, key=repr)


def all_tables(db: Path) -> dict[str, list[tuple]]:
    from onrecord.store.tables import TABLES

    return {name: table(db, name) for name in TABLES}


@pytest.fixture(scope="session")
def docs() -> list[dict]:
    return articles(30)


@pytest.fixture(scope="session")
def txt_corpus(tmp_path_factory, docs) -> Path:
    return write_txt(tmp_path_factory.mktemp("corpus") / "txt", docs)


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory, txt_corpus) -> Path:
    """The txt corpus ingested once, uninterrupted, with two workers."""
    from onrecord.store.ingest import ingest

    db = tmp_path_factory.mktemp("reference") / "reference.db"
    summary = ingest([str(txt_corpus)], db, workers=2, batch=4, progress=False, log=lambda _: None)
    assert summary.stored == 30 and summary.failed == 0
    return db
