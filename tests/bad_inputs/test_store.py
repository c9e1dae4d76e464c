"""The corpus store refuses what it cannot use in one line (exit 2), and changes nothing on disk.

Damaged databases (truncated, a few 4 KB blocks overwritten), negative limits, an export folder that
cannot be written or is not empty, and table folders whose manifest and files disagree.  The stores
here are built with SQL (no model needed), big enough to span many DuckDB blocks.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.errors import CorpusUnavailable, StoreError
from onrecord.store.db import Store, write_marker
from onrecord.store.tables import EXPORTED, TABLES_MARKER

from .checks import assert_clean_failure

QUERIES = [
    ["query", "stats"],
    ["query", "speakers", "--limit", "0"],
    ["query", "quotes", "--limit", "0"],
    ["query", "sources"],
]
BLOCK = 4096


def build(path: Path, n: int = 3000, seed: int = 0) -> Path:
    """A real onrecord database (migrated by Store.open) with `n` articles of made-up text and rows."""
    with Store.open(path) as store:
        con = store.con
        con.execute(
            f"""
            INSERT INTO articles (hash, name, origin, publisher, published, published_date, schema,
                                  n_attributions, text, record, ingested_at)
            SELECT md5('{seed}' || i), 'a' || i, 'feed.jsonl', 'Paper ' || (i % 3), '2031-01-01',
                   DATE '2031-01-01' + (i % 300)::INTEGER, 'onrecord.article/1', 2,
                   repeat(md5(i::VARCHAR || '{seed}'), 20), '{{"attributions": []}}', now()::TIMESTAMP
            FROM range({n}) r(i)
            """
        )
        con.execute(
            """
            INSERT INTO attributions (article, id, type, content_text, source_name, source_kind,
                                      source_anonymous, source_key, via)
            SELECT hash, 'a' || j, CASE WHEN j = 0 THEN 'direct' ELSE 'indirect' END,
                   'said ' || md5(hash || j), 'Speaker ' || (hash[1:2]), 'person', j = 1,
                   'person:speaker ' || lower(hash[1:2]), CASE WHEN j = 1 THEN ['Northwire'] ELSE [] END
            FROM articles, range(2) r(j)
            """
        )
        con.execute(
            "INSERT INTO speakers SELECT DISTINCT source_key, min(source_name), 'person' FROM attributions GROUP BY 1"
        )
        con.execute("CHECKPOINT")
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("store") / "good.duckdb")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncated(good: Path, folder: Path) -> Path:
    path = folder / "t.duckdb"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    return path


def damaged(good: Path, folder: Path, seed: int = 1) -> Path:
    """A copy with a few 4 KB blocks in the middle of the file overwritten with garbage."""
    path = folder / f"c{seed}.duckdb"
    shutil.copy(good, path)
    size, rnd = path.stat().st_size, random.Random(seed)
    with path.open("r+b") as f:
        for _ in range(6):
            f.seek(rnd.randrange(size // BLOCK // 4, size // BLOCK * 3 // 4) * BLOCK)
            f.write(os.urandom(BLOCK))
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args", [*QUERIES, ["export", "--parquet", "OUT"]], ids=" ".join)
def test_a_truncated_database_is_one_line_and_unchanged(good, tmp_path, args):
    db = truncated(good, tmp_path)
    before = digest(db)
    argv = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    assert_clean_failure(run(*argv, "--db", str(db)), "E125")
    assert digest(db) == before and not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.duckdb"]  # no .wal either


@pytest.mark.parametrize("args", QUERIES, ids=" ".join)
def test_a_damaged_database_answers_right_or_fails_in_one_line(good, tmp_path, args):
    """DuckDB checks a block when a query reads it: a query that reads no damaged block answers exactly
    what the intact file answers; one that does fails in one line.  Never a traceback or a wrong row."""
    db = damaged(good, tmp_path)
    before = digest(db)
    result = run(*args, "--db", str(db), "--format", "json")
    if result.exit_code == 0:
        assert result.output == run(*args, "--db", str(good), "--format", "json").output
    else:
        assert_clean_failure(result, "E125")
    assert digest(db) == before


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_export_and_open_for_writing_refuse_a_damaged_database(good, tmp_path, seed):
    """export reads every block, and so does Store.open before it writes (ingest): both refuse, untouched."""
    db = damaged(good, tmp_path, seed)
    before = digest(db)
    assert_clean_failure(run("export", "--db", str(db), "--parquet", str(tmp_path / "out")), "E125")
    assert not (tmp_path / "out").exists()
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert caught.value.code == "E125"
    assert digest(db) == before and sorted(p.name for p in tmp_path.iterdir()) == [db.name]


def test_open_for_writing_refuses_a_truncated_database(good, tmp_path):
    db = truncated(good, tmp_path)
    before = digest(db)
    with pytest.raises(StoreError) as caught:
        Store.open(db)
    assert caught.value.code == "E125"
    assert digest(db) == before and sorted(p.name for p in tmp_path.iterdir()) == ["t.duckdb"]


@pytest.mark.parametrize("command", ["quotes", "speakers"])
def test_a_negative_limit_is_refused(good, command):
    before = digest(good)
    assert_clean_failure(run("query", command, "--db", str(good), "--limit", "-1"), "E140")
    assert digest(good) == before


def test_export_where_no_folder_can_be_made(good, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    assert_clean_failure(run("export", "--db", str(good), "--parquet", str(blocker / "sub")), "E138")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_export_into_a_read_only_folder(good, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert_clean_failure(run("export", "--db", str(good), "--parquet", str(folder)), "E138")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def spark_like(folder: Path, source: Path) -> None:
    """An older Spark output: DIR/<table>/part-0.parquet from another database, with its manifest."""
    import duckdb

    con = duckdb.connect(str(source), read_only=True)
    try:
        for table in EXPORTED:
            (folder / table).mkdir(parents=True)
            con.execute(f"COPY {table} TO '{folder / table / 'part-0.parquet'}' (FORMAT parquet)")
    finally:
        con.close()
    write_marker(folder, "spark", 1)


def test_export_into_a_folder_that_is_not_empty_needs_overwrite(good, tmp_path):
    folder = tmp_path / "out"
    spark_like(folder, build(tmp_path / "other.duckdb", n=40, seed=7))
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert_clean_failure(run("export", "--db", str(good), "--parquet", str(folder)), "E137")
    assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before

    result = run("export", "--db", str(good), "--parquet", str(folder), "--overwrite")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{t}.parquet" for t in EXPORTED] + [TABLES_MARKER, "notes.txt"]
    )
    assert json.loads((folder / TABLES_MARKER).read_text(encoding="utf-8"))["layout"] == "export"


def test_a_table_folder_is_loaded_as_its_manifest_says(good, tmp_path):
    """Spark tables of another database beside an export: the manifest (export) decides what is loaded."""
    folder = tmp_path / "out"
    assert run("export", "--db", str(good), "--parquet", str(folder)).exit_code == 0
    spark_like(tmp_path / "old", build(tmp_path / "other.duckdb", n=40, seed=7))
    for table in EXPORTED:
        shutil.copytree(tmp_path / "old" / table, folder / table)
    with Store.open(tmp_path / "copy.duckdb") as store:
        stored, skipped, _ = store.load_tables(folder)
    assert (stored, skipped) == (3000, 0)

    (folder / TABLES_MARKER).unlink()
    write_marker(folder, "spark", 1)
    with Store.open(tmp_path / "spark.duckdb") as store:
        assert store.load_tables(folder)[0] == 40


def test_a_manifest_with_an_unknown_layout_or_missing_tables_is_refused(good, tmp_path):
    folder = tmp_path / "out"
    assert run("export", "--db", str(good), "--parquet", str(folder)).exit_code == 0
    write_marker(folder, "sideways", 1)
    with Store.open(tmp_path / "a.duckdb") as store, pytest.raises(StoreError) as caught:
        store.load_tables(folder)
    assert caught.value.code == "E136"
    write_marker(folder, "export", 1)
    (folder / "attributions.parquet").unlink()
    with Store.open(tmp_path / "b.duckdb") as store, pytest.raises(StoreError) as caught:
        store.load_tables(folder)
    assert caught.value.code == "E133"


def test_the_corpus_pages_refuse_a_damaged_database_at_start(good, tmp_path):
    """`onrecord serve --db` reads every block once at start: a damaged file is a CorpusUnavailable
    (a StoreError: one line from the CLI, a 503 from the pages), untouched."""
    from onrecord.web.corpus import open_corpus

    db = damaged(good, tmp_path)
    before = digest(db)
    with pytest.raises(CorpusUnavailable) as caught:
        open_corpus(db)
    assert isinstance(caught.value, StoreError) and str(caught.value).startswith("[E141]")
    assert "damaged" in caught.value.message and digest(db) == before
