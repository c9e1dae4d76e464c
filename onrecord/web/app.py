"""The web app: an article page (paste or upload, see who said what), the JSON API, corpus pages.

`create_app` only assembles: it puts the shared values on `app.state` (settings, analyzer, corpus,
templates), adds the middleware (body limit, HEAD) and the error handlers, and mounts the routers of
`onrecord.web.routers`, whose routes are module-level functions.  Every asset is served from
`static/`; nothing is fetched from another host, so the UI works offline.  Article text is always
escaped (Jinja autoescape, and `render.highlight` escapes each piece it cuts).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from onrecord import __version__
from onrecord.settings import Settings
from onrecord.web import charts
from onrecord.web.analysis import Analyzer
from onrecord.web.deps import body_limit
from onrecord.web.middleware import BodyLimit, HeadAsGet
from onrecord.web.routers import article, corpus, meta, statements

HERE = Path(__file__).resolve().parent


def percent(share: float) -> str:
    return charts.percent(share)  # "<1%" for 1 in 332, not "0%"


def mix_chart(mix: dict[str, Any]) -> str:
    return charts.stacked(mix["parts"], label="sourcing mix")


def templates(settings: Settings, *, has_corpus: bool) -> Jinja2Templates:
    """The page templates, with what every page shows (version, body limit, whether corpus pages exist)."""
    found = Jinja2Templates(directory=str(HERE / "templates"))
    found.env.globals.update(
        version=__version__, has_corpus=has_corpus, max_body_mb=settings.max_body_mb, mix_chart=mix_chart
    )
    found.env.filters["pct"] = percent
    return found


def create_app(
    db: str | os.PathLike | None = None,
    *,
    settings: Settings | None = None,
) -> FastAPI:
    """The ASGI app.  `db`: a corpus store file (opened read-only) for the corpus pages, or None.

    `settings` (default: `Settings.from_env()`) holds every knob, the body limit (`max_body_mb`)
    included.
    """
    settings = settings or Settings.from_env()
    found = None
    if db is not None:
        from onrecord.web.corpus import open_corpus

        found = open_corpus(db)
    app = FastAPI(
        title="onrecord",
        version=__version__,
        description="Who said what: attribution records from news articles. "
        "`POST /api/analyze` returns the same record as `onrecord analyze`.",
        docs_url=None,  # Swagger UI loads its assets from a CDN; /api lists the endpoints instead
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.analyzer = Analyzer(settings)
    app.state.corpus = found
    app.state.templates = templates(settings, has_corpus=found is not None)
    app.add_middleware(BodyLimit, limit=body_limit(settings), refuse=meta.too_large)
    app.add_middleware(HeadAsGet)
    for exception, handler in meta.HANDLERS.items():
        app.add_exception_handler(exception, handler)
    app.include_router(article.router)
    app.include_router(meta.router)
    app.include_router(corpus.router if found is not None else corpus.absent)
    app.include_router(statements.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app
