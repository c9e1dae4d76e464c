"""Corpus-level identity: one speaker, one key across a corpus.

The per-article record keys a speaker inside its article (`person:obama` here, `person:barack obama`
there).  This pass reads only stored rows — every (article, source key) with its spellings and kind,
the person entities of each article, the articles' publishers and dates — and gives each of those an
identity:

- **unresolved**: a pronoun ("I", "You", "No one") is no one's name: kept per article, never ranked;
- **description**: unnamed and anonymous sources, and "names" that are numbers or fragments ("63
  percent", "2014 study"), are descriptions of one article (`unnamed:expert@<article>`): two articles'
  "a spokesperson" are not one person;
- **named**: the name is cleaned (epithets and titles stripped by the data file `epithets.txt` and
  resolve's titles: "Crooked Hillary Clinton" → "Hillary Clinton"; the text's spelling kept:
  "Ban Ki-moon"), its kind is the corpus' majority over articles (ties go to person), and a surname or
  given name alone joins the full name it stands for: the one full name in the same article, else the
  one full name of the corpus ending with it; between several, the one far more present in the same
  period and publisher (`DOMINANCE` ×); otherwise it stays apart.

Everything is a pure function of the stored rows, sorted before use, so re-running gives the same
keys and one ingest gives the same identities as the same articles ingested in parts.  An identity's
id is its canonical key (`person:hillary clinton`), stable across runs.  Users' corrections (merge,
split, rename: `Alias`) are applied last, in order; every merge is undone by a split of the same key.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from onrecord import keys

UNRESOLVED = "unresolved"  # the kind of a pronoun's identity
DESCRIPTION = "unnamed"  # the kind of a description's identity
NOT_RANKED = (DESCRIPTION, UNRESOLVED)  # kinds left out of the speaker ranking unless asked for
DOMINANCE = 3  # a candidate full name wins over the others when present in this many times their articles
PERIOD_DAYS = 31  # articles this close in publication date count as the same period
SAME_PUBLISHER = 2  # an article of the same publisher counts this many times
AUTOMATIC = "automatic"
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # a last word that is part of the name
ACTIONS = ("merge", "split", "rename")


@lru_cache(maxsize=1)
def stripped_words() -> frozenset[str]:
    """Epithets and titles that are stripped from the front of a name (folded, one word each)."""
    from onrecord.datafiles import lines

    words = {keys.fold(w) for w in lines("onrecord.corpus", "data/epithets.txt")}
    words |= {keys.fold(w) for w in lines("onrecord", "resolve/data/titles.txt") if " " not in keys.fold(w)}
    return frozenset(w for w in words if w)


@lru_cache(maxsize=1)
def organization_nouns() -> frozenset[str]:
    """Head nouns of organisations (resolve's data): "… Committee" is no person, whatever the text says."""
    from onrecord.datafiles import lines

    return frozenset(keys.fold(w) for w in lines("onrecord", "resolve/data/organization_nouns.txt"))


@lru_cache(maxsize=1)
def description_heads() -> frozenset[str]:
    from onrecord.datafiles import lines

    return frozenset(keys.fold(w) for w in lines("onrecord.corpus", "data/description_heads.txt"))


@lru_cache(maxsize=1)
def pronouns() -> frozenset[str]:
    from onrecord.datafiles import lines

    return frozenset(keys.fold(w) for w in lines("onrecord.corpus", "data/pronouns.txt"))


_HYPHEN = re.compile(r"(?<=\w) ?[-‐–] ?(?=\w)")


def clean_name(name: str | None, kind: str | None = None) -> str | None:
    """The name a speaker is compared by, or None when it is no name (a number, a fragment, a
    pronoun, nothing left after stripping).  Epithets and titles are stripped from people's names,
    never from organisations' ("Republican National Committee")."""
    words = [w for w in " ".join(str(name or "").split()).split(" ") if w]
    while words and (not words[0][:1].isupper() or not keys.fold(words[0])):  # "pro - Clinton", "‘"
        words.pop(0)
    while words and not keys.fold(words[-1]):
        words.pop()
    while kind != "organization" and len(words) > 1 and keys.fold(words[0]) in stripped_words():
        words.pop(0)
    text = _HYPHEN.sub("-", " ".join(words))
    folded = keys.fold(text)
    if not folded or folded in pronouns() or any(c.isdigit() for c in folded):
        return None
    if folded.split(" ")[-1] in description_heads():
        return None
    return text


def base_of(name: str) -> str:
    """The comparable form of a cleaned name: folded, variant spellings unified (the speaker key's rule)."""
    return keys.name_key(name, None).split(":", 1)[1]


@dataclass(slots=True)
class Member:
    """One speaker key in one article, with its spellings (name → attributions)."""

    article: str
    key: str
    kind: str | None
    anonymous: bool
    names: Counter = field(default_factory=Counter)
    base: str | None = None  # the cleaned name's base (named members only)
    spelling: str | None = None
    identity: str = ""
    rule: str = "same name"
    auto: str = ""  # the identity before users' corrections
    auto_rule: str = ""

    @property
    def n(self) -> int:
        return sum(self.names.values())

    @property
    def name(self) -> str:
        return min(self.names, key=lambda s: (-self.names[s], s))


@dataclass(frozen=True, slots=True)
class Alias:
    """A user's correction: merge KEY into TARGET, split KEY out, rename KEY to NAME."""

    action: str
    key: str
    value: str = ""


def members_of(rows: Iterable[Mapping[str, Any]]) -> list[Member]:
    """(article, key, name, kind, anonymous, n) rows → one `Member` per (article, key), sorted."""
    found: dict[tuple[str, str], Member] = {}
    for row in rows:
        at = (row["article"], row["key"])
        if at not in found:
            found[at] = Member(row["article"], row["key"], row["kind"], bool(row["anonymous"]))
        member = found[at]
        member.kind = keys.smallest(member.kind, row["kind"])
        member.anonymous = member.anonymous or bool(row["anonymous"])
        member.names[row["name"] or ""] += int(row["n"])
    return [found[at] for at in sorted(found)]


def _describe(member: Member) -> None:
    """An unresolved pronoun or a description: an identity of its own article."""
    folded = keys.fold(member.name)
    if member.kind is None or folded in pronouns():
        member.identity = f"{UNRESOLVED}:{folded or '?'}@{member.article[:12]}"
        member.rule = "pronoun"
    else:
        member.identity = f"{DESCRIPTION}:{member.key.split(':', 1)[-1]}@{member.article[:12]}"
        member.rule = "description"


def _classify(members: list[Member]) -> list[Member]:
    """Give descriptions and pronouns their per-article identity; return the named members."""
    named = []
    for member in members:
        cleaned = None if member.kind == DESCRIPTION or member.anonymous else clean_name(member.name, member.kind)
        if cleaned is None:
            _describe(member)
            continue
        member.spelling, member.base = cleaned, base_of(cleaned)
        named.append(member)
    return named


@dataclass(slots=True)
class Evidence:
    """What the corpus says about every base: kind votes per article, spellings, and per article the
    full names present (from speakers and person entities) with how often."""

    votes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    spellings: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    present: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # article → base → n
    articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # base → articles
    personal: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # base → articles saying person

    def add(self, article: str, base: str, kind: str | None, spelling: str, n: int) -> None:
        if kind in keys.NAMED:
            self.votes[base][(article, kind)] = 1
        self.spellings[base][spelling] += n
        self.present[article][base] += n
        self.articles[base].add(article)

    def kind(self, base: str) -> str:
        """Person when the text says so ("he", a title) in at least a third of the name's articles;
        else the majority over articles (each article votes once per kind); a tie goes to person when
        the name has a given name and a surname, else to organisation ("PolitiFact")."""
        said = len(self.personal.get(base, ()))
        if said and 3 * said >= len(self.articles[base]) and base.rsplit(" ", 1)[-1] not in organization_nouns():
            return "person"
        counts = Counter(kind for _, kind in self.votes.get(base, {}))
        if not counts:
            return keys.UNKNOWN_KIND
        tie = "person" if " " in base else "organization"
        return max(counts, key=lambda k: (counts[k], k == tie, k))


@lru_cache(maxsize=1)
def person_words() -> frozenset[str]:
    """Words of a source's mention that say it is a person: pronouns and one-word titles ("he", "Mr.",
    "CEO", "Admiral Harris")."""
    return frozenset({"he", "she", "him", "her", "his", "hers"} | stripped_words() - {"former", "late", "then"})


def personal(written: Iterable[Mapping[str, Any]]) -> set[tuple[str, str]]:
    """(article, key) of the sources whose mention in the text shows a person."""
    words = person_words()
    return {(r["article"], r["key"]) for r in written if words & set(keys.fold(r["mention"] or "").split())}


def gather(named: list[Member], entities: Iterable[Mapping[str, Any]], persons: set[tuple[str, str]]) -> Evidence:
    """The corpus' evidence, with the articles whose text names a source as a person ("he", a title),
    whatever their NER said."""
    evidence = Evidence()
    for member in named:
        if (member.article, member.key) in persons:
            evidence.personal[member.base].add(member.article)
        evidence.add(member.article, member.base, member.kind, member.spelling, member.n)
    for row in entities:
        cleaned = clean_name(row["name"], row["type"])
        if cleaned and row["type"] in keys.NAMED:
            evidence.add(row["article"], base_of(cleaned), row["type"], cleaned, int(row["n"] or 1))
    return evidence


def _part_of(short: str, full: str, *, prefix: bool) -> bool:
    """Whether `short` is the end (or, with prefix, the start) of `full`, word by word."""
    if len(full) <= len(short):
        return False
    return full.endswith(" " + short) or (prefix and full.startswith(short + " "))


def _dominant(scores: Mapping[str, float]) -> str | None:
    """The one candidate, or the one far ahead of the others; None when it is ambiguous."""
    ranked = sorted(scores, key=lambda c: (-scores[c], c))
    if not ranked:
        return None
    if len(ranked) == 1 or scores[ranked[0]] >= DOMINANCE * scores[ranked[1]] > 0:
        return ranked[0]
    return None


@dataclass(slots=True)
class Context:
    """Publisher and date of every article, for breaking ties between candidates."""

    articles: dict[str, tuple[str | None, date | None]]

    def weight(self, here: str, there: str) -> float:
        publisher, day = self.articles.get(here, (None, None))
        other_publisher, other_day = self.articles.get(there, (None, None))
        if day and other_day and abs((day - other_day).days) > PERIOD_DAYS:
            return 0.0
        return float(SAME_PUBLISHER if publisher and publisher == other_publisher else 1)


@dataclass(slots=True)
class FullNames:
    """The corpus' full names of people (two words or more), indexed by their last and first word so a
    partial name meets only the full names it could stand for (no pass over all of them per name)."""

    by_last: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_first: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, evidence: Evidence) -> FullNames:
        found = cls()
        for base in sorted(b for b in evidence.spellings if " " in b and evidence.kind(b) == "person"):
            words = base.split(" ")
            found.by_last[words[-1]].append(base)
            found.by_first[words[0]].append(base)
        return found

    def ending(self, short: str) -> list[str]:
        return [f for f in self.by_last.get(short.rsplit(" ", 1)[-1], ()) if _part_of(short, f, prefix=False)]

    def starting(self, short: str) -> list[str]:
        return [f for f in self.by_first.get(short.split(" ", 1)[0], ()) if f.startswith(short + " ")]

    def headline(self, name: str) -> str | None:
        """A full name with a word glued on from a headline ("Marco Rubio Tell") → that full name;
        never a generational suffix ("Donald Trump Jr")."""
        words = name.split(" ")
        if len(words) < 3 or words[-1] in SUFFIXES:
            return None
        shorter = " ".join(words[:-1])
        return shorter if shorter in self.by_first.get(words[0], ()) else None


