"""Every question the read side asks of a corpus database: the CLI's (`onrecord query …`) and the web's.

This is the only module with SELECTs over the store's tables for reading, so a figure shown by
`onrecord query` and by the corpus pages comes from the same statement: a list page and its CSV / JSON
download call the same function as the CLI (`speakers`, `quotes`, `articles`, `sources`) with the same
`Filters`, and `render` writes the same bytes.  Sourcing categories and relays come from `onrecord.keys`.
Every filter is a bound parameter, never pasted into SQL; every answer is a dict per row (a `Table` for
the CLI's tables).

The lists read the derived tables of migration 5 (`corpus_rows`: one flat row per attribution with its
identity, publisher and date; `speaker_stats`, `article_stats`: totals), which ingest rebuilds at its end
(onrecord/store/derived.py).  When they are stale (an ingest stopped early, a correction since, an
aliases file laid over the identities for one query) `prepare` says so and every list reads the same
columns computed from the stored tables instead: slower on a large corpus, never different.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from onrecord import keys
from onrecord.corpus.identities import PERIOD_DAYS
from onrecord.errors import Errors, OptionError
from onrecord.store.db import Store, Table

UNKNOWN_PUBLISHER = "(unknown)"
MAX_ROWS = 2**63 - 1  # DuckDB's LIMIT / OFFSET are BIGINT
MAX_WORDS = 12  # words of a search that count
CATEGORY = keys.category_sql("a")
RELAYED = keys.relayed_sql("a")
# Every attribution's corpus identity (onrecord/corpus/identities.py): member `m`, identity `i`.
IDENTITY_JOIN = """
    LEFT JOIN identity_members m ON m.article = a.article AND m.key = a.source_key
    LEFT JOIN identities i ON i.id = m.identity
"""
NOT_RANKED = "('unnamed', 'unresolved')"  # identities.NOT_RANKED: descriptions and pronouns
RANKED = f"i.kind NOT IN {NOT_RANKED}"

# Each list's sort keys → SQL over its rows; the first is the default, sorted descending.
SPEAKER_SORTS = {
    "count": "attributions",
    "name": "lower(name)",
    "kind": "kind",
    "articles": "articles",
    "publishers": "publishers",
    "first": "first",
    "last": "last",
}
QUOTE_SORTS = {"published": "seq"}  # seq: newest first, so "descending" is seq ascending
ARTICLE_SORTS = {
    "published": "published",
    "title": "lower(coalesce(title, name))",
    "publisher": "lower(publisher)",
    "attributions": "attributions",
    "speakers": "speakers",
}
PUBLISHER_SORTS = {
    "articles": "articles",
    "name": "lower(name)",
    "attributions": "attributions",
    "per_article": "per_article",
    "named": "named_share",
    "anonymous": "anonymous_share",
    "relayed": "relayed_share",
}
ORDERS = ("desc", "asc")


def check_count(option: str, value: int | None) -> int | None:
    """A row count or offset: 0 or more, and small enough for DuckDB."""
    if value is None:
        return None
    if value < 0:
        raise OptionError(Errors.E140.format(option=option, value=value))
    if value > MAX_ROWS:
        raise OptionError(Errors.E143.format(option=option, maximum=MAX_ROWS, value=value))
    return value


def check_choice(option: str, value: str | None, choices: Iterable[str]) -> str | None:
    """A sort key or order among `choices` (None: the default)."""
    choices = list(choices)
    if value is not None and value not in choices:
        raise OptionError(Errors.E144.format(option=option, choices=", ".join(choices), value=value))
    return value


# -------------------------------------------------------------------------------------------------
# word search: one rule for the CLI's --search and the web's search boxes, and the pages' highlights

_TAIL = "(?:s|es|ed|d|ing|'s|’s)?"  # the endings a word may take and still match
_Y_TAIL = "(?:y|ies|ied|ying|y's)"
_SIBILANT = ("s", "x", "z", "ch", "sh")


def search_words(text: str | None) -> list[str]:
    """The words of a search (lower case, at most MAX_WORDS, no punctuation around them)."""
    words = [w.strip('.,;:!?"“”‘’()[]{}«»').lower() for w in (text or "").split()]
    return [w for w in dict.fromkeys(words) if w][:MAX_WORDS]


def stem(word: str) -> tuple[str, str]:
    """(stem, endings): light English stemming, so "emails" and "email" find each other, "policy" and
    "policies", "taxes" and "tax" — and "email" does not find "females" (the match is a whole word)."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3], _Y_TAIL
    if len(w) > 3 and w.endswith("y") and w[-2] not in "aeiou":
        return w[:-1], _Y_TAIL
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3], _TAIL
    if len(w) > 4 and w.endswith("es") and w[:-2].endswith(_SIBILANT):
        return w[:-2], _TAIL
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2], _TAIL
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1], _TAIL
    return w, _TAIL


def _core(word: str) -> str:
    base, tail = stem(word)
    return re.escape(base) + tail


def sql_word_patterns(words: list[str]) -> list[tuple[str, str]]:
    """(stem, RE2 pattern) per word: the stem for a cheap `contains` first, the pattern for the whole word
    (RE2's \\b knows only ASCII letters, so the boundary is spelled out with Unicode classes)."""
    edge = r"[^\p{L}\p{N}_]"
    return [(stem(w)[0], f"(?i)(?:^|{edge}){_core(w)}(?:{edge}|$)") for w in words]


def highlight_pattern(text: str | None) -> re.Pattern[str] | None:
    """The words of a search as one Python pattern, to mark them in the results (the same stems)."""
    words = search_words(text)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(_core(w) for w in words) + r")(?!\w)", re.IGNORECASE)


