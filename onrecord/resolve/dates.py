"""Time expressions normalised against the publication date: "on Friday" → the right day.

spaCy finds the DATE and TIME expressions; this module turns their text into an ISO value with a
granularity (day, month, year, week) or an ISO 8601 duration, choosing past or future by the tense of
the clause they sit in.  Without a publication date, relative expressions keep their text only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.tokens import Span, Token

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_SPELLINGS = [  # each month's abbreviations, then its full name
    ("jan", "january"),
    ("feb", "february"),
    ("mar", "march"),
    ("apr", "april"),
    ("may",),
    ("jun", "june"),
    ("jul", "july"),
    ("aug", "august"),
    ("sep", "sept", "september"),
    ("oct", "october"),
    ("nov", "november"),
    ("dec", "december"),
]
MONTHS = {m: i for i, names in enumerate(_MONTH_SPELLINGS, start=1) for m in names}
MONTH_NAMES = frozenset(names[-1] for names in _MONTH_SPELLINGS)  # "may", "june" …, no abbreviation
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": None,
    "few": None,
}
UNITS = {"year": "Y", "month": "M", "week": "W", "day": "D", "hour": "H", "minute": "M"}

_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?\b", re.I)
_MONTH_YEAR = re.compile(_MONTH + r",?\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"^(?:in\s+|the\s+year\s+)?((?:19|20)\d{2})$", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.I)
_DURATION = re.compile(r"^(?:the\s+(?:past|last|next)\s+)?(\d+|[a-z]+)\s+(year|month|week|day|hour|minute)s?$", re.I)
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "this morning": 0, "this evening": 0}


@dataclass(slots=True)
class TimeExpression:
    start: int  # analysis-text characters
    end: int
    text: str
    value: str | None
    granularity: str | None
    kind: str  # date | duration | time


def tense_of(token: Token) -> str | None:
    """'past', 'future' or None, from the nearest verb governing a time expression."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            modals = {c.lower_ for c in node.children if c.dep_ == "aux"}
            if modals & {"will", "'ll", "shall"} or node.lower_ == "will":
                return "future"
            tense = node.morph.get("Tense")
            if tense and not modals & {"could", "would", "might", "may", "can", "should"}:
                return "past" if tense[0] == "Past" else None
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def normalise(span: Span, published: date | None) -> TimeExpression:
    text = span.text
    lower = text.lower().strip()
    tense = tense_of(span.root)
    value, granularity, kind = _value(lower, published, tense)
    if span.label_ == "TIME" and value is None:
        kind = "time"
    return TimeExpression(span.start_char, span.end_char, text, value, granularity, kind)


def _value(lower: str, published: date | None, tense: str | None) -> tuple[str | None, str | None, str]:
    if m := _ISO.search(lower):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}", "day", "date"
    if m := _DURATION.match(lower):
        count = int(m.group(1)) if m.group(1).isdigit() else NUMBERS.get(m.group(1).lower())
        unit = m.group(2).lower()
        if count is None:
            return None, None, "duration"
        prefix = "PT" if unit in ("hour", "minute") else "P"
        return f"{prefix}{count}{UNITS[unit]}", None, "duration"
    for pattern, day_group, month_group in ((_MONTH_DAY, 2, 1), (_DAY_MONTH, 1, 2)):
        if m := pattern.search(lower):
            month = MONTHS[_month_key(m.group(month_group))]
            day = int(m.group(day_group))
            year = int(m.group(3)) if m.group(3) else _year_for(month, day, published, tense)
            return (_iso(year, month, day), "day", "date") if year else (None, "day", "date")
    if m := _MONTH_YEAR.search(lower):
        return f"{int(m.group(2)):04d}-{MONTHS[_month_key(m.group(1))]:02d}", "month", "date"
    if m := _YEAR.match(lower):
        return m.group(1), "year", "date"
    if published is None:
        return None, None, "date"
    if m := _WEEKDAY.search(lower):
        return (
            _weekday(WEEKDAYS.index(m.group(1).lower()), published, tense, lower).isoformat(),
            "day",
            "date",
        )
    for word, shift in _RELATIVE.items():
        if word in lower:
            return (published + timedelta(days=shift)).isoformat(), "day", "date"
    return _relative_period(lower, published)


def _month_key(text: str) -> str:
    word = text.lower().rstrip(".")
    return word if word in MONTHS else word[:3]


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_for(month: int, day: int, published: date | None, tense: str | None) -> int | None:
    """The year that puts the day on the side of publication the tense asks for, else the closest."""
    if published is None:
        return None
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if tense == "past":
        options = [d for d in options if d <= published] or options
    elif tense == "future":
        options = [d for d in options if d >= published] or options
    return min(options, key=lambda d: abs((d - published).days)).year if options else None


def _weekday(target: int, published: date, tense: str | None, lower: str) -> date:
    """'on Friday': the latest such day up to publication in past tense, the next one in future tense."""
    delta = (published.weekday() - target) % 7
    last = published - timedelta(days=delta)
    if "next" in lower or (tense == "future" and "last" not in lower):
        ahead = (target - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    if "last" in lower and delta == 0:
        return last - timedelta(days=7)
    return last


def _relative_period(lower: str, published: date) -> tuple[str | None, str | None, str]:
    shift = (
        -1
        if lower.startswith("last ")
        else 1
        if lower.startswith("next ")
        else 0
        if lower.startswith("this ")
        else None
    )
    if shift is None:
        return None, None, "date"
    unit = lower.split()[-1]
    if unit == "year":
        return str(published.year + shift), "year", "date"
    if unit == "month":
        month = published.month + shift
        year = published.year + (month - 1) // 12
        return f"{year:04d}-{(month - 1) % 12 + 1:02d}", "month", "date"
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
        iso = monday.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}", "week", "date"
    return None, None, "date"
