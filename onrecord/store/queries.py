"""Questions asked of a corpus database: who speaks, what they said, how sources are named.

Each query returns (columns, rows); `render` prints them as an aligned table, CSV or JSON.  All
filters are bound parameters, never pasted into SQL.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from onrecord.store.db import Store

Result = tuple[list[str], list[tuple]]


@dataclass(slots=True)
class Filters:
    """Restrictions shared by the queries; an unset field restricts nothing."""

    since: str | None = None
    until: str | None = None
    publisher: str | None = None
    kind: str | None = None
    speaker: str | None = None
    search: str | None = None
    anonymous: bool = False
    via: str | None = None
    limit: int | None = None

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
            clauses.append("lower(coalesce(a.source_kind, split_part(a.source_key, ':', 1))) = lower(?)")
            params.append(self.kind)
        if self.speaker:
            clauses.append(
                "(a.source_key = ? OR contains(lower(a.source_name), lower(?))"
                " OR contains(lower(a.source_key), lower(?)))"
            )
            params.extend([self.speaker] * 3)
        if self.search:
            clauses.append("contains(lower(a.content_text), lower(?))")
            params.append(self.search)
        if self.anonymous:
            clauses.append("a.source_anonymous")
        if self.via:
            clauses.append("EXISTS (SELECT 1 FROM unnest(a.via) AS t(v) WHERE contains(lower(t.v), lower(?)))")
            params.append(self.via)
        return " AND ".join(clauses), params

    def limit_sql(self) -> str:
        return f" LIMIT {int(self.limit)}" if self.limit else ""


def stats(store: Store) -> dict[str, Any]:
    con = store.con

    def one(sql: str) -> Any:
        return con.execute(sql).fetchone()[0]

    values: dict[str, Any] = {
        "articles": one("SELECT count(*) FROM articles"),
        "attributions": one("SELECT count(*) FROM attributions"),
        "speakers": one("SELECT count(*) FROM speakers"),
        "entities": one("SELECT count(*) FROM entities"),
        "mentions": one("SELECT count(*) FROM mentions"),
        "repairs": one("SELECT count(*) FROM repairs"),
        "failures": one("SELECT count(*) FROM failures"),
        "publishers": one("SELECT count(DISTINCT publisher) FROM articles"),
        "first_published": one("SELECT min(published_date) FROM articles"),
        "last_published": one("SELECT max(published_date) FROM articles"),
        "schema_version": store.version(),
    }
    by_type = con.execute("SELECT type, count(*) FROM attributions GROUP BY type ORDER BY type").fetchall()
    for kind, n in by_type:
        values[f"attributions_{kind}"] = n
    return {k: _plain(v) for k, v in values.items()}


def speaker_totals(where: str = "TRUE") -> str:
    """One row per speaker key over the attributions that pass `where` (aliases `a`, `ar`): the CLI's
    `query speakers` and the web's speaker list both select from this, so their counts agree."""
    return f"""
        SELECT a.source_key AS key,
               coalesce(any_value(s.name), mode(a.source_name)) AS name,
               coalesce(any_value(s.kind), mode(a.source_kind)) AS kind,
               bool_or(coalesce(a.source_anonymous, FALSE)) AS anonymous,
               count(*) AS attributions,
               count(*) FILTER (WHERE a.type = 'direct') AS direct,
               count(DISTINCT a.article) AS articles,
               count(DISTINCT ar.publisher) AS publishers,
               min(ar.published_date) AS first,
               max(ar.published_date) AS last
        FROM attributions a
        JOIN articles ar ON ar.hash = a.article
        LEFT JOIN speakers s ON s.key = a.source_key
        WHERE a.source_key IS NOT NULL AND {where}
        GROUP BY a.source_key
    """


def speakers(store: Store, f: Filters) -> Result:
    where, params = f.where()
    sql = f"""
        {speaker_totals(where)}
        ORDER BY attributions DESC, key
        {f.limit_sql()}
    """
    return _run(store, sql, params)


def quotes(store: Store, f: Filters) -> Result:
    where, params = f.where()
    sql = f"""
        SELECT ar.published_date AS published, ar.publisher, ar.name AS article, a.id,
               a.source_name AS speaker, a.source_key AS key, a.type, a.cue_text AS cue,
               a.content_text AS content, array_to_string(a.via, '; ') AS via,
               a.source_anonymous AS anonymous
        FROM attributions a
        JOIN articles ar ON ar.hash = a.article
        WHERE {where}
        ORDER BY ar.published_date NULLS LAST, ar.name, a.content_start
        {f.limit_sql()}
    """
    return _run(store, sql, params)


def sources(store: Store, f: Filters) -> Result:
    """Per publisher: how attributions name their sources, and how many come through a relay."""
    where, params = f.where()
    sql = f"""
        WITH t AS (
            SELECT coalesce(ar.publisher, '(unknown)') AS publisher, a.article,
                   CASE WHEN a.source_name IS NULL THEN 'none'
                        WHEN a.source_anonymous THEN 'anonymous'
                        WHEN a.source_kind = 'unnamed' THEN 'unnamed'
                        ELSE 'named' END AS naming,
                   len(coalesce(a.via, [])) > 0 AS relayed
            FROM attributions a
            JOIN articles ar ON ar.hash = a.article
            WHERE {where}
        )
        SELECT publisher,
               count(DISTINCT article) AS articles,
               count(*) AS attributions,
               round(avg(CASE WHEN naming = 'named' THEN 1.0 ELSE 0.0 END), 3) AS named,
               round(avg(CASE WHEN naming = 'unnamed' THEN 1.0 ELSE 0.0 END), 3) AS unnamed,
               round(avg(CASE WHEN naming = 'anonymous' THEN 1.0 ELSE 0.0 END), 3) AS anonymous,
               round(avg(CASE WHEN naming = 'none' THEN 1.0 ELSE 0.0 END), 3) AS no_source,
               round(avg(CASE WHEN relayed THEN 1.0 ELSE 0.0 END), 3) AS via_wire
        FROM t
        GROUP BY publisher
        ORDER BY attributions DESC, publisher
        {f.limit_sql()}
    """
    return _run(store, sql, params)


def _run(store: Store, sql: str, params: list[Any]) -> Result:
    cursor = store.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return names, [tuple(_plain(v) for v in row) for row in cursor.fetchall()]


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


# -------------------------------------------------------------------------------------------------
# output


def render(columns: list[str], rows: list[tuple], fmt: str, width: int = 60) -> str:
    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    cells = [[_cell(v, width) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[i], (int, float)) or r[i] is None for r in rows) for i in range(len(columns))]
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
    return render(["measure", "value"], list(values.items()), fmt)


def _cell(value: Any, width: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}"
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"
