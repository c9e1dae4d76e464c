"""Every user-facing message, each with its own stable code, in one module (spaCy's errors.py is the model).

A message is a template on `Errors`; reading `Errors.E010` gives "[E010] …" ready for `.format()`.
Raise it in the exception class of its category:

    raise InputError(Errors.E010.format(name=name))

The code travels with the message (`exc.code == "E010"`), so tests, logs and the failures table name a
failure by its code, never by its wording, and one code means one message.  The CLI turns any
`OnrecordError` into one line on stderr and exit code 2; the web app into a 4xx answer.

Codes are grouped by the part of the shell or core that raises them; keep new templates in their section,
inside its range (tests/test_errors.py reads this file and checks that every code is unique and in range).
"""

from __future__ import annotations

import re

_CODED = re.compile(r"^\[(E\d{3})\] ")


class _WithCodes(type):
    """Reading a template attribute prefixes it with its own name: `Errors.E010` → "[E010] …"."""

    def __getattribute__(cls, name: str) -> str:
        value = super().__getattribute__(name)
        if name.startswith("E") and name[1:].isdigit():
            return f"[{name}] {value}"
        return value


class Errors(metaclass=_WithCodes):
    """The message templates; add new ones under their section, never reuse a code."""

    # --- generic (E000–E009)

    # --- inputs: reading articles (E010–E049)

    # --- model and pipeline (E050–E069)
    E050 = (
        "spaCy model {model!r} is not installed; install its package or pass --model / ONRECORD_MODEL with an "
        "installed one"
    )
    E051 = "spaCy model {model!r} has no dependency parser, which onrecord needs"

    # --- evaluation and training (E070–E089)
    E070 = "gold corpus {root} is not a directory"
    E071 = (
        "gold corpus {root} lacks {missing}; expected text/<article>.txt and "
        "attributions/<article>_<annotator>.ann (PolNeAR layout)"
    )
    E072 = "no .txt files in {folder}: not an evaluation corpus"
    E073 = "no <article>_<annotator>.ann file in {ann_dir} matches a text in {text_dir}"
    E074 = "cannot read {path} as UTF-8 text: {reason}"
    E075 = "{where}: malformed brat text-bound offsets {body!r}"
    E076 = "cannot write the predictions to {path}: {reason}"
    E077 = "no readable articles to benchmark"
    E078 = "--config {path} is not a file"

    # --- settings and options (E090–E119)
    E090 = "{what} must be a date as YYYY-MM-DD, got {value!r}"
    E091 = "{what} must be a whole number of at least {minimum}, got {value!r}"
    E092 = "{what} must be a number of at least {minimum}, got {value!r}"
    E093 = "{message} (see {command} -h)"
    E094 = "port {port} on {host} is in use"
    E095 = "cannot serve on {host} port {port}: {reason}"
    E096 = "interrupted"
    E097 = "terminated (SIGTERM)"

    # --- corpus store (E120–E169)

    # --- Spark (E170–E189)

    # --- web (E190–E209)


def codes() -> dict[str, str]:
    """Every code with its template (for tests and documentation)."""
    return {name: getattr(Errors, name) for name in vars(Errors) if _CODED.match(f"[{name}] ")}


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived (`kill PID`); the CLI's signal handler raises it in the main thread.

    A KeyboardInterrupt on purpose: every `except KeyboardInterrupt` / `finally` that cleans up after
    Ctrl-C (worker pools, open transactions, temporary files) cleans up after `kill` too, and only the
    outermost handler tells the two apart (exit code 143 instead of 130).
    """


class OnrecordError(Exception):
    """Base class: a problem the user can fix (bad input, missing model, bad option).

    Takes a formatted template (`Errors.E0xx.format(...)`); its code is read from the message.
    """

    code = "E000"

    def __init__(self, message: str) -> None:
        found = _CODED.match(message)
        super().__init__(message)
        # TRANSITION: an uncoded message still takes its class's old code; every raise moves to a template
        self.code = found.group(1) if found else type(self).code
        self.message = message[found.end() :] if found else message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(OnrecordError):
    """The input cannot be read as an article (empty, binary, not decodable, no article in HTML)."""

    code = "E001"


class ModelError(OnrecordError):
    """The configured spaCy model is not installed or lacks a parser."""

    code = "E002"


class GoldError(OnrecordError):
    """An evaluation corpus is not laid out like PolNeAR (text/ and attributions/)."""

    code = "E003"


class OptionError(OnrecordError):
    """A command-line, environment or API option has an invalid value (e.g. a malformed date)."""

    code = "E004"


class StoreError(OnrecordError):
    """A corpus database cannot be used: locked by another writer, corrupt, foreign, or too new."""

    code = "E005"


class SparkError(OnrecordError):
    """The Spark job cannot run: PySpark or Java missing, bad input or output path."""

    code = "E006"
