"""The web app: an article page (paste or upload, see who said what), the JSON API, corpus pages.

Analysis goes through `onrecord.pipeline` exactly as the CLI does; this module only reads input,
calls it, and lays out the record.  Every asset is served from `static/`; nothing is fetched from
another host, so the UI works offline.  Article text is always escaped (Jinja autoescape, and
`render.highlight` escapes each piece it cuts).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from onrecord import __version__
from onrecord.errors import InputError, ModelError, OnrecordError, OptionError
from onrecord.settings import Settings, iso_date
from onrecord.web import charts, render

HERE = Path(__file__).resolve().parent
MAX_BODY_ENV = "ONRECORD_MAX_BODY_MB"
DEFAULT_MAX_BODY_MB = 5.0
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
log = logging.getLogger("onrecord.web")


def max_body_bytes(megabytes: float | None = None) -> int:
    """The request body limit: explicit value, else ONRECORD_MAX_BODY_MB, else 5 MB."""
    if megabytes is None:
        raw = os.environ.get(MAX_BODY_ENV)
        try:
            megabytes = float(raw) if raw else DEFAULT_MAX_BODY_MB
        except ValueError:
            raise OptionError(f"{MAX_BODY_ENV} must be a number of megabytes, got {raw!r}") from None
    if megabytes <= 0:
        raise OptionError(f"the body size limit must be positive, got {megabytes}")
    return int(megabytes * 1024 * 1024)


def check_published(value: str | None) -> str | None:
    return iso_date(value, "published")


class AnalyzeRequest(BaseModel):
    """One article: `text` (plain text) or `html` (a web page; the article is extracted)."""

    text: str | None = Field(default=None, description="Article as plain text.")
    html: str | None = Field(default=None, description="Article as an HTML page.")
    published: str | None = Field(default=None, description="Publication date YYYY-MM-DD.")
    publisher: str | None = Field(default=None, description="Publisher name for the record's meta.")


class Analyzer:
    """The pipeline behind a lock: one model, loaded once, one article at a time (spaCy is CPU-bound)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    def warm(self) -> None:
        from onrecord.nlp import load

        load(self.settings.model)

    def document(
        self,
        *,
        text: str | None = None,
        html: str | None = None,
        data: bytes | None = None,
        name: str = "input",
    ) -> Any:
        """Read input the way the CLI reads a file; every unusable input is an InputError."""
        from onrecord.inputs import from_bytes

        if data is not None:
            is_html = True if name.lower().endswith((".html", ".htm")) else None
            return from_bytes(data, name, html=is_html)
        if html is not None and html.strip():
            return from_bytes(html.encode("utf-8"), name, html=True)
        if text is not None and text.strip():
            return from_bytes(text.encode("utf-8"), name, html=False)
        raise InputError("no article given: paste text or choose a .txt or .html file")

    def analyze(self, document: Any, *, published: str | None, publisher: str | None = None) -> dict:
        from onrecord.pipeline import analyze_many

        with self._lock:
            article = next(analyze_many([document], published=published, publisher=publisher, settings=self.settings))
        return article.to_dict()


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, whether announced by Content-Length or not."""

    def __init__(self, app: ASGIApp, limit: int, refuse: Any) -> None:
        self.app, self.limit, self.refuse = app, limit, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self.refuse(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _status(exc: OnrecordError) -> int:
    if isinstance(exc, OptionError):
        return 422
    if isinstance(exc, ModelError) or exc.code == "E005":  # model missing; corpus store unreadable now
        return 503
    return 400


def create_app(
    db: str | os.PathLike | None = None,
    *,
    settings: Settings | None = None,
    max_body_mb: float | None = None,
) -> FastAPI:
    """The ASGI app.  `db`: a corpus store file (opened read-only) for the corpus pages, or None."""
    settings = settings or Settings.from_env()
    limit = max_body_bytes(max_body_mb)
    analyzer = Analyzer(settings)
    corpus = None
    if db is not None:
        from onrecord.web.corpus import open_corpus

        corpus = open_corpus(db)

    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what: attribution records from news articles. "
        "`POST /api/analyze` returns the same record as `onrecord analyze`.",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /api lists the endpoints instead
        redoc_url=None,
    )
    app.state.analyzer = analyzer
    app.state.corpus = corpus
    app.state.max_body = limit
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, has_corpus=corpus is not None)
    templates.env.filters["pct"] = lambda x: f"{round(100 * x)}%"
    templates.env.globals["mix_chart"] = lambda mix: charts.stacked(mix["parts"], label="sourcing mix")
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    def error(request: Request, status: int, message: str, code: str | None = None) -> Response:
        if wants_json(request):
            body = {"detail": message} | ({"code": code} if code else {})
            return JSONResponse(body, status_code=status)
        return page(request, "error.html", status, status=status, message=message)

    async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than the {limit / 1048576:g} MB limit"
        if scope["path"].startswith("/api/"):
            response: Response = JSONResponse({"detail": message}, status_code=413)
        else:
            response = HTMLResponse(
                f'<!doctype html><title>413 too large</title><p>{message}. <a href="/">Back</a></p>',
                status_code=413,
            )
        await response(scope, receive, send)

    app.add_middleware(BodyLimit, limit=limit, refuse=refuse)

    @app.exception_handler(OnrecordError)
    async def onrecord_error(request: Request, exc: OnrecordError) -> Response:
        status = _status(exc)
        if request.url.path == "/analyze" and isinstance(exc, InputError | OptionError):
            form = getattr(request.state, "form", {})
            return page(request, "index.html", status, error=exc.message, form=form, limit=limit)
        return error(request, status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in exc.errors()
        )
        return error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error(request, 500, "internal error: the server could not handle this request")

    # ---- the article page -------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request) -> Response:
        return page(request, "index.html", form={}, limit=limit)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_form(request: Request) -> Response:
        try:
            form = await request.form(max_part_size=limit)
        except Exception as exc:  # malformed multipart or urlencoded body
            raise InputError(f"could not read the form: {exc}") from None
        values = {k: form.get(k) for k in ("text", "published")}
        request.state.form = {k: v for k, v in values.items() if isinstance(v, str)}
        published = check_published(request.state.form.get("published"))
        upload = form.get("file")
        uploaded = upload is not None and not isinstance(upload, str) and bool(upload.filename)
        if uploaded:
            name = Path(upload.filename).name
            if not name.lower().endswith(UPLOAD_SUFFIXES):
                raise InputError(f"{name}: choose a .txt or .html file")
            data = await upload.read()
            document = analyzer.document(data=data, name=name)
        else:
            # browsers send a textarea's line breaks as CRLF whatever was pasted; the article had LF
            pasted = (request.state.form.get("text") or "").replace("\r\n", "\n")
            document = analyzer.document(text=pasted, name="pasted text")
        record = await run_in_threadpool(analyzer.analyze, document, published=published)
        title = record["meta"].get("title") or (Path(document.name).stem if uploaded else "Pasted article")
        return page(
            request,
            "article.html",
            title=title,
            filename=_download_name(title),
            **render.page_context(record),
        )

    # ---- JSON API ---------------------------------------------------------------------------------

    @app.post("/api/analyze", tags=["analysis"], summary="Analyse one article")
    async def api_analyze(body: AnalyzeRequest) -> JSONResponse:
        """The article record (`onrecord.article/1`), exactly as `onrecord analyze` prints it."""
        if body.text is not None and body.html is not None:
            raise OptionError("give either text or html, not both")
        published = check_published(body.published)
        document = analyzer.document(text=body.text, html=body.html)
        record = await run_in_threadpool(analyzer.analyze, document, published=published, publisher=body.publisher)
        return JSONResponse(record)

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_page(request: Request) -> Response:
        schema = app.openapi()
        routes = [
            {
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "doc": op.get("description", ""),
            }
            for path, ops in schema["paths"].items()
            for method, op in ops.items()
        ]
        return page(request, "api.html", routes=routes, title="API")

    @app.get("/health", tags=["service"], summary="Liveness and corpus status")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "corpus": corpus is not None}

    if corpus is not None:
        _corpus_routes(app, corpus, page)
    else:

        @app.get("/speakers", include_in_schema=False)
        @app.get("/publishers", include_in_schema=False)
        @app.get("/quotes", include_in_schema=False)
        async def no_corpus(request: Request) -> Response:
            return error(request, 404, "no corpus loaded: start the server with onrecord serve --db FILE")

    return app


def _download_name(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60]
    return f"{slug or 'article'}.onrecord.json"


def _corpus_routes(app: FastAPI, corpus: Any, page: Any) -> None:
    """Corpus pages and their JSON twins; `corpus` is a read-only query object (see corpus.py)."""

    sorts = ("count", "name", "kind", "articles", "last")

    def found_or_404(found: dict[str, Any] | None, what: str) -> dict[str, Any]:
        """What a corpus lookup found, or the 404 that both the page and its JSON twin answer."""
        if found is None:
            raise StarletteHTTPException(404, f"{what} is not in this corpus")
        return found

    @app.get("/api/corpus", tags=["corpus"], summary="Corpus overview: counts and date range")
    def api_corpus() -> dict[str, Any]:
        return corpus.overview()

    @app.get("/api/speakers", tags=["corpus"], summary="Speakers, searchable and sortable")
    def api_speakers(
        q: str = Query("", max_length=200, description="Substring of the speaker's name."),
        sort: str = Query("count", pattern="^(" + "|".join(sorts) + ")$"),
        order: str = Query("desc", pattern="^(asc|desc)$"),
        limit: int = Query(100, ge=1, le=1000),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        return corpus.speakers(q=q, sort=sort, order=order, limit=limit, offset=offset)

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page(
        request: Request,
        q: str = Query("", max_length=200),
        sort: str = Query("count", pattern="^(" + "|".join(sorts) + ")$"),
        order: str = Query("desc", pattern="^(asc|desc)$"),
        offset: int = Query(0, ge=0),
    ) -> Response:
        result = corpus.speakers(q=q, sort=sort, order=order, limit=100, offset=offset)
        overview = corpus.overview()
        return page(
            request, "speakers.html", title="Speakers", q=q, sort=sort, order=order, overview=overview, **result
        )

    @app.get("/api/speakers/{key:path}", tags=["corpus"], summary="One speaker: quotes and timeline")
    def api_speaker(key: str) -> dict[str, Any]:
        return found_or_404(corpus.speaker(key), f"speaker {key!r}")

    @app.get("/speakers/{key:path}", response_class=HTMLResponse, include_in_schema=False)
    def speaker_page(request: Request, key: str) -> Response:
        found = found_or_404(corpus.speaker(key), f"speaker {key!r}")
        chart = charts.timeline(found["timeline"], label=f"Quotes by {found['name']} per month")
        mix = charts.stacked(found["mix"], label="sourcing categories")
        return page(request, "speaker.html", title=found["name"], s=found, chart=chart, mix_chart=mix)

    @app.get("/api/publishers", tags=["corpus"], summary="Publishers and their sourcing profiles")
    def api_publishers() -> dict[str, Any]:
        return {"publishers": corpus.publishers()}

    @app.get("/publishers", response_class=HTMLResponse, include_in_schema=False)
    def publishers_page(request: Request) -> Response:
        rows = corpus.publishers()
        for row in rows:
            row["chart"] = charts.stacked(row["mix"], label=f"sourcing of {row['name']}")
        return page(request, "publishers.html", title="Publishers", publishers=rows)

    @app.get("/api/publishers/{name:path}", tags=["corpus"], summary="One publisher's sourcing profile")
    def api_publisher(name: str) -> dict[str, Any]:
        return found_or_404(corpus.publisher(name), f"publisher {name!r}")

    @app.get("/publishers/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def publisher_page(request: Request, name: str) -> Response:
        found = found_or_404(corpus.publisher(name), f"publisher {name!r}")
        context = {
            "mix_chart": charts.stacked(found["mix"], label="sourcing categories"),
            "type_chart": charts.bars(list(found["types"].items()), label="attribution types"),
            "speaker_chart": charts.bars(
                [(s["name"], s["count"]) for s in found["top_speakers"]], label="most quoted speakers"
            ),
            "timeline": charts.timeline(found["timeline"], label="articles per month"),
        }
        return page(request, "publisher.html", title=found["name"], p=found, **context)

    @app.get("/api/quotes", tags=["corpus"], summary="Search quotes by words in their content")
    def api_quotes(
        q: str = Query("", max_length=200, description="Words that the quote's content contains."),
        speaker: str = Query("", max_length=200, description="Substring of the speaker's name."),
        limit: int = Query(50, ge=1, le=500),
        offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        return corpus.quotes(q=q, speaker=speaker, limit=limit, offset=offset)

    @app.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
    def quotes_page(
        request: Request,
        q: str = Query("", max_length=200),
        speaker: str = Query("", max_length=200),
        offset: int = Query(0, ge=0),
    ) -> Response:
        result = corpus.quotes(q=q, speaker=speaker, limit=50, offset=offset)
        return page(request, "quotes.html", title="Quotes", q=q, speaker=speaker, **result)

    @app.get("/api/articles/{article_id}", tags=["corpus"], summary="One stored article record")
    def api_article(article_id: str) -> JSONResponse:
        record = found_or_404(corpus.article(article_id), f"article {article_id!r}")
        return JSONResponse(record)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> Response:
        record = found_or_404(corpus.article(article_id), f"article {article_id!r}")
        title = record["meta"].get("title") or article_id
        return page(
            request,
            "article.html",
            title=title,
            filename=_download_name(title),
            speaker_keys=corpus.speaker_keys(record),
            **render.page_context(record),
        )
