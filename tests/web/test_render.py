"""Highlighting and the side-panel figures, on hand-made records (no model needed)."""

from __future__ import annotations

import re
from html import unescape

from onrecord.web import charts, render


def span(text: str, part: str, start_at: int = 0) -> dict:
    start = text.index(part, start_at)
    return {"start": start, "end": start + len(part), "text": part}


def source(text, mention, name=None, kind=None, anonymous=None, **more):
    return {
        "mention": span(text, mention) if mention else None,
        "name": name or mention,
        "entity": None,
        "kind": kind,
        "anonymous": anonymous,
        **more,
    }


def nested_record() -> dict:
    text = (
        "The ministry said Brandt had told ministers that the <b>bridge</b> would open, Coastwire reported.\n"
        "“Nobody asked us,” said a union official who spoke on condition of anonymity. Verhoevsaid no."
    )
    outer = span(text, "Brandt had told ministers that the <b>bridge</b> would open")
    inner = span(text, "that the <b>bridge</b> would open")
    quote = span(text, "“Nobody asked us,”")
    return {
        "schema": "onrecord.article/1",
        "text": text,
        "meta": {"title": None, "publisher": None, "published": None, "url": None, "authors": []},
        "repairs": [{**span(text, "Verhoevsaid"), "original": "Verhoevsaid", "replacement": "Verhoev said"}],
        "boilerplate": [],
        "entities": [],
        "attributions": [
            {
                "id": "a1",
                "type": "indirect",
                "content": {**outer, "segments": []},
                "cue": {**span(text, "said"), "lemma": "say"},
                "source": source(text, "The ministry", kind="organization"),
                "via": [source(text, "Coastwire", kind="organization")],
                "parent": None,
                "confidence": 0.9,
            },
            {
                "id": "a2",
                "type": "indirect",
                "content": {**inner, "segments": []},
                "cue": {**span(text, "told"), "lemma": "tell"},
                "source": source(text, "Brandt", "Ilse Brandt", kind="person"),
                "via": [],
                "parent": "a1",
                "confidence": 0.9,
            },
            {
                "id": "a3",
                "type": "direct",
                "content": {**quote, "segments": []},
                "cue": {**span(text, "said", text.index("Nobody")), "lemma": "say"},
                "source": source(text, "a union official", kind="unnamed", anonymous=True),
                "via": [],
                "parent": None,
                "confidence": 0.9,
            },
        ],
    }


def pieces(html: str) -> list[tuple[str, str, str]]:
    """(classes, data-a, text) for every highlight span (they never nest in the output)."""
    found = re.findall(
        r'<span class="([^"]*)"(?: data-a="([^"]*)" tabindex="0")?(?: title="[^"]*")?>(.*?)</span>', html
    )
    return [(cls, ids, unescape(inner)) for cls, ids, inner in found]


def test_highlight_keeps_every_character_and_escapes_it():
    record = nested_record()
    html = str(render.highlight(record))
    assert "<b>" not in html and "&lt;b&gt;bridge&lt;/b&gt;" in html
    plain = unescape(re.sub(r"<[^>]+>", "", html))
    assert plain == record["text"]


def test_nested_reports_carry_both_ids_and_the_outer_colour():
    html = str(render.highlight(nested_record()))
    by_text = {text: (cls, ids) for cls, ids, text in pieces(html)}
    inner_cls, inner_ids = by_text["that the <b>bridge</b> would open"]
    assert inner_ids.split() == ["a2", "a1"]  # innermost first: a click selects the nested report
    assert "nest" in inner_cls.split() and "q" in inner_cls.split()
    mention_cls, mention_ids = by_text["Brandt"]
    assert "src" in mention_cls.split() and mention_ids.split()[0] == "a2" and "a1" in mention_ids.split()
    assert "via" in by_text["Coastwire"][0].split()
    assert "cue" in by_text["told"][0].split()


def test_repairs_are_marked_with_a_note():
    html = str(render.highlight(nested_record()))
    assert 'class="rep"' in html
    assert "Verhoevsaid" in html and "Verhoev said" in html  # the title says what it was read as


def test_speakers_mix_and_details():
    record = nested_record()
    people = render.speakers(record)
    assert [p.name for p in people] == ["The ministry", "Ilse Brandt", "a union official"]
    assert [p.colour for p in people] == [0, 1, 2]
    assert people[2].kind == "anonymous" and people[1].kind == "named person"
    mix = render.sourcing_mix(record)
    counts = {p["kind"]: p["count"] for p in mix["parts"]}
    assert counts == {"person": 1, "organization": 1, "unnamed": 0, "anonymous": 1, "unresolved": 0, "none": 0}
    assert mix["relayed"] == 1 and round(mix["relayed_share"], 2) == 0.33
    details = render.attribution_details(record, people)
    assert details["a1"]["via"] == ["Coastwire"]
    assert details["a2"]["parent"] == "a1" and details["a2"]["parent_speaker"] == "The ministry"
    assert details["a3"]["kind"] == "anonymous"


def test_speaker_key_is_the_stores_key():
    """One speaker is one colour on the page and one row in the corpus: the key of onrecord.keys."""
    from onrecord import keys

    brandt = {"name": "Brandt", "key": "person:ilse brandt"}
    assert render.speaker_key(brandt) == keys.speaker_key(brandt) == "person:ilse brandt"
    assert render.speaker_key({"name": "  The  Mayor "}) == "unknown:the mayor"
    assert render.speaker_key(None) == render.NO_SOURCE


def test_unresolved_kind_and_missing_source():
    record = nested_record()
    record["attributions"][0]["source"]["kind"] = None
    record["attributions"][2]["source"] = None
    mix = {p["kind"]: p["count"] for p in render.sourcing_mix(record)["parts"]}
    assert mix["unresolved"] == 1 and mix["none"] == 1
    assert str(render.highlight(record))  # still renders


def test_spans_out_of_range_are_ignored():
    record = nested_record()
    record["attributions"][0]["content"].update(start=5, end=10_000)
    plain = unescape(re.sub(r"<[^>]+>", "", str(render.highlight(record))))
    assert plain == record["text"]


def test_charts_escape_labels_and_fill_months():
    svg = str(charts.bars([("<script>x</script>", 3), ("b", 1)]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert charts.months_between("2030-11", "2031-02") == ["2030-11", "2030-12", "2031-01", "2031-02"]
    line = str(charts.timeline({"2030-11-02": 2, "2031-02-10": 1, "": 4}))
    assert line.count("<rect") == 2 and "2030-11" in line
    assert str(charts.stacked([{"kind": "person", "label": "named", "count": 0}])) == ""
    assert str(charts.timeline({})) == ""
