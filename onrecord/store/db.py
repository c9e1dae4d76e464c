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
import re
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from onrecord import keys
from onrecord.errors import Errors, StoreError
from onrecord.store import migrations
from onrecord.store.tables import (
    DERIVED,
    EXPORTED,
    LAYOUTS,
    ORDER_BY,
    PER_ARTICLE,
    TABLES,
    TABLES_MARKER,
    USER_TABLES,
    arrow_schema,
    columns,
)
from onrecord.store.work import Failed, Stored

DUCKDB_MAGIC = b"DUCK"  # bytes 8..12 of every DuckDB database file
_LOCK = re.compile(r"\block\b", re.IGNORECASE)  # "Could not set lock on file …: Conflicting lock is held …"
_CORRUPT = ("not a valid DuckDB database", "Corrupt", "corrupt", "checksum", "Could not read enough bytes")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_file(path: Path) -> None:
    """Refuse what is plainly not a DuckDB file by its first bytes, before DuckDB opens (or creates) it."""
    if path.is_dir():
        raise StoreError(Errors.E120.format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StoreError(Errors.E121.format(path=path, reason=exc.strerror or exc)) from None
    if head[:16].startswith(b"SQLite format 3"):
        raise StoreError(Errors.E122.format(path=path))
    if len(head) < 12 or head[8:12] != DUCKDB_MAGIC:
        raise StoreError(Errors.E123.format(path=path))


def _explain(path: Path, exc: Exception, *, querying: bool = False) -> StoreError:
    """One sentence for a DuckDB error on `path`: locked, damaged, another storage version, or else."""
    message = " ".join(str(exc).split())
    if any(word in message for word in _CORRUPT):  # before the lock test: "… in block at location …"
        return StoreError(Errors.E125.format(path=path, detail=message[:200]))
    if _LOCK.search(message):
        holder = ""
        if "(PID" in message:
            holder = " (PID " + message.split("(PID", 1)[1].split(")", 1)[0].strip() + ")"
        return StoreError(Errors.E124.format(path=path, holder=holder))
    if "version" in message.lower() and "storage" in message.lower():
        return StoreError(Errors.E126.format(path=path, detail=message[:200]))
    if querying:
        return StoreError(Errors.E139.format(path=path, detail=message[:300]))
    return StoreError(Errors.E127.format(path=path, detail=message[:300]))


def connect(path: str | Path, *, read_only: bool = False):
    """A DuckDB connection with clear errors; never downloads extensions."""
    import duckdb

    path = Path(path)
    _check_file(path)
    if read_only and not path.exists():
        raise StoreError(Errors.E128.format(path=path))
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config)
    except duckdb.Error as exc:
        raise _explain(path, exc) from None


def _table_names(con: Any) -> set[str]:
    found = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")
    return {name for (name,) in found.fetchall()}


def _read_every_block(con: Any) -> None:
    """Read every column of every table once, so that DuckDB checks every used block's checksum: a
    truncated or damaged file fails here, before anything is written to it."""
    for table in sorted(_table_names(con)):
        con.execute(f'SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM "{table}"').fetchall()


def verify(path: Path) -> None:
    """Refuse a damaged, truncated or foreign database without changing it (a read-only pass)."""
    import duckdb

    if not path.exists() or path.stat().st_size == 0:
        return
    con = connect(path, read_only=True)
    try:
        if _table_names(con) and "schema_migrations" not in _table_names(con):
            raise StoreError(Errors.E129.format(path=path))
        _read_every_block(con)
    except duckdb.Error as exc:
        raise _explain(path, exc) from None
    finally:
        con.close()


def _check_version(path: Path, con: Any) -> None:
    """A read-only open needs exactly this onrecord's schema (a write open migrates instead)."""
    version, latest = migrations.current_version(con), migrations.latest()
    if version > latest:
        raise StoreError(Errors.E130.format(path=path, version=version, latest=latest))
    if version < latest:
        raise StoreError(Errors.E131.format(path=path, version=version, latest=latest))


