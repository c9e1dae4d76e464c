"""Offsets round-trip: every word of the analysis text maps back onto the same word of the input."""

from __future__ import annotations

import random
import re

import pytest

from onrecord.repair import Repaired, repair
from onrecord.repair.offsets import Edit, OffsetMap, apply_edits

WORD = re.compile(r"\S+")

DAMAGED = (
    "Regional PresidentAlice Marwood has criticized the plan.\n"
    "“It cannot stand,” Marwoodhas said of thewar, while the ministry saidGarrick Olsen agreed.\n"
    "Sign up for our newsletter to get the latest updates.\n"
    "The council met again.The vote ofthe members was close, Olsen said.\n"
    "Photo: Jane Roe/Getty Images\n"
    "Marwood and Olsen will meet on Friday.\n"
    "This is a developing story and will be updated.\n"
    "© 2031 Northwind News Network. All Rights Reserved.Northwind Sans ™ & © 2019 Northwind."
)


def assert_words_round_trip(source: str, analysed: str, offsets: OffsetMap) -> None:
    """Each whitespace-delimited word of `analysed` is found, unchanged, at its mapped input span."""
    for m in WORD.finditer(analysed):
        start, end = offsets.span_to_input(m.start(), m.end())
        assert source[start:end] == m.group(), (m.group(), source[start:end])


def test_repaired_words_map_back_to_the_input() -> None:
    result = repair(DAMAGED)
    assert_words_round_trip(DAMAGED, result.text, result.offsets)


def test_repair_splits_and_removes_what_it_reports() -> None:
    result = repair(DAMAGED)
    assert "President Alice" in result.text
    assert "Marwood has said of the war" in result.text
    assert "said Garrick" in result.text
    assert "again. The vote of the members" in result.text
    assert "Sign up" not in result.text
    assert "Getty" not in result.text
    assert "©" not in result.text
    assert "developing story" not in result.text
    assert result.text.endswith("Marwood and Olsen will meet on Friday.\n")


def test_records_are_in_input_coordinates() -> None:
    result = repair(DAMAGED)
    assert result.repairs, "expected glued words in the damaged text"
    for r in result.repairs:
        assert DAMAGED[r.start : r.end] == r.original
        assert r.replacement.replace(" ", "") == r.original
        assert r.replacement != r.original
    for b in result.boilerplate:
        line = DAMAGED[b.start : b.end]
        assert b.start == 0 or DAMAGED[b.start - 1] == "\n"
        assert line.endswith("\n") or b.end == len(DAMAGED)
        assert "\n" not in line[:-1]


def test_glue_inside_boilerplate_is_not_reported() -> None:
    """ "Reserved.Northwind" sits in a removed copyright line: removed, not repaired."""
    result = repair(DAMAGED)
    assert all("Reserved" not in r.original for r in result.repairs)


def test_removing_lines_keeps_paragraphs_apart() -> None:
    text = "First paragraph.\nRead more: Other story\nSecond paragraph.\n"
    result = repair(text)
    assert result.text == "First paragraph.\nSecond paragraph.\n"
    assert_words_round_trip(text, result.text, result.offsets)


def test_clean_text_is_untouched() -> None:
    text = "Alice Marwood said the plan would work.\nOlsen disagreed, aides said."
    result = repair(text)
    assert result == Repaired(text, result.offsets, [], [])
    assert all(result.offsets.to_input(i) == i for i in range(len(text) + 1))


def test_span_starting_in_an_inserted_space_lands_on_an_input_boundary() -> None:
    text = "the ministry saidGarrick Olsen"
    result = repair(text)
    space = result.text.index("said ") + len("said")
    assert result.offsets.to_input(space) == text.index("Garrick")
    assert result.offsets.span_to_input(space, space + 1) == (space, space)


@pytest.mark.parametrize("seed", range(25))
def test_random_insertions_and_deletions_round_trip(seed: int) -> None:
    """Property: any mix of space insertions between letters and whole-line deletions round-trips."""
    rng = random.Random(seed)
    lines = [" ".join(rng.choice(["alpha", "Beta", "gamma", "Delta", "x"]) for _ in range(6)) for _ in range(8)]
    text = "\n".join(lines) + "\n"
    edits = _random_line_deletions(rng, text) + _random_insertions(rng, text)
    analysed, offsets = apply_edits(text, edits)
    assert_words_round_trip(text, analysed, offsets)


def _random_line_deletions(rng: random.Random, text: str) -> list[Edit]:
    edits, start = [], 0
    for line in text.splitlines(keepends=True):
        if rng.random() < 0.3:
            edits.append(Edit(start, start + len(line), ""))
        start += len(line)
    return edits


def _random_insertions(rng: random.Random, text: str) -> list[Edit]:
    inner = [i for i in range(1, len(text)) if text[i - 1].isalpha() and text[i].isalpha()]
    return [Edit(i, i, " ") for i in rng.sample(inner, k=min(10, len(inner)))]
