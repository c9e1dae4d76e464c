"""The identity pass against a store: read the stored rows, resolve (onrecord/corpus/identities.py), write
the identity tables in one transaction — or, for a read-only query with an aliases file, lay the result
over the stored tables for this connection only (nothing written)."""

from __future__ import annotations

import time
from collections.abc import Iterable

from onrecord.corpus.identities import Alias, Result, resolve
from onrecord.store.db import Store
from onrecord.store.queries import alias_rows, identity_inputs

IDENTITY_TABLES = ("identities", "identity_members", "identity_variants")


def stored_aliases(store: Store) -> list[Alias]:
    return [Alias(r["action"], r["key"], r["value"] or "") for r in alias_rows(store)]


def compute(store: Store, extra: Iterable[Alias] = ()) -> Result:
    """The identities of every stored article, the stored corrections and then `extra` applied."""
    found = identity_inputs(store)
    aliases = [*stored_aliases(store), *extra]
    return resolve(found["mentions"], found["entities"], found["articles"], aliases, found["written"])


def _tables(result: Result) -> dict[str, list[dict]]:
    return {"identities": result.identities, "identity_members": result.members, "identity_variants": result.variants}


def refresh(store: Store) -> float:
    """Recompute and store the identity tables; return the seconds it took."""
    started = time.perf_counter()
    store.replace_rows(_tables(compute(store)))
    return time.perf_counter() - started


def correct(store: Store, action: str, key: str, value: str, by: str) -> str:
    """A user's correction (the CLI's `speakers merge|split|rename`, the web's merge button): checked
    against the corpus, appended to `identity_aliases`, the identity tables recomputed at once.  Returns
    the identities the key's members now belong to.  The lists' derived tables are rebuilt here too, so
    every front end's correction shows in the lists at once (a stale table is correct but slow).  The
    statements are recomputed as well: a statement belongs to an identity, and a merge can join two
    outlets' quotations a wrong credit kept apart (or a split part them), as the next ingest would."""
    from onrecord.store import derived, statement

    result = compute(store, [Alias(action, key, value)])  # raises on an unknown key or target
    store.add_alias(action, key, value, by=by)
    store.replace_rows(_tables(result))
    statement.refresh(store)
    derived.refresh(store)
    found = {m["identity"] for m in result.members if m["key"] == key or m["identity"] in (key, value)}
    return ", ".join(sorted(found)) or key


def replace_aliases(store: Store, aliases: list[Alias], by: str) -> None:
    """Make `aliases` the stored corrections (an aliases file given to ingest), checked before storing."""
    from onrecord.store.db import now

    found = identity_inputs(store)
    resolve(found["mentions"], found["entities"], found["articles"], aliases, found["written"])  # checks keys
    at = now()
    rows = [
        {"n": n, "action": a.action, "key": a.key, "value": a.value, "author": by, "added_at": at}
        for n, a in enumerate(aliases, 1)
    ]
    store.replace_rows({"identity_aliases": rows})


def overlay(store: Store, aliases: Iterable[Alias]) -> None:
    """For this connection only: the identity tables as they are with `aliases` applied after the stored
    corrections (a registered relation shadows the stored table of the same name)."""
    import pyarrow as pa

    from onrecord.store.db import column_values
    from onrecord.store.tables import arrow_schema

    for table, rows in _tables(compute(store, aliases)).items():
        schema = arrow_schema(table)
        values = column_values(table, rows)
        store.con.register(
            table, pa.Table.from_arrays([pa.array(values[f.name], type=f.type) for f in schema], schema=schema)
        )


STALE = """
    SELECT (SELECT count(*) FROM (SELECT DISTINCT article, source_key FROM attributions
                                  WHERE source_key IS NOT NULL))
           <> (SELECT count(*) FROM identity_members) AS stale
"""


def current(store: Store, aliases: Iterable[Alias] = ()) -> None:
    """Make the identity tables this connection reads match the stored articles: a store whose pass did
    not run (an ingest stopped before its end, rows written by other means) gets them computed for this
    connection; an aliases file's corrections are laid over the stored ones."""
    aliases = list(aliases)
    if aliases or store.value(STALE):
        overlay(store, aliases)
