"""Corpus pages (speakers, publishers, quotes, stored articles) and their JSON twins under /api.

Every question goes to the read-only query object of `onrecord.web.corpus` (the store owns the SQL);
routes only validate parameters, look up, and lay out.  `router` is mounted when the server has a
corpus; `absent` answers the same paths with a 404 that says how to start one with `--db`.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from onrecord.errors import Errors
from onrecord.web import charts, render
from onrecord.web.deps import CorpusDep, Offset, Search, error_response, page, split_code
from onrecord.web.routers.article import download_name

router = APIRouter()
absent = APIRouter()

Sort = Literal["count", "name", "kind", "articles", "last"]
Order = Literal["asc", "desc"]
SPEAKERS_PER_PAGE = 100
QUOTES_PER_PAGE = 50


def found_or_404(found: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """What a corpus lookup found, or the 404 that both the page and its JSON twin answer."""
    if found is None:
        raise HTTPException(404, Errors.E198.format(what=what))
    return found


@router.get("/api/corpus", tags=["corpus"], summary="Corpus overview: counts and date range")
def api_corpus(corpus: CorpusDep) -> dict[str, Any]:
    return corpus.overview()


@router.get("/api/speakers", tags=["corpus"], summary="Speakers, searchable and sortable")
def api_speakers(
    corpus: CorpusDep,
    offset: Offset = 0,
    q: str = Query("", max_length=200, description="Substring of the speaker's name."),
    sort: Sort = "count",
    order: Order = "desc",
    limit: int = Query(SPEAKERS_PER_PAGE, ge=1, le=1000),
) -> dict[str, Any]:
    return corpus.speakers(q=q, sort=sort, order=order, limit=limit, offset=offset)


@router.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
def speakers_page(
    request: Request, corpus: CorpusDep, offset: Offset = 0, q: Search = "", sort: Sort = "count", order: Order = "desc"
) -> Response:
    result = corpus.speakers(q=q, sort=sort, order=order, limit=SPEAKERS_PER_PAGE, offset=offset)
    overview = corpus.overview()
    return page(request, "speakers.html", title="Speakers", q=q, sort=sort, order=order, overview=overview, **result)


@router.get("/api/speakers/{key:path}", tags=["corpus"], summary="One speaker: quotes and timeline")
def api_speaker(key: str, corpus: CorpusDep) -> dict[str, Any]:
    return found_or_404(corpus.speaker(key), f"speaker {key!r}")


@router.get("/speakers/{key:path}", response_class=HTMLResponse, include_in_schema=False)
def speaker_page(request: Request, key: str, corpus: CorpusDep) -> Response:
    found = found_or_404(corpus.speaker(key), f"speaker {key!r}")
    chart = charts.timeline(found["timeline"], label=f"Quotes by {found['name']} per month")
    mix = charts.stacked(found["mix"], label="sourcing categories")
    return page(request, "speaker.html", title=found["name"], s=found, chart=chart, mix_chart=mix)


@router.post("/api/speakers/merge", tags=["corpus"], summary="Merge one speaker into another (reversible by split)")
def api_merge(corpus: CorpusDep, key: str = Form(max_length=500), target: str = Form(max_length=500)) -> dict[str, Any]:
    """The speaker page's one-click merge: writes the same alias table as `onrecord speakers merge`."""
    return {"merged": key, "into": corpus.correct("merge", key, target)}


@router.post("/speakers/merge", include_in_schema=False)
def merge_form(corpus: CorpusDep, key: str = Form(max_length=500), target: str = Form(max_length=500)) -> Response:
    corpus.correct("merge", key, target)
    return RedirectResponse(f"/speakers/{quote(target, safe='')}", status_code=303)


@router.get("/api/publishers", tags=["corpus"], summary="Publishers and their sourcing profiles")
def api_publishers(corpus: CorpusDep) -> dict[str, Any]:
    return {"publishers": corpus.publishers()}


@router.get("/publishers", response_class=HTMLResponse, include_in_schema=False)
def publishers_page(request: Request, corpus: CorpusDep) -> Response:
    rows = corpus.publishers()
    for row in rows:
        row["chart"] = charts.stacked(row["mix"], label=f"sourcing of {row['name']}")
    return page(request, "publishers.html", title="Publishers", publishers=rows)


@router.get("/api/publishers/{name:path}", tags=["corpus"], summary="One publisher's sourcing profile")
def api_publisher(name: str, corpus: CorpusDep) -> dict[str, Any]:
    return found_or_404(corpus.publisher(name), f"publisher {name!r}")


@router.get("/publishers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def publisher_page(request: Request, name: str, corpus: CorpusDep) -> Response:
    found = found_or_404(corpus.publisher(name), f"publisher {name!r}")
    context = {
        "mix_chart": charts.stacked(found["mix"], label="sourcing categories"),
        "type_chart": charts.bars(list(found["types"].items()), label="attribution types"),
        "speaker_chart": charts.bars([(s["name"], s["count"]) for s in found["top_speakers"]], label="most quoted"),
        "timeline": charts.timeline(found["timeline"], label="articles per month"),
    }
    return page(request, "publisher.html", title=found["name"], p=found, **context)


@router.get("/api/quotes", tags=["corpus"], summary="Search quotes by words in their content")
def api_quotes(
    corpus: CorpusDep,
    offset: Offset = 0,
    q: str = Query("", max_length=200, description="Words that the quote's content contains."),
    speaker: str = Query("", max_length=200, description="Substring of the speaker's name."),
    limit: int = Query(QUOTES_PER_PAGE, ge=1, le=500),
) -> dict[str, Any]:
    return corpus.quotes(q=q, speaker=speaker, limit=limit, offset=offset)


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes_page(
    request: Request, corpus: CorpusDep, offset: Offset = 0, q: Search = "", speaker: Search = ""
) -> Response:
    result = corpus.quotes(q=q, speaker=speaker, limit=QUOTES_PER_PAGE, offset=offset)
    return page(request, "quotes.html", title="Quotes", q=q, speaker=speaker, **result)


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
    *("/speakers/{rest:path}", "/publishers/{rest:path}", "/articles/{rest:path}"),
    *("/api/speakers/{rest:path}", "/api/publishers/{rest:path}", "/api/articles/{rest:path}"),
)


def no_corpus(request: Request) -> Response:
    """Corpus paths on a server started without `--db`: say how to get a corpus instead of a bare 404."""
    code, message = split_code(Errors.E199)
    return error_response(request, 404, code or "E199", message)


for _path in NO_CORPUS_PATHS:
    absent.add_api_route(_path, no_corpus, methods=["GET"], include_in_schema=False)