def _join(member: Member, evidence: Evidence, full: FullNames, context: Context) -> tuple[str, str]:
    """(base, rule): the full name a partial name stands for, or its own base.  A given name alone
    ("Hillary") joins by its first word only in its article, and only when no full name of the corpus
    ends with it ("Obama" is a surname, so "Obama Says" in a headline is no candidate)."""
    here = evidence.present[member.article]
    head = full.headline(member.base)
    if head:
        return head, "trailing word dropped"
    ending = full.ending(member.base)
    candidates = ending or (full.starting(member.base) if " " not in member.base else [])
    local = {f: float(here[f]) for f in candidates if f in here}
    if local:
        chosen = _dominant(local)
        return (chosen, "partial name in the article") if chosen else (member.base, "ambiguous in the article")
    if evidence.kind(member.base) == "organization":
        return member.base, "same name"
    scores = {f: sum(context.weight(member.article, a) for a in evidence.articles[f]) for f in candidates}
    chosen = _dominant({f: s for f, s in scores.items() if s > 0})
    if chosen:
        return chosen, "surname in the corpus" if len(scores) == 1 else "surname in the corpus, dominant"
    return member.base, "ambiguous in the corpus" if scores else "same name"


def _identify(named: list[Member], evidence: Evidence, context: Context) -> None:
    full = FullNames.of(evidence)
    for member in named:
        target, member.rule = _join(member, evidence, full, context)
        member.identity = f"{evidence.kind(target)}:{target}"


