"""Rule data for attribution cues, read once from the data files beside this module."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from onrecord.datafiles import lines

DATA = Path(__file__).parent / "data"


def _lines(name: str) -> tuple[str, ...]:
    return lines("onrecord.attribute", f"data/{name}")


def read_frames(name: str) -> dict[str, frozenset[str]]:
    """lemma -> frames from a `lemma <TAB> frame,frame [<TAB> notes]` file."""
    frames: dict[str, set[str]] = {}
    for line in _lines(name):
        lemma, spec = [*line.split("\t"), ""][:2]
        frames.setdefault(lemma.strip(), set()).update(f.strip() for f in spec.split(",") if f.strip())
    return {lemma: frozenset(f) for lemma, f in frames.items()}


@lru_cache(maxsize=1)
def cue_frames() -> dict[str, frozenset[str]]:
    """lemma -> the frames (clause, object, to, xcomp, prep:P) in which it cues an attribution."""
    return read_frames("cues.tsv")


@lru_cache(maxsize=1)
def frame_precision() -> dict[tuple[str, str], float]:
    """(lemma, frame) -> precision measured on the train split, used as the attribution's confidence."""
    table: dict[tuple[str, str], float] = {}
    for line in _lines("cues.tsv"):
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        for item in parts[2].split():
            frame, _, stats = item.partition("=")
            precision = float(stats.split("/")[0])
            if precision >= 0:
                table[(parts[0], frame)] = precision
    return table


@lru_cache(maxsize=1)
def outlets() -> frozenset[str]:
    """Lower-cased names of news outlets and wires, which relay rather than originate statements,
    each also without a leading "the" ("the associated press" and "associated press")."""
    names = {line.lower() for line in _lines("outlets.txt")}
    return frozenset(names | {name.removeprefix("the ") for name in names})


@lru_cache(maxsize=1)
def finding_nouns() -> frozenset[str]:
    """Lemmas of polls and surveys, which are sources when a clause is "in" one."""
    return frozenset(_lines("finding_nouns.txt"))
