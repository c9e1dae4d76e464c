"""The Spark job for real, in local[2] mode: the same records as the single-machine ingest."""

from __future__ import annotations

import json

import pytest

from onrecord.store.db import Store
from onrecord.store.tables import CLOCK_COLUMNS, DERIVED, TABLES, USER_TABLES, columns
from tests.store.conftest import all_tables, onrecord
from tests.store.corpus import articles, as_html, write_jsonl, write_txt, write_warc

pytestmark = pytest.mark.slow

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark") / "in"
    docs = articles(12)
    write_txt(root / "txt", docs[:5])
    write_jsonl(root / "feed.jsonl", docs[5:7])
    write_warc(root / "crawl.warc.gz", docs[7:9])
    (root / "page.html").write_text(as_html(docs[9]), encoding="utf-8")
    write_jsonl(root / "again.jsonl", docs[:1])  # a duplicate text: stored once, under the same name
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)  # a failure, recorded by both
    return root


@pytest.fixture(scope="module")
def spark_output(corpus):
    out = corpus.parent / "out"
    result = onrecord("spark", str(corpus), str(out), "--master", "local[2]", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["articles"] == 10 and summary["failures"] == 1
    return out


def test_spark_tables_equal_single_machine_ingest(corpus, spark_output, tmp_path):
    import duckdb

    from_spark, local = tmp_path / "spark.db", tmp_path / "local.db"
    loaded = onrecord("ingest", str(spark_output), "--db", str(from_spark), "--json")
    assert loaded.returncode == 1, loaded.stderr  # the job's failure (binary.txt) comes along
    assert "1 articles had failed" in loaded.stderr
    assert json.loads(loaded.stdout)["loaded"] == 10
    direct = onrecord("ingest", str(corpus), "--db", str(local), "--workers", "2", "--json")
    assert direct.returncode == 1, direct.stderr  # binary.txt failed
    spark_tables, local_tables = all_tables(from_spark), all_tables(local)
    for name in TABLES:
        assert spark_tables[name] == local_tables[name], name
    assert len(spark_tables["articles"]) == 10 and len(spark_tables["attributions"]) > 10
    # loading the same output again adds nothing
    # the job's own second stage wrote the same identities as ingest's pass
    for name in DERIVED:
        keep = [c for c in columns(name) if c not in CLOCK_COLUMNS]
        rows = duckdb.sql(f"SELECT {', '.join(keep)} FROM read_parquet('{spark_output}/{name}/*.parquet')").fetchall()
        assert sorted(rows, key=repr) == local_tables[name], name
    assert local_tables["identities"]
    again = onrecord("ingest", str(spark_output), "--db", str(from_spark), "--json")
    assert json.loads(again.stdout)["stored"] == 0
    assert all_tables(from_spark) == spark_tables


def test_duckdb_queries_spark_parquet_in_place(spark_output, tmp_path):
    import duckdb

    con = duckdb.connect()
    with Store.open(tmp_path / "empty.db") as store:
        for name in (t for t in TABLES if t not in USER_TABLES):
            parquet = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{spark_output}/{name}/*.parquet')")
            table = store.con.execute(f"DESCRIBE {name}")
            assert [r[:2] for r in parquet.fetchall()] == [r[:2] for r in table.fetchall()], name
    n = con.execute(f"SELECT count(*) FROM read_parquet('{spark_output}/attributions/*.parquet')").fetchone()[0]
    assert n > 10


def test_spark_refuses_existing_output(corpus, spark_output):
    result = onrecord("spark", str(corpus), str(spark_output), "--master", "local[1]", timeout=600)
    assert result.returncode == 2
    assert "already exists" in result.stderr and "Traceback" not in result.stderr.split("onrecord: error")[-1]
