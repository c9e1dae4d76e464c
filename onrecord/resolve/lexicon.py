"""Rule data for resolution (titles, organisation nouns, anonymity markers), read once; the speaker
key and its alias table live in onrecord/keys.py."""

from __future__ import annotations

from functools import lru_cache

from onrecord.datafiles import lines


def _lines(name: str) -> tuple[str, ...]:
    return lines("onrecord.resolve", f"data/{name}")


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    return frozenset(line.lower() for line in _lines("titles.txt"))


@lru_cache(maxsize=1)
def role_synonyms() -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for line in _lines("role_synonyms.tsv"):
        nominal, _, targets = line.partition("\t")
        table[nominal.strip()] = frozenset(t.strip() for t in targets.split(",") if t.strip())
    return table


@lru_cache(maxsize=1)
def organization_nouns() -> frozenset[str]:
    return frozenset(line.lower() for line in _lines("organization_nouns.txt"))


@lru_cache(maxsize=1)
def organization_names() -> frozenset[str]:
    return frozenset(line.lower() for line in _lines("organization_names.txt"))


@lru_cache(maxsize=1)
def capitals() -> frozenset[str]:
    return frozenset(line.lower() for line in _lines("capitals.txt"))


@lru_cache(maxsize=1)
def anonymity() -> tuple[frozenset[str], tuple[str, ...]]:
    """(head nouns that are anonymous when unnamed, phrases that mark anonymity anywhere)."""
    heads, phrases = set(), []
    for line in _lines("anonymous.txt"):
        if line.startswith("phrase:"):
            phrases.append(line.removeprefix("phrase:").strip().lower())
        else:
            heads.add(line.lower())
    return frozenset(heads), tuple(phrases)


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    """Lemmas of common nouns that denote people ("official", "singer", "the celeb")."""
    return frozenset(_lines("person_nouns.txt"))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common given names, lower case (several per line in the data file)."""
    return frozenset(word for line in _lines("given_names.txt") for word in line.split())


@lru_cache(maxsize=1)
def vessel_nouns() -> frozenset[str]:
    """Lemmas of nouns for a piece of speech or writing whose possessor is its speaker ("its statement")."""
    return frozenset(_lines("vessel_nouns.txt"))


@lru_cache(maxsize=1)
def thing_heads() -> frozenset[str]:
    """Last words of names that name no person even when a person's name opens them ('Harris-Frank Act',
    'Brandt Bridge'): laws, documents, places and events."""
    return frozenset(line.lower() for line in _lines("thing_heads.txt"))
