"""Narration, labels and quoted names that real pages present and that are nobody's report: a noun the
tagger took for a verb ("2X points on …" under a shouted label), a thing's doings ("the proposal offers
no serious answer", "sensors compare every car to …", "town planning requires balancing …"), a
participle whose noun is acted on ("Bread filled with …"), a labelled passive ("has been described as"),
a condition done to someone ("if a trader is charged with …"), a want caused by something ("make them
want to …"), an act on a what-clause ("adopted what we might call …"), quoted titles and wordings the
writer's clause names ("a booklet titled “…”", "pay much for “…”"), and keys and values of a data
listing.  The reports around them stay, and a question asked in a when-clause is its asker's."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def town(analyze):
    return analyze((ARTICLES / "mill-town.txt").read_text(encoding="utf-8"))


def rows(article) -> list[tuple[str | None, str]]:
    return [(a.cue.text if a.cue else None, a.content.text) for a in article.attributions]


@pytest.mark.parametrize(
    "words",
    [
        "no serious answer",  # a thing offering a noun phrase
        "that of everyone",  # a thing comparing, with a relative clause in its object
        "balancing old buildings",  # a thing's need, a gerund
        "fantastic flavours",  # a participle: the bread is filled
        "a quiet place",  # labelled by nobody named
        "a fraud",  # a condition: what might be done to a trader
        "to shop in town",  # a want the market would cause
        "what we might call",  # an act on a what-clause
        "The Wit and Wisdom",  # a title the clause names
        "a stall that opens only on Sundays",  # a wording the clause names
        "2X points",  # a label over a noun phrase the tagger took for a clause
        "all stalls and cafes",  # "points" taken for a verb after a number
    ],
)
def test_narration_labels_and_named_quotes_give_no_row(town, words):
    found = [(cue, text) for cue, text in rows(town) if words in text and cue != "believe"]
    assert not found, found


@pytest.mark.parametrize(
    ("cue", "speaker"),
    [
        ("said", "Councillor Hanna Ostrel"),
        ("said", "Tomas Virelo"),
        ("believe", "Some residents"),
        ("called", "Tomas Virelo"),
    ],
)
def test_the_reports_around_them_stay(town, cue, speaker):
    assert any(a.cue and a.cue.text == cue and a.source and a.source.name == speaker for a in town.attributions)


def test_a_question_asked_in_a_when_clause_is_its_askers(town):
    row = next(a for a in town.attributions if "open on Sundays" in a.content.text)
    assert row.cue is not None and row.cue.text == "asked"
    assert row.source is not None and row.source.name == "Brackwater Echo"


def test_keys_and_values_of_a_data_listing_are_no_quotations(analyze):
    text = (
        "Stall record\n\nThe market office keeps a record of every stall.\n"
        '{\n   "Stall": "the corner stall by the old fountain",\n'
        '   "Comment": "opens late on market days and closes early in winter"\n}\n'
    )
    assert analyze(text).attributions == [], rows(analyze(text))


def test_a_thing_that_suggests_what_the_reader_should_do_is_advice_in_a_how_to(analyze):
    guide = (ARTICLES / "pantry-guide.txt").read_text(encoding="utf-8")
    article = analyze(guide + "Dusty lids suggest you should clean the shelves more often.\n")
    assert article.attributions == [], rows(article)


def test_a_source_cut_before_its_noun_is_no_speaker(nlp):
    from onrecord.attribute import _drop_phrase_sources
    from onrecord.attribute.found import Found

    text = "A lot of readers wrote in. Ostrel said the hall would open."
    doc = nlp(text)
    fragment = Found(content=[(39, 58)], cue=(34, 38), cue_lemma="say", source=(0, 8), name="lot of", confidence=0.9)
    named = Found(content=[(39, 58)], cue=(34, 38), cue_lemma="say", source=(27, 33), name="Ostrel", confidence=0.9)
    _drop_phrase_sources(doc, [fragment, named])
    assert (fragment.source, fragment.name) == (None, "")
    assert (named.source, named.name) == ((27, 33), "Ostrel")


def test_a_common_noun_the_ner_calls_a_person_is_still_a_thing(analyze):
    text = (
        "Stall guide\n\nThe dairy stall sells cheese and milk. For visitors who avoid milk, oat kefir offers "
        "similar goodness without any dairy. Ostrel said the stall would open in May.\n"
    )
    article = analyze(text)
    assert [a.cue.text for a in article.attributions if a.cue] == ["said"], rows(article)
