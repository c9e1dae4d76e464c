"""F1 floors on the PolNeAR dev split: a regression gate for the extraction rules.

Skips cleanly where ../shared is absent.  The floors sit a little under the figures measured when they
were set (README: `onrecord evaluate`), so a change that loses accuracy fails here first.
"""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared

# The floors of issue 10 (hybrid, the default analysis): precision work must not cost PolNeAR these.
FLOORS = {"content_partial": 0.80, "content_exact": 0.56, "source_given_content": 0.91, "end_to_end": 0.74}


@pytest.fixture(scope="module")
def dev_metrics(nlp):
    from onrecord.eval.score import load_gold, predictions_from_records, score
    from onrecord.inputs import Document
    from onrecord.pipeline import analyze_many

    gold = load_gold(needs_shared("eval", "polnear", "dev"))
    docs = [Document(name=g.name, text=g.text) for g in gold]
    records = analyze_many(docs)
    predictions = predictions_from_records((d.name, r.to_dict()) for d, r in zip(docs, records, strict=True))
    return score(gold, predictions)


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_dev_f1_floor(dev_metrics, metric):
    assert dev_metrics[metric]["f1"] >= FLOORS[metric], dev_metrics[metric]
