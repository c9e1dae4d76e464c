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
    with pytest.raises(OptionError):
        Settings(batch_size=0)


def test_analyze_with_a_bad_batch_size_is_one_line_and_exit_2(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would reopen in May.", encoding="utf-8")
    result = CliRunner().invoke(main, ["analyze", str(article)], env={"ONRECORD_BATCH_SIZE": "abc"})
    assert_clean_failure(result)
