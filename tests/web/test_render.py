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
    """(classes, data-a, text) for every highlight span (they never nest in the output; anchors are empty)."""
    found = re.findall(
        r'<span class="([^"]*)"(?: data-a="([^"]*)")?(?: data-start="[^"]*" tabindex="0")?(?: data-n="\d+")?'
        r'(?: title="[^"]*")?>(.*?)</span>',
        html,
    )
    return [(cls, ids, unescape(inner)) for cls, ids, inner in found if cls != "anchor"]


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
    assert [p.colour for p in people] == [0, 1, 2] and [p.number for p in people] == [1, 2, 3]
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


def test_an_attribution_without_a_source_is_no_speaker_and_kept_apart():
    record = nested_record()
    record["attributions"][2]["source"] = None
    people = render.speakers(record)
    assert [p.name for p in people] == ["The ministry", "Ilse Brandt"]  # no "(no source found)" speaker
    context = render.page_context(record)
    assert [d["id"] for d in context["rows"]] == ["a1", "a2"]
    assert [d["id"] for d in context["unresolved"]] == ["a3"]
    lost = context["details"]["a3"]
    assert lost["speaker"] == "not resolved" and lost["number"] is None and lost["tone"] == render.GREY
    assert lost["kind"] == "no source"
    by_text = {text: cls for cls, _, text in pieces(str(context["highlighted"]))}
    assert by_text["“Nobody asked us,”"].split()[:2] == ["q", "cx"]  # grey, not a speaker's colour


def test_each_quote_begins_with_an_anchor_a_keyboard_stop_and_its_speakers_number():
    """/articles/HASH#a2 lands on the quote in the text: an empty anchor with the attribution id just
    before the piece where its content starts; that piece is the one tab stop and shows the number."""
    record = nested_record()
    html = str(render.highlight(record))
    for a in record["attributions"]:
        start = a["content"]["start"]
        found = re.search(f'<span class="anchor" id="{a["id"]}"></span><span ([^>]*)>([^<]*)</span>', html)
        assert found, a["id"]
        attrs, text = found.groups()
        assert record["text"][start:].startswith(unescape(text)) and f'data-start="{a["id"]}"' in attrs
    # the outer report a1 and the inner a2 start at different places, each its own stop
    starts = re.findall(r'data-start="(a\d)" tabindex="0" data-n="(\d)"', html)
    assert starts == [("a1", "1"), ("a2", "2"), ("a3", "3")]
    assert html.count('tabindex="0"') == 3  # one stop per attribution, not one per piece
    assert html.count('id="a') == 3


def test_a_split_quote_has_one_anchor_at_its_first_part():
    text = "“We are ready,” the mayor said, “and we will open in May.”"
    first, second = span(text, "“We are ready,”"), span(text, "“and we will open in May.”")
    record = {
        "text": text,
        "attributions": [
            {
                "id": "a1",
                "type": "direct",
                "content": {"start": first["start"], "end": second["end"], "text": text, "segments": [second, first]},
                "cue": {**span(text, "said"), "lemma": "say"},
                "source": source(text, "the mayor", kind="unnamed"),
                "via": [],
            }
        ],
    }
    html = str(render.highlight(record))
    assert html.count('id="a1"') == 1 and html.index('id="a1"') < html.index("We are ready")
    assert html.count("data-start=") == 1


# --- colours --------------------------------------------------------------------------------------


def many_speakers(n: int) -> dict:
    """A made-up article in which n different people each say one thing."""
    lines = [f"“Plan {i} is the one,” said Councillor Name{i} Testperson." for i in range(n)]
    text = "\n".join(lines)
    attributions = []
    at = 0
    for i, line in enumerate(lines):
        quote = span(text, f"“Plan {i} is the one,”", at)
        attributions.append(
            {
                "id": f"a{i + 1}",
                "type": "direct",
                "content": {**quote, "segments": []},
                "cue": {**span(text, "said", at), "lemma": "say"},
                "source": source(text[at:], f"Councillor Name{i} Testperson", kind="person"),
                "via": [],
            }
        )
        mention = attributions[-1]["source"]["mention"]
        mention.update(start=mention["start"] + at, end=mention["end"] + at)
        at += len(line) + 1
    return {"text": text, "meta": {}, "attributions": attributions}


