"""The CLI as a user runs it: real subprocesses, real files, exit codes and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "onrecord" / "examples" / "harbour-talks.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "onrecord.cli", *args], input=stdin, capture_output=True, env=env, timeout=300
    )


def assert_clean_error(result: subprocess.CompletedProcess, needle: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "Traceback" not in err
    assert needle in err


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "good.txt").write_text("The mayor said the bridge would reopen in May.\n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Le maire a déclaré, the mayor said that it was “fine”.".encode("cp1252"))
    (folder / "nothing.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    return folder


def test_analyze_example_json_validates_and_round_trips():
    result = run("analyze", str(EXAMPLE), "--published", "2031-03-04")
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["schema"] == "onrecord.article/1"
    assert record["meta"]["published"] == "2031-03-04"
    text = record["text"]
    assert text == EXAMPLE.read_text(encoding="utf-8")
    for a in record["attributions"]:
        for span in (a["content"], a["cue"], a["source"] and a["source"]["mention"]):
            if span:
                assert text[span["start"] : span["end"]] == span["text"]


def test_text_format_shows_speakers():
    result = run("analyze", str(EXAMPLE), "--format", "text")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert "Lorren" in out and "speaker" in out


def test_stdin_input():
    result = run("analyze", "-", "--format", "jsonl", stdin="“Enough,” the judge said.".encode())
    assert result.returncode == 0, result.stderr.decode()
    line = json.loads(result.stdout)
    assert line["article"] == "stdin"
    assert line["attributions"][0]["source"]["mention"]["text"] == "the judge"


@pytest.mark.parametrize(
    ("name", "needle"),
    [("empty.txt", "empty"), ("binary.txt", "binary"), ("nothing.html", "no article text")],
)
def test_bad_single_input_is_one_clear_line(bad_inputs, name, needle):
    assert_clean_error(run("analyze", str(bad_inputs / name)), needle)


def test_non_utf8_text_is_decoded(bad_inputs):
    result = run("analyze", str(bad_inputs / "latin1.txt"))
    assert result.returncode == 0
    assert "déclaré" in json.loads(result.stdout)["text"]


def test_bad_file_in_folder_does_not_stop_the_others(bad_inputs):
    result = run("analyze", str(bad_inputs), "--format", "jsonl")
    assert_clean_error(result, "could not be read")
    names = {json.loads(line)["article"] for line in result.stdout.decode().splitlines()}
    assert {"good", "latin1"} <= names
    assert "empty" not in names


def test_missing_path_and_bad_date():
    assert_clean_error(run("analyze", "/no/such/file.txt"), "no such file")
    assert_clean_error(run("analyze", str(EXAMPLE), "--published", "15/11/2024"), "YYYY-MM-DD")


def test_unknown_model_is_a_clear_error():
    assert_clean_error(run("analyze", str(EXAMPLE), "--model", "no_such_model_xyz"), "not installed")


def test_evaluate_rejects_a_folder_that_is_not_a_corpus(tmp_path):
    assert_clean_error(run("evaluate", "--gold", str(tmp_path)), "E003")


def test_five_megabyte_input_is_refused_clearly(tmp_path):
    paragraph = EXAMPLE.read_text(encoding="utf-8")
    huge = tmp_path / "dump.txt"
    huge.write_text(paragraph * (5 * 1024 * 1024 // len(paragraph) + 1), encoding="utf-8")
    assert_clean_error(run("analyze", str(huge)), "ONRECORD_MAX_CHARS")


def test_unbalanced_quotes_still_give_a_result(tmp_path):
    text = "“We will win,” the coach said. He added: “Nobody stops us\nThe match starts at noon.\n"
    path = tmp_path / "unbalanced.txt"
    path.write_text(text, encoding="utf-8")
    result = run("analyze", str(path))
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert any("We will win" in a["content"]["text"] for a in record["attributions"])
