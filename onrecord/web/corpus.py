"""Read-only questions the corpus pages ask of a corpus store (`onrecord/store`, DuckDB).

The database is opened through the store's own `Store.open(path, read_only=True)` (its checks for
missing, foreign, locked and too-new files, its schema version) and queried over the store's tables
(`articles`, `attributions`, `speakers`; layout in onrecord/store/tables.py).  The store's
`queries` module answers the CLI's questions; the pages need more (paging, sorting, one speaker's
quotes with links to their articles, a publisher's profile), asked here with bound parameters only.

A connection is opened per request and closed after it, so `onrecord ingest` can add to the file
between requests; while an ingest holds the write lock, corpus pages answer 503 with the store's
message.  Speakers are grouped by `attributions.source_key`, the key the store derives (the record's
`source.key`, else kind + folded name), so the pages and `onrecord query speakers` agree.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Any

from onrecord.errors import OnrecordError
from onrecord.store import queries
from onrecord.web.render import KIND_LABELS, MIX_ORDER

UNKNOWN_PUBLISHER = "(unknown)"
SPEAKER_SORTS = {
    "count": "attributions",
    "name": "lower(name)",
    "kind": "kind",
    "articles": "articles",
    "last": "last",
}
# one sourcing category per attribution, the same rule as render.kind_of on a record
CATEGORY = """
    CASE WHEN a.source_name IS NULL AND a.source_key IS NULL THEN 'none'
         WHEN a.source_anonymous THEN 'anonymous'
         WHEN a.source_kind IN ('person', 'organization', 'unnamed') THEN a.source_kind
         ELSE 'unresolved' END
