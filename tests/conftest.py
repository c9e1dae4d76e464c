"""Shared fixtures: the real spaCy model (loaded once per session), the web test corpus in a real DuckDB file
(ingested once per session), and paths to optional data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTICLES = Path(__file__).parent / "articles"
MINI = Path(__file__).parent / "data" / "model_mini"  # a tiny brat corpus of three articles
WEB_CORPUS = Path(__file__).parent / "web" / "articles" / "corpus.jsonl"  # six made-up articles, two outlets and a wire


@pytest.fixture(scope="session")
def nlp():
    from onrecord.nlp import load
    from onrecord.settings import DEFAULT_MODEL

    return load(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def analyze(nlp):
    """onrecord.analyze with the session's model already loaded."""
    import onrecord

    return onrecord.analyze


def needs_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test cleanly when that folder is not on this machine."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available here")
    return path


def ingest_quietly(inputs: list[str], path: Path):
    """`onrecord ingest` of `inputs` into a new database at `path` (one worker, no output); its summary."""
    from onrecord.store.ingest import ingest

    return ingest(inputs, path, workers=1, progress=False, log=lambda message: None)


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, nlp) -> Path:
    """The web test corpus ingested once through the store's real path, shared by the web and bad-input suites.

    Every test reads it only (the pages open it read-only); a test that corrects speakers copies it first.
    """
    path = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    summary = ingest_quietly([str(WEB_CORPUS)], path)
    assert summary.stored == 6 and summary.failed == 0, summary.failures
    return path


def stored_hashes(db: Path) -> dict[str, str]:
    """Article name → content hash, read straight from the database (not through the code under test)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT name, hash FROM articles").fetchall())
    finally:
        con.close()
