"""Corpus pages (speakers, publishers, quotes, stored articles) and their JSON twins under /api.

Every question goes to the read-only query object of `onrecord.web.corpus` (the store owns the SQL);
routes only validate parameters, look up, and lay out.  `router` is mounted when the server has a
corpus; `absent` answers the same paths with a 404 that says how to start one with `--db`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from onrecord.errors import Errors, OptionError
from onrecord.record import ACTS
from onrecord.settings import iso_date
from onrecord.store import queries
from onrecord.store.queries import Filters
from onrecord.web import charts, render
from onrecord.web.corpus import mark_words
from onrecord.web.deps import CorpusDep, Offset, Search, error_response, page, split_code
from onrecord.web.routers.article import download_name

router = APIRouter()
absent = APIRouter()

SPEAKERS_PER_PAGE = 100
QUOTES_PER_PAGE = 50
ARTICLES_PER_PAGE = 50
EXPORT_ROWS = 100_000  # a download holds at most this many rows (the CLI has no such cap)
TYPES = ("direct", "indirect", "mixed")
Date = Annotated[str, Query(max_length=10, description="YYYY-MM-DD")]
Word = Annotated[str, Query(max_length=40)]


def found_or_404(found: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """What a corpus lookup found, or the 404 that both the page and its JSON twin answer."""
    if found is None:
        raise HTTPException(404, Errors.E198.format(what=what))
    return found


def _choice(option: str, value: str, choices: Any) -> str | None:
    """A select's value: "" is no choice; anything else must be one of `choices` (a clear 422)."""
    return queries.check_choice(option, value.strip().lower() or None, choices)


def _acts(value: str) -> tuple[str, ...] | None:
    """`act=speech,thought` (the CLI's --act): each one of ACTS."""
    wanted = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
    for act in wanted:
        queries.check_choice("act", act, ACTS)
    return wanted or None


def _dated(since: str, until: str) -> dict[str, str | None]:
    """since / until checked as real YYYY-MM-DD dates, the first not after the second."""
    found = {"since": iso_date(since, "since"), "until": iso_date(until, "until")}
    if found["since"] and found["until"] and found["since"] > found["until"]:
        raise OptionError(Errors.E145.format(since=found["since"], until=found["until"]))
    return found


# Every parameter a corpus list's GET form may take, declared once: its type for FastAPI, and its default.
FORM: dict[str, tuple[Any, Any]] = {
    "q": (Search, ""),
    "speaker": (Search, ""),
    "kind": (Word, ""),
    "publisher": (Search, ""),
    "since": (Date, ""),
    "until": (Date, ""),
    "type": (Word, ""),
    "act": (Word, ""),
    "anonymous": (bool, False),
    "via": (Search, ""),
    "sort": (Word, ""),
    "order": (Word, ""),
    "offset": (Offset, 0),
}
CHOICES = {"type": TYPES, "order": queries.ORDERS}


def form_filters(form: dict[str, Any], q: str, sorts: Any) -> Filters:
    """A list's GET form as the store's Filters, checked as its CLI command checks the same options: the dates
    first (real dates, in order), then each choice in the form's order (a clear 422); a word is stripped and ""
    is not given; `q` is the field the free-text box fills (name or search), `sorts` the list's sort keys."""
    fields: dict[str, Any] = _dated(form["since"], form["until"])
    for name, value in form.items():
        if name in ("since", "until"):
            continue
        if name == "sort":
            fields[name] = _choice(name, value, sorts)
        elif name in CHOICES:
            fields[name] = _choice(name, value, CHOICES[name])
        elif name == "act":
            fields["acts"] = _acts(value)
        elif isinstance(value, str):
            fields[q if name == "q" else name] = value.strip() or None
        else:
            fields[name] = value
    return Filters(**fields)


