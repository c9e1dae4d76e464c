"""What every router shares, obtained from the app (`request.app.state`) rather than captured in closures.

`create_app` puts the settings, the analyzer, the corpus (or None) and the templates on `app.state`;
routes ask for them through the FastAPI dependencies below, so each route is a plain module-level
function that a test can import and call with its own values.  Paging parameters share one range
(`Offset`), so no number a user types can reach a query as an out-of-range integer.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from onrecord.errors import CorpusUnavailable, Errors, ModelError, OnrecordError, OptionError, StoreError
from onrecord.settings import Settings
from onrecord.web.analysis import Analyzer

MAX_OFFSET = 1_000_000_000  # far past any corpus; DuckDB's OFFSET takes a signed 64-bit integer
MEGABYTE = 1024 * 1024
_CODED = re.compile(r"^\[(E\d{3})\] (.*)$", re.S)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_analyzer(request: Request) -> Analyzer:
    return request.app.state.analyzer


def get_corpus(request: Request) -> Any:
    """The read-only corpus query object; a 404 saying how to get one when the server has none."""
    corpus = request.app.state.corpus
    if corpus is None:
        raise HTTPException(404, Errors.E199)
    return corpus


SettingsDep = Annotated[Settings, Depends(get_settings)]
AnalyzerDep = Annotated[Analyzer, Depends(get_analyzer)]
CorpusDep = Annotated[Any, Depends(get_corpus)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (0 to 1,000,000,000).")]
Search = Annotated[str, Query(max_length=200)]


def body_limit(settings: Settings) -> int:
    """The request body limit in bytes, from `Settings.max_body_mb`."""
    return int(settings.max_body_mb * MEGABYTE)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page rendered in the site's layout with the app's templates."""
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def wants_json(request: Request) -> bool:
    """API paths answer errors as JSON; pages answer them as a page in the site's layout."""
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """`{"detail", "code"}` for the API, the error page otherwise; every error a user sees has its code."""
    if wants_json(request):
        return JSONResponse({"detail": message, "code": code}, status_code=status)
    return page(request, "error.html", status, status=status, code=code, message=message, title=str(status))


def status_of(exc: OnrecordError) -> int:
    """The HTTP status of a user-fixable error: bad option 422, model or store unavailable 503, else 400."""
    if isinstance(exc, OptionError):
        return 422
    if isinstance(exc, ModelError | StoreError | CorpusUnavailable):
        return 503
    return 400


def split_code(text: str) -> tuple[str | None, str]:
    """("E123", "message") from a formatted template "[E123] message"; (None, text) from anything else."""
    found = _CODED.match(text)
    return (found.group(1), found.group(2)) if found else (None, text)
