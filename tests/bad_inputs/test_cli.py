"""Bad options and inputs of evaluate, bench, train, serve and the CLI itself: one coded line, exit 2.

In process (CliRunner); every case fails before the model loads.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import main

from .checks import assert_clean_failure

MINI = Path(__file__).resolve().parents[1] / "data" / "gold_mini"


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), prog_name="onrecord")


def test_evaluate_pred_out_in_a_missing_folder(tmp_path):
    assert_clean_failure(run("evaluate", "--gold", str(MINI), "--pred-out", "/no/such/dir/p.jsonl"), "E076")


def _gold_without_texts(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    return tmp_path


def _gold_with_bad_offsets(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    (corpus / "attributions" / "alpha_aa.ann").write_text("T1\tContent ten twenty\tx\nE1\tAttr:T1\n", "utf-8")
    return corpus


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda tmp: tmp / "missing", "E070"),
        (lambda tmp: tmp, "E071"),
        (_gold_without_texts, "E072"),
        (_gold_with_bad_offsets, "E075"),
    ],
)
def test_evaluate_on_what_is_not_a_gold_corpus(tmp_path, make, code):
    assert_clean_failure(run("evaluate", "--gold", str(make(tmp_path))), code)


def test_bench_without_a_readable_article(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert_clean_failure(run("bench", str(empty)), "E077")


def test_train_with_a_missing_config(tmp_path):
    args = ("train", "--data", str(MINI), "--out", str(tmp_path / "out"), "--config", str(tmp_path / "no.toml"))
    assert_clean_failure(run(*args), "E078")
    assert not (tmp_path / "out").exists()


def test_serve_on_a_busy_port_says_so_before_loading_the_model():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = assert_clean_failure(run("serve", "--port", str(port), "--model", "no_such_model_xyz"), "E094")
    assert f"port {port} on 127.0.0.1 is in use" in line


def test_serve_on_a_host_that_does_not_resolve():
    assert_clean_failure(run("serve", "--host", "no-such-host.invalid"), "E095")


@pytest.mark.parametrize(
    "args",
    [
        ("analyze",),  # missing argument
        ("bogus",),  # no such command
        ("analyze", "x.txt", "--bogus"),  # no such option
        ("serve", "--port", "99999"),  # out of range
        ("bench", "x.txt", "--repeat", "0"),
        ("analyze", "x.txt", "--format", "xml"),
        ("query", "stats"),  # missing --db, in a subgroup
        ("query", "quotes", "--db", "x.duckdb", "--since", "yesterday"),  # a callback's BadParameter
    ],
)
def test_usage_errors_are_one_coded_line(args):
    line = assert_clean_failure(run(*args), "E093")
    assert "-h)" in line  # points at the command's help


def test_the_bare_group_still_shows_its_help():
    result = run()
    assert "Usage:" in result.output and "analyze" in result.output


def test_serve_when_the_port_is_taken_after_the_check(monkeypatch):
    """The race between the check and uvicorn's bind: uvicorn's exit becomes the same one line."""
    import types

    import onrecord.cli.serve as serving
    import onrecord.web.app as web_app

    async def app(scope, receive, send):  # a bare ASGI app: the real one would load the model
        raise AssertionError("never served")

    app.state = types.SimpleNamespace(analyzer=types.SimpleNamespace(warm=lambda: None))
    monkeypatch.setattr(web_app, "create_app", lambda *args, **kwargs: app)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        calls: list[int] = []
        real_check = serving.check_address

        def check_after_the_first(host: str, port: int) -> None:  # as if the port were taken just after the check
            calls.append(port)
            if len(calls) > 1:
                real_check(host, port)

        monkeypatch.setattr(serving, "check_address", check_after_the_first)
        result = run("serve", "--port", str(port))
    assert len(calls) == 2, result.stderr
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("onrecord: error: [E094]"), result.stderr
