"""Attribution rules on hand-written sentences: one test per construction the rules must handle."""

from __future__ import annotations

import pytest

from onrecord.record import Article


def only(article: Article, top_level: bool = True):
    found = [a for a in article.attributions if not (top_level and a.parent)]
    assert len(found) == 1, [(a.source and a.source.name, a.content.text) for a in found]
    return found[0]


def cued_by(article: Article, cue: str) -> list:
    return [a for a in article.attributions if a.cue and a.cue.text.lower() == cue]


def source_text(attribution) -> str | None:
    return attribution.source.mention.text if attribution.source and attribution.source.mention else None


def test_split_quote_around_cue_is_one_attribution(analyze):
    text = "“The harbour stays ours,” the mayor said on Monday. “We will not sell it for a promise.”"
    a = only(analyze(text))
    assert a.type == "direct"
    assert a.content.text.startswith("“The harbour") and a.content.text.endswith("promise.”")
    assert len(a.content.segments) == 2
    assert source_text(a) == "the mayor"
    assert a.cue.lemma == "say"


def test_quote_running_over_paragraphs(analyze):
    text = (
        "“The first part of what I want to say is long,” said Ilse Brandt.\n"
        "“And the second part continues the same speech without a new cue.”\n"
        "The committee adjourned."
    )
    a = only(analyze(text))
    assert "second part" in a.content.text
    assert a.source.name == "Ilse Brandt"


def test_mixed_quote_fragment_is_not_separate(analyze):
    text = "The minister urged the rebels to accept a “fair and final settlement,” the government said."
    article = analyze(text)
    top = [a for a in article.attributions if not a.parent]
    assert len(top) == 1
    assert top[0].type == "mixed"
    assert source_text(top[0]) == "the government"
    assert "fair and final settlement" in top[0].content.text


def test_scare_quotes_are_not_attributions(analyze):
    article = analyze("The so-called “reform” passed the chamber after a long night of debate.")
    assert article.attributions == []


@pytest.mark.parametrize(
    ("text", "source", "content_word"),
    [
        ("The mayor said that the bridge would reopen in May.", "The mayor", "bridge"),
        ("Karl Weiss told reporters that the budget was balanced.", "Karl Weiss", "budget"),
        ("The bridge will reopen in May, the mayor said.", "the mayor", "bridge"),
        ("The bridge will reopen in May, according to city officials.", "city officials", "bridge"),
        ("The council said in a statement that it would appeal.", "The council", "appeal"),
        ("Economists warned the slowdown could last a year.", "Economists", "slowdown"),
        ("She believes the treaty is doomed.", "She", "treaty"),
    ],
)
def test_indirect_speech(analyze, text, source, content_word):
    a = only(analyze(text))
    assert a.type == "indirect"
    assert source_text(a) == source
    assert content_word in a.content.text
    assert a.cue is not None and a.cue.text not in a.content.text


def test_a_poll_is_the_source_of_a_finding_set_in_it(analyze):
    text = "In a Harbour Gazette poll released on Monday, the mayor led her rival by ten points."
    a = only(analyze(text))
    assert a.cue.text == "In" and source_text(a) == "a Harbour Gazette poll released on Monday"
    assert a.content.text == "the mayor led her rival by ten points"


@pytest.mark.parametrize(
    "text",
    [
        "The mayor, who has been leading in the polls, opened the new ferry terminal.",
        "In the report, the old harbour map appears on page four.",  # where something is, not a finding
        "She rose in the polls.",
    ],
)
def test_in_a_poll_without_a_finding(analyze, text):
    assert cued_by(analyze(text), "in") == []


def test_colon_introduced_quote(analyze):
    text = "The spokesman put it plainly: “Nobody here has agreed to anything at all.”"
    a = only(analyze(text))
    assert "Nobody here" in a.content.text
    assert source_text(a) == "The spokesman"


def test_dash_signed_quote(analyze):
    text = "“The debate changed my mind about the whole campaign.” ― Rosa Feld\n"
    a = only(analyze(text))
    assert a.source.name == "Rosa Feld"
    assert a.cue.text == "―"


def test_transcript_label(analyze):
    text = "HARTMANN: We never saw the report before it was published.\n"
    a = only(analyze(text))
    assert source_text(a) == "HARTMANN"
    assert a.content.text.startswith("We never saw")


def test_headline_label_names_the_speaker(analyze):
    text = "Verhoev: Harbour Tolls Will Not Rise This Year\nThe port authority met on Tuesday.\n"
    a = only(analyze(text))
    assert a.cue.text == ":" and source_text(a) == "Verhoev"
    assert a.content.text == "Harbour Tolls Will Not Rise This Year"


@pytest.mark.parametrize(
    "text",
    [
        "The Latest: Ferry Strike Ends After Two Days\nThe ferries ran again on Friday.\n",  # a kicker
        "The ferries ran again on Friday.\nVerhoev: the tolls stay where they are for now.\n",  # not a headline
        "Ferry Strike Ends\nBy Marta Kessel: The ferries ran again on Friday after two days.\n",  # a byline
    ],
)
def test_headline_kickers_and_later_lines_need_more_than_a_colon(analyze, text):
    assert cued_by(analyze(text), ":") == []


def test_photo_caption_label_is_not_a_speaker(analyze):
    assert analyze("Photo: The harbour at dawn, seen from the lighthouse.\n").attributions == []


def test_nested_report_has_parent(analyze):
    text = "The ministry said the envoy had told Lorren the offer was final."
    article = analyze(text)
    outer = [a for a in article.attributions if a.parent is None]
    inner = [a for a in article.attributions if a.parent is not None]
    assert len(outer) == 1 and len(inner) == 1
    assert inner[0].parent == outer[0].id
    assert source_text(inner[0]) == "the envoy"


def test_object_and_infinitive_content(analyze):
    a = only(analyze("The union urged its members to reject the offer."))
    assert a.content.text == "its members to reject the offer"
    assert source_text(a) == "The union"


@pytest.mark.parametrize("use_model", [True, False], ids=["hybrid", "rules"])
@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The union called for the harbour master to resign.", "the harbour master to resign"),
        ("Wheatley called for Ott and Brandt to be given a fair hearing.", "Ott and Brandt to be given a fair hearing"),
        ("The mayor called for calm on Sunday.", "calm"),
    ],
)
def test_called_for_someone_to_act_keeps_the_infinitive(analyze, use_model, text, content):
    from onrecord.settings import Settings

    found = [a for a in cued_by(analyze(text, settings=Settings(use_model=use_model)), "called")]
    assert [a.content.text for a in found] == [content]


@pytest.mark.parametrize("use_model", [True, False], ids=["hybrid", "rules"])
def test_a_surname_the_tagger_calls_an_adverb_is_the_inverted_speaker(analyze, use_model):
    from onrecord.settings import Settings

    text = "Fresh fruit will work well with a daily tablet, says Early.\nThe ferry will stay, the mayor said Monday.\n"
    article = analyze(text, settings=Settings(use_model=use_model))
    assert source_text(cued_by(article, "says")[0]) == "Early"
    assert source_text(cued_by(article, "said")[0]) == "the mayor"  # a weekday is never the speaker
