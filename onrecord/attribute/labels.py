"""Speaker labels: "NAME: what they said" at the start of a paragraph (transcripts, headlines)."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from onrecord.attribute.filters import mistagged
from onrecord.attribute.found import Found
from onrecord.attribute.frames import subject
from onrecord.attribute.lexicon import _lines
from onrecord.attribute.nearby import doc_text

# Up to five capitalised words (initials, hyphens, apostrophes allowed), then a colon and text.
_LABEL = re.compile(r"^[ \t]*((?:[A-Z][\w.'’-]*)(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*:[ \t]+(\S[^\n]*)", re.M)
MAX_LABEL_WORDS = 5
MAX_HEADLINE_WORDS = 30  # a longer first line is a paragraph, not a headline
MIN_HEADLINE_WORDS = 3  # "Poll: Lead Narrows" at the least


@lru_cache(maxsize=1)
def _not_speakers() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _lines("not_speakers.txt"))


def find_labels(doc: Doc) -> list[Found]:
    """A label counts when it is shouted in capitals (transcripts), tagged as a person/organisation,
    or opens the headline: "Mayor: Bridge Will Reopen" is the headline form of a statement, and in
    title case the tagger rarely recognises the name."""
    found = []
    text = doc_text(doc)
    headline = _headline_end(text)
    for match in _LABEL.finditer(text):
        label = match.group(1)
        if label.lower() in _not_speakers() or label.split()[0].lower() == "by":
            continue  # "By Marta Kessel: …" is a byline: the writer's own text follows
        in_headline = match.start() < headline and len(match.group(2).split()) >= MIN_HEADLINE_WORDS
        if not in_headline and not _is_speaker(doc, match.start(1), match.end(1), label):
            continue
        if not in_headline and not _states_something(doc, match.start(2), match.end(2)):
            continue  # "WELCOME OFFER: 80,000 Points", "Posted: Thursday": a label and a value
        colon = text.index(":", match.end(1))
        found.append(
            Found(
                content=[(match.start(2), match.end(2))],
                cue=(colon, colon + 1),
                cue_lemma=":",
                source=(match.start(1), match.end(1)),
                name=label.title() if label.isupper() and len(label) > 3 else label,
                confidence=0.75,
            )
        )
    return found


def _states_something(doc: Doc, start: int, end: int) -> bool:
    """What follows a speaker's label is a statement: it has a verb (a value, a date or a name has none)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    # a noun the tagger took for a verb ("CARD HIGHLIGHTS: 2X points on …") makes no statement
    return span is not None and any(t.pos_ in ("VERB", "AUX") and not mistagged(t, subject(t)) for t in span)


def _is_speaker(doc: Doc, start: int, end: int, label: str) -> bool:
    if label.isupper() and len(label) > 1:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in span)


def _headline_end(text: str) -> int:
    """Where the first non-empty line ends, when it is short enough to be a headline; else 0."""
    start = len(text) - len(text.lstrip())
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return end if len(text[start:end].split()) <= MAX_HEADLINE_WORDS else 0
