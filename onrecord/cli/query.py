"""`onrecord query …` and `onrecord export`: read a corpus database (never create or change one).

Every figure comes from onrecord.store.queries (the same statements the corpus pages use); every
problem is an `OnrecordError` with a code, printed as one line with exit code 2 by `handle_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from onrecord.cli.common import act_option, format_option, handle_errors, parse_acts
from onrecord.errors import OptionError
from onrecord.settings import iso_date

FORMAT = format_option(["table", "csv", "json"], "table", "Output as an aligned table, CSV or JSON.")
DB_READ = click.option(
    "--db", required=True, type=click.Path(dir_okay=False), help="The DuckDB database written by ingest."
)
ALIASES = click.option(
    "--aliases",
    type=click.Path(dir_okay=False),
    help="Speaker corrections (TSV) applied for this query after the stored ones; nothing is written.",
)
PUBLISHER = click.option("--publisher", help="Only articles from this publisher.")
SPEAKER = click.option(
    "--speaker", help="Identity key (person:olaf scholz), a variant key, or part of the speaker's name."
)


@contextmanager
def reading(db: str, aliases: str | None) -> Iterator[Any]:
    """The store opened read-only, with an aliases file's corrections laid over its identities."""
    from onrecord.corpus.identities import read_aliases
    from onrecord.store.db import Store
    from onrecord.store.queries import prepare

    corrections = read_aliases(aliases) if aliases else []
    with Store.open(db, read_only=True) as store:
        prepare(store, corrections)
        yield store


def _check_date(_ctx: Any, _param: Any, value: str | None) -> str | None:
    try:
        return iso_date(value, "the date")
    except OptionError as exc:
        raise click.BadParameter(exc.message) from None


def dates(func: Callable) -> Callable:
    """--since / --until on a query command."""
    func = click.option("--until", callback=_check_date, help="Articles published on or before YYYY-MM-DD.")(func)
    func = click.option("--since", callback=_check_date, help="Articles published on or after YYYY-MM-DD.")(func)
    return func


def paging(default: int) -> Callable:
    """--limit / --offset on a list command."""

    def add(func: Callable) -> Callable:
        func = click.option("--offset", type=int, default=0, show_default=True, help="Rows to skip first.")(func)
        help_ = "Rows to show (0: all)."
        return click.option("--limit", type=int, default=default, show_default=True, help=help_)(func)

    return add


def sorting(sorts: dict[str, str]) -> Callable:
    """--sort KEY / --order asc|desc on a list command (the web list's column headers)."""

    def add(func: Callable) -> Callable:
        func = click.option(
            "--order", type=click.Choice(["desc", "asc"]), default="desc", show_default=True, help="Sort direction."
        )(func)
        first = next(iter(sorts))
        return click.option(
            "--sort", type=click.Choice(list(sorts)), default=first, show_default=True, help="Sort by this column."
        )(func)

    return add


def _sorts(name: str) -> dict[str, str]:
    from onrecord.store import queries

    return getattr(queries, name)


def corpus_list(per_page: int, sorts: str) -> Callable:
    """The options every corpus list ends with, after its own filters: --limit/--offset (`per_page` rows by
    default), --sort/--order over queries.<sorts>, --aliases and --format, and the one-line error handling."""

    def add(func: Callable) -> Callable:
        for option in (handle_errors, FORMAT, ALIASES, sorting(_sorts(sorts)), paging(per_page)):
            func = option(func)
        return func

    return add


def answer(question: str, db: str, aliases: str | None, fmt: str, options: dict[str, Any]) -> None:
    """Print what queries.<question> finds for the command's filter `options` (the store's `Filters` field
    names; --act as given, split and checked here before the store is opened)."""
    from onrecord.store import queries

    if "act" in options:
        options["acts"] = parse_acts(options.pop("act"))
    f = queries.Filters(**options)
    with reading(db, aliases) as store:
        click.echo(queries.render(getattr(queries, question)(store, f), fmt))


@click.group()
def query() -> None:
    """Ask a corpus database: stats, speakers, quotes, articles, publishers, sources."""


@query.command()
@DB_READ
@FORMAT
@handle_errors
def stats(db: str, fmt: str) -> None:
    """Counts: articles, attributions, speakers, entities, failures, date range."""
    from onrecord.store.db import Store
    from onrecord.store.queries import render_stats, stats

    with Store.open(db, read_only=True) as store:
        click.echo(render_stats(stats(store), fmt))


@query.command()
@DB_READ
@click.option(
    "--kind",
    help="Only speakers of this kind (person, organization, unknown; unnamed: descriptions, unresolved: pronouns).",
)
@PUBLISHER
@dates
@click.option("--name", help="Only speakers whose name or key contains this (case-insensitive).")
@corpus_list(20, "SPEAKER_SORTS")
def speakers(db: str, aliases: str | None, fmt: str, **filters: Any) -> None:
    """Top speakers (corpus identities) by number of attributions, across articles."""
    answer("speakers", db, aliases, fmt, filters)


