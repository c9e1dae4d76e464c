from onrecord.attribute.quotes import find_quotes


def inner(text: str) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in find_quotes(text)]


def test_curly_and_straight_marks():
    assert inner('“Yes,” she said, and "no."') == ["Yes,", "no."]


def test_doubled_single_quotes_as_used_by_some_wires():
    assert inner("''It costs a lot,'' he said. ''Too much.''") == ["It costs a lot,", "Too much."]


def test_multi_paragraph_quote_is_one_span():
    text = "“First paragraph goes on.\n“Second paragraph ends,” she said."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert text[quotes[0].inner_start : quotes[0].inner_end].endswith("Second paragraph ends,")


def test_unbalanced_quote_stops_at_paragraph_end():
    text = "He said “this never closes\nNext paragraph is narrative."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert not quotes[0].closed
    assert text[quotes[0].inner_start : quotes[0].inner_end] == "this never closes"


def test_apostrophes_are_not_quotes():
    assert inner("The minister's plan isn't new.") == []


def test_stray_closing_mark_is_ignored():
    assert inner("broken” text “real quote” end") == ["real quote"]
