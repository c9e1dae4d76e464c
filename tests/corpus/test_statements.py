"""The statements pass as pure functions over hand-made stored rows (made-up outlets and speakers)."""

from __future__ import annotations

from datetime import date

from onrecord.corpus.statements import build, changed_words, quoted_text, words

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


SPEECH = "The harbour tunnel will open in the spring and the tolls will stay at one dollar for every driver"


def credited(article, key, identity, mention, text=SPEECH, type_="direct"):
    """One attribution of `text` credited to `key` (member of `identity`) through `mention`."""
    row = {"article": article, "id": "q1", "type": type_, "content_text": text, "cue_text": "said", "via": []}
    return {**row, "source_key": key, "source_mention": mention}, {"article": article, "key": key, "identity": identity}


def run_credited(*specs):
    pairs = [credited(*spec) for spec in specs]
    articles = [{"hash": h, "publisher": p, "published_date": d, "tie_order": 0} for h, (p, d) in OUTLETS.items()]
    return build([a for a, _ in pairs], [m for _, m in pairs], articles)


def test_a_long_passage_joins_a_pronoun_or_a_description_credited_elsewhere_and_keeps_the_named_speaker():
    result = run_credited(
        ("a1", "person:ines varga", "person:ines varga", "Varga"),
        ("b2", "person:tomas brandt", "person:tomas brandt", "he"),  # the resolver's guess for "he"
        ("c3", "unnamed:mayor", "unnamed:mayor@c3", "The mayor"),
    )
    (st,) = result.statements
    assert st["identity"] == "person:ines varga" and st["publishers"] == 3
    assert st["first_article"] == "c3"  # the earliest appearance, whoever its outlet credited


def test_two_speakers_named_in_the_text_stay_apart_and_compatible_names_join():
    apart = run_credited(
        ("a1", "person:ines varga", "person:ines varga", "Varga"),
        ("b2", "person:tomas brandt", "person:tomas brandt", "Brandt"),
    )
    assert len(apart.statements) == 2
    joined = run_credited(
        ("a1", "person:ines varga", "person:ines varga", "Ines Varga"),
        ("b2", "person:varga", "person:varga", "Varga"),  # a surname the identity pass left apart
    )
    (st,) = joined.statements
    assert st["identity"] == "person:ines varga"


def test_a_weak_credit_never_bridges_two_named_speakers():
    result = run_credited(
        ("a1", "person:ines varga", "person:ines varga", "Varga"),
        ("b2", "unnamed:official", "unnamed:official@b2", "an official"),
        ("d4", "person:tomas brandt", "person:tomas brandt", "Brandt"),
    )
    assert len(result.statements) == 2
    assert {s["identity"] for s in result.statements} == {"person:ines varga", "person:tomas brandt"}


def test_nested_reports_in_one_article_are_not_one_statement():
    outer, m1 = credited("a1", "unnamed:poll", "unnamed:poll@a1", "a poll", "most voters said " + SPEECH, "mixed")
    inner, m2 = credited("a1", "unnamed:voters", "unnamed:voters@a1", "most voters", SPEECH)
    inner["id"] = "q2"
    articles = [{"hash": "a1", "publisher": "Harbourton Ledger", "published_date": None, "tie_order": 0}]
    assert len(build([outer, inner], [m1, m2], articles).statements) == 2


def test_the_cue_between_the_parts_of_a_split_quote_is_not_the_speaker_s_words():
    cue = "Ines Varga, the mayor of Harbourton, said in a statement on Monday."
    result = run(
        rows(
            ("a1", "q1", "direct", f"“The ferry stays public,” {cue} “We will not sell it.”", []),
            ("b2", "q1", "direct", f"“The harbour gets a new crane,” {cue} “Work starts in June.”", []),
        )
    )
    assert len(result.statements) == 2  # ten shared words, all of them the outlets' own
    assert quoted_text(f"“A b,” {cue} “C d") == "A b, C d"


def test_a_scare_quote_of_a_word_or_two_is_no_statement():
    result = run(rows(("a1", "q1", "mixed", "“reckless”", []), ("b2", "q1", "mixed", "“reckless”", [])))
    assert len(result.statements) == 2


# --- precision: one statement is one utterance ---------------------------------------------------------

PART1 = "The ferry timetable will change on the first of June for every route"
PART2 = "and the night boat to Eastbay will run twice a week until the autumn"


def spanned(article, id_, type_, text, start, lemma="say", act="speech"):
    """A row of `rows` with the content's characters in its article, its cue's lemma and its act."""
    (row,) = rows((article, id_, type_, text, []))
    return {**row, "content_start": start, "content_end": start + len(text), "cue_lemma": lemma, "act": act}