@query.command()
@DB_READ
@SPEAKER
@click.option(
    "--search", help="Words the quote's content holds, each as a whole word with its endings (email: emails)."
)
@dates
@click.option("--anonymous", is_flag=True, help="Only anonymous sources.")
@click.option("--via", help="Only statements relayed through this outlet (e.g. Reuters).")
@PUBLISHER
@act_option
@click.option("--type", type=click.Choice(["direct", "indirect", "mixed"]), help="Only this attribution type.")
@click.option("--kind", help="Only sources of this kind (person, organization, unnamed, unresolved, unknown).")
@corpus_list(50, "QUOTE_SORTS")
def quotes(db: str, aliases: str | None, fmt: str, **filters: Any) -> None:
    """Who said what: attributions with speaker, act, cue, content and relay, newest first."""
    answer("quotes", db, aliases, fmt, filters)


@query.command()
@DB_READ
@click.option("--publisher", help="Only articles from this publisher ((unknown): those without one).")
@dates
@click.option("--search", help="Words the article's title holds (whole words with their endings).")
@corpus_list(50, "ARTICLE_SORTS")
def articles(db: str, aliases: str | None, fmt: str, **filters: Any) -> None:
    """Stored articles with their counts of attributions and speakers, newest first."""
    answer("articles", db, aliases, fmt, filters)


@query.command()
@DB_READ
@dates
@click.option("--name", help="Only publishers whose name contains this (case-insensitive).")
@corpus_list(0, "PUBLISHER_SORTS")
def publishers(db: str, aliases: str | None, fmt: str, **filters: Any) -> None:
    """Publishers with their articles, attributions and shares of named, anonymous and relayed sources."""
    answer("publishers", db, aliases, fmt, filters)


@query.command()
@DB_READ
@dates
@ALIASES
@FORMAT
@handle_errors
def sources(db: str, aliases: str | None, fmt: str, **filters: Any) -> None:
    """Per publisher: shares of named, unnamed and anonymous sources, and of wire relays."""
    answer("sources", db, aliases, fmt, filters)


@click.command()
@DB_READ
@click.option("--parquet", "folder", required=True, type=click.Path(file_okay=False), help="Folder for the files.")
@click.option(
    "--overwrite", is_flag=True, help="Export into a folder that is not empty, replacing the onrecord tables there."
)
@handle_errors
def export(db: str, folder: str, overwrite: bool) -> None:
    """Write every table of a corpus database as Parquet (DIR/<table>.parquet) and its manifest."""
    from pathlib import Path

    from onrecord.store.db import Store

    with Store.open(db, read_only=True) as store:
        counts = store.export(Path(folder), overwrite=overwrite)
    click.echo(", ".join(f"{table} {n}" for table, n in counts.items()) + f" → {folder}")


@contextmanager
def reading_statements(db: str) -> Iterator[Any]:
    """The store opened read-only, its statements computed (an ingest that stopped early has none)."""
    from onrecord.errors import Errors, StoreError
    from onrecord.store.queries import statements_ready

    with reading(db, None) as store:
        if not statements_ready(store):
            raise StoreError(Errors.E230.format(path=db))
        yield store


@query.command()
@DB_READ
@SPEAKER
@click.option("--min-publishers", type=int, help="Only statements carried by at least N outlets.")
@click.option("--changed", is_flag=True, help="Only statements whose words a later direct quotation changed.")
@click.option("--since", callback=_check_date, help="First published on or after YYYY-MM-DD.")
@click.option("--until", callback=_check_date, help="First published on or before YYYY-MM-DD.")
@click.option("--search", help="Text one of its appearances contains (case-insensitive).")
@click.option("--limit", type=int, default=20, show_default=True, help="Statements to show (0: all).")
@FORMAT
@handle_errors
def statements(
    db: str,
    speaker: str | None,
    min_publishers: int | None,
    changed: bool,
    since: str | None,
    until: str | None,
    search: str | None,
    limit: int,
    fmt: str,
) -> None:
    """The same statement across outlets, by reach: first appearance, outlets, changed words."""
    from onrecord.store.queries import StatementFilters, render_statements, statement_list

    f = StatementFilters(speaker, min_publishers, changed, since, until, search, limit)
    with reading_statements(db) as store:
        found = statement_list(store, f)
    click.echo(render_statements(found, fmt))


@query.command()
@DB_READ
@click.argument("statement_id", metavar="ID")
@FORMAT
@handle_errors
def statement(db: str, statement_id: str, fmt: str) -> None:
    """One statement's appearances in date order, each with its word diff against the first quotation."""
    import json

    from onrecord.errors import Errors, StoreError
    from onrecord.store.db import Table
    from onrecord.store.queries import APPEARANCE_COLUMNS, diff_text, render, statement_detail

    with reading_statements(db) as store:
        found = statement_detail(store, statement_id)
    if found is None:
        raise StoreError(Errors.E231.format(id=statement_id))
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    rows = [{**a, "via": "; ".join(a["via"]), "diff": diff_text(a["diff"])} for a in found["appearances"]]
    head = f"{found['id']}  {found['speaker']}: {found['publishers']} outlets, first {found['first_publisher']} "
    click.echo(head + f"{found['first_published']} (by {found['first_by']})")
    click.echo(render(Table(APPEARANCE_COLUMNS, rows), fmt))
