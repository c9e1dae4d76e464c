"""`onrecord ingest` and `onrecord spark`: analyse articles into a corpus (DuckDB here, Parquet on Spark)."""

from __future__ import annotations

import json
import sys

import click

from onrecord.cli import common as base
from onrecord.cli.common import analysis_options, handle_errors, settings_from
from onrecord.errors import Errors, OptionError

EXIT_SOME_FAILED = 1
MAX_FAILURES_SHOWN = 10


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--db",
    required=True,
    type=click.Path(dir_okay=False),
    help="DuckDB database file (created if missing).",
)
@click.option(
    "--workers", type=int, default=None, help="Parsing processes (default: CPU cores, at most 4; capped at the cores)."
)
@click.option("--force-workers", is_flag=True, help="Start --workers N even when N is more than the CPU cores.")
@click.option("--batch", type=int, default=16, show_default=True, help="Articles per worker task.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
@click.option(
    "--aliases",
    type=click.Path(dir_okay=False),
    help="Speaker corrections (TSV: merge/split/rename lines) to store in place of the earlier ones.",
)
@analysis_options
@handle_errors
def ingest(
    paths: tuple[str, ...],
    db: str,
    workers: int | None,
    force_workers: bool,
    batch: int,
    as_json: bool,
    aliases: str | None,
    model: str | None,
    no_model: bool,
) -> None:
    """Analyse articles into a DuckDB corpus: .txt/.html files or folders, JSONL, WARC(.gz), and
    Spark/export table folders.  Stored articles are skipped; an interrupted run (Ctrl-C, SIGTERM,
    kill -9) resumes."""
    from onrecord.store.ingest import ingest as run
    from onrecord.store.ingest import worker_count

    settings = settings_from(model=model, no_model=no_model)
    count, note = worker_count(workers, force_workers)
    if note:
        click.echo(note, err=True)
    summary = run(list(paths), db, workers=count, batch=batch, settings=settings, aliases=aliases)
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


@click.command()
@click.argument("input_path", metavar="INPUT")
@click.argument("output", metavar="OUTPUT")
@click.option("--master", help="Spark master URL (default: local[*], or spark-submit's).")
@click.option("--partitions", type=int, help="Partitions to analyse in (default: the cluster's cores).")
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@analysis_options
@handle_errors
def spark(
    input_path: str,
    output: str,
    master: str | None,
    partitions: int | None,
    overwrite: bool,
    model: str | None,
    no_model: bool,
) -> None:
    """Analyse a corpus on Spark into Parquet tables (load them with `onrecord ingest OUTPUT`).

    The one Spark entry point; under spark-submit run this package's cli/__main__.py with `spark …`."""
    from onrecord.spark.job import run_job

    if partitions is not None and partitions < 1:
        raise OptionError(Errors.E175.format(value=partitions))
    summary = run_job(
        input_path,
        output,
        master=master,
        settings=settings_from(model=model, no_model=no_model),
        partitions=partitions,
        overwrite=overwrite,
    )
    click.echo(json.dumps(summary))
