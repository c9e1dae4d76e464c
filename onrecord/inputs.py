"""Every input onrecord reads, turned into named articles: one set of readers for analyze, ingest and Spark.

Input kinds (by suffix; a file named explicitly without a known suffix is one article):

- `.txt` / `.html` / `.htm`: one article; HTML goes through trafilatura (text and metadata);
- `.jsonl` / `.ndjson` (optionally `.gz`): one article per line, `{"text": …}` or `{"html": …}`, with
  optional `id`, `url`, `title`, `publisher`, `published`, `authors`;
- `.warc` / `.warc.gz` / `.arc` / `.arc.gz`: every HTML (or plain-text) `response` / `resource` record
  with a 2xx status is one article;
- `-`: one article from stdin (HTML when it looks like HTML);
- a folder holding `_onrecord.json`: Parquet tables written by `onrecord spark` or `onrecord export`,
  which only `ingest` loads ("tables"; never analysed again).

**The naming rule**, the same for every front end, so that an article has one name everywhere: a file
given directly is named by its path as given (normalised: `./a/x.txt` is `a/x.txt`); a file found in a
folder by its path under that folder (`sub/x.txt`); a JSONL line by its `id`, else `FILE:LINE` with FILE
named by the same rule; a WARC record by its target URI, else `FILE#N`; stdin is `stdin`.  So `a/x.txt`,
`a/x.html` and `a/sub/x.txt` are three articles with three names.

Every way an input can be unusable ends here as an `InputError` (or a `Failed` for one item of a
stream) with a coded sentence a user can act on; nothing past this module sees bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import posixpath
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlparse

from onrecord.errors import Errors, InputError, OnrecordError
from onrecord.record import Meta
from onrecord.settings import MAX_CHARS_ENV, Settings
from onrecord.store.tables import TABLES_MARKER  # a folder of stored tables; its one home is the store

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
STDIN = "-"
STDIN_NAME = "stdin"
MIN_ARTICLE_WORDS = 5  # what trafilatura finds in a page of navigation only is a word or two
META_KEYS = ("url", "title", "publisher", "published", "authors")


# ---------------------------------------------------------------------------------------------
# what the readers produce


@dataclass(slots=True)
class Document:
    """One article as read: `text` is what every offset in the record indexes."""

    name: str
    text: str
    meta: Meta = field(default_factory=Meta)


@dataclass(slots=True)
class Item:
    """One article as found in an input, before reading: `text` when known, else raw `data` bytes.

    Text is decoded where the item is found (so its hash is known before any work is handed out);
    HTML stays bytes until a worker extracts it, since extraction is the slow part of reading."""

    name: str
    origin: str
    text: str | None = None
    data: bytes | None = None
    html: bool | None = None  # None: decide by sniffing the bytes
    doc_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def hash(self) -> str | None:
        return None if self.text is None else content_hash(self.text)


@dataclass(slots=True)
class Failed:
    """An item that could not be read (or, later, analysed); reported, recorded, and the run goes on."""

    name: str
    hash: str | None
    code: str
    error: str

    @classmethod
    def of(cls, name: str, exc: OnrecordError, hash_: str | None = None) -> Failed:
        return cls(name, hash_, exc.code, exc.message)

    def __str__(self) -> str:
        return f"[{self.code}] {self.error}"


@dataclass(slots=True)
class Input:
    """One path to read: `kind` is article, jsonl, warc, stdin or tables; `name` names its articles."""

    kind: str
    path: Path
    name: str


def content_hash(text: str) -> str:
    """The article key: sha256 of the text as read (what every span in the record indexes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------------------------
# bytes → text


_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)


def max_chars() -> int:
    """The input size limit (ONRECORD_MAX_CHARS, validated by onrecord.settings)."""
    return Settings.from_env().max_chars


def check_size(text: str, name: str, limit: int | None = None) -> str:
    """The text itself, or an InputError naming the limit and how to raise it."""
    limit = max_chars() if limit is None else limit
    if len(text) > limit:
        raise InputError(Errors.E010.format(name=name, size=len(text), limit=limit, env=MAX_CHARS_ENV))
    return text


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else cp1252; refuse binary data."""
    if not data.strip():
        raise InputError(Errors.E011.format(name=name))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:  # a lone surrogate: no text can hold it
            raise InputError(Errors.E024.format(name=name, reason=exc.reason)) from None
    if b"\x00" in data[:4096]:
        raise InputError(Errors.E012.format(name=name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 100):
        raise InputError(Errors.E013.format(name=name))
    return text


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:2048]))


def from_html(html: str, name: str, limit: int | None = None) -> Document:
    """Extract the article text and metadata with trafilatura (imported lazily: it is slow to load)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(Errors.E014.format(name=name))
    check_size(text, name, limit)
    author = getattr(extracted, "author", None) or ""
    meta = Meta(
        title=getattr(extracted, "title", None),
        publisher=getattr(extracted, "sitename", None),
        published=getattr(extracted, "date", None),
        url=getattr(extracted, "url", None),
        authors=[a.strip() for a in author.split(";") if a.strip()],
    )
    return Document(name=name, text=text, meta=meta)


