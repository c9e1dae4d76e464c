"""The web UI and JSON API (`onrecord serve`): FastAPI app in `app.py`, corpus queries in `corpus.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onrecord.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # FastAPI is imported only when the web app is wanted, so `onrecord --help` stays fast.
    if name == "create_app":
        from onrecord.web.app import create_app

        return create_app
    raise AttributeError(f"module 'onrecord.web' has no attribute {name!r}")
