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
    E010 = "{name}: {size:,} characters is more than one article ({limit:,} allowed; set {env} to raise the limit)"
    E011 = "{name}: the input is empty"
    E012 = "{name}: looks like a binary file, not text or HTML"
    E013 = "{name}: not UTF-8 text and not readable as Windows-1252 either"
    E014 = "{name}: no article text found in this HTML"
    E015 = "{name}: cannot read ({reason})"
    E016 = "{name}: no such file or folder"
    E017 = "{name}: no articles in this folder (looked for {suffixes})"
    E018 = "{name}: not a JSON object ({reason})"
    E019 = "{name}: needs a non-empty 'text' or 'html' string"
    E020 = "{name}: unreadable WARC record ({reason})"
    E021 = "{name}: not a readable WARC file ({reason})"
    E022 = (
        "{name}: a folder of Parquet tables (Spark or export output), not articles; "
        "load it with `onrecord ingest {name} --db FILE`"
    )
    E023 = "{name}: neither text nor HTML was read for this item"
    E024 = "{name}: cannot be decoded as UTF-16 ({reason}): save the file as UTF-8 and try again"

    # --- model and pipeline (E050–E069)
    E050 = (
        "spaCy model {model!r} is not installed; install its package or pass --model / ONRECORD_MODEL with an "
        "installed one"
    )
    E051 = "spaCy model {model!r} has no dependency parser, which onrecord needs"
    E052 = (
        "the accurate mode needs the encoder's runtime, which is not installed: "
        "pip install 'onrecord[encoder]' (onnxruntime)"
    )
    E053 = "encoder weights {path} are missing or damaged; run `onrecord train --encoder` or reinstall onrecord"
    E054 = (
        "the boundary ranker {weights} was trained on another tagger than {tagger}; "
        "run `onrecord train --encoder` again or reinstall onrecord"
    )
    E055 = (
        "fine-tuning the encoder needs PyTorch, transformers, onnx and the base weights, which are not "
        "installed: pip install 'onrecord[train-encoder]'"
    )

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
    E079 = "training configuration {path}: {reason}"
    E080 = (
        "no article of {corpus} is left to fine-tune on with holdout {holdout} (every holdout-th article "
        "trains the ranker): use a larger corpus or a larger holdout"
    )
    E081 = "--fine-tune trains the encoder's tagger: use it with --encoder"

    # --- settings and options (E090–E119)
    E090 = "{what} must be a date as YYYY-MM-DD, got {value!r}"
    E091 = "{what} must be a whole number of at least {minimum}, got {value!r}"
    E092 = "{what} must be a number of at least {minimum}, got {value!r}"
    E093 = "{message} (see {command} -h)"
    E094 = "port {port} on {host} is in use"
    E095 = "cannot serve on {host} port {port}: {reason}"
    E096 = "interrupted"
    E097 = "terminated (SIGTERM)"
    E098 = "--act takes {choices}, comma-separated; got {value!r}"

    # --- corpus store (E120–E169)
    E120 = "{path}: is a folder, not a database file"
    E121 = "{path}: cannot read ({reason})"
    E122 = "{path}: is an SQLite database, not an onrecord (DuckDB) database"
    E123 = "{path}: is not a DuckDB database file (corrupt, or some other kind of file)"
    E124 = (
        "{path}: the database is in use by another onrecord process{holder}; wait for it to finish, or use another --db"
    )
    E125 = "{path}: is not a readable DuckDB database: damaged or truncated ({detail}); nothing was changed"
    E126 = "{path}: was written by a different DuckDB storage version ({detail})"
    E127 = "{path}: cannot open the database ({detail})"
    E128 = "{path}: no such database (create it with `onrecord ingest ... --db {path}`)"
    E129 = "{path}: is a DuckDB database but not an onrecord one (no schema_migrations table); refusing to write to it"
    E130 = "{path}: database schema version {version} is newer than this onrecord knows ({latest}); upgrade onrecord"
    E131 = (
        "{path}: database schema version {version} is older than this onrecord's ({latest}); "
        "run `onrecord ingest --db {path}` once to upgrade it"
    )
    E132 = "{folder}: tables of schema version {version}, newer than this onrecord knows ({latest})"
    E133 = "{folder}: incomplete table folder, missing {tables} (the {layout} layout its {marker} names)"
    E134 = "{folder}: unreadable {marker} ({reason})"
    E135 = "{folder}: {marker} is not an onrecord table marker"
    E136 = "{folder}: {marker} names an unknown table layout {layout!r} (expected 'export' or 'spark')"
    E137 = "{folder}: is not empty; export into a new or empty folder, or pass --overwrite to replace its tables"
    E138 = "{folder}: cannot write the export there ({reason})"
    E139 = "{path}: the query failed ({detail})"
    E140 = "{option} must be 0 (all rows) or a positive number, not {value}"
    E141 = "the corpus database cannot be read now: {reason}"
    E142 = "{path}: migration {version} failed ({detail}); the database is left at version {current}"
    E143 = "{option} must be at most {maximum}, not {value}"
    E144 = "{option} must be one of {choices}, not {value!r}"
    E145 = "since {since} is after until {until}: no article can be in that range"
    E150 = "--workers must be at least 1, got {value}"
    E151 = "--batch must be at least 1, got {value}"
    E152 = "{name}: the worker process died on this article (twice; out of memory, or a crash in native code)"
    E153 = "{name}: the analysis failed unexpectedly ({error})"
    E154 = "{name}: {count} articles had failed in the job that wrote these tables"

    # --- Spark (E170–E189)
    E170 = "PySpark is not installed; install it with: pip install 'onrecord[spark]'"
    E171 = "Spark could not start Java; install Java 17+ and set JAVA_HOME"
    E172 = "Spark could not start: {reason}"
    E173 = "{name}: already exists; pass --overwrite to replace it"
    E174 = "the Spark job failed: {reason}"
    E175 = "--partitions must be at least 1, got {value}"

    # --- web (E190–E209)
    E190 = "no article given: paste text or choose a .txt or .html file"
    E191 = "give either text or html, not both"
    E192 = "could not read the form: {problem}"
    E193 = "{name}: choose a .txt or .html file"
    E194 = (
        "both pasted text and a file ({name}) were sent, and only one can be analysed: "
        "empty the text box or remove the file, then analyse again"
    )
    E195 = (
        "{field} contains a lone surrogate ({char}) at character {position}, which is not a Unicode character: "
        "send valid Unicode (a JSON \\ud800-style escape must be followed by its low surrogate)"
    )
    E196 = "the form field {field!r} is not UTF-8 (the byte at {position} is not): send the form as UTF-8"
    E198 = "{what} is not in this corpus"
    E199 = "no corpus loaded: start the server with onrecord serve --db FILE"
    E200 = "invalid request: {problems}"
    E201 = (
        "the request body is larger than the {limit:g} MB limit (onrecord serve --max-body-mb, or "
        "ONRECORD_MAX_BODY_MB, raises it)"
    )
    E202 = "no such page: {path}"
    E203 = "{method} is not allowed on {path} (allowed: {allowed})"
    E204 = "the request could not be read: {detail} (send JSON or a form, encoded as UTF-8)"
    E205 = "internal error: the server could not handle this request"

    # --- corpus identities (E210–E229)
    E210 = "{key}: no speaker identity or variant key of this corpus (see onrecord query speakers, column key)"
    E211 = "{key}: not a speaker identity of this corpus, so nothing can be merged into it"
    E212 = (
        "{name}, line {line}: expected merge KEY TARGET, split KEY or rename KEY NAME ({wanted} tab-separated fields)"
    )
    E213 = "{name}: cannot read the aliases file ({reason})"
    E214 = "{path}: the speaker identities have not been computed yet; run onrecord ingest on it once"
    E215 = "{path}: no such corpus database"

    # --- statements (E230–E249)
    E230 = "{path}: the statements have not been computed yet; run onrecord ingest on it once"
    E231 = "{id}: no statement of this corpus (see onrecord query statements, column id)"
    E232 = "the statements pass needs datasketch (pip install datasketch==2.0.0 scipy==1.17.1: onrecord depends on it)"


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

    def __init__(self, message: str) -> None:
        found = _CODED.match(message)
        if not found:  # a bug in the raiser: every user-facing message has its template and code
            raise TypeError(f"{type(self).__name__} takes a coded message (onrecord.errors.Errors): {message!r}")
        super().__init__(message)
        self.code = found.group(1)
        self.message = message[found.end() :]

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(OnrecordError):
    """The input cannot be read as an article (empty, binary, not decodable, no article in HTML)."""


class ModelError(OnrecordError):
    """The configured spaCy model is not installed or lacks a parser."""


class GoldError(OnrecordError):
    """An evaluation corpus is not laid out like PolNeAR (text/ and attributions/)."""


class OptionError(OnrecordError):
    """A command-line, environment or API option has an invalid value (e.g. a malformed date)."""


class StoreError(OnrecordError):
    """A corpus database cannot be used: locked by another writer, corrupt, foreign, or too new."""


class CorpusUnavailable(StoreError):
    """The web's corpus database cannot be read right now (locked by an ingest, missing, damaged):
    the corpus pages answer 503 with its message."""


class SparkError(OnrecordError):
    """The Spark job cannot run: PySpark or Java missing, bad input or output path."""
