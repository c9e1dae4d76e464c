"""Ingest into real DuckDB files: schema, records, inputs of every kind, failures, reruns, bad databases."""

from __future__ import annotations

import gzip
import json
import sqlite3

import pytest

from onrecord import inputs
from onrecord.errors import StoreError
from onrecord.store import migrations
from onrecord.store.db import Store
from onrecord.store.ingest import Summary, _tasks, ingest, task_size
from onrecord.store.tables import TABLES
from tests.store.conftest import all_tables, onrecord, table
from tests.store.corpus import articles, as_html, write_jsonl, write_txt, write_warc

QUIET = {"progress": False, "log": lambda _: None}


def test_migrated_database_matches_table_layout(tmp_path):
    with Store.open(tmp_path / "new.db") as store:
        assert store.version() == migrations.latest()
        for name, cols in TABLES.items():
            described = store.con.execute(f"DESCRIBE {name}").fetchall()
            assert [(r[0], r[1]) for r in described] == cols, name


def test_reference_rows_are_the_records_of_analyze(reference_db, docs):
    import onrecord

    expected = {d["name"] + ".txt": onrecord.analyze(d["text"]).to_dict() for d in docs}
    with Store.open(reference_db, read_only=True) as store:
        stored = dict(store.con.execute("SELECT name, record FROM articles").fetchall())
        assert {k: json.loads(v) for k, v in stored.items()} == expected
        n_attr = store.con.execute("SELECT count(*) FROM attributions").fetchone()[0]
        assert n_attr == sum(len(r["attributions"]) for r in expected.values()) > 30
        # offsets in the attribution rows index the stored text
        rows = store.con.execute(
            "SELECT ar.text, a.content_start, a.content_end, a.content_text, a.source_key, a.source_name,"
            " a.source_kind FROM attributions a JOIN articles ar ON ar.hash = a.article"
        ).fetchall()
        for text, start, end, content, key, name, _kind in rows:
            assert text[start:end] == content
            if name:
                assert key and ":" in key
        # one speaker recurs across articles (same union leader in several stories)
        shared = store.con.execute(
            "SELECT source_key FROM attributions WHERE source_key IS NOT NULL GROUP BY source_key"
            " HAVING count(DISTINCT article) > 1"
        ).fetchall()
        assert shared
        assert store.con.execute("SELECT count(*) FROM speakers").fetchone()[0] == len({r[4] for r in rows if r[4]})


