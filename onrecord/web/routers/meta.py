"""The service routes (`/health`, the `/api` page) and every error answer the app gives.

Each failure a user can cause ends as a 4xx with a coded message (`{"detail", "code"}` from the API,
a page in the site's layout otherwise); anything else is a 500 whose details go to the log, never to
the client.  `too_large` answers the body limit's 413 (see `onrecord.web.middleware.BodyLimit`).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from onrecord import __version__
from onrecord.errors import Errors, OnrecordError
from onrecord.web.deps import error_response, page, split_code, status_of, wants_json

log = logging.getLogger("onrecord.web")
router = APIRouter()


@router.get("/health", tags=["service"], summary="Liveness and corpus status")
async def health(request: Request) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "corpus": request.app.state.corpus is not None}


@router.get("/api", response_class=HTMLResponse, include_in_schema=False)
async def api_page(request: Request) -> Response:
    """Every endpoint of the OpenAPI schema as a page (Swagger UI would load its assets from a CDN)."""
    schema = request.app.openapi()
    routes = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "doc": op.get("description", "")}
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    ]
    return page(request, "api.html", routes=routes, title="API")


def coded_response(request: Request, status: int, template: str) -> Response:
    """The error answer for a formatted template ("[E123] …")."""
    code, message = split_code(template)
    return error_response(request, status, code or "E205", message)


async def onrecord_error(request: Request, exc: OnrecordError) -> Response:
    return error_response(request, status_of(exc), exc.code, exc.message)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """422 naming each bad field and why (FastAPI's validation of query, path and body)."""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in exc.errors()
    )
    return coded_response(request, 422, Errors.E200.format(problems=problems))


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Coded details pass through (a 404 from a corpus lookup); Starlette's own ones get a code here."""
    code, message = split_code(str(exc.detail))
    if code is not None:
        response = error_response(request, exc.status_code, code, message)
    elif exc.status_code == 404:
        response = coded_response(request, 404, Errors.E202.format(path=request.url.path))
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        template = Errors.E203.format(method=request.method, path=request.url.path, allowed=allowed or "none")
        response = coded_response(request, 405, template)
    else:
        response = coded_response(request, exc.status_code, Errors.E204.format(detail=exc.detail))
    response.headers.update(exc.headers or {})
    return response


async def crashed(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    return coded_response(request, 500, Errors.E205)


HANDLERS: dict[Any, Any] = {
    OnrecordError: onrecord_error,
    RequestValidationError: invalid_request,
    HTTPException: http_error,
    Exception: crashed,
}


async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
    """413 naming the limit: JSON for the API, a page in the site's layout for the form.

    The rejected body is never read, so the pasted text cannot come back from the server; the page
    says so, and static/app.js restores the draft it kept in this browser's sessionStorage.
    """
    request = Request(scope, receive)
    code, message = split_code(Errors.E201.format(limit=request.app.state.settings.max_body_mb))
    if wants_json(request):
        response: Response = JSONResponse({"detail": message, "code": code}, status_code=413)
    else:
        response = page(request, "too_large.html", 413, code=code, message=message, title="Too large")
    await response(scope, receive, send)
