"""Quotation spans found on the character level, before and independent of the parser.

Why not the tokenizer: news text mixes curly, straight and doubled-single ('' … '') marks, quotes run
over several paragraphs (the opening mark repeats, the closing one is left out), and marks are often
unbalanced.  A small pairing automaton over the marks handles all of these in one linear pass.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# A quotation mark: curly or straight double quotes, or doubled single quotes/backticks (NYT style).
_MARK = re.compile(r"“|”|„|«|»|\"|''|``")
_OPENERS = {"“", "„", "«", "``"}
_CLOSERS = {"”", "»"}
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Quote:
    """Characters [start, end) including the marks; `inner_*` excludes them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True

    @property
    def length(self) -> int:
        return self.inner_end - self.inner_start


def _role(text: str, start: int, end: int, mark: str) -> str:
    """'open', 'close' or 'either' from the mark itself and the characters around it."""
    if mark in _OPENERS:
        return "open"
    if mark in _CLOSERS:
        return "close"
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isspace() or before in "([{—–-/":
        return "open" if not after.isspace() else "close"
    if after.isspace() or not _WORD.match(after):
        return "close"
    return "either"


def _paragraph_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def find_quotes(text: str) -> list[Quote]:
    """All quotations in order; multi-paragraph quotes come back as one span."""
    marks = [(m.start(), m.end(), m.group()) for m in _MARK.finditer(text)]
    roles = [_role(text, s, e, m) for s, e, m in marks]
    quotes: list[Quote] = []
    i = 0
    while i < len(marks):
        if roles[i] == "close":
            i += 1
            continue
        open_start, first_inner, mark = marks[i]
        scan_from = first_inner
        i += 1
        while True:
            para_end = _paragraph_end(text, scan_from)
            closer = None
            while i < len(marks) and marks[i][0] < para_end:
                s, e, m = marks[i]
                i += 1
                if roles[i - 1] == "open" and m in _OPENERS and not _WORD.search(text, first_inner, s):
                    # “ | “Hi…”: an opener with nothing but table rules or spaces before the next one
                    # is debris (a table cell's mark); the quotation starts at the second.
                    open_start, first_inner, mark = s, e, m
                    continue
                if roles[i - 1] != "open" or (m == mark and m not in _OPENERS):
                    closer = (s, e)
                    break
            if closer is not None:
                quotes.append(Quote(open_start, closer[1], first_inner, closer[0]))
                break
            # No closing mark in this paragraph: the quote goes on if the next paragraph opens with one.
            nxt = _next_paragraph_start(text, para_end)
            if i < len(marks) and marks[i][0] == nxt and roles[i] != "close":
                scan_from = marks[i][1]
                i += 1
                continue
            quotes.append(Quote(open_start, para_end, first_inner, para_end, closed=False))
            break
    return quotes


def _next_paragraph_start(text: str, para_end: int) -> int | None:
    """Offset of the first non-space character of the next paragraph, or None at the end."""
    pos = para_end
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos if pos < len(text) else None


class QuoteIndex:
    """Quotations by position: which one covers an offset, which ones overlap a span."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, pos: int) -> Quote | None:
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.quotes[i].inner_start <= pos < self.quotes[i].inner_end:
            return self.quotes[i]
        return None

    def overlapping(self, start: int, end: int) -> list[Quote]:
        """Quotes never overlap each other, so those overlapping [start, end) are contiguous."""
        i = max(0, bisect_right(self._starts, start) - 1)
        found = []
        while i < len(self.quotes) and self.quotes[i].start < end:
            if self.quotes[i].end > start:
                found.append(self.quotes[i])
            i += 1
        return found
