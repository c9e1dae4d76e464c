"""Gender-aware resolution: "she" and "Mrs. X" never go to a man of the article when a woman fits;
a surname two people share goes to the one whose gender agrees (made-up people and places)."""

from __future__ import annotations

import pytest

from onrecord.resolve.gender import FEMALE, MALE, decide, given_name_genders, name_gender

NAMESAKES = """Ingrid Tolvik and her husband Lars Tolvik run the Halden ferry line. \
On Monday the couple spoke at the harbour.

"We will keep the winter timetable," Mrs. Tolvik said.

"The boats are old and need repairs," Mr. Tolvik said.

Tolvik said she would ask the council for money.
"""

QUOTED_ANSWER = """With a year left in Mayor Brandt's term, the council must pick his successor. \
Brandt plans to name a candidate, but the council is split.

Council leader Ingrid Tolvik caused a stir when a voter asked if she might appoint Brandt to the board. \
"What a fine idea. Nobody has ever asked me that. Wow. He may have other things to do, but I like it," \
she replied.
"""

TITLED_ALONE = """Lars Tolvik runs the Halden ferry line.

"We will keep the winter timetable," Mrs. Tolvik said on Monday.
"""


def source_of(record, words: str):
    found = [a for a in record.attributions if words in a.content.text]
    assert found, [(a.source and a.source.name, a.content.text[:40]) for a in record.attributions]
    return found[0].source


@pytest.fixture(scope="module")
def namesakes(analyze):
    return analyze(NAMESAKES)


@pytest.mark.parametrize(
    ("words", "name"),
    [
        ("winter timetable", "Ingrid Tolvik"),  # "Mrs. Tolvik": the woman of the two Tolviks
        ("need repairs", "Lars Tolvik"),  # "Mr. Tolvik": the man
        ("ask the council", "Ingrid Tolvik"),  # "Tolvik said she": the pronoun picks the namesake
    ],
)
def test_a_shared_surname_goes_to_the_namesake_whose_gender_agrees(namesakes, words, name):
    assert source_of(namesakes, words).name == name


def test_she_after_a_quoted_answer_is_the_woman_asked_not_the_man_named_last(analyze):
    """The man named last (gender from "his successor", a safe reading) is what she talks about; the
    sentences inside her quotation are not the narrative's previous sentence."""
    source = source_of(analyze(QUOTED_ANSWER), "What a fine idea")
    assert source.name == "Ingrid Tolvik"


def test_mrs_with_only_a_male_namesake_is_a_person_of_her_own(analyze):
    source = source_of(analyze(TITLED_ALONE), "winter timetable")
    assert source.kind == "person"
    assert source.name == "Tolvik"
    assert source.key != "person:lars tolvik"


def test_gender_evidence_order():
    """Titles first (and disagreeing titles decide nothing), then the given name, then a clear
    majority of pronoun readings."""
    assert decide([FEMALE], MALE, [MALE, MALE]) == FEMALE
    assert decide([FEMALE, MALE], FEMALE, []) is None
    assert decide([], MALE, [FEMALE] * 5) == MALE
    assert decide([], None, [FEMALE, FEMALE, FEMALE, MALE]) == FEMALE
    assert decide([], None, [FEMALE, FEMALE, MALE]) is None
    assert decide([], None, []) is None


def test_given_names_tell_gender_only_for_full_names():
    assert name_gender("Ingrid Tolvik") == FEMALE
    assert name_gender("Lars Tolvik") == MALE
    assert name_gender("Tolvik") is None  # a lone surname says nothing
    assert name_gender("Quennel Tolvik") is None  # an unknown given name neither
    genders = given_name_genders()
    assert len(genders) > 600
    assert set(genders.values()) == {FEMALE, MALE}


OTHER_MAN_BETWEEN = """Ingrid Tolvik and her husband Lars Tolvik run the Halden ferry line.

Tolvik faces criticism for her remarks on the timetable. \\
Tolvik said that a report by Mayor Oskar Brandt had been unfair to his own staff.

"We will keep the winter timetable," Tolvik said.
"""


def test_a_pronoun_after_another_named_person_does_not_choose_the_namesake(analyze):
    """ "his" after Mayor Brandt is Brandt's: the lone "Tolvik" stays the woman the previous sentence's
    "her" read, and so does the next "Tolvik said"."""
    record = analyze(OTHER_MAN_BETWEEN)
    assert source_of(record, "unfair to his own staff").name == "Ingrid Tolvik"
    assert source_of(record, "winter timetable").name == "Ingrid Tolvik"
