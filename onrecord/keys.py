"""THE speaker key and THE sourcing categories: one definition each, in Python and in the SQL beside it.

Every front end asks the same three questions of an attribution, and must get the same answer whether it
reads a record (the article page, `analyze`) or stored rows (`onrecord query`, the corpus pages, Spark):

- **Who is it?** `speaker_key(source)`: the record's `source.key` (resolve gives one to nearly every
  source: `name_key(name, kind)`), else the same rule applied to the source's name and kind.  The writer
  stores it in `attributions.source_key`; the web links a record's speakers with it.
- **What name does a key show?** The smallest spelling and the smallest kind seen win, each on its own,
  whatever the order of ingest (`merge_speaker` in Python; `SPEAKER_AGGREGATES` / `speaker_upsert_sql()`
  for DuckDB and Spark).  Reading, a key without a `speakers` row shows its most frequent spelling
  (`DISPLAY_NAME_SQL`).
- **How is it sourced?** `category(name, kind, anonymous)` on the stored fields (`source_category(source)`
  on a record's source) gives one of `CATEGORIES`; `category_sql()` is the same rule as a SQL CASE built
  from the same constants.  "Named" means person or organisation (`NAMED`).  Relayed (`is_relayed`,
  `relayed_sql`) is apart: any category can come through a relay.

tests/test_keys.py runs every case through Python and DuckDB and requires the same answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

# ---------------------------------------------------------------------------------------------------
# the speaker key

UNKNOWN_KIND = "unknown"  # the kind part of a key whose source has no kind


def fold(text: str) -> str:
    """Lower case without accents or punctuation: the comparable form of a name."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in kept).split())


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """Variant spelling → canonical word (resolve's data file `aliases.tsv`), read once."""
    from onrecord.datafiles import lines

    table = {}
    # through the top package: importing onrecord.resolve would load spaCy into a process that only reads
    for line in lines("onrecord", "resolve/data/aliases.tsv"):
        variant, _, canonical = line.partition("\t")
        table[variant.strip().lower()] = canonical.strip().lower()
    return table


def name_key(name: str, kind: str | None) -> str:
    """Stable cross-article identity: kind plus the folded name with variant spellings unified."""
    words = [aliases().get(w, w) for w in fold(name).split()]
    return f"{kind or UNKNOWN_KIND}:{' '.join(words)}"


def speaker_key(source: Mapping[str, Any] | None) -> str | None:
    """The key of a record's source (or relay, or addressee): its `key`, else `name_key` of its name and
    kind; None without a source or a name."""
    if not source:
        return None
    key = source.get("key")
    if key:
        return str(key)
    name = str(source.get("name") or "")
    if not fold(name):
        return None
    return name_key(name, source.get("kind"))


def speaker_kind(kind: str | None, key: str | None) -> str | None:
    """A stored speaker's kind for filtering: its stored kind, else the kind part of its key
    (`person:olaf scholz` → `person`)."""
    if kind is not None:
        return kind
    return None if key is None else key.split(":", 1)[0]


def speaker_kind_sql(alias: str = "a") -> str:
    """`speaker_kind` of a stored attribution (SQL)."""
    return f"coalesce({alias}.source_kind, split_part({alias}.source_key, ':', 1))"


# ---------------------------------------------------------------------------------------------------
# the name a key shows: smallest spelling and smallest kind win, None loses (as SQL's min() and least())

SPEAKER_FIELDS = ("name", "kind")
SPEAKER_AGGREGATES = {field: f"min({field})" for field in SPEAKER_FIELDS}  # DuckDB and Spark SQL alike


def smallest(a: str | None, b: str | None) -> str | None:
    """The smaller of two values; None only when both are None (SQL's least())."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def merge_speaker(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """A `speakers` row seen again: every field keeps its smallest value, whatever the order."""
    if old is None:
        return {"key": new["key"], **{f: new.get(f) for f in SPEAKER_FIELDS}}
    return {"key": new["key"], **{f: smallest(old.get(f), new.get(f)) for f in SPEAKER_FIELDS}}


def speaker_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per key from many (an article's speakers), merged by `merge_speaker`, sorted by key."""
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        merged[row["key"]] = merge_speaker(merged.get(row["key"]), row)
    return [merged[k] for k in sorted(merged)]


