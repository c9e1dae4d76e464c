"""Statement pages: the same statement followed across outlets (`/statements`, `/statements/{id}`), the
filtered list as CSV or JSON (`/statements.csv`, `/statements.json`) and the JSON twins under /api.

Every answer comes from the functions `onrecord query statements` and `query statement` use
(onrecord.store.queries: `StatementFilters`, `statement_list`, `statement_detail`, `render_statements`),
so a download equals `onrecord query statements --limit 0 … --format csv|json` with the same filters.
The store is opened read-only for each request through the corpus object (`Corpus._store`: its lock,
and a locked or damaged file as a 503), like every corpus page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from onrecord.errors import Errors, StoreError
from onrecord.settings import iso_date
from onrecord.store import queries
from onrecord.web import charts
from onrecord.web.deps import CorpusDep, Offset, Search, page
from onrecord.web.routers.corpus import found_or_404

router = APIRouter()

PER_PAGE = 50
T = TypeVar("T")


def statement_filters(
    speaker: Search = "",
    min_publishers: int | None = Query(None, ge=0, le=1_000_000, description="Carried by at least N outlets."),
    changed: bool = Query(False, description="Only statements whose words a later quotation changed."),
    since: str = Query("", max_length=10, description="First published on or after YYYY-MM-DD."),
    until: str = Query("", max_length=10, description="First published on or before YYYY-MM-DD."),
    search: Search = "",
) -> queries.StatementFilters:
    """The CLI's filters, from the query string; a malformed date is a 422 naming it."""
    return queries.StatementFilters(
        speaker=speaker or None,
        min_publishers=min_publishers or None,
        changed=changed,
        since=iso_date(since or None, "since"),
        until=iso_date(until or None, "until"),
        search=search or None,
    )


Filters = Annotated[queries.StatementFilters, Depends(statement_filters)]
StatementId = Annotated[str, Path(max_length=100, description="A statement id (st:…).")]


def ask(corpus: Any, question: Callable[[Any], T]) -> T:
    """One read-only question to the store; a store whose statements pass has not run is a 503 saying so."""
    with corpus._store() as store:
        ready = queries.statements_ready(store)
        found = question(store) if ready else None
    if not ready:
        raise StoreError(Errors.E230.format(path=corpus.path.name))
    return found


def listing(corpus: Any, f: queries.StatementFilters, limit: int, offset: int) -> dict[str, Any]:
    """One page of statements, with the total the filters let through."""
    f.limit, f.offset = limit, queries.check_count("offset", offset)

    def question(store: Any) -> dict[str, Any]:
        total, found = queries.statement_page(store, f)
        return {"total": total, "statements": found}

    return {**ask(corpus, question), "limit": limit, "offset": offset}


def query_string(f: queries.StatementFilters) -> str:
    """The filters as a query string, for the pager and the download links."""
    values = {"speaker": f.speaker, "min_publishers": f.min_publishers, "since": f.since, "until": f.until}
    values.update(search=f.search, changed="true" if f.changed else None)
    return urlencode({k: v for k, v in values.items() if v})


@router.get("/api/statements", tags=["statements"], summary="Statements across outlets, by reach")
def api_statements(
    corpus: CorpusDep, f: Filters, offset: Offset = 0, limit: int = Query(PER_PAGE, ge=1, le=1000)
) -> dict[str, Any]:
    return listing(corpus, f, limit, offset)


@router.get("/statements", response_class=HTMLResponse, include_in_schema=False)
def statements_page(request: Request, corpus: CorpusDep, f: Filters, offset: Offset = 0) -> Response:
    found = listing(corpus, f, PER_PAGE, offset)
    return page(request, "statements.html", title="Statements", f=f, qs=query_string(f), **found)


@router.get("/statements.{fmt}", tags=["statements"], summary="Every filtered statement as CSV or JSON")
def download(corpus: CorpusDep, f: Filters, fmt: Literal["csv", "json"]) -> Response:
    """Exactly the rows of `onrecord query statements --limit 0 … --format csv|json` (its function)."""
    body = ask(corpus, lambda store: queries.render_statements(queries.statement_list(store, f), fmt)) + "\n"
    kind = "text/csv" if fmt == "csv" else "application/json"
    headers = {"Content-Disposition": f'attachment; filename="statements.{fmt}"'}
    return Response(body.encode("utf-8"), media_type=f"{kind}; charset=utf-8", headers=headers)


@router.get("/api/statements/{statement_id}", tags=["statements"], summary="One statement and its appearances")
def api_statement(statement_id: StatementId, corpus: CorpusDep) -> dict[str, Any]:
    found = ask(corpus, lambda store: queries.statement_detail(store, statement_id))
    return found_or_404(found, f"statement {statement_id!r}")


@router.get("/statements/{statement_id}", response_class=HTMLResponse, include_in_schema=False)
def statement_page(request: Request, statement_id: StatementId, corpus: CorpusDep) -> Response:
    found = ask(corpus, lambda store: queries.statement_detail(store, statement_id))
    s = found_or_404(found, f"statement {statement_id!r}")
    chart = charts.appearances(s["appearances"], label=f"appearances of statement {s['id']}")
    return page(request, "statement.html", title=f"Statement of {s['speaker']}", s=s, chart=chart)
