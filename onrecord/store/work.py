"""The analysis step every corpus front end shares: item → document → hash → record → table rows.

`onrecord ingest` workers and the Spark job's `mapPartitions` both call `read_item` and
`analyze_batch`; the analysis itself is `onrecord.pipeline.analyze_many` (one `nlp.pipe` stream per
batch, the model loaded once per process), never a copy of it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from onrecord.errors import InputError, OnrecordError
from onrecord.inputs import Document, from_bytes
from onrecord.settings import Settings


@dataclass(slots=True)
class Item:
    """One article as found in an input, before reading: `text` when known, else raw `data` bytes."""

    name: str
    origin: str
    text: str | None = None
    data: bytes | None = None
    html: bool | None = None
    doc_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def hash(self) -> str | None:
        return None if self.text is None else content_hash(self.text)


@dataclass(slots=True)
class Prepared:
    """An item read into a document, with its content hash."""

    hash: str
    item: Item
    document: Document


@dataclass(slots=True)
class Stored:
    """An analysed article: its rows for every table (`articles` first), ready for one transaction."""

    hash: str
    name: str
    rows: dict[str, list[tuple]]


@dataclass(slots=True)
class Failed:
    """An item that could not be read or analysed; recorded in `failures`, the run goes on."""

    name: str
    hash: str | None
    code: str
    error: str


@dataclass(slots=True)
class Skipped:
    """An item whose text is already stored (found out only after reading, e.g. HTML)."""

    hash: str
    name: str


Outcome = Stored | Failed | Skipped


def content_hash(text: str) -> str:
    """The article key: sha256 of the text as read (what every span in the record indexes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def failed(name: str, exc: BaseException, hash_: str | None = None) -> Failed:
    if isinstance(exc, OnrecordError):
        return Failed(name, hash_, exc.code, exc.message)
    message = " ".join(str(exc).split())[:500]
    return Failed(name, hash_, "internal", f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def read_item(item: Item) -> Prepared | Failed:
    """Decode or extract the item's text (trafilatura for HTML) and key it by content hash."""
    try:
        if item.text is not None:
            if not item.text.strip():
                raise InputError(f"{item.name}: the input is empty")
            document = Document(name=item.name, text=item.text)
        elif item.data is not None:
            document = from_bytes(item.data, item.name, html=item.html)
        else:
            raise InputError(f"{item.name}: no text or html")
    except OnrecordError as exc:
        return failed(item.name, exc)
    except Exception as exc:  # a parser deep inside trafilatura: still one article's problem
        return failed(item.name, exc)
    meta = document.meta
    for key in ("title", "publisher", "published", "url"):
        value = item.meta.get(key)
        if value is not None and value != "":
            setattr(meta, key, str(value))
    authors = item.meta.get("authors")
    if isinstance(authors, list):
        meta.authors = [str(a) for a in authors]
    document.meta = meta
    return Prepared(content_hash(document.text), item, document)


def analyze_batch(batch: list[Prepared], settings: Settings) -> list[Stored | Failed]:
    """Analyse a batch through one `analyze_many` stream; if one article breaks it, the rest of the
    batch is analysed one by one so that only that article fails."""
    from onrecord.pipeline import analyze_many

    out: list[Stored | Failed] = []
    done = 0
    try:
        for record in analyze_many([p.document for p in batch], settings=settings):
            out.append(_stored(batch[done], record.to_dict()))
            done += 1
    except Exception:
        for prepared in batch[done:]:
            try:
                record = next(iter(analyze_many([prepared.document], settings=settings)))
                out.append(_stored(prepared, record.to_dict()))
            except Exception as exc:
                out.append(failed(prepared.item.name, exc, prepared.hash))
    return out


def _stored(prepared: Prepared, record: dict[str, Any]) -> Stored:
    item = prepared.item
    return Stored(prepared.hash, item.name, article_rows(prepared.hash, item, record))


# ---------------------------------------------------------------------------------------------
# record → rows (one tuple per row, columns in tables.TABLES order; `ingested_at` filled by the writer)

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def published_date(value: str | None) -> date | None:
    match = _DATE.match(value or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def speaker_key(source: dict[str, Any] | None) -> str | None:
    """`source.key` when the analysis gives one, else kind + normalised lower-case name."""
    if not source:
        return None
    key = source.get("key")
    if key:
        return str(key)
    name = " ".join(str(source.get("name") or "").lower().split())
    if not name:
        return None
    return f"{source.get('kind') or 'unknown'}:{name}"


def _span(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def article_rows(
    hash_: str, item: Item, record: dict[str, Any], ingested_at: datetime | None = None
) -> dict[str, list[tuple]]:
    meta = record.get("meta") or {}
    attributions = record.get("attributions") or []
    rows: dict[str, list[tuple]] = {
        "articles": [
            (
                hash_,
                item.name,
                item.origin,
                item.doc_id,
                meta.get("title"),
                meta.get("publisher"),
                meta.get("published"),
                published_date(meta.get("published")),
                meta.get("url"),
                list(meta.get("authors") or []),
                record.get("schema"),
                len(attributions),
                record.get("text", ""),
                json.dumps(record, ensure_ascii=False, sort_keys=False),
                ingested_at,
            )
        ],
        "entities": [],
        "mentions": [],
        "speakers": [],
        "attributions": [],
        "repairs": [],
    }
    for entity in record.get("entities") or []:
        mentions = entity.get("mentions") or []
        rows["entities"].append(
            (
                hash_,
                entity.get("id"),
                entity.get("name"),
                entity.get("type"),
                entity.get("key"),
                [str(r) for r in entity.get("roles") or []],
                len(mentions),
            )
        )
        for n, mention in enumerate(mentions):
            rows["mentions"].append(
                (hash_, entity.get("id"), n, mention.get("start"), mention.get("end"), mention.get("text"))
            )
    speakers: dict[str, tuple] = {}
    for a in attributions:
        content, cue = _span(a.get("content")), _span(a.get("cue"))
        source = a.get("source") or None
        mention = _span(source.get("mention")) if source else {}
        via = [v for v in a.get("via") or [] if isinstance(v, dict)]
        to = a.get("to") or None
        time = _span(a.get("time"))
        key = speaker_key(source)
        if key and source:
            row = (key, source.get("name"), source.get("kind"))
            # the same smallest-name rule as the database's upsert and Spark's min(): order-free
            if key not in speakers or (row[1] or "", row[2] or "") < (
                speakers[key][1] or "",
                speakers[key][2] or "",
            ):
                speakers[key] = row
        rows["attributions"].append(
            (
                hash_,
                a.get("id"),
                a.get("type"),
                content.get("text"),
                content.get("start"),
                content.get("end"),
                cue.get("text"),
                cue.get("lemma"),
                cue.get("start"),
                cue.get("end"),
                source.get("name") if source else None,
                source.get("kind") if source else None,
                source.get("anonymous") if source else None,
                key,
                source.get("entity") if source else None,
                source.get("affiliation") if source else None,
                mention.get("text"),
                mention.get("start"),
                mention.get("end"),
                [str(v.get("name") or "") for v in via],
                [speaker_key(v) or "" for v in via],
                json.dumps(via, ensure_ascii=False),
                a.get("parent"),
                float(a["confidence"]) if a.get("confidence") is not None else None,
                to.get("name") if isinstance(to, dict) else None,
                speaker_key(to) if isinstance(to, dict) else None,
                time.get("text"),
                time.get("value"),
                time.get("granularity"),
                time.get("start"),
                time.get("end"),
            )
        )
    rows["speakers"] = [speakers[k] for k in sorted(speakers)]
    for n, repair in enumerate(record.get("repairs") or []):
        rows["repairs"].append(
            (
                hash_,
                n,
                repair.get("start"),
                repair.get("end"),
                repair.get("original"),
                repair.get("replacement"),
            )
        )
    return rows
