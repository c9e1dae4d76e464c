"""Loading the spaCy pipeline once per process and parsing in batches."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.errors import Errors, ModelError

# Texts longer than spaCy's default limit are legitimate here (long-form articles, 5 MB inputs);
# the parser's memory grows with sentence length, not document length, so the limit is raised.
MAX_LENGTH = 20_000_000


PARAGRAPHS = "onrecord_paragraphs"


@Language.component("onrecord_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs.

    News text is one paragraph per line; headlines, datelines ("5:45 p.m.") and bylines have no final
    period, and without this the parser glues them to the next sentence and picks subjects across
    the break.  The parser keeps boundaries that are already set.
    """
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load(model: str) -> Language:
    """Load an installed pipeline by package name or path; never downloads."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(Errors.E050.format(model=model)) from exc
    if "parser" not in nlp.pipe_names:
        raise ModelError(Errors.E051.format(model=model))
    if PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPHS, before="parser")
    nlp.max_length = MAX_LENGTH
    return nlp
