"""Web fixtures: the app in-process (TestClient) and served by a real uvicorn, over no corpus or the shared test
corpus (`corpus_db`, a real DuckDB file); Debian's Chromium through Playwright; `onrecord query` as a user runs
it; test articles, and an HTML checker for remote assets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

with warnings.catch_warnings():
    # starlette's TestClient warns that it will move from httpx to httpx2; httpx is what we pin
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ARTICLES = Path(__file__).parent / "articles"
BRIDGE = ARTICLES / "bridge-vote.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def app(nlp):
    from onrecord.web.app import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def corpus_client(corpus_db):
    """The app over the shared test corpus, in process; a server error is raised in the test."""
    from onrecord.web.app import create_app

    with TestClient(create_app(corpus_db)) as client:
        yield client


def serve(app):
    """A real uvicorn serving `app` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def corpus_server(corpus_db):
    """A real uvicorn serving the app over the shared test corpus; its base URL."""
    from onrecord.web.app import create_app

    yield from serve(create_app(corpus_db))


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium via Playwright (never a downloaded browser); missing: a skip (on CI, a failure)."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def keep_local(page) -> list[str]:
    """Let `page` fetch only from 127.0.0.1 (and blob: / data:); what it tried to fetch elsewhere, each aborted."""
    outside: list[str] = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("blob:", "data:")) or urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    return outside


def onrecord_query(db, *args: str) -> str:
    """`onrecord query …` as a user runs it: its stdout, byte for byte."""
    result = subprocess.run(
        [sys.executable, "-m", "onrecord.cli", "query", *args, "--db", str(db)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


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
