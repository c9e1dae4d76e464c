"""Bad settings in the environment are refused in one place, by name, before any work starts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from onrecord.cli import main
from onrecord.errors import OptionError
from onrecord.settings import Settings

from .checks import assert_clean_failure

BAD = [
    ("ONRECORD_BATCH_SIZE", "abc"),
    ("ONRECORD_BATCH_SIZE", "0"),
    ("ONRECORD_MAX_CHARS", "abc"),
    ("ONRECORD_LOG_INTERVAL", "x"),
    ("ONRECORD_LOG_INTERVAL", "-1"),
    ("ONRECORD_MAX_BODY_MB", "nan"),
]


@pytest.mark.parametrize(("variable", "value"), BAD)
def test_a_bad_environment_value_is_refused_by_name(variable, value):
    with pytest.raises(OptionError) as caught:
        Settings.from_env({variable: value})
    assert variable in caught.value.message


def test_explicit_values_win_and_are_checked_like_the_environment():
    assert Settings.from_env({"ONRECORD_BATCH_SIZE": "abc"}, batch_size=8).batch_size == 8
    with pytest.raises(OptionError) as caught:
        Settings(batch_size=0)
    assert caught.value.code == "E091" and "Settings.batch_size" in caught.value.message


def test_analyze_with_a_bad_batch_size_is_one_line_and_exit_2(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen in May.", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(article)], env={"ONRECORD_BATCH_SIZE": "abc"})
    assert_clean_failure(result)


def _commands(tmp_path) -> dict[str, list[str]]:
    """Every command that analyses or serves, with arguments that would otherwise start real work."""
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen in May.", encoding="utf-8")
    db = str(tmp_path / "corpus.duckdb")
    return {
        "analyze": ["analyze", str(article)],
        "evaluate": ["evaluate", "--gold", str(tmp_path)],
        "bench": ["bench", str(article)],
        "train": ["train", "--data", str(tmp_path), "--out", str(tmp_path / "model")],
        "serve": ["serve", "--port", "0"],
        "ingest": ["ingest", str(article), "--db", db],
        "spark": ["spark", str(article), str(tmp_path / "out")],
    }


ISSUE_CASES = [("ONRECORD_BATCH_SIZE", "abc"), ("ONRECORD_LOG_INTERVAL", "x"), ("ONRECORD_MAX_CHARS", "abc")]
COMMANDS = ["analyze", "evaluate", "bench", "train", "serve", "ingest", "spark"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("variable", "value"), ISSUE_CASES)
def test_every_command_refuses_a_bad_environment_value_before_any_work(tmp_path, command, variable, value):
    args = _commands(tmp_path)[command]
    files = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(main, args, env={variable: value})
    line = assert_clean_failure(result)
    assert variable in line and ("[E091]" in line or "[E092]" in line), line
    assert sorted(tmp_path.rglob("*")) == files, "nothing is written (no database, no output folder)"


def test_a_bad_flag_is_refused_by_its_name():
    result = CliRunner().invoke(main, ["serve", "--max-body-mb", "0"])
    assert "--max-body-mb" in assert_clean_failure(result, "E093")
