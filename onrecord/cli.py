"""The `onrecord` command: a thin click layer over the Python API.

Every command turns `OnrecordError` into one line on stderr and exit code 2; no user input can make
it print a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from onrecord.cliutil import (
    EXIT_INPUT,
    check_date,
    fail,
    handle_errors,
    model_option,
    no_model_option,
    progress,
    use_model,
)
from onrecord.settings import Settings
from onrecord.store.cli import register as register_store_commands
from onrecord.web.command import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="onrecord")
def main() -> None:
    """onrecord: who said what, to whom, when, and according to whom."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", help="Publication date YYYY-MM-DD (resolves 'on Friday').")
@click.option("--publisher", help="Publisher name stored in the record's meta.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "text"]),
    default=None,
    help="json (one article; an array for several), jsonl (one line per article), text (a table).",
)
@model_option
@no_model_option
@handle_errors
def analyze(
    paths: tuple[str, ...], published: str | None, publisher: str | None, fmt: str | None, model: str | None
) -> None:
    """Analyse articles: PATH is a .txt or .html file, a folder of them, or - for stdin."""
    from onrecord.pipeline import analyze_many
    from onrecord.read import Document, Failure, iter_documents

    published = check_date(published)
    settings = Settings.from_env(model=model, use_model=use_model())
    items = list(iter_documents(list(paths)))
    failures = [i for i in items if isinstance(i, Failure)]
    for failure in failures:
        fail(str(failure.error))
    documents = [i for i in items if isinstance(i, Document)]
    fmt = fmt or ("json" if len(items) == 1 else "jsonl")
    records = analyze_many(progress(documents, "analyze"), published=published, publisher=publisher, settings=settings)
    _write(fmt, ((doc.name, rec) for doc, rec in zip(documents, records, strict=True)))
    if failures:
        fail(f"{len(failures)} of {len(items)} inputs could not be read")
        sys.exit(EXIT_INPUT)


def _write(fmt: str, named: Iterator[tuple[str, Any]]) -> None:
    from onrecord.textview import table

    if fmt == "jsonl":
        for name, record in named:
            click.echo(json.dumps({"article": name, **record.to_dict()}, ensure_ascii=False))
    elif fmt == "text":
        for name, record in named:
            click.echo(table(name, record))
    else:
        records = [record.to_dict() for _, record in named]
        if len(records) == 1:
            click.echo(json.dumps(records[0], ensure_ascii=False, indent=2))
        else:
            click.echo(json.dumps(records, ensure_ascii=False, indent=2))


@main.command()
@click.option("--gold", "gold_dir", required=True, type=click.Path(), help="Brat corpus: text/, attributions/.")
@click.option("--pred-out", type=click.Path(dir_okay=False), help="Also write the predictions as JSONL.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@model_option
@no_model_option
@handle_errors
def evaluate(gold_dir: str, pred_out: str | None, as_json: bool, model: str | None) -> None:
    """Score the analysis against a PolNeAR-style gold corpus (content, source, end to end)."""
    from onrecord.evaluate import format_table, load_gold, predictions_from_records, score
    from onrecord.pipeline import analyze_many
    from onrecord.read import Document

    gold = load_gold(gold_dir)
    documents = [Document(name=g.name, text=g.text) for g in gold]
    settings = Settings.from_env(model=model, use_model=use_model())
    records = analyze_many(progress(documents, "evaluate"), settings=settings)
    named = ((d.name, r.to_dict()) for d, r in zip(documents, records, strict=True))
    predictions = predictions_from_records(named)
    if pred_out:
        Path(pred_out).write_text("".join(json.dumps(p) + "\n" for p in predictions), encoding="utf-8")
    metrics = score(gold, predictions)
    click.echo(json.dumps(metrics, indent=2) if as_json else format_table(metrics))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--repeat", default=1, show_default=True, help="Runs of each side; the best is kept.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--ingest", is_flag=True, help="Measure `onrecord ingest` (1 and 2 workers) against raw spaCy instead.")
@model_option
@no_model_option
@handle_errors
def bench(paths: tuple[str, ...], repeat: int, as_json: bool, ingest: bool, model: str | None) -> None:
    """Throughput of the full analysis next to raw spaCy nlp.pipe, same model, same run."""
    from onrecord import bench as benchmarks

    settings = Settings.from_env(model=model, use_model=use_model())
    if ingest:
        report = benchmarks.run_ingest_bench(list(paths), settings=settings, repeat=repeat)
        click.echo(json.dumps(report, indent=2) if as_json else benchmarks.format_ingest_report(report))
        return
    report = benchmarks.run_bench(list(paths), settings=settings, repeat=repeat)
    click.echo(json.dumps(report, indent=2) if as_json else benchmarks.format_report(report))


@main.command()
@click.option(
    "--data", "data_dir", required=True, type=click.Path(), help="Brat training corpus: text/, attributions/."
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder to write model.npz to.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Training settings (TOML).")
@click.option("--cache", type=click.Path(dir_okay=False), help="DocBin file that keeps the parses between runs.")
@model_option
@handle_errors
def train(data_dir: str, out_dir: str, config_path: str | None, cache: str | None, model: str | None) -> None:
    """Train the cue model on a PolNeAR-style corpus; the analysis uses DIR/model.npz once it is
    copied to onrecord/attribute/data/."""
    from functools import partial

    from onrecord.attribute import train as training
    from onrecord.errors import OptionError

    if config_path and not Path(config_path).is_file():
        raise OptionError(f"--config {config_path} is not a file")
    config = training.Config.read(Path(config_path) if config_path else None)
    settings = Settings.from_env(model=model)
    log = partial(click.echo, err=True)
    training.train(
        data_dir, out_dir, spacy_model=settings.model, config=config, cache=Path(cache) if cache else None, log=log
    )


main.add_command(serve)
register_store_commands(main)  # ingest, query, export, spark

if __name__ == "__main__":
    main()