def test_rerun_stores_nothing_twice(reference_db, txt_corpus):
    before = all_tables(reference_db)
    summary = ingest([str(txt_corpus)], reference_db, workers=1, **QUIET)
    assert (summary.stored, summary.skipped, summary.failed) == (0, 30, 0)
    assert all_tables(reference_db) == before


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A folder with every input kind, some of them broken."""
    root = tmp_path_factory.mktemp("mixed") / "in"
    docs = articles(16)
    write_txt(root / "txt", docs[:3])
    write_jsonl(root / "feed.jsonl", docs[3:6])
    with gzip.open(root / "feed-html.jsonl.gz", "wt", encoding="utf-8") as f:
        for doc in docs[6:8]:
            f.write(json.dumps({"html": as_html(doc), "url": f"https://x.example/{doc['name']}"}) + "\n")
        f.write("this is not json\n")
        f.write(json.dumps({"title": "no text"}) + "\n")
    write_warc(root / "crawl.warc.gz", docs[8:11])
    (root / "page.html").write_text(as_html(docs[11]), encoding="utf-8")
    # the same text as txt/story-000.txt, again in a JSONL line: stored once
    write_jsonl(root / "again.jsonl", docs[:1])
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "broken.warc.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    (root / "notes.csv").write_text("ignored,file\n", encoding="utf-8")
    db = root.parent / "mixed.db"
    result = onrecord("ingest", str(root), "--db", str(db), "--workers", "2", "--json")
    return root, db, result


def test_every_input_kind(mixed):
    _root, db, result = mixed
    assert result.returncode == 1, result.stderr  # some inputs failed, the rest are stored
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["stored"] == 12  # 3 txt + 3 jsonl + 2 jsonl html + 3 warc + 1 html
    assert summary["skipped"] == 1  # the duplicate text
    assert summary["failed"] == 5
    with Store.open(db, read_only=True) as store:
        origins = dict(
            store.con.execute("SELECT origin, count(*) FROM articles GROUP BY origin ORDER BY origin").fetchall()
        )
        # inputs are read in sorted order: again.jsonl comes first, so txt/story-000.txt is the duplicate
        assert origins == {
            "again.jsonl": 1,
            "crawl.warc.gz": 3,
            "feed-html.jsonl.gz": 2,
            "feed.jsonl": 3,
            "page.html": 1,
            "txt/story-001.txt": 1,
            "txt/story-002.txt": 1,
        }
        meta = store.con.execute(
            "SELECT doc_id, publisher, published, published_date, title FROM articles"
            " WHERE origin = 'feed.jsonl' ORDER BY doc_id"
        ).fetchall()
        assert [m[0] for m in meta] == ["story-003", "story-004", "story-005"]
        assert all(m[1] and m[2] and m[3] and m[4] for m in meta)
        urls = [r[0] for r in store.con.execute("SELECT url FROM articles WHERE origin = 'crawl.warc.gz'").fetchall()]
        assert sorted(urls) == [f"https://news.example/story-{i:03d}" for i in (8, 9, 10)]
        failures = dict(store.con.execute("SELECT name, code FROM failures").fetchall())
    assert failures == {
        "empty.txt": "E011",  # empty
        "binary.txt": "E012",  # binary
        "feed-html.jsonl.gz:3": "E018",  # not JSON
        "feed-html.jsonl.gz:4": "E019",  # no text or html
        "broken.warc.gz": "E021",  # not a WARC file
    }
    for name in failures:
        assert name in result.stderr


def test_fixed_input_is_stored_and_its_failure_cleared(mixed, tmp_path):
    root, db, _ = mixed
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    (root / "empty.txt").write_text("The mayor said the ferry would run again in April.\n", encoding="utf-8")
    try:
        summary = ingest([str(root)], copy, workers=1, **QUIET)
    finally:
        (root / "empty.txt").write_bytes(b"")
    assert summary.stored == 1 and summary.skipped == 13 and summary.failed == 4
    names = {r[0] for r in table(copy, "failures")}
    assert "empty.txt" not in names and len(names) == 4


def test_schema_upgrade_by_numbered_migration(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    Store.open(db).close()
    latest = migrations.latest()
    extra = migrations.Migration(latest + 1, "a note per article", "ALTER TABLE articles ADD COLUMN note VARCHAR")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, extra])
    with Store.open(db) as store:
        assert store.version() == latest + 1
        cols = [r[0] for r in store.con.execute("DESCRIBE articles").fetchall()]
        assert cols[-1] == "note"
        versions = store.con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert versions == [(v,) for v in range(1, latest + 2)]
    monkeypatch.undo()
    with pytest.raises(StoreError, match="newer than this onrecord"):
        Store.open(db)
    with pytest.raises(StoreError, match="newer than this onrecord"):
        Store.open(db, read_only=True)


def _clean_error(result, needle: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_corrupt_and_foreign_databases_are_refused(tmp_path, txt_corpus):
    import duckdb

    text = tmp_path / "notes.db"
    text.write_text("just some notes, not a database\n" * 10, encoding="utf-8")
    lite = tmp_path / "lite.db"
    with sqlite3.connect(lite) as con:
        con.execute("CREATE TABLE t (a)")
    foreign = tmp_path / "foreign.db"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    truncated = tmp_path / "truncated.db"
    Store.open(truncated).close()
    truncated.write_bytes(truncated.read_bytes()[:5000])
    cases = [(text, "not a DuckDB database"), (lite, "SQLite"), (foreign, "not an onrecord one")]
    cases.append((truncated, "E125"))
    for db, needle in cases:
        before = db.read_bytes()
        for args in (
            ("ingest", str(txt_corpus / "story-000.txt"), "--db", str(db)),
            ("query", "stats", "--db", str(db)),
        ):
            _clean_error(onrecord(*args), needle)
        assert db.read_bytes() == before, db
    _clean_error(onrecord("query", "stats", "--db", str(tmp_path / "missing.db")), "no such database")
    result = onrecord("ingest", str(txt_corpus), "--db", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "is a directory" in result.stderr


def test_second_writer_gets_one_clear_line(tmp_path, txt_corpus):
    db = tmp_path / "busy.db"
    with Store.open(db):  # this process holds DuckDB's write lock, as a running ingest would
        for args in (("ingest", str(txt_corpus), "--db", str(db)), ("query", "stats", "--db", str(db))):
            _clean_error(onrecord(*args), "in use by another onrecord process")


def test_bad_options_are_one_line(tmp_path, txt_corpus):
    db = str(tmp_path / "x.db")
    _clean_error(onrecord("ingest", str(txt_corpus), "--db", db, "--workers", "0"), "--workers")
    _clean_error(onrecord("ingest", str(tmp_path / "nowhere"), "--db", db), "no such file or folder")
    result = onrecord("query", "quotes", "--db", db, "--since", "March 5")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "YYYY-MM-DD" in result.stderr


def test_bench_ingest_reports_workers_against_raw_spacy(tmp_path):
    small = write_txt(tmp_path / "small", articles(4))
    result = onrecord("bench", str(small), "--ingest", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["articles"] == 4 and report["raw_spacy"]["articles_per_s"] > 0
    assert set(report["ingest"]) == {"1", "2"} and set(report["ratio"]) == {"1", "2"}
    assert report["scaling"]["1"] == 1.0 and report["scaling"]["2"] > 0
    for timing in report["ingest"].values():
        assert timing["stored"] == 4 and timing["articles_per_s"] > 0
    plain = onrecord("bench", str(small / "story-000.txt"))  # the bench without --ingest is unchanged
    assert plain.returncode == 0 and "raw spaCy pipe" in plain.stdout and "ingest" not in plain.stdout


def test_tasks_shrink_towards_the_end_of_the_run():
    """Guided scheduling: full batches while work is plentiful, single articles at the end."""
    assert task_size(None, 2, 16) == 16  # total unknown (a WARC stream): fixed batches
    assert task_size(1000, 1, 16) == 16  # one worker has nobody to wait for
    assert task_size(1000, 2, 16) == 16
    assert task_size(30, 2, 16) == 5
    assert task_size(1, 2, 16) == 1 and task_size(0, 2, 16) == 1


def test_tasks_hand_out_every_new_article_once(reference_db, txt_corpus, tmp_path):
    found = inputs.require(inputs.expand([str(txt_corpus)]))
    summary = Summary(total=30)
    pending: list = []
    sizes = [len(task.items) for task in _tasks(found, set(), 16, 2, summary, pending)]
    assert sum(sizes) == 30 and not pending
    assert sizes[0] == 5 and sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)
    # stored articles are skipped before any task is formed
    with Store.open(reference_db, read_only=True) as store:
        known = store.stored_hashes()
    summary = Summary(total=30)
    assert list(_tasks(found, known, 16, 2, summary, pending)) == [] and summary.skipped == 30


def test_small_tasks_share_transactions(tmp_path, txt_corpus, reference_db, monkeypatch):
    """The tail's single-article tasks are not one transaction each: the writer waits for a batch."""
    import onrecord.store.ingest as ingest_module

    writes: list[int] = []
    real_write = Store.write

    def counting_write(self, outcomes):
        outcomes = list(outcomes)
        writes.append(len(outcomes))
        return real_write(self, outcomes)

    monkeypatch.setattr(Store, "write", counting_write)
    monkeypatch.setattr(ingest_module, "WRITE_EVERY_S", 1e9)  # only the batch size and the end flush
    db = tmp_path / "batched.db"
    summary = ingest([str(txt_corpus)], db, workers=2, batch=8, **QUIET)
    assert summary.stored == 30
    assert sum(writes) == 30 and len(writes) <= 4 and all(n >= 8 for n in writes[:-1])
    assert all_tables(db) == all_tables(reference_db)
