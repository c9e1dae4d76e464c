"""Reading the rule data kept beside the code (word lists, patterns, tables), one way for every stage."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def lines(package: str, name: str) -> tuple[str, ...]:
    """Non-empty lines of a package's data file, with `#` comments and surrounding spaces removed.

    Regex files keep a literal `#` by writing it as `\\#` (a plain `#` starts a comment).
    """
    text = files(package).joinpath(name).read_text(encoding="utf-8")
    out = []
    for raw in text.splitlines():
        line = _strip_comment(raw).strip()
        if line:
            out.append(line)
    return tuple(out)


def _strip_comment(line: str) -> str:
    """Cut at the first `#` that is not escaped as `\\#`."""
    i = 0
    while True:
        i = line.find("#", i)
        if i < 0:
            return line
        if i == 0 or line[i - 1] != "\\":
            return line[:i]
        i += 1
