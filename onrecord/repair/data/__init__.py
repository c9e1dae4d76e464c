"""Word lists and patterns for the repair steps, kept as data so they can change without code."""

from __future__ import annotations

from functools import cache

from onrecord.datafiles import lines as data_lines


def lines(name: str) -> tuple[str, ...]:
    return data_lines(__package__, name)


@cache
def words(name: str) -> frozenset[str]:
    """A data file as a set of lowercase words."""
    return frozenset(line.lower() for line in lines(name))
