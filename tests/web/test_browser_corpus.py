"""The corpus lists end to end in Debian's headless Chromium (Playwright), served by a real uvicorn.

Filters on /quotes narrow the rows to what `onrecord query quotes` gives for the same filters, the
CSV download is the CLI's CSV byte for byte, /articles reaches every stored article by its pager, and
no corpus page scrolls sideways at 390 px.  Screenshots at 1400 and 390 px go to test-artifacts/.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import stored_hashes
from tests.web.conftest import keep_local, onrecord_query

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LEDGER_DIRECT = ("quotes", "--publisher", "Harbourton Ledger", "--type", "direct", "--limit", "0")


def new_page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.outside = keep_local(page)
    return context, page


def test_quote_filters_and_the_csv_download_match_the_cli(browser, corpus_server, corpus_db, tmp_path):
    context, page = new_page(browser, 1400)
    try:
        page.goto(corpus_server + "/quotes")
        every = page.locator("#quotes blockquote").count()
        page.fill("form.filters input[name=publisher]", "Harbourton Ledger")
        page.select_option("form.filters select[name=type]", "direct")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**/quotes?*type=direct*")
        shown = page.locator("#quotes blockquote").all_inner_texts()
        expected = json.loads(onrecord_query(corpus_db, *LEDGER_DIRECT, "--format", "json"))
        assert 0 < len(shown) < every
        assert shown == [r["content"].strip() for r in expected]
        with page.expect_download() as started:
            page.click(".downloads a:text('CSV')")
        saved = tmp_path / "quotes.csv"
        started.value.save_as(saved)
        expected_csv = onrecord_query(corpus_db, *LEDGER_DIRECT, "--format", "csv")
        assert saved.read_bytes().decode("utf-8") == expected_csv
        assert page.outside == []
    finally:
        context.close()


def test_articles_reach_every_stored_article(browser, corpus_server, corpus_db):
    stored = set(stored_hashes(corpus_db).values())
    context, page = new_page(browser, 1400)
    try:
        seen: set[str] = set()
        page.goto(corpus_server + "/articles")
        while True:
            hrefs = page.locator("#article-table a[href^='/articles/']").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
            seen |= {h.rsplit("/", 1)[1] for h in hrefs}
            following = page.locator(".pager a[rel=next]")
            if not following.count():
                break
            following.click()
        assert seen == stored
        first = sorted(stored)[0]
        page.goto(corpus_server + f"/articles/{first}")
        assert page.locator("h1").count() == 1
    finally:
        context.close()


PAGES = ["/quotes", "/speakers", "/publishers", "/articles", "/quotes?q=boats", "/statements"]


def test_no_sideways_scroll_at_390_px_and_screenshots(browser, corpus_server, corpus_db):
    ARTIFACTS.mkdir(exist_ok=True)
    con = __import__("duckdb").connect(str(corpus_db), read_only=True)
    publisher = con.execute("SELECT publisher FROM articles WHERE publisher IS NOT NULL LIMIT 1").fetchone()[0]
    con.close()
    paths = [*PAGES, "/publishers/" + quote(publisher)]
    for width in (1400, 390):
        context, page = new_page(browser, width)
        try:
            page.goto(corpus_server + "/speakers")
            key = page.locator("#speaker-table tbody a").first.get_attribute("href")
            page.goto(corpus_server + "/statements")
            statement = page.locator('#statements tbody a[href^="/statements/"]').first.get_attribute("href")
            for path in [*paths, key, statement]:
                page.goto(corpus_server + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if width == 390:
                    assert overflow <= 0, (path, overflow)
                name = path.strip("/").replace("/", "_").replace("?", "_").replace("%", "") or "home"
                page.screenshot(path=str(ARTIFACTS / f"corpus-{name[:60]}-{width}.png"), full_page=True)
            assert page.outside == []
        finally:
            context.close()
