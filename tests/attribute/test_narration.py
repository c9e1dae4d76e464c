"""Narrated acts, advice and topics are no reports: "the board approved a plan", "voted against the
proposal", "anyone … is asked to call", a cue inside a wh-question ("how strongly she believes"), and in
a text that talks to its reader (a how-to) instructions, headings, topics and things' doings; the
reports around them stay, a thing that carries words (a leaflet) still reports, and a lawsuit's
report is evidence."""

from __future__ import annotations

import pytest

from onrecord.attribute.filters import reader_addressed
from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def board(analyze):
    return analyze((ARTICLES / "harbour-board.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pantry(analyze):
    return analyze((ARTICLES / "pantry-guide.txt").read_text(encoding="utf-8"))


def cues(article) -> list[str]:
    return [a.cue.text for a in article.attributions if a.cue is not None]


@pytest.mark.parametrize("cue", ["approved", "voted", "asked", "call", "believes", "say", "know", "detailed"])
def test_narrated_acts_requests_to_anyone_and_cues_inside_a_question_give_no_row(board, cue):
    assert cue not in cues(board), [(a.cue and a.cue.text, a.content.text) for a in board.attributions]


@pytest.mark.parametrize(
    ("cue", "speaker"), [("said", "Ada Merrow"), ("attacks", "campaign leaflet"), ("explained", "Piet Langmoor")]
)
def test_the_reports_around_them_stay(board, cue, speaker):
    assert any(a.cue and a.cue.text == cue and a.source and a.source.name == speaker for a in board.attributions)


def test_a_lawsuit_as_source_is_evidence(board):
    row = next(a for a in board.attributions if a.source and a.source.name.startswith("lawsuit"))
    assert row.act == "evidence"


def test_a_how_to_gives_no_rows(pantry):
    # a heading ("Learning how to …"), "Don't think that …", "To know if …, rub …", "look for …" after a
    # clause, things that "offer" benefits, a topic ("discuss the shelf life …"), "your pantry will thank you"
    assert pantry.attributions == [], [(a.cue and a.cue.text, a.content.text) for a in pantry.attributions]


def test_the_register_tells_a_how_to_from_news(nlp):
    assert reader_addressed(nlp((ARTICLES / "pantry-guide.txt").read_text(encoding="utf-8")))
    assert not reader_addressed(nlp((ARTICLES / "harbour-board.txt").read_text(encoding="utf-8")))


def test_an_instruction_tagged_as_a_present_tense_verb_is_still_one(nlp):
    from onrecord.attribute.filters import is_imperative

    doc = nlp("While you are at it, maybe whisper a quiet thank-you to the baker.")
    assert is_imperative(next(t for t in doc if t.lower_ == "whisper"))
    doc = nlp("The bakers whisper a quiet thank-you to the miller.")
    assert not is_imperative(next(t for t in doc if t.lower_ == "whisper"))
