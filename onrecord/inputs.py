"""Turning what the user hands us (files, folders, stdin, HTML) into article text plus metadata.

Every way an input can be unusable ends here as an `InputError` with a sentence a user can act on;
nothing past this module sees bytes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.errors import InputError
from onrecord.record import Meta
from onrecord.settings import MAX_CHARS_ENV, Settings

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
MIN_ARTICLE_WORDS = 5  # what trafilatura finds in a page of navigation only is a word or two


def max_chars() -> int:
    """The input size limit (ONRECORD_MAX_CHARS, validated by onrecord.settings)."""
    return Settings.from_env().max_chars


def check_size(text: str, name: str) -> str:
    """The text itself, or an InputError naming the limit and how to raise it."""
    limit = max_chars()
    if len(text) > limit:
        raise InputError(
            f"{name}: {len(text):,} characters is more than one article ({limit:,} allowed; "
            f"set {MAX_CHARS_ENV} to raise the limit)"
        )
    return text


_HTML_START = re.compile(rb"^\s*(<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.I)


@dataclass(slots=True)
class Document:
    """One article as read: `text` is what every offset in the record indexes."""

    name: str
    text: str
    meta: Meta = field(default_factory=Meta)


@dataclass(slots=True)
class Failure:
    """An input that could not be read; reported, and the run goes on."""

    name: str
    error: InputError


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with a BOM, else cp1252; refuse binary data."""
    if not data.strip():
        raise InputError(f"{name}: the input is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 100):
        raise InputError(f"{name}: not UTF-8 text and not readable as Windows-1252 either")
    return text


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:2048]))


def from_html(html: str, name: str) -> Document:
    """Extract the article text and metadata with trafilatura (imported lazily: it is slow to load)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or len(text.split()) < MIN_ARTICLE_WORDS:
        raise InputError(f"{name}: no article text found in this HTML")
    check_size(text, name)
    author = getattr(extracted, "author", None) or ""
    meta = Meta(
        title=getattr(extracted, "title", None),
        publisher=getattr(extracted, "sitename", None),
        published=getattr(extracted, "date", None),
        url=getattr(extracted, "url", None),
        authors=[a.strip() for a in author.split(";") if a.strip()],
    )
    return Document(name=name, text=text, meta=meta)


def from_bytes(data: bytes, name: str, *, html: bool | None = None) -> Document:
    """Read one article; `html=None` decides by sniffing the first bytes."""
    text = decode(data, name)
    if html is None:
        html = looks_like_html(data)
    if html:
        return from_html(text, name)
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return Document(name=name, text=check_size(text, name))


def _read_file(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    html = True if path.suffix.lower() in (".html", ".htm") else None
    return from_bytes(data, path.stem, html=html)


def expand(paths: list[str]) -> list[str | Path]:
    """Folders become their article files (sorted, recursive); '-' stays stdin. Missing paths fail."""
    found: list[str | Path] = []
    for raw in paths:
        if raw == "-":
            found.append("-")
            continue
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{raw}: no such file or folder")
    return found


def iter_documents(paths: list[str]) -> Iterator[Document | Failure]:
    """Each input in order, as a Document or a Failure, so one bad file never stops the rest."""
    for item in expand(paths):
        name = "stdin" if item == "-" else str(item)
        try:
            if item == "-":
                yield from_bytes(sys.stdin.buffer.read(), "stdin")
            else:
                yield _read_file(Path(item))
        except InputError as exc:
            yield Failure(name=name, error=exc)
