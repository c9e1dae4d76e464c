"""Every route of the web app in-process (FastAPI TestClient): pages, API, limits and errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape

import pytest

from tests.web.conftest import ARTICLES, BRIDGE, TestClient, remote_assets

PUBLISHED = "2031-05-08"


def embedded_record(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="record-json">(.*?)</script>', html, re.S)
    assert found, "the page embeds the record for the download button"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def analyzed(client, bridge_text):
    response = client.post("/analyze", data={"text": bridge_text, "published": PUBLISHED})
    assert response.status_code == 200, response.text
    return response.text


def test_start_page_has_the_form(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<form class="analyze" method="post" action="/analyze" enctype="multipart/form-data">' in html
    assert 'name="text"' in html and 'name="file"' in html and 'name="published"' in html
    assert remote_assets(html) == []


def test_article_page_highlights_quotes_and_lists_speakers(analyzed, bridge_text):
    html = analyzed
    assert html.count('class="q c') >= 3
    assert 'class="src s' in html and 'class="cue' in html
    assert 'id="speakers"' in html and "Jonna Pell" in html and "Brandt" in html
    assert "Sourcing mix" in html and "Relayed through" in html
    assert 'id="download"' in html
    assert 'class="rep"' in html and "Verhoevsaid" in html  # the glued word is marked
    record = embedded_record(html)
    assert record["text"] == bridge_text and record["meta"]["published"] == PUBLISHED
    assert remote_assets(html) == []
    # the highlighted text is exactly the article once the markup is gone
    body = re.search(r'<article id="article-text" class="article-text">(.*?)</article>', html, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", body)) == bridge_text


def test_api_returns_the_same_record_as_the_cli(client, bridge_text):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cli = subprocess.run(
        [sys.executable, "-m", "onrecord.cli", "analyze", str(BRIDGE), "--published", PUBLISHED],
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr.decode()
    response = client.post("/api/analyze", json={"text": bridge_text, "published": PUBLISHED})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == json.loads(cli.stdout)


def test_page_and_api_agree(client, analyzed, bridge_text):
    api = client.post("/api/analyze", json={"text": bridge_text, "published": PUBLISHED}).json()
    assert embedded_record(analyzed) == api


def test_api_html_input_extracts_the_article(client):
    html = (ARTICLES / "ferry-strike.html").read_text(encoding="utf-8")
    record = client.post("/api/analyze", json={"html": html, "publisher": "Ledger"}).json()
    assert record["schema"] == "onrecord.article/1"
    assert record["meta"]["title"] == "Ferry crews walk out over rosters"
    assert record["meta"]["publisher"] == "Ledger"
    assert "<p>" not in record["text"] and "Jonna Pell" in record["text"]


def test_upload_html_file_shows_title_and_article_link(client):
    data = (ARTICLES / "ferry-strike.html").read_bytes()
    response = client.post("/analyze", files={"file": ("ferry-strike.html", data, "text/html")})
    assert response.status_code == 200, response.text
    html = response.text
    assert "<h1>Ferry crews walk out over rosters</h1>" in html
    assert 'class="article-url" href="https://ledger.example/2031/05/ferry-strike"' in html
    assert remote_assets(html) == []  # the article's own URL is the one allowed link out


def test_upload_txt_file(client, bridge_text):
    response = client.post(
        "/analyze", files={"file": ("bridge.txt", bridge_text.encode(), "text/plain")}, data={"text": ""}
    )
    assert response.status_code == 200
    assert "<h1>bridge</h1>" in response.text
    assert embedded_record(response.text)["text"] == bridge_text


def test_injected_script_is_shown_as_text(client):
    text = "<script>alert('owned')</script> “We will <b>win</b>,” the mayor said. <img src=x onerror=alert(1)>"
    html = client.post("/analyze", data={"text": text}).text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>win</b>" not in html
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('owned')" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert embedded_record(html)["text"] == text  # the embedded JSON is escaped too, and decodes back
    api = client.post("/api/analyze", json={"text": text}).json()
    assert api["text"] == text


@pytest.mark.parametrize(
    ("data", "files", "status", "needle"),
    [
        ({"text": "   "}, None, 400, "no article given"),
        ({"text": "The mayor said it was fine.", "published": "08/05/2031"}, None, 422, "YYYY-MM-DD"),
        ({"text": ""}, {"file": ("notes.pdf", b"%PDF-1.4", "application/pdf")}, 400, "choose a .txt or .html"),
        ({}, {"file": ("blob.txt", bytes(range(256)) * 4, "text/plain")}, 400, "binary"),
        ({}, {"file": ("nav.html", b"<html><body><nav>Home</nav></body></html>", "text/html")}, 400, "no article"),
    ],
)
def test_bad_form_input_is_a_clear_4xx(client, data, files, status, needle):
    response = client.post("/analyze", data=data, files=files)
    assert response.status_code == status
    assert needle in unescape(response.text)
    assert "Traceback" not in response.text
    assert 'role="alert"' in response.text  # shown on the form page, input kept


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({}, 400, "no article given"),
        ({"text": ""}, 400, "no article given"),
        ({"text": "a", "html": "<p>b</p>"}, 422, "either text or html"),
        ({"text": "The mayor said so.", "published": "tomorrow"}, 422, "YYYY-MM-DD"),
        ({"text": 42}, 422, "text"),
        ({"html": "<html><body><nav>Home</nav></body></html>"}, 400, "no article text"),
    ],
)
def test_bad_api_input_is_a_clear_4xx(client, body, status, needle):
    response = client.post("/api/analyze", json=body)
    assert response.status_code == status, response.text
    assert needle in response.json()["detail"]


def test_malformed_json_is_422(client):
    response = client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "detail" in response.json()


def test_body_limit_gives_413(nlp):
    from onrecord.settings import Settings
    from onrecord.web.app import create_app

    small = TestClient(create_app(settings=Settings(max_body_mb=0.01)))
    big = "The mayor said so. " * 1000  # ~19 KB > 10 KB
    response = small.post("/api/analyze", json={"text": big})
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    page = small.post("/analyze", data={"text": big})
    assert page.status_code == 413 and "limit" in page.text

    def chunks():  # no Content-Length: the limit is counted as the body streams in
        for _ in range(20):
            yield b"x" * 1024

    streamed = small.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert small.post("/api/analyze", json={"text": "“Fine,” the mayor said."}).status_code == 200


def test_unexpected_failure_is_a_500_without_traceback(nlp, monkeypatch):
    from onrecord.web.app import create_app

    app = create_app()

    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.state.analyzer, "analyze", boom)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post("/api/analyze", json={"text": "The mayor said so."})
    assert response.status_code == 500 and response.json()["code"] == "E205"
    assert "secret" not in response.text and "Traceback" not in response.text
    page = client.post("/analyze", data={"text": "The mayor said so."})
    assert page.status_code == 500 and "Traceback" not in page.text


def test_openapi_and_api_page(client):
    schema = client.get("/openapi.json").json()
    assert "/api/analyze" in schema["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    assert client.get("/redoc").status_code == 404
    page = client.get("/api")
    assert page.status_code == 200 and "/api/analyze" in page.text
    assert remote_assets(page.text) == []


def test_health_and_unknown_routes(client):
    assert client.get("/health").json()["status"] == "ok"
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "Traceback" not in missing.text
    assert remote_assets(missing.text) == []
    assert client.get("/api/nothing").json()["detail"]


def test_corpus_pages_without_a_db_say_how_to_get_one(client):
    for path in ("/speakers", "/publishers", "/quotes", "/speakers/x", "/articles/abc"):
        response = client.get(path)
        assert response.status_code == 404 and "--db" in response.text and "E199" in response.text
    for path in ("/api/speakers", "/api/quotes?offset=3", "/api/publishers/x", "/api/articles/abc"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "E199"
    assert "/api/speakers" not in client.get("/openapi.json").json()["paths"]


def test_routes_are_module_level_functions_that_run_alone():
    """A route is an importable function: called with its own values, no app and no closure needed."""
    from starlette.exceptions import HTTPException

    from onrecord.store.queries import Filters
    from onrecord.web.routers import article, corpus

    class Corpus:
        def speakers(self, f):
            return {"asked": f}

        def publisher(self, name, f=None):
            return None

    # the filter form is a plain function too: the page's GET parameters → the CLI's Filters
    f = corpus.speaker_filters(q="pell", sort="name", order="asc", offset=3)
    found = corpus.api_speakers(Corpus(), f, limit=7)
    assert found == {"asked": Filters(name="pell", sort="name", order="asc", offset=3, limit=7)}
    with pytest.raises(HTTPException) as caught:
        corpus.api_publisher("Nobody", Corpus(), corpus.article_filters())
    assert caught.value.status_code == 404 and caught.value.detail.startswith("[E198]")
    assert article.download_name("Ferry crews walk out!") == "ferry-crews-walk-out.onrecord.json"


def test_errors_carry_their_code(client):
    assert client.post("/api/analyze", json={}).json()["code"] == "E190"
    assert client.get("/api/nothing").json()["code"] == "E202"
    wrong = client.get("/api/analyze")
    assert wrong.status_code == 405 and wrong.json()["code"] == "E203" and "POST" in wrong.headers["allow"]
    assert client.get("/health", params={"x": "y"}).status_code == 200


def test_static_assets_are_local_and_fetch_nothing(client):
    for path in ("/static/app.css", "/static/app.js", "/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.text
        assert "@import" not in body and "url(http" not in body and "fetch(" not in body
        if not path.endswith(".svg"):  # the SVG's xmlns is a name, not a request
            assert "http://" not in body and "https://" not in body


# --- the article page: quotes in place, a table with to whom / when / act, speakers apart from the rest ----


def test_every_quote_has_its_anchor_in_the_text_and_its_row_links_to_it(analyzed):
    """A quote link (#a3) lands on the quote in the text: the id is an anchor there, the row is row-a3."""
    record = embedded_record(analyzed)
    body = re.search(r'<article id="article-text" class="article-text">(.*?)</article>', analyzed, re.S).group(1)
    for a in record["attributions"]:
        assert f'<span class="anchor" id="{a["id"]}"></span>' in body, a["id"]
        assert f'<tr id="row-{a["id"]}" data-a="{a["id"]}">' in analyzed
        assert f'<a href="#{a["id"]}" class="to-text"' in analyzed
    assert len(re.findall(r'\bid="a\d+"', analyzed)) == len(record["attributions"])  # ids used once, in the text


def test_the_table_has_to_whom_when_and_act(analyzed):
    head = re.search(
        r'<table class="grid attributions cards" id="attribution-table">\s*<thead>(.*?)</thead>', analyzed, re.S
    )
    columns = re.findall(r"<th>(.*?)</th>", head.group(1))
    assert columns == ["id", "speaker", "to whom", "when", "type", "act", "cue", "content"]
    record = embedded_record(analyzed)
    told = next(a for a in record["attributions"] if a.get("to"))  # Brandt told ministers
    row = re.search(rf'<tr id="row-{told["id"]}".*?</tr>', analyzed, re.S).group(0)
    assert f'data-label="to whom">{told["to"]["name"]}</td>' in row
    assert f'data-label="act">{told["act"]}</td>' in row


def test_speakers_have_their_own_colour_number_and_legend(analyzed):
    record = embedded_record(analyzed)
    style = re.search(r'<style id="speaker-colours">(.*?)</style>', analyzed, re.S).group(1)
    tints = re.findall(r"\.c(\d+)\{--tint:(#[0-9a-f]{6});", style)
    legend = re.findall(r'<li data-ids="([^"]*)" data-n="(\d+)"', analyzed)
    speakers = {(a["source"] or {}).get("key") for a in record["attributions"] if a.get("source")}
    assert len(legend) == len(tints) == len(speakers) >= 3
    assert len({tint for _, tint in tints}) == len(tints)  # no two speakers share a colour
    assert [int(n) for _, n in legend] == list(range(1, len(legend) + 1))
    assert "(no source found)" not in analyzed


def render_page(app, record: dict, title: str) -> str:
    """article.html for a hand-made record, through the app's own templates."""
    from onrecord.web import render

    template = app.state.templates.env.get_template("article.html")
    return template.render(title=title, filename="x.onrecord.json", **render.page_context(record))


def test_attributions_without_a_source_are_listed_apart_as_not_resolved(app):
    text = "“The bridge will open in May,” the mayor said. It was said that the ferry would stop."
    first = text.index("“The bridge")
    later = text.index("the ferry would stop")
    record = {
        "text": text,
        "meta": {"title": "Two quotes"},
        "attributions": [
            {
                "id": "a1",
                "type": "direct",
                "act": "speech",
                "content": {"start": first, "end": text.index(" the mayor"), "text": "", "segments": []},
                "cue": {"start": text.index("said"), "end": text.index("said") + 4, "text": "said"},
                "source": {"name": "the mayor", "kind": "unnamed", "mention": None},
                "via": [],
            },
            {
                "id": "a2",
                "type": "indirect",
                "act": "speech",
                "content": {"start": later, "end": len(text) - 1, "text": "", "segments": []},
                "cue": None,
                "source": None,
                "via": [],
            },
        ],
    }
    html = render_page(app, record, "Two quotes")
    legend = re.search(r'<ol class="speaker-legend".*?</ol>', html, re.S).group(0)
    assert "the mayor" in legend and "not resolved" not in legend and "no source" not in legend
    assert "(no source found)" not in html
    resolved = re.search(r'id="attribution-table">.*?</table>', html, re.S).group(0)
    apart = re.search(r'id="unresolved-table">.*?</table>', html, re.S).group(0)
    assert 'id="row-a1"' in resolved and 'id="row-a2"' not in resolved
    assert 'id="row-a2"' in apart and "not resolved" in apart
    assert '<h2 id="not-resolved">Not resolved' in html


def test_a_title_less_article_is_headed_by_a_short_hash_with_the_full_one_kept(app, bridge_text):
    record = {"text": bridge_text, "meta": {"title": None}, "attributions": []}
    digest = "ab" * 32
    html = render_page(app, record, digest)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert digest not in re.sub(r'title="[^"]*"', "", heading)  # 64 characters would overflow the heading
    assert f'title="{digest}">{digest[:12]}…' in heading
    assert f"<code>{digest}</code>" in html  # selectable beside it
    titled = render_page(app, {**record, "meta": {"title": "Bridge vote"}}, "Bridge vote")
    assert "<h1>Bridge vote</h1>" in titled


def test_a_long_file_name_is_not_taken_for_a_hash(app, bridge_text):
    record = {"text": bridge_text, "meta": {"title": None}, "attributions": []}
    name = "council-minutes-of-the-harbour-hearing-on-thursday-evening-final-v2"
    assert f"<h1>{name}</h1>" in render_page(app, record, name)