@dataclass(slots=True)
class Table:
    """A query's answer: column names in order, one dict per row (keyed by those names)."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


class Store:
    """An open onrecord database.  `Store.open(path)` checks and migrates it; `read_only=True` never writes."""

    def __init__(self, con: Any, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Store:
        """Open for reading, or check every block and then open for writing (and migrate).

        Reading does not read every block (a query on a large corpus would pay for it each time): a
        damaged block a query reaches fails that query with one clear sentence (`rows`)."""
        import duckdb

        path = Path(path)
        if not read_only:
            verify(path)
        con = connect(path, read_only=read_only)
        try:
            if _table_names(con) and "schema_migrations" not in _table_names(con):
                raise StoreError(Errors.E129.format(path=path))
            if read_only:
                _check_version(path, con)
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

    def table(self, sql: str, params: list[Any] | None = None) -> Table:
        """A query's columns and rows; a DuckDB error (a damaged block, say) becomes one `StoreError`
        sentence."""
        import duckdb

        try:
            cursor = self.con.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return Table(names, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
        except duckdb.Error as exc:
            raise _explain(self.path, exc, querying=True) from None

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Every row of a query as a dict keyed by column name."""
        return self.table(sql, params).rows

    def value(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first column of the first row (None without a row)."""
        found = self.rows(sql, params)
        return next(iter(found[0].values())) if found else None

    def stored_hashes(self) -> set[str]:
        return {r["hash"] for r in self.rows("SELECT hash FROM articles")}

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
        (`keys.speaker_upsert_sql`; Spark and the Parquet loader use the same aggregates).  Rows are dicts
        keyed by column name."""
        if not rows:
            return
        with self._registered("onrecord_speakers", "speakers", rows):
            self.con.execute(keys.speaker_upsert_sql("onrecord_speakers"))

    def replace_rows(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        """One transaction: every named table emptied and filled with these rows (the corpus pass's
        tables, the alias table), so a reader sees the old tables or the new ones, never a mix."""
        with self.transaction():
            for table, rows in tables.items():
                self.con.execute(f"DELETE FROM {table}")
                self._insert(table, rows)

    def add_alias(self, action: str, key: str, value: str, by: str) -> int:
        """Append a user's correction to `identity_aliases` (applied in the order of `n`)."""
        n = self.value("SELECT coalesce(max(n), 0) + 1 FROM identity_aliases")
        self._insert(
            "identity_aliases",
            [{"n": n, "action": action, "key": key, "value": value, "author": by, "added_at": now()}],
        )
        return n

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
        prefix.  Where the tables are is what its manifest's layout says, never a guess from the files
        present (an export into a folder holding an older Spark output loads the export).
        Returns (stored, skipped, failures)."""
        import duckdb

        sources = table_sources(folder, read_marker(folder))
        try:
            total = self.con.execute(f"SELECT count(DISTINCT hash) FROM read_parquet({_lit(sources['articles'])})")
            total_n = total.fetchone()[0]
            stored = sum(self._load_prefix(sources, prefix) for prefix in "0123456789abcdef")
            with self.transaction():
                self.con.execute(keys.speaker_upsert_sql(f"read_parquet({_lit(sources['speakers'])})"))
                failures = self._load_failures(sources.get("failures"))
                if "identity_aliases" in sources and not self.value("SELECT count(*) FROM identity_aliases"):
                    source = _lit(sources["identity_aliases"])
                    self.con.execute(f"INSERT INTO identity_aliases BY NAME SELECT * FROM read_parquet({source})")
        except duckdb.Error as exc:  # an unreadable or foreign Parquet file
            raise StoreError(Errors.E121.format(path=folder, reason=" ".join(str(exc).split())[:300])) from None
        return stored, total_n - stored, failures

    def _load_prefix(self, sources: dict[str, str], prefix: str) -> int:
        """One transaction: the new articles whose hash starts with `prefix`, with all their rows."""
        con = self.con
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
        return n

    def _load_failures(self, source: str | None) -> int:
        """Failures of articles not stored (inside the caller's transaction)."""
        if source is None:
            return 0
        return self.con.execute(
            f"""
            INSERT OR REPLACE INTO failures
            SELECT name, any_value(hash), any_value(code), any_value(error), ? AS failed_at
            FROM read_parquet({_lit(source)})
            WHERE coalesce(hash, '') NOT IN (SELECT hash FROM articles)
            GROUP BY name
            """,
            [now()],
        ).fetchone()[0]

    # -- export ------------------------------------------------------------------------------

    def export(self, folder: Path, *, overwrite: bool = False) -> dict[str, int]:
        """Every table as `folder/<table>.parquet`, the manifest last.  A folder that is not empty is
        refused unless `overwrite`, which first removes the manifest and every onrecord table there
        (an export's or a Spark job's), and nothing else."""
        import duckdb

        counts = {}
        try:
            _read_every_block(self.con)  # a damaged database fails here, before the folder is touched
            prepare_export(folder, overwrite=overwrite)
            for table in EXPORTED:
                target = folder / f"{table}.parquet"
                self.con.execute(
                    f"COPY (SELECT * FROM {table} ORDER BY {ORDER_BY[table]}) TO {_lit(str(target))} "
                    f"(FORMAT parquet, COMPRESSION zstd)"
                )
                counts[table] = self.value(f"SELECT count(*) FROM {table}")
        except duckdb.IOException as exc:
            message = " ".join(str(exc).split())
            if any(word in message for word in _CORRUPT):
                raise _explain(self.path, exc) from None
            raise StoreError(Errors.E138.format(folder=folder, reason=message[:300])) from None
        except duckdb.Error as exc:
            raise _explain(self.path, exc, querying=True) from None
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


def prepare_export(folder: Path, *, overwrite: bool) -> None:
    """Make `folder` ready for an export: created when missing, refused when not empty (unless
    `overwrite`: the old manifest first, then the old tables go)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        present = sorted(folder.iterdir())
    except OSError as exc:
        raise StoreError(Errors.E138.format(folder=folder, reason=exc.strerror or exc)) from None
    if not present:
        return
    if not overwrite:
        raise StoreError(Errors.E137.format(folder=folder))
    ours = [folder / TABLES_MARKER, folder / "_SUCCESS"]
    for table in EXPORTED:
        ours += [folder / f"{table}.parquet", folder / table]
    try:
        for path in ours:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    except OSError as exc:
        raise StoreError(Errors.E138.format(folder=folder, reason=exc.strerror or exc)) from None


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_sources(folder: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """Table → the Parquet path (or glob) its manifest's layout names; refuses a newer schema, an
    unknown layout and missing tables (`failures` may be absent)."""
    version, latest = manifest.get("schema_version", 0), migrations.latest()
    if not isinstance(version, int) or version > latest:
        raise StoreError(Errors.E132.format(folder=folder, version=version, latest=latest))
    layout = manifest.get("layout")
    if layout not in LAYOUTS:
        raise StoreError(Errors.E136.format(folder=folder, marker=TABLES_MARKER, layout=layout))
    found: dict[str, str] = {}
    for table in TABLES:
        if layout == "spark":
            directory = folder / table
            if directory.is_dir() and any(directory.glob("*.parquet")):
                found[table] = str(directory / "*.parquet")
        elif (folder / f"{table}.parquet").is_file():
            found[table] = str(folder / f"{table}.parquet")
    missing = [t for t in TABLES if t not in found and t not in ("failures", *DERIVED, *USER_TABLES)]
    if missing:
        raise StoreError(
            Errors.E133.format(folder=folder, tables=", ".join(missing), layout=layout, marker=TABLES_MARKER)
        )
    return found


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
    try:
        (folder / TABLES_MARKER).write_text(marker(layout, schema_version) + "\n", encoding="utf-8")
    except OSError as exc:
        raise StoreError(Errors.E138.format(folder=folder, reason=exc.strerror or exc)) from None


def read_marker(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / TABLES_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(Errors.E134.format(folder=folder, marker=TABLES_MARKER, reason=exc)) from None
    if not isinstance(data, dict) or data.get("format") != "onrecord.tables/1":
        raise StoreError(Errors.E135.format(folder=folder, marker=TABLES_MARKER))
    return data