def test_a_report_joins_a_statement_by_most_of_its_reports_not_by_one_of_them():
    result = run(
        rows(
            ("a1", "q1", "direct", f"{PART1}, {PART2}", []),  # one outlet quotes two passages together
            ("b2", "q1", "direct", PART1, []),
            ("e5", "q1", "direct", PART1, []),
            ("c3", "q1", "direct", PART2.removeprefix("and ").removesuffix(" until the autumn"), []),
        )
    )
    by_first = sorted((s["appearances"], s["first_article"]) for s in result.statements)
    assert by_first == [(1, "c3"), (3, "a1")]


def test_two_answers_sharing_a_phrase_are_two_statements_though_other_outlets_carry_both():
    answer1 = "We will not sell the ferry to a private company while I am mayor of this town and the council knows it"
    answer2 = "I told the council we will not sell the ferry to a private buyer but the crane is another question"
    result = run(
        rows(
            ("a1", "q1", "direct", answer1, []),
            ("a1", "q2", "direct", answer2, []),  # one interview, two answers: nine words in common
            ("b2", "q1", "direct", answer1, []),
            ("c3", "q1", "direct", answer2, []),
        )
    )
    assert sorted(s["appearances"] for s in result.statements) == [2, 2]
    assert all(s["publishers"] == 2 for s in result.statements)


def test_a_sentence_said_again_weeks_later_among_other_words_is_another_statement():
    line = "this tunnel will be the best thing for the harbour town"
    march = f"The tolls stay low for every driver, {line}"
    again = f"Nobody believed us about the bridge either, {line}"
    close = run(rows(("a1", "q1", "direct", march, []), ("b2", "q1", "direct", again, [])))
    weeks = run(rows(("a1", "q1", "direct", march, []), ("e5", "q1", "direct", again, [])))
    assert len(close.statements) == 1  # a day apart: the same speech, cut differently
    assert len(weeks.statements) == 2  # eleven weeks apart: a talking point repeated


def test_a_second_cue_inside_a_report_does_not_carry_the_outer_report_across_outlets():
    outer = "she found the new timetable very sensible and called the tunnel budget a disgrace to the town"
    inner = "the tunnel budget a disgrace to the town"
    result = run(
        [
            spanned("a1", "q1", "mixed", outer, 100),
            spanned("a1", "q2", "mixed", inner, 100 + outer.index(inner), lemma="call"),
            spanned("e5", "q1", "mixed", f"{inner}, and a waste of money", 40),
        ]
    )
    grouped = {
        tuple(sorted(a["article"] + "/" + a["attribution"] for a in result.appearances if a["statement"] == s["id"]))
        for s in result.statements
    }
    assert grouped == {("a1/q1",), ("a1/q2", "e5/q1")}


def test_titles_topics_and_intentions_are_no_utterance():
    title = "“The Harbour Hour With Ines Varga”"
    titles = run([spanned("a1", "q1", "direct", title, 10), spanned("b2", "q1", "direct", title, 10)])
    assert titles.statements == []
    quote = "We will build the harbour tunnel under the old ferry landing and the tolls will stay low"
    stance = run(
        [
            spanned("a1", "q1", "direct", quote, 10),
            spanned("a1", "q2", "indirect", "the harbour tunnel under the old ferry landing", 200, lemma="praise"),
            spanned("b2", "q1", "indirect", "building the harbour tunnel under the old ferry landing", 5, lemma="say"),
            spanned(
                "c3", "q1", "indirect", "to build the harbour tunnel under the old ferry landing", 5, act="intention"
            ),
        ]
    )
    (st,) = stance.statements
    assert st["appearances"] == 1 and st["first_article"] == "a1"


def test_a_full_name_next_to_the_cue_outvotes_surname_only_credits():
    result = run_credited(
        ("a1", "person:varga", "person:varga", "Varga"),
        ("c3", "person:varga", "person:varga", "Varga"),
        ("b2", "person:ines varga", "person:ines varga", "Ines Varga"),
    )
    (st,) = result.statements
    assert st["identity"] == "person:ines varga"


def test_a_paraphrase_sharing_a_few_words_of_a_quote_is_another_statement():
    quote = "Of course the harbour master is qualified to run the port authority"
    close = "that the harbour master is qualified to run the port authority"
    loose = "that the harbour master is fit to run the docks"  # three of five content words
    assert len(run(rows(("a1", "q1", "direct", quote, []), ("b2", "p1", "indirect", close, []))).statements) == 1
    assert len(run(rows(("a1", "q1", "direct", quote, []), ("b2", "p1", "indirect", loose, []))).statements) == 2


