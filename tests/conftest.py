"""Shared fixtures: the real spaCy model (loaded once per session) and paths to optional data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="session")
def nlp():
    from onrecord.nlp import load
    from onrecord.settings import DEFAULT_MODEL

    return load(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def analyze(nlp):
    """onrecord.analyze with the session's model already loaded."""
    import onrecord

    return onrecord.analyze


def needs_shared(*parts: str) -> Path:
    """Path under ../shared, or skip the test cleanly when that folder is not on this machine."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available here")
    return path
