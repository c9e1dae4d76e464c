"""The record contract: JSON Schema validation of real output, offsets, determinism, round trip."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from onrecord.record import Article

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "onrecord" / "article.schema.json").read_text())
EXAMPLE = Path(__file__).resolve().parents[1] / "onrecord" / "examples" / "harbour-talks.txt"


@pytest.fixture(scope="module")
def record(analyze) -> Article:
    return analyze(EXAMPLE.read_text(encoding="utf-8"), published="2031-03-04")


def test_real_output_validates_against_schema(record):
    jsonschema.validate(record.to_dict(), SCHEMA)


def test_schema_rejects_a_broken_record(record):
    broken = record.to_dict()
    broken["attributions"][0]["type"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_every_span_indexes_the_input(record):
    text = record.text
    spans = [r for r in record.repairs]
    for a in record.attributions:
        spans += [a.content, *a.content.segments]
        if a.cue:
            spans.append(a.cue)
        if a.source and a.source.mention:
            spans.append(a.source.mention)
    for span in spans:
        expected = getattr(span, "text", None) or getattr(span, "original", None)
        assert text[span.start : span.end] == expected


def test_same_input_same_record(analyze, record):
    again = analyze(EXAMPLE.read_text(encoding="utf-8"), published="2031-03-04")
    assert again.to_json() == record.to_json()


def test_json_round_trip(record):
    assert Article.from_dict(json.loads(record.to_json())).to_dict() == record.to_dict()