def list_form(names: str, q: str, sorts: Any = None) -> Callable[..., Filters]:
    """The dependency that reads one list's GET form: the parameters `names` (in the order the API docs show
    them) as FORM declares them.  FastAPI reads a dependency's parameters from its signature, so the one
    function below gets the signature the list needs instead of a copy of the declarations per list."""
    kind = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter(n, kind, default=FORM[n][1], annotation=FORM[n][0]) for n in names.split()]
    signature = inspect.Signature(params, return_annotation=Filters)

    def read_form(**given: Any) -> Filters:
        bound = signature.bind(**given)
        bound.apply_defaults()
        return form_filters(bound.arguments, q, sorts)

    read_form.__signature__ = signature  # type: ignore[attr-defined]
    return read_form


# each list's form: the options of its `onrecord query` command (q is --name or --search)
speaker_filters = list_form("q kind publisher since until sort order offset", "name", queries.SPEAKER_SORTS)
quote_filters = list_form("q speaker publisher since until type act kind anonymous via order offset", "search")
article_filters = list_form("q publisher since until sort order offset", "search", queries.ARTICLE_SORTS)
publisher_filters = list_form("q since until sort order", "name", queries.PUBLISHER_SORTS)


SpeakerFilters = Annotated[Filters, Depends(speaker_filters)]
QuoteFilters = Annotated[Filters, Depends(quote_filters)]
ArticleFilters = Annotated[Filters, Depends(article_filters)]
PublisherFilters = Annotated[Filters, Depends(publisher_filters)]
Limit = Annotated[int, Query(ge=1, le=EXPORT_ROWS, description="Rows in the file (at most 100,000).")]


