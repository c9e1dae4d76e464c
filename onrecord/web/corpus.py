"""The corpus pages' access to a corpus store (`onrecord/store`, DuckDB): one read-only connection per request.

The database is opened through the store's own `Store.open(path, read_only=True)` (its checks for
missing, foreign, locked and too-new files, its schema version); every statement is in
`onrecord.store.queries`, the module `onrecord query` uses too, so the pages and the CLI agree (speakers
grouped by `attributions.source_key`, sourcing categories from `onrecord.keys`).

A connection is opened per request and closed after it, so `onrecord ingest` can add to the file
between requests; while an ingest holds the write lock, or when a damaged block is read, the store's
error becomes `CorpusUnavailable` (the pages answer 503 with its message).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from onrecord import keys
from onrecord.errors import CorpusUnavailable, Errors, StoreError
from onrecord.store import queries
from onrecord.store.db import Table
from onrecord.store.queries import Filters

__all__ = ["EXPORTS", "SPEAKER_SORTS", "UNKNOWN_PUBLISHER", "Corpus", "CorpusUnavailable", "mark_words", "open_corpus"]

# each list's download: the CLI's function (`onrecord query <list>`), rendered by `queries.render`
EXPORTS = {
    "speakers": queries.speakers,
    "quotes": queries.quotes,
    "articles": queries.articles,
    "publishers": queries.publishers,
}

UNKNOWN_PUBLISHER = queries.UNKNOWN_PUBLISHER
SPEAKER_SORTS = queries.SPEAKER_SORTS


def unavailable(exc: StoreError) -> CorpusUnavailable:
    """The store's reason, as the corpus pages' 503."""
    return CorpusUnavailable(Errors.E141.format(reason=exc.message))


def _reading(method: Any) -> Any:
    """Run a query method with one read-only connection, opened for it and closed after it."""

    @wraps(method)
    def wrapper(self: Corpus, *args: Any, **kwargs: Any) -> Any:
        with self._store() as store:
            return method(self, store, *args, **kwargs)

    return wrapper


def open_corpus(path: str | Path) -> Corpus:
    """A corpus over `path`, opened and read through once now, so a bad --db fails at start-up."""
    corpus = Corpus(Path(path))
    corpus.check()
    return corpus


class Corpus:
    """Read-only questions the corpus pages ask; each method opens the store for its own answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    @contextmanager
    def _store(self) -> Iterator[Any]:
        from onrecord.store.db import Store

        with self._lock:
            try:
                store = Store.open(self.path, read_only=True)
            except CorpusUnavailable:
                raise
            except StoreError as exc:
                raise unavailable(exc) from None
            try:
                queries.prepare(store)
                yield store
            except CorpusUnavailable:
                raise
            except StoreError as exc:  # a damaged block met by a query
                raise unavailable(exc) from None
            finally:
                store.close()

    def check(self) -> None:
        """Open and read every block once now, so a bad or damaged --db fails at start-up."""
        from onrecord.store.db import verify

        with self._store():
            pass
        try:
            verify(self.path)
        except StoreError as exc:
            raise unavailable(exc) from None

    @_reading
    def overview(self, store: Any) -> dict[str, Any]:
        return queries.stats(store)

    @_reading
    def speakers(self, store: Any, f: Filters, *, overview: bool = False) -> dict[str, Any]:
        """A page of speakers (with the corpus counts when `overview`, read on the same connection)."""
        found = queries.speaker_list(store, f)
        if overview:
            found["overview"] = queries.stats(store)
        return found

    @_reading
    def speaker(self, store: Any, key: str, f: Filters | None = None) -> dict[str, Any] | None:
        return queries.speaker_profile(store, key, f)

    @_reading
    def quotes(self, store: Any, f: Filters) -> dict[str, Any]:
        """Attributions that pass `f` (the rows of `onrecord query quotes` with the same options)."""
        return queries.quote_list(store, f)

    @_reading
    def articles(self, store: Any, f: Filters) -> dict[str, Any]:
        return queries.article_list(store, f)

    @_reading
    def publishers(self, store: Any, f: Filters | None = None) -> list[dict[str, Any]]:
        return queries.publisher_profiles(store, f)

    @_reading
    def publisher(self, store: Any, name: str, f: Filters | None = None) -> dict[str, Any] | None:
        """One publisher's profile with a page of its articles (`f`: their order and page)."""
        found = queries.publisher_profile(store, name)
        if found is not None:
            f = f or Filters(limit=50)
            f.publisher = name
            found["article_page"] = queries.article_list(store, f)
        return found

    @_reading
    def table(self, store: Any, what: str, f: Filters) -> Table:
        """A list's download: the same function and rows as `onrecord query <what>` with the same options."""
        return EXPORTS[what](store, f)

    def correct(self, action: str, key: str, value: str) -> str:
        """A user's correction from the speaker page (the same alias table as `onrecord speakers`): the
        one write of the web, a short transaction under the same lock; an ingest holding the file
        makes it a 503 like any corpus page."""
        from onrecord.store.db import Store
        from onrecord.store.identity import correct

        with self._lock:
            try:
                store = Store.open(self.path)
            except StoreError as exc:
                raise unavailable(exc) from None
            try:
                return correct(store, action, key, value, by="web")  # the derived lists follow at once
            finally:
                store.close()

    def speaker_keys(self, record: dict[str, Any]) -> dict[str, str]:
        """Attribution id → the speaker key the store gives its source (`keys.speaker_key`), to link a stored
        article's speakers to their pages."""
        found = {a["id"]: keys.speaker_key(a.get("source")) for a in record.get("attributions", [])}
        return {i: k for i, k in found.items() if k}

    @_reading
    def article(self, store: Any, article_hash: str) -> dict[str, Any] | None:
        return queries.article_record(store, article_hash)


def mark_words(text: str | None, pattern: re.Pattern[str] | None) -> Markup:
    """`text` escaped, with the words a search matched (`queries.highlight_pattern`) in <mark>."""
    text = text or ""
    if pattern is None:
        return Markup(escape(text))
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(Markup("<mark>") + escape(found.group(0)) + Markup("</mark>"))
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
