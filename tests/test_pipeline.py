"""Long articles are parsed in paragraph-aligned sections and joined into one Doc: same offsets, same rows."""

from __future__ import annotations

import pytest

from onrecord import pipeline

PARAGRAPHS = [
    "“The ferry will run again on Monday,” harbour master Ines Varga said on Friday.",
    "Varga told reporters that the repairs had cost more than planned.",
    "The union said its members would accept the new rota, according to a statement.",
    "Officials believe the timetable can hold through the winter.",
]


def long_text(repeats: int) -> str:
    return "\n\n".join(PARAGRAPHS * repeats) + "\n"


def test_sections_concatenate_to_the_text_and_cut_after_line_breaks():
    text = long_text(12)
    pieces = pipeline.sections(text, size=600)
    assert len(pieces) > 3
    assert "".join(pieces) == text
    assert all(piece.endswith("\n") for piece in pieces[:-1])
    assert all(len(piece) <= 600 for piece in pieces)


def test_a_paragraph_longer_than_a_section_is_cut_after_a_sentence_or_a_space():
    paragraph = " ".join(["The council met again and talked for hours."] * 40)
    pieces = pipeline.sections(paragraph, size=300)
    assert "".join(pieces) == paragraph
    assert all(piece.endswith(". ") for piece in pieces[:-1])
    no_sentences = "word " * 200
    assert "".join(pipeline.sections(no_sentences, size=101)) == no_sentences


def test_a_short_text_is_one_section():
    assert pipeline.sections("One line.", size=600) == ["One line."]


@pytest.fixture(scope="module")
def whole_and_sectioned():
    text = long_text(6)
    whole = pipeline.analyze(text)
    section_chars, batch_chars = pipeline.SECTION_CHARS, pipeline.BATCH_CHARS
    pipeline.SECTION_CHARS, pipeline.BATCH_CHARS = 500, 700
    try:
        assert len(pipeline.sections(text)) > 3
        sectioned = pipeline.analyze(text)
    finally:
        pipeline.SECTION_CHARS, pipeline.BATCH_CHARS = section_chars, batch_chars
    return text, whole, sectioned


def test_sectioned_parse_keeps_offsets_into_the_input(whole_and_sectioned):
    text, _, sectioned = whole_and_sectioned
    assert sectioned.text == text
    for attribution in sectioned.attributions:
        assert text[attribution.content.start : attribution.content.end] == attribution.content.text


def test_sectioned_parse_finds_the_same_attributions(whole_and_sectioned):
    _, whole, sectioned = whole_and_sectioned

    def rows(article):
        return [(a.content.start, a.content.end, a.source.name if a.source else None) for a in article.attributions]

    assert len(whole.attributions) >= 4 * 6 - 6  # nearly every paragraph is an attribution
    assert rows(sectioned) == rows(whole)
