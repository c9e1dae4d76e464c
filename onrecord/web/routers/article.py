"""The article page (paste or upload, see who said what) and `POST /api/analyze`.

Both analyse through `onrecord.web.analysis`, which reads input the way the CLI does, so the page, the
API and `onrecord analyze` give the same record for the same article.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from onrecord.errors import Errors, InputError, OptionError
from onrecord.settings import iso_date
from onrecord.web import render
from onrecord.web.analysis import FormInput, check_unicode, pasted, read_form, uploaded
from onrecord.web.deps import AnalyzerDep, SettingsDep, body_limit, page, status_of

router = APIRouter()


class AnalyzeRequest(BaseModel):
    """One article: `text` (plain text) or `html` (a web page; the article is extracted)."""

    text: str | None = Field(default=None, description="Article as plain text.")
    html: str | None = Field(default=None, description="Article as an HTML page.")
    published: str | None = Field(default=None, description="Publication date YYYY-MM-DD.")
    publisher: str | None = Field(default=None, description="Publisher name for the record's meta.")


def download_name(title: str) -> str:
    """The file name the Download JSON button suggests: the title as a slug."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return f"{slug or 'article'}.onrecord.json"


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(request: Request) -> Response:
    return page(request, "index.html", form={})


def form_document(form: FormInput, limit: int) -> tuple[object, dict | None]:
    """The document the form asks for: the file or the pasted text, never both silently."""
    if form.filename is not None:
        if form.text.strip():
            raise InputError(Errors.E194.format(name=form.filename))
        return uploaded(form.filename, form.data or b"", limit=limit)
    return pasted(form.text, limit=limit, name="pasted text"), None


@router.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
async def analyze_form(request: Request, analyzer: AnalyzerDep, settings: SettingsDep) -> Response:
    """The article page for a pasted or uploaded article; a bad input shows the form again, input kept."""
    form = FormInput()
    try:
        form = await read_form(request, body_limit(settings))
        published = iso_date(form.published, "published")
        document, notice = form_document(form, settings.max_chars)
        record = await run_in_threadpool(analyzer.analyze, document, published=published)
    except (InputError, OptionError) as exc:
        return page(request, "index.html", status_of(exc), error=exc.message, code=exc.code, form=form.kept())
    title = record["meta"].get("title") or (Path(document.name).stem if form.filename else "Pasted article")
    return page(
        request,
        "article.html",
        title=title,
        filename=download_name(title),
        notice=notice,
        fresh=True,
        **render.page_context(record),
    )


@router.post("/api/analyze", tags=["analysis"], summary="Analyse one article")
async def api_analyze(body: AnalyzeRequest, analyzer: AnalyzerDep, settings: SettingsDep) -> JSONResponse:
    """The article record (`onrecord.article/1`), exactly as `onrecord analyze` prints it."""
    if body.text is not None and body.html is not None:
        raise OptionError(Errors.E191)
    check_unicode("publisher", body.publisher)
    published = iso_date(check_unicode("published", body.published), "published")
    limit = settings.max_chars
    document = pasted(body.html, limit=limit, html=True) if body.html is not None else pasted(body.text, limit=limit)
    record = await run_in_threadpool(analyzer.analyze, document, published=published, publisher=body.publisher)
    return JSONResponse(record)
