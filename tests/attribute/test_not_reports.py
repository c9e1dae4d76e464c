"""Rows only where the text presents content as someone's report, belief, intention or finding:
advice to the reader, questions, hedging about things and narrated votes are no attributions, while
the statements around them still are."""

from __future__ import annotations

import pytest

from onrecord.attribute.filters import is_imperative, is_question
from onrecord.settings import Settings
from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def howto(analyze):
    return analyze((ARTICLES / "garden-howto.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def council(analyze):
    return analyze((ARTICLES / "council-roundup.txt").read_text(encoding="utf-8"))


def rows(article):
    return [(a.cue and a.cue.text, a.source and a.source.name, a.content.text) for a in article.attributions]


BOTH_MODES = pytest.mark.parametrize("use_model", [True, False], ids=["hybrid", "rules"])


def rows_in(analyze, text: str, use_model: bool) -> tuple[list, list[str]]:
    """The rows of `text` in the hybrid or the rules, and their contents."""
    found = rows(analyze(text, settings=Settings(use_model=use_model)))
    return found, [content for _, _, content in found]


def test_advice_to_the_reader_gives_no_rows(howto):
    # imperatives, "you will want to", a question, hedging about canes and a bed: none is a report
    assert howto.attributions == [], rows(howto)


@pytest.mark.parametrize(
    "words",
    [
        "would pay for a new sea wall",
        "This is the vote we have waited for",
        "the levy would drive fishing boats away",
        "most residents support the wall",
    ],
)
def test_the_statements_of_a_news_report_stay(council, words):
    assert any(words in a.content.text for a in council.attributions), rows(council)


def test_hedging_about_a_thing_is_no_report(council):
    assert not any("two years to build" in a.content.text for a in council.attributions), rows(council)


def test_imperative_and_question_detection(nlp):
    doc = nlp("Note that the bridge is closed. The mayor noted that the bridge is closed. Is it closed?")
    note, noted = doc[0], next(t for t in doc if t.text == "noted")
    assert is_imperative(note) and not is_imperative(noted)
    assert is_question(doc[-2]) and not is_question(noted)


def test_a_topic_is_no_content(council):
    assert not any(a.content.text.strip(" .") == "her childhood by the harbour" for a in council.attributions)
    assert not any(a.content.text.startswith("her childhood") for a in council.attributions), rows(council)


def test_labels_with_a_value_and_no_statement_are_furniture(analyze):
    text = (
        "Harbour festival returns\n\n"
        "WELCOME OFFER: 80,000 Points\n\n"
        "Posted: Thursday, April 21, 2022\n\n"
        "The festival opens on Friday with a parade along the quay.\n\n"
        "MAYOR BRANDT: We expect twenty thousand visitors this year.\n"
    )
    article = analyze(text)
    contents = [a.content.text for a in article.attributions]
    assert contents and all("twenty thousand visitors" in c for c in contents), contents


def test_a_table_cell_mark_before_a_quote_is_debris():
    from onrecord.attribute.quotes import find_quotes

    text = "| Spring | “ | “Oh, a gift for me? You are far too kind to me, really.” |"
    (quote,) = find_quotes(text)
    assert text[quote.inner_start : quote.inner_end].startswith("Oh, a gift")


@pytest.mark.parametrize("phrase", ["|  |  |", "Writing in a blog post"])
def test_table_rules_and_participial_phrases_are_no_source(nlp, phrase):
    from onrecord.attribute import _drop_phrase_sources
    from onrecord.attribute.found import Found

    text = f"{phrase}, the port would close in March."
    doc = nlp(text)
    item = Found(
        content=[(len(phrase) + 2, len(text) - 1)], cue=None, cue_lemma="", source=(0, len(phrase)), name=phrase
    )
    _drop_phrase_sources(doc, [item])
    assert item.source is None and item.name == ""


def test_a_named_source_is_kept(nlp):
    from onrecord.attribute import _drop_phrase_sources
    from onrecord.attribute.found import Found

    doc = nlp("Mayor Ilse Brandt said the port would close in March.")
    item = Found(content=[(24, 52)], cue=(18, 22), cue_lemma="say", source=(0, 17), name="Ilse Brandt")
    _drop_phrase_sources(doc, [item])
    assert item.source == (0, 17)


def test_the_writers_impersonal_voice_and_conditions_are_no_reports(analyze):
    text = (
        "It is worth noting that the harbour has flooded twice this year. "
        "Had the council known the wall was failing, it would have acted sooner. "
        "The mayor said the repairs would start in May."
    )
    contents = [a.content.text for a in analyze(text).attributions]
    assert any("repairs would start in May" in c for c in contents), contents
    assert not any("flooded twice" in c for c in contents), contents
    assert not any("wall was failing" in c for c in contents), contents


def test_a_quotation_with_no_speaker_nearby_is_kept_unresolved_but_a_title_is_not(analyze):
    text = (
        "Dialogue\n\n"
        "| Spring | “The flowers are finally out, and the whole town smells of them.” |\n\n"
        "Her favourite song is “Down By The Old Harbour Wall Tonight”.\n"
    )
    rows = analyze(text).attributions
    assert [a.content.text for a in rows] == ["“The flowers are finally out, and the whole town smells of them.”"]
    assert rows[0].source is None and rows[0].type == "direct" and rows[0].act == "speech"


def test_a_thing_doing_something_to_a_noun_phrase_is_narration(nlp):
    from onrecord.attribute.filters import not_a_report

    doc = nlp("The new scanner compares every face with a police database.")
    verb = next(t for t in doc if t.lemma_ == "compare")
    assert not_a_report(doc, verb, "object", (verb.i + 1, len(doc) - 1)) == "narrated"
    doc = nlp("The mayor compares the plan with a blank cheque.")
    verb = next(t for t in doc if t.lemma_ == "compare")
    assert not_a_report(doc, verb, "object", (verb.i + 1, len(doc) - 1)) is None


def test_declining_to_comment_says_nothing(analyze):
    text = "The harbour board declined to comment on Monday. The mayor said the board had met twice."
    contents = [a.content.text for a in analyze(text).attributions]
    assert any("met twice" in c for c in contents), contents
    assert not any(c.startswith("to comment") for c in contents), contents


WRITERS_FRAMING = (
    "The new ferry timetable proved to be the main issue of the harbour election.\n"
    "What has been shown to lower the risk is a daily walk.\n"
    "Skin renews itself slowly. I mean, is your jaw not on the floor right now?!\n"
    "A city study showed that the harbour wall had cracked.\n"
    "Lena Ott proved that the accounts had been altered.\n"
)


@BOTH_MODES
def test_what_a_thing_proved_to_be_an_agentless_shown_and_a_question_with_a_bang_are_no_reports(analyze, use_model):
    found, contents = rows_in(analyze, WRITERS_FRAMING, use_model)
    assert not [c for c in contents if c.startswith("to be the main issue")], found  # what it is
    assert not [c for c in contents if "lower the risk" in c], found  # the writer's agentless framing
    assert not [c for c in contents if "your jaw" in c], found  # "?!" asks too
    assert any(c.startswith("that the harbour wall had cracked") for c in contents), found  # a finding


HEDGES = (
    "The site was registered by a Tomas Brandt, who appears to be the mayor's cousin.\n"
    '"She looks well to me," wrote another reader.\n'
    "And one Instagram picture in particular appeared to draw a lot of attention.\n"
    "Lena Ott appeared to suggest that the ferry would stay.\n"
)


@BOTH_MODES
def test_the_writers_guess_about_who_someone_is_and_a_things_hedge_are_no_reports(analyze, use_model):
    found, contents = rows_in(analyze, HEDGES, use_model)
    assert not [c for c in contents if "the mayor's cousin" in c], found  # who someone appears to be
    assert not [c for c in contents if "draw a lot of attention" in c], found  # a photo labelled by a name
    assert ("suggest", "Lena Ott", "that the ferry would stay") in found  # her hedged suggestion stays


@BOTH_MODES
def test_the_think_of_a_think_tank_is_no_cue(analyze, use_model):
    text = "Even centrist think tanks like the Harbour Institute have recognized the rise of monopolies.\n"
    found, _ = rows_in(analyze, text, use_model)
    assert not [r for r in found if r[0] == "think"], found
