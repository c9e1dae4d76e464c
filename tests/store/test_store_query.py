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


def test_quotes_by_act_and_stats_per_act(db):
    every = rows(db, "quotes", "--limit", "0")
    assert every and all(r["act"] in ("speech", "thought", "intention", "evidence") for r in every)
    speech = rows(db, "quotes", "--act", "speech", "--limit", "0")
    assert speech and all(r["act"] == "speech" for r in speech)
    others = rows(db, "quotes", "--act", "thought,intention,evidence", "--limit", "0")
    assert len(speech) + len(others) == len(every)
    stats = json.loads(query(db, "stats", "--format", "json"))
    assert sum(v for k, v in stats.items() if k.startswith("act_")) == stats["attributions"]
    assert stats["act_speech"] == len(speech)
    bad = onrecord("query", "quotes", "--db", str(db), "--act", "rumour")
    assert bad.returncode == 2 and "[E098]" in bad.stderr and "Traceback" not in bad.stderr


def test_a_store_from_before_act_is_upgraded_with_act_unknown(tmp_path, monkeypatch):
    db = tmp_path / "v1.db"
    first = [m for m in migrations.MIGRATIONS if m.version == 1]
    monkeypatch.setattr(migrations, "MIGRATIONS", first)
    with Store.open(db) as store:
        store.con.execute("INSERT INTO articles (hash, name, text, record) VALUES ('h', 'old', 'x', '{}')")
        store.con.execute("INSERT INTO attributions (article, id, type) VALUES ('h', 'a1', 'direct')")
    monkeypatch.undo()
    with Store.open(db) as store:
        assert store.version() == migrations.latest()
        assert store.con.execute("SELECT act FROM attributions WHERE article = 'h'").fetchall() == [(None,)]


# --- the corpus lists (issue 13): articles, publishers, paging, sorting, word search, derived tables ------


def test_articles_lists_every_stored_article_with_its_counts(db):
    every = rows(db, "articles", "--limit", "0")
    with Store.open(db, read_only=True) as store:
        stored = dict(store.con.execute("SELECT hash, n_attributions FROM articles").fetchall())
    assert {r["hash"]: r["attributions"] for r in every} == stored
    assert all(0 <= r["speakers"] <= r["attributions"] and r["direct"] <= r["attributions"] for r in every)
    dates = [r["published"] for r in every if r["published"]]
    assert dates == sorted(dates, reverse=True)
    paged = rows(db, "articles", "--limit", "7") + rows(db, "articles", "--limit", "7", "--offset", "7")
    assert paged == every[:14]
    one = every[0]["publisher"]
    assert {r["publisher"] for r in rows(db, "articles", "--publisher", one.upper(), "--limit", "0")} == {one}
    window = rows(db, "articles", "--since", "2031-03-01", "--until", "2031-06-30", "--limit", "0")
    assert window and all("2031-03-01" <= r["published"] <= "2031-06-30" for r in window)
    by_count = [r["attributions"] for r in rows(db, "articles", "--sort", "attributions", "--order", "asc")]
    assert by_count == sorted(by_count)


def test_articles_title_search_is_by_whole_words(db):
    every = rows(db, "articles", "--limit", "0")
    word = every[0]["title"].split()[-1].strip(".,").lower()
    found = rows(db, "articles", "--search", word, "--limit", "0")
    assert found and all(word in r["title"].lower() for r in found)
    assert rows(db, "articles", "--search", word[:-1] + "zq", "--limit", "0") == []


def test_publishers_list_agrees_with_sources(db):
    listed = {r["name"]: r for r in rows(db, "publishers")}
    sources = {r["publisher"]: r for r in rows(db, "sources")}
    for name, row in sources.items():
        assert listed[name]["attributions"] == row["attributions"]
        assert listed[name]["named_share"] == pytest.approx(row["named"], abs=0.0006)
    names = [r["name"] for r in rows(db, "publishers", "--sort", "name", "--order", "asc")]
    assert names == sorted(names, key=str.lower)
    assert [r["name"] for r in rows(db, "publishers", "--name", "courier")] == ["Valley Courier"]