def _names(members: list[Member], evidence: Evidence) -> dict[str, str]:
    """Each identity's name: its most written spelling among its members (else the entities')."""
    written: dict[str, Counter] = defaultdict(Counter)
    for member in members:
        written[member.identity][member.spelling or member.name] += member.n
    names = {}
    for identity, counts in written.items():
        base = identity.split(":", 1)[1]
        pool = counts
        if "@" not in identity and not any(base_of(s) == base for s in counts if s):
            pool = evidence.spellings.get(base) or counts
        elif "@" not in identity:
            pool = Counter({s: n for s, n in counts.items() if s and base_of(s) == base})
        names[identity] = min(pool, key=lambda s: (-pool[s], s))
    return names


# -------------------------------------------------------------------------------------------------
# users' corrections


def _own(member: Member, evidence: Evidence) -> str:
    """A member's identity without any join: its own base (or its per-article description)."""
    if member.base is None:
        return member.auto
    return f"{evidence.kind(member.base)}:{member.base}"


def identity_keys(members: list[Member]) -> set[str]:
    return {m.identity for m in members}


def known_key(members: list[Member], key: str) -> bool:
    """Whether a correction's key names something: an identity or a variant (per-article) key."""
    return any(m.identity == key or m.key == key for m in members)


def apply_aliases(members: list[Member], aliases: Iterable[Alias], evidence: Evidence) -> dict[str, str]:
    """Apply corrections in order; return the renamed identities' names.  A key names an identity or a
    variant key; a split undoes every merge and automatic join of that key."""
    from onrecord.errors import Errors, OptionError

    renamed: dict[str, str] = {}
    for alias in aliases:
        if not known_key(members, alias.key):
            raise OptionError(Errors.E210.format(key=alias.key))
        if alias.action == "merge":
            if alias.value not in identity_keys(members) or alias.value == alias.key:
                raise OptionError(Errors.E211.format(key=alias.value))
            for m in members:
                if m.identity == alias.key or m.key == alias.key:
                    m.identity, m.rule = alias.value, "merged by user"
        elif alias.action == "split":
            for m in members:
                if m.auto == alias.key:
                    m.identity, m.rule = m.auto, m.auto_rule  # back to what the pass gave it
                elif m.key == alias.key:
                    m.identity, m.rule = _own(m, evidence), "split by user"
        else:
            renamed[_identity_of(members, alias.key)] = alias.value
    return renamed


