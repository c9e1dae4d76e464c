"""What the article routes need besides HTTP: the model behind a lock, and input read the way the CLI reads it.

Analysis goes through `onrecord.pipeline` exactly as `onrecord analyze` does, and bytes become a
`Document` through `onrecord.inputs.from_bytes`, so the page, the API and the CLI give one record for
one article.  What only a web client can send is checked here, before the readers see it: strings
with lone surrogates (JSON `\\ud800` escapes; not text, and not encodable), form fields that are not
UTF-8 (Starlette would read them as Latin-1 without a word), and uploads that are not UTF-8 (read as
Windows-1252 like the CLI does, with a notice on the page saying so).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from onrecord.errors import Errors, InputError
from onrecord.inputs import ARTICLE_SUFFIXES
from onrecord.settings import Settings

UPLOAD_SUFFIXES = ARTICLE_SUFFIXES  # a page upload is one article file, as on the command line
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SURROGATE = re.compile("[\ud800-\udfff]")


class Analyzer:
    """The pipeline behind a lock: one model, loaded once, one article at a time (spaCy is CPU-bound)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Load the model now, so that a missing model fails at start-up, not on the first request."""
        from onrecord.nlp import load

        load(self.settings.model)

    def analyze(self, document: Any, *, published: str | None, publisher: str | None = None) -> dict:
        """The record's dict form, exactly what `onrecord analyze` prints for this document."""
        from onrecord.pipeline import analyze_many

        with self._lock:
            article = next(analyze_many([document], published=published, publisher=publisher, settings=self.settings))
        return article.to_dict()


def check_unicode(what: str, value: str | None) -> str | None:
    """`value` unchanged, or a 400 naming the first lone surrogate: such a string cannot be encoded or stored."""
    found = _SURROGATE.search(value or "")
    if found:
        char = f"U+{ord(found.group()):04X}"
        raise InputError(Errors.E195.format(field=what, char=char, position=found.start()))
    return value


def pasted(text: str | None, *, limit: int, html: bool = False, name: str = "input") -> Any:
    """A document from pasted text or HTML; blank input is the "no article given" error."""
    from onrecord.inputs import from_bytes

    check_unicode("html" if html else "text", text)
    if text is None or not text.strip():
        raise InputError(Errors.E190)
    return from_bytes(text.encode("utf-8"), name, html=html, limit=limit)


def uploaded(name: str, data: bytes, *, limit: int) -> tuple[Any, dict[str, Any] | None]:
    """A document from an uploaded file, and the decoding notice the page shows when it was not UTF-8.

    The bytes are decoded as the CLI decodes a file (UTF-8, UTF-16 with a BOM, else Windows-1252), so the
    page shows the record `onrecord analyze` would give; the notice says which byte was not UTF-8.
    """
    from onrecord.inputs import from_bytes

    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise InputError(Errors.E193.format(name=name))
    notice = None
    if data.strip() and not data.startswith(UTF16_BOMS):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            notice = {"name": name, "position": exc.start, "byte": f"0x{data[exc.start]:02X}"}
    is_html = True if name.lower().endswith((".html", ".htm")) else None
    return from_bytes(data, name, html=is_html, limit=limit), notice


@dataclass(frozen=True, slots=True)
class FormInput:
    """The article form as sent: pasted text, date, and the uploaded file (read whole; the body is capped)."""

    text: str = ""
    published: str = ""
    filename: str | None = None
    data: bytes | None = field(default=None, repr=False)

    def kept(self) -> dict[str, str]:
        """What the form page shows again after an error, so nothing typed is lost."""
        return {"text": self.text, "published": self.published}


class _StrictFields(MultiPartParser):
    """Starlette's multipart parser, except that a text field that is not UTF-8 is noted, not read as Latin-1."""

    undecodable: tuple[str, int] | None = None

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is None and self.undecodable is None:
            try:
                bytes(part.data).decode("utf-8")
            except UnicodeDecodeError as exc:
                self.undecodable = (part.field_name, exc.start)
        super().on_part_end()


async def read_form(request: Request, limit: int) -> FormInput:
    """The form fields of a multipart or urlencoded POST; a field that is not UTF-8 is a 400 naming it."""
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        parser = _StrictFields(request.headers, request.stream(), max_part_size=limit)
        try:
            form = await parser.parse()
        except MultiPartException as exc:  # no boundary, a part without a name, too many parts
            raise InputError(Errors.E192.format(problem=exc.message)) from None
        bad = parser.undecodable
    else:
        body = await request.body()
        bad = next(iter(_undecodable_pairs(body)), None)
        form = await request.form()
    try:
        if bad is not None:
            raise InputError(Errors.E196.format(field=bad[0], position=bad[1]))
        upload = form.get("file")
        named = isinstance(upload, UploadFile) and bool(upload.filename)
        return FormInput(
            text=_text(form.get("text")).replace("\r\n", "\n"),  # browsers send a textarea's breaks as CRLF
            published=_text(form.get("published")),
            filename=Path(upload.filename).name if named else None,
            data=await upload.read() if named else None,
        )
    finally:
        await form.close()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _undecodable_pairs(body: bytes) -> list[tuple[str, int]]:
    """(field name, byte offset) of every urlencoded value that is not UTF-8 once percent-decoded."""
    found = []
    # Latin-1 both ways keeps every byte as one character, so the UTF-8 check sees the bytes sent
    for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1"):
        try:
            value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError as exc:
            found.append((name, exc.start))
    return found
