"""Corpus pages and their JSON twins over a database built through the store's real ingest path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest

from tests.conftest import stored_hashes
from tests.web.conftest import onrecord_query, remote_assets

pytest.importorskip("onrecord.store.ingest", reason="the corpus store (onrecord/store) is not here yet")


@pytest.fixture(scope="module")
def hashes(corpus_db) -> dict[str, str]:
    """Article name (the JSONL id) → content hash, read straight from the database."""
    return stored_hashes(corpus_db)


def speaker_key(client, name: str) -> str:
    found = client.get("/api/speakers", params={"q": name}).json()["speakers"]
    return next(s["key"] for s in found if s["name"] == name)


def test_speakers_page_lists_counts_and_kinds(corpus_client):
    html = corpus_client.get("/speakers").text
    assert 'id="speaker-table"' in html
    assert "Jonna Pell" in html and "named person" in html
    # descriptions (unnamed and anonymous sources) are kept per article, never ranked as speakers
    assert "@" not in "".join(s["key"] for s in corpus_client.get("/api/speakers").json()["speakers"])
    assert "6 articles" in html
    assert remote_assets(html) == []


def test_speakers_search_sort_and_page(corpus_client):
    data = corpus_client.get("/api/speakers", params={"q": "pell"}).json()
    assert [s["name"] for s in data["speakers"]] == ["Jonna Pell"]
    assert data["speakers"][0]["attributions"] == 2 and data["speakers"][0]["publishers"] == 2
    by_name = corpus_client.get("/api/speakers", params={"sort": "name", "order": "asc"}).json()["speakers"]
    names = [s["name"].lower() for s in by_name]
    assert names == sorted(names)
    by_count = corpus_client.get("/api/speakers").json()
    counts = [s["attributions"] for s in by_count["speakers"]]
    assert counts == sorted(counts, reverse=True)
    first = corpus_client.get("/api/speakers", params={"limit": 2}).json()
    second = corpus_client.get("/api/speakers", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == by_count["total"] >= 5
    assert first["speakers"] == by_count["speakers"][:2] and second["speakers"] == by_count["speakers"][2:4]
    page = corpus_client.get("/speakers", params={"q": "brandt", "sort": "name", "order": "asc"}).text
    assert "Brandt" in page and "Jonna Pell" not in page
    assert corpus_client.get("/api/speakers", params={"q": "nobody-like-this"}).json()["total"] == 0


def test_speaker_page_has_quotes_linked_to_articles_and_a_timeline(corpus_client, hashes):
    key = speaker_key(corpus_client, "Jonna Pell")
    page = corpus_client.get("/speakers/" + quote(key))
    assert page.status_code == 200
    html = page.text
    assert "<svg" in html and 'class="chart timeline"' in html
    assert "We cannot run boats with half a crew" in html and "The talks were hard but honest" in html
    assert f'href="/articles/{hashes["ledger-002"]}#' in html and f'href="/articles/{hashes["post-001"]}#' in html
    assert remote_assets(html) == []
    data = corpus_client.get("/api/speakers/" + quote(key)).json()
    assert data["attributions"] == 2 and data["timeline"] == {"2031-02": 2}
    assert {q["article"] for q in data["quotes"]} == {hashes["ledger-002"], hashes["post-001"]}


def test_publishers_and_publisher_profile(corpus_client, hashes):
    html = corpus_client.get("/publishers").text
    assert "Harbourton Ledger" in html and "Northport Post" in html and "(unknown)" in html
    assert html.count('class="chart stacked"') == 3
    assert remote_assets(html) == []
    rows = {p["name"]: p for p in corpus_client.get("/api/publishers").json()["publishers"]}
    assert rows["Harbourton Ledger"]["articles"] == 3 and rows["Northport Post"]["articles"] == 2
    assert sum(p["count"] for p in rows["Harbourton Ledger"]["mix"]) == rows["Harbourton Ledger"]["attributions"]

    profile = corpus_client.get("/publishers/" + quote("Harbourton Ledger"))
    assert profile.status_code == 200
    assert profile.text.count("<svg") >= 3
    assert f'href="/articles/{hashes["ledger-001"]}"' in profile.text
    assert remote_assets(profile.text) == []
    data = corpus_client.get("/api/publishers/" + quote("Harbourton Ledger")).json()
    assert data["articles"] == 3 and set(data["timeline"]) == {"2031-01", "2031-02", "2031-04"}
    assert sum(data["types"].values()) == data["attributions"]
    unknown = corpus_client.get("/api/publishers/(unknown)").json()
    assert unknown["articles"] == 1


def test_quote_search(corpus_client):
    data = corpus_client.get("/api/quotes", params={"q": "boats crew"}).json()
    assert data["total"] == 1 and data["quotes"][0]["speaker"] == "Jonna Pell"
    by_speaker = corpus_client.get("/api/quotes", params={"speaker": "pell"}).json()
    assert by_speaker["total"] == 2
    html = corpus_client.get("/quotes", params={"q": "bridge"}).text
    assert 'id="quotes"' in html and "bridge" in html.lower()
    assert 'class="source-url" href="https://ledger.example/2031/01/bridge"' in html  # article URL: allowed
    assert remote_assets(html) == []
    hostile = corpus_client.get("/api/quotes", params={"q": "'; DROP TABLE articles; --"})
    assert hostile.status_code == 200 and hostile.json()["total"] == 0
    assert corpus_client.get("/api/corpus").json()["articles"] == 6


def test_stored_article_page_and_record(corpus_client, hashes):
    article_hash = hashes["ledger-003"]
    record = corpus_client.get(f"/api/articles/{article_hash}").json()
    assert record["schema"] == "onrecord.article/1" and record["meta"]["title"] == "Bridge costs rise"
    html = corpus_client.get(f"/articles/{article_hash}").text
    assert "<h1>Bridge costs rise</h1>" in html and 'class="q c' in html
    assert 'href="/speakers/' in html and 'href="/publishers/Harbourton%20Ledger"' in html
    assert remote_assets(html) == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/speakers/nobody%3Ahere", 404),
        ("/api/speakers/nobody%3Ahere", 404),
        ("/publishers/No%20Such%20Paper", 404),
        ("/api/publishers/No%20Such%20Paper", 404),
        ("/articles/0000", 404),
        ("/api/articles/0000", 404),
        ("/api/speakers?sort=evil", 422),
        ("/speakers?order=sideways", 422),
        ("/api/quotes?limit=0", 422),
        ("/api/speakers?offset=9223372036854775808", 422),
        ("/speakers?offset=9223372036854775808", 422),
        ("/api/quotes?offset=9223372036854775808", 422),
        ("/quotes?offset=9223372036854775808", 422),
    ],
)
def test_bad_corpus_requests_are_clear_4xx(corpus_client, path, status):
    response = corpus_client.get(path)
    assert response.status_code == status
    assert "Traceback" not in response.text
    if path.startswith("/api/"):
        assert response.json()["detail"]


def test_the_database_is_only_read(corpus_db, corpus_client):
    before = (corpus_db.stat().st_size, corpus_db.stat().st_mtime_ns)
    for path in ("/speakers", "/publishers", "/quotes?q=bridge", "/api/corpus"):
        assert corpus_client.get(path).status_code == 200
    assert (corpus_db.stat().st_size, corpus_db.stat().st_mtime_ns) == before


def test_a_locked_database_is_a_503_with_the_stores_message(corpus_db, corpus_client):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(60)",
            str(corpus_db),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"ok"
        response = corpus_client.get("/api/speakers")
        assert response.status_code == 503
        assert "in use" in response.json()["detail"]
    finally:
        holder.kill()
        holder.wait()
    assert corpus_client.get("/api/speakers").status_code == 200


@pytest.mark.slow
def test_serve_command_binds_loopback_and_refuses_a_missing_db(tmp_path, corpus_db):
    import socket

    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    missing = subprocess.run(
        [sys.executable, "-m", "onrecord.cli", "serve", "--db", str(tmp_path / "none.duckdb")],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert missing.returncode == 2
    assert "no such database" in missing.stderr.decode() and "Traceback" not in missing.stderr.decode()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", "serve", "--db", str(corpus_db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        import httpx

        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "onrecord serve did not come up"
                time.sleep(0.2)
        assert health.json() == {"status": "ok", "version": health.json()["version"], "corpus": True}
        assert json.loads(httpx.get(f"http://127.0.0.1:{port}/api/corpus", timeout=10).text)["articles"] == 6
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_speaker_list_agrees_with_query_speakers(corpus_db, corpus_client):
    """The page and `onrecord query speakers` count from one aggregation."""
    from onrecord.store import queries
    from onrecord.store.db import Store

    with Store.open(corpus_db, read_only=True) as store:
        rows = queries.speakers(store, queries.Filters()).rows
    cli = {r["key"]: r["attributions"] for r in rows}
    web = corpus_client.get("/api/speakers", params={"limit": 1000}).json()
    assert web["total"] == len(cli) and {s["key"]: s["attributions"] for s in web["speakers"]} == cli
    beyond = corpus_client.get("/api/speakers", params={"q": "pell", "offset": 50}).json()
    assert beyond["speakers"] == [] and beyond["total"] == 1


def test_publisher_pages_agree_with_query_sources(corpus_db, corpus_client):
    """`onrecord query sources` and the publisher pages report the same shares for the same database:
    both sort attributions into the categories of onrecord.keys."""
    from onrecord.store import queries
    from onrecord.store.db import Store

    with Store.open(corpus_db, read_only=True) as store:
        cli = {r["publisher"]: r for r in queries.sources(store, queries.Filters()).rows}
    web = {p["name"]: p for p in corpus_client.get("/api/publishers").json()["publishers"]}
    assert cli and set(cli) <= set(web)
    for name, row in cli.items():
        page = web[name]
        mix = {part["kind"]: part["count"] / page["attributions"] for part in page["mix"]}
        assert row["attributions"] == page["attributions"]
        assert row["named"] == pytest.approx(page["named_share"], abs=0.0006)
        assert row["anonymous"] == pytest.approx(page["anonymous_share"], abs=0.0006)
        assert row["unnamed"] == pytest.approx(mix["unnamed"], abs=0.0006)
        assert row["unresolved"] == pytest.approx(mix["unresolved"], abs=0.0006)
        assert row["no_source"] == pytest.approx(mix["none"], abs=0.0006)
        assert row["via_wire"] == pytest.approx(page["relayed_share"], abs=0.0006)
        detail = corpus_client.get("/api/publishers/" + quote(name)).json()
        assert detail["named_share"] == page["named_share"] and detail["mix"] == page["mix"]


# --- the corpus lists (issue 13) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "args"),
    [
        ("/quotes.csv", ["quotes", "--limit", "0", "--format", "csv"]),
        (
            "/quotes.csv?publisher=Harbourton+Ledger&type=direct",
            ["quotes", "--publisher", "Harbourton Ledger", "--type", "direct", "--limit", "0", "--format", "csv"],
        ),
        (
            "/quotes.json?q=crew&order=asc",
            ["quotes", "--search", "crew", "--order", "asc", "--limit", "0", "--format", "json"],
        ),
        (
            "/speakers.csv?publisher=Northport+Post",
            ["speakers", "--publisher", "Northport Post", "--limit", "0", "--format", "csv"],
        ),
        (
            "/articles.csv?sort=title&order=asc",
            ["articles", "--sort", "title", "--order", "asc", "--limit", "0", "--format", "csv"],
        ),
        ("/publishers.json", ["publishers", "--format", "json"]),
    ],
)
def test_downloads_equal_the_cli_output(corpus_db, corpus_client, url, args):
    response = corpus_client.get(url)
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    assert response.content.decode("utf-8") == onrecord_query(corpus_db, *args)


def test_quote_filters_narrow_to_the_cli_rows(corpus_db, corpus_client):
    every = corpus_client.get("/api/quotes", params={"limit": 500}).json()
    direct = corpus_client.get("/api/quotes", params={"type": "direct", "limit": 500}).json()
    assert 0 < direct["total"] < every["total"]
    expected = json.loads(onrecord_query(corpus_db, "quotes", "--type", "direct", "--limit", "0", "--format", "json"))
    assert [(q["name"], q["id"]) for q in direct["quotes"]] == [(r["article"], r["id"]) for r in expected]
    page = corpus_client.get("/quotes", params={"type": "direct", "publisher": "Harbourton Ledger"}).text
    shown = json.loads(
        onrecord_query(corpus_db, "quotes", "--type", "direct", "--publisher", "Harbourton Ledger", "--format", "json")
    )
    assert page.count("<blockquote>") == len(shown) > 0
    assert 'href="/quotes.csv?type=direct&amp;publisher=Harbourton+Ledger"' in page


def test_word_search_highlights_escaped_words(corpus_client):
    html = corpus_client.get("/quotes", params={"q": "boat"}).text  # the quote says "boats"
    assert "<mark>boats</mark>" in html
    assert corpus_client.get("/api/quotes", params={"q": "oat"}).json()["total"] == 0  # whole words only
    hostile = corpus_client.get("/quotes", params={"q": "<script>boats"}).text
    assert "<script>boats" not in hostile and "&lt;script&gt;boats" in hostile


def test_articles_page_reaches_every_article_through_its_pager(corpus_client, hashes):
    seen, offset = [], 0
    while True:
        data = corpus_client.get("/api/articles", params={"limit": 4, "offset": offset}).json()
        seen += [a["hash"] for a in data["articles"]]
        offset += 4
        if offset >= data["total"]:
            break
    assert sorted(seen) == sorted(hashes.values())
    html = corpus_client.get("/articles").text
    assert all(f'href="/articles/{h}"' in html for h in hashes.values())
    assert 'id="article-table"' in html and remote_assets(html) == []
    ledger = corpus_client.get("/articles", params={"publisher": "Harbourton Ledger"}).text
    assert ledger.count('href="/articles/') == 3


def test_a_page_past_the_end_says_so(corpus_client):
    html = corpus_client.get("/quotes", params={"offset": 100000}).text
    assert "past the end" in html and "100001" not in html and "← last page" in html
    html = corpus_client.get("/speakers", params={"q": "pell", "offset": 50}).text
    assert "past the end" in html


def test_the_speaker_page_pages_its_quotes(corpus_client):
    key = speaker_key(corpus_client, "Jonna Pell")
    first = corpus_client.get(f"/api/speakers/{quote(key)}", params={"limit": 1}).json()
    second = corpus_client.get(f"/api/speakers/{quote(key)}", params={"limit": 1, "offset": 1}).json()
    assert first["quote_page"]["total"] == 2 and len(first["quotes"]) == len(second["quotes"]) == 1
    assert (
        first["quotes"][0]["id"] != second["quotes"][0]["id"]
        or first["quotes"][0]["article"] != second["quotes"][0]["article"]
    )
    html = corpus_client.get(f"/speakers/{quote(key)}").text
    assert 'class="filters"' in html and f"/quotes.csv?speaker={quote(key, safe='')}" in html
    assert 'class="mix chart-legend"' in html  # the naming bar's legend


def test_publisher_page_links_most_quoted_and_pages_articles(corpus_client):
    html = corpus_client.get("/publishers/" + quote("Harbourton Ledger")).text
    assert '<a href="/speakers/' in html and 'class="chart bars"' in html
    assert 'id="article-table"' in html and 'class="mix chart-legend"' in html
    one = corpus_client.get("/api/publishers/" + quote("Harbourton Ledger"), params={"offset": 2}).json()
    assert one["article_page"]["total"] == 3 and len(one["article_page"]["articles"]) == 1


def test_filtered_speaker_and_publisher_lists(corpus_client):
    post = corpus_client.get("/api/speakers", params={"publisher": "Northport Post"}).json()
    assert post["total"] and all(s["publishers"] == 1 for s in post["speakers"])
    people = corpus_client.get("/api/speakers", params={"kind": "person"}).json()["speakers"]
    assert people and all(s["kind"] == "person" for s in people)
    by_name = corpus_client.get("/api/publishers", params={"sort": "name", "order": "asc"}).json()["publishers"]
    assert [p["name"] for p in by_name] == sorted((p["name"] for p in by_name), key=str.lower)
    html = corpus_client.get("/publishers", params={"q": "ledger"}).text
    assert "Harbourton Ledger" in html and "Northport Post" not in html


def test_small_shares_are_not_zero_percent():
    from onrecord.web.charts import percent

    assert percent(1 / 332) == "<1%" and percent(0) == "0%" and percent(331 / 332) == ">99%" and percent(1) == "100%"
    assert percent(0.5) == "50%"
