"""The cue-conditioned tagger: one window per report with its cue's pieces marked, and logits for that
report only, so two reports in one sentence get two different contents; its training examples are
labelled for the marked report alone."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.encoder import cued, runtime
from tests.conftest import MINI

pytestmark = pytest.mark.skipif(not runtime.available(), reason="onrecord[encoder] is not installed")


# Made up for this test.
TEXT = (
    "The harbour board met on Tuesday.\n"
    "Greta Holm said the budget was far too small, but Oskar Vell insisted the new plan would work.\n"
    "The vote is due in March."
)


def _cue(doc, word: str) -> tuple[int, tuple[int, int]]:
    token = next(t for t in doc if t.text == word)
    return token.i, (token.idx, token.idx + len(token))


def test_a_window_marks_only_the_cue_and_holds_its_neighbours(nlp):
    doc = nlp(TEXT)
    _, span = _cue(doc, "insisted")
    window, types = cued.window(doc, 1, [span])
    marked = [window.offsets[k] for k, t in enumerate(types) if t]
    assert marked == [span]
    assert len(types) == len(window.ids)
    assert set(window.tokens) == {t.i for t in doc if not t.is_space}  # all three sentences fit


def test_no_window_when_the_cue_is_outside_the_sentence_and_its_context(nlp):
    doc = nlp("One. Two. Three. Four. Five said so.")
    far = (doc[-3].idx, doc[-3].idx + len(doc[-3]))  # "said", four sentences after the first
    assert cued.window(doc, 0, [far]) is None


def _strongest(doc, view, column: int, lo: int, hi: int) -> int:
    return max((i for i in range(lo, hi) if i in view), key=lambda i: view[i][column])


def test_the_marked_cue_decides_which_content_the_tagger_marks(nlp):
    """Two reports in one sentence: told which cue it reads, the tagger starts and ends the content at
    that report's clause, not at the other one's."""
    doc = nlp(TEXT)
    sentence = list(doc.sents)[1]
    said, said_span = _cue(doc, "said")
    insisted, insisted_span = _cue(doc, "insisted")
    first, second = cued.features(doc, [(1, [said_span]), (1, [insisted_span])])
    start, end = 0, len(cued.LABELS) + 1  # first piece's start logit, last piece's end logit
    small = next(t.i for t in doc if t.text == "small")
    work = next(t.i for t in doc if t.text == "work")
    assert said < _strongest(doc, first, start, sentence.start, sentence.end) < small
    assert _strongest(doc, first, end, sentence.start, sentence.end) == small
    assert insisted < _strongest(doc, second, start, sentence.start, sentence.end) < work
    assert _strongest(doc, second, end, sentence.start, sentence.end) == work
    assert all(v.shape == (cued.FEATURES,) and np.isfinite(v).all() for v in first.values())


def test_training_examples_label_the_marked_report_alone():
    from onrecord.eval import finetune
    from onrecord.eval.train import parse_corpus
    from onrecord.settings import Settings

    parsed = parse_corpus(MINI, Settings().model)
    examples = [e for item in parsed for e in finetune.cued_windows(item)]
    reports = sum(1 for item in parsed for g in item.gold.attributions if g.cue and g.content)
    assert examples and len(examples) <= reports
    for ids, types, labels in examples:
        assert labels.shape == (len(ids), len(cued.LABELS)) and len(types) == len(ids)
        assert any(types)
        assert labels[:, 0].sum() <= 1 and labels[:, 1].sum() <= 1  # one content: one start, one end
    assert any(labels[:, 0].sum() == 1 and labels[:, 1].sum() == 1 for _, _, labels in examples)
