"""Every question the read side asks of a corpus database: the CLI's (`onrecord query …`) and the web's.

This is the only module with SELECTs over the store's tables for reading, so a figure shown by
`onrecord query` and by the corpus pages comes from the same statement or the same SQL pieces: speaker
totals from `speaker_totals`, sourcing categories and relays from `onrecord.keys`.  Every filter is a
bound parameter, never pasted into SQL; every answer is a dict per row (a `Table` for the CLI's tables).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from onrecord import keys
from onrecord.corpus.identities import PERIOD_DAYS
from onrecord.errors import Errors, OptionError
from onrecord.store.db import Store, Table

UNKNOWN_PUBLISHER = "(unknown)"
MAX_ROWS = 2**63 - 1  # DuckDB's LIMIT / OFFSET are BIGINT
SPEAKER_SORTS = {
    "count": "attributions",
    "name": "lower(name)",
    "kind": "kind",
    "articles": "articles",
    "last": "last",
}
CATEGORY = keys.category_sql("a")
RELAYED = keys.relayed_sql("a")
# Every attribution's corpus identity (onrecord/corpus/identities.py): member `m`, identity `i`.
IDENTITY_JOIN = """
    LEFT JOIN identity_members m ON m.article = a.article AND m.key = a.source_key
    LEFT JOIN identities i ON i.id = m.identity