def word_match(column: str, text: str | None) -> tuple[list[str], list[Any]]:
    """SQL clauses (and their parameters) that `column` holds every word of `text`."""
    clauses, params = [], []
    for base, pattern in sql_word_patterns(search_words(text)):
        clauses.append(f"(contains(lower({column}), ?) AND regexp_matches({column}, ?))")
        params.extend([base, pattern])
    return clauses, params


# -------------------------------------------------------------------------------------------------
# the rows the lists read: derived tables when fresh, the same columns from the stored tables when not

NEWEST = "published_date DESC NULLS LAST, name, content_start, id"  # the lists' default order
SEQ = "CAST(row_number() OVER (ORDER BY ar.published_date DESC NULLS LAST, ar.name, a.content_start, a.id) AS INTEGER)"
CORPUS_ROWS = f"""
    SELECT a.article, a.id,
           {{seq}} AS seq,
           i.id AS identity,
           lower(coalesce(i.kind, {keys.speaker_kind_sql("a")})) AS kind,
           coalesce(i.id IS NOT NULL AND {RANKED}, FALSE) AS ranked,
           ar.publisher, ar.published_date, ar.name, a.type, a.act,
           coalesce(a.source_anonymous, FALSE) AS anonymous,
           {CATEGORY} AS category, {RELAYED} AS relayed, a.source_name, a.via, a.content_start,
           a.rowid AS rid, ar.rowid AS aid
    FROM attributions a
    JOIN articles ar ON ar.hash = a.article
    {IDENTITY_JOIN}
"""
# `{rows}`: corpus_rows or CORPUS_ROWS as a subquery
SPEAKER_STATS = """
    SELECT identity AS key, any_value(i.name) AS name, any_value(i.kind) AS kind, bool_or(ranked) AS ranked,
           bool_or(anonymous) AS anonymous, count(*) AS attributions,
           count(*) FILTER (WHERE type = 'direct') AS direct, count(DISTINCT article) AS articles,
           count(DISTINCT publisher) AS publishers, min(published_date) AS first, max(published_date) AS last,
           count(DISTINCT source_name) AS variants,
           list_last(string_split(split_part(identity, ':', 2), ' ')) AS surname
    FROM {rows} r JOIN identities i ON i.id = r.identity
    GROUP BY identity
"""
ARTICLE_STATS = """
    SELECT ar.hash, ar.published_date, ar.publisher, ar.name, ar.title, count(r.id) AS attributions,
           count(r.id) FILTER (WHERE r.type = 'direct') AS direct,
           count(DISTINCT r.identity) FILTER (WHERE r.ranked) AS speakers
    FROM articles ar LEFT JOIN {rows} r ON r.article = ar.hash
    GROUP BY ar.hash, ar.published_date, ar.publisher, ar.name, ar.title
"""
STATE_NOW = """  -- what the derived tables were built from (derived_state's first four columns)
    SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM attributions) AS attributions,
           (SELECT count(*) FROM identity_members) AS members, (SELECT count(*) FROM identity_aliases) AS aliases
"""
DERIVED_FRESH = f"""
    SELECT coalesce((SELECT s.articles = n.articles AND s.attributions = n.attributions AND s.members = n.members
                            AND s.aliases = n.aliases
                     FROM derived_state s, ({STATE_NOW}) n LIMIT 1), FALSE)
"""
DERIVED_TABLES = {"rows": "corpus_rows", "speakers": "speaker_stats", "articles": "article_stats"}
_LIVE: WeakKeyDictionary[Store, bool] = WeakKeyDictionary()


def derived_fresh(store: Store) -> bool:
    """Whether the derived tables were rebuilt after the last change to the articles, identities or
    corrections (counts of each, recorded when they were built)."""
    return bool(store.value(DERIVED_FRESH))


def prepare(store: Store, aliases: Iterable[Any] = ()) -> None:
    """Make this connection's identities current and choose what the lists read: the derived tables when
    they are fresh and no aliases file is laid over the stored corrections, else the live columns."""
    from onrecord.store.identity import current

    aliases = list(aliases)
    if not aliases and derived_fresh(store):
        _LIVE[store] = False
        return
    current(store, aliases)
    _LIVE[store] = True


def relation(store: Store, part: str) -> str:
    """`corpus_rows`, `speaker_stats` or `article_stats`, or the same columns computed now (a subquery)."""
    if store not in _LIVE:
        _LIVE[store] = not derived_fresh(store)
    if not _LIVE[store]:
        return DERIVED_TABLES[part]
    rows = f"({CORPUS_ROWS.format(seq='NULL')})"  # live: no seq, the pages sort by NEWEST's columns
    return {"rows": rows, "speakers": f"({SPEAKER_STATS.format(rows=rows)})"}.get(
        part, f"({ARTICLE_STATS.format(rows=rows)})"
    )


# --speaker: an identity key, a variant key, or part of the identity's or the written name
SPEAKER_MATCH = """(r.identity = ? OR r.identity IN (SELECT identity FROM identity_members WHERE key = ?)
    OR r.identity IN (SELECT id FROM identities WHERE contains(lower(name), lower(?)))
    OR contains(lower(r.source_name), lower(?)))"""
# a value with a colon is a key (kind:name), never part of a written name: the cheap test alone
KEY_MATCH = "r.identity IN (SELECT ? UNION ALL SELECT identity FROM identity_members WHERE key = ?)"


