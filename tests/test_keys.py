"""onrecord.keys: every rule answers the same in Python and in the SQL beside it, on every case."""

from __future__ import annotations

import itertools

import duckdb
import pytest

from onrecord import keys

NAMES = [None, "", "Ida Fenwick", "a union official"]
KINDS = [None, "person", "organization", "unnamed", "unknown", "place"]
ANONYMOUS = [None, False, True]
CASES = list(itertools.product(NAMES, KINDS, ANONYMOUS))


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    yield con
    con.close()


def attributions(con, rows: list[dict]) -> None:
    con.execute(
        "CREATE OR REPLACE TEMP TABLE a (n INTEGER, source_name VARCHAR, source_kind VARCHAR,"
        " source_anonymous BOOLEAN, source_key VARCHAR, via VARCHAR[])"
    )
    for n, row in enumerate(rows):
        con.execute(
            "INSERT INTO a VALUES (?, ?, ?, ?, ?, ?)",
            [n, row.get("name"), row.get("kind"), row.get("anonymous"), row.get("key"), row.get("via")],
        )


def test_category_in_sql_is_the_python_rule_on_every_case(con):
    rows = [{"name": n, "kind": k, "anonymous": a} for n, k, a in CASES]
    attributions(con, rows)
    found = dict(con.execute(f"SELECT n, {keys.category_sql('a')} FROM a ORDER BY n").fetchall())
    for n, (name, kind, anonymous) in enumerate(CASES):
        assert found[n] == keys.category(name, kind, anonymous), (name, kind, anonymous)
        assert found[n] in keys.CATEGORIES


def test_record_sources_get_the_category_of_their_stored_fields():
    assert keys.source_category(None) == keys.NONE
    assert keys.source_category({}) == keys.NONE
    assert keys.source_category({"name": "Ida Fenwick", "kind": "person"}) == "person"
    assert keys.source_category({"name": "an official", "kind": "unnamed", "anonymous": True}) == keys.ANONYMOUS
    assert keys.source_category({"name": "he", "kind": None}) == keys.UNRESOLVED
    assert [p["kind"] for p in keys.mix({})] == list(keys.CATEGORIES)
    assert keys.shares({"person": 1, "organization": 1, "none": 2})["named"] == 0.5


def test_relayed_and_speaker_kind_in_sql_are_the_python_rules(con):
    rows = [
        {"via": None, "kind": None, "key": None},
        {"via": [], "kind": "person", "key": "person:x"},
        {"via": ["Northwire"], "kind": None, "key": "organization:y"},
        {"via": None, "kind": None, "key": "plain"},
        {"via": None, "kind": None, "key": ""},
    ]
    attributions(con, rows)
    sql = f"SELECT n, {keys.relayed_sql('a')}, {keys.speaker_kind_sql('a')} FROM a ORDER BY n"
    for n, relayed, kind in con.execute(sql).fetchall():
        assert relayed == keys.is_relayed(rows[n])
        assert kind == keys.speaker_kind(rows[n]["kind"], rows[n]["key"])


VALUES = [None, "Brandt", "Ilse Brandt", "brandt", "Émile", "Zoë"]


def test_the_smallest_name_rule_in_sql_is_the_python_rule(con):
    """merge_speaker (the writer's rule), min() of a batch and the upsert's least() give the same row
    whatever the order the rows arrive in."""
    rows = [{"key": "k", "name": name, "kind": kind} for name in VALUES for kind in (None, "person", "organization")]
    for first, second in itertools.permutations(rows, 2):
        python = keys.merge_speaker(keys.merge_speaker(None, first), second)
        con.execute("CREATE OR REPLACE TEMP TABLE speakers (key VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR)")
        for row in (first, second):
            con.execute("CREATE OR REPLACE TEMP TABLE batch (key VARCHAR, name VARCHAR, kind VARCHAR)")
            con.execute("INSERT INTO batch VALUES (?, ?, ?)", [row["key"], row["name"], row["kind"]])
            con.execute(keys.speaker_upsert_sql("batch"))
        upserted = con.execute("SELECT key, name, kind FROM speakers").fetchone()
        assert upserted == (python["key"], python["name"], python["kind"]), (first, second)
    con.execute("CREATE OR REPLACE TEMP TABLE batch (key VARCHAR, name VARCHAR, kind VARCHAR)")
    con.executemany("INSERT INTO batch VALUES (?, ?, ?)", [[r["key"], r["name"], r["kind"]] for r in rows])
    (merged,) = keys.speaker_rows(reversed(rows))
    assert con.execute(keys.speaker_select_sql("batch")).fetchone() == (merged["key"], merged["name"], merged["kind"])


def test_the_speaker_key():
    assert keys.speaker_key({"name": "Brandt", "key": "person:ilse brandt"}) == "person:ilse brandt"
    assert keys.speaker_key({"name": "  The  Mayor ", "kind": None}) == "unknown:the mayor"
    assert keys.speaker_key({"name": "Müller-Lüdenscheid", "kind": "person"}) == "person:muller ludenscheid"
    assert keys.speaker_key({"name": "", "kind": "person"}) is None
    assert keys.speaker_key(None) is None
    assert keys.name_key("Olaf  Scholz", "person") == "person:olaf scholz"
