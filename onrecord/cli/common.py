"""What every `onrecord` command shares: error handling, date checks, progress bars, --model.

Kept apart from onrecord.cli so that command modules elsewhere (store, web) can use it without
importing the main group that registers them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from onrecord.errors import OnrecordError
from onrecord.settings import MODEL_ENV, iso_date

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INPUT = 2


def fail(message: str) -> None:
    click.echo(f"onrecord: error: {message}", err=True)


def handle_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OnrecordError as exc:
            fail(str(exc))
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            fail("interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def check_date(value: str | None) -> str | None:
    return iso_date(value, "--published")


def progress(items: list, label: str, enabled: bool | None = None) -> Any:
    """A tqdm bar on stderr when it is a terminal; plain iteration otherwise."""
    from tqdm import tqdm

    show = sys.stderr.isatty() if enabled is None else enabled
    return tqdm(items, desc=label, unit="article", disable=not show or len(items) < 2, file=sys.stderr)


model_option = click.option(
    "--model", envvar=MODEL_ENV, default=None, help=f"spaCy pipeline package or path (env {MODEL_ENV})."
)

_NO_MODEL = "onrecord.no_model"
# Recorded on the click context rather than passed as an argument, so that every command that
# analyses takes the flag without one more parameter.
no_model_option = click.option(
    "--no-model",
    is_flag=True,
    expose_value=False,
    callback=lambda ctx, _param, value: ctx.meta.__setitem__(_NO_MODEL, value),
    help="Rules only: leave the trained cue model out (env ONRECORD_NO_MODEL).",
)


def use_model() -> bool | None:
    """False under --no-model; None leaves it to ONRECORD_NO_MODEL (default: the model is used)."""
    return False if click.get_current_context().meta.get(_NO_MODEL) else None