@dataclass(slots=True)
class Filters:
    """Restrictions, order and page of a corpus list (the CLI's options, the pages' GET forms); an unset
    field restricts nothing.  Row filters apply to the attributions a list counts (alias `r`)."""

    since: str | None = None
    until: str | None = None
    publisher: str | None = None
    kind: str | None = None
    speaker: str | None = None
    search: str | None = None  # words (quotes: of the content; articles: of the title)
    anonymous: bool = False
    via: str | None = None
    acts: tuple[str, ...] | None = None  # what the source did: any of these
    limit: int | None = None
    ranked: bool = False  # a speaker ranking: descriptions and pronouns only when --kind asks for them
    type: str | None = None  # direct, indirect, mixed
    name: str | None = None  # speakers and publishers: part of the name (or key)
    offset: int | None = None
    sort: str | None = None
    order: str | None = None

    def __post_init__(self) -> None:
        check_count("--limit", self.limit)
        check_count("--offset", self.offset)
        check_choice("--order", self.order, ORDERS)

    def dates(self, column: str) -> tuple[list[str], list[Any]]:
        """since / until on a date `column` (inclusive)."""
        clauses, params = [], []
        if self.since:
            clauses.append(f"{column} >= CAST(? AS DATE)")
            params.append(self.since)
        if self.until:
            clauses.append(f"{column} <= CAST(? AS DATE)")
            params.append(self.until)
        return clauses, params

    def where(self) -> tuple[str, list[Any]]:
        """The row filters as one SQL condition over `r` (a corpus row) with its bound parameters."""
        clauses, params = self.dates("r.published_date")
        clauses.insert(0, "TRUE")
        if self.publisher:
            clauses.append(f"lower(coalesce(r.publisher, '{UNKNOWN_PUBLISHER}')) = lower(?)")
            params.append(self.publisher)
        if self.kind:
            clauses.append("r.kind = lower(?)")
            params.append(self.kind)
        elif self.ranked:
            clauses.append("r.ranked")
        if self.speaker:
            key = ":" in self.speaker
            clauses.append(KEY_MATCH if key else SPEAKER_MATCH)
            params.extend([self.speaker] * (2 if key else 4))
        if self.search:
            words, values = word_match("x.content_text", self.search)
            if words:  # a semi-join on the attribution's rowid (an integer), not on its two ids
                clauses.append(f"r.rid IN (SELECT x.rowid FROM attributions x WHERE {' AND '.join(words)})")
                params.extend(values)
        if self.anonymous:
            clauses.append("r.anonymous")
        if self.via:
            clauses.append("EXISTS (SELECT 1 FROM unnest(r.via) AS t(v) WHERE contains(lower(t.v), lower(?)))")
            params.append(self.via)
        if self.acts:
            clauses.append(f"r.act IN ({', '.join('?' for _ in self.acts)})")
            params.extend(self.acts)
        if self.type:
            clauses.append("r.type = lower(?)")
            params.append(self.type)
        return " AND ".join(clauses), params

    def paging(self) -> tuple[str, list[Any]]:
        """LIMIT (0 or unset: every row) and OFFSET as SQL with their parameters."""
        sql, params = "", []
        if self.limit:
            sql, params = " LIMIT ?", [self.limit]
        if self.offset:
            sql = (sql or f" LIMIT {MAX_ROWS}") + " OFFSET ?"
            params.append(self.offset)
        return sql, params

    def ordering(self, sorts: dict[str, str], tie: str) -> str:
        """ORDER BY of a list: its sort key (default the first), descending unless `order` is asc."""
        check_choice("--sort", self.sort, sorts)
        column = sorts[self.sort or next(iter(sorts))]
        direction = "ASC" if self.order == "asc" else "DESC"
        return f" ORDER BY {column} {direction} NULLS LAST, {tie}"


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


def page_of(table: Table, f: Filters, total: int) -> dict[str, Any]:
    """A list's page as the web and the API show it: the rows, all that match, the page's place."""
    return {"total": total, "limit": f.limit or 0, "offset": f.offset or 0, "rows": table.rows}


# -------------------------------------------------------------------------------------------------
# the corpus overview

COUNTED = ("articles", "attributions", "speakers", "identities", "entities", "mentions", "repairs", "failures")


STATS = f"""
    SELECT {", ".join(f"(SELECT count(*) FROM {table}) AS {table}" for table in COUNTED)},
           (SELECT count(DISTINCT publisher) FROM articles) AS publishers,
           (SELECT min(published_date) FROM articles) AS first_published,
           (SELECT max(published_date) FROM articles) AS last_published
"""
# per type and per act in one scan of the narrow rows (not of the attributions' texts)
STATS_PARTS = """
    SELECT type, act, count(*) AS n, grouping(type) AS no_type FROM {rows} r
    GROUP BY GROUPING SETS ((type), (act)) ORDER BY no_type, type, act
"""


def stats(store: Store) -> dict[str, Any]:
    """The corpus overview: counts of every table, publishers, the date range, the schema version, and
    attributions per type and per act; as recorded at the last rebuild of the derived tables while they
    are fresh (the failures counted now: a stopped ingest may have added some)."""
    if relation(store, "rows") == "corpus_rows":
        kept = store.value("SELECT stats FROM derived_state")
        if kept:
            values = json.loads(kept)
            values["failures"] = store.value("SELECT count(*) FROM failures")
            values["schema_version"] = store.version()
            return values
    return stats_now(store, relation(store, "rows"))


def stats_now(store: Store, rows: str) -> dict[str, Any]:
    """`stats` counted now, types and acts from `rows` (two statements: each is a round trip)."""
    values: dict[str, Any] = records(store, STATS)[0]
    values["schema_version"] = store.version()
    parts = records(store, STATS_PARTS.format(rows=rows))
    for row in parts:
        if not row["no_type"]:
            values[f"attributions_{row['type']}"] = row["n"]
    for row in parts:
        if row["no_type"] and row["act"] is not None:
            values[f"act_{row['act']}"] = row["n"]
    return values


# -------------------------------------------------------------------------------------------------
# speakers (`query speakers`, /speakers, /api/speakers, /speakers.csv)