def _identity_of(members: list[Member], key: str) -> str:
    return key if key in identity_keys(members) else next(m.identity for m in members if m.key == key)


# -------------------------------------------------------------------------------------------------
# the pass


@dataclass(slots=True)
class Result:
    """The identity tables: one row per identity, per (article, key) member, per variant spelling."""

    identities: list[dict[str, Any]]
    members: list[dict[str, Any]]
    variants: list[dict[str, Any]]


def resolve(
    mentions: Iterable[Mapping[str, Any]],
    entities: Iterable[Mapping[str, Any]] = (),
    articles: Iterable[Mapping[str, Any]] = (),
    aliases: Iterable[Alias] = (),
    written: Iterable[Mapping[str, Any]] = (),
) -> Result:
    """The corpus pass over stored rows (see the module's docstring): mentions are (article, key,
    name, kind, anonymous, n) per spelling, entities (article, name, type, n), articles (hash,
    publisher, published_date), written (article, key, mention): how the text names the source."""
    members = members_of(mentions)
    named = _classify(members)
    evidence = gather(named, entities, personal(written))
    context = Context({a["hash"]: (a.get("publisher"), a.get("published_date")) for a in articles})
    _identify(named, evidence, context)
    for member in members:
        member.auto, member.auto_rule = member.identity, member.rule
    renamed = apply_aliases(members, aliases, evidence)
    return _tables(members, evidence, renamed)


