"""Moved to onrecord.inputs; kept only for eval/bench.py and store/db.py's marker functions until the merge."""

from onrecord.inputs import TABLES_MARKER, count, items, require  # noqa: F401
from onrecord.inputs import expand as _expand


def expand(paths: list[str]) -> list:
    return require(_expand(paths))