"""
NOT_RANKED = "('unnamed', 'unresolved')"  # identities.NOT_RANKED: descriptions and pronouns
RANKED = f"i.kind NOT IN {NOT_RANKED}"


def check_count(option: str, value: int | None) -> int | None:
    """A row count or offset: 0 or more, and small enough for DuckDB."""
    if value is None:
        return None
    if value < 0:
        raise OptionError(Errors.E140.format(option=option, value=value))
    if value > MAX_ROWS:
        raise OptionError(Errors.E143.format(option=option, maximum=MAX_ROWS, value=value))
    return value


# --speaker: an identity key, a variant (per-article) key, or part of the identity's or the written name
SPEAKER_MATCH = """(i.id = ? OR m.identity IN (SELECT identity FROM identity_members WHERE key = ?)
    OR contains(lower(i.name), lower(?)) OR contains(lower(a.source_name), lower(?)))"""


@dataclass(slots=True)
class Filters:
    """Restrictions shared by the CLI's queries; an unset field restricts nothing."""

    since: str | None = None
    until: str | None = None
    publisher: str | None = None
    kind: str | None = None
    speaker: str | None = None
    search: str | None = None
    anonymous: bool = False
    via: str | None = None
    acts: tuple[str, ...] | None = None  # what the source did: any of these
    limit: int | None = None
    ranked: bool = False  # a speaker ranking: descriptions and pronouns only when --kind asks for them

    def __post_init__(self) -> None:
        check_count("--limit", self.limit)

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["TRUE"], []
        if self.since:
            clauses.append("ar.published_date >= CAST(? AS DATE)")
            params.append(self.since)
        if self.until:
            clauses.append("ar.published_date <= CAST(? AS DATE)")
            params.append(self.until)
        if self.publisher:
            clauses.append("lower(ar.publisher) = lower(?)")
            params.append(self.publisher)
        if self.kind:
            clauses.append(f"lower(coalesce(i.kind, {keys.speaker_kind_sql('a')})) = lower(?)")
            params.append(self.kind)
        elif self.ranked:
            clauses.append(RANKED)
        if self.speaker:
            clauses.append(SPEAKER_MATCH)
            params.extend([self.speaker] * 4)
        if self.search:
            clauses.append("contains(lower(a.content_text), lower(?))")
            params.append(self.search)
        if self.anonymous:
            clauses.append("a.source_anonymous")
        if self.via:
            clauses.append("EXISTS (SELECT 1 FROM unnest(a.via) AS t(v) WHERE contains(lower(t.v), lower(?)))")
            params.append(self.via)
        if self.acts:
            clauses.append(f"a.act IN ({', '.join('?' for _ in self.acts)})")
            params.extend(self.acts)
        return " AND ".join(clauses), params

    def limit_sql(self) -> str:
        return f" LIMIT {int(self.limit)}" if self.limit else ""


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def records(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows as dicts with dates as ISO strings (what JSON, CSV and the templates take)."""
    return [{k: _plain(v) for k, v in row.items()} for row in store.rows(sql, params)]


def _table(store: Store, sql: str, params: list[Any]) -> Table:
    found = store.table(sql, params)
    return Table(found.columns, [{k: _plain(v) for k, v in row.items()} for row in found.rows])


# -------------------------------------------------------------------------------------------------
# the CLI's questions (and the corpus overview)

COUNTED = ("articles", "attributions", "speakers", "identities", "entities", "mentions", "repairs", "failures")


def stats(store: Store) -> dict[str, Any]:
    values: dict[str, Any] = {table: store.value(f"SELECT count(*) FROM {table}") for table in COUNTED}
    values["publishers"] = store.value("SELECT count(DISTINCT publisher) FROM articles")
    values["first_published"] = store.value("SELECT min(published_date) FROM articles")
    values["last_published"] = store.value("SELECT max(published_date) FROM articles")
    values["schema_version"] = store.version()
    for row in store.rows("SELECT type, count(*) AS n FROM attributions GROUP BY type ORDER BY type"):
        values[f"attributions_{row['type']}"] = row["n"]
    for row in store.rows(
        "SELECT act, count(*) AS n FROM attributions WHERE act IS NOT NULL GROUP BY act ORDER BY act"
    ):
        values[f"act_{row['act']}"] = row["n"]
    return {k: _plain(v) for k, v in values.items()}


def speaker_totals(where: str = "TRUE") -> str:
    """One row per corpus identity over the attributions that pass `where` (aliases `a`, `ar`, `m`,
    `i`): the CLI's `query speakers` and the web's speaker list both select from this, so their counts
    agree.  `key` is the identity's id; `variants` how many written names it gathers."""
    return f"""
        SELECT i.id AS key,
               any_value(i.name) AS name,
               any_value(i.kind) AS kind,
               bool_or(coalesce(a.source_anonymous, FALSE)) AS anonymous,
               count(*) AS attributions,
               count(*) FILTER (WHERE a.type = 'direct') AS direct,
               count(DISTINCT a.article) AS articles,
               count(DISTINCT ar.publisher) AS publishers,
               min(ar.published_date) AS first,
               max(ar.published_date) AS last,
               count(DISTINCT a.source_name) AS variants
        FROM attributions a
        JOIN articles ar ON ar.hash = a.article
        {IDENTITY_JOIN}
        WHERE i.id IS NOT NULL AND {where}
        GROUP BY i.id
    """


def speakers(store: Store, f: Filters) -> Table:
    f.ranked = True
    where, params = f.where()
    sql = f"{speaker_totals(where)} ORDER BY attributions DESC, key {f.limit_sql()}"
    return _table(store, sql, params)


def quotes(store: Store, f: Filters) -> Table:
    where, params = f.where()
    sql = f"""
        SELECT ar.published_date AS published, ar.publisher, ar.name AS article, a.id,
               a.source_name AS speaker, i.id AS key, a.type, a.act, a.cue_text AS cue,
               a.content_text AS content, array_to_string(a.via, '; ') AS via,
               a.source_anonymous AS anonymous
        FROM attributions a
        JOIN articles ar ON ar.hash = a.article
        {IDENTITY_JOIN}
        WHERE {where}
        ORDER BY ar.published_date NULLS LAST, ar.name, a.content_start
        {f.limit_sql()}
    """
    return _table(store, sql, params)


def _share(categories: tuple[str, ...]) -> str:
    return f"round(avg(CASE WHEN category IN ({', '.join(repr(c) for c in categories)}) THEN 1.0 ELSE 0.0 END), 3)"


def sources(store: Store, f: Filters) -> Table:
    """Per publisher: how attributions name their sources (the categories of `onrecord.keys`, "named"
    being person or organisation), and how many come through a relay."""
    where, params = f.where()
    sql = f"""
        WITH t AS (
            SELECT coalesce(ar.publisher, '{UNKNOWN_PUBLISHER}') AS publisher, a.article,
                   {CATEGORY} AS category, {RELAYED} AS relayed
            FROM attributions a
            JOIN articles ar ON ar.hash = a.article
            {IDENTITY_JOIN}
            WHERE {where}
        )
        SELECT publisher,
               count(DISTINCT article) AS articles,
               count(*) AS attributions,
               {_share(keys.NAMED)} AS named,
               {_share(("unnamed",))} AS unnamed,
               {_share((keys.ANONYMOUS,))} AS anonymous,
               {_share((keys.UNRESOLVED,))} AS unresolved,
               {_share((keys.NONE,))} AS no_source,
               round(avg(CASE WHEN relayed THEN 1.0 ELSE 0.0 END), 3) AS via_wire
        FROM t
        GROUP BY publisher
        ORDER BY attributions DESC, publisher
        {f.limit_sql()}
    """
    return _table(store, sql, params)


# -------------------------------------------------------------------------------------------------
# the web's questions (onrecord/web/corpus.py opens the store per request and calls these)


def _matching_speakers(columns: str) -> str:
    """The speaker totals whose name or key contains the search (three `?`: q, q, q)."""
    return f"""
        WITH g AS ({speaker_totals(RANKED)})
        SELECT {columns} FROM g
        WHERE ? = '' OR contains(lower(name), lower(?)) OR contains(lower(key), lower(?))
    """


def speaker_label(kind: str | None, anonymous: bool | None) -> str:
    return keys.label(keys.kind_category(kind, anonymous))


def speaker_list(
    store: Store, *, q: str = "", sort: str = "count", order: str = "desc", limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    """A page of the speaker totals, searched by name or key, sorted, with the count of all matches."""
    check_count("limit", limit)
    check_count("offset", offset)
    column = SPEAKER_SORTS.get(sort, "attributions")
    direction = "ASC" if order == "asc" else "DESC"
    q = q.strip()
    paging = f" ORDER BY {column} {direction} NULLS LAST, key LIMIT ? OFFSET ?"
    rows = records(store, _matching_speakers("*, count(*) OVER () AS total") + paging, [q, q, q, limit, offset])
    # a page past the end has no row for the window count to ride on: count apart
    total = rows[0]["total"] if rows else store.value(_matching_speakers("count(*) AS n"), [q, q, q])
    for row in rows:
        row.pop("total")
        row["kind_label"] = speaker_label(row["kind"], row["anonymous"])
    return {"total": total, "limit": limit, "offset": offset, "speakers": rows}


SPEAKER_HEAD = f"""
    SELECT i.id AS key,
           any_value(i.name) AS name,
           any_value(i.kind) AS kind,
           any_value(i.provenance) AS provenance,
           count(*) AS attributions,
           count(DISTINCT a.article) AS articles,
           count(*) FILTER (WHERE {RELAYED}) AS relayed,
           min(ar.published_date) AS first,
           max(ar.published_date) AS last,
           list(DISTINCT a.source_name ORDER BY a.source_name) AS names,
           list({CATEGORY}) AS categories
    FROM attributions a
    JOIN articles ar ON ar.hash = a.article
    {IDENTITY_JOIN}
    WHERE i.id = ?
    GROUP BY i.id
"""
IDENTITY_OF = """
    SELECT coalesce((SELECT id FROM identities WHERE id = ?),
                    (SELECT min(identity) FROM identity_members WHERE key = ?))
"""
SPEAKER_MONTHS = f"""
    SELECT strftime(ar.published_date, '%Y-%m') AS month, count(*) AS n
    FROM attributions a JOIN articles ar ON ar.hash = a.article {IDENTITY_JOIN}
    WHERE i.id = ? AND ar.published_date IS NOT NULL
    GROUP BY month ORDER BY month
"""
SPEAKER_PUBLISHERS = f"""
    SELECT coalesce(ar.publisher, ?) AS publisher, count(*) AS n
    FROM attributions a JOIN articles ar ON ar.hash = a.article {IDENTITY_JOIN}
    WHERE i.id = ? GROUP BY 1 ORDER BY n DESC, publisher
"""
SPEAKER_VARIANTS = """
    SELECT key, name, sum(count) AS count, min(rule) AS rule FROM identity_variants
    WHERE identity = ? GROUP BY key, name ORDER BY count DESC, name, key
"""


def speaker_profile(store: Store, key: str, *, limit: int = 500) -> dict[str, Any] | None:
    """One speaker (an identity, or the identity a variant key belongs to): totals, sourcing mix, names
    written, its variants, quotes per month and per publisher, quotes."""
    key = store.value(IDENTITY_OF, [key, key]) or key
    head = records(store, SPEAKER_HEAD, [key])
    if not head:
        return None
    found = head[0]
    found["mix"] = keys.mix(Counter(found.pop("categories")))
    found["kind_label"] = speaker_label(found["kind"], False)
    found["timeline"] = {r["month"]: r["n"] for r in records(store, SPEAKER_MONTHS, [key])}
    found["publishers"] = records(store, SPEAKER_PUBLISHERS, [UNKNOWN_PUBLISHER, key])
    found["variants"] = records(store, SPEAKER_VARIANTS, [key])
    found["likely_merges"] = likely_merges(store, key)
    found["quotes"] = quote_rows(store, "i.id = ?", [key], limit, 0)["quotes"]
    return found


LIKELY_MERGES = f"""
    WITH t AS (
        SELECT i.id, any_value(i.name) AS name, any_value(i.kind) AS kind, count(*) AS attributions,
               min(ar.published_date) AS first, max(ar.published_date) AS last,
               list_last(string_split(split_part(i.id, ':', 2), ' ')) AS surname
        FROM identities i
        JOIN identity_members m ON m.identity = i.id
        JOIN attributions a ON a.article = m.article AND a.source_key = m.key
        JOIN articles ar ON ar.hash = a.article
        WHERE {RANKED} AND i.kind <> 'organization'
        GROUP BY i.id
    )
    SELECT o.id AS key, o.name, o.attributions, o.first, o.last
    FROM t me JOIN t o ON o.surname = me.surname AND o.id <> me.id
    WHERE me.id = ?
      AND (me.first IS NULL OR o.first IS NULL
           OR (o.first <= me.last + INTERVAL {PERIOD_DAYS} DAY AND o.last >= me.first - INTERVAL {PERIOD_DAYS} DAY))
    ORDER BY o.attributions DESC, o.id LIMIT 10
"""


def likely_merges(store: Store, key: str) -> list[dict[str, Any]]:
    """Identities a user may want to merge with this one: people with the same surname quoted in the
    same period (or undated), which the pass left apart as ambiguous or never met."""
    return records(store, LIKELY_MERGES, [key])


def quote_rows(store: Store, where: str, params: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """Attributions passing `where` (aliases `a`, `ar`; bound `params`), newest first, with their
    articles, and the count of all that pass."""
    check_count("limit", limit)
    check_count("offset", offset)
    rows = records(
        store,
        f"""
        SELECT ar.hash AS article, ar.name, ar.title, ar.publisher, ar.published_date AS published,
               ar.url, a.id, a.type, a.act, a.source_name AS speaker, i.id AS key,
               a.source_anonymous AS anonymous, a.cue_text AS cue, a.content_text AS content,
               a.via, a.parent, count(*) OVER () AS total
        FROM attributions a
        JOIN articles ar ON ar.hash = a.article
        {IDENTITY_JOIN}
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
    return {"total": total, "limit": limit, "offset": offset, "quotes": rows}


def quote_search(store: Store, *, q: str = "", speaker: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Attributions whose content contains every word of `q`, by speakers whose name contains `speaker`."""
    clauses, params = ["TRUE"], []
    for word in q.split()[:12]:
        clauses.append("contains(lower(a.content_text), lower(?))")
        params.append(word)
    if speaker.strip():
        clauses.append(SPEAKER_MATCH)
        params.extend([speaker.strip()] * 4)
    return quote_rows(store, " AND ".join(clauses), params, limit, offset)


PUBLISHERS = f"""
    WITH t AS (
        SELECT coalesce(ar.publisher, ?) AS publisher, ar.hash,
               CASE WHEN a.id IS NULL THEN NULL ELSE {CATEGORY} END AS category,
               {RELAYED} AS relayed
        FROM articles ar LEFT JOIN attributions a ON a.article = ar.hash
    )
    SELECT publisher AS name, count(DISTINCT hash) AS articles,
           count(category) FILTER (WHERE category IS NOT NULL) AS attributions,
           count(*) FILTER (WHERE relayed) AS relayed,
           list(category) FILTER (WHERE category IS NOT NULL) AS categories
    FROM t GROUP BY publisher ORDER BY articles DESC, name
"""


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    """Counts per category → the mix and the shares the publisher pages show (`keys.shares`)."""
    counts = Counter(row.pop("categories") or [])
    row["mix"] = keys.mix(counts)
    total = row["attributions"]
    row["relayed_share"] = row["relayed"] / total if total else 0.0
    row["per_article"] = total / row["articles"] if row["articles"] else 0.0
    shares = keys.shares(counts)
    row["named_share"] = shares["named"]
    row["anonymous_share"] = shares[keys.ANONYMOUS]
    return row


def publisher_profiles(store: Store) -> list[dict[str, Any]]:
    """Every publisher (articles without one under "(unknown)") with its sourcing profile."""
    return [_profile(row) for row in records(store, PUBLISHERS, [UNKNOWN_PUBLISHER])]


def _publisher_head(match: str) -> str:
    return f"""
        SELECT count(DISTINCT ar.hash) AS articles, count(a.id) AS attributions,
               count(a.id) FILTER (WHERE {RELAYED}) AS relayed,
               list({CATEGORY}) FILTER (WHERE a.id IS NOT NULL) AS categories
        FROM articles ar LEFT JOIN attributions a ON a.article = ar.hash
        WHERE {match}
    """


def _publisher_parts(match: str) -> dict[str, str]:
    """The statements of a publisher page beyond its head, each filtered by `match`."""
    joined = "FROM attributions a JOIN articles ar ON ar.hash = a.article"
    return {
        "types": f"SELECT a.type, count(*) AS n {joined} WHERE {match} GROUP BY a.type ORDER BY n DESC, a.type",
        "top_speakers": f"""
            SELECT i.id AS key, any_value(i.name) AS name, count(*) AS count
            {joined} {IDENTITY_JOIN}
            WHERE {match} AND i.id IS NOT NULL AND {RANKED}
            GROUP BY i.id ORDER BY count DESC, key LIMIT 12
        """,
        "relays": f"""
            SELECT v AS name, count(*) AS count {joined}, unnest(a.via) AS t(v)
            WHERE {match} GROUP BY v ORDER BY count DESC, v LIMIT 12
        """,
        "timeline": f"""
            SELECT strftime(ar.published_date, '%Y-%m') AS month, count(*) AS n FROM articles ar
            WHERE {match} AND ar.published_date IS NOT NULL GROUP BY month ORDER BY month
        """,
        "recent": f"""
            SELECT ar.hash AS article, ar.name, ar.title, ar.published_date AS published,
                   ar.n_attributions AS attributions
            FROM articles ar WHERE {match}
            ORDER BY ar.published_date DESC NULLS LAST, ar.name LIMIT 50
        """,
    }


def publisher_profile(store: Store, name: str) -> dict[str, Any] | None:
    """One publisher's page ("(unknown)": the articles without a publisher); None when it has no article."""
    unknown = name == UNKNOWN_PUBLISHER
    match = "ar.publisher IS NULL" if unknown else "ar.publisher = ?"
    params: list[Any] = [] if unknown else [name]
    head = records(store, _publisher_head(match), params)
    if not head or not head[0]["articles"]:
        return None
    found = _profile({"name": name, **head[0]})
    parts = {part: records(store, sql, params) for part, sql in _publisher_parts(match).items()}
    found["types"] = {r["type"]: r["n"] for r in parts["types"]}
    found["top_speakers"] = parts["top_speakers"]
    found["relays"] = parts["relays"]
    found["timeline"] = {r["month"]: r["n"] for r in parts["timeline"]}
    found["recent"] = parts["recent"]
    return found


def article_record(store: Store, article_hash: str) -> dict[str, Any] | None:
    """The stored `onrecord.article/1` record of an article, by content hash."""
    rows = store.rows("SELECT record FROM articles WHERE hash = ?", [article_hash])
    return json.loads(rows[0]["record"]) if rows else None


# -------------------------------------------------------------------------------------------------
# the corpus identity pass's inputs (onrecord/corpus/identities.py; sorted, so the pass is deterministic)

# DuckDB and Spark SQL alike (the Spark job's second stage runs the same statements over its tables)
IDENTITY_MENTIONS = """
    SELECT article, source_key AS key, source_name AS name, source_kind AS kind,
           bool_or(coalesce(source_anonymous, FALSE)) AS anonymous, count(*) AS n
    FROM attributions WHERE source_key IS NOT NULL
    GROUP BY article, source_key, source_name, source_kind
    ORDER BY article, key, name NULLS FIRST, kind NULLS FIRST
"""
IDENTITY_ENTITIES = """
    SELECT article, name, type, n_mentions AS n FROM entities
    WHERE name IS NOT NULL AND type IN ('person', 'organization') ORDER BY article, id
"""
IDENTITY_ARTICLES = "SELECT hash, publisher, published_date FROM articles ORDER BY hash"
IDENTITY_WRITTEN = """
    SELECT article, source_key AS key, source_mention AS mention FROM attributions
    WHERE source_key IS NOT NULL AND source_mention IS NOT NULL
    GROUP BY article, source_key, source_mention ORDER BY article, key, mention
"""
IDENTITY_READS = {
    "mentions": IDENTITY_MENTIONS,
    "entities": IDENTITY_ENTITIES,
    "articles": IDENTITY_ARTICLES,
    "written": IDENTITY_WRITTEN,
}
IDENTITY_ALIASES = "SELECT n, action, key, value, author, added_at FROM identity_aliases ORDER BY n"


def identity_inputs(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every stored row the identity pass reads (raw values: dates stay dates)."""
    return {part: store.rows(sql) for part, sql in IDENTITY_READS.items()}


def alias_rows(store: Store) -> list[dict[str, Any]]:
    """The users' corrections, in the order they apply."""
    return records(store, IDENTITY_ALIASES)


# -------------------------------------------------------------------------------------------------
# statements across outlets (`query statements`, `query statement ID`, the web's statement pages)


@dataclass(slots=True)
class StatementFilters:
    """Restrictions of a statement list; an unset field restricts nothing."""

    speaker: str | None = None
    min_publishers: int | None = None
    changed: bool = False
    since: str | None = None
    until: str | None = None
    search: str | None = None
    limit: int | None = None
    offset: int = 0  # statements skipped (the web's pages)

    def __post_init__(self) -> None:
        check_count("--limit", self.limit)
        check_count("--min-publishers", self.min_publishers)
        check_count("offset", self.offset)

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["TRUE"], []
        if self.speaker:
            clauses.append(
                "(s.identity = ? OR s.identity IN (SELECT identity FROM identity_members WHERE key = ?)"
                " OR contains(lower(i.name), lower(?)))"
            )
            params.extend([self.speaker] * 3)
        if self.min_publishers:
            clauses.append("s.publishers >= ?")
            params.append(self.min_publishers)
        if self.changed:
            clauses.append("s.changed")
        if self.since:
            clauses.append("s.first_published >= CAST(? AS DATE)")
            params.append(self.since)
        if self.until:
            clauses.append("s.first_published <= CAST(? AS DATE)")
            params.append(self.until)
        if self.search:
            clauses.append(
                "EXISTS (SELECT 1 FROM appearances p WHERE p.statement = s.id AND contains(lower(p.text), lower(?)))"
            )
            params.append(self.search)
        return " AND ".join(clauses), params


STATEMENT_HEAD = """
    SELECT s.id, coalesce(i.name, s.identity) AS speaker, s.identity AS key, s.text, s.first_published,
           s.first_publisher, fa.name AS first_article, s.first_by, s.publishers, s.articles,
           s.appearances AS n_appearances, s.changed, s.promoted
    FROM statements s
    LEFT JOIN identities i ON i.id = s.identity
    LEFT JOIN articles fa ON fa.hash = s.first_article
"""
STATEMENT_APPEARANCES = """
    SELECT p.statement, p.n, ar.name AS article, ar.hash, p.attribution, p.publisher, p.published_date AS published,
           p.type, a.source_name AS speaker, a.source_key AS speaker_key, p.cue, p.via, p.text, p.changed, p.diff
    FROM appearances p JOIN articles ar ON ar.hash = p.article
    LEFT JOIN attributions a ON a.article = p.article AND a.id = p.attribution
    WHERE p.statement IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY p.statement, p.n
"""
STATEMENTS_STALE = """
    SELECT (SELECT count(*) FROM statements) = 0
       AND EXISTS (SELECT 1 FROM attributions WHERE source_key IS NOT NULL AND content_text IS NOT NULL)
"""


def statements_ready(store: Store) -> bool:
    """Whether the statements pass has run on this store (a store whose ingest stopped early has none)."""
    return not store.value(STATEMENTS_STALE)


def _with_appearances(store: Store, heads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each statement with its appearances in date order, their diffs as [op, words] lists."""
    found: dict[str, list[dict[str, Any]]] = {h["id"]: [] for h in heads}
    for row in records(store, STATEMENT_APPEARANCES, [list(found)]):
        row["via"] = list(row["via"] or [])
        row["diff"] = json.loads(row["diff"]) if row["diff"] else []
        found[row.pop("statement")].append(row)
    return [{**h, "appearances": found[h["id"]]} for h in heads]


def statement_list(store: Store, f: StatementFilters) -> list[dict[str, Any]]:
    """Statements sorted by reach (outlets, then appearances), each with its appearances."""
    where, params = f.where()
    limit = f" LIMIT {int(f.limit)}" if f.limit else ""
    offset = f" OFFSET {int(f.offset)}" if f.offset else ""
    order = "s.publishers DESC, s.appearances DESC, s.first_published, s.id"
    sql = f"{STATEMENT_HEAD} WHERE {where} ORDER BY {order}{limit}{offset}"
    return _with_appearances(store, records(store, sql, params))


def statement_count(store: Store, f: StatementFilters) -> int:
    """How many statements the filters let through (all pages)."""
    where, params = f.where()
    return int(store.value(f"SELECT count(*) FROM ({STATEMENT_HEAD} WHERE {where})", params))


def statement_detail(store: Store, statement_id: str) -> dict[str, Any] | None:
    """One statement with its appearances in date order, or None."""
    heads = records(store, f"{STATEMENT_HEAD} WHERE s.id = ?", [statement_id])
    return _with_appearances(store, heads)[0] if heads else None


STATEMENT_COLUMNS = [
    "id",
    "speaker",
    "publishers",
    "n_appearances",
    "first_published",
    "first_publisher",
    "changed",
    "promoted",
    "text",
]
APPEARANCE_COLUMNS = [
    *("n", "published", "publisher", "article", "type", "speaker", "cue", "via", "changed", "text", "diff")
]


def render_statements(found: list[dict[str, Any]], fmt: str) -> str:
    """A statement list as `query statements` prints it (table, CSV or JSON); the web's downloads too."""
    if fmt == "json":
        return json.dumps(found, ensure_ascii=False, indent=2)
    return render(Table(STATEMENT_COLUMNS, found), fmt)


def diff_text(ops: list[list[str]]) -> str:
    """A diff as one line: words left out in [-…-], words added in {+…+}."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in ops)


# -------------------------------------------------------------------------------------------------
# the statements pass's reads (onrecord/corpus/statements.py; Spark SQL runs the same statements)

STATEMENT_ATTRIBUTIONS = """
    SELECT article, id, type, content_text, content_start, content_end, cue_text, cue_lemma, act, via, source_key,
           source_mention FROM attributions
    WHERE source_key IS NOT NULL AND content_text IS NOT NULL ORDER BY article, id
"""
STATEMENT_MEMBERS = "SELECT article, key, identity FROM identity_members ORDER BY article, key"
# A tie in publication date (or no date) is broken by the article's stored name, not by when it was
# stored: parallel workers store in a different order each run, and one ingest, two halves and Spark
# must give the same statements.
STATEMENT_ARTICLES = """
    SELECT hash, publisher, published_date, row_number() OVER (ORDER BY name, hash) AS tie_order
    FROM articles ORDER BY hash
"""
STATEMENT_READS = {
    "attributions": STATEMENT_ATTRIBUTIONS,
    "members": STATEMENT_MEMBERS,
    "articles": STATEMENT_ARTICLES,
}


def statement_inputs(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every stored row the statements pass reads (raw values: dates stay dates)."""
    return {part: store.rows(sql) for part, sql in STATEMENT_READS.items()}


# -------------------------------------------------------------------------------------------------
# output


def render(table: Table, fmt: str, width: int = 60) -> str:
    """A `Table` as an aligned text table, CSV or JSON (a list of objects)."""
    columns, rows = table.columns, [[row[c] for c in table.columns] for row in table.rows]
    if fmt == "json":
        return json.dumps(table.rows, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v, width) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(columns, widths, numeric, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric, strict=True)))
    if not rows:
        lines.append("(no rows)")
    return "\n".join(line.rstrip() for line in lines)


def render_stats(values: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(values, indent=2)
    return render(Table(["measure", "value"], [{"measure": k, "value": v} for k, v in values.items()]), fmt)


def _cell(value: Any, width: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
