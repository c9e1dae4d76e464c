"""Corpus identities in a real store: the pass at the end of ingest, the same identities for one ingest
and for two halves, and users' corrections through the CLI, undone by their inverse and round-tripped
through an aliases file."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.store.conftest import onrecord, table
from tests.store.corpus import write_txt

IDENTITY_TABLES = ("identities", "identity_members", "identity_variants")


def speakers(db, *extra):
    result = onrecord("query", "speakers", "--db", str(db), "--limit", "0", "--format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return {row["key"]: row for row in json.loads(result.stdout)}


@pytest.fixture
def db(reference_db, tmp_path):
    copy = tmp_path / "corpus.db"
    shutil.copy(reference_db, copy)
    return copy


def test_two_halves_give_the_same_identities(reference_db, docs, tmp_path):
    from onrecord.store.ingest import ingest

    halves = tmp_path / "halves.db"
    for n, part in enumerate((docs[:13], docs[13:])):
        folder = write_txt(tmp_path / f"part{n}", part)
        ingest([str(folder)], halves, workers=1, batch=4, progress=False, log=lambda _: None)
    for name in (*IDENTITY_TABLES, "statements", "appearances"):  # the statements pass follows the identities
        assert table(halves, name) == table(reference_db, name), name
    assert len(table(reference_db, "identities")) > 10


def test_surname_joins_the_full_name_and_descriptions_are_not_ranked(reference_db):
    ranked = speakers(reference_db)
    assert ranked["person:lena brask"]["articles"] > 1
    surnames = {k.split(" ")[-1] for k in ranked if k.startswith("person:") and " " in k}
    assert not [k for k in ranked if k.startswith("person:") and " " not in k and k[7:] in surnames]
    variants = {r[2] for r in table(reference_db, "identity_variants") if r[0] == "person:lena brask"}
    assert "Lena Brask" in variants
    assert not [k for k, row in ranked.items() if row["kind"] in ("unnamed", "unresolved")]
    described = speakers(reference_db, "--kind", "unnamed")
    assert described and all("@" in key for key in described)


def test_merge_split_rename_change_queries_at_once_and_undo(db, tmp_path):
    before = speakers(db)
    a, b = sorted(k for k in before if k.startswith("person:"))[:2]
    assert onrecord("speakers", "merge", "--db", str(db), a, b).returncode == 0
    merged = speakers(db)
    assert a not in merged and merged[b]["attributions"] == before[a]["attributions"] + before[b]["attributions"]
    quotes = onrecord("query", "quotes", "--db", str(db), "--speaker", a, "--format", "json", "--limit", "0")
    assert {q["key"] for q in json.loads(quotes.stdout)} == {b}  # a variant key finds its identity
    assert onrecord("speakers", "split", "--db", str(db), a).returncode == 0
    assert speakers(db) == before
    assert onrecord("speakers", "rename", "--db", str(db), b, "Someone Else").returncode == 0
    assert speakers(db)[b]["name"] == "Someone Else"
    assert onrecord("speakers", "rename", "--db", str(db), b, before[b]["name"]).returncode == 0
    assert speakers(db) == before


def test_a_cli_correction_leaves_the_derived_lists_fresh(db):
    """The lists read the derived tables only while they are fresh; a correction rebuilds them, so the
    lists stay fast after `speakers merge` (a stale table would be correct but slow)."""
    from onrecord.store import queries
    from onrecord.store.db import Store

    before = speakers(db)
    a, b = sorted(k for k in before if k.startswith("person:"))[:2]
    assert onrecord("speakers", "merge", "--db", str(db), a, b).returncode == 0
    with Store.open(db, read_only=True) as store:
        assert queries.derived_fresh(store)
        rows = {r["key"]: r for r in queries.speakers(store, queries.Filters(limit=0)).rows}
    assert a not in rows and rows[b]["attributions"] == before[a]["attributions"] + before[b]["attributions"]


def test_aliases_file_round_trips(db, reference_db, txt_corpus, tmp_path):
    before = speakers(db)
    a, b = sorted(k for k in before if k.startswith("person:"))[:2]
    onrecord("speakers", "merge", "--db", str(db), a, b)
    onrecord("speakers", "rename", "--db", str(db), b, "Merged Name")
    corrected = speakers(db)
    aliases = tmp_path / "aliases.tsv"
    assert onrecord("speakers", "export-aliases", "--db", str(db), "--out", str(aliases)).returncode == 0
    assert aliases.read_text(encoding="utf-8").splitlines()[1:] == [f"merge\t{a}\t{b}", f"rename\t{b}\tMerged Name"]
    # the file at query time over the untouched corpus: the same ranking, nothing written
    assert speakers(reference_db, "--aliases", str(aliases)) == corrected
    assert speakers(reference_db) == before
    # the file given to ingest is stored: the corpus then answers as the corrected one
    fresh = tmp_path / "fresh.db"
    shutil.copy(reference_db, fresh)
    again = onrecord("ingest", str(txt_corpus), "--db", str(fresh), "--aliases", str(aliases), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["stored"] == 0, again.stderr
    assert speakers(fresh) == corrected
    exported = onrecord("speakers", "export-aliases", "--db", str(fresh))
    assert exported.stdout == aliases.read_text(encoding="utf-8")
