"""Speaker labels: "NAME: what they said" at the start of a paragraph (transcripts, headlines)."""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import _lines
from onrecord.attribute.nearby import doc_text

# Up to five capitalised words (initials, hyphens, apostrophes allowed), then a colon and text.
_LABEL = re.compile(r"^[ \t]*((?:[A-Z][\w.'’-]*)(?:[ \t]+[A-Z][\w.'’-]*){0,4})[ \t]*:[ \t]+(\S[^\n]*)", re.M)
MAX_LABEL_WORDS = 5


@lru_cache(maxsize=1)
def _not_speakers() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in _lines("not_speakers.txt"))


def find_labels(doc: Doc) -> list[Found]:
    """A label counts when it is shouted in capitals (transcripts) or tagged as a person/organisation."""
    found = []
    text = doc_text(doc)
    for match in _LABEL.finditer(text):
        label = match.group(1)
        if label.lower() in _not_speakers() or not _is_speaker(doc, match.start(1), match.end(1), label):
            continue
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


def _is_speaker(doc: Doc, start: int, end: int, label: str) -> bool:
    if label.isupper() and len(label) > 1:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in span)
