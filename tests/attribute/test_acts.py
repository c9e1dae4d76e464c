"""`act`: what the source did (speech, thought, intention, evidence), from the cue and its source."""

from __future__ import annotations

import pytest

from onrecord.attribute.acts import ACTS, act_of, act_table
from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def article(analyze):
    return analyze((ARTICLES / "harbour-acts.txt").read_text(encoding="utf-8"))


def row(article, words: str):
    found = [a for a in article.attributions if words in a.content.text]
    assert found, [(a.act, a.content.text) for a in article.attributions]
    return found[0]


def test_every_row_has_an_act(article):
    assert article.attributions
    assert all(a.act in ACTS for a in article.attributions)


@pytest.mark.parametrize(
    ("words", "act"),
    [
        ("will pay for the new sea wall", "speech"),
        ("can be finished before the autumn storms", "thought"),
        ("start work in May", "intention"),
        ("two thirds of harbour businesses oppose", "evidence"),
        ("We have paid for this harbour", "speech"),
    ],
)
def test_act_by_cue_and_source(article, words, act):
    assert row(article, words).act == act


def test_the_table_is_data_and_frame_specific():
    table = act_table()
    assert all(act in ACTS for act in table.values())
    # "promised to" is an intention, "promised that" a statement; an unlisted verb is speech
    assert act_of("promise", "xcomp", None) == "intention"
    assert act_of("promise", "clause", None) == "speech"
    assert act_of("mutter", "clause", None) == "speech"
    assert act_of("like", "xcomp", None) == "intention"  # "would like to"
    assert act_of("like", "object", None) == "thought"
    # a finding as the source makes it evidence, whatever the verb
    assert act_of("say", "clause", "poll") == "evidence"
    assert act_of("according to", "", "document") == "evidence"
