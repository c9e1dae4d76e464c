"""`onrecord query` and `onrecord export` on a real database of the made-up corpus (with metadata)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from onrecord.store import migrations
from onrecord.store.db import Store
from onrecord.store.ingest import ingest
from onrecord.store.tables import TABLES
from tests.store.conftest import all_tables, onrecord
from tests.store.corpus import write_jsonl


@pytest.fixture(scope="module")
def db(tmp_path_factory, docs):
    folder = tmp_path_factory.mktemp("query")
    feed = write_jsonl(folder / "feed.jsonl", docs)
    path = folder / "corpus.db"
    summary = ingest([str(feed)], path, workers=1, progress=False, log=lambda _: None)
    assert summary.stored == 30
    return path


def query(db, *args: str) -> str:
    result = onrecord("query", *args, "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def rows(db, *args: str) -> list[dict]:
    return json.loads(query(db, *args, "--format", "json"))


def test_stats_counts(db, docs):
    stats = json.loads(query(db, "stats", "--format", "json"))
    with Store.open(db, read_only=True) as store:
        con = store.con
        assert stats["articles"] == 30
        assert stats["attributions"] == con.execute("SELECT count(*) FROM attributions").fetchone()[0] > 30
        keys = con.execute("SELECT count(DISTINCT source_key) FROM attributions").fetchone()[0]
        assert stats["speakers"] == keys
    assert stats["publishers"] == 3
    assert stats["first_published"] == min(d["published"] for d in docs)
    assert stats["schema_version"] == migrations.latest()
    assert "articles" in query(db, "stats")


def test_speakers_ranked_and_filtered(db):
    top = rows(db, "speakers", "--limit", "0")
    counts = [r["attributions"] for r in top]
    assert counts == sorted(counts, reverse=True)
    fenwick = next(r for r in top if r["key"] == "person:ida fenwick")
    assert fenwick["name"] == "Ida Fenwick" and fenwick["articles"] > 1 and fenwick["publishers"] > 1
    assert len(rows(db, "speakers", "--limit", "3")) == 3
    people = rows(db, "speakers", "--kind", "person", "--limit", "0")
    assert people and all(r["kind"] == "person" for r in people)
    one = rows(db, "speakers", "--publisher", "valley courier", "--limit", "0")
    assert one and all(r["publishers"] == 1 for r in one)
    window = rows(db, "speakers", "--since", "2031-03-01", "--until", "2031-06-30", "--limit", "0")
    assert window and all("2031-03-01" <= r["first"] <= r["last"] <= "2031-06-30" for r in window)
    assert sum(r["attributions"] for r in window) < sum(counts)


def test_quotes_filters(db):
    fenwick = rows(db, "quotes", "--speaker", "Ida Fenwick")
    assert fenwick and all(r["key"] == "person:ida fenwick" for r in fenwick)
    assert rows(db, "quotes", "--speaker", "person:ida fenwick") == fenwick
    patient = rows(db, "quotes", "--search", "PATIENT")
    assert patient and all("patient" in r["content"].lower() for r in patient)
    anonymous = rows(db, "quotes", "--anonymous", "--limit", "0")
    assert anonymous and all(r["anonymous"] is True for r in anonymous)
    relayed = rows(db, "quotes", "--via", "northwire", "--limit", "0")
    assert relayed and all("Northwire" in r["via"] for r in relayed)
    dated = rows(db, "quotes", "--since", "2031-12-01", "--limit", "0")
    assert dated and all(r["published"] >= "2031-12-01" for r in dated)
    table = list(csv.reader(io.StringIO(query(db, "quotes", "--search", "patient", "--format", "csv"))))
    assert table[0][:3] == ["published", "publisher", "article"] and len(table) == len(patient) + 1
    assert "content" in query(db, "quotes", "--limit", "2").splitlines()[0]


def test_sources_shares(db):
    publishers = rows(db, "sources")
    assert {r["publisher"] for r in publishers} == {"Harbour Herald", "Valley Courier", "The Morning Ledger"}
    for r in publishers:
        shares = r["named"] + r["unnamed"] + r["anonymous"] + r["unresolved"] + r["no_source"]
        assert shares == pytest.approx(1, abs=0.01)
        assert 0 < r["via_wire"] < 1
        assert r["anonymous"] > 0 and r["named"] > 0.3
    assert "via_wire" in query(db, "sources")


def test_export_writes_every_table_and_loads_back(db, tmp_path):
    import duckdb

    out = tmp_path / "parquet"
    result = onrecord("export", "--db", str(db), "--parquet", str(out))
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir()} == {f"{t}.parquet" for t in [*TABLES, "schema_migrations"]} | {
        "_onrecord.json"
    }
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{out}/articles.parquet'").fetchone()[0] == 30
    copy = tmp_path / "copy.db"
    loaded = onrecord("ingest", str(out), "--db", str(copy), "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["loaded"] == 30
    assert all_tables(copy) == all_tables(db)
