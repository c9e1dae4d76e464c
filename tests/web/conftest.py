"""Web fixtures: the app in-process (TestClient), test articles, and an HTML checker for remote assets."""

from __future__ import annotations

import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # starlette's TestClient warns that it will move from httpx to httpx2; httpx is what we pin
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ARTICLES = Path(__file__).parent / "articles"
BRIDGE = ARTICLES / "bridge-vote.txt"


@pytest.fixture(scope="session")
def app(nlp):
    from onrecord.web.app import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def bridge_text() -> str:
    return BRIDGE.read_text(encoding="utf-8")


class Links(HTMLParser):
    """Every src/href/action/srcset (with its tag and class) in an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data", "formaction"):
            if values.get(name):
                self.found.append((tag, name, values[name], values.get("class") or ""))


def remote_assets(html: str) -> list[tuple[str, str, str]]:
    """Links to other hosts, except an article's own URL (a.article-url, a.source-url)."""
    parser = Links()
    parser.feed(html)
    remote = []
    for tag, name, value, cls in parser.found:
        target = value.strip().lower()
        if target.startswith(("http://", "https://", "//")):
            if tag == "a" and name == "href" and ({"article-url", "source-url"} & set(cls.split())):
                continue
            remote.append((tag, name, value))
    return remote