def test_quotes_offset_type_and_order(db):
    every = rows(db, "quotes", "--limit", "0")
    assert rows(db, "quotes", "--limit", "5", "--offset", "5") == every[5:10]
    dates = [r["published"] for r in every if r["published"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    oldest = rows(db, "quotes", "--limit", "0", "--order", "asc")
    assert sorted(map(repr, oldest)) == sorted(map(repr, every))
    assert [r["published"] for r in oldest if r["published"]] == sorted(dates)
    direct = rows(db, "quotes", "--type", "direct", "--limit", "0")
    assert direct and all(r["type"] == "direct" for r in direct) and len(direct) < len(every)


def test_word_search_stems_and_keeps_to_whole_words():
    from onrecord.store.queries import highlight_pattern

    email = highlight_pattern("email")
    assert email.search("two emails were sent") and email.search("the Email") and email.search("email's")
    assert not email.search("females and males") and not email.search("emailer")
    assert highlight_pattern("emails").search("one email")
    assert highlight_pattern("policies").search("a policy") and highlight_pattern("policy").search("policies")
    assert highlight_pattern("taxes").search("a tax") and not highlight_pattern("tax").search("taxi")
    assert highlight_pattern("  ") is None


def test_word_search_in_sql_matches_the_highlight_rule(tmp_path):
    """The SQL pattern (RE2, Unicode word edges) and the Python highlight find the same words."""
    import duckdb

    from onrecord.store.queries import highlight_pattern, word_match

    texts = ["emails sent", "females", "The e-mail", "café emails", "EMAIL.", "emailing", "naïve émail"]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[t] for t in texts])
    for query_ in ("email", "émail", "mail"):
        clauses, params = word_match("x", query_)
        found = {r[0] for r in con.execute(f"SELECT x FROM t WHERE {' AND '.join(clauses)}", params).fetchall()}
        assert found == {t for t in texts if highlight_pattern(query_).search(t)}, query_


def test_derived_tables_answer_like_the_stored_tables(db):
    """Every list gives the same rows from the derived tables (fresh after ingest) as computed live."""
    from onrecord.store import queries as q

    def answers(store):
        f = q.Filters
        key = q.speakers(store, f(limit=1)).rows[0]["key"]
        return [
            q.speakers(store, f(limit=0)).rows,
            q.speakers(store, f(limit=0, publisher="Valley Courier", since="2031-02-01")).rows,
            q.quotes(store, f(limit=0)).rows,
            q.quotes(store, f(limit=0, order="asc", anonymous=True)).rows,
            q.articles(store, f(limit=0, sort="speakers")).rows,
            q.publishers(store, f()).rows,
            q.sources(store, f()).rows,
            q.speaker_profile(store, key),
            q.publisher_profile(store, "Valley Courier"),
            q.stats(store),
        ]

    with Store.open(db, read_only=True) as store:
        assert q.derived_fresh(store)
        q.prepare(store)
        derived = answers(store)
        q._LIVE[store] = True  # what a stale store reads
        assert answers(store) == derived


def test_an_alias_file_reads_the_live_tables(db, tmp_path):
    """--aliases lays corrections over the identities for one query: the derived totals would be stale."""
    top = rows(db, "speakers", "--limit", "2")
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text(f"merge\t{top[1]['key']}\t{top[0]['key']}\n", encoding="utf-8")
    merged = rows(db, "speakers", "--limit", "1", "--aliases", str(aliases))
    assert merged[0]["key"] == top[0]["key"]
    assert merged[0]["attributions"] == top[0]["attributions"] + top[1]["attributions"]


def test_bad_sort_and_offset_are_one_line(db):
    for args in (["speakers", "--sort", "evil"], ["quotes", "--offset", "-1"], ["articles", "--order", "up"]):
        result = onrecord("query", *args, "--db", str(db))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_derived_tables_match_their_layout(tmp_path):
    from onrecord.store.tables import AGGREGATES

    with Store.open(tmp_path / "new.db") as store:
        for name, cols in AGGREGATES.items():
            described = store.con.execute(f"DESCRIBE {name}").fetchall()
            assert [(r[0], r[1]) for r in described] == cols, name
