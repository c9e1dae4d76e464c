"""Speakers as a reader names them: descriptors, pronouns and titles resolve to the person the
article names; participial phrases are never names; a personal name is a person in any text."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def port(analyze):
    return analyze((ARTICLES / "port-voices.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def singer(analyze):
    return analyze((ARTICLES / "singer-tour.txt").read_text(encoding="utf-8"))


def speaker_of(article, words: str):
    found = [a for a in article.attributions if words in a.content.text]
    assert found, [(a.source and a.source.name, a.content.text[:40]) for a in article.attributions]
    return found[0].source


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("lost three ships", "Piet Alders"),  # "he said" after a quote naming a place the tagger calls a person
        ("refused to meet", "Piet Alders"),  # "He added", a paragraph on
        ("Nobody has lost any ships", "Greta Holm"),  # the other voice switches the speaker
        ("simply badly run", "Greta Holm"),
        ("Nobody wins a long strike", "Marta Oyelaran"),  # "the Director" named a paragraph before
    ],
)
def test_speaker_is_the_named_person(port, words, name):
    source = speaker_of(port, words)
    assert source.name == name
    assert source.kind == "person"


def test_title_before_a_name_is_the_person(port):
    source = speaker_of(port, "losing patience")
    assert source.name == "Anna Vell"
    assert source.kind == "person"


def test_participial_phrase_is_never_a_name(port):
    source = speaker_of(port, "cranes had not been serviced")
    assert source is not None
    assert "Writing" not in source.name
    assert "engineer" in source.name


@pytest.mark.parametrize("words", ["nearly ended her career", "thought about quitting"])
def test_descriptor_resolves_to_the_person_of_the_neighbouring_paragraph(singer, words):
    source = speaker_of(singer, words)
    assert source.name == "Lina Marsh"
    assert source.kind == "person"


def test_a_personal_name_is_a_person_in_a_one_sentence_text(analyze):
    article = analyze("Olaf Scholz said the government would not send more troops.")
    (a,) = article.attributions
    assert a.source.name == "Olaf Scholz"
    assert a.source.kind == "person"
    assert any(e.name == "Olaf Scholz" and e.type == "person" for e in article.entities)


def test_a_descriptor_stays_unnamed_when_two_people_could_be_meant(analyze):
    text = "Anna Berg and Lukas Franke both applied for the post.\n\nThe candidate said the interview had gone well."
    (a,) = [x for x in analyze(text).attributions if "interview" in x.content.text]
    assert a.source.name not in ("Anna Berg", "Lukas Franke")


def test_a_pronoun_after_told_is_the_speaker_not_the_addressee(singer):
    assert speaker_of(singer, "I need the quiet").name == "Lina Marsh"


def test_the_former_mayor_is_the_man_named_just_before(singer):
    source = speaker_of(singer, "proud of the city")
    assert source.name == "Tom Reeve"
    assert source.kind == "person"


def test_of_several_people_the_descriptor_follows_the_last_speaker(analyze):
    text = (
        "Lina Marsh met her old producer Tom Reeve in Vellmar last spring.\n\n"
        '"We had not spoken in ten years," Marsh said.\n\n'
        "The singer added that a new album would follow in the autumn."
    )
    article = analyze(text)
    (said,) = [x for x in article.attributions if "ten years" in x.content.text]
    (added,) = [x for x in article.attributions if "new album" in x.content.text]
    assert said.source.entity is not None and "Marsh" in said.source.name
    assert added.source.entity == said.source.entity


@pytest.mark.parametrize(
    ("office", "title", "named"),
    [("Senator", "governor", False), ("Governor", "governor", True), ("Senator", "senator", True)],
)
def test_a_title_names_the_person_nearby_only_when_no_other_office_is_theirs(analyze, office, title, named):
    text = (
        f"{office} Edda Marlow said the ferry fares would rise in the spring.\n\n"
        f"The {title} later told reporters that the harbour needed a new pier."
    )
    (a,) = [x for x in analyze(text).attributions if "new pier" in x.content.text]
    assert (a.source.name == "Edda Marlow") is named, a.source
