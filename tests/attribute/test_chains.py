"""A verb chain reports once: "declined to comment on whether …", "responded by saying that …" and
"tried to explain that …" each give one row whose cue is the whole chain, while two statements of one
speaker ("said … and added that …") stay two rows."""

from __future__ import annotations

import pytest

from onrecord.attribute.chains import merge_verb_chains
from onrecord.attribute.found import Found
from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def article(analyze):
    return analyze((ARTICLES / "verb-chains.txt").read_text(encoding="utf-8"))


def rows(article) -> list[tuple[str, str, str]]:
    return [
        (a.cue.text if a.cue else "", a.source.name if a.source else "", a.content.text) for a in article.attributions
    ]


@pytest.mark.parametrize(
    ("chain", "opening"),
    [
        ("declined to comment", "whether the company"),
        ("responded by saying", "that the council"),
        ("tried to explain", "that the early boat"),
    ],
)
def test_a_chain_gives_one_row_whose_cue_is_the_chain(article, chain, opening):
    found = [r for r in rows(article) if r[2].startswith(opening)]
    assert [r[0] for r in found] == [chain], rows(article)


def test_no_two_rows_repeat_a_content_and_a_speaker(article):
    seen = [(speaker, content) for _, speaker, content in rows(article)]
    assert len(seen) == len(set(seen)), rows(article)


def test_two_statements_of_one_speaker_stay_two_rows(article):
    cues = [cue for cue, speaker, _ in rows(article) if speaker == "Mira Osterholt"]
    assert "said" in cues and "added" in cues, rows(article)


# --------------------------------------------------------------------- merge_verb_chains ---

TEXT = "The spokeswoman declined to comment on whether the plan would go ahead."
SPEAKER = (0, TEXT.index(" declined"))


def _row(doc, word: str, source: tuple[int, int] | None, content: tuple[int, int]) -> Found:
    token = next(t for t in doc if t.text == word)
    cue = (token.idx, token.idx + len(token))
    return Found([content], cue, token.lemma_, source, "the spokeswoman", head=token.i)


@pytest.fixture()
def doc(nlp):
    return nlp(TEXT)


def _content() -> tuple[int, int]:
    start = TEXT.index("whether")
    return start, TEXT.index(".", start)


def test_the_governing_verbs_row_folds_into_the_report_verbs_row(doc):
    upper, lower = _row(doc, "declined", SPEAKER, _content()), _row(doc, "comment", SPEAKER, _content())
    upper.confidence, lower.confidence = 0.9, 0.6
    kept = merge_verb_chains(doc, [upper, lower])
    assert kept == [lower]
    assert TEXT[slice(*lower.cue)] == "declined to comment"
    assert lower.confidence == 0.9


def test_a_content_that_differs_only_by_its_closing_punctuation_is_the_same_content(doc):
    start, end = _content()
    upper, lower = _row(doc, "declined", SPEAKER, (start, end + 1)), _row(doc, "comment", SPEAKER, (start, end))
    assert merge_verb_chains(doc, [upper, lower]) == [lower]


def test_rows_of_different_speakers_stay(doc):
    upper = _row(doc, "declined", SPEAKER, _content())
    lower = _row(doc, "comment", (TEXT.index("the plan"), TEXT.index(" would")), _content())
    assert merge_verb_chains(doc, [upper, lower]) == [upper, lower]


def test_rows_of_verbs_not_in_one_chain_stay(doc):
    upper, other = _row(doc, "declined", SPEAKER, _content()), _row(doc, "go", SPEAKER, _content())
    assert merge_verb_chains(doc, [upper, other]) == [upper, other]


def test_a_quote_that_went_on_from_the_dropped_row_goes_on_from_the_kept_one(doc):
    upper, lower = _row(doc, "declined", SPEAKER, _content()), _row(doc, "comment", SPEAKER, _content())
    later = Found([(len(TEXT), len(TEXT))], None, "", None, "", continues=upper)
    merge_verb_chains(doc, [upper, lower, later])
    assert later.continues is lower


def test_a_report_nested_in_the_dropped_row_is_nested_in_the_kept_one(doc):
    upper, lower = _row(doc, "declined", SPEAKER, _content()), _row(doc, "comment", SPEAKER, _content())
    inner = _row(doc, "go", None, (TEXT.index("ahead"), TEXT.index(".")))
    inner.parent = upper
    merge_verb_chains(doc, [upper, lower, inner])
    assert inner.parent is lower


def test_the_kept_row_is_never_its_own_parent(doc):
    """The accurate mode merges chains after nesting: the report verb's row may have been nested in the
    governing verb's row, which it now replaces; it takes that row's own parent (here: none)."""
    upper, lower = _row(doc, "declined", SPEAKER, _content()), _row(doc, "comment", SPEAKER, _content())
    lower.parent = upper
    assert merge_verb_chains(doc, [upper, lower]) == [lower]
    assert lower.parent is None