def from_bytes(data: bytes, name: str, *, html: bool | None = None, limit: int | None = None) -> Document:
    """Read one article; `html=None` decides by sniffing the first bytes."""
    text = decode(data, name)
    if html is None:
        html = looks_like_html(data)
    if html:
        return from_html(text, name, limit)
    if not text.strip():
        raise InputError(Errors.E011.format(name=name))
    return Document(name=name, text=check_size(text, name, limit))


def document(item: Item, limit: int | None = None) -> Document:
    """The item read into a document (HTML extracted), its input metadata laid over what was extracted."""
    if item.text is not None:
        if not item.text.strip():
            raise InputError(Errors.E011.format(name=item.name))
        doc = Document(name=item.name, text=check_size(item.text, item.name, limit))
    elif item.data is not None:
        doc = from_bytes(item.data, item.name, html=item.html, limit=limit)
    else:
        raise InputError(Errors.E023.format(name=item.name))
    for key in ("title", "publisher", "published", "url"):
        value = item.meta.get(key)
        if value is not None and value != "":
            setattr(doc.meta, key, str(value))
    authors = item.meta.get("authors")
    if isinstance(authors, list):
        doc.meta.authors = [str(a) for a in authors]
    return doc


# ---------------------------------------------------------------------------------------------
# paths → inputs, with the naming rule


def kind_of(name: str, explicit: bool = False) -> str | None:
    """The input kind a file name stands for; None for a file a folder walk passes over."""
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    if lower.endswith(ARTICLE_SUFFIXES) or explicit:
        return "article"
    return None


def given_name(raw: str) -> str:
    """A path as the user gave it, normalised (`./a//x.txt` → `a/x.txt`): a file named directly."""
    return posixpath.normpath(Path(raw).as_posix())


def relative_name(path: str, root: str) -> str:
    """The name of a file found under the folder `root`: its path below it (`sub/x.txt`).

    Works on local paths and on URIs (file:, hdfs:, s3a:), so ingest and Spark agree; a file that is
    the root itself (Spark given one file) is named by the root as given."""
    p = PurePosixPath(_uri_path(path))
    r = PurePosixPath(_uri_path(root))
    try:
        rel = p.relative_to(r)
    except ValueError:
        return p.name
    return str(rel) if str(rel) != "." else given_name(_uri_path(root))


def _uri_path(value: str) -> str:
    return urlparse(value).path if "://" in value or value.startswith("file:") else value


def expand(paths: Iterable[str]) -> list[Input | Failed]:
    """Every input under `paths`, in order (folders recursive and sorted; table folders not entered).

    A missing path or a folder without inputs is a `Failed` in its place, so that `analyze` can
    report it and go on while `ingest` refuses to start (see `require`)."""
    found: list[Input | Failed] = []
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            found.append(Input("stdin", path, STDIN_NAME))
        elif path.is_dir():
            inside = _folder(path)
            found.extend(inside or [Failed.of(raw, InputError(Errors.E017.format(name=raw, suffixes=_suffixes())))])
        elif path.is_file():
            found.append(Input(kind_of(path.name, explicit=True) or "article", path, given_name(raw)))
        else:
            found.append(Failed.of(raw, InputError(Errors.E016.format(name=raw))))
    return found


def require(found: list[Input | Failed]) -> list[Input]:
    """The inputs, or the first unusable path as an InputError (a long run starts only on good paths)."""
    for entry in found:
        if isinstance(entry, Failed):
            raise InputError(str(entry))
    return [entry for entry in found if isinstance(entry, Input)]


def _folder(path: Path) -> list[Input]:
    if (path / TABLES_MARKER).is_file():
        return [Input("tables", path, path.name)]
    tables = sorted(p.parent for p in path.rglob(TABLES_MARKER))
    found = []
    for file in sorted(path.rglob("*")):
        if not file.is_file() or any(t in file.parents for t in tables):
            continue
        kind = kind_of(file.name)
        if kind:
            found.append(Input(kind, file, file.relative_to(path).as_posix()))
    return found + [Input("tables", t, t.name) for t in tables]


def _suffixes() -> str:
    return " ".join((*ARTICLE_SUFFIXES, *JSONL_SUFFIXES, *WARC_SUFFIXES))


# ---------------------------------------------------------------------------------------------
# inputs → items (streams and bytes; the Spark job hands in bytes)


def article_item(data: bytes, name: str) -> Item | Failed:
    """A single-article file: decoded here when it is text (its hash is then known before parsing)."""
    html = True if name.lower().endswith(HTML_SUFFIXES) else None
    try:
        if html or looks_like_html(data):
            return Item(name=name, origin=name, data=data, html=True)
        return Item(name=name, origin=name, text=decode(data, name))
    except InputError as exc:
        return Failed.of(name, exc)


def jsonl_items(lines: Iterable[bytes | str], origin: str) -> Iterator[Item | Failed]:
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        if line.strip():
            yield jsonl_item(line, f"{origin}:{number}", origin)