"""


class CorpusUnavailable(OnrecordError):
    """The corpus database cannot be read right now (locked by an ingest, missing, corrupt)."""

    code = "E005"


def _reading(method: Any) -> Any:
    """Run a query method with one read-only connection, opened for it and closed after it."""

    @wraps(method)
    def wrapper(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        with self._store() as store:
            return method(self, store, *args, **kwargs)

    return wrapper


def open_corpus(path: str | Path) -> Corpus:
    corpus = Corpus(Path(path))
    corpus.check()
    return corpus


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _mix(counts: dict[str | None, int]) -> list[dict[str, Any]]:
    """Counts per category in the shape `render.sourcing_mix` uses, for the same charts."""
    parts = [
        {"kind": kind or "unresolved", "label": KIND_LABELS[kind], "count": counts.get(kind or "unresolved", 0)}
        for kind in MIX_ORDER
    ]
    return [*parts, {"kind": "none", "label": "no source", "count": counts.get("none", 0)}]


class Corpus:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @contextmanager
    def _store(self) -> Iterator[Any]:
        from onrecord.store.db import Store

        with self._lock:
            try:
                store = Store.open(self.path, read_only=True)
            except OnrecordError as exc:
                raise CorpusUnavailable(exc.message) from None
            try:
                yield store
            finally:
                store.close()

    @staticmethod
    def _rows(store: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = store.con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]

    def check(self) -> None:
        """Open once now, so a bad --db fails at start-up with the store's message."""
        with self._store():
            pass

    # -- overview ---------------------------------------------------------------------------------

    @_reading
    def overview(self, store: Any) -> dict[str, Any]:
        return queries.stats(store)

    # -- speakers ---------------------------------------------------------------------------------

    @_reading
    def speakers(
        self, store: Any, *, q: str = "", sort: str = "count", order: str = "desc", limit: int = 100, offset: int = 0
    ) -> dict[str, Any]:
        column = SPEAKER_SORTS.get(sort, "attributions")
        direction = "ASC" if order == "asc" else "DESC"
        q = q.strip()

        def matching(columns: str) -> str:
            return f"""
                WITH g AS ({queries.speaker_totals()})
                SELECT {columns} FROM g
                WHERE ? = '' OR contains(lower(name), lower(?)) OR contains(lower(key), lower(?))
            """

        paging = f" ORDER BY {column} {direction} NULLS LAST, key LIMIT ? OFFSET ?"
        rows = self._rows(store, matching("*, count(*) OVER () AS total") + paging, [q, q, q, limit, offset])
        # a page past the end has no row for the window count to ride on: count apart
        total = rows[0]["total"] if rows else self._rows(store, matching("count(*) AS n"), [q, q, q])[0]["n"]
        for row in rows:
            row.pop("total")
            row["kind_label"] = "anonymous" if row["anonymous"] else KIND_LABELS.get(row["kind"], "not resolved")
        return {"total": total, "limit": limit, "offset": offset, "speakers": rows}

    @_reading
    def speaker(self, store: Any, key: str, *, limit: int = 500) -> dict[str, Any] | None:
        head = self._rows(
            store,
            f"""
            SELECT a.source_key AS key,
                   coalesce(any_value(s.name), mode(a.source_name)) AS name,
                   coalesce(any_value(s.kind), mode(a.source_kind)) AS kind,
                   count(*) AS attributions,
                   count(DISTINCT a.article) AS articles,
                   count(*) FILTER (WHERE len(coalesce(a.via, [])) > 0) AS relayed,
                   min(ar.published_date) AS first,
                   max(ar.published_date) AS last,
                   list(DISTINCT a.source_name ORDER BY a.source_name) AS names,
                   list({CATEGORY}) AS categories
            FROM attributions a
            JOIN articles ar ON ar.hash = a.article
            LEFT JOIN speakers s ON s.key = a.source_key
            WHERE a.source_key = ?
            GROUP BY a.source_key
            """,
            [key],
        )
        if not head:
            return None
        found = head[0]
        categories = found.pop("categories")
        found["mix"] = _mix({c: categories.count(c) for c in set(categories)})
        found["kind_label"] = KIND_LABELS.get(found["kind"], "not resolved")
        timeline = self._rows(
            store,
            """
            SELECT strftime(ar.published_date, '%Y-%m') AS month, count(*) AS n
            FROM attributions a JOIN articles ar ON ar.hash = a.article
            WHERE a.source_key = ? AND ar.published_date IS NOT NULL
            GROUP BY month ORDER BY month
            """,
            [key],
        )
        found["timeline"] = {r["month"]: r["n"] for r in timeline}
        found["publishers"] = self._rows(
            store,
            """
            SELECT coalesce(ar.publisher, ?) AS publisher, count(*) AS n
            FROM attributions a JOIN articles ar ON ar.hash = a.article
            WHERE a.source_key = ? GROUP BY 1 ORDER BY n DESC, publisher
            """,
            [UNKNOWN_PUBLISHER, key],
        )
        found["quotes"], _ = self._quotes(store, "a.source_key = ?", [key], limit, 0)
        return found

    # -- quotes -----------------------------------------------------------------------------------

    def _quotes(
        self, store: Any, where: str, params: list[Any], limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        rows = self._rows(
            store,
            f"""
            SELECT ar.hash AS article, ar.name, ar.title, ar.publisher, ar.published_date AS published,
                   ar.url, a.id, a.type, a.source_name AS speaker, a.source_key AS key,
                   a.source_anonymous AS anonymous, a.cue_text AS cue, a.content_text AS content,
                   a.via, a.parent, count(*) OVER () AS total
            FROM attributions a
            JOIN articles ar ON ar.hash = a.article
            WHERE {where}
            ORDER BY ar.published_date DESC NULLS LAST, ar.name, a.content_start
            LIMIT ? OFFSET ?
            """,
            [*params, limit, offset],
        )
        total = rows[0]["total"] if rows else 0
        for row in rows:
            del row["total"]
            row["via"] = list(row["via"] or [])
            url = row["url"] or ""
            row["url"] = url if url.startswith(("http://", "https://")) else None
        return rows, total

    @_reading
    def quotes(self, store: Any, *, q: str = "", speaker: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """Attributions whose content contains every word of `q`, by speakers whose name contains `speaker`."""
        clauses, params = ["TRUE"], []
        for word in q.split()[:12]:
            clauses.append("contains(lower(a.content_text), lower(?))")
            params.append(word)
        if speaker.strip():
            clauses.append("(contains(lower(a.source_name), lower(?)) OR a.source_key = ?)")
            params.extend([speaker.strip(), speaker.strip()])
        rows, total = self._quotes(store, " AND ".join(clauses), params, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "quotes": rows}

    # -- publishers -------------------------------------------------------------------------------

    @_reading
    def publishers(self, store: Any) -> list[dict[str, Any]]:
        rows = self._rows(
            store,
            f"""
            WITH t AS (
                SELECT coalesce(ar.publisher, ?) AS publisher, ar.hash,
                       CASE WHEN a.id IS NULL THEN NULL ELSE {CATEGORY} END AS category,
                       len(coalesce(a.via, [])) > 0 AS relayed
                FROM articles ar LEFT JOIN attributions a ON a.article = ar.hash
            )
            SELECT publisher AS name, count(DISTINCT hash) AS articles,
                   count(category) FILTER (WHERE category IS NOT NULL) AS attributions,
                   count(*) FILTER (WHERE relayed) AS relayed,
                   list(category) FILTER (WHERE category IS NOT NULL) AS categories
            FROM t GROUP BY publisher ORDER BY articles DESC, name
            """,
            [UNKNOWN_PUBLISHER],
        )
        for row in rows:
            self._profile(row)
        return rows

    def _profile(self, row: dict[str, Any]) -> None:
        categories = row.pop("categories") or []
        row["mix"] = _mix({c: categories.count(c) for c in set(categories)})
        total = row["attributions"]
        row["relayed_share"] = row["relayed"] / total if total else 0.0
        row["per_article"] = total / row["articles"] if row["articles"] else 0.0
        shares = {p["kind"]: (p["count"] / total if total else 0.0) for p in row["mix"]}
        row["named_share"] = shares["person"] + shares["organization"]
        row["anonymous_share"] = shares["anonymous"]

    @_reading
    def publisher(self, store: Any, name: str) -> dict[str, Any] | None:
        unknown = name == UNKNOWN_PUBLISHER
        match = "ar.publisher IS NULL" if unknown else "ar.publisher = ?"
        params: list[Any] = [] if unknown else [name]
        head = self._rows(
            store,
            f"""
            SELECT count(DISTINCT ar.hash) AS articles, count(a.id) AS attributions,
                   count(a.id) FILTER (WHERE len(coalesce(a.via, [])) > 0) AS relayed,
                   list({CATEGORY}) FILTER (WHERE a.id IS NOT NULL) AS categories
            FROM articles ar LEFT JOIN attributions a ON a.article = ar.hash
            WHERE {match}
            """,
            params,
        )
        if not head or not head[0]["articles"]:
            return None
        found = {"name": name, **head[0]}
        self._profile(found)
        types = self._rows(
            store,
            f"""SELECT a.type, count(*) AS n FROM attributions a JOIN articles ar ON ar.hash = a.article
                WHERE {match} GROUP BY a.type ORDER BY n DESC, a.type""",
            params,
        )
        found["types"] = {r["type"]: r["n"] for r in types}
        found["top_speakers"] = self._rows(
            store,
            f"""
            SELECT a.source_key AS key, coalesce(any_value(s.name), mode(a.source_name)) AS name, count(*) AS count
            FROM attributions a JOIN articles ar ON ar.hash = a.article
            LEFT JOIN speakers s ON s.key = a.source_key
            WHERE {match} AND a.source_key IS NOT NULL
            GROUP BY a.source_key ORDER BY count DESC, key LIMIT 12
            """,
            params,
        )
        found["relays"] = self._rows(
            store,
            f"""
            SELECT v AS name, count(*) AS count
            FROM attributions a JOIN articles ar ON ar.hash = a.article, unnest(a.via) AS t(v)
            WHERE {match} GROUP BY v ORDER BY count DESC, v LIMIT 12
            """,
            params,
        )
        timeline = self._rows(
            store,
            f"""
            SELECT strftime(ar.published_date, '%Y-%m') AS month, count(*) AS n FROM articles ar
            WHERE {match} AND ar.published_date IS NOT NULL GROUP BY month ORDER BY month
            """,
            params,
        )
        found["timeline"] = {r["month"]: r["n"] for r in timeline}
        found["recent"] = self._rows(
            store,
            f"""
            SELECT ar.hash AS article, ar.name, ar.title, ar.published_date AS published,
                   ar.n_attributions AS attributions
            FROM articles ar WHERE {match}
            ORDER BY ar.published_date DESC NULLS LAST, ar.name LIMIT 50
            """,
            params,
        )
        return found

    # -- articles ---------------------------------------------------------------------------------

    def speaker_keys(self, record: dict[str, Any]) -> dict[str, str]:
        """Attribution id → the store's speaker key (its own function), to link a stored article's speakers."""
        from onrecord.store.work import speaker_key

        keys = {a["id"]: speaker_key(a.get("source")) for a in record.get("attributions", [])}
        return {i: k for i, k in keys.items() if k}

    @_reading
    def article(self, store: Any, article_hash: str) -> dict[str, Any] | None:
        rows = self._rows(store, "SELECT record FROM articles WHERE hash = ?", [article_hash])
        if not rows:
            return None
        return json.loads(rows[0]["record"])
