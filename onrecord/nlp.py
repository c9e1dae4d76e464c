"""Loading the spaCy pipeline once per process and parsing in batches."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from onrecord.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

# Texts longer than spaCy's default limit are legitimate here (long-form articles, 5 MB inputs);
# the parser's memory grows with sentence length, not document length, so the limit is raised.
MAX_LENGTH = 20_000_000


@lru_cache(maxsize=4)
def load(model: str) -> Language:
    """Load an installed pipeline by package name or path; never downloads."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed; install its package or pass --model / "
            f"ONRECORD_MODEL with an installed one"
        ) from exc
    if "parser" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {model!r} has no dependency parser, which onrecord needs")
    nlp.max_length = MAX_LENGTH
    return nlp
