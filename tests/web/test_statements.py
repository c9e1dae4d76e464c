"""The statement pages in process (TestClient) over a real store of made-up outlets: the list with the
CLI's filters, sorted by reach and paged; downloads equal to `onrecord query statements`; one statement's
timeline, relays, highlighted diffs and links to the article at the quote."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from click.testing import CliRunner

from tests.conftest import ingest_quietly
from tests.store.test_store_statements import FERRY, write
from tests.web.conftest import TestClient, remote_assets

TOLLS = [
    (
        "ridgefield-tolls",
        "Ridgefield Gazette",
        "2031-04-10",
        "Harbour master Tomas Brandt spoke about the new tunnel on Thursday.\n\n"
        "“The tunnel will open in May and the <b>tolls</b> will stay at one dollar for every driver,” Brandt "
        "said.\n\nThe tunnel has been under construction for six years.\n",
    ),
    (
        "westcliff-tolls",
        "Westcliff Herald",
        "2031-04-11",
        "Tomas Brandt, the harbour master, promised cheap crossings.\n\n"
        "“The tunnel will open in May and the <b>tolls</b> will stay at one dollar for every driver,” Brandt "
        "told the Associated Press.\n\nDrivers have waited years for the crossing.\n",
    ),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory, nlp):
    root = tmp_path_factory.mktemp("statements-web")
    path = root / "corpus.duckdb"
    source = write(root / "articles.jsonl", FERRY + TOLLS)
    summary = ingest_quietly([str(source)], path)
    assert summary.stored == len(FERRY + TOLLS), summary.failures
    return path


@pytest.fixture(scope="module")
def client(db):
    from onrecord.web.app import create_app

    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def cli(db, *args):
    from onrecord.cli import main

    result = CliRunner().invoke(main, ["query", *args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_list_is_sorted_by_reach_and_links_each_statement(client):
    response = client.get("/statements")
    assert response.status_code == 200 and not remote_assets(response.text)
    assert '<a href="/statements">Statements</a>' in response.text  # the nav link
    ids = re.findall(r'href="/statements/(st%3A[0-9a-f]{12})"', response.text)
    api = client.get("/api/statements").json()
    assert [s["id"].replace(":", "%3A") for s in api["statements"]] == ids
    reach = [(s["publishers"], s["n_appearances"]) for s in api["statements"]]
    assert reach == sorted(reach, reverse=True) and reach[0][0] == 4
    assert api["total"] == len(api["statements"]) >= 2


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("min_publishers=2", ["--min-publishers", "2"]),
        ("changed=true", ["--changed"]),
        ("speaker=Brandt", ["--speaker", "Brandt"]),
        ("since=2031-04-01", ["--since", "2031-04-01"]),
        ("until=2031-03-31&min_publishers=2", ["--until", "2031-03-31", "--min-publishers", "2"]),
        ("search=never+sell", ["--search", "never sell"]),
    ],
)
def test_filters_and_downloads_are_the_cli_s(client, db, query, args):
    api = client.get(f"/api/statements?{query}").json()
    from_cli = json.loads(cli(db, "statements", *args, "--limit", "0", "--format", "json"))
    assert [s["id"] for s in api["statements"]] == [s["id"] for s in from_cli] and from_cli
    csv = client.get(f"/statements.csv?{query}")
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    assert csv.text == cli(db, "statements", *args, "--limit", "0", "--format", "csv")
    as_json = cli(db, "statements", *args, "--limit", "0", "--format", "json")
    assert client.get(f"/statements.json?{query}").text == as_json
    page = client.get(f"/statements?{query}").text  # the page's own download link carries its filters
    link = unescape(re.search(r'id="download-csv" href="([^"]+)"', page).group(1))
    assert client.get(link).text == csv.text


def test_the_list_is_paged(client):
    everything = client.get("/api/statements").json()["statements"]
    second = client.get("/api/statements?limit=1&offset=1").json()
    assert second["total"] == len(everything) and [s["id"] for s in second["statements"]] == [everything[1]["id"]]
    assert client.get("/api/statements?offset=1000").json()["statements"] == []


def promise(client):
    return client.get("/api/statements?min_publishers=4").json()["statements"][0]


def test_a_statement_page_draws_its_timeline_relays_and_diffs(client):
    s = promise(client)
    response = client.get(f"/statements/{s['id']}")
    assert response.status_code == 200 and not remote_assets(response.text)
    svg = re.search(r'<svg class="chart appearances".*?</svg>', response.text, re.S).group(0)
    assert svg.count("<circle") == len(s["appearances"]) == 4
    assert all(p in svg for p in ("Harbourton Ledger", "Northport Post", "Valemouth Courier", "Eastbay Wire"))
    assert "<ins>never</ins>" in response.text  # the changed word, against the first direct quotation
    assert "via Reuters" in response.text and "no relay named" in response.text
    assert "tie broken" not in response.text


def test_each_appearance_links_to_its_article_at_the_quote(client):
    s = promise(client)
    page = client.get(f"/statements/{s['id']}").text
    links = re.findall(r'class="quote-link" href="/articles/([0-9a-f]+)#(\w+)"', page)
    assert len(links) == 4
    for article, anchor in links:
        target = client.get(f"/articles/{article}")
        assert target.status_code == 200 and f'id="{anchor}"' in target.text


def test_the_api_twin_and_escaped_article_text(client):
    listed = client.get("/api/statements?speaker=Brandt").json()["statements"]
    (tolls,) = [s for s in listed if s["publishers"] == 2]
    detail = client.get(f"/api/statements/{tolls['id']}").json()
    assert detail["id"] == tolls["id"] and [a["publisher"] for a in detail["appearances"]] == [
        "Ridgefield Gazette",
        "Westcliff Herald",
    ]
    assert {a["speaker"] for a in detail["appearances"]} == {"Tomas Brandt"}  # as each outlet credited
    page = client.get(f"/statements/{tolls['id']}").text
    assert "<b>tolls</b>" not in page and "&lt;b&gt;tolls&lt;/b&gt;" in page
    assert "<b>tolls</b>" in unescape(page)


def test_unknown_and_malformed_ids_are_404s_with_one_message(client):
    for path in ("/statements/st:000000000000", "/api/statements/st:000000000000", "/statements/nothing"):
        response = client.get(path)
        assert response.status_code == 404 and "E198" in response.text
