"""Every command, option and setting a user can reach is documented in README.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from onrecord import inputs as read
from onrecord import settings
from onrecord.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands():
    return sorted(main.commands.items())


@pytest.mark.parametrize(("name", "command"), commands())
def test_command_and_options_documented(name, command):
    assert f"onrecord {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"{name} {opt} is not in README.md"


@pytest.mark.parametrize("variable", [settings.MODEL_ENV, settings.BATCH_ENV, read.MAX_CHARS_ENV])
def test_environment_settings_documented(variable):
    assert variable in README
