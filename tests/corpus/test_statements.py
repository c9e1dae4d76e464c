"""The statements pass as pure functions over hand-made stored rows (made-up outlets and speakers)."""

from __future__ import annotations

from datetime import date

from onrecord.corpus.statements import build, changed_words, words

OUTLETS = {
    "a1": ("Harbourton Ledger", date(2031, 3, 2)),
    "b2": ("Northport Post", date(2031, 3, 3)),
    "c3": ("Valemouth Courier", date(2031, 3, 1)),
    "d4": ("Eastbay Wire", date(2031, 3, 4)),
    "e5": ("Northport Post", date(2031, 5, 20)),
}
QUOTE = "We will not sell the ferry to a private company while I am mayor of this town"


def rows(*specs):
    """(article, id, type, text, via) → attribution rows of speaker `person:ines varga`."""
    return [
        {
            "article": a,
            "id": i,
            "type": t,
            "content_text": text,
            "cue_text": "said",
            "via": via,
            "source_key": "person:ines varga",
        }
        for a, i, t, text, via in specs
    ]


def run(attributions, order=None):
    members = [{"article": a, "key": "person:ines varga", "identity": "person:ines varga"} for a in OUTLETS]
    articles = [
        {"hash": h, "publisher": p, "published_date": d, "tie_order": (order or {}).get(h, 0)}
        for h, (p, d) in OUTLETS.items()
    ]
    return build(attributions, members, articles)


def test_a_quote_cut_shorter_and_a_changed_word_are_one_statement_and_changed():
    result = run(
        rows(
            ("a1", "q1", "direct", QUOTE, []),
            ("b2", "q1", "direct", "We will not sell the ferry to a private company", ["Eastbay Wire"]),
            (
                "d4",
                "q1",
                "direct",
                "We will never sell the ferry to a private company while I am mayor of this town",
                [],
            ),
        )
    )
    assert len(result.statements) == 1
    st = result.statements[0]
    assert st["first_article"] == "a1" and st["publishers"] == 3 and st["changed"]
    by_article = {r["article"]: r for r in result.appearances}
    assert not by_article["b2"]["changed"] and by_article["b2"]["via"] == ["Eastbay Wire"]
    assert by_article["d4"]["changed"] and '["+", "never"]' in by_article["d4"]["diff"]


def test_an_older_article_becomes_the_first_appearance_and_ids_do_not_depend_on_order():
    base = [("a1", "q1", "direct", QUOTE, []), ("b2", "q1", "direct", QUOTE.upper() + "!", [])]
    older = [("c3", "q2", "direct", "we will not sell the ferry to a private company... while I am mayor", [])]
    first = run(rows(*base))
    both = run(rows(*older, *base))
    assert first.statements[0]["first_article"] == "a1" and not first.statements[0]["changed"]
    assert both.statements[0]["first_article"] == "c3" and not both.statements[0]["changed"]
    assert run(rows(*base, *older)) == both


def test_a_paraphrase_later_quoted_is_promoted_and_a_distant_one_stays_apart():
    result = run(
        rows(
            ("c3", "p1", "indirect", "she would not sell the ferry to a private company while she was mayor", []),
            ("a1", "q1", "direct", QUOTE, []),
            ("e5", "p1", "indirect", "she would not sell the ferry to a private company while mayor", []),
        )
    )
    grouped = {s["first_article"]: s for s in result.statements}
    assert grouped["c3"]["promoted"] and grouped["c3"]["appearances"] == 2
    assert grouped["e5"]["appearances"] == 1  # eleven weeks later: too far for a paraphrase


def test_a_tie_in_date_is_broken_by_name_order_and_says_so():
    same = {"a1": ("Harbourton Ledger", date(2031, 3, 2)), "b2": ("Northport Post", date(2031, 3, 2))}
    OUTLETS_SAVED = dict(OUTLETS)
    OUTLETS.clear(), OUTLETS.update(same)
    try:
        result = run(
            rows(("a1", "q1", "direct", QUOTE, []), ("b2", "q1", "direct", QUOTE, [])), order={"b2": 1, "a1": 2}
        )
    finally:
        OUTLETS.clear(), OUTLETS.update(OUTLETS_SAVED)
    assert result.statements[0]["first_article"] == "b2" and result.statements[0]["first_by"] == "name"


def test_different_statements_of_one_speaker_stay_apart():
    result = run(
        rows(
            ("a1", "q1", "direct", QUOTE, []),
            ("b2", "q1", "direct", "The harbour needs a new crane before the winter storms arrive", []),
        )
    )
    assert len(result.statements) == 2


def test_changed_words_ignores_casing_punctuation_and_marked_ellipses():
    a = words("We will not sell the ferry, not now, not ever.")
    assert not changed_words(a, words("we will NOT sell the ferry -- not now, not ever"), "")
    assert not changed_words(a, words("We will not sell … not ever"), "We will not sell … not ever")
    assert changed_words(a, words("We will not sell not ever"), "We will not sell not ever")
