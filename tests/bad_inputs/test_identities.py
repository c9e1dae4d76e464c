"""Speaker corrections refuse what they cannot apply in one line (exit 2), and change nothing: an unknown
key or merge target, a malformed or unreadable aliases file, a database that is not there."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.store.db import Store
from onrecord.store.identity import refresh

from .checks import assert_clean_failure


@pytest.fixture
def db(tmp_path) -> Path:
    """A small store written with SQL (no model): two articles, one speaker in each, identities computed."""
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        for n, (name, key) in enumerate([("Lena Brask", "person:lena brask"), ("Brask", "person:brask")]):
            store.con.execute(
                "INSERT INTO articles (hash, name, text, record) VALUES (?, ?, 'text', '{}')", [f"h{n}", f"a{n}"]
            )
            store.con.execute(
                "INSERT INTO attributions (article, id, type, source_name, source_kind, source_key)"
                " VALUES (?, 'a1', 'direct', ?, 'person', ?)",
                [f"h{n}", name, key],
            )
        refresh(store)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["speakers", "merge", "person:nobody", "person:lena brask"], "E210"),
        (["speakers", "merge", "person:brask", "person:nobody"], "E211"),
        (["speakers", "split", "person:nobody"], "E210"),
        (["speakers", "rename", "person:nobody", "X"], "E210"),
    ],
)
def test_unknown_keys_are_refused(db, args, code):
    before = digest(db)
    assert_clean_failure(run(*args[:2], "--db", str(db), *args[2:]), code)
    assert digest(db) == before


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("merge\tperson:brask\n", "E212"),
        ("fuse\tperson:brask\tperson:lena brask\n", "E212"),
        ("split\tperson:brask\textra\n", "E212"),
        ("merge\tperson:nobody\tperson:lena brask\n", "E210"),
    ],
)
def test_bad_aliases_files_are_refused(db, tmp_path, text, code):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text(text, encoding="utf-8")
    before = digest(db)
    for command in (["query", "speakers"], ["query", "quotes"], ["query", "sources"]):
        assert_clean_failure(run(*command, "--db", str(db), "--aliases", str(aliases)), code)
    assert digest(db) == before


def test_unreadable_aliases_file_and_missing_database(db, tmp_path):
    binary = tmp_path / "aliases.tsv"
    binary.write_bytes(b"\xff\xfe\x00merge")
    assert_clean_failure(run("query", "speakers", "--db", str(db), "--aliases", str(binary)), "E213")
    assert_clean_failure(run("query", "speakers", "--db", str(db), "--aliases", str(tmp_path / "none.tsv")), "E213")
    assert_clean_failure(run("speakers", "merge", "--db", str(tmp_path / "none.db"), "a", "b"), "E215")
    assert not (tmp_path / "none.db").exists()


def test_ingest_refuses_a_malformed_aliases_file_before_creating_anything(tmp_path):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text("merge\tonly-one-key\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("“Hello,” Lena Brask said.\n", encoding="utf-8")
    target = tmp_path / "new.db"
    assert_clean_failure(run("ingest", str(article), "--db", str(target), "--aliases", str(aliases)), "E212")
    assert not target.exists()


def test_export_aliases_of_a_store_without_corrections_is_the_header_only(db):
    result = run("speakers", "export-aliases", "--db", str(db))
    assert result.exit_code == 0 and result.output.startswith("# onrecord speaker corrections")
    assert len(result.output.splitlines()) == 1