SPEAKER_COLUMNS = "key, name, kind, anonymous, attributions, direct, articles, publishers, first, last, variants"


def speaker_totals(rows: str, where: str = "TRUE") -> str:
    """One row per corpus identity over the attributions of `rows` that pass `where` (alias `r`)."""
    return f"""
        SELECT r.identity AS key, any_value(i.name) AS name, any_value(i.kind) AS kind,
               bool_or(r.anonymous) AS anonymous, count(*) AS attributions,
               count(*) FILTER (WHERE r.type = 'direct') AS direct, count(DISTINCT r.article) AS articles,
               count(DISTINCT r.publisher) AS publishers, min(r.published_date) AS first,
               max(r.published_date) AS last, count(DISTINCT r.source_name) AS variants
        FROM {rows} r JOIN identities i ON i.id = r.identity
        WHERE {where}
        GROUP BY r.identity
    """


def _speaker_source(store: Store, f: Filters) -> tuple[str, list[Any]]:
    """The speaker rows `f` asks for (alias `g`): the totals table when nothing but the kind (or the
    ranking) restricts the attributions, else the totals of the attributions that pass."""
    where, params = f.where()
    if (where, params) == Filters(ranked=f.ranked, kind=f.kind).where():
        clause = "lower(kind) = lower(?)" if f.kind else ("ranked" if f.ranked else "TRUE")
        sql = f"SELECT {SPEAKER_COLUMNS} FROM {relation(store, 'speakers')} WHERE {clause}"
        params = [f.kind] if f.kind else []
    else:
        sql = speaker_totals(relation(store, "rows"), where)
    named = " WHERE contains(lower(g.name), lower(?)) OR contains(lower(g.key), lower(?))" if f.name else ""
    return f"SELECT * FROM ({sql}) g{named}", [*params, *([f.name, f.name] if f.name else [])]


def speakers(store: Store, f: Filters) -> Table:
    """Corpus identities by number of attributions (or `f.sort`), over the attributions `f` lets through."""
    f.ranked = True
    sql, params = _speaker_source(store, f)
    page, values = f.paging()
    return _table(store, f"{sql}{f.ordering(SPEAKER_SORTS, 'key')}{page}", [*params, *values])


def speaker_count(store: Store, f: Filters) -> int:
    """How many speakers `f` lets through (all pages)."""
    f.ranked = True
    sql, params = _speaker_source(store, f)
    return store.value(f"SELECT count(*) FROM ({sql})", params)


def speaker_label(kind: str | None, anonymous: bool | None) -> str:
    return keys.label(keys.kind_category(kind, anonymous))


def speaker_list(store: Store, f: Filters) -> dict[str, Any]:
    """A page of `speakers` with the count of all that match (counted over the same aggregation, in the
    same statement) and each row's kind label."""
    f.ranked = True
    sql, params = _speaker_source(store, f)
    page, values = f.paging()
    sql = f"SELECT *, count(*) OVER () AS total FROM ({sql}) g{f.ordering(SPEAKER_SORTS, 'key')}{page}"
    found = _table(store, sql, [*params, *values])
    # a page past the end has no row for the window count to ride on: count apart
    total = found.rows[0]["total"] if found.rows else speaker_count(store, f)
    for row in found.rows:
        del row["total"]
        row["kind_label"] = speaker_label(row["kind"], row["anonymous"])
    result = page_of(found, f, total)
    result["speakers"] = result.pop("rows")
    return result


# -------------------------------------------------------------------------------------------------
# quotes (`query quotes`, /quotes, /api/quotes, /quotes.csv, a speaker's quotes)

QUOTE_COLUMNS = [
    "published",
    "publisher",
    "article",
    "id",
    "speaker",
    "key",
    "type",
    "act",
    "cue",
    "content",
    "via",
    "anonymous",
]
QUOTE_ATTRIBUTIONS = """
    SELECT rowid AS rid, id, source_name AS speaker, type, act, cue_text AS cue, content_text AS content,
           array_to_string(via, '; ') AS via, source_anonymous AS anonymous, via AS relays, parent
    FROM attributions WHERE rowid = ANY(?)
"""
QUOTE_ARTICLES = """
    SELECT rowid AS aid, published_date AS published, publisher, name AS article, hash, title, url
    FROM articles WHERE rowid = ANY(?)
"""


def _quote_table(store: Store, f: Filters, *, counted: bool = False) -> Table:
    """The attributions `f` lets through, in its order and page, with every column the CLI and pages show
    (and `total`, all that pass, when `counted`).  The page is chosen on the narrow rows; its texts are
    then fetched by rowid, which reads 50 rows instead of joining a million."""
    where, params = f.where()
    check_choice("--sort", f.sort, QUOTE_SORTS)
    total = ", count(*) OVER () AS total" if counted else ""
    # seq is the newest-first order; oldest first keeps the undated last and each article in text order
    oldest = " ORDER BY r.published_date ASC NULLS LAST, r.name, r.content_start, r.id"
    newest = (
        " ORDER BY r.seq"
        if relation(store, "rows") == "corpus_rows"
        else " ORDER BY " + ", ".join(f"r.{part}" for part in NEWEST.split(", "))
    )
    order = oldest if f.order == "asc" else newest
    page, values = f.paging()
    sql = f"SELECT r.rid, r.aid, r.identity AS key{total} FROM {relation(store, 'rows')} r WHERE {where}{order}{page}"
    picked = store.rows(sql, [*params, *values])
    texts = {r["rid"]: r for r in store.rows(QUOTE_ATTRIBUTIONS, [[p["rid"] for p in picked]])} if picked else {}
    heads = (
        {r["aid"]: r for r in records(store, QUOTE_ARTICLES, [sorted({p["aid"] for p in picked})])} if picked else {}
    )
    rows = []
    for p in picked:
        row = {**heads[p["aid"]], **texts[p["rid"]], "key": p["key"]}
        if counted:
            row["total"] = p["total"]
        rows.append({k: _plain(v) for k, v in row.items() if k not in ("rid", "aid")})
    return Table([*QUOTE_COLUMNS, "hash", "title", "url", "relays", "parent"], rows)


