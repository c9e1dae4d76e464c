"""End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

A real uvicorn serves the app on 127.0.0.1; the page may fetch nothing from any other host.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.web.conftest import ARTICLES, keep_local, serve

SCREENSHOT = Path("/tmp/onrecord-ui.png")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(nlp):
    from onrecord.web.app import create_app

    yield from serve(create_app())


@pytest.fixture(scope="module")
def small_server(nlp):
    """A server with a 10 KB body limit, for the 413 page."""
    from onrecord.settings import Settings
    from onrecord.web.app import create_app

    yield from serve(create_app(settings=Settings(max_body_mb=0.01)))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    outside = keep_local(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.outside, page.dialogs = outside, dialogs
    yield page
    context.close()


def test_paste_highlight_click_download(page, server, tmp_path, bridge_text):
    page.goto(server + "/")
    page.fill("#text", bridge_text)
    page.fill("#published", "2031-05-08")
    page.click("#analyze")
    page.wait_for_selector("#article-text")

    highlights = page.locator("#article-text .q")
    assert highlights.count() >= 3
    speakers = page.locator("#speakers li .name").all_inner_texts()
    assert "Jonna Pell" in speakers and len(speakers) >= 3
    assert page.inner_text("#article-text") == bridge_text  # every character shown, none added

    # hovering shows a tooltip; clicking pins the attribution in the side panel
    quote = page.locator("#article-text .q", has_text="Nobody asked the ferry workers").first
    quote.hover()
    assert page.locator("#tip").is_visible()
    assert "Jonna Pell" in page.inner_text("#tip")
    quote.click()
    details = page.locator("#details-body")
    assert details.is_visible()
    text = details.inner_text()
    assert "Jonna Pell" in text and "direct" in text and "kind" in text and "via" in text
    assert page.locator("#article-text .active").count() >= 1

    # a nested report names its parent, and the link selects the parent
    nested = page.locator("#article-text .q.nest").first
    if nested.count():
        nested.click()
        parent = page.locator("#details-body a[data-go]")
        assert parent.count() == 1
        parent.click()
        assert page.locator("#details-body").inner_text()

    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    record = json.loads(saved.read_text(encoding="utf-8"))
    assert record["schema"] == "onrecord.article/1"
    assert record["text"] == bridge_text and record["meta"]["published"] == "2031-05-08"
    assert any(a["source"] and a["source"]["name"] == "Jonna Pell" for a in record["attributions"])

    quote.click()
    page.mouse.move(5, 5)  # tooltip away for the picture
    shot = tmp_path / "onrecord-ui.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copyfile(shot, SCREENSHOT)
    assert page.outside == [] and page.dialogs == []


def test_upload_html_file(page, server):
    page.goto(server + "/")
    page.set_input_files("#file", str(ARTICLES / "ferry-strike.html"))
    page.click("#analyze")
    page.wait_for_selector("#article-text")
    assert page.inner_text("h1") == "Ferry crews walk out over rosters"
    assert page.locator("#article-text .q").count() >= 1
    assert page.outside == []


def test_script_in_article_is_text(page, server):
    page.goto(server + "/")
    page.fill("#text", "<script>alert('owned')</script> “We will win,” the mayor said. <img src=x onerror=alert(2)>")
    page.click("#analyze")
    page.wait_for_selector("#article-text")
    assert "<script>alert('owned')</script>" in page.inner_text("#article-text")
    assert page.locator("#article-text img, #article-text script").count() == 0
    assert page.dialogs == [] and page.outside == []


def test_bad_input_shows_message(page, server):
    page.goto(server + "/")
    page.fill("#text", "   ")
    page.click("#analyze")
    assert "no article given" in page.inner_text(".error")


def test_413_page_names_the_limit_and_back_restores_the_text(page, small_server):
    long = "“We will reopen the bridge in May,” the mayor said on Monday. " * 200  # ~12 KB, over 10 KB
    page.goto(small_server + "/")
    page.fill("#text", long)
    page.fill("#published", "2031-05-08")
    page.click("#analyze")
    page.wait_for_selector("#back")
    assert "0.01 MB" in page.inner_text(".error") and "E201" in page.inner_text(".error")
    assert page.locator("link[href='/static/app.css']").count() == 1  # the site's layout, not a bare page
    assert page.locator("#draft-kept").is_visible()
    page.click("#back")
    page.wait_for_selector("#text")
    assert page.input_value("#text") == long and page.input_value("#published") == "2031-05-08"
    assert page.locator("#draft-restored").is_visible()

    page.fill("#text", "“Fine,” the mayor said.")  # an analysis that succeeds drops the kept copy
    page.click("#analyze")
    page.wait_for_selector("#article-text")
    page.goto(small_server + "/")
    assert page.input_value("#text") == "" and not page.locator("#draft-restored").is_visible()
    assert page.outside == [] and page.dialogs == []