def jsonl_item(line: str, name: str, origin: str) -> Item | Failed:
    """One JSONL line: an article named by its `id`, else by `name` (FILE:LINE)."""
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return Failed.of(name, InputError(Errors.E018.format(name=name, reason=exc.msg)))
    if not isinstance(obj, dict):
        return Failed.of(name, InputError(Errors.E018.format(name=name, reason=f"a JSON {type(obj).__name__}")))
    doc_id = None if obj.get("id") is None else str(obj["id"])
    name = doc_id or name
    meta = {k: obj.get(k) for k in META_KEYS if obj.get(k)}
    text, html = obj.get("text"), obj.get("html")
    if isinstance(text, str) and text.strip():
        return Item(name=name, origin=origin, text=text, doc_id=doc_id, meta=meta)
    if isinstance(html, str) and html.strip():
        return Item(name=name, origin=origin, data=html.encode("utf-8"), html=True, doc_id=doc_id, meta=meta)
    return Failed.of(name, InputError(Errors.E019.format(name=name)))


def jsonl_lines(stream: BinaryIO, name: str) -> Iterator[bytes]:
    if name.lower().endswith(".gz"):
        stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
    yield from stream


def _warc_type(record: Any) -> str | None:
    """The content type of an article record (HTML or plain text with a 2xx status), else None."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.rec_headers
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        headers = record.http_headers
    ctype = (headers.get_header("Content-Type") or "").lower()
    return ctype if "html" in ctype or "text/plain" in ctype else None


def warc_items(stream: BinaryIO, origin: str) -> Iterator[Item | Failed]:
    """Every HTML (or plain-text) response/resource record of a WARC/ARC file, gzipped or not."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            ctype = _warc_type(record)
            if ctype is None:
                continue
            number += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            name = uri or f"{origin}#{number}"
            try:
                data = record.content_stream().read()
            except Exception as exc:  # truncated gzip member, bad chunked encoding
                yield Failed.of(name, InputError(Errors.E020.format(name=name, reason=_short(exc))))
                continue
            meta = {"url": uri} if uri else {}
            yield Item(name=name, origin=origin, data=data, html="html" in ctype, meta=meta)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        reason = _short(exc) + (f", after {number} articles" if number else "")
        yield Failed.of(origin, InputError(Errors.E021.format(name=origin, reason=reason)))


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def items_from_bytes(kind: str, data: bytes, name: str) -> Iterator[Item | Failed]:
    """Every item of one input given as bytes (the Spark job's binaryFile rows)."""
    if kind == "article":
        yield article_item(data, name)
    elif kind == "jsonl":
        yield from jsonl_items(jsonl_lines(io.BytesIO(data), name), name)
    elif kind == "warc":
        yield from warc_items(io.BytesIO(data), name)


def items(source: Input) -> Iterator[Item | Failed]:
    """Every item of one local input, streamed (a WARC is never read whole into memory)."""
    try:
        if source.kind == "stdin":
            yield _stdin_item(sys.stdin.buffer.read())
        elif source.kind == "article":
            yield article_item(source.path.read_bytes(), source.name)
        else:
            with source.path.open("rb") as stream:
                if source.kind == "jsonl":
                    yield from jsonl_items(jsonl_lines(stream, source.name), source.name)
                elif source.kind == "warc":
                    yield from warc_items(stream, source.name)
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or _short(exc)
        yield Failed.of(source.name, InputError(Errors.E015.format(name=source.name, reason=reason)))


def _stdin_item(data: bytes) -> Item | Failed:
    try:
        if looks_like_html(data):
            return Item(name=STDIN_NAME, origin=STDIN_NAME, data=data, html=True)
        return Item(name=STDIN_NAME, origin=STDIN_NAME, text=decode(data, STDIN_NAME))
    except InputError as exc:
        return Failed.of(STDIN_NAME, exc)


def count(source: Input) -> int | None:
    """How many items an input holds, cheaply, for the progress bar's total and ETA."""
    try:
        if source.kind in ("article", "stdin"):
            return 1
        if source.kind == "jsonl":
            with source.path.open("rb") as stream:
                return sum(1 for line in jsonl_lines(stream, source.name) if line.strip())
        if source.kind == "warc":
            with source.path.open("rb") as stream:
                return sum(1 for _ in warc_items(stream, source.name))
    except (OSError, EOFError):
        return 1
    return None


# ---------------------------------------------------------------------------------------------
# what `analyze` and `bench` read


def iter_documents(paths: Iterable[str], settings: Settings | None = None) -> Iterator[Document | Failed]:
    """Every article under `paths`, in order, as a Document or a Failed, so one bad input never stops
    the rest.  The same inputs as `ingest`, except table folders, which are refused (E022)."""
    limit = None if settings is None else settings.max_chars
    for entry in expand(paths):
        if isinstance(entry, Failed):
            yield entry
        elif entry.kind == "tables":
            yield Failed.of(entry.name, InputError(Errors.E022.format(name=entry.path)))
        else:
            for item in items(entry):
                yield item if isinstance(item, Failed) else _read(item, limit)


def _read(item: Item, limit: int | None) -> Document | Failed:
    try:
        return document(item, limit)
    except InputError as exc:
        return Failed.of(item.name, exc)