def quotes(store: Store, f: Filters) -> Table:
    """Who said what: the CLI's columns (`QUOTE_COLUMNS`), newest first unless `f.order` is asc."""
    found = _quote_table(store, f)
    return Table(QUOTE_COLUMNS, [{c: row[c] for c in QUOTE_COLUMNS} for row in found.rows])


def quote_count(store: Store, f: Filters) -> int:
    """How many attributions `f` lets through (all pages)."""
    where, params = f.where()
    return store.value(f"SELECT count(*) FROM {relation(store, 'rows')} r WHERE {where}", params)


def _web_quote(row: dict[str, Any]) -> dict[str, Any]:
    """A quote row as the pages' `quote_item` takes it: the article by hash, its relays as a list."""
    url = row["url"] or ""
    return {
        **row,
        "article": row["hash"],
        "name": row["article"],
        "via": list(row["relays"] or []),
        "url": url if url.startswith(("http://", "https://")) else None,
    }


def quote_list(store: Store, f: Filters) -> dict[str, Any]:
    """A page of `quotes` (the same rows, in the same order) with the count of all that match (counted
    in the same statement for a word search, so its matching runs once)."""
    found = _quote_table(store, f, counted=bool(search_words(f.search)))
    total = found.rows[0]["total"] if found.rows and "total" in found.rows[0] else quote_count(store, f)
    for row in found.rows:
        row.pop("total", None)
    result = page_of(Table([], [_web_quote(r) for r in found.rows]), f, total)
    result["quotes"] = result.pop("rows")
    return result


# -------------------------------------------------------------------------------------------------
# articles (`query articles`, /articles, /api/articles, /articles.csv, a publisher's articles)

ARTICLE_COLUMNS = ["published", "publisher", "article", "title", "hash", "attributions", "direct", "speakers"]


def _article_where(f: Filters) -> tuple[str, list[Any]]:
    """The article filters (alias `ar`): publisher, date range, words of the title (or the name)."""
    clauses, params = f.dates("ar.published_date")
    clauses.insert(0, "TRUE")
    if f.publisher:
        clauses.append(f"lower(coalesce(ar.publisher, '{UNKNOWN_PUBLISHER}')) = lower(?)")
        params.append(f.publisher)
    words, values = word_match("coalesce(ar.title, ar.name)", f.search)
    clauses.extend(words)
    params.extend(values)
    return " AND ".join(clauses), params


def articles(store: Store, f: Filters) -> Table:
    """Stored articles with their counts, newest first (or `f.sort`), filtered by publisher, date, title."""
    where, params = _article_where(f)
    page, values = f.paging()
    sql = f"""
        SELECT * FROM (
            SELECT ar.published_date AS published, ar.publisher, ar.name AS article, ar.title, ar.hash,
                   ar.attributions, ar.direct, ar.speakers, ar.name
            FROM {relation(store, "articles")} ar
            WHERE {where}
        ) t {f.ordering(ARTICLE_SORTS, "name, hash")}{page}
    """
    found = _table(store, sql, [*params, *values])
    return Table(ARTICLE_COLUMNS, [{c: row[c] for c in ARTICLE_COLUMNS} for row in found.rows])


def article_list(store: Store, f: Filters) -> dict[str, Any]:
    """A page of `articles` with the count of all that match."""
    where, params = _article_where(f)
    total = store.value(f"SELECT count(*) FROM {relation(store, 'articles')} ar WHERE {where}", params)
    result = page_of(articles(store, f), f, total)
    result["articles"] = result.pop("rows")
    return result


# -------------------------------------------------------------------------------------------------
# publishers (`query sources`, /publishers, a publisher's page)


def _share(categories: tuple[str, ...]) -> str:
    return f"round(avg(CASE WHEN category IN ({', '.join(repr(c) for c in categories)}) THEN 1.0 ELSE 0.0 END), 3)"


def sources(store: Store, f: Filters) -> Table:
    """Per publisher: how attributions name their sources (the categories of `onrecord.keys`, "named"
    being person or organisation), and how many come through a relay."""
    where, params = f.where()
    page, values = f.paging()
    sql = f"""
        SELECT coalesce(r.publisher, '{UNKNOWN_PUBLISHER}') AS publisher,
               count(DISTINCT r.article) AS articles,
               count(*) AS attributions,
               {_share(keys.NAMED)} AS named,
               {_share(("unnamed",))} AS unnamed,
               {_share((keys.ANONYMOUS,))} AS anonymous,
               {_share((keys.UNRESOLVED,))} AS unresolved,
               {_share((keys.NONE,))} AS no_source,
               round(avg(CASE WHEN relayed THEN 1.0 ELSE 0.0 END), 3) AS via_wire
        FROM {relation(store, "rows")} r
        WHERE {where}
        GROUP BY 1
        ORDER BY attributions DESC, publisher
        {page}
    """
    return _table(store, sql, [*params, *values])


