"""The occasion of a report, as far as its outlet says: written or spoken, and on which day.

Why: the same words said on two occasions are two statements — a written statement later read out at a
rally, a line repeated in a speech a week after an interview. A report tells its occasion by its cue
("wrote", "tweeted"), by phrases in the cue's own sentence outside the quoted words ("in a statement",
"at a rally", "in an interview"; rule data `data/occasions.txt`), and by a reporting time the resolver
dated to a day ("said on Monday"), which no report published before that day can be about. Two reports
whose occasions are both known and differ are not one utterance; an occasion an outlet leaves unsaid
agrees with any (most reports say nothing of it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

WRITTEN, SPOKEN = "written", "spoken"
WRITTEN_CUES = frozenset(["write", "tweet", "post", "email", "e-mail", "blog", "publish", "text"])
WINDOW = 150  # characters read on each side of the cue (the SQL's `cue_window`), cut to its sentence
SAME_DAY = 1  # reporting days this far apart are one occasion (a late-evening speech, time zones)
SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z])|\n")


@dataclass(frozen=True, slots=True)
class Occasion:
    medium: str | None = None  # written | spoken | None (unsaid, or both said)
    day: date | None = None  # the reporting time, where the resolver dated it to a day
    published: date | None = None  # the report's publication date: it cannot report a later utterance


@lru_cache(maxsize=1)
def phrases() -> dict[str, re.Pattern[str]]:
    """medium -> one whole-word pattern of its phrases."""
    from onrecord.datafiles import lines

    found: dict[str, list[str]] = {}
    for line in lines("onrecord.corpus", "data/occasions.txt"):
        medium, _, phrase = line.partition("\t")
        found.setdefault(medium.strip(), []).append(re.escape(phrase.strip()))
    return {m: re.compile(r"\b(?:" + "|".join(sorted(p, key=len, reverse=True)) + r")\b") for m, p in found.items()}


def cue_sentence(row: Mapping[str, Any]) -> str:
    """The words of the cue's sentence outside the report's content, from the stored window around the
    cue (`cue_window` starts at `cue_window_start`), lower case."""
    window, start = row.get("cue_window"), row.get("cue_window_start")
    cue_start, cue_end = row.get("cue_start"), row.get("cue_end")
    if not window or start is None or cue_start is None or cue_end is None:
        return ""
    chars = list(window)
    content_start, content_end = row.get("content_start"), row.get("content_end")
    if content_start is not None and content_end is not None:
        for i in range(max(content_start - start, 0), min(content_end - start, len(chars))):
            chars[i] = " "  # the quoted words say what was said, not where
    text = "".join(chars)
    left, right = text[: cue_start - start], text[cue_end - start :]
    ends = list(SENTENCE_END.finditer(left))
    left = left[ends[-1].end() :] if ends else left
    end = SENTENCE_END.search(right)
    right = right[: end.start() + 1] if end else right
    return f"{left} {text[cue_start - start : cue_end - start]} {right}".lower()


def occasion_of(row: Mapping[str, Any], published: date | None = None) -> Occasion:
    """What the report says of its occasion (see the module's docstring); `published`, its article's date."""
    sentence = cue_sentence(row)
    media = {m for m, pattern in phrases().items() if pattern.search(sentence)}
    if (row.get("cue_lemma") or "") in WRITTEN_CUES:
        media.add(WRITTEN)
    medium = media.pop() if len(media) == 1 else None
    day = None
    if row.get("time_granularity") == "day" and row.get("time_value"):
        try:
            day = date.fromisoformat(str(row["time_value"])[:10])
        except ValueError:
            day = None
    return Occasion(medium, day, published)


def same_occasion(a: Occasion, b: Occasion) -> bool:
    """Whether two reports may be of one occasion: neither the medium nor the day both known and
    different, and neither published before the day the other says the words were said (an article of
    Thursday does not report what another outlet says was said on the Monday after: the speaker said it
    again)."""
    if a.medium and b.medium and a.medium != b.medium:
        return False
    if a.day and b.day and abs((a.day - b.day).days) > SAME_DAY:
        return False
    for report, other in ((a, b), (b, a)):
        if report.published and other.day and (other.day - report.published).days > SAME_DAY:
            return False
    return True
