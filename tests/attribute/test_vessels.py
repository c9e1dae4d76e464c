"""Rows that name where words went but not the words: a container of speech or an image as the whole
content ("released a statement to <paper>", "made the comments during a visit", "posted a new photo
on her page"), a content of pronouns only ("denies she ever said any of that": the denial stays), and
a content that opens with its own speaker and runs over the cue ("the “<title>” singer took to her
page to comment on photos"), a bare person as what was identified ("have not identified the victim"),
counted things as what was supported ("supported more than 40 concerts") and a verb that stands for
an earlier one ("appeared to be doing just that"), a gerund after a compound preposition ("in addition to
supporting various repairs"), a person or an organisation as what was called ("called the police": a
call made).  The reports around them stay."""

from __future__ import annotations

import pytest

from onrecord.settings import Settings
from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def festival(analyze):
    return analyze((ARTICLES / "river-festival.txt").read_text(encoding="utf-8"))


def rows(article) -> list[tuple[str | None, str]]:
    return [(a.cue.text if a.cue else None, a.content.text) for a in article.attributions]


@pytest.mark.parametrize(
    ("cue", "words"),
    [
        ("released", "a statement to"),  # a container of speech and its recipient
        ("made", "the comments"),  # a container, a time and a place
        ("posted", "a new photo"),  # an image
        ("said", "any of that"),  # pronouns only
        ("comment", "took to her page"),  # the content opens with the cue's own subject
        ("identified", "the victim"),  # who someone is, not a report
        ("supported", "more than 40 local concerts"),  # deeds counted, not a stance
        ("appeared", "doing just that"),  # a verb standing for an earlier one
        ("supporting", "various repairs"),  # a gerund after a compound preposition ("in addition to")
    ],
)
def test_vessels_pronouns_and_self_contents_give_no_row(festival, cue, words):
    found = [(c, text) for c, text in rows(festival) if c == cue and words in text]
    assert not found, found


@pytest.mark.parametrize(
    ("cue", "speaker", "words"),
    [
        ("said", "Ilse Varnholt", "We will open the old footbridge"),
        ("denies", "Ilse Varnholt", "any of that"),
        ("said", "Oskar Brandt", "ticket sales were the strongest"),
        ("said", "Oskar Brandt", "People have waited"),
    ],
)
def test_the_reports_around_them_stay(festival, cue, speaker, words):
    assert any(
        a.cue and a.cue.text == cue and a.source and a.source.name == speaker and words in a.content.text
        for a in festival.attributions
    ), rows(festival)


CALLS = (
    "Mara Lindqvist called the police when the footbridge gave way on Sunday.\n"
    'On Monday Lindqvist called the closure "a disgrace" and called for a public inquiry.\n'
)


@pytest.mark.parametrize("use_model", [True, False], ids=["hybrid", "rules"])
def test_a_call_to_someone_is_no_report_but_a_call_naming_something_is(analyze, use_model):
    article = analyze(CALLS, settings=Settings(use_model=use_model))
    found = rows(article)
    assert not [r for r in found if r[1] == "the police"], found  # a call made: nobody's words
    assert ("called", 'the closure "a disgrace"') in found  # an object predicate: a label said
    assert ("called", "a public inquiry") in found  # "called for": a demand


FOUND_AND_POSTED = (
    "Responding officers found a man lying on the ground unresponsive near the harbour.\n"
    "Auditors found that the harbour accounts had been altered.\n"
    "An hour before the vote, Lena Ott posted photos of herself with the mayor at the ferry terminal.\n"
)


@pytest.mark.parametrize("use_model", [True, False], ids=["hybrid", "rules"])
def test_someone_found_and_photos_of_someone_are_no_reports_a_finding_is(analyze, use_model):
    found = rows(analyze(FOUND_AND_POSTED, settings=Settings(use_model=use_model)))
    assert not [r for r in found if r[1].startswith("a man lying")], found  # a man found, not a finding
    assert not [r for r in found if r[1].startswith("photos of herself")], found  # whom a picture shows
    assert ("found", "that the harbour accounts had been altered") in found
