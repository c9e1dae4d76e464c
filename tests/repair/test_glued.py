"""Glued-word splitting: what must be split, and the real words and names that must stay whole.

Every example is invented for these tests; none is taken from a real article.
"""

from __future__ import annotations

import re
import time

import pytest

from onrecord.repair.glued import find_glued, glued_tokens
from onrecord.repair.offsets import apply_edits


def split(text: str) -> str:
    """The text with every proposed space inserted."""
    return apply_edits(text, find_glued(text))[0]


# (input, expected output).  Evidence comes from the sentence itself: a title or function word on
# one side, or a name that the same text also uses on its own.
GLUED = [
    # lower->Upper after a title
    ("PresidentAlice Marwood has spoken.", "President Alice Marwood has spoken."),
    ("ChancellorOtto Brandl met envoys.", "Chancellor Otto Brandl met envoys."),
    ("GeneralMarta Quiroga took command.", "General Marta Quiroga took command."),
    ("SenatorDana Whitcombe voted no.", "Senator Dana Whitcombe voted no."),
    ("Deputy MinisterKarel Vostry resigned.", "Deputy Minister Karel Vostry resigned."),
    # lower->Upper after a function word or reporting verb
    ("The ministry saidGarrick Olsen would resign.", "The ministry said Garrick Olsen would resign."),
    ("She was referring toBrennan's plan.", "She was referring to Brennan's plan."),
    ("Analysts are worried aboutMoscow again.", "Analysts are worried about Moscow again."),
    ("The vote ofTuesday was close.", "The vote of Tuesday was close."),
    ("It was theParliament that blocked it.", "It was the Parliament that blocked it."),
    ("The agency toldReuters nothing.", "The agency told Reuters nothing."),
    ("The officials saidNATO would respond.", "The officials said NATO would respond."),
    # lower->Upper after an everyday lowercase word
    ("Both officialsGarrick and Ines agreed.", "Both officials Garrick and Ines agreed."),
    ("The report followsMonday's vote.", "The report follows Monday's vote."),
    # two document names glued
    (
        "Lisbon and Porto voted. In Porto the count ran late. The mayor of LisbonPorto said so.",
        "Lisbon and Porto voted. In Porto the count ran late. The mayor of Lisbon Porto said so.",
    ),
    # a document name + a function word
    (
        "Alice Marwood arrived. Marwoodhas criticized the plan.",
        "Alice Marwood arrived. Marwood has criticized the plan.",
    ),
    (
        "Nadia Ferro spoke first. Ferrosaid the vote was fair.",
        "Nadia Ferro spoke first. Ferro said the vote was fair.",
    ),
    ("Tomasz Wren arrived. Wrenwas late.", "Tomasz Wren arrived. Wren was late."),
    (
        "Quimby and aides left. Quimbyand the aides returned.",
        "Quimby and aides left. Quimby and the aides returned.",
    ),
    # two lowercase words, one a function word
    ("They ended thewar quickly.", "They ended the war quickly."),
    ("Most ofthe delegates left.", "Most of the delegates left."),
    ("Voters inthe county were split.", "Voters in the county were split."),
    ("Turn tothis page.", "Turn to this page."),
    ("He is open to notfollowing advice.", "He is open to not following advice."),
    ("The panel would consistof veterans.", "The panel would consist of veterans."),
    ("They asked for a probeof the leaks.", "They asked for a probe of the leaks."),
    ("The deal wasdead by noon.", "The deal was dead by noon."),
    ("She wrote aboutthe budget.", "She wrote about the budget."),
    # a sentence glued to the next one
    (
        "The mayor spoke to reporters.The council disagreed.",
        "The mayor spoke to reporters. The council disagreed.",
    ),
    ("Example Media Inc.All Rights were sold.", "Example Media Inc. All Rights were sold."),
    ("The crowd cheered!”After the rally, they left.", "The crowd cheered!” After the rally, they left."),
    ("Did it pass?Nobody knew.", "Did it pass? Nobody knew."),
    # several in one text
    (
        "Ines Calloway spoke. Callowayhas said thewar must end, the ministry saidMonday.",
        "Ines Calloway spoke. Calloway has said the war must end, the ministry said Monday.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_glued_tokens_are_split(text: str, expected: str) -> None:
    assert split(text) == expected


# Real words and names, each checked in a plain sentence and next to the usual glue evidence
# (a name standing alone, a function word after it).  None of them may be touched.
NEVER_SPLIT = [
    # names, including ones wordfreq does not know
    "Zelensky",
    "Zelenskyy",
    "Scholz",
    "Kyiv",
    "Budanov",
    "Kuleba",
    "Volodymyr",
    "Oleksandr",
    "McDonald",
    "McCain",
    "McKinsey",
    "MacArthur",
    "DeSantis",
    "DeShawn",
    "LeBron",
    "LaGuardia",
    "DiCaprio",
    "VanHollen",
    # brands and mixed-case words
    "iPhone",
    "iPad",
    "eBay",
    "mRNA",
    "macOS",
    "watchOS",
    "YouTube",
    "JavaScript",
    "PhD",
    "LinkedIn",
    "PowerPoint",
    "BlackRock",
    "MasterCard",
    "WhatsApp",
    "PayPal",
    "FedEx",
    "BioNTech",
    "NewsGuard",
    "HuffPost",
    "GlaxoSmithKline",
    "SoftBank",
    "OpenAI",
    "TikTok",
    "NowThis",
    # real words that look like two
    "frontlines",
    "spokesperson",
    "spokeswoman",
    "lawmakers",
    "nonetheless",
    "cannot",
    "whatsoever",
    "thereof",
    "whereby",
    "hereby",
    "within",
    "without",
    "another",
    "whether",
    "therefore",
    "cyberattack",
    "counteroffensive",
    "livestream",
    "wartime",
    "pushback",
    "antiwar",
    "nonprofits",
    "skywriters",
    "gunmakers",
    "bylined",
    "infighter",
    "stateswoman",
    "speechmaking",
    "highminded",
    "sportsbooks",
    "nothingburger",
    "megadonor",
    "nonstate",
    "breathe",
    "seethe",
    "usher",
    "visits",
    "bandit",
    "asking",
    "island",
    "heartland",
    # tokens with digits and punctuation
    "3pm",
    "COVID-19",
    "U.S.",
    "Ph.D.",
    "e.g.",
    "a.m.",
]


@pytest.mark.parametrize("word", NEVER_SPLIT)
def test_real_words_stay_whole(word: str) -> None:
    text = f"On Monday {word} was mentioned, and {word} has come up again since."
    assert find_glued(text) == []


@pytest.mark.parametrize("word", NEVER_SPLIT)
def test_real_words_stay_whole_at_sentence_start(word: str) -> None:
    text = f"{word}. {word} said nothing. The Mc and De desk has news about {word}."
    assert find_glued(text) == []


def test_never_split_list_is_substantial() -> None:
    assert len(NEVER_SPLIT) >= 40


ADDRESSES = [
    "Read it at www.thewarzone.com today.",
    "See https://example.org/thewar/saidPutin for details.",
    "Write to press@thewarzone.org or tips@saidGarrick.net now.",
    "Trending: #thewar and #StandWithLisbon.",
    "Follow @saidGarrick and @thewarzone for updates.",
    "Download report_final.Html from the site.",
    "The site Example.Com went down.",
    '<tweet author="GovAlice" handle="thewar">',
    "the can- didate spoke, and the ap-\npointee listened.",
]


@pytest.mark.parametrize("text", ADDRESSES)
def test_addresses_handles_and_markup_are_left_alone(text: str) -> None:
    assert find_glued(text) == []


def test_capitalised_compound_needs_both_names_standing_alone() -> None:
    """ "Post" alone in the text is not enough to split a brand like "WashPost"."""
    assert find_glued("The Washington Post reported it. WashPost agreed.") == []


def test_edits_are_single_space_insertions_in_input_coordinates() -> None:
    text = "Mr Holt said. PresidentAlice Holt met them; thewar ended."
    edits = find_glued(text)
    assert edits, "expected at least one split"
    for edit in edits:
        assert edit.start == edit.end
        assert edit.replacement == " "
        assert text[edit.start - 1].isalpha() and text[edit.start].isalpha()


def test_glued_tokens_report_whole_tokens() -> None:
    text = "Ines Calloway spoke. Callowayhas left."
    [token] = glued_tokens(text)
    assert text[token.start : token.end] == "Callowayhas"
    assert token.cuts == (len("Calloway"),)


def test_is_fast_enough() -> None:
    """Well under a millisecond per 1000 words on a warm cache; the bound here is generous for CI."""
    words = re.findall(r"\S+", " ".join(text for text, _ in GLUED)) * 60
    text = " ".join(words)
    find_glued(text)  # warm the frequency list and caches
    start = time.perf_counter()
    for _ in range(5):
        find_glued(text)
    per_1000 = (time.perf_counter() - start) / 5 / len(words) * 1000
    assert per_1000 < 0.01  # seconds: 10 ms per 1000 words is twenty times the measured cost


@pytest.mark.parametrize(
    "text",
    [
        "This year NowThis grew. This is NowThis.",  # function word + function word: a brand
        "Van Hollen and Hollen spoke. Van voted. VanHollen left.",  # name particle, both parts named
        "De Santis and Santis. De said. DeSantis spoke.",
        "Mc and Kinsey. McKinseyx was here.",
    ],
)
def test_document_evidence_does_not_override_name_guards(text: str) -> None:
    assert find_glued(text) == []


@pytest.mark.parametrize(
    "text",
    ["aA" * 50_000, "a" * 100_000, ("ab" * 30 + "Cd ") * 5_000, "x.Y" * 50_000, "Ab" * 50_000 + "has"],
)
def test_odd_input_stays_linear(text: str) -> None:
    """Long letter runs are not glued words; they must neither be split nor slow the scan down."""
    start = time.perf_counter()
    assert find_glued(text) == []
    assert time.perf_counter() - start < 2.0
