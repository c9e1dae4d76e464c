"""Every user-facing error, with a stable code, in one place.

Codes let tests, logs and users refer to a failure without matching on wording; the CLI turns any
`OnrecordError` into one line on stderr and exit code 2 instead of a traceback.
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base class: a problem the user can fix (bad input, missing model, bad option)."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

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
    """A command-line or API option has an invalid value (e.g. a malformed date)."""

    code = "E004"


class StoreError(OnrecordError):
    """A corpus database cannot be used: locked by another writer, corrupt, foreign, or too new."""

    code = "E005"


class SparkError(OnrecordError):
    """The Spark job cannot run: PySpark or Java missing, bad input or output path."""

    code = "E006"
