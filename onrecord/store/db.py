"""Opening a corpus database, and the one write path.

DuckDB lets one process write a database file at a time; a second one gets a lock error, which
becomes a `StoreError` with one clear sentence.  Files that are not DuckDB databases, and DuckDB
databases that are not onrecord's, are refused before anything is written to them.

Every article goes in with all its rows in one transaction, together with the articles row keyed by
its content hash; a hash already stored is never written again.  An interrupted run therefore leaves
whole articles or nothing, and the same command picks up where it stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onrecord.errors import StoreError
from onrecord.store import migrations
from onrecord.store.tables import ORDER_BY, PER_ARTICLE, TABLES, arrow_schema, columns
from onrecord.store.work import Failed, Stored

DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if head[:16].startswith(b"SQLite format 3"):
        raise StoreError(f"{path}: is an SQLite database, not an onrecord (DuckDB) database")
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        raise StoreError(f"{path}: is not a DuckDB database file (corrupt, or some other kind of file)")


def _explain(path: Path, exc: Exception) -> StoreError:
    message = " ".join(str(exc).split())
    if "lock" in message.lower():
        holder = ""
        if "(PID" in message:
            holder = " (PID " + message.split("(PID", 1)[1].split(")", 1)[0].strip() + ")"
        return StoreError(
            f"{path}: the database is in use by another onrecord process{holder}; "
            f"wait for it to finish, or use another --db"
        )
    corrupt = ("not a valid DuckDB database", "Corrupt", "corrupt", "checksum", "Could not read enough bytes")
    if any(word in message for word in corrupt):
        return StoreError(f"{path}: is not a readable DuckDB database (corrupt, or some other kind of file)")
    if "version" in message.lower() and "storage" in message.lower():
        return StoreError(f"{path}: was written by a different DuckDB storage version ({message[:200]})")
    return StoreError(f"{path}: cannot open the database ({message[:300]})")


def connect(path: str | Path, *, read_only: bool = False):
    """A DuckDB connection with clear errors; never downloads extensions."""
    import duckdb

    path = Path(path)
    _check_file(path)
    if read_only and not path.exists():
        raise StoreError(f"{path}: no such database (create it with `onrecord ingest ... --db {path}`)")
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise _explain(path, exc) from None


class Store:
    """An open onrecord database.  `Store.open(path)` migrates it; `read_only=True` never writes."""

    def __init__(self, con: Any, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Store:
        import duckdb

        path = Path(path)
        con = connect(path, read_only=read_only)
        try:
            tables = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                ).fetchall()
            }
            if tables and "schema_migrations" not in tables:
                raise StoreError(
                    f"{path}: is a DuckDB database but not an onrecord one (no schema_migrations table); "
                    f"refusing to write to it"
                )
            if read_only:
                version = migrations.current_version(con)
                if version > migrations.latest():
                    raise StoreError(
                        f"{path}: database schema version {version} is newer than this onrecord knows "
                        f"({migrations.latest()}); upgrade onrecord to use it"
                    )
                if version < migrations.latest():
                    raise StoreError(
                        f"{path}: database schema version {version} is older than this onrecord's "
                        f"({migrations.latest()}); run `onrecord ingest --db {path}` once to upgrade it"
                    )
            else:
                migrations.migrate(con, str(path))
        except StoreError:
            con.close()
            raise
        except duckdb.Error as exc:
            con.close()
            raise _explain(path, exc) from None
        return cls(con, path, read_only)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def stored_hashes(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT hash FROM articles").fetchall()}

    def version(self) -> int:
        return migrations.current_version(self.con)

    # -- the write path ------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN … COMMIT; anything that goes wrong (Ctrl-C included) rolls the whole of it back."""
        import duckdb

        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException as exc:
            with suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            # DuckDB turns Ctrl-C during a statement into its own exception
            if isinstance(exc, duckdb.InterruptException) or (
                isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()
            ):
                raise KeyboardInterrupt from None
            raise

    def write(self, outcomes: Iterable[Stored | Failed]) -> tuple[int, int]:
        """One transaction: new articles with all their rows, and failures.  Returns (stored, failed).

        An article whose hash is already in the database (an earlier run, or twice in this batch)
        is left out, so every article is stored exactly once."""
        stored: dict[str, Stored] = {}
        failures: dict[str, Failed] = {}
        for outcome in outcomes:
            if isinstance(outcome, Stored):
                stored.setdefault(outcome.hash, outcome)
            else:
                failures[outcome.name] = outcome
        if not stored and not failures:
            return 0, 0
        with self.transaction():
            if stored:
                for hash_ in self._present(list(stored)):
                    del stored[hash_]
            if stored:
                self._write_articles(list(stored.values()))
            if failures:
                at = now()
                rows = [
                    {"name": f.name, "hash": f.hash, "code": f.code, "error": f.error, "failed_at": at}
                    for f in failures.values()
                ]
                self._insert("failures", rows, replace=True)
        return len(stored), len(failures)

    def _write_articles(self, stored: list[Stored]) -> None:
        """Every row of these new articles (inside the caller's transaction), their old failures cleared."""
        at = now()
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("articles", *PER_ARTICLE, "speakers")}
        for outcome in stored:
            for table, table_rows in outcome.rows.items():
                rows[table].extend(table_rows)
        rows["articles"] = [{**r, "ingested_at": at} for r in rows["articles"]]
        for table in ("articles", *PER_ARTICLE):
            self._insert(table, rows[table])
        self._upsert_speakers(rows["speakers"])
        self.con.execute(
            "DELETE FROM failures WHERE name IN (SELECT unnest(?)) OR hash IN (SELECT unnest(?))",
            [[s.name for s in stored], [s.hash for s in stored]],
        )

    def _present(self, hashes: list[str]) -> set[str]:
        found = self.con.execute("SELECT hash FROM articles WHERE hash IN (SELECT unnest(?))", [hashes])
        return {r[0] for r in found.fetchall()}

    def _insert(self, table: str, rows: list[dict[str, Any]], *, replace: bool = False) -> None:
        """INSERT … BY NAME of rows keyed by column name (an Arrow batch built from tables.py's columns)."""
        if not rows:
            return
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        with self._registered("onrecord_batch", table, rows):
            self.con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM onrecord_batch")

    def _upsert_speakers(self, rows: list[dict[str, Any]]) -> None:
        """Speakers are shared by articles: the smallest name and kind seen win, whatever the order
        (Spark computes the same with min(), so both stores agree)."""
        if not rows:
            return
        with self._registered("onrecord_speakers", "speakers", rows):
            self.con.execute(
                """
                INSERT INTO speakers
                SELECT key, min(name), min(kind) FROM onrecord_speakers GROUP BY key
                ON CONFLICT (key) DO UPDATE SET
                    name = least(speakers.name, excluded.name),
                    kind = least(speakers.kind, excluded.kind)
                """
            )

    @contextmanager
    def _registered(self, view: str, table: str, rows: list[dict[str, Any]]) -> Iterator[None]:
        import duckdb
        import pyarrow as pa

        schema = arrow_schema(table)
        values = column_values(table, rows)
        batch = pa.Table.from_arrays([pa.array(values[f.name], type=f.type) for f in schema], schema=schema)
        self.con.register(view, batch)
        try:
            yield
        finally:
            with suppress(duckdb.Error):  # fails when the transaction was aborted; rolled back anyway
                self.con.unregister(view)

    # -- loading Parquet tables (Spark output, exports) ------------------------------------------

    def load_tables(self, folder: Path) -> tuple[int, int, int]:
        """Load a table folder: articles not yet stored, with all their rows, 16 transactions by hash
        prefix.  Returns (stored, skipped, failures)."""
        marker = read_marker(folder)
        if marker.get("schema_version", 0) > migrations.latest():
            raise StoreError(
                f"{folder}: tables of schema version {marker['schema_version']}, newer than this "
                f"onrecord knows ({migrations.latest()})"
            )
        sources = {t: parquet_glob(folder, t) for t in TABLES}
        missing = [t for t, g in sources.items() if g is None and t != "failures"]
        if missing:
            raise StoreError(f"{folder}: incomplete table folder, missing {', '.join(missing)}")
        con = self.con
        total = con.execute(f"SELECT count(DISTINCT hash) FROM read_parquet({_lit(sources['articles'])})")
        total_n = total.fetchone()[0]
        stored = 0
        for prefix in "0123456789abcdef":
            with self.transaction():
                con.execute(
                    f"""
                    CREATE OR REPLACE TEMP TABLE onrecord_new AS
                    SELECT * FROM read_parquet({_lit(sources["articles"])})
                    WHERE starts_with(hash, '{prefix}') AND hash NOT IN (SELECT hash FROM articles)
                    QUALIFY row_number() OVER (PARTITION BY hash ORDER BY name) = 1
                    """
                )
                n = con.execute("SELECT count(*) FROM onrecord_new").fetchone()[0]
                if n:
                    con.execute("UPDATE onrecord_new SET ingested_at = ?", [now()])
                    con.execute("INSERT INTO articles BY NAME SELECT * FROM onrecord_new")
                    for table in PER_ARTICLE:
                        con.execute(
                            f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet({_lit(sources[table])}) "
                            f"WHERE article IN (SELECT hash FROM onrecord_new)"
                        )
                    con.execute(
                        "DELETE FROM failures WHERE hash IN (SELECT hash FROM onrecord_new)"
                        " OR name IN (SELECT name FROM onrecord_new)"
                    )
                con.execute("DROP TABLE onrecord_new")
            stored += n
        with self.transaction():
            con.execute(
                f"""
                INSERT INTO speakers
                SELECT key, min(name), min(kind) FROM read_parquet({_lit(sources["speakers"])}) GROUP BY key
                ON CONFLICT (key) DO UPDATE SET
                    name = least(speakers.name, excluded.name), kind = least(speakers.kind, excluded.kind)
                """
            )
            failures = 0
            if sources["failures"] is not None:
                failures = con.execute(
                    f"""
                    INSERT OR REPLACE INTO failures
                    SELECT name, any_value(hash), any_value(code), any_value(error), ? AS failed_at
                    FROM read_parquet({_lit(sources["failures"])})
                    WHERE coalesce(hash, '') NOT IN (SELECT hash FROM articles)
                    GROUP BY name
                    """,
                    [now()],
                ).fetchone()[0]
        return stored, total_n - stored, failures

    # -- export ------------------------------------------------------------------------------

    def export(self, folder: Path) -> dict[str, int]:
        folder.mkdir(parents=True, exist_ok=True)
        counts = {}
        for table in [*TABLES, "schema_migrations"]:
            target = folder / f"{table}.parquet"
            self.con.execute(
                f"COPY (SELECT * FROM {table} ORDER BY {ORDER_BY[table]}) TO {_lit(str(target))} "
                f"(FORMAT parquet, COMPRESSION zstd)"
            )
            counts[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        write_marker(folder, "export", self.version())
        return counts


def column_values(table: str, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows keyed by column name → one list per column of `table`, in tables.py's order.

    A row with a column the table lacks, or without one it has, is a bug in whoever built it:
    refused loudly here, never written shifted into the wrong columns."""
    names = columns(table)
    expected = set(names)
    for row in rows:
        if row.keys() != expected:
            unknown, missing = sorted(row.keys() - expected), sorted(expected - row.keys())
            raise ValueError(f"{table} row does not match tables.py: unknown {unknown}, missing {missing}")
    return {name: [row[name] for row in rows] for name in names}


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def parquet_glob(folder: Path, table: str) -> str | None:
    """`folder/table/*.parquet` (Spark) or `folder/table.parquet` (export)."""
    directory = folder / table
    if directory.is_dir() and any(directory.glob("*.parquet")):
        return str(directory / "*.parquet")
    single = folder / f"{table}.parquet"
    if single.is_file():
        return str(single)
    return None


def marker(layout: str, schema_version: int) -> str:
    return json.dumps(
        {
            "format": "onrecord.tables/1",
            "layout": layout,
            "schema_version": schema_version,
            "tables": list(TABLES),
            "written_at": now().isoformat(timespec="seconds"),
        },
        indent=2,
    )


def write_marker(folder: Path, layout: str, schema_version: int) -> None:
    from onrecord.store.sources import TABLES_MARKER

    (folder / TABLES_MARKER).write_text(marker(layout, schema_version) + "\n", encoding="utf-8")


def read_marker(folder: Path) -> dict[str, Any]:
    from onrecord.store.sources import TABLES_MARKER

    try:
        data = json.loads((folder / TABLES_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{folder}: unreadable {TABLES_MARKER} ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != "onrecord.tables/1":
        raise StoreError(f"{folder}: {TABLES_MARKER} is not an onrecord table marker")
    return data
