"""The CLI as a user runs it: real files, exit codes and stderr.

In process with click's CliRunner (the model loads once for the whole file instead of once per
command); a few tests keep a real subprocess where the process boundary is the point: `python -m
onrecord.cli`, signals.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from onrecord.cli import main
from tests.bad_inputs.checks import assert_clean_failure

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "onrecord" / "examples" / "harbour-talks.txt"


def run(*args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, env=env, prog_name="onrecord")


def assert_clean_error(result: Result, needle: str) -> None:
    """Exit 2, no traceback, the message on stderr (analyze may add a count line: tests/bad_inputs checks
    the exact one-line shape)."""
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert needle in result.stderr, result.stderr


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
    assert result.exit_code == 0, result.stderr
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
    assert result.exit_code == 0
    assert "Lorren" in result.stdout and "speaker" in result.stdout


ACTS_ARTICLE = (
    "The mayor said the bridge would reopen in May.\n"
    "Residents believe the repairs will take longer.\n"
    "The council plans to borrow money for the work.\n"
    "A survey of shop owners found that sales had fallen by a third.\n"
)


def test_act_filter_keeps_only_those_acts_and_the_text_table_shows_them():
    whole = json.loads(run("analyze", "-", stdin=ACTS_ARTICLE.encode()).stdout)
    acts = {a["act"] for a in whole["attributions"]}
    assert {"speech", "thought"} <= acts
    result = run("analyze", "-", "--act", "thought, intention", stdin=ACTS_ARTICLE.encode())
    assert result.exit_code == 0, result.stderr
    kept = json.loads(result.stdout)["attributions"]
    assert kept and {a["act"] for a in kept} <= {"thought", "intention"}
    assert len(kept) == sum(a["act"] in ("thought", "intention") for a in whole["attributions"])
    table = run("analyze", "-", "--format", "text", stdin=ACTS_ARTICLE.encode()).stdout
    assert table.splitlines()[1].split()[:3] == ["speaker", "type", "act"] and "thought" in table
    assert_clean_failure(run("analyze", "-", "--act", "gossip", stdin=b"x"), "E098")


def test_stdin_input():
    result = run("analyze", "-", "--format", "jsonl", stdin="“Enough,” the judge said.".encode())
    assert result.exit_code == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["article"] == "stdin"
    assert line["attributions"][0]["source"]["mention"]["text"] == "the judge"


def test_no_model_gives_the_rules_alone():
    result = run("analyze", "-", "--no-model", stdin="“Enough,” the judge said.")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["attributions"]


@pytest.mark.parametrize(
    ("name", "needle"),
    [("empty.txt", "empty"), ("binary.txt", "binary"), ("nothing.html", "no article text")],
)
def test_bad_single_input_is_one_clear_line(bad_inputs, name, needle):
    assert_clean_error(run("analyze", str(bad_inputs / name)), needle)


def test_non_utf8_text_is_decoded(bad_inputs):
    result = run("analyze", str(bad_inputs / "latin1.txt"))
    assert result.exit_code == 0
    assert "déclaré" in json.loads(result.stdout)["text"]


def test_bad_file_in_folder_does_not_stop_the_others(bad_inputs):
    result = run("analyze", str(bad_inputs), "--format", "jsonl")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    for bad in ("empty", "binary", "nothing"):  # each named on its own line (by stem or by relative path)
        assert any(f"] {bad}" in line for line in result.stderr.splitlines()), result.stderr
    names = {Path(json.loads(line)["article"]).stem for line in result.stdout.splitlines()}
    assert {"good", "latin1"} <= names
    assert "empty" not in names


def test_missing_path_and_bad_date():
    assert_clean_error(run("analyze", "/no/such/file.txt"), "no such file")
    assert_clean_error(run("analyze", str(EXAMPLE), "--published", "15/11/2024"), "YYYY-MM-DD")


def test_unknown_model_is_a_clear_error():
    assert_clean_error(run("analyze", str(EXAMPLE), "--model", "no_such_model_xyz"), "[E050]")


def test_model_from_the_environment_is_used():
    assert_clean_error(run("analyze", str(EXAMPLE), env={"ONRECORD_MODEL": "no_such_model_xyz"}), "[E050]")


def test_evaluate_rejects_a_folder_that_is_not_a_corpus(tmp_path):
    assert_clean_failure(run("evaluate", "--gold", str(tmp_path)), "E071")


def test_evaluate_writes_the_predictions_it_scores(tmp_path):
    out = tmp_path / "predictions.jsonl"
    result = run("evaluate", "--gold", str(ROOT / "tests" / "data" / "gold_mini"), "--pred-out", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["article"] for line in lines) == ["alpha", "beta", "gamma"]
    assert metrics["counts"]["predictions"] == sum(len(line["attributions"]) for line in lines)


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
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert any("We will win" in a["content"]["text"] for a in record["attributions"])


def test_help_and_version():
    assert run("--help").exit_code == 0
    assert "onrecord" in run("--version").stdout


# ------------------------------------------------------------------ real processes ---


def _default_signals() -> None:
    """In the child before exec: SIGINT and SIGTERM as a shell would give them, whatever the test
    process inherited or changed (an ignored or blocked SIGINT is inherited across exec)."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def subprocess_cli(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "onrecord.cli", *args]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=_default_signals, **pipes, **kwargs)


def test_python_dash_m_runs_the_cli():
    process = subprocess_cli("analyze", "-", stdin=subprocess.PIPE)
    out, err = process.communicate("“Enough,” the judge said.".encode(), timeout=300)
    assert process.returncode == 0, err.decode()
    assert json.loads(out)["attributions"][0]["source"]["mention"]["text"] == "the judge"


def _wait_for_handler(pid: int, signum: int, timeout: float = 60) -> None:
    """Until the process catches `signum` (Linux: the SigCgt mask in /proc), i.e. its command is running."""
    status = Path(f"/proc/{pid}/status")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        caught = next(line for line in status.read_text().splitlines() if line.startswith("SigCgt:"))
        if int(caught.split()[1], 16) & (1 << (signum - 1)):
            return
        time.sleep(0.05)
    pytest.fail(f"the command did not install a handler for signal {signum}")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc to know when the command runs")
@pytest.mark.parametrize(("signum", "exit_code", "code"), [(signal.SIGTERM, 143, "E097"), (signal.SIGINT, 130, "E096")])
def test_a_signal_stops_a_waiting_command_with_one_line(signum, exit_code, code):
    process = subprocess_cli("analyze", "-", stdin=subprocess.PIPE)
    try:
        _wait_for_handler(process.pid, signal.SIGTERM)
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    status = process.returncode
    if signum == signal.SIGINT and status == -signal.SIGINT:
        # Python may end an interrupted process by re-raising SIGINT on itself after the one-line message
        # (seen under heavy load); a shell reports that as 130 too, which is what the README promises.
        status = exit_code
    finished = subprocess.CompletedProcess(process.args, status, b"", err)
    assert_clean_failure(finished, code, exit_code=exit_code)
