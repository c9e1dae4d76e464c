"""The statements pass against a store: read the stored rows (after the identity pass), group them
(onrecord/corpus/statements.py), write the statement tables in one transaction."""

from __future__ import annotations

import time

from onrecord.corpus.statements import Result, build
from onrecord.store.db import Store
from onrecord.store.queries import statement_inputs


def compute(store: Store) -> Result:
    """The statements of every stored article, by the identities the store holds now."""
    found = statement_inputs(store)
    return build(found["attributions"], found["members"], found["articles"])


def refresh(store: Store) -> float:
    """Recompute and store the statement tables; return the seconds it took."""
    started = time.perf_counter()
    result = compute(store)
    store.replace_rows({"statements": result.statements, "appearances": result.appearances})
    return time.perf_counter() - started


# the statement lists' order as one number (`statements.reach`), as the statements pass sets it
RERANK = """
    UPDATE statements SET reach = r.reach FROM (
        SELECT id, CAST(row_number() OVER (
            ORDER BY publishers DESC, appearances DESC, first_published NULLS LAST, id) AS INTEGER) AS reach
        FROM statements) r
    WHERE statements.id = r.id
"""


def rerank(store: Store) -> None:
    """Set `reach` again from the stored statements, for tables written other than by the pass (a
    benchmark's copies of one ingest, which carry their seed's ranks)."""
    store.con.execute(RERANK)
