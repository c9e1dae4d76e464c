"""ASGI middleware of the web app: the request body limit, and HEAD answered like GET.

Both work below FastAPI's routing on purpose: the body limit must refuse an oversized upload before
any route reads it, and HEAD must work for every GET route (FastAPI's routes declare GET only, so
HEAD was a 405) without each route listing it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Refuse = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Replay:
    """A `receive` that hands the buffered body over once, then defers to the real one (disconnects)."""

    def __init__(self, body: bytes, receive: Receive) -> None:
        self.body: bytes | None = body
        self.receive = receive

    async def __call__(self) -> Message:
        if self.body is not None:
            body, self.body = self.body, None
            return {"type": "http.request", "body": body, "more_body": False}
        return await self.receive()


class BodyLimit:
    """Refuse request bodies over `limit` bytes (413 via `refuse`), whether announced by Content-Length or not."""

    def __init__(self, app: ASGIApp, limit: int, refuse: Refuse) -> None:
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
        await self.app(scope, _Replay(b"".join(chunks), receive), send)


class _HeadersOnly:
    """A `send` that passes the response start on and replaces the body with one empty final message."""

    def __init__(self, send: Send) -> None:
        self.send = send

    async def __call__(self, message: Message) -> None:
        if message["type"] != "http.response.body":
            await self.send(message)
        elif not message.get("more_body", False):
            await self.send({"type": "http.response.body", "body": b"", "more_body": False})


class HeadAsGet:
    """Answer HEAD like GET (same status and headers, Content-Length included) without a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        await self.app({**scope, "method": "GET"}, receive, _HeadersOnly(send))
