"""The analysis step every corpus front end shares: item → document → hash → record → table rows.

`onrecord ingest` workers and the Spark job's `mapPartitions` both call `read_item` and
`analyze_batch`; the analysis itself is `onrecord.pipeline.analyze_many` (one `nlp.pipe` stream per
batch, the model loaded once per process), never a copy of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from onrecord import keys
from onrecord.errors import Errors, OnrecordError
from onrecord.inputs import Document, Failed, Item, content_hash, document
from onrecord.keys import speaker_key
from onrecord.settings import Settings

__all__ = ["Failed", "Item", "Outcome", "Prepared", "Skipped", "Stored", "analyze_batch", "content_hash", "read_item"]

Row = dict[str, Any]  # one table row, keyed by column name (store/tables.py), written by name


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
    rows: dict[str, list[Row]]


@dataclass(slots=True)
class Skipped:
    """An item whose text is already stored (found out only after reading, e.g. HTML)."""

    hash: str
    name: str


Outcome = Stored | Failed | Skipped


def failed(name: str, exc: BaseException, hash_: str | None = None) -> Failed:
    """A failure with its code; an unexpected exception (a bug, a parser deep in a library) gets E153."""
    if isinstance(exc, OnrecordError):
        return Failed.of(name, exc, hash_)
    message = " ".join(str(exc).split())[:500]
    error = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return Failed.of(name, OnrecordError(Errors.E153.format(name=name, error=error)), hash_)


def read_item(item: Item, settings: Settings | None = None) -> Prepared | Failed:
    """Decode or extract the item's text (trafilatura for HTML) and key it by content hash."""
    try:
        doc = document(item, None if settings is None else settings.max_chars)
    except Exception as exc:  # an InputError, or a parser deep inside trafilatura: one article's problem
        return failed(item.name, exc)
    return Prepared(content_hash(doc.text), item, doc)


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
# record → rows (dicts keyed by column name; the writer adds `ingested_at` and checks every column)

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def published_date(value: str | None) -> date | None:
    match = _DATE.match(value or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _span(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else {}


def article_rows(hash_: str, item: Item, record: dict[str, Any]) -> dict[str, list[Row]]:
    """Every table's rows for one analysed article (the writer stamps `ingested_at`)."""
    attributions = record.get("attributions") or []
    entities, mentions = _entity_rows(hash_, record)
    return {
        "articles": [_article_row(hash_, item, record)],
        "entities": entities,
        "mentions": mentions,
        "speakers": _speaker_rows(attributions),
        "attributions": [_attribution_row(hash_, a) for a in attributions],
        "repairs": _repair_rows(hash_, record),
    }


def _article_row(hash_: str, item: Item, record: dict[str, Any]) -> Row:
    meta = record.get("meta") or {}
    return {
        "hash": hash_,
        "name": item.name,
        "origin": item.origin,
        "doc_id": item.doc_id,
        "title": meta.get("title"),
        "publisher": meta.get("publisher"),
        "published": meta.get("published"),
        "published_date": published_date(meta.get("published")),
        "url": meta.get("url"),
        "authors": list(meta.get("authors") or []),
        "schema": record.get("schema"),
        "n_attributions": len(record.get("attributions") or []),
        "text": record.get("text", ""),
        "record": json.dumps(record, ensure_ascii=False, sort_keys=False),
    }


def _entity_rows(hash_: str, record: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    entities: list[Row] = []
    mentions: list[Row] = []
    for entity in record.get("entities") or []:
        found = entity.get("mentions") or []
        entities.append(
            {
                "article": hash_,
                "id": entity.get("id"),
                "name": entity.get("name"),
                "type": entity.get("type"),
                "key": entity.get("key"),
                "roles": [str(r) for r in entity.get("roles") or []],
                "n_mentions": len(found),
            }
        )
        mentions.extend(
            {
                "article": hash_,
                "entity": entity.get("id"),
                "n": n,
                "char_start": m.get("start"),
                "char_end": m.get("end"),
                "text": m.get("text"),
            }
            for n, m in enumerate(found)
        )
    return entities, mentions


def _speaker_rows(attributions: list[dict[str, Any]]) -> list[Row]:
    """One row per speaker key of the article, merged by THE rule (`keys.merge_speaker`: order-free)."""
    sources = [a.get("source") or None for a in attributions]
    return keys.speaker_rows(
        {"key": key, "name": source.get("name"), "kind": source.get("kind")}
        for source in sources
        if source and (key := speaker_key(source))
    )


def _attribution_row(hash_: str, a: dict[str, Any]) -> Row:
    content, cue, time = _span(a.get("content")), _span(a.get("cue")), _span(a.get("time"))
    source = a.get("source") or {}
    mention = _span(source.get("mention"))
    via = [v for v in a.get("via") or [] if isinstance(v, dict)]
    to = a.get("to") if isinstance(a.get("to"), dict) else None
    return {
        "article": hash_,
        "id": a.get("id"),
        "type": a.get("type"),
        "content_text": content.get("text"),
        "content_start": content.get("start"),
        "content_end": content.get("end"),
        "cue_text": cue.get("text"),
        "cue_lemma": cue.get("lemma"),
        "cue_start": cue.get("start"),
        "cue_end": cue.get("end"),
        "source_name": source.get("name"),
        "source_kind": source.get("kind"),
        "source_anonymous": source.get("anonymous"),
        "source_key": speaker_key(source or None),
        "source_entity": source.get("entity"),
        "source_affiliation": source.get("affiliation"),
        "source_mention": mention.get("text"),
        "source_start": mention.get("start"),
        "source_end": mention.get("end"),
        "via": [str(v.get("name") or "") for v in via],
        "via_keys": [speaker_key(v) or "" for v in via],
        "via_json": json.dumps(via, ensure_ascii=False),
        "parent": a.get("parent"),
        "confidence": float(a["confidence"]) if a.get("confidence") is not None else None,
        "to_name": to.get("name") if to else None,
        "to_key": speaker_key(to) if to else None,
        "time_text": time.get("text"),
        "time_value": time.get("value"),
        "time_granularity": time.get("granularity"),
        "time_start": time.get("start"),
        "time_end": time.get("end"),
        "act": a.get("act"),
    }


def _repair_rows(hash_: str, record: dict[str, Any]) -> list[Row]:
    return [
        {
            "article": hash_,
            "n": n,
            "char_start": repair.get("start"),
            "char_end": repair.get("end"),
            "original": repair.get("original"),
            "replacement": repair.get("replacement"),
        }
        for n, repair in enumerate(record.get("repairs") or [])
    ]