def query_of(request: Request, *drop: str) -> str:
    """The request's own parameters without `offset` (and `drop`), for the pager, sort and download links."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", *drop) and v != ""]
    return urlencode(kept)


def list_page(request: Request, template: str, title: str, f: Filters, **context: Any) -> Response:
    """A corpus list in the layout, with the links that keep its filters (`query`: pager and downloads)."""
    values = {k: v for k, v in request.query_params.items()}
    links = {"query": query_of(request), "sortless": query_of(request, "sort", "order"), "legend": charts.legend}
    context.setdefault("types", TYPES)
    context.setdefault("acts", ACTS)
    return page(request, template, title=title, f=f, values=values, **links, **context)


def limited(f: Filters, limit: int) -> Filters:
    """`f` with the page size of the route that asks (each list's page, API and download differ only in it)."""
    f.limit = limit
    return f


def download(request: Request, corpus: Any, what: str, f: Filters) -> Response:
    """The filtered rows as the file `onrecord query <what> … --format csv|json` prints, byte for byte (the
    format is the path's ending: /<what>.csv or /<what>.json)."""
    fmt = request.url.path.rsplit(".", 1)[1]
    table = corpus.table(what, f)
    text = queries.render(table, fmt) + "\n"
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    headers = {"Content-Disposition": f'attachment; filename="{what}.{fmt}"'}
    return Response(text.encode("utf-8"), media_type=media, headers=headers)


# --- speakers ------------------------------------------------------------------------------------


@router.get("/api/corpus", tags=["corpus"], summary="Corpus overview: counts and date range")
def api_corpus(corpus: CorpusDep) -> dict[str, Any]:
    return corpus.overview()


@router.get("/api/speakers", tags=["corpus"], summary="Speakers: filtered, sorted, paged")
def api_speakers(
    corpus: CorpusDep, f: SpeakerFilters, limit: int = Query(SPEAKERS_PER_PAGE, ge=1, le=1000)
) -> dict[str, Any]:
    return corpus.speakers(limited(f, limit))


@router.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
def speakers_page(request: Request, corpus: CorpusDep, f: SpeakerFilters) -> Response:
    result = corpus.speakers(limited(f, SPEAKERS_PER_PAGE), overview=True)
    return list_page(request, "speakers.html", "Speakers", f, **result)


@router.get("/speakers.csv", include_in_schema=False)
@router.get("/speakers.json", include_in_schema=False)
def speakers_file(request: Request, corpus: CorpusDep, f: SpeakerFilters, limit: Limit = EXPORT_ROWS) -> Response:
    return download(request, corpus, "speakers", limited(f, limit))


@router.get("/api/speakers/{key:path}", tags=["corpus"], summary="One speaker: quotes and timeline")
def api_speaker(
    key: str, corpus: CorpusDep, f: QuoteFilters, limit: int = Query(QUOTES_PER_PAGE, ge=1, le=500)
) -> dict[str, Any]:
    return found_or_404(corpus.speaker(key, limited(f, limit)), f"speaker {key!r}")


@router.get("/speakers/{key:path}", response_class=HTMLResponse, include_in_schema=False)
def speaker_page(request: Request, key: str, corpus: CorpusDep, f: QuoteFilters) -> Response:
    found = found_or_404(corpus.speaker(key, limited(f, QUOTES_PER_PAGE)), f"speaker {key!r}")
    chart = charts.timeline(found["timeline"], label=f"Quotes by {found['name']} per month")
    mix = charts.stacked(found["mix"], label="sourcing categories")
    mark = _marker(f)
    return list_page(
        request,
        "speaker.html",
        found["name"],
        f,
        s=found,
        chart=chart,
        mix_chart=mix,
        mark=mark,
        **found["quote_page"],
    )


@router.post("/api/speakers/merge", tags=["corpus"], summary="Merge one speaker into another (reversible by split)")
def api_merge(corpus: CorpusDep, key: str = Form(max_length=500), target: str = Form(max_length=500)) -> dict[str, Any]:
    """The speaker page's one-click merge: writes the same alias table as `onrecord speakers merge`."""
    return {"merged": key, "into": corpus.correct("merge", key, target)}


@router.post("/speakers/merge", include_in_schema=False)
def merge_form(corpus: CorpusDep, key: str = Form(max_length=500), target: str = Form(max_length=500)) -> Response:
    corpus.correct("merge", key, target)
    return RedirectResponse(f"/speakers/{quote(target, safe='')}", status_code=303)


# --- publishers ----------------------------------------------------------------------------------


@router.get("/api/publishers", tags=["corpus"], summary="Publishers and their sourcing profiles")
def api_publishers(corpus: CorpusDep, f: PublisherFilters) -> dict[str, Any]:
    return {"publishers": corpus.publishers(f)}


@router.get("/publishers", response_class=HTMLResponse, include_in_schema=False)
def publishers_page(request: Request, corpus: CorpusDep, f: PublisherFilters) -> Response:
    rows = corpus.publishers(f)
    for row in rows:
        row["chart"] = charts.stacked(row["mix"], label=f"sourcing of {row['name']}")
    return list_page(request, "publishers.html", "Publishers", f, publishers=rows, total=len(rows))


@router.get("/publishers.csv", include_in_schema=False)
@router.get("/publishers.json", include_in_schema=False)
def publishers_file(request: Request, corpus: CorpusDep, f: PublisherFilters) -> Response:
    return download(request, corpus, "publishers", f)


@router.get("/api/publishers/{name:path}", tags=["corpus"], summary="One publisher's sourcing profile")
def api_publisher(name: str, corpus: CorpusDep, f: ArticleFilters) -> dict[str, Any]:
    return found_or_404(corpus.publisher(name, limited(f, ARTICLES_PER_PAGE)), f"publisher {name!r}")


@router.get("/publishers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def publisher_page(request: Request, name: str, corpus: CorpusDep, f: ArticleFilters) -> Response:
    found = found_or_404(corpus.publisher(name, limited(f, ARTICLES_PER_PAGE)), f"publisher {name!r}")
    context = {
        "mix_chart": charts.stacked(found["mix"], label="sourcing categories"),
        "type_chart": charts.bars(list(found["types"].items()), label="attribution types"),
        "speaker_chart": charts.bars(
            [(s["name"], s["count"]) for s in found["top_speakers"]],
            label="most quoted",
            links=[f"/speakers/{quote(s['key'], safe='')}" for s in found["top_speakers"]],
        ),
        "timeline": charts.timeline(found["timeline"], label="articles per month"),
    }
    return list_page(request, "publisher.html", found["name"], f, p=found, **found["article_page"], **context)


# --- quotes --------------------------------------------------------------------------------------


def _marker(f: Filters) -> Any:
    """The function a template marks a quote's matched words with (None without a word search)."""
    pattern = queries.highlight_pattern(f.search)
    return (lambda text: mark_words(text, pattern)) if pattern else None


@router.get("/api/quotes", tags=["corpus"], summary="Quotes: the filters of onrecord query quotes, paged")
def api_quotes(corpus: CorpusDep, f: QuoteFilters, limit: int = Query(QUOTES_PER_PAGE, ge=1, le=500)) -> dict[str, Any]:
    return corpus.quotes(limited(f, limit))


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes_page(request: Request, corpus: CorpusDep, f: QuoteFilters) -> Response:
    result = corpus.quotes(limited(f, QUOTES_PER_PAGE))
    return list_page(request, "quotes.html", "Quotes", f, mark=_marker(f), types=TYPES, acts=ACTS, **result)


@router.get("/quotes.csv", include_in_schema=False)
@router.get("/quotes.json", include_in_schema=False)
def quotes_file(request: Request, corpus: CorpusDep, f: QuoteFilters, limit: Limit = EXPORT_ROWS) -> Response:
    return download(request, corpus, "quotes", limited(f, limit))


# --- articles ------------------------------------------------------------------------------------


@router.get("/api/articles", tags=["corpus"], summary="Stored articles: filtered, sorted, paged, with counts")
def api_articles(
    corpus: CorpusDep, f: ArticleFilters, limit: int = Query(ARTICLES_PER_PAGE, ge=1, le=1000)
) -> dict[str, Any]:
    return corpus.articles(limited(f, limit))


@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles_page(request: Request, corpus: CorpusDep, f: ArticleFilters) -> Response:
    result = corpus.articles(limited(f, ARTICLES_PER_PAGE))
    return list_page(request, "articles.html", "Articles", f, mark=_marker(f), **result)


@router.get("/articles.csv", include_in_schema=False)
@router.get("/articles.json", include_in_schema=False)
def articles_file(request: Request, corpus: CorpusDep, f: ArticleFilters, limit: Limit = EXPORT_ROWS) -> Response:
    return download(request, corpus, "articles", limited(f, limit))


@router.get("/api/articles/{article_id}", tags=["corpus"], summary="One stored article record")
def api_article(article_id: str, corpus: CorpusDep) -> JSONResponse:
    return JSONResponse(found_or_404(corpus.article(article_id), f"article {article_id!r}"))


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(request: Request, article_id: str, corpus: CorpusDep) -> Response:
    record = found_or_404(corpus.article(article_id), f"article {article_id!r}")
    title = record["meta"].get("title") or article_id
    return page(
        request,
        "article.html",
        title=title,
        filename=download_name(title),
        speaker_keys=corpus.speaker_keys(record),
        **render.page_context(record),
    )


NO_CORPUS_PATHS = (
    *("/speakers", "/publishers", "/quotes", "/api/corpus", "/api/speakers", "/api/publishers", "/api/quotes"),
    *("/articles", "/api/articles", "/speakers.csv", "/speakers.json", "/quotes.csv", "/quotes.json"),
    *("/articles.csv", "/articles.json", "/publishers.csv", "/publishers.json"),
    *("/speakers/{rest:path}", "/publishers/{rest:path}", "/articles/{rest:path}"),
    *("/api/speakers/{rest:path}", "/api/publishers/{rest:path}", "/api/articles/{rest:path}"),
)


def no_corpus(request: Request) -> Response:
    """Corpus paths on a server started without `--db`: say how to get a corpus instead of a bare 404."""
    code, message = split_code(Errors.E199)
    return error_response(request, 404, code or "E199", message)


for _path in NO_CORPUS_PATHS:
    absent.add_api_route(_path, no_corpus, methods=["GET"], include_in_schema=False)
