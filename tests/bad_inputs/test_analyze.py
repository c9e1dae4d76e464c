"""`onrecord analyze` reads what `ingest` reads, names every article by the one naming rule, and reports
each unreadable input in one line while the others are still analysed (exit 2 at the end)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from tests.store.corpus import articles, write_jsonl, write_warc

from .checks import assert_clean_failure

TEXT = "The mayor said the bridge would reopen in May, city officials confirmed on Monday."
HTML = (
    "<!doctype html><html><body><article><p>“We will not close the school,” the headteacher said on "
    "Friday after the meeting with the parents.</p></article></body></html>"
)


def run(*args: str):
    return CliRunner().invoke(main, ["analyze", "--no-model", *args])


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """a/x.txt, a/x.html and a/sub/x.txt: three articles that a name by stem would all call `x`."""
    root = tmp_path_factory.mktemp("analyze") / "a"
    (root / "sub").mkdir(parents=True)
    (root / "x.txt").write_text(TEXT, encoding="utf-8")
    (root / "x.html").write_text(HTML, encoding="utf-8")
    (root / "sub" / "x.txt").write_text("Shop owners said the closure had cut their sales by half.", encoding="utf-8")
    return root


def test_a_missing_input_is_one_line_and_the_others_are_analysed(folder):
    result = run(str(folder / "x.txt"), str(folder / "missing.txt"), "--format", "jsonl")
    assert_clean_failure(result, "E016")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"] for r in records] == [str(folder / "x.txt")]
    assert records[0]["text"] == TEXT


def test_json_of_several_inputs_names_every_article_by_its_path_under_the_folder(folder):
    result = run(str(folder), "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["article"] for r in records] == ["sub/x.txt", "x.html", "x.txt"]


def test_one_input_as_json_is_the_record_itself(folder):
    result = run(str(folder / "x.txt"))
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["text"] == TEXT and "article" not in record


def test_a_file_given_directly_is_named_by_its_path_as_given(folder, monkeypatch):
    monkeypatch.chdir(folder.parent)
    result = run("./a/x.txt", "a/sub/x.txt", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["article"] for line in result.stdout.splitlines()] == ["a/x.txt", "a/sub/x.txt"]


def test_an_explicit_jsonl_file_is_read_as_jsonl_not_as_text(tmp_path):
    docs = articles(2)
    feed = write_jsonl(tmp_path / "feed.jsonl", docs)
    with feed.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"text": TEXT}) + "\n")
    result = run(str(feed), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"] for r in records] == ["story-000", "story-001", f"{feed}:3"]  # FILE:LINE, FILE as given
    assert records[0]["text"] == docs[0]["text"] and records[0]["meta"]["publisher"] == docs[0]["publisher"]


def test_an_explicit_warc_file_is_read_as_warc(tmp_path):
    crawl = write_warc(tmp_path / "crawl.warc.gz", articles(2))
    result = run(str(crawl), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    names = [json.loads(line)["article"] for line in result.stdout.splitlines()]
    assert names == ["https://news.example/story-000", "https://news.example/story-001"]


def test_a_folder_no_longer_skips_jsonl_and_warc(tmp_path):
    docs = articles(3)
    write_jsonl(tmp_path / "in" / "feed.jsonl", docs[:1])
    write_warc(tmp_path / "in" / "crawl.warc", docs[1:2])
    (tmp_path / "in" / "page.txt").write_text(docs[2]["text"], encoding="utf-8")
    result = run(str(tmp_path / "in"), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    names = [json.loads(line)["article"] for line in result.stdout.splitlines()]
    assert names == ["https://news.example/story-001", "story-000", "page.txt"]


def test_a_bad_line_of_a_jsonl_file_is_one_line_and_the_rest_is_analysed(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"text": TEXT}) + "\nnot json\n", encoding="utf-8")
    result = run(str(feed), "--format", "jsonl")
    assert_clean_failure(result, "E018")
    assert f"{feed}:2" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_an_empty_folder_is_one_clear_line(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("not,an,article\n", encoding="utf-8")
    result = run(str(tmp_path / "empty"))
    assert_clean_failure(result, "E017")
    assert result.stdout == ""


def test_a_table_folder_is_refused_clearly(tmp_path):
    tables = tmp_path / "out"
    tables.mkdir()
    (tables / "_onrecord.json").write_text("{}", encoding="utf-8")
    result = run(str(tables))
    line = assert_clean_failure(result, "E022")
    assert "onrecord ingest" in line


def test_stdin_is_one_article(folder):
    result = CliRunner().invoke(main, ["analyze", "--no-model", "-", "--format", "jsonl"], input=TEXT)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["article"] == "stdin"


def test_utf16_with_a_lone_surrogate_is_one_line_not_a_traceback(tmp_path):
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\xff\xfe" + "Hi ".encode("utf-16-le") + b"\x00\xd8" + " there, she said.".encode("utf-16-le"))
    assert "odd.txt" in assert_clean_failure(run(str(odd)), "E024")
