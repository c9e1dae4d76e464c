"""What every `onrecord` command shares: the one Settings per invocation, the shared options, error and
signal handling, date checks, progress bars.

Kept apart from onrecord.cli.main so that command modules can use it without importing the group
that registers them.  Each shared option (`--model`, `--no-model`, `--format`) is defined here once.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import click

from onrecord.errors import Errors, OnrecordError, OptionError, Terminated
from onrecord.settings import ACCURATE_ENV, MODEL_ENV, NO_MODEL_ENV, Settings, iso_date

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_TERMINATED",
    "Terminated",
    "analysis_options",
    "check_date",
    "exit_code",
    "fail",
    "format_option",
    "handle_errors",
    "model_option",
    "progress",
    "settings_from",
]

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


def fail(message: str) -> None:
    """One line on stderr, the only shape in which the CLI reports a problem."""
    click.echo(f"onrecord: error: {message}", err=True)


# ----------------------------------------------------------------------------- settings ---


def settings_from(ctx: click.Context | None = None, /, *, no_model: bool = False, **flags: Any) -> Settings:
    """The invocation's one `Settings`: the command's flags (None: not given) over the environment.

    Built on the first call and kept on the root context's `obj`, so a command and anything it calls
    share one validated options object; a bad environment value (ONRECORD_BATCH_SIZE=abc) fails here,
    before any work, as an OptionError that `handle_errors` prints as one line.
    """
    current = ctx or click.get_current_context()
    root = current.find_root()
    if not isinstance(root.obj, Settings):
        accurate = True if current.meta.get(_ACCURATE_KEY) else None
        root.obj = Settings.from_env(use_model=False if no_model else None, accurate=accurate, **flags)
        if root.obj.accurate:
            from onrecord import encoder

            encoder.check()  # one line before any work when the encoder's packages are missing
    return root.obj


_NO_MODEL_HELP = f"Rules only: leave the trained cue model out (env {NO_MODEL_ENV})."
_ACCURATE_HELP = (
    f"Re-cut content boundaries with the pretrained encoder (slower; needs onrecord[encoder]; env {ACCURATE_ENV})."
)
_ACCURATE_KEY = "onrecord.accurate"


def _remember_accurate(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    """`--accurate` is read by `settings_from`, so the commands' signatures need no new parameter."""
    ctx.meta[_ACCURATE_KEY] = value
    return value


# The environment is read by Settings alone (no click `envvar`), so a flag and its variable cannot disagree.
model_option = click.option(
    "--model", default=None, metavar="NAME", help=f"spaCy pipeline package or path (env {MODEL_ENV})."
)


def analysis_options(func: F) -> F:
    """`--model NAME`, `--no-model` and `--accurate` (parameters `model`, `no_model`; `--accurate` goes
    to `settings_from` through the context): every command that analyses takes them and hands them to
    `settings_from(model=model, no_model=no_model)`."""
    func = click.option(
        "--accurate", is_flag=True, expose_value=False, callback=_remember_accurate, help=_ACCURATE_HELP
    )(func)
    func = click.option("--no-model", "no_model", is_flag=True, help=_NO_MODEL_HELP)(func)
    return model_option(func)


def format_option(choices: Sequence[str], default: str | None, help: str) -> Callable[[F], F]:
    """`--format` (parameter `fmt`), one definition for every command that has several outputs."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=default is not None,
        help=help,
    )


def parse_acts(value: str | None) -> tuple[str, ...] | None:
    """`--act speech,thought` → ("speech", "thought"); None when not given; OptionError on an unknown act."""
    if value is None:
        return None
    from onrecord.record import ACTS

    wanted = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if not wanted or any(act not in ACTS for act in wanted):
        raise OptionError(Errors.E098.format(choices="|".join(ACTS), value=value))
    return wanted


def act_option(func: F) -> F:
    """`--act A[,B]` (parameter `act`): only attributions whose source did one of these."""
    return click.option("--act", "act", help="Only these acts, comma-separated: speech, thought, intention, evidence.")(
        func
    )


def check_date(value: str | None) -> str | None:
    return iso_date(value, "--published")


# ------------------------------------------------------------------- errors and signals ---


# Set by the handler: a library may replace the exception raised inside its C code by its own (DuckDB raises
# RuntimeError("Query interrupted") when the signal lands during a query), which must still end as SIGTERM.
_SIGTERM_SEEN = threading.Event()


def _raise_terminated(_signum: int, _frame: Any) -> None:
    # Later SIGTERMs are ignored while the command unwinds, so cleanup (stopping workers) runs to the end;
    # `kill -9` remains the way to stop a process whose cleanup hangs.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _SIGTERM_SEEN.set()
    raise Terminated()


@contextmanager
def sigterm_as_terminated() -> Iterator[None]:
    """SIGTERM raises `Terminated` (a KeyboardInterrupt) in the main thread while the block runs.

    The previous handler comes back afterwards, so commands invoked in process (tests, other front
    ends) leave the host's signal handling as it was.  Outside the main thread nothing is installed:
    Python delivers signals to the main thread only.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _SIGTERM_SEEN.clear()
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def handle_errors(func: F) -> F:
    """Every known way a command can fail becomes one line on stderr and its exit code (see `exit_code`)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with sigterm_as_terminated():
                return func(*args, **kwargs)
        except SystemExit:
            raise
        except BaseException as exc:
            code = exit_code(exc)
            if code is None:
                raise  # a bug: its traceback is worth seeing
            sys.exit(code)

    return wrapper  # type: ignore[return-value]


def exit_code(exc: BaseException) -> int | None:
    """Report `exc` as one line and give the exit code, or None for an exception that is a bug.

    SIGTERM → 143 whatever exception the interrupted code ended with (a library may replace `Terminated`,
    and a store error may follow it); Ctrl-C → 130; OnrecordError → 2; a closed pipe (`| head`) → 0, silently.
    """
    if isinstance(exc, Terminated) or _SIGTERM_SEEN.is_set():
        fail(Errors.E097)
        return EXIT_TERMINATED
    if isinstance(exc, KeyboardInterrupt):
        fail(Errors.E096)
        return EXIT_INTERRUPTED
    if isinstance(exc, OnrecordError):
        fail(str(exc))
        return EXIT_INPUT
    if isinstance(exc, BrokenPipeError):
        return 0
    return None


# ----------------------------------------------------------------------------- progress ---


def progress(items: list, label: str, enabled: bool | None = None) -> Any:
    """A tqdm bar on stderr when it is a terminal; plain iteration otherwise."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(items, desc=label, unit="article", disable=not show or len(items) < 2, file=sys.stderr)
