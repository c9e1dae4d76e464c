"""`onrecord speakers merge|split|rename|export-aliases`: researchers correct the corpus identities.

A correction is appended to the store's `identity_aliases` table and the identity tables are recomputed
from the stored rows at once (no article is analysed again), so `onrecord query speakers` shows it
immediately.  `split KEY` undoes a merge of KEY (and any automatic join of it); renaming again undoes a
rename.  `export-aliases` writes the corrections as the TSV that `--aliases FILE` reads.
"""

from __future__ import annotations

import getpass

import click

from onrecord.cli.common import handle_errors

DB_WRITE = click.option(
    "--db", required=True, type=click.Path(dir_okay=False, exists=False), help="The DuckDB database written by ingest."
)


def _correct(db: str, action: str, key: str, value: str = "") -> str:
    """Check the correction against the corpus, store it, recompute; return the identity it left."""
    from pathlib import Path

    from onrecord.errors import Errors, StoreError
    from onrecord.store.db import Store
    from onrecord.store.identity import correct

    if not Path(db).is_file():
        raise StoreError(Errors.E215.format(path=db))
    with Store.open(db) as store:
        return correct(store, action, key, value, by=_user())


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "user"


@click.group()
def speakers() -> None:
    """Correct the corpus' speaker identities: merge, split, rename, export-aliases."""


@speakers.command()
@DB_WRITE
@click.argument("key")
@click.argument("target")
@handle_errors
def merge(db: str, key: str, target: str) -> None:
    """Merge KEY (an identity or a variant key) into the identity TARGET."""
    click.echo(f"merged {key} into {_correct(db, 'merge', key, target)}")


@speakers.command()
@DB_WRITE
@click.argument("key")
@handle_errors
def split(db: str, key: str) -> None:
    """Split KEY (an identity or a variant key) out of the identity it was merged into."""
    click.echo(f"split {key}: now {_correct(db, 'split', key)}")


@speakers.command()
@DB_WRITE
@click.argument("key")
@click.argument("name")
@handle_errors
def rename(db: str, key: str, name: str) -> None:
    """Give the identity KEY the canonical name NAME."""
    click.echo(f"renamed {_correct(db, 'rename', key, name)} to {name}")


@speakers.command(name="export-aliases")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The DuckDB database written by ingest.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the TSV here (default: standard output).")
@handle_errors
def export_aliases(db: str, out: str | None) -> None:
    """Write the stored corrections as an aliases TSV (what --aliases FILE reads)."""
    from pathlib import Path

    from onrecord.corpus.identities import format_aliases
    from onrecord.store.db import Store
    from onrecord.store.identity import stored_aliases

    with Store.open(db, read_only=True) as store:
        text = format_aliases(stored_aliases(store))
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