def _publisher_rows(rows: str, article_where: str, row_where: str, match: str) -> str:
    """Per publisher: articles, attributions, relayed, and counts per category (two aligned lists)."""
    return f"""
        WITH art AS (
            SELECT coalesce(ar.publisher, '{UNKNOWN_PUBLISHER}') AS name, count(*) AS articles
            FROM articles ar WHERE {article_where} GROUP BY 1
        ), cat AS (
            SELECT coalesce(r.publisher, '{UNKNOWN_PUBLISHER}') AS name, r.category, count(*) AS n,
                   count(*) FILTER (WHERE r.relayed) AS relayed
            FROM {rows} r WHERE {row_where} GROUP BY 1, 2
        )
        SELECT art.name, any_value(art.articles) AS articles, coalesce(sum(cat.n), 0) AS attributions,
               coalesce(sum(cat.relayed), 0) AS relayed,
               list(cat.category ORDER BY cat.category) FILTER (WHERE cat.n IS NOT NULL) AS categories,
               list(cat.n ORDER BY cat.category) FILTER (WHERE cat.n IS NOT NULL) AS counts
        FROM art LEFT JOIN cat ON cat.name = art.name
        WHERE {match}
        GROUP BY art.name
    """


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    """Counts per category → the mix and the shares the publisher pages show (`keys.shares`)."""
    counts = Counter(dict(zip(row.pop("categories") or [], row.pop("counts") or [], strict=True)))
    row["mix"] = keys.mix(counts)
    total = row["attributions"]
    row["relayed_share"] = row["relayed"] / total if total else 0.0
    row["per_article"] = total / row["articles"] if row["articles"] else 0.0
    shares = keys.shares(counts)
    row["named_share"] = shares["named"]
    row["anonymous_share"] = shares[keys.ANONYMOUS]
    return row


def _publisher_query(store: Store, f: Filters, match: str, match_params: list[Any]) -> tuple[str, list[Any]]:
    """The per-publisher totals over the articles (and their attributions) in `f`'s dates and publisher."""
    dated = Filters(since=f.since, until=f.until, publisher=f.publisher)
    article_where, article_params = _article_where(dated)
    row_where, row_params = dated.where()
    sql = _publisher_rows(relation(store, "rows"), article_where, row_where, match)
    return sql, [*article_params, *row_params, *match_params]


def publisher_profiles(store: Store, f: Filters | None = None) -> list[dict[str, Any]]:
    """Every publisher (articles without one under "(unknown)") with its sourcing profile, sorted by
    `f.sort` (articles by default) and restricted to articles published between `f.since` and `f.until`
    and to names containing `f.name`."""
    f = f or Filters()
    match, params = ("contains(lower(art.name), lower(?))", [f.name]) if f.name else ("TRUE", [])
    sql, values = _publisher_query(store, f, match, params)
    rows = [_profile(row) for row in records(store, sql, values)]
    check_choice("--sort", f.sort, PUBLISHER_SORTS)
    column = (f.sort or "articles").replace("named", "named_share").replace("anonymous", "anonymous_share")
    column = {"relayed": "relayed_share"}.get(column, column)
    rows.sort(key=lambda r: (r["name"] or "").lower())
    if column != "name":
        rows.sort(key=lambda r: r[column], reverse=f.order != "asc")
    elif f.order == "desc":
        rows.reverse()
    return rows


PUBLISHER_COLUMNS = [
    "name",
    "articles",
    "attributions",
    "per_article",
    "named_share",
    "anonymous_share",
    "relayed_share",
]


def publishers(store: Store, f: Filters) -> Table:
    """`publisher_profiles` as a table (the publishers page's download); its shares unrounded."""
    rows = publisher_profiles(store, f)
    page = rows[(f.offset or 0) : (f.offset or 0) + f.limit] if f.limit else rows[(f.offset or 0) :]
    return Table(PUBLISHER_COLUMNS, [{c: r[c] for c in PUBLISHER_COLUMNS} for r in page])


def _publisher_parts(rows: str, match: str) -> dict[str, str]:
    """The statements of a publisher page beyond its head, each filtered by `match` (alias `r`)."""
    return {
        "types": f"SELECT r.type, count(*) AS n FROM {rows} r WHERE {match} GROUP BY r.type ORDER BY n DESC, r.type",
        "top_speakers": f"""
            SELECT r.identity AS key, any_value(i.name) AS name, count(*) AS count
            FROM {rows} r JOIN identities i ON i.id = r.identity
            WHERE {match} AND r.ranked
            GROUP BY r.identity ORDER BY count DESC, key LIMIT 12
        """,
        "relays": f"""
            SELECT v AS name, count(*) AS count FROM {rows} r, unnest(r.via) AS t(v)
            WHERE {match} GROUP BY v ORDER BY count DESC, v LIMIT 12
        """,
        "timeline": f"""
            SELECT strftime(r.published_date, '%Y-%m') AS month, count(*) AS n FROM articles r
            WHERE {match} AND r.published_date IS NOT NULL GROUP BY month ORDER BY month
        """,
    }


def publisher_profile(store: Store, name: str) -> dict[str, Any] | None:
    """One publisher's page ("(unknown)": the articles without a publisher); None when it has no article."""
    unknown = name == UNKNOWN_PUBLISHER
    match = "r.publisher IS NULL" if unknown else "r.publisher = ?"
    params: list[Any] = [] if unknown else [name]
    sql, values = _publisher_query(store, Filters(publisher=name), "TRUE", [])
    head = records(store, sql, values)
    if not head or not head[0]["articles"]:
        return None
    found = _profile(head[0])
    parts = {
        part: records(store, sql, params) for part, sql in _publisher_parts(relation(store, "rows"), match).items()
    }
    found["types"] = {r["type"]: r["n"] for r in parts["types"]}
    found["top_speakers"] = parts["top_speakers"]
    found["relays"] = parts["relays"]
    found["timeline"] = {r["month"]: r["n"] for r in parts["timeline"]}
    return found


# -------------------------------------------------------------------------------------------------
# one speaker's page

