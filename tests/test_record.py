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


def test_schema_is_closed_a_field_added_only_in_code_fails(record):
    for where in ("top", "attribution", "source", "content", "entity", "meta"):
        data = json.loads(record.to_json())
        target = {
            "top": data,
            "attribution": data["attributions"][0],
            "source": next(a["source"] for a in data["attributions"] if a["source"]),
            "content": data["attributions"][0]["content"],
            "entity": data["entities"][0],
            "meta": data["meta"],
        }[where]
        target["unexpected"] = 1
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize(
    ("path", "value"),
    [(("entities", 0, "type"), "city"), (("attributions", 0, "act"), "rumour")],
)
def test_closed_sets_are_enums(record, path, value):
    data = json.loads(record.to_json())
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_every_attribution_has_an_act_and_segments(record):
    for a in record.to_dict()["attributions"]:
        assert a["act"] in ("speech", "thought", "intention", "evidence")
        segments = a["content"]["segments"]  # always present: empty or two or more pieces
        assert segments == [] or len(segments) >= 2
