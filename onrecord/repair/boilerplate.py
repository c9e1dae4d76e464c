"""Find page boilerplate (copyright lines, newsletter prompts, photo credits) in scraped article text.

Boilerplate is set aside rather than parsed: a copyright line glued to the last paragraph otherwise
turns into a bogus sentence, and "Sign up for our newsletter" into a bogus speaker.  Marking is
conservative: only whole lines, only by the patterns in `data/boilerplate.txt`, and a pattern that is
not anchored at the line start never marks a line that reads like reported speech.
"""

from __future__ import annotations

import re

from onrecord.repair.data import lines

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _compile_trusted(patterns: list[str]) -> re.Pattern[str] | None:
    """Line-start patterns behind one literal newline, so the scan jumps from line to line in C."""
    if not patterns:
        return None
    body = "|".join(f"(?:{p.removeprefix('^')})" for p in patterns)
    return re.compile(f"\n(?:{body})", re.MULTILINE)


def _compile_guarded(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    """Unanchored patterns each on their own: one starting with a literal is scanned in C, while an
    alternation of them would try every branch at every character."""
    return tuple(re.compile(p, re.MULTILINE) for p in patterns)


_PATTERNS = lines("boilerplate.txt")
_TRUSTED = _compile_trusted([p for p in _PATTERNS if p.startswith("^")])
_GUARDED = _compile_guarded([p for p in _PATTERNS if not p.startswith("^")])
_SPEECH = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in lines("attribution_hints.txt")) + r")\b")


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Spans of boilerplate lines in input coordinates, each a whole line with its newline."""
    lowered = _lower(text)
    starts: dict[int, int] = {}
    for start, end in _trusted_lines(lowered):
        starts[start] = end
    for start, end in _guarded_lines(lowered):
        starts.setdefault(start, end)
    return sorted(starts.items())


def _lower(text: str) -> str:
    """Lowercase without moving offsets (a few letters change length under full case folding)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def _trusted_lines(lowered: str) -> list[tuple[int, int]]:
    """Lines where an anchored pattern matches: they mark their line whatever else it says."""
    if _TRUSTED is None:
        return []
    padded = "\n" + lowered  # the first line starts after a newline too; offsets shift by one
    return [_line_at(lowered, m.start()) for m in _TRUSTED.finditer(padded)]


def _guarded_lines(lowered: str) -> list[tuple[int, int]]:
    """Lines where an unanchored pattern matches, unless the line reads like reported speech."""
    found = []
    for pattern in _GUARDED:
        for m in pattern.finditer(lowered):
            start, end = _line_at(lowered, m.start())
            if not _SPEECH.search(lowered, start, end):
                found.append((start, end))
    return found


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """The line holding `pos`, including its trailing newline when it has one."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end + 1
