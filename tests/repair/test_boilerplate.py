"""Boilerplate lines: what is set aside, and the article lines that must never be."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from onrecord.repair.boilerplate import find_boilerplate
from onrecord.repair.data import lines

BODY = "Alice Marwood said the plan would work.\n"

BOILERPLATE = [
    "© 2031 Northwind News Network. All Rights Reserved.",
    "© 2031 Northwind News Network. All Rights Reserved.Northwind Sans ™ & © 2019 Northwind News.",
    "Copyright 2029 Example Media Group",
    "Copyright © 2030 Example Media Group. All rights reserved.",
    "(c) 2028 Example Media",
    "Example Media Group, all rights reserved",
    "This is a developing story and will be updated.",
    "This story has been updated with comments from the council.",
    "This article was corrected to fix a date.",
    "Sign up for our newsletter to get the latest.",
    "Subscribe to the Morning Brief newsletter.",
    "Get our free newsletter in your inbox.",
    "Read more: How the council vote unfolded",
    "READ MORE: Budget talks stall again",
    "Related: Five things to know",
    "Read more",
    "Follow us on Twitter",
    "Follow @northwindnews for updates.",
    "Follow Alice Marwood on Instagram @amarwood.",
    "Click here to subscribe.",
    "Advertisement",
    "Story continues below advertisement",
    "Download the Northwind app",
    "Reporting by Jane Roe; Editing by John Poe",
    "Our Standards: The Example Trust Principles.",
    "Jane Roe contributed to this report.",
    "Jane Roe and John Poe contributed reporting from the capital.",
    "Photo: Jane Roe/Getty Images",
    "Video: The council meets",
    "Top photo: Delegates arrive",
    "Delegates arrive at the hall. Jane Roe/AFP",
    "Delegates arrive at the hall. (AP Photo/Jane Roe)",
    "Delegates arrive at the hall. John Poe via Getty Images",
]

ARTICLE_LINES = [
    "“We will not back down,” she said.",
    "The minister said she would follow the rules on Twitter.",
    "Readers can click here and there, the editor said.",
    "Copyright law reform was debated on Monday, Marwood said.",
    "Reporting by the Times showed that costs rose.",
    "Photographers said the crowd grew. Jane Roe/Getty Images",
    "“All rights reserved,” he said, quoting the label.",
    "Officials said they would sign up more volunteers next week.",
    "The photo showed the mayor at the hall.",
    "Subscribers were angry about the price, the company said.",
    "Get the government to fund the app, she told reporters.",
    "He follows the news closely, according to aides.",
    "This is a story about the council.",
    "Read the full report before the vote, Olsen urged.",
    "Share prices fell sharply on Monday.",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines_are_marked_whole(line: str) -> None:
    text = BODY + line + "\n" + BODY
    start = len(BODY)
    assert find_boilerplate(text) == [(start, start + len(line) + 1)]


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_article_lines_are_kept(line: str) -> None:
    assert find_boilerplate(BODY + line + "\n" + BODY) == []


def test_trailing_lines_at_the_end_without_newline() -> None:
    tail = [
        "This is a developing story and will be updated.\n",
        "© 2031 Northwind News Network. All Rights Reserved.Northwind Sans ™ & © 2019 Northwind.",
    ]
    text = BODY * 3 + "".join(tail)
    first = len(BODY * 3)
    assert find_boilerplate(text) == [
        (first, first + len(tail[0])),
        (first + len(tail[0]), len(text)),
    ]


def test_first_line_can_be_boilerplate() -> None:
    text = "Advertisement\n" + BODY
    assert find_boilerplate(text) == [(0, len("Advertisement\n"))]


def test_spans_are_sorted_and_disjoint() -> None:
    text = "Read more: A\n" + BODY + "Photo: B/Getty Images\n" + "Follow us on X\n" + BODY
    spans = find_boilerplate(text)
    assert len(spans) == 3
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_patterns_are_lowercase() -> None:
    """Patterns run against the lowercased text, so an uppercase letter could never match."""
    for pattern in lines("boilerplate.txt"):
        unescaped = re.sub(r"\\.", "", pattern)
        assert unescaped == unescaped.lower(), pattern
