"""What the source did: speech, thought, intention or evidence, from the cue's lemma and frame
(`data/acts.tsv`) and the kind of source (`data/evidence_subjects.txt`)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import _lines
from onrecord.record import ACTS  # the one list of acts, beside the record's Act

DEFAULT = "speech"  # quotations, labels, "according to", "in a statement" and every unlisted verb


@lru_cache(maxsize=1)
def act_table() -> dict[tuple[str, str], str]:
    """(lemma, frame) -> act; frame "*" stands for every frame of the lemma."""
    table: dict[tuple[str, str], str] = {}
    for line in _lines("acts.tsv"):
        lemma, frame, act = (part.strip() for part in line.split("\t")[:3])
        if act not in ACTS:
            raise ValueError(f"acts.tsv: unknown act {act!r} for {lemma}")
        table[(lemma, frame)] = act
    return table


@lru_cache(maxsize=1)
def act_table_lemmas() -> frozenset[str]:
    return frozenset(lemma for lemma, _ in act_table())


@lru_cache(maxsize=1)
def evidence_subjects() -> frozenset[str]:
    return frozenset(_lines("evidence_subjects.txt"))


@lru_cache(maxsize=1)
def media_subjects() -> frozenset[str]:
    """Things that carry someone's words (an ad, a tweet, a column): as a subject they report."""
    return frozenset(_lines("media_subjects.txt"))


def act_of(lemma: str, frame: str, source_lemma: str | None) -> str:
    """The act of a cue `lemma` read in `frame` whose source's head noun has `source_lemma`."""
    if source_lemma is not None and source_lemma in evidence_subjects():
        return "evidence"
    table = act_table()
    return table.get((lemma, frame)) or table.get((lemma, "*")) or DEFAULT


def assign_acts(doc: Doc, found: list[Found]) -> None:
    """Set `act` on every attribution; a quotation that continues a speaker keeps their act."""
    for item in found:
        source_lemma = None
        if item.source is not None:
            span = doc.char_span(*item.source, alignment_mode="expand")
            if span is not None and len(span):
                root = span.root
                source_lemma = root.lemma_.lower() if root.pos_ in ("NOUN", "PROPN") else None
        lemma = item.cue_lemma if item.cue is not None else ""
        item.act = act_of(lemma, item.frame, source_lemma)
    for item in found:
        if item.cue is None and item.continues is not None:
            item.act = "speech"
