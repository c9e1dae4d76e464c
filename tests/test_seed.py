"""The motivating damaged article (../shared/seed): every quote and reported statement found, with
offsets into the unrepaired input.  Checked by general properties, never by its names or sentences."""

from __future__ import annotations

import re

import pytest

from onrecord.attribute.quotes import find_quotes
from tests.conftest import needs_shared

REPORTING = re.compile(r"\b(said|says|told|added|according to|reported|urged|cautioned|believed)\b")


@pytest.fixture(scope="module")
def seed(analyze):
    text = needs_shared("seed", "seed-article.txt").read_text(encoding="utf-8")
    return text, analyze(text, published="2024-11-15")


def covered(article, start: int, end: int) -> bool:
    return any(a.content.start < end and start < a.content.end for a in article.attributions)


def test_every_quotation_of_five_words_or_more_is_attributed(seed):
    text, article = seed
    for quote in find_quotes(text):
        if len(text[quote.inner_start : quote.inner_end].split()) >= 5:
            assert covered(article, quote.inner_start, quote.inner_end), text[quote.start : quote.end]


def test_every_reporting_sentence_yields_an_attribution(seed, nlp):
    text, article = seed
    verbs = {t.idx for t in nlp(text) if t.pos_ == "VERB" and t.dep_ != "amod"} | {
        m.start() for m in re.finditer("according", text)
    }
    cues = [(a.cue.start, a.cue.end) for a in article.attributions if a.cue]
    # A relay ("…, Reuters reported") is recorded in `via`; its verb sits right beside that mention.
    cues += [(v.mention.start - 16, v.mention.end + 16) for a in article.attributions for v in a.via if v.mention]
    body = text[: article.boilerplate[0].start] if article.boilerplate else text
    quoted = [(q.inner_start, q.inner_end) for q in find_quotes(text)]
    for match in REPORTING.finditer(body):
        if any(s <= match.start() < e for s, e in quoted):
            continue  # a verb inside someone's quotation is part of what they said
        if match.start() not in verbs:
            continue  # "no added value": the word, but not the reporting verb
        assert any(s <= match.start() < e or abs(s - match.start()) < 3 for s, e in cues), body[
            max(0, match.start() - 60) : match.end() + 20
        ]


def test_offsets_index_the_unrepaired_input(seed):
    text, article = seed
    assert article.text == text
    assert article.repairs, "the glued words of the seed should be repaired"
    for repair in article.repairs:
        assert text[repair.start : repair.end] == repair.original
        assert " " in repair.replacement
    for a in article.attributions:
        assert text[a.content.start : a.content.end] == a.content.text
        if a.source and a.source.mention:
            assert text[a.source.mention.start : a.source.mention.end] == a.source.mention.text


def test_boilerplate_is_set_aside(seed):
    text, article = seed
    assert article.boilerplate
    tail = text[article.boilerplate[0].start :]
    assert "©" in tail
    assert not any(a.content.start >= article.boilerplate[0].start for a in article.attributions)


def test_every_row_has_an_act(seed):
    _, article = seed
    assert article.attributions
    assert all(a.act in ("speech", "thought", "intention", "evidence") for a in article.attributions)


def test_a_belief_is_a_thought(seed):
    _, article = seed
    believed = [a for a in article.attributions if a.cue and a.cue.lemma == "believe"]
    assert believed, "the seed has a reported belief"
    assert all(a.act == "thought" for a in believed)


@pytest.mark.parametrize("lemma", ["say", "tell", "add", "according to"])
def test_reporting_verbs_are_speech(seed, lemma):
    _, article = seed
    rows = [a for a in article.attributions if a.cue and a.cue.lemma == lemma]
    assert rows, lemma
    # a document or poll as the source would be evidence; the seed's reports come from people,
    # governments and outlets
    assert all(a.act == "speech" for a in rows), [(a.source and a.source.name, a.act) for a in rows]