SPEAKER_HEAD = """
    SELECT s.key, s.name, s.kind, i.provenance, s.attributions, s.articles, s.first, s.last
    FROM {stats} s JOIN identities i ON i.id = s.key
    WHERE s.key = ?
"""
# one scan of the speaker's rows: per month, per publisher, per category, and the relayed ones
SPEAKER_PARTS = """
    SELECT strftime(r.published_date, '%Y-%m') AS month, coalesce(r.publisher, ?) AS publisher, r.category,
           count(*) AS n, count(*) FILTER (WHERE r.relayed) AS relayed,
           grouping(month) AS no_month, grouping(publisher) AS no_publisher, grouping(r.category) AS no_category
    FROM {rows} r WHERE r.identity = ?
    GROUP BY GROUPING SETS ((month), (publisher), (r.category), ())
"""
IDENTITY_OF = """
    SELECT coalesce((SELECT id FROM identities WHERE id = ?),
                    (SELECT min(identity) FROM identity_members WHERE key = ?))
"""
SPEAKER_VARIANTS = """
    SELECT key, name, sum(count) AS count, min(rule) AS rule FROM identity_variants
    WHERE identity = ? GROUP BY key, name ORDER BY count DESC, name, key
"""


def speaker_key(store: Store, key: str) -> str:
    """The identity a key names: itself, or the identity a variant (per-article) key belongs to."""
    return store.value(IDENTITY_OF, [key, key]) or key


def speaker_profile(store: Store, key: str, quotes_filter: Filters | None = None) -> dict[str, Any] | None:
    """One speaker (an identity, or the identity a variant key belongs to): totals, sourcing mix, names
    written, its variants, quotes per month and per publisher, and a page of its quotes (`quotes_filter`
    with the speaker set: the same rows `query quotes --speaker KEY` gives)."""
    key = speaker_key(store, key)
    head = records(store, SPEAKER_HEAD.format(stats=relation(store, "speakers")), [key])
    if not head:
        return None
    found = head[0]
    parts = records(store, SPEAKER_PARTS.format(rows=relation(store, "rows")), [UNKNOWN_PUBLISHER, key])
    found["relayed"] = next(r["relayed"] for r in parts if r["no_month"] and r["no_publisher"] and r["no_category"])
    found["mix"] = keys.mix({r["category"]: r["n"] for r in parts if not r["no_category"]})
    found["kind_label"] = speaker_label(found["kind"], False)
    found["timeline"] = {
        r["month"]: r["n"] for r in sorted(parts, key=lambda r: r["month"] or "") if not r["no_month"] and r["month"]
    }
    found["publishers"] = sorted(
        ({"publisher": r["publisher"], "n": r["n"]} for r in parts if not r["no_publisher"]),
        key=lambda r: (-r["n"], r["publisher"]),
    )
    found["variants"] = records(store, SPEAKER_VARIANTS, [key])
    found["names"] = sorted({v["name"] for v in found["variants"]})
    found["likely_merges"] = likely_merges(store, key)
    f = quotes_filter or Filters(limit=500)
    f.speaker = key
    page = quote_list(store, f)
    found["quotes"], found["quote_page"] = page.pop("quotes"), page
    return found


LIKELY_MERGES = f"""
    SELECT o.key, o.name, o.attributions, o.first, o.last
    FROM {{stats}} me JOIN {{stats}} o ON o.surname = me.surname AND o.key <> me.key
    WHERE me.key = ? AND o.ranked AND o.kind <> 'organization' AND o.kind NOT IN {NOT_RANKED}
      AND (me.first IS NULL OR o.first IS NULL
           OR (o.first <= me.last + INTERVAL {PERIOD_DAYS} DAY AND o.last >= me.first - INTERVAL {PERIOD_DAYS} DAY))
    ORDER BY o.attributions DESC, o.key LIMIT 10
"""


def likely_merges(store: Store, key: str) -> list[dict[str, Any]]:
    """Identities a user may want to merge with this one: people with the same surname quoted in the
    same period (or undated), which the pass left apart as ambiguous or never met."""
    stats_ = relation(store, "speakers")
    kind = store.value(f"SELECT kind FROM {stats_} WHERE key = ?", [key])
    if kind is None or kind == "organization" or kind in ("unnamed", "unresolved"):
        return []
    return records(store, LIKELY_MERGES.format(stats=stats_), [key])


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
            clauses.append(  # the matching identities first (a small table), then a semi-join on them
                "s.identity IN (SELECT id FROM identities WHERE id = ? OR contains(lower(name), lower(?))"
                " UNION SELECT identity FROM identity_members WHERE key = ? UNION SELECT CAST(? AS VARCHAR))"
            )
            params.extend([self.speaker] * 4)
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
        if self.search:  # the lists' word rule (whole words, light stemming), as a semi-join on the matches
            words, found = word_match("p.text", self.search)
            if words:
                clauses.append(f"s.id IN (SELECT p.statement FROM appearances p WHERE {' AND '.join(words)})")
                params.extend(found)
        return " AND ".join(clauses), params


