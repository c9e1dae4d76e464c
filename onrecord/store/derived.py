"""The corpus lists' derived tables (migration 5): rebuilt from the stored rows at the end of every ingest.

`corpus_rows` holds one flat row per attribution (its identity, kind, publisher, date, category, and
`seq`, its place in the lists' newest-first order), `speaker_stats` and `article_stats` the totals the
unfiltered lists show.  With them a list page on a million attributions is a scan of one narrow table
instead of four joins and a sort (README, "Speed").  `derived_state` records the counts they were built
from; onrecord.store.queries reads them only while those counts still hold.
"""

from __future__ import annotations

import json
import time

from onrecord.store import queries
from onrecord.store.db import Store, now


def refresh(store: Store) -> float:
    """Rebuild every derived table from the stored articles and identities, in one transaction.
    Returns its seconds."""
    started = time.perf_counter()
    with store.transaction():
        for table in ("corpus_rows", "speaker_stats", "article_stats", "derived_state"):
            store.con.execute(f"DELETE FROM {table}")
        rows = queries.CORPUS_ROWS.format(seq=queries.SEQ)
        store.con.execute(f"INSERT INTO corpus_rows SELECT * FROM ({rows}) ORDER BY seq")
        store.con.execute(f"INSERT INTO speaker_stats {queries.SPEAKER_STATS.format(rows='corpus_rows')}")
        store.con.execute(f"INSERT INTO article_stats {queries.ARTICLE_STATS.format(rows='corpus_rows')}")
        overview = json.dumps(queries.stats_now(store, "corpus_rows"))
        store.con.execute(f"INSERT INTO derived_state SELECT *, ?, ? FROM ({queries.STATE_NOW})", [now(), overview])
    return time.perf_counter() - started
