"""Statements in a real store: four made-up outlets report one mayor's promise — quoted whole, cut
shorter (relayed by a wire service), with a changed word, and paraphrased a day before anyone quoted it."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from tests.store.conftest import onrecord, table

FERRY = [
    (
        "harbourton-ferry",
        "Harbourton Ledger",
        "2031-03-02",
        "Mayor Ines Varga ruled out a sale of the town ferry on Monday.\n\n"
        "“We will not sell the ferry to a private company while I am mayor of this town,” Varga said at the "
        "council meeting.\n\nThe ferry carries about 900 passengers a day between the two harbours.\n",
    ),
    (
        "northport-ferry",
        "Northport Post",
        "2031-03-03",
        "The mayor of Harbourton, Ines Varga, said the ferry would stay in public hands.\n\n"
        "“We will not sell the ferry to a private company,” Varga told Reuters.\n\n"
        "Opposition councillors said the ferry lost money every winter.\n",
    ),
    (
        "valemouth-ferry",
        "Valemouth Courier",
        "2031-03-04",
        "Ines Varga, the mayor of Harbourton, made a promise to voters on Monday.\n\n"
        "“We will never sell the ferry to a private company while I am mayor of this town,” Varga said.\n\n"
        "The council will vote on the ferry budget in April.\n",
    ),
    (
        "eastbay-ferry",
        "Eastbay Wire",
        "2031-03-01",
        "Harbourton mayor Ines Varga said she would not sell the ferry to a private company while she was "
        "mayor of the town.\n\nThe town bought the ferry in 1998.\n",
    ),
]
TABLES = ("statements", "appearances")


def write(path, docs):
    lines = [json.dumps({"id": n, "publisher": p, "published": d, "title": n, "text": t}) for n, p, d, t in docs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(db, path):
    result = onrecord("ingest", str(path), "--db", str(db), "--workers", "1", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def ferry_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("statements")
    db = root / "ferry.db"
    summary = ingest(db, write(root / "ferry.jsonl", FERRY))
    assert summary["statement_seconds"] >= 0
    return db


def promise(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        head = con.execute("SELECT * FROM statements WHERE publishers >= 2").fetchall()
        names = [d[0] for d in con.description]
        assert len(head) == 1, head
        statement = dict(zip(names, head[0], strict=True))
        rows = con.execute(
            "SELECT a.*, r.name FROM appearances a JOIN articles r ON r.hash = a.article "
            "WHERE statement = ? ORDER BY n",
            [statement["id"]],
        )
        names = [d[0] for d in rows.description]
        return statement, [dict(zip(names, r, strict=True)) for r in rows.fetchall()]
    finally:
        con.close()


def test_one_statement_across_four_outlets_with_its_first_appearance(ferry_db):
    statement, appearances = promise(ferry_db)
    assert statement["publishers"] == 4 and statement["identity"] == "person:ines varga"
    assert [a["name"] for a in appearances] == [
        "eastbay-ferry",
        "harbourton-ferry",
        "northport-ferry",
        "valemouth-ferry",
    ]
    assert statement["first_publisher"] == "Eastbay Wire" and str(statement["first_published"]) == "2031-03-01"
    assert statement["first_by"] == "date"
    assert [a["type"] for a in appearances] == ["indirect", "direct", "direct", "direct"]


def test_a_changed_word_and_a_paraphrase_later_quoted(ferry_db):
    statement, appearances = promise(ferry_db)
    assert statement["changed"] and statement["promoted"]
    by_name = {a["name"]: a for a in appearances}
    assert by_name["valemouth-ferry"]["changed"] and ["+", "never"] in json.loads(by_name["valemouth-ferry"]["diff"])
    assert not by_name["northport-ferry"]["changed"]  # cut shorter: no change of words
    assert by_name["northport-ferry"]["via"] == ["Reuters"] and by_name["harbourton-ferry"]["via"] == []
    assert json.loads(by_name["harbourton-ferry"]["diff"])[0][0] == "="  # the first direct quotation itself


def test_an_older_article_ingested_later_becomes_the_first_appearance(ferry_db, tmp_path):
    db = tmp_path / "parts.db"
    ingest(db, write(tmp_path / "first.jsonl", FERRY[:3]))
    before, _ = promise(db)
    assert before["first_publisher"] == "Harbourton Ledger" and not before["promoted"]
    ingest(db, write(tmp_path / "second.jsonl", FERRY[3:]))
    for name in TABLES:
        assert table(db, name) == table(ferry_db, name), name


def test_statements_are_exported_to_parquet(ferry_db, tmp_path):
    out = tmp_path / "export"
    result = onrecord("export", "--db", str(ferry_db), "--parquet", str(out))
    assert result.returncode == 0, result.stderr
    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/appearances.parquet')").fetchall()[0][0]
    assert n == len(table(ferry_db, "appearances")) and n >= 4


def query(*args):
    return onrecord("query", *args)


def test_query_statements_json_shape_and_filters(ferry_db):
    result = query("statements", "--db", str(ferry_db), "--min-publishers", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert {"id", "speaker", "key", "text", "first_published", "first_publisher", "first_article"} <= set(found)
    assert found["publishers"] == 4 and found["changed"] is True and found["first_article"] == "eastbay-ferry"
    assert found["speaker"] == "Ines Varga" and found["key"] == "person:ines varga"
    first = found["appearances"][0]
    assert {"article", "publisher", "published", "type", "via", "text"} <= set(first)
    assert [a["published"] for a in found["appearances"]] == sorted(a["published"] for a in found["appearances"])
    for extra, n in (
        (["--changed"], 1),
        (["--search", "never sell"], 1),
        (["--since", "2031-03-02", "--min-publishers", "2"], 0),
    ):
        rows = json.loads(query("statements", "--db", str(ferry_db), "--format", "json", *extra).stdout)
        assert len(rows) == n, extra
    assert json.loads(query("statements", "--db", str(ferry_db), "--speaker", "Varga", "--format", "json").stdout)


def test_query_statement_prints_appearances_with_diffs(ferry_db):
    head = json.loads(query("statements", "--db", str(ferry_db), "--min-publishers", "2", "--format", "json").stdout)
    result = query("statement", head[0]["id"], "--db", str(ferry_db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Eastbay Wire" in lines[0] and "{+never+}" in result.stdout and "Reuters" in result.stdout
    assert [line.split()[0] for line in lines[3:]] == ["1", "2", "3", "4"]


def test_unknown_statement_and_missing_pass_are_clean_errors(ferry_db, tmp_path):
    from tests.bad_inputs.checks import assert_clean_failure

    assert_clean_failure(query("statement", "st:000000000000", "--db", str(ferry_db)), "E231")
    stale = tmp_path / "stale.db"
    shutil.copy(ferry_db, stale)
    con = duckdb.connect(str(stale))
    con.execute("DELETE FROM appearances; DELETE FROM statements")
    con.close()
    assert_clean_failure(query("statements", "--db", str(stale)), "E230")
    assert_clean_failure(query("statements", "--db", str(ferry_db), "--min-publishers", "-1"), "E140")


@pytest.mark.slow
def test_spark_mllib_minhash_gives_the_statements_of_ingest(ferry_db, tmp_path):
    """The job's second stage finds its candidates with MLlib's MinHashLSH (not datasketch) and must
    still give exactly the statements and appearances that `ingest` stored."""
    pytest.importorskip("pyspark")
    from onrecord.store.tables import CLOCK_COLUMNS, columns

    source = write(tmp_path / "ferry.jsonl", FERRY)
    out = tmp_path / "out"
    result = onrecord("spark", str(source), str(out), "--master", "local[2]", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    for name in TABLES:
        keep = [c for c in columns(name) if c not in CLOCK_COLUMNS]
        rows = duckdb.sql(f"SELECT {', '.join(keep)} FROM read_parquet('{out}/{name}/*.parquet')").fetchall()
        assert sorted(rows, key=repr) == table(ferry_db, name), name
    assert len(table(ferry_db, "appearances")) >= 4


MISNAMED = [
    (
        "harbourton-bridge",
        "Harbourton Ledger",
        "2031-04-02",
        "Mayor Ines Varga spoke about the old bridge on Monday.\n\n"
        "“The bridge will be closed to lorries from the first of May until the repairs are done,” Varga said "
        "at the council meeting.\n",
    ),
    (
        "northport-bridge",
        "Northport Post",
        "2031-04-03",
        "Harbourton's mayor, Irena Varga, announced limits for the bridge.\n\n"
        "“The bridge will be closed to lorries from the first of May until the repairs are done,” Varga told "
        "reporters.\n",
    ),
]


def multi_outlet(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT identity, publishers FROM statements WHERE publishers >= 2").fetchall()
    finally:
        con.close()


def test_speaker_corrections_recompute_the_statements_at_once(tmp_path):
    """One outlet misnames the mayor: two named speakers, so two statements; `speakers merge` joins them
    into one statement of two outlets at once (no ingest), `speakers split` parts them again."""
    db = tmp_path / "bridge.db"
    ingest(db, write(tmp_path / "bridge.jsonl", MISNAMED))
    assert multi_outlet(db) == []
    merged = onrecord("speakers", "merge", "--db", str(db), "person:irena varga", "person:ines varga")
    assert merged.returncode == 0, merged.stderr
    assert multi_outlet(db) == [("person:ines varga", 2)]
    split = onrecord("speakers", "split", "--db", str(db), "person:irena varga")
    assert split.returncode == 0, split.stderr
    assert multi_outlet(db) == []
