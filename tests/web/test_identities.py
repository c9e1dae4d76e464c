"""The speaker page shows the written names an identity gathers and the merges the pass left undone;
its one-click merge writes the same alias table as `onrecord speakers merge`, and a split undoes it."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from tests.web.conftest import TestClient


@pytest.fixture
def client(corpus_db, tmp_path):
    """The app over a copy of the shared test corpus: these tests write speaker corrections."""
    from onrecord.web.app import create_app

    db = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db, db)
    with TestClient(create_app(db)) as c:
        c.db = db
        yield c


def ranked(client) -> dict[str, dict]:
    return {s["key"]: s for s in client.get("/api/speakers", params={"limit": 1000}).json()["speakers"]}


def test_speaker_page_shows_variants(client):
    key = next(iter(ranked(client)))
    found = client.get(f"/api/speakers/{key}").json()
    assert found["variants"] and all({"name", "key", "count", "rule"} <= set(v) for v in found["variants"])
    assert 'id="variants"' in client.get(f"/speakers/{key}").text


def test_one_click_merge_changes_the_list_and_a_split_undoes_it(client):
    from onrecord.cli import main

    before = ranked(client)
    a, b = sorted(k for k in before if k.startswith("person:"))[:2]
    answer = client.post("/speakers/merge", data={"key": a, "target": b}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/speakers/")
    after = ranked(client)
    assert a not in after and after[b]["attributions"] == before[a]["attributions"] + before[b]["attributions"]
    exported = CliRunner().invoke(main, ["speakers", "export-aliases", "--db", str(client.db)])
    assert exported.output.splitlines()[1:] == [f"merge\t{a}\t{b}"]
    assert CliRunner().invoke(main, ["speakers", "split", "--db", str(client.db), a]).exit_code == 0
    assert ranked(client) == before


def test_bad_merge_is_a_4xx_with_its_code(client):
    before = ranked(client)
    answer = client.post("/api/speakers/merge", data={"key": "person:nobody", "target": "person:nobody either"})
    assert answer.status_code == 422 and answer.json()["code"] == "E210"
    assert client.post("/api/speakers/merge", data={}).status_code == 422
    assert ranked(client) == before
