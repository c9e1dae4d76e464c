"""Speakers as a reader names them in a run of statements: "He added" after a title-led speaker goes
on with that speaker (not with the man named a sentence earlier), and the title-led mention names the
person ("Minister in the Ministry of Ports <given name> <surname>"); "Its statement" and "the company's
release" speak for the organisation that the sentences before them name; "the authors" of a paper are
never the one person named nearby."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def levy(analyze):
    return analyze((ARTICLES / "harbour-levy.txt").read_text(encoding="utf-8"))


def speaker_of(article, words: str) -> tuple[str | None, str | None]:
    row = next(a for a in article.attributions if words in a.content.text)
    return (row.source.name, row.source.kind) if row.source else (None, None)


@pytest.mark.parametrize(
    ("words", "name", "kind"),
    [
        ("The question is a simple one", "Daniel Okafor", "person"),  # the title-led mention's person
        ("the levy would end", "Daniel Okafor", "person"),  # "He added" goes on with him
        ("less than a loaf of bread", "Grainline Foods", "organization"),  # "Its statement"
        ("We have asked for this repair", "Grainline Foods", "organization"),  # "The company's release"
    ],
)
def test_runs_keep_their_speaker(levy, words, name, kind):
    assert speaker_of(levy, words) == (name, kind)


def test_the_authors_are_not_the_person_named_nearby(levy):
    name, _ = speaker_of(levy, "lose trade to larger ports")
    assert name != "Nora Lind"