def test_a_surname_credit_counts_for_whom_the_corpus_mostly_names_by_it_when_outlets_disagree():
    other = "The council will meet on Thursday to vote on the harbour crane and the new ferry landing"
    result = run_credited(
        ("a1", "person:tomas varga", "person:tomas varga", "Varga"),  # the resolver chose a namesake
        ("b2", "person:ines varga", "person:ines varga", "she"),
        ("c3", "person:ines varga", "person:ines varga", "Varga", other),
        ("d4", "person:ines varga", "person:ines varga", "Varga", other),
    )
    speech = next(s for s in result.statements if s["appearances"] == 2 and s["first_article"] == "a1")
    assert speech["identity"] == "person:ines varga"
    alone = run_credited(("a1", "person:tomas varga", "person:tomas varga", "Varga"))
    assert alone.statements[0]["identity"] == "person:tomas varga"  # one outlet's credit stands


def test_a_quotation_running_over_two_passages_is_an_appearance_of_both_and_they_stay_two():
    """One outlet quotes two passages of a speech together, two others one passage each: the long
    quotation shares twelve words with each, so it appears in both statements, while the two passages,
    which share nothing, never become one statement (single-link chaining through the long quotation)."""
    first = "the new quay will open before the winter storms reach the northern coast of the island"
    second = "and every family on the ferry route will pay the same fare as the people of the capital"
    result = run(
        rows(
            ("a1", "q1", "direct", f"{first}, {second}", []),
            ("b2", "q1", "direct", first, []),
            ("c3", "q1", "direct", second, []),
        )
    )
    groups = sorted(
        sorted(r["article"] for r in result.appearances if r["statement"] == s["id"]) for s in result.statements
    )
    assert groups == [["a1", "b2"], ["a1", "c3"]]
    assert all(s["publishers"] == 2 for s in result.statements)


def occasion_row(article, said, day=None, quote=QUOTE):
    """A direct quotation whose cue sentence says `said` after the quote ("Varga said in a statement"),
    with the stored window around the cue, as the pass reads it."""
    sentence = f"The mayor spoke again. “{quote},” Varga {said}. The council met later."
    content_start = sentence.index("“")
    content_end = sentence.index("”") + 1
    cue_start = sentence.index(said.split()[0], content_end)
    row = rows((article, "q1", "direct", sentence[content_start:content_end], []))[0]
    row.update(
        content_start=content_start,
        content_end=content_end,
        cue_start=cue_start,
        cue_end=cue_start + len(said.split()[0]),
        cue_lemma={"said": "say", "told": "tell", "wrote": "write"}[said.split()[0]],
        cue_window=sentence,
        cue_window_start=0,
        time_value=day,
        time_granularity="day" if day else None,
    )
    return row


def outlets_of(result):
    by = {}
    for r in result.appearances:
        by.setdefault(r["statement"], set()).add(r["article"])
    return sorted(sorted(v) for v in by.values())


def test_a_written_statement_and_the_same_words_at_a_rally_are_two_statements():
    """The same words, one outlet quoting the written statement, another the speaker reading it out at a
    rally: two occasions; two outlets quoting the written one (or saying nothing of it) are one."""
    apart = run([occasion_row("a1", "said in a statement"), occasion_row("b2", "told the crowd at a rally")])
    assert outlets_of(apart) == [["a1"], ["b2"]]
    together = run([occasion_row("a1", "said in a statement"), occasion_row("d4", "wrote")])
    assert outlets_of(together) == [["a1", "d4"]]
    unsaid = run([occasion_row("a1", "told the crowd at a rally"), occasion_row("d4", "said")])
    assert outlets_of(unsaid) == [["a1", "d4"]]


def test_the_same_words_said_on_two_days_are_two_statements():
    """Reporting times dated to days far apart ("said on Monday" in one outlet, "on Friday" in another)
    are two occasions; a day apart (a late speech) or one undated is one."""
    two_days = [occasion_row("a1", "said on Monday", "2031-02-24"), occasion_row("b2", "said Friday", "2031-02-28")]
    assert outlets_of(run(two_days)) == [["a1"], ["b2"]]
    next_day = [occasion_row("a1", "said on Monday", "2031-02-24"), occasion_row("b2", "said Tuesday", "2031-02-25")]
    assert outlets_of(run(next_day)) == [["a1", "b2"]]
    undated = [occasion_row("a1", "said on Monday", "2031-02-24"), occasion_row("b2", "said")]
    assert outlets_of(run(undated)) == [["a1", "b2"]]


def test_a_report_published_before_the_day_another_outlet_dates_the_words_is_another_occasion():
    """c3 (published 1 March) cannot report words that d4 says were said on 4 March: the speaker said
    them again; b2 (3 March) can be about words said on 3 or 4 March."""
    later = occasion_row("d4", "said on Tuesday", "2031-03-04")
    assert outlets_of(run([occasion_row("c3", "said"), later])) == [["c3"], ["d4"]]
    assert outlets_of(run([occasion_row("b2", "said"), later])) == [["b2", "d4"]]
