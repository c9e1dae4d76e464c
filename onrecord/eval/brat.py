"""Reading brat-standoff gold corpora laid out like PolNeAR (`DIR/text/*.txt`, `DIR/attributions/*.ann`).

Shared by scoring (`onrecord evaluate`, eval/score.py), training (`onrecord train`) and the cue learner
(scripts/learn_cues.py), so that all three read the same attributions with the same offsets:

* per article only the annotator id that sorts first is used; one attribution per brat event (E line)
  with its Content (and Content2 ...), Source and Cue segments; events without a Content are skipped;
* offsets are code-point offsets into the .txt read as UTF-8 with no newline translation;
* spans are compared after `onrecord.spans.trim`, the protocol's normalisation (blanks and punctuation
  off both ends), which training and the run-time verb-chain merge use too.

Stdlib only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from onrecord.errors import Errors, GoldError
from onrecord.spans import Seg

__all__ = ["GoldArticle", "GoldAttribution", "load_gold"]


@dataclass(slots=True)
class GoldAttribution:
    """One gold event; segments are raw (untrimmed), sorted and merged; [] = role absent."""

    content: list[Seg]
    source: list[Seg]
    cue: list[Seg]


@dataclass(slots=True)
class GoldArticle:
    name: str
    text: str
    attributions: list[GoldAttribution]


# An annotation line starts with its id and a tab; any other non-blank line continues the text
# field of the line above (brat writes a span's newline verbatim), and its offsets already say all.
_ANNOTATION_LINE = re.compile(r"[TERAMN#*]\d*\t")


def load_gold(directory: str | Path) -> list[GoldArticle]:
    """Read every article of a corpus, sorted by name; GoldError when it is not laid out as such."""
    text_dir, ann_dir = _layout(Path(directory))
    names = sorted(p.name[: -len(".txt")] for p in text_dir.glob("*.txt") if p.is_file())
    if not names:
        raise GoldError(Errors.E072.format(folder=text_dir))
    chosen = _first_annotator(ann_dir, set(names))
    if not chosen:
        raise GoldError(Errors.E073.format(ann_dir=ann_dir, text_dir=text_dir))
    return [_load_article(name, text_dir / f"{name}.txt", chosen.get(name)) for name in names]


def _layout(root: Path) -> tuple[Path, Path]:
    """Check the two folders up front, so a wrong --gold fails with a message and not a traceback."""
    if not root.is_dir():
        raise GoldError(Errors.E070.format(root=root))
    text_dir, ann_dir = root / "text", root / "attributions"
    missing = [p.name + "/" for p in (text_dir, ann_dir) if not p.is_dir()]
    if missing:
        raise GoldError(Errors.E071.format(root=root, missing=" and ".join(missing)))
    return text_dir, ann_dir


def _first_annotator(ann_dir: Path, names: set[str]) -> dict[str, Path]:
    """Pick, per article, the .ann of the annotator id that sorts first (one annotation each)."""
    best: dict[str, tuple[str, Path]] = {}
    for path in ann_dir.glob("*.ann"):
        article, sep, annotator = path.name[: -len(".ann")].rpartition("_")
        if not sep or article not in names:
            continue
        if article not in best or annotator < best[article][0]:
            best[article] = (annotator, path)
    return {article: path for article, (_, path) in best.items()}


def _read_text(path: Path) -> str:
    """Decode without newline translation: gold offsets count a CR LF as two characters."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(Errors.E074.format(path=path, reason=exc)) from exc


def _load_article(name: str, text_path: Path, ann_path: Path | None) -> GoldArticle:
    text = _read_text(text_path)
    if ann_path is None:
        return GoldArticle(name, text, [])
    bounds, events = _parse_ann(_read_text(ann_path), ann_path)
    found = (_gold_attribution(roles, bounds, len(text)) for roles in events)
    return GoldArticle(name, text, [a for a in found if a is not None])


def _parse_ann(source: str, path: Path) -> tuple[dict[str, list[Seg]], list[list[tuple[str, str]]]]:
    """Text-bound segments by id, and each event's (role, id) arguments; the rest is ignored."""
    bounds: dict[str, list[Seg]] = {}
    events: list[list[tuple[str, str]]] = []
    for number, line in enumerate(source.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or not _ANNOTATION_LINE.match(line):
            continue
        ident, fields = line.split("\t", 1)
        body = fields.split("\t", 1)[0]
        if ident.startswith("T"):
            bounds[ident] = _parse_segments(body, f"{path}:{number}")
        elif ident.startswith("E"):
            events.append([_role_argument(arg) for arg in body.split()])
    return bounds, events


def _parse_segments(body: str, where: str) -> list[Seg]:
    """'Label 10 20;30 40' -> [(10, 20), (30, 40)]."""
    _, _, spans = body.partition(" ")
    try:
        segments = [(int(a), int(b)) for a, b in (chunk.split() for chunk in spans.split(";"))]
    except ValueError:
        raise GoldError(Errors.E075.format(where=where, body=body)) from None
    return sorted(segments)


def _role_argument(arg: str) -> tuple[str, str]:
    """'Content2:T7' -> ('Content', 'T7'): numbered roles are more segments of the same role."""
    role, _, ref = arg.partition(":")
    return role.rstrip("0123456789"), ref


def _gold_attribution(roles: list[tuple[str, str]], bounds: dict[str, list[Seg]], size: int) -> GoldAttribution | None:
    """An event as an attribution, or None when it has no content or points outside the text."""
    by_role: dict[str, list[Seg]] = defaultdict(list)
    for role, ref in roles:
        by_role[role].extend(bounds.get(ref, []))
    if not by_role["Content"]:
        return None
    if any(not 0 <= s <= e <= size for segs in by_role.values() for s, e in segs):
        return None
    return GoldAttribution(_merge(by_role["Content"]), _merge(by_role["Source"]), _merge(by_role["Cue"]))


def _merge(segments: list[Seg]) -> list[Seg]:
    """Sort and fuse overlapping or touching segments, so no character is counted twice."""
    merged: list[Seg] = []
    for start, end in sorted(set(segments)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