STATEMENT_HEAD = """
    SELECT {extra}s.id, coalesce(i.name, s.identity) AS speaker, s.identity AS key, s.text, s.first_published,
           s.first_publisher, fa.name AS first_article, s.first_by, s.publishers, s.articles,
           s.appearances AS n_appearances, s.changed, s.promoted
    FROM ({chosen}) s
    LEFT JOIN identities i ON i.id = s.identity
    LEFT JOIN articles fa ON fa.hash = s.first_article
"""
# the statements a filter lets through, before the page's names are joined (a million statements are
# filtered and sorted on their own columns; only the page's rows meet `identities` and `articles`)
STATEMENT_CHOSEN = """
    SELECT {columns} FROM statements s
    WHERE {where}
"""
STATEMENT_ORDER = "s.reach, s.id"  # reach: publishers, then appearances, then the first date (migration 6)
STATEMENT_APPEARANCES = """
    SELECT p.statement, p.n, p.article AS hash, p.attribution, p.publisher, p.published_date AS published,
           p.type, p.cue, p.via, p.text, p.changed, p.diff
    FROM appearances p
    WHERE p.statement IN ({marks})
    ORDER BY p.statement, p.n
"""
APPEARANCE_ARTICLES = "SELECT hash, name FROM articles WHERE hash IN ({marks})"
# the speaker each outlet credited, for a page's appearances (their articles' attributions, by primary key)
APPEARANCE_CREDITS = "SELECT article, id, source_name, source_key FROM attributions WHERE article IN ({marks})"
STATEMENTS_STALE = """
    SELECT (SELECT count(*) FROM statements) = 0
       AND EXISTS (SELECT 1 FROM attributions WHERE source_key IS NOT NULL AND content_text IS NOT NULL)
"""


def statements_ready(store: Store) -> bool:
    """Whether the statements pass has run on this store (a store whose ingest stopped early has none)."""
    return not store.value(STATEMENTS_STALE)


def _with_appearances(store: Store, heads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each statement with its appearances in date order, their diffs as [op, words] lists.  The ids go in
    as a literal list so DuckDB looks them up in the index of migration 6 instead of scanning."""
    found: dict[str, list[dict[str, Any]]] = {h["id"]: [] for h in heads}
    if not found:
        return []
    rows = records(store, STATEMENT_APPEARANCES.format(marks=", ".join("?" * len(found))), list(found))
    articles = sorted({r["hash"] for r in rows})
    credits, names = {}, {}
    if articles:
        marks = ", ".join("?" * len(articles))
        credits = {(c["article"], c["id"]): c for c in records(store, APPEARANCE_CREDITS.format(marks=marks), articles)}
        names = {a["hash"]: a["name"] for a in records(store, APPEARANCE_ARTICLES.format(marks=marks), articles)}
    for r in rows:
        credit = credits.get((r["hash"], r["attribution"]), {})
        found[r["statement"]].append(
            {
                "n": r["n"],
                "article": names.get(r["hash"]),
                "hash": r["hash"],
                "attribution": r["attribution"],
                "publisher": r["publisher"],
                "published": r["published"],
                "type": r["type"],
                "speaker": credit.get("source_name"),
                "speaker_key": credit.get("source_key"),
                "cue": r["cue"],
                "via": list(r["via"] or []),
                "text": r["text"],
                "changed": r["changed"],
                "diff": json.loads(r["diff"]) if r["diff"] else [],
            }
        )
    return [{**h, "appearances": found[h["id"]]} for h in heads]


def statement_list(store: Store, f: StatementFilters) -> list[dict[str, Any]]:
    """Statements sorted by reach (outlets, then appearances), each with its appearances."""
    return statement_page(store, f)[1]


def statement_page(store: Store, f: StatementFilters) -> tuple[int, list[dict[str, Any]]]:
    """(how many statements the filters let through, the page of them): with a word search or a speaker
    filter the total is counted in the statement that chooses the page, so the text is scanned once.  The
    page's ids are chosen on the narrow columns, then its rows fetched (a sort that carries every
    statement's text through a deep offset costs twice as much)."""
    where, params = f.where()
    limit = f" LIMIT {int(f.limit)}" if f.limit else ""
    offset = f" OFFSET {int(f.offset)}" if f.offset else ""
    # a window count stops DuckDB's top-N, so only the filters that scan text count in the page's statement
    total = "count(*) OVER ()" if f.search or f.speaker else "NULL"
    ids = STATEMENT_CHOSEN.format(columns=f"s.id, {total} AS total", where=where)
    chosen = (
        f"SELECT s.*, t.total FROM statements s JOIN ({ids} ORDER BY {STATEMENT_ORDER}{limit}{offset}) t USING (id)"
    )
    head = STATEMENT_HEAD.format(extra="s.total AS _total, ", chosen=chosen)
    heads = records(store, f"{head} ORDER BY {STATEMENT_ORDER}", params)
    counted = heads[0]["_total"] if heads else None
    total = statement_count(store, f) if counted is None else counted  # a page past the end counts apart
    for h in heads:
        del h["_total"]
    return int(total), _with_appearances(store, heads)


def statement_count(store: Store, f: StatementFilters) -> int:
    """How many statements the filters let through (all pages)."""
    where, params = f.where()
    return int(store.value(f"SELECT count(*) FROM ({STATEMENT_CHOSEN.format(columns='s.id', where=where)})", params))


def statement_detail(store: Store, statement_id: str) -> dict[str, Any] | None:
    """One statement with its appearances in date order, or None."""
    heads = records(
        store, STATEMENT_HEAD.format(extra="", chosen="SELECT * FROM statements WHERE id = ?"), [statement_id]
    )
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

# The window of article text around the cue (`cue_window`, from `cue_window_start`) tells the occasion
# ("in a statement", "at a rally": onrecord/corpus/occasions.py); DuckDB and Spark SQL both run this.
STATEMENT_ATTRIBUTIONS = """
    SELECT a.article, a.id, a.type, a.content_text, a.content_start, a.content_end, a.cue_text, a.cue_lemma, a.act,
           a.via, a.source_key, a.source_mention, a.cue_start, a.cue_end, a.time_value, a.time_granularity,
           greatest(a.cue_start - 150, 0) AS cue_window_start,
           substring(r.text, greatest(a.cue_start - 150, 0) + 1,
                     least(a.cue_start, 150) + a.cue_end - a.cue_start + 150) AS cue_window
    FROM attributions a JOIN articles r ON r.hash = a.article
    WHERE a.source_key IS NOT NULL AND a.content_text IS NOT NULL ORDER BY a.article, a.id
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
