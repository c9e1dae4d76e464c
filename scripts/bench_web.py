"""Latency of every corpus page and API list on a large store (issue 13: under 300 ms on ≥ 1 M attributions).

    python scripts/bench_web.py --seed SEED.duckdb --db /tmp/onrecord-bench.duckdb [--attributions 1000000]
                                [--runs 5] [--json]

SEED is a store written by a real `onrecord ingest` (the README uses PolNeAR dev, 84 articles, 2,155
attributions).  The script copies it to --db and replicates its rows in SQL under new article hashes,
names, statement ids and shifted dates until the store holds at least --attributions attributions:
every table that names an article (entities, mentions, repairs, attributions, identity_members,
statements, appearances) gets the copy's ids, identities stay shared (one person across copies),
identity_variants count every copy, so the identity and statement tables stay consistent with the
attributions.  The derived tables of migration 5 are then rebuilt as ingest rebuilds them.  --db is
reused when it already holds enough attributions (--rebuild makes it anew).

Every route is requested in process (the ASGI app through Starlette's TestClient, the same app
`onrecord serve` runs), once to warm up, then --runs times; the table gives the median and the worst
wall time per route, which is the server's time plus well under a millisecond of in-process transport.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

# copies of an article's rows: each table with its article column and the other ids a copy renames
COPIED = {
    "entities": "article",
    "mentions": "article",
    "repairs": "article",
    "attributions": "article",
    "identity_members": "article",
}


def _columns(con, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            f"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"
        ).fetchall()
    ]


def _copy_sql(con, table: str, renamed: dict[str, str]) -> str:
    """INSERT … SELECT of every copy `k` of `table`'s seed rows, with `renamed` columns rewritten."""
    cols = _columns(con, table)
    select = ", ".join(renamed.get(c, f"t.{c}") for c in cols)
    return f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM seed_{table} t, copies k"


def replicate(seed: Path, db: Path, attributions: int) -> dict[str, int]:
    """Copy `seed` to `db` and add copies of its rows until `db` holds ≥ `attributions` attributions."""
    import duckdb

    shutil.copyfile(seed, db)
    con = duckdb.connect(str(db))
    try:
        have = con.execute("SELECT count(*) FROM attributions").fetchone()[0]
        copies = max(0, -(-attributions // max(have, 1)) - 1)
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(1, ?)", [copies + 1])
        for table in (*COPIED, "articles", "statements", "appearances"):
            con.execute(f"CREATE TEMP TABLE seed_{table} AS SELECT * FROM {table}")
        new = "sha256(t.{col} || '#' || k.k)"
        con.execute("BEGIN")
        con.execute(
            _copy_sql(
                con,
                "articles",
                {
                    "hash": new.format(col="hash"),
                    "name": "t.name || '~' || k.k",
                    "doc_id": "t.doc_id || '~' || k.k",
                    # ten outlets per seed outlet, dates spread over the years after the seed's
                    "publisher": "CASE WHEN k.k % 10 = 0 THEN t.publisher ELSE t.publisher || ' ' || (k.k % 10) END",
                    "published_date": "t.published_date + CAST(k.k * 3 AS INTEGER)",
                },
            )
        )
        for table, col in COPIED.items():
            con.execute(_copy_sql(con, table, {col: new.format(col=col)}))
        con.execute(
            _copy_sql(
                con,
                "statements",
                {
                    "id": "t.id || '~' || k.k",
                    "first_article": new.format(col="first_article"),
                    "first_published": "t.first_published + CAST(k.k * 3 AS INTEGER)",
                },
            )
        )
        con.execute(
            _copy_sql(
                con,
                "appearances",
                {
                    "statement": "t.statement || '~' || k.k",
                    "article": new.format(col="article"),
                    "published_date": "t.published_date + CAST(k.k * 3 AS INTEGER)",
                },
            )
        )
        con.execute("UPDATE identity_variants SET count = count * ?", [copies + 1])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "attributions")}
    finally:
        con.close()
    return counts


def _refresh_derived(db: Path) -> None:
    """The derived tables (migration 5) as an ingest leaves them, where this onrecord has them."""
    from onrecord.store.db import Store

    with Store.open(db) as store:
        try:
            from onrecord.store.derived import refresh
        except ImportError:
            return
        refresh(store)
        try:  # copies carry their seed's statement ranks: rank them anew, where this onrecord has them
            from onrecord.store.statement import rerank
        except ImportError:
            return
        rerank(store)


