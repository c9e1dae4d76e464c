"""Every command, option and setting a user can reach is documented in README.md, each command under its
own heading (`### onrecord analyze`, `#### onrecord query stats`) that names every one of its options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from onrecord import settings
from onrecord.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^(#+) (.+?)\s*$", re.MULTILINE)


def command_tree(command: click.Command = main, path: str = "onrecord") -> Iterator[tuple[str, click.Command]]:
    """(`onrecord query stats`, its command) for every command and subcommand below the root."""
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield f"{path} {name}", sub
        yield from command_tree(sub, f"{path} {name}")


def section(title: str) -> str:
    """The text under the one heading `title`, up to the next heading of the same or a higher level."""
    headings = list(HEADING.finditer(README))
    found = [h for h in headings if h[2] == title]
    assert len(found) == 1, f"README.md needs exactly one heading '{title}', has {len(found)}"
    level = len(found[0][1])
    after = (h for h in headings if h.start() > found[0].start() and len(h[1]) <= level)
    end = next(after, None)
    return README[found[0].end() : end.start() if end else len(README)]


def long_options(command: click.Command) -> list[str]:
    names = (opt for p in command.params if isinstance(p, click.Option) for opt in p.opts + p.secondary_opts)
    return [opt for opt in names if opt.startswith("--") and opt != "--help"]


COMMANDS = list(command_tree())


def test_the_tree_is_walked():
    paths = {path for path, _ in COMMANDS}
    assert {"onrecord analyze", "onrecord query", "onrecord query stats", "onrecord serve"} <= paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_a_heading_naming_each_option(path, command):
    text = section(path)
    missing = [opt for opt in long_options(command) if not re.search(rf"`{re.escape(opt)}[` =\[]", text)]
    assert not missing, f"the README section '{path}' does not name {missing}"


def test_the_root_options_are_documented():
    text = section("Command line")
    for opt in long_options(main):
        assert f"`onrecord {opt}`" in text or f"`{opt}`" in text, opt


def test_every_exit_code_is_documented():
    text = section("Exit codes")
    for code in (0, 1, 2, 130, 143):
        assert re.search(rf"^\| {code} \|", text, re.MULTILINE), code


@pytest.mark.parametrize("variable", sorted(settings.VARIABLES.values()))
def test_every_environment_setting_is_documented(variable):
    assert f"`{variable}`" in section("Settings")


def test_no_removed_script_or_second_spark_cli_is_mentioned():
    for gone in ("scripts/train_model.py", "spark_job.py", "onrecord/read.py", "onrecord/evaluate.py"):
        assert gone not in README