def oklab(colour: str) -> tuple[float, float, float]:
    """OKLab of a #rrggbb colour (the inverse direction of render's OKLCH → sRGB)."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    lms = [
        (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3),
        (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3),
        (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3),
    ]
    lo, mo, so = lms
    return (
        0.2104542553 * lo + 0.7936177850 * mo - 0.0040720468 * so,
        1.9779984951 * lo - 2.4285922050 * mo + 0.4505937099 * so,
        0.0259040371 * lo + 0.7827717662 * mo - 0.8086757660 * so,
    )


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def distance(one: str, two: str) -> float:
    return sum((x - y) ** 2 for x, y in zip(oklab(one), oklab(two), strict=True)) ** 0.5


INK = "#1c2330"  # --ink in app.css: the article text on a tint


def test_no_two_speakers_share_a_colour_however_many():
    for n in (1, 2, 3, 7, 10, 11, 15, 24, 40):
        colours = render.palette(n)
        assert len(colours) == n
        for role in ("tint", "strong", "src"):
            assert len({c[role] for c in colours}) == n, (n, role)
        tints = [c["tint"] for c in colours]
        closest = min((distance(a, b) for i, a in enumerate(tints) for b in tints[i + 1 :]), default=1.0)
        # apart in a perceptual space (OKLab), not only in hex: evenly spaced hues get closer as n grows
        assert closest >= min(0.05, 0.45 / n), (n, closest)
        for c in colours:
            assert contrast(INK, c["tint"]) >= 7, c  # the article text stays readable on every tint
            assert contrast(c["src"], "#ffffff") >= 4.5, c  # a mention's coloured text, on white
            assert min(contrast(c["src"], t) for t in tints) >= 4.5, c  # … and inside another speaker's quote


def test_the_first_speakers_are_far_apart_in_hue():
    """The first few speakers of an article (the ones readers compare most) never get neighbouring hues."""
    for n in (8, 15, 24, 40):
        tints = [c["tint"] for c in render.palette(n)[:4]]
        closest = min(distance(a, b) for i, a in enumerate(tints) for b in tints[i + 1 :])
        assert closest >= 0.04, (n, closest)  # more than twice the closest pair of 24 speakers


def test_an_article_with_many_speakers_gets_one_colour_and_number_each():
    record = many_speakers(24)
    context = render.page_context(record)
    people = context["legend"]
    assert len(people) == 24 and [p.number for p in people] == list(range(1, 25))
    css = str(context["palette_css"])
    tint = dict(re.findall(r"\.c(\d+)\{--tint:(#[0-9a-f]{6});", css))
    assert sorted(map(int, tint)) == list(range(24)) and len(set(tint.values())) == 24
    html = str(context["highlighted"])
    shown = re.findall(r'<span class="q c(\d+)" data-a="(a\d+)" data-start="a\d+" tabindex="0" data-n="(\d+)">', html)
    assert len(shown) == 24
    speaker_of = {i: p for p in people for i in p.ids}
    for colour, ident, number in shown:
        assert int(colour) == speaker_of[ident].colour and int(number) == speaker_of[ident].number
    assert len({tint[c] for c, _, _ in shown}) == 24


def test_seed_article_speakers_never_share_a_colour(analyze):
    from tests.conftest import needs_shared

    text = needs_shared("seed", "seed-article.txt").read_text(encoding="utf-8")
    record = analyze(text).to_dict()
    context = render.page_context(record)
    people = context["legend"]
    assert len(people) >= 5
    tint = dict(re.findall(r"\.c(\d+)\{--tint:(#[0-9a-f]{6});", str(context["palette_css"])))
    assert len({tint[str(p.colour)] for p in people}) == len(people)
    assert render.NO_SOURCE not in [p.key for p in people]


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
