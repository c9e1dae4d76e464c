"""README documents every corpus command, subcommand and option (tests/test_docs.py covers the
top-level commands; this covers `query`'s subcommands and `bench --ingest` too)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from onrecord.cli import main
from onrecord.settings import LOG_INTERVAL_ENV

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def commands():
    query = main.commands["query"]
    assert isinstance(query, click.Group)
    found = [(f"query {name}", command) for name, command in sorted(query.commands.items())]
    return [*found, *((name, main.commands[name]) for name in ("ingest", "export", "spark", "bench"))]


@pytest.mark.parametrize(("name", "command"), commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_corpus_commands_documented(name, command):
    assert f"onrecord {name}" in README or f"`{name.split()[-1]}`" in README, name
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in README, f"{name} {opt} is not in README.md"


def test_query_subcommands_and_settings_documented():
    for sub in ("stats", "speakers", "quotes", "sources"):
        assert f"`{sub}`" in README
    assert "## Corpora" in README and "--ingest" in README and LOG_INTERVAL_ENV in README