def speaker_select_sql(source: str) -> str:
    """`SELECT key, min(name) AS name, …` over a relation of speakers rows (`merge_speaker` in SQL)."""
    fields = ", ".join(f"{sql} AS {field}" for field, sql in SPEAKER_AGGREGATES.items())
    return f"SELECT key, {fields} FROM {source} GROUP BY key"


def speaker_upsert_sql(source: str) -> str:
    """Insert speakers rows into `speakers`, an existing key keeping the smaller of each field."""
    updates = ", ".join(f"{f} = least(speakers.{f}, excluded.{f})" for f in SPEAKER_FIELDS)
    return f"INSERT INTO speakers {speaker_select_sql(source)} ON CONFLICT (key) DO UPDATE SET {updates}"


# Reading: the key's `speakers` row (alias `s`), else what its attributions (alias `a`) say most often.
DISPLAY_NAME_SQL = "coalesce(any_value(s.name), mode(a.source_name))"
DISPLAY_KIND_SQL = "coalesce(any_value(s.kind), mode(a.source_kind))"


# ---------------------------------------------------------------------------------------------------
# sourcing categories

KINDS = ("person", "organization", "unnamed")  # kinds that are their own category
NAMED = ("person", "organization")
ANONYMOUS = "anonymous"
UNRESOLVED = "unresolved"  # a source whose kind the record leaves open
NONE = "none"  # no source at all
MIX_ORDER = (*KINDS, ANONYMOUS, UNRESOLVED)
CATEGORIES = (*MIX_ORDER, NONE)
LABELS = {
    "person": "named person",
    "organization": "organisation",
    "unnamed": "unnamed",
    ANONYMOUS: "anonymous",
    UNRESOLVED: "not resolved",
    NONE: "no source",
}


def kind_category(kind: str | None, anonymous: bool | None) -> str:
    """The category of a source that is there: anonymous wins over the kind."""
    if anonymous:
        return ANONYMOUS
    return kind if kind in KINDS else UNRESOLVED


def category(name: str | None, kind: str | None, anonymous: bool | None) -> str:
    """The category of a stored attribution (`source_name`, `source_kind`, `source_anonymous`);
    the writer stores a name for every source (records require one), so no name means no source."""
    if name is None:
        return NONE
    return kind_category(kind, anonymous)


def source_fields(source: Mapping[str, Any] | None) -> tuple[str | None, str | None, bool | None]:
    """(name, kind, anonymous) of a record's source, as the writer stores them."""
    if not source:
        return None, None, None
    return source.get("name"), source.get("kind"), source.get("anonymous")


def source_category(source: Mapping[str, Any] | None) -> str:
    """`category` of a record's source."""
    return category(*source_fields(source))


def label(category_: str) -> str:
    return LABELS.get(category_, LABELS[UNRESOLVED])


def _quoted(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def category_sql(alias: str = "a") -> str:
    """`category` of a stored attribution (alias `alias`) as a SQL CASE, built from the same constants."""
    return (
        f"CASE WHEN {alias}.source_name IS NULL THEN '{NONE}'"
        f" WHEN coalesce({alias}.source_anonymous, FALSE) THEN '{ANONYMOUS}'"
        f" WHEN {alias}.source_kind IN ({_quoted(KINDS)}) THEN {alias}.source_kind"
        f" ELSE '{UNRESOLVED}' END"
    )


def is_relayed(attribution: Mapping[str, Any]) -> bool:
    """Whether a record's attribution came through someone else (a non-empty `via`)."""
    return bool(attribution.get("via"))


def relayed_sql(alias: str = "a") -> str:
    """`is_relayed` of a stored attribution (SQL)."""
    return f"(len(coalesce({alias}.via, [])) > 0)"


def mix(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """Counts per category (every category, in display order), the shape the sourcing charts draw."""
    return [{"kind": c, "label": LABELS[c], "count": counts.get(c, 0)} for c in CATEGORIES]


def shares(counts: Mapping[str, int]) -> dict[str, float]:
    """Each category's share of all attributions counted, and `named` (person + organisation)."""
    total = sum(counts.values())
    found = {c: (counts.get(c, 0) / total if total else 0.0) for c in CATEGORIES}
    return {**found, "named": sum(found[c] for c in NAMED)}
