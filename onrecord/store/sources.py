"""Corpus inputs → `Item`s: article files, JSONL, WARC crawls, and table folders.

The same functions serve `onrecord ingest` (local files, streamed) and the Spark job (file bytes from
any path Spark can read), so an article gets the same name and the same text either way.

- `.txt` / `.html` / `.htm` (and any file named explicitly): one article; HTML goes through trafilatura.
- `.jsonl` / `.ndjson` (optionally `.gz`): one article per line, `{"text": …}` or `{"html": …}`, with
  optional `id`, `url`, `title`, `publisher`, `published`, `authors`.
- `.warc` / `.warc.gz` / `.arc` / `.arc.gz`: every HTML `response` (or `resource`) record is one article.
- a folder holding `_onrecord.json`: Parquet tables written by the Spark job or `onrecord export`.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlparse

from onrecord.errors import InputError
from onrecord.inputs import decode, looks_like_html
from onrecord.store.work import Failed, Item

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
TABLES_MARKER = "_onrecord.json"


@dataclass(slots=True)
class Input:
    """One path to read: `kind` is article, jsonl, warc or tables; `rel` names its articles."""

    kind: str
    path: Path
    rel: str


def kind_of(name: str, explicit: bool = False) -> str | None:
    lower = name.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(WARC_SUFFIXES):
        return "warc"
    if lower.endswith(ARTICLE_SUFFIXES) or explicit:
        return "article"
    return None


def relative_name(path: str, root: str) -> str:
    """The name articles from `path` carry: relative to the folder given, or the bare file name.

    Works on local paths and on URIs (file:, hdfs:, s3a:), so ingest and Spark agree."""
    p = PurePosixPath(urlparse(path).path if "://" in path or path.startswith("file:") else path)
    r = PurePosixPath(urlparse(root).path if "://" in root or root.startswith("file:") else root)
    try:
        rel = p.relative_to(r)
    except ValueError:
        return p.name
    return str(rel) if str(rel) != "." else p.name


def expand(paths: Iterable[str]) -> list[Input]:
    """Folders become their inputs (sorted, recursive; table folders are not entered)."""
    found: list[Input] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            if (path / TABLES_MARKER).is_file():
                found.append(Input("tables", path, path.name))
                continue
            root = path.resolve()
            tables = sorted(p.parent for p in path.rglob(TABLES_MARKER))
            for file in sorted(path.rglob("*")):
                if not file.is_file() or any(t in file.parents for t in tables):
                    continue
                kind = kind_of(file.name)
                if kind:
                    found.append(Input(kind, file, relative_name(str(file.resolve()), str(root))))
            found.extend(Input("tables", t, t.name) for t in tables)
        elif path.is_file():
            found.append(Input(kind_of(path.name, explicit=True) or "article", path, path.name))
        else:
            raise InputError(f"{raw}: no such file or folder")
    return found


# ---------------------------------------------------------------------------------------------
# items from bytes or streams (shared with the Spark job)


def article_item(data: bytes, rel: str) -> Item | Failed:
    """A single-article file: decoded here when it is text (its hash is then known before parsing)."""
    html = True if rel.lower().endswith((".html", ".htm")) else None
    try:
        if html or looks_like_html(data):
            return Item(name=rel, origin=rel, data=data, html=True)
        return Item(name=rel, origin=rel, text=decode(data, rel))
    except InputError as exc:
        return Failed(rel, None, exc.code, exc.message)


def jsonl_items(lines: Iterable[bytes | str], rel: str) -> Iterator[Item | Failed]:
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        name = f"{rel}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield Failed(name, None, InputError.code, f"{name}: not a JSON object ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield Failed(name, None, InputError.code, f"{name}: not a JSON object")
            continue
        doc_id = obj.get("id")
        if doc_id is not None:
            doc_id = str(doc_id)
            name = doc_id
        meta = {k: obj.get(k) for k in ("url", "title", "publisher", "published", "authors") if obj.get(k)}
        text, html = obj.get("text"), obj.get("html")
        if isinstance(text, str) and text.strip():
            yield Item(name=name, origin=rel, text=text, doc_id=doc_id, meta=meta)
        elif isinstance(html, str) and html.strip():
            yield Item(name=name, origin=rel, data=html.encode("utf-8"), html=True, doc_id=doc_id, meta=meta)
        else:
            yield Failed(name, None, InputError.code, f"{name}: needs a non-empty 'text' or 'html' string")


def jsonl_lines(stream: BinaryIO, rel: str) -> Iterator[bytes]:
    if rel.lower().endswith(".gz"):
        stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
    yield from stream


def warc_items(stream: BinaryIO, rel: str) -> Iterator[Item | Failed]:
    """Every HTML (or plain-text) response/resource record of a WARC/ARC file, gzipped or not."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type not in ("response", "resource"):
                continue
            if record.rec_type == "response":
                if record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                if status and not status.startswith("2"):
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            ctype = ctype.lower()
            if "html" not in ctype and "text/plain" not in ctype:
                continue
            number += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            name = uri or f"{rel}#{number}"
            try:
                data = record.content_stream().read()
            except Exception as exc:  # truncated gzip member, bad chunked encoding
                yield Failed(name, None, InputError.code, f"{name}: unreadable WARC record ({exc})")
                continue
            meta = {"url": uri} if uri else {}
            if "html" in ctype:
                yield Item(name=name, origin=rel, data=data, html=True, meta=meta)
            else:
                yield Item(name=name, origin=rel, data=data, html=False, meta=meta)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        after = f", after {number} articles" if number else ""
        yield Failed(rel, None, InputError.code, f"{rel}: not a readable WARC file ({reason}{after})")


def items_from_bytes(kind: str, data: bytes, rel: str) -> Iterator[Item | Failed]:
    """Every item of one input given as bytes (the Spark job's binaryFile rows)."""
    if kind == "article":
        yield article_item(data, rel)
    elif kind == "jsonl":
        yield from jsonl_items(jsonl_lines(io.BytesIO(data), rel), rel)
    elif kind == "warc":
        yield from warc_items(io.BytesIO(data), rel)


def items(source: Input) -> Iterator[Item | Failed]:
    """Every item of one local input, streamed (a WARC is never read whole into memory)."""
    try:
        if source.kind == "article":
            yield article_item(source.path.read_bytes(), source.rel)
            return
        with source.path.open("rb") as stream:
            if source.kind == "jsonl":
                yield from jsonl_items(jsonl_lines(stream, source.rel), source.rel)
            elif source.kind == "warc":
                yield from warc_items(stream, source.rel)
    except (OSError, EOFError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        yield Failed(source.rel, None, InputError.code, f"{source.path}: cannot read ({reason})")


def count(source: Input) -> int | None:
    """How many items an input holds, cheaply, for the progress bar's total and ETA."""
    try:
        if source.kind == "article":
            return 1
        if source.kind == "jsonl":
            with source.path.open("rb") as stream:
                return sum(1 for line in jsonl_lines(stream, source.rel) if line.strip())
        if source.kind == "warc":
            with source.path.open("rb") as stream:
                return sum(1 for _ in warc_items(stream, source.rel))
    except (OSError, EOFError):
        return 1
    return None