def routes(db: Path) -> list[str]:
    """Every corpus list route, with parameters taken from the store (the top speaker, publisher, …)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        top = con.execute(
            "SELECT m.identity FROM attributions a JOIN identity_members m ON m.article = a.article "
            "AND m.key = a.source_key JOIN identities i ON i.id = m.identity WHERE i.kind = 'person' "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        publisher = con.execute(
            "SELECT publisher FROM articles WHERE publisher IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        article = con.execute("SELECT hash FROM articles ORDER BY hash LIMIT 1").fetchone()[0]
        first, last = con.execute("SELECT min(published_date), max(published_date) FROM articles").fetchone()
    finally:
        con.close()
    key, pub = quote(top, safe=""), quote(publisher, safe="")
    middle = first + (last - first) / 2 if first else None
    since = f"&since={middle.isoformat()}" if middle else ""
    return [
        "/api/corpus",
        "/speakers",
        "/api/speakers",
        "/speakers?sort=name&order=asc",
        "/speakers?q=john",
        f"/speakers?kind=person&publisher={pub}{since}",
        "/speakers?offset=5000",
        f"/speakers/{key}",
        f"/api/speakers/{key}",
        f"/speakers/{key}?offset=500",
        "/publishers",
        "/api/publishers",
        f"/publishers/{pub}",
        f"/api/publishers/{pub}",
        f"/publishers/{pub}?offset=1000",
        "/quotes",
        "/api/quotes",
        "/quotes?q=email",
        "/quotes?q=health+care",
        f"/quotes?publisher={pub}&type=direct{since}",
        "/quotes?anonymous=true",
        "/quotes?offset=500000",
        "/articles",
        "/api/articles",
        "/articles?search=clinton",
        f"/articles?publisher={pub}&sort=attributions",
        "/articles?offset=20000",
        f"/articles/{article}",
        "/statements",
        "/api/statements",
    ]


def time_routes(db: Path, paths: list[str], runs: int) -> list[dict]:
    """Median and worst milliseconds per route (after one warm-up request); 404 routes are absent."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from onrecord.web.app import create_app

    found = []
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        for path in paths:
            status = client.get(path).status_code
            if status == 404:
                found.append({"route": path, "status": 404})
                continue
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(path)
                times.append(1000 * (time.perf_counter() - started))
            found.append(
                {"route": path, "status": status, "median_ms": statistics.median(times), "worst_ms": max(times)}
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=Path, required=True, help="A store written by onrecord ingest.")
    parser.add_argument("--db", type=Path, default=Path("/tmp/onrecord-bench.duckdb"), help="The large store.")
    parser.add_argument("--attributions", type=int, default=1_000_000, help="Attributions to reach at least.")
    parser.add_argument("--runs", type=int, default=5, help="Timed requests per route.")
    parser.add_argument("--rebuild", action="store_true", help="Build --db anew even when it is large enough.")
    parser.add_argument("--json", action="store_true", help="The figures as JSON.")
    args = parser.parse_args(argv)
    import duckdb

    size = None
    if args.db.exists() and not args.rebuild:
        con = duckdb.connect(str(args.db), read_only=True)
        size = con.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM attributions)").fetchone()
        con.close()
    if size is None or size[1] < args.attributions:
        started = time.perf_counter()
        counts = replicate(args.seed, args.db, args.attributions)
        size = (counts["articles"], counts["attributions"])
        print(f"built {args.db} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    _refresh_derived(args.db)
    results = time_routes(args.db, routes(args.db), args.runs)
    timed = [r for r in results if "median_ms" in r]
    slowest = max(timed, key=lambda r: r["median_ms"])
    if args.json:
        print(json.dumps({"articles": size[0], "attributions": size[1], "routes": results}, indent=2))
        return 0
    print(f"{args.db}: {size[0]:,} articles, {size[1]:,} attributions; {args.runs} runs per route")
    print(f"{'route':<60} {'status':>6} {'median ms':>10} {'worst ms':>9}")
    for r in results:
        if "median_ms" in r:
            print(f"{r['route'][:60]:<60} {r['status']:>6} {r['median_ms']:>10.0f} {r['worst_ms']:>9.0f}")
        else:
            print(f"{r['route'][:60]:<60} {r['status']:>6} {'absent':>10}")
    print(f"slowest: {slowest['route']} median {slowest['median_ms']:.0f} ms, worst {slowest['worst_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
