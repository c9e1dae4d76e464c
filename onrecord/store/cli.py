"""The corpus commands: `ingest`, `query`, `export` and `spark`.

`register(main)` adds them to the `onrecord` click group (one line in onrecord/cli.py). The helpers
(`handle_errors`, `model_option`) come from onrecord.cliutil, shared with every other command, so these
behave like the others (one clear line and exit code 2 on any `OnrecordError`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from onrecord.errors import OptionError
from onrecord.settings import Settings, iso_date

EXIT_SOME_FAILED = 1
MAX_FAILURES_SHOWN = 10

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output as an aligned table, CSV or JSON.",
)
DB_READ = click.option(
    "--db", required=True, type=click.Path(dir_okay=False), help="The DuckDB database written by ingest."
)


def _date() -> Callable[[Any, Any, str | None], str | None]:
    def check(_ctx: Any, param: Any, value: str | None) -> str | None:
        try:
            return iso_date(value, "the date")
        except OptionError as exc:
            raise click.BadParameter(exc.message) from None

    return check


def register(main: click.Group) -> None:
    from onrecord import cliutil as base

    handle_errors, model_option, no_model_option = base.handle_errors, base.model_option, base.no_model_option

    def dates(func: Callable) -> Callable:
        func = click.option("--until", callback=_date(), help="Articles published on or before YYYY-MM-DD.")(func)
        func = click.option("--since", callback=_date(), help="Articles published on or after YYYY-MM-DD.")(func)
        return func

    @main.command()
    @click.argument("paths", nargs=-1, required=True)
    @click.option(
        "--db",
        required=True,
        type=click.Path(dir_okay=False),
        help="DuckDB database file (created if missing).",
    )
    @click.option("--workers", type=int, default=None, help="Parsing processes (default: CPUs, at most 4).")
    @click.option("--batch", type=int, default=16, show_default=True, help="Articles per worker task.")
    @click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
    @model_option
    @no_model_option
    @handle_errors
    def ingest(
        paths: tuple[str, ...], db: str, workers: int | None, batch: int, as_json: bool, model: str | None
    ) -> None:
        """Analyse articles into a DuckDB corpus: .txt/.html files or folders, JSONL, WARC(.gz), and
        Spark/export table folders.  Stored articles are skipped; an interrupted run resumes."""
        from onrecord.store.ingest import default_workers
        from onrecord.store.ingest import ingest as run

        settings = Settings.from_env(model=model, use_model=base.use_model())
        summary = run(
            list(paths),
            db,
            workers=default_workers() if workers is None else workers,
            batch=batch,
            settings=settings,
        )
        for failure in summary.failures[:MAX_FAILURES_SHOWN]:
            base.fail(f"[{failure.code}] {failure.error}")
        if len(summary.failures) > MAX_FAILURES_SHOWN:
            base.fail(f"… and {len(summary.failures) - MAX_FAILURES_SHOWN} more (see the failures table)")
        if as_json:
            click.echo(json.dumps(summary.as_dict()))
        else:
            d = summary.as_dict()
            click.echo(
                f"{db}: {d['stored']} articles stored, {d['skipped']} already there, {d['failed']} failed "
                f"in {d['seconds']:.1f} s ({d['articles_per_s']:.1f} articles/s)"
            )
        if summary.failed:
            sys.exit(EXIT_SOME_FAILED)

    @main.group()
    def query() -> None:
        """Ask a corpus database: stats, speakers, quotes, sources."""

    @query.command()
    @DB_READ
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="Output as a table, CSV or a JSON object.",
    )
    @handle_errors
    def stats(db: str, fmt: str) -> None:
        """Counts: articles, attributions, speakers, entities, failures, date range."""
        from onrecord.store.db import Store
        from onrecord.store.queries import render_stats, stats

        with Store.open(db, read_only=True) as store:
            click.echo(render_stats(stats(store), fmt))

    @query.command()
    @DB_READ
    @click.option("--kind", help="Only speakers of this kind (person, organization, unnamed, unknown).")
    @click.option("--publisher", help="Only articles from this publisher.")
    @dates
    @click.option("--limit", type=int, default=20, show_default=True, help="Rows to show (0: all).")
    @FORMAT
    @handle_errors
    def speakers(
        db: str,
        kind: str | None,
        publisher: str | None,
        since: str | None,
        until: str | None,
        limit: int,
        fmt: str,
    ) -> None:
        """Top speakers by number of attributions, across articles."""
        from onrecord.store.db import Store
        from onrecord.store.queries import Filters, render, speakers

        f = Filters(kind=kind, publisher=publisher, since=since, until=until, limit=limit)
        with Store.open(db, read_only=True) as store:
            click.echo(render(*speakers(store, f), fmt))

    @query.command()
    @DB_READ
    @click.option("--speaker", help="Speaker key (person:olaf scholz) or part of the speaker's name.")
    @click.option("--search", help="Text the quote's content contains (case-insensitive).")
    @dates
    @click.option("--anonymous", is_flag=True, help="Only anonymous sources.")
    @click.option("--via", help="Only statements relayed through this outlet (e.g. Reuters).")
    @click.option("--publisher", help="Only articles from this publisher.")
    @click.option("--limit", type=int, default=50, show_default=True, help="Rows to show (0: all).")
    @FORMAT
    @handle_errors
    def quotes(
        db: str,
        speaker: str | None,
        search: str | None,
        since: str | None,
        until: str | None,
        anonymous: bool,
        via: str | None,
        publisher: str | None,
        limit: int,
        fmt: str,
    ) -> None:
        """Who said what: attributions with speaker, cue, content and relay."""
        from onrecord.store.db import Store
        from onrecord.store.queries import Filters, quotes, render

        f = Filters(
            speaker=speaker,
            search=search,
            since=since,
            until=until,
            anonymous=anonymous,
            via=via,
            publisher=publisher,
            limit=limit,
        )
        with Store.open(db, read_only=True) as store:
            click.echo(render(*quotes(store, f), fmt))

    @query.command()
    @DB_READ
    @dates
    @FORMAT
    @handle_errors
    def sources(db: str, since: str | None, until: str | None, fmt: str) -> None:
        """Per publisher: shares of named, unnamed and anonymous sources, and of wire relays."""
        from onrecord.store.db import Store
        from onrecord.store.queries import Filters, render, sources

        with Store.open(db, read_only=True) as store:
            click.echo(render(*sources(store, Filters(since=since, until=until)), fmt))

    @main.command()
    @DB_READ
    @click.option("--parquet", "folder", required=True, type=click.Path(file_okay=False), help="Folder for the files.")
    @handle_errors
    def export(db: str, folder: str) -> None:
        """Write every table of a corpus database as Parquet (DIR/<table>.parquet)."""
        from pathlib import Path

        from onrecord.store.db import Store

        with Store.open(db, read_only=True) as store:
            counts = store.export(Path(folder))
        click.echo(", ".join(f"{table} {n}" for table, n in counts.items()) + f" → {folder}")

    @main.command()
    @click.argument("input_path", metavar="INPUT")
    @click.argument("output", metavar="OUTPUT")
    @click.option("--master", help="Spark master URL (default: local[*], or spark-submit's).")
    @click.option("--partitions", type=int, help="Partitions to analyse in (default: the cluster's cores).")
    @click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
    @model_option
    @no_model_option
    @handle_errors
    def spark(
        input_path: str,
        output: str,
        master: str | None,
        partitions: int | None,
        overwrite: bool,
        model: str | None,
    ) -> None:
        """Analyse a corpus on Spark into Parquet tables (load them with `onrecord ingest OUTPUT`)."""
        from onrecord.spark_job import run_job

        if partitions is not None and partitions < 1:
            raise OptionError(f"--partitions must be at least 1, got {partitions}")
        summary = run_job(
            input_path,
            output,
            master=master,
            settings=Settings.from_env(model=model, use_model=base.use_model()),
            partitions=partitions,
            overwrite=overwrite,
        )
        click.echo(json.dumps(summary))
