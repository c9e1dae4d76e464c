"""`onrecord analyze`: articles in, records out (JSON, JSONL or a text table)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from onrecord.cli.common import (
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


@click.command()
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
    from onrecord.inputs import Document, Failure, iter_documents
    from onrecord.pipeline import analyze_many

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
