"""`onrecord.spans.trim`: the protocol's span normalisation, shared by the scorer, training and the
verb-chain merge."""

from __future__ import annotations

import pytest

from onrecord import spans
from onrecord.attribute import chains
from onrecord.eval import score, train, train_encoder


def test_trim_drops_blanks_and_punctuation_at_both_ends_only() -> None:
    text = "  “Hello, world.”  "
    assert text[slice(*spans.trim(text, 0, len(text)))] == "Hello, world"


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("...", 0, 3, (3, 3)),  # nothing left: empty at the old end
        ("a (b) c", 2, 5, (3, 4)),
        ("say: yes!", 4, 9, (5, 8)),
        ("x\u00a0y", 0, 3, (0, 3)),  # inner no-break space stays
        ("\u2014 done \u2014", 0, 8, (2, 6)),
    ],
)
def test_trim_cases(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert spans.trim(text, start, end) == expected


def test_trim_keeps_a_span_inside_its_bounds() -> None:
    text = "'quoted' and more"
    assert spans.trim(text, 1, 7) == (1, 7)
    assert spans.trim(text, 0, 0) == (0, 0)


def test_every_span_comparer_uses_the_one_trim() -> None:
    for module in (chains, score, train, train_encoder):
        assert module.trim is spans.trim, module.__name__
