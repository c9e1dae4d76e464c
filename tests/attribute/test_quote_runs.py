"""Quote runs keep their speaker: a line that names the speaker ("For loved gifts, Marisol will say")
introduces the quotation on the next line, consecutive rows of quotations after it go on with the same
speaker, and a new heading ends the run (quotations under it with no one named stay unresolved)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTICLES


@pytest.fixture(scope="module")
def runs(analyze):
    return analyze((ARTICLES / "quote-runs.txt").read_text(encoding="utf-8"))


def speaker_of(article, words: str) -> str | None:
    row = next(a for a in article.attributions if words in a.content.text)
    return row.source.name if row.source else None


def test_a_line_ending_in_a_verb_of_saying_introduces_the_quotation_below(runs):
    assert speaker_of(runs, "put it on the shelf").startswith("Marisol")
    row = next(a for a in runs.attributions if "put it on the shelf" in a.content.text)
    assert row.cue is not None and row.cue.text == "say"
    assert speaker_of(runs, "should not have bothered").startswith("Marisol")


def test_the_next_row_of_quotations_continues_the_run(runs):
    assert speaker_of(runs, "You remembered what I like").startswith("Marisol")


def test_a_quotation_paragraph_after_a_speaker_stays_theirs(runs):
    assert speaker_of(runs, "until the wind drops") == "Edwin Pask"


def test_a_new_heading_ends_the_run_and_far_quotations_stay_unresolved(runs):
    # "Quotes" is a heading between Pask's lines and the table: nobody is named for the table
    assert speaker_of(runs, "The bread is almost ready") is None
    assert speaker_of(runs, "closing the shop early") is None


def test_a_pronoun_goes_to_the_subject_of_the_sentence_before(runs):
    # "George Alder sighs and apologises to Marisol … He says": George, not the last-named Marisol
    assert speaker_of(runs, "ferry was held up") == "George Alder"