def _tables(members: list[Member], evidence: Evidence, renamed: Mapping[str, str]) -> Result:
    names = {**_names(members, evidence), **renamed}
    by_user = {m.identity for m in members if m.rule.endswith("by user")} | set(renamed)
    identities = [
        {
            "id": i,
            "name": names[i],
            "kind": i.split(":", 1)[0],
            "provenance": "user" if i in by_user else AUTOMATIC,
        }
        for i in sorted(names)
    ]
    rows = [{"article": m.article, "key": m.key, "identity": m.identity, "rule": m.rule} for m in members]
    variants: dict[tuple[str, str, str], dict[str, Any]] = {}
    for m in members:
        for spelling, n in m.names.items():
            row = variants.setdefault(
                (m.identity, m.key, spelling),
                {"identity": m.identity, "key": m.key, "name": spelling, "count": 0, "rule": m.rule},
            )
            row["count"] += n
            row["rule"] = min(row["rule"], m.rule)
    return Result(identities, rows, [variants[k] for k in sorted(variants)])


# -------------------------------------------------------------------------------------------------
# the aliases file: what researchers keep in version control

ALIASES_HEADER = "# onrecord speaker corrections, applied in order: action<TAB>key<TAB>target identity or new name"


def parse_aliases(text: str, name: str) -> list[Alias]:
    """`merge KEY TARGET`, `split KEY`, `rename KEY NAME`, tab-separated; `#` lines are comments."""
    from onrecord.errors import Errors, InputError

    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.rstrip("\r\n").split("\t")]
        action = fields[0].lower()
        wanted = 2 if action == "split" else 3
        if action not in ACTIONS or len(fields) != wanted or not all(fields):
            raise InputError(Errors.E212.format(name=name, line=number, wanted=wanted))
        found.append(Alias(action, fields[1], fields[2] if wanted == 3 else ""))
    return found


def read_aliases(path: str) -> list[Alias]:
    from pathlib import Path

    from onrecord.errors import Errors, InputError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Errors.E213.format(name=path, reason=type(exc).__name__)) from None
    return parse_aliases(text, path)


def format_aliases(aliases: Iterable[Alias]) -> str:
    lines = [ALIASES_HEADER]
    for a in aliases:
        lines.append("\t".join([a.action, a.key, *([a.value] if a.action != "split" else [])]))
    return "\n".join(lines) + "\n"
