"""The coded templates of onrecord/errors.py: one code per message, each inside its section's range, and
the CLI's one-line shape for every error."""

from __future__ import annotations

import itertools
import re
import signal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from onrecord import errors
from onrecord.cli.common import handle_errors
from onrecord.errors import Errors, InputError, OptionError, Terminated

SOURCE = Path(errors.__file__).read_text(encoding="utf-8")
SECTION = re.compile(r"^    # --- (?P<name>.+) \(E(?P<low>\d{3})–E(?P<high>\d{3})\)$")
TEMPLATE = re.compile(r"^    (?P<code>E\d{3}) = ")


def templates_by_section() -> list[tuple[str, int, int, str]]:
    """(section, low, high, code) for every template line of the Errors class, read from the source, so that
    a code written twice (which Python would silently let the second win) is seen."""
    found, section = [], None
    for line in SOURCE.splitlines():
        if header := SECTION.match(line):
            section = (header["name"], int(header["low"]), int(header["high"]))
        elif template := TEMPLATE.match(line):
            assert section, f"{template['code']} sits above the first section header"
            found.append((*section, template["code"]))
    return found


def test_every_code_is_unique_and_in_its_sections_range():
    found = templates_by_section()
    assert found, "no templates found: has the section header format changed?"
    codes = [code for *_, code in found]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    for name, low, high, code in found:
        assert low <= int(code[1:]) <= high, f"{code} is outside section {name!r} (E{low:03d}–E{high:03d})"
    assert set(codes) == set(errors.codes())


def test_sections_do_not_overlap():
    headers = [SECTION.match(line) for line in SOURCE.splitlines()]
    ranges = sorted((int(h["low"]), int(h["high"])) for h in headers if h)
    assert all(high < next_low for (_, high), (next_low, _) in itertools.pairwise(ranges))


def test_a_template_reads_with_its_code_and_the_error_parses_it_back():
    exc = OptionError(Errors.E091.format(what="ONRECORD_BATCH_SIZE", minimum="1", value="abc"))
    assert exc.code == "E091"
    assert str(exc) == "[E091] ONRECORD_BATCH_SIZE must be a whole number of at least 1, got 'abc'"
    assert exc.message.startswith("ONRECORD_BATCH_SIZE")


def test_terminated_is_a_keyboard_interrupt():
    # cleanup written for Ctrl-C (`except KeyboardInterrupt`) must also run on SIGTERM
    assert issubclass(Terminated, KeyboardInterrupt)


def _failing(exc: BaseException) -> click.Command:
    @click.command()
    @handle_errors
    def command() -> None:
        raise exc

    return command


@pytest.mark.parametrize(
    ("exc", "exit_code", "code"),
    [
        (InputError(Errors.E090.format(what="--published", value="x")), 2, "E090"),
        (KeyboardInterrupt(), 130, "E096"),
        (Terminated(), 143, "E097"),
    ],
)
def test_handle_errors_prints_exactly_one_coded_line(exc, exit_code, code):
    result = CliRunner().invoke(_failing(exc))
    assert result.exit_code == exit_code
    assert result.stdout == ""
    assert re.fullmatch(rf"onrecord: error: \[{code}\] [^\n]+\n", result.stderr), result.stderr


def test_handle_errors_is_silent_on_a_closed_pipe():
    result = CliRunner().invoke(_failing(BrokenPipeError()))
    assert (result.exit_code, result.stderr) == (0, "")


@pytest.mark.parametrize("replacement", [KeyboardInterrupt, RuntimeError, InputError])
def test_sigterm_stays_sigterm_when_a_library_replaces_the_exception(replacement):
    """DuckDB raises RuntimeError("Query interrupted") when the handler's exception lands inside a query."""

    @click.command()
    @handle_errors
    def command() -> None:
        try:
            signal.raise_signal(signal.SIGTERM)
        except Terminated:
            raise replacement(Errors.E077) from None  # what such a library raises instead

    previous = signal.getsignal(signal.SIGTERM)
    result = CliRunner().invoke(command)
    assert (result.exit_code, result.stderr) == (143, "onrecord: error: [E097] terminated (SIGTERM)\n")
    assert signal.getsignal(signal.SIGTERM) is previous  # the handler is put back after the command


def test_a_bug_without_a_signal_still_shows_its_traceback():
    result = CliRunner().invoke(_failing(RuntimeError("bug")))
    assert isinstance(result.exception, RuntimeError)


def test_an_uncoded_message_is_a_bug_not_an_error_shown_to_users():
    with pytest.raises(TypeError):
        InputError("something went wrong")
    error = InputError(Errors.E010.format(name="a.txt", size=9, limit=5, env="ONRECORD_MAX_CHARS"))
    assert error.code == "E010" and str(error).startswith("[E010] a.txt: 9 characters")
