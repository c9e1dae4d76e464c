"""`onrecord analyze`: articles in, records out (JSON, JSONL or a text table)."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from onrecord.cli.common import (
    EXIT_INPUT,
    act_option,
    analysis_options,
    check_date,
    fail,
    handle_errors,
    parse_acts,
    progress,
    settings_from,
)
from onrecord.record import Article


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
@act_option
@analysis_options
@handle_errors
def analyze(
    paths: tuple[str, ...],
    published: str | None,
    publisher: str | None,
    fmt: str | None,
    act: str | None,
    model: str | None,
    no_model: bool,
) -> None:
    """Analyse articles: PATH is a .txt/.html file, JSONL, WARC, a folder of them, or - for stdin.

    An input that cannot be read gets one line on stderr and the others are still analysed; the exit
    code is then 2."""
    from onrecord.inputs import Document, iter_documents
    from onrecord.pipeline import analyze_many

    published = check_date(published)
    acts = parse_acts(act)
    settings = settings_from(model=model, no_model=no_model)
    entries = list(iter_documents(paths, settings))
    documents = [e for e in entries if isinstance(e, Document)]
    failures = [e for e in entries if not isinstance(e, Document)]
    for failure in failures:
        fail(str(failure))
    if documents:
        fmt = fmt or ("json" if len(entries) == 1 else "jsonl")
        records = analyze_many(
            progress(documents, "analyze"), published=published, publisher=publisher, settings=settings
        )
        if acts:
            records = (only_acts(record, acts) for record in records)
        _write(fmt, ((doc.name, rec) for doc, rec in zip(documents, records, strict=True)), several=len(entries) > 1)
    if failures:
        sys.exit(EXIT_INPUT)


def only_acts(article: Article, acts: tuple[str, ...]) -> Article:
    """The record with only the attributions whose act is one of `acts` (ids and `parent` links keep
    naming the attributions of the full record)."""
    return dataclasses.replace(article, attributions=[a for a in article.attributions if a.act in acts])


def _write(fmt: str, named: Iterator[tuple[str, Any]], several: bool) -> None:
    """`json` of one input is the record itself; of several, an array of records, each with its name."""
    from onrecord.textview import table

    if fmt == "jsonl":
        for name, record in named:
            click.echo(json.dumps({"article": name, **record.to_dict()}, ensure_ascii=False))
    elif fmt == "text":
        for name, record in named:
            click.echo(table(name, record))
    elif several:
        records = [{"article": name, **record.to_dict()} for name, record in named]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for _, record in named:
            click.echo(json.dumps(record.to_dict(), ensure_ascii=False, indent=2))
