"""Names the small tagger calls people but the article never introduces as anyone: a station's call
sign in a dateline ("DENVER (KQTV) --"), a place or brand that only labels a thing ("the Larkwood
shop", "his Vantor camera"). They must not capture "the manager", "the man" or "he".

The tagger's mistakes are forced here with `Doc.set_ents` (on real pages the small model makes them
on some names and not on others), so each rule is tested whatever the model's whim on these words."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Span

from onrecord.attribute import find_attributions
from onrecord.resolve import resolve
from onrecord.resolve.entities import attributive_only, build_entities

TEXT = (
    "DENVER, Colorado (KQTV) -- A family bakery is changing its opening hours after the manager said a "
    "customer threatened two bakers at one of its shops on Sunday night.\n"
    "Footage from the Larkwood shop shows a man walking past the counter at about 4 a.m.\n"
    '"I just need some bread," the man can be heard saying.\n'
    "In the footage, he says he has not eaten for two days.\n"
    "Tomasz Wierzbicki, who owns the chain, said the bakers were frightened but unhurt.\n"
)


def _with_people(doc: Doc, words: tuple[str, ...], default: str = "unmodified") -> Doc:
    """The doc with each of `words` tagged PERSON, as the small model tags some call signs and places."""
    marked = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text in words]
    doc.set_ents(marked, default=default)
    return doc


@pytest.fixture
def mistagged(nlp) -> Doc:
    return _with_people(nlp(TEXT), ("KQTV", "Larkwood"))


def _speakers(doc: Doc) -> dict[str, tuple[str, str | None]]:
    found = find_attributions(doc)
    resolve(doc, found)
    return {doc.text[f.start : f.end][:24]: (f.speaker.name, f.speaker.kind) for f in found if f.speaker}


def test_a_call_sign_in_capitals_is_no_person(mistagged):
    people = {e.name for e in build_entities(mistagged).entities if e.type == "person"}
    assert "KQTV" not in people
    assert "Tomasz Wierzbicki" in people


def test_a_word_in_capitals_that_the_article_also_writes_as_a_name_stays_a_person(nlp):
    doc = _with_people(nlp("OBAMA SPEAKS\nObama said the talks would go on."), ("OBAMA", "Obama"), "outside")
    people = [e for e in build_entities(doc).entities if e.type == "person"]
    assert [len(p.mentions) for p in people] == [2]


def test_a_name_that_only_labels_a_thing_is_attributive(mistagged):
    table = build_entities(mistagged)
    by_name = {e.name: e for e in table.entities}
    tokens = list(mistagged)
    assert attributive_only(tokens, by_name["Larkwood"])
    assert not attributive_only(tokens, by_name["Tomasz Wierzbicki"])


def test_the_manager_stays_unnamed_next_to_a_call_sign(mistagged):
    speakers = _speakers(mistagged)
    manager = next(v for k, v in speakers.items() if k.startswith("a customer threatened"))
    assert manager[1] == "unnamed"
    assert "KQTV" not in manager[0]


@pytest.mark.parametrize("content", ['"I just need some bread', "he has not eaten"])
def test_the_man_and_he_never_go_to_a_name_that_only_labels_a_place(nlp, content):
    text = (
        "Footage from the Larkwood shop was handed to the police on Monday.\n"
        '"I just need some bread," the man can be heard saying.\n'
        "In the footage, he says he has not eaten for two days.\n"
    )
    speakers = _speakers(_with_people(nlp(text), ("Larkwood",)))
    name, kind = next(v for k, v in speakers.items() if k.startswith(content))
    assert name != "Larkwood" and kind != "person"


def test_the_man_brought_in_as_a_man_is_not_the_person_named_later(nlp):
    text = (
        "Tomasz Wierzbicki runs the bakery. On Sunday a man walked in and sat by the window.\n"
        '"I just need some bread," the man said.\n'
    )
    speakers = _speakers(nlp(text))
    name, kind = next(v for k, v in speakers.items() if k.startswith('"I just need'))
    assert kind == "unnamed" and name == "man"


def test_the_owner_still_names_the_one_person_nearby(nlp):
    text = "Tomasz Wierzbicki runs the bakery on Elm Street.\nThe owner said the ovens would be fixed by Friday.\n"
    speakers = _speakers(nlp(text))
    name, kind = next(v for k, v in speakers.items() if k.startswith("the ovens"))
    assert (name, kind) == ("Tomasz Wierzbicki", "person")


def test_a_magazine_taken_for_a_person_does_not_capture_the_singer(nlp):
    text = (
        "Lina Marsh spoke to Vogue before her tour.\n"
        "Vogue asked about her plans for the spring.\n"
        '"I will rest first," the singer answered.\n'
    )
    doc = _with_people(nlp(text), ("Vogue",))
    assert "Vogue" not in {e.name for e in build_entities(doc).entities if e.type == "person"}
    name, kind = next(v for k, v in _speakers(doc).items() if k.startswith('"I will rest'))
    assert (name, kind) == ("Lina Marsh", "person")


def test_an_outlet_name_that_is_someones_surname_stays_a_person(nlp):
    doc = nlp("Steve Forbes spoke first. Forbes said the plan would fail.\n")
    second = next(t.i for t in doc if t.text == "Forbes" and t.i > 1)
    doc.set_ents([Span(doc, 0, 2, label="PERSON"), Span(doc, second, second + 1, label="PERSON")], default="outside")
    people = {e.name for e in build_entities(doc).entities if e.type == "person"}
    assert people == {"Steve Forbes"}
    assert len(next(e for e in build_entities(doc).entities if e.name == "Steve Forbes").mentions) == 2


def _speaker_of(nlp, text: str, content: str) -> tuple[str, str | None]:
    return next(v for k, v in _speakers(nlp(text)).items() if k.startswith(content))


def test_a_law_named_after_someone_is_no_person(nlp):
    text = "The Harris-Frank Act changed how banks trade.\nFew asked whether it went too far, the author argued.\n"
    doc = nlp(text)
    assert not [e.name for e in build_entities(doc).entities if e.type == "person"]
    assert _speaker_of(nlp, text, "Few asked") == ("author", "unnamed")


NAMESAKE = (
    "Congressman Mark Holloway announced his retirement on Monday.\n"
    "The campaign website of his chosen successor was registered by a Scott Holloway, who appears to be the "
    "congressman's brother.\n"
    "Holloway said he never planned to stay in Congress for long.\n"
)
SAME_PERSON = (
    'One reader wrote that the mayor looked tired. "I hope she rests," the reader added. Yet the same person '
    "went on to admit that they had no idea what her week was like.\n"
    "Mayor Ilse Brandt did not respond.\n"
)
RESTRICTIVE = "Maria Lopez opened the bridge on Friday.\nThe woman who cut the ribbon said the town had waited long.\n"


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        # a lone surname goes to the namesake introduced in earnest, not to "a Scott Holloway" met in passing
        (NAMESAKE, "he never planned", ("Mark Holloway", "person")),
        # "the same person" is the speaker just before
        (SAME_PERSON, "that they had no idea", ("One reader", "unnamed")),
        # a descriptor with a restrictive relative clause is not the name nearby
        (RESTRICTIVE, "the town had waited", ("woman", "unnamed")),
    ],
    ids=["namesake", "same-person", "restrictive-relative"],
)
def test_who_a_surname_or_descriptor_names(nlp, text, content, speaker):
    assert _speaker_of(nlp, text, content) == speaker


def test_a_name_keeps_no_common_word_at_its_ends(nlp):
    doc = nlp("Regardless of your choice, George sighs and apologises to Penny.\n")
    doc.set_ents([Span(doc, 5, 7, label="PERSON")], default="unmodified")  # the tagger's "George sighs"
    assert "George" in {e.name for e in build_entities(doc).entities if e.type == "person"}
    assert "George sighs" not in {e.name for e in build_entities(doc).entities}


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (  # the unnamed man who just spoke goes on, not the owner named paragraphs before
            "Tomasz Wierzbicki owns the bakery on Elm Street.\n"
            'Footage shows a man at the counter. "I just need some bread," the man can be heard saying.\n'
            "In the footage, he says he has not eaten for two days.\n",
            "he has not eaten",
            ("man", "unnamed"),
        ),
        (  # a person named after the unnamed speaker is the one in view
            'When a reporter later asked Lena Ott about the ferry, Ott smiled.\n"You tell me," she said.\n',
            '"You tell me',
            ("Lena Ott", "person"),
        ),
    ],
    ids=["unnamed-speaker-goes-on", "named-since"],
)
def test_a_pronoun_after_an_unnamed_speaker(nlp, text, content, speaker):
    assert _speaker_of(nlp, text, content) == speaker
