"""The people and organisations of one article: canonical names, roles, and every mention.

Built from spaCy's entities, then corrected by document consistency: the small model tags the same
surname PERSON in one sentence and GPE in the next; a name that is part of a PERSON anywhere in the
article is a person everywhere in it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from onrecord.attribute.lexicon import outlets
from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import find_quotes
from onrecord.keys import fold
from onrecord.keys import name_key as speaker_key
from onrecord.resolve.gender import decide, name_gender, pronoun_after, readings, title_gender
from onrecord.resolve.lexicon import (
    capitals,
    given_names,
    organization_names,
    organization_nouns,
    thing_heads,
    titles,
)

_POSSESSIVE = ("'s", "’s", "'", "’")
_ORG_LABELS = ("ORG",)
_PLACE_LABELS = ("GPE", "LOC", "FAC")
_ROLE_MODIFIERS = ("compound", "amod", "nmod", "poss", "nummod", "npadvmod")


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str  # person | organization | place
    roles: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token ranges
    gender: str | None = None  # from titles, given name and safe readings (resolve/gender.py)
    # every mention labels a thing ("the Larkwood shop", "his Vantor camera"): a name the
    # tagger took for a person that the article never introduces as someone (`attributive_only`)
    attributive: bool = False

    @property
    def key(self) -> str:
        return speaker_key(self.name, "person" if self.type == "person" else "organization")


@dataclass(slots=True)
class EntityTable:
    entities: list[Entity]
    by_token: dict[int, Entity]
    # Mention starts in text order, for "the most recent person before this pronoun".
    order: list[tuple[int, Entity]]
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [s for s, _ in self.order]

    def at(self, head: int) -> Entity | None:
        """The entity a mention refers to: the one naming its head word ('the Halden port authority'
        is the authority, not Halden)."""
        return self.by_token.get(head)

    def before(self, token: int, types: tuple[str, ...], limit: int = 4) -> list[Entity]:
        """Up to `limit` entities of the given types mentioned before `token`, nearest first."""
        i = bisect_right(self.starts, token - 1)
        seen: list[Entity] = []
        while i > 0 and len(seen) < limit:
            i -= 1
            entity = self.order[i][1]
            if entity.type in types and entity not in seen:
                seen.append(entity)
        return seen


def build_entities(doc: Doc) -> EntityTable:
    tokens = list(doc)  # spaCy makes a new Token object on every iteration: the scans share one list
    people = _people(doc, tokens)
    organizations = _organizations(doc, tokens, people)
    entities = [*people, *organizations]
    for number, entity in enumerate(sorted(entities, key=lambda e: e.mentions[0][0]), start=1):
        entity.id = f"e{number}"
    entities.sort(key=lambda e: int(e.id[1:]))
    by_token = {i: e for e in entities for s, t in e.mentions for i in range(s, t)}
    order = sorted(((s, e) for e in entities for s, _ in e.mentions), key=lambda pair: pair[0])
    return EntityTable(entities, by_token, order)


def _name_tokens(ent: Span) -> list[Token]:
    """The name proper: no leading titles, no trailing possessive, no lower-case word at either end
    ('Tomas nods', 'baker Ilse', 'sourdough': the tagger's span ran over common words; a particle
    such as 'de' or 'van' stays inside a name)."""
    tokens = [t for t in ent if t.text not in _POSSESSIVE]
    while tokens and (tokens[0].lower_ in titles() or tokens[0].lower_.rstrip(".") + "." in titles()):
        tokens = tokens[1:]
    while tokens and tokens[-1].text.endswith(_POSSESSIVE) and tokens[-1].text in _POSSESSIVE:
        tokens = tokens[:-1]
    while tokens and not _name_like(tokens[0]):
        tokens = tokens[1:]
    while tokens and not _name_like(tokens[-1]):
        tokens = tokens[:-1]
    return [] if _names_a_thing(tokens) else tokens


def _name_like(token: Token) -> bool:
    return any(ch.isupper() for ch in token.text)


def _names_a_thing(tokens: list[Token]) -> bool:
    """'Frank Act', 'Brandt Bridge': a law, a place or an event named after someone (`thing_heads.txt`)."""
    return len(tokens) >= 2 and tokens[-1].lower_ in thing_heads()


def _people(doc: Doc, doc_tokens: list[Token]) -> list[Entity]:
    mentions: list[list[Token]] = [_name_tokens(e) for e in doc.ents if e.label_ == "PERSON"]
    mentions = [m for m in mentions if m and all(t.is_alpha or t.text in ".-'’" for t in m)]
    given_surnames = {fold(m[-1].text) for m in mentions if len(m) >= 2}
    mentions = [
        m
        for m in mentions
        if not _is_capital(m, given_surnames) and not _is_outlet(m, given_surnames) and not _is_call_sign(m, doc)
    ]
    mentions.extend(_titled_names(doc_tokens, {t.i for m in mentions for t in m}))
    mentions.extend(_given_names(doc_tokens, {t.i for m in mentions for t in m}))
    full = [m for m in mentions if len(m) >= 2]
    surnames = {fold(m[-1].text) for m in full} | {fold(m[0].text) for m in mentions if len(m) == 1}
    mentions.extend(_untagged_surnames(doc_tokens, surnames, mentions))
    in_quote = _quote_test(doc)
    clusters: dict[str, Entity] = {}
    last_of: dict[str, list[str]] = {}
    for tokens in sorted(mentions, key=lambda m: (-len(m), m[0].i)):
        surname = fold(tokens[-1].text)
        if len(tokens) >= 2:
            key = fold(" ".join(t.text for t in tokens))
            if key not in clusters and not _extends(key, clusters):
                clusters[key] = Entity("", " ".join(t.text for t in tokens), "person")
                last_of.setdefault(surname, []).append(key)
            key = key if key in clusters else _extends(key, clusters) or key
        else:
            keys = last_of.get(surname)
            key = _namesake(keys, clusters, doc_tokens, tokens[0].i, in_quote) if keys else surname
            if key not in clusters:
                clusters[key] = Entity("", tokens[0].text, "person")
                last_of.setdefault(surname, []).append(key)
        clusters[key].mentions.append((tokens[0].i, tokens[-1].i + 1))
    for entity in clusters.values():
        entity.mentions.sort()
        entity.roles = _roles(doc, entity)
        entity.attributive = attributive_only(doc_tokens, entity)
    _genders(doc, doc_tokens, list(clusters.values()), in_quote)
    return list(clusters.values())


def _quote_test(doc: Doc) -> Callable[[int], bool]:
    """Whether a character offset lies inside a quotation of the article."""
    quotes = [(q.inner_start, q.inner_end) for q in find_quotes(doc_text(doc))]
    starts = [start for start, _ in quotes]

    def inside(at: int) -> bool:
        i = bisect_right(starts, at) - 1
        return i >= 0 and quotes[i][0] <= at < quotes[i][1]

    return inside


def _cluster_gender(entity: Entity, doc_tokens: list[Token]) -> str | None:
    """What the cluster's mentions so far say: their titles, else its given name."""
    titled = [g for s, _ in entity.mentions if (g := title_gender(doc_tokens, s)) is not None]
    return decide(titled, name_gender(entity.name), [])


def _namesake(
    keys: list[str], clusters: dict[str, Entity], doc_tokens: list[Token], token: int, in_quote: Callable[[int], bool]
) -> str:
    """Of the people sharing a surname, the one a lone surname names: the one whose gender agrees
    with the mention's title ("Mrs. Vell") or, between namesakes of both genders, with the pronoun
    after it in its sentence ("Vell said she …"); then the most recent. A titled mention whose
    namesakes are all of the other gender is a person of her own (a new cluster)."""
    keys = [k for k in keys if not _brought_in_passing(clusters[k], doc_tokens)] or keys
    titled = title_gender(doc_tokens, token)
    genders = {k: _cluster_gender(clusters[k], doc_tokens) for k in keys}
    if titled is not None:
        agreeing = [k for k in keys if genders[k] == titled] or [k for k in keys if genders[k] is None]
        if not agreeing:
            return f"{fold(doc_tokens[token].text)} ({titled})"
        return _nearest(agreeing, clusters, token)
    if len({g for g in genders.values() if g is not None}) == 2:
        wanted = pronoun_after(doc_tokens[token].doc, token, in_quote)
        agreeing = [k for k in keys if genders[k] == wanted]
        if agreeing:
            return _nearest(agreeing, clusters, token)
    return _nearest(keys, clusters, token)


def _brought_in_passing(entity: Entity, doc_tokens: list[Token]) -> bool:
    """'registered by a Scott Holloway': a person first named with an indefinite article is someone of
    that name met in passing; a lone surname goes to a namesake the article introduced in earnest."""
    first = entity.mentions[0][0] if entity.mentions else 0
    return first > 0 and doc_tokens[first - 1].lower_ in ("a", "an")


def _genders(doc: Doc, doc_tokens: list[Token], people: list[Entity], in_quote: Callable[[int], bool]) -> None:
    """Each person's gender from all its mentions' titles, its given name and the safe readings."""
    order = sorted(((s, e) for e in people for s, _ in e.mentions), key=lambda pair: pair[0])
    read = readings(doc, order, in_quote)
    for entity in people:
        titled = [g for s, _ in entity.mentions if (g := title_gender(doc_tokens, s)) is not None]
        entity.gender = decide(titled, name_gender(entity.name), read.get(id(entity), []))


def _extends(key: str, clusters: dict[str, Entity]) -> str | None:
    """'Olaf Scholz' after 'Chancellor Olaf Scholz' was stripped: same words, same cluster."""
    for existing in clusters:
        if existing.endswith(" " + key) or key.endswith(" " + existing):
            return existing
    return None


def _nearest(keys: list[str], clusters: dict[str, Entity], token: int) -> str:
    """Of several people sharing a surname, the one mentioned most recently before `token`."""

    def last_before(key: str) -> int:
        starts = [s for s, _ in clusters[key].mentions if s <= token]
        return max(starts) if starts else -1

    return max(keys, key=last_before)


def _is_capital(tokens: list[Token], surnames: set[str]) -> bool:
    """'Kyiv' tagged PERSON: a lone capital's name is the place unless the article gives someone it as
    a surname ('Denzel Washington')."""
    return len(tokens) == 1 and fold(tokens[0].text) in capitals() and fold(tokens[0].text) not in surnames


def _is_outlet(tokens: list[Token], surnames: set[str]) -> bool:
    """'Vogue', 'Forbes' tagged PERSON: a paper's or magazine's name (`outlets.txt`) is the outlet
    unless the article gives someone it as a surname ('Steve Forbes')."""
    name = fold(" ".join(t.text for t in tokens))
    return name in _outlet_keys() and not (len(tokens) == 1 and name in surnames)


@lru_cache(maxsize=1)
def _outlet_keys() -> frozenset[str]:
    return frozenset(fold(name) for name in outlets())


def _is_call_sign(tokens: list[Token], doc: Doc) -> bool:
    """'(KQTV)', 'DENVER (KQTV) —' tagged PERSON: one word in capitals that the article never writes
    as a name is a station's call sign, an acronym or a dateline, not a person ('OBAMA' in a shouted
    headline stays one where 'Obama' appears too)."""
    if len(tokens) != 1 or len(tokens[0].text) < 2 or not tokens[0].text.isupper():
        return False
    word = tokens[0].text
    return not any(t.text == word.title() for t in doc)


def attributive_only(doc_tokens: list[Token], entity: Entity) -> bool:
    """Whether every mention of a person only labels a thing after it: a compound of a common noun
    ('the Larkwood shop', 'his Vantor camera', 'the Brandt administration') or the possessor in
    a proper name ("Marta's Bakery and Cafe"). Such a name was never introduced as someone, so a
    pronoun or a plain 'the owner' does not go to it (an office may: 'the prime minister' can be
    Brandt)."""
    return bool(entity.mentions) and all(_labels_a_thing(doc_tokens, end) for _, end in entity.mentions)


def _labels_a_thing(doc_tokens: list[Token], end: int) -> bool:
    last = doc_tokens[end - 1]
    if last.text in _POSSESSIVE and end >= 2:
        last = doc_tokens[end - 2]
    after = last.head
    if after.i < end:
        return False
    if last.dep_ in ("compound", "nmod"):
        return after.pos_ == "NOUN"
    return last.dep_ == "poss" and after.pos_ == "PROPN"


def _titled_names(doc_tokens: list[Token], covered: set[int]) -> list[list[Token]]:
    """'Mayor Ilse Brandt', 'Councillor Verhoev': capitalised names right after a title are people,
    whatever the tagger made of them (it misses names it has never seen)."""
    found = []
    for token in doc_tokens:
        if token.lower_ not in titles() and token.lower_ + "." not in titles():
            continue
        names = []
        for nxt in doc_tokens[token.i + 1 : token.i + 4]:
            if nxt.pos_ != "PROPN" or not nxt.is_title or nxt.i in covered or nxt.ent_type_ in ("ORG", "GPE"):
                break
            if nxt.lower_ in titles():
                names = []
                continue
            names.append(nxt)
        if names:
            found.append(names)
            covered.update(t.i for t in names)
    return found


def _given_names(doc_tokens: list[Token], covered: set[int]) -> list[list[Token]]:
    """'Olaf Scholz said …' tagged ORG (or nothing) in a short text: two or three capitalised proper
    nouns opening with a common given name are a person's name, whatever the tagger says."""
    found = []
    for token in doc_tokens:
        if token.i in covered or not token.is_title or token.pos_ != "PROPN" or token.lower_ not in given_names():
            continue
        if token.i > 0 and doc_tokens[token.i - 1].pos_ == "PROPN" and doc_tokens[token.i - 1].is_title:
            continue  # inside a longer name ("Bank of Anna Vell …" or a title run the titles rule took)
        names = [token]
        for nxt in doc_tokens[token.i + 1 : token.i + 3]:
            if nxt.pos_ != "PROPN" or not nxt.is_title or nxt.i in covered:
                break
            names.append(nxt)
        if len(names) < 2 or any(t.lower_ in organization_nouns() for t in names) or _names_a_thing(names):
            continue
        after = doc_tokens[names[-1].i + 1] if names[-1].i + 1 < len(doc_tokens) else None
        if after is not None and after.pos_ == "PROPN" and after.is_title:
            continue  # a longer proper name: "John Lewis Partnership"
        found.append(names)
        covered.update(t.i for t in names)
    return found


def _untagged_surnames(doc_tokens: list[Token], surnames: set[str], tagged: list[list[Token]]) -> list[list[Token]]:
    """Proper nouns spelling a known person's name that the tagger missed or mislabelled."""
    if not surnames:
        return []
    covered = {t.i for m in tagged for t in m}
    found = []
    for token in doc_tokens:
        if not token.is_title or token.i in covered:
            continue
        if (token.lower_ if token.text.isascii() else fold(token.text)) not in surnames:
            continue
        if token.ent_type_ in ("ORG",) and token.ent_iob_ == "I":
            continue  # part of a longer organisation name
        found.append([token])
    return found


def _roles(doc: Doc, entity: Entity) -> list[str]:
    """Titles and descriptions the article gives this person: 'Ukrainian President', 'the German
    chancellor' (apposition) — without determiners."""
    roles: list[str] = []
    for start, end in entity.mentions:
        head = doc[start:end].root
        left = start
        while left > 0 and _modifies(doc[left - 1], start, end):
            previous = doc[left - 1]
            if previous.text in _POSSESSIVE or previous.pos_ == "DET":
                break
            if previous.pos_ == "PUNCT" and previous.text not in ("-", "–"):
                break
            left -= 1
        if left < start:
            roles.append(doc[left:start].text)
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "NOUN":
                words = [t for t in child.subtree if t.dep_ != "det" and not t.is_punct]
                if 0 < len(words) <= 6:
                    roles.append(" ".join(t.text for t in words))
    unique: list[str] = []
    for role in roles:
        if role.lower() not in (r.lower() for r in unique):
            unique.append(role)
    return unique


def _modifies(token: Token, start: int, end: int) -> bool:
    """Part of the title run before a name: 'US President-elect' (the hyphen included)."""
    if token.text in ("-", "–"):
        return True
    return token.dep_ in _ROLE_MODIFIERS and start - 4 <= token.head.i < end


def _organizations(doc: Doc, doc_tokens: list[Token], people: list[Entity]) -> list[Entity]:
    person_tokens = {i for p in people for s, e in p.mentions for i in range(s, e)}
    clusters: dict[str, Entity] = {}
    for ent in doc.ents:
        capital = ent.label_ == "PERSON" and len(ent) == 1 and fold(ent.text) in capitals()
        if (ent.label_ not in _ORG_LABELS + _PLACE_LABELS and not capital) or any(t.i in person_tokens for t in ent):
            continue
        tokens = [t for t in ent if t.text not in _POSSESSIVE]
        if tokens and tokens[0].lower_ == "the":
            tokens = tokens[1:]
        if not tokens:
            continue
        name = " ".join(t.text for t in tokens)
        kind = "organization" if ent.label_ in _ORG_LABELS and not capital else "place"
        key = fold(name)
        entity = clusters.setdefault(key, Entity("", name, kind))
        entity.mentions.append((tokens[0].i, tokens[-1].i + 1))
    _institution_names(doc, doc_tokens, clusters, person_tokens)
    for entity in clusters.values():
        entity.mentions.sort()
    return list(clusters.values())


def _institution_names(doc: Doc, doc_tokens: list[Token], clusters: dict[str, Entity], taken: set[int]) -> None:
    """'the Kremlin', 'the White House': institutions the tagger may not mark."""
    firsts = {name.split()[0] for name in organization_names()}
    covered = taken | {i for e in clusters.values() for s, t in e.mentions for i in range(s, t)}
    for token in doc_tokens:
        if token.lower_ not in firsts or token.i in covered or not token.text[:1].isupper():
            continue
        for width in (2, 1):
            span = doc[token.i : token.i + width]
            if fold(span.text) in organization_names() and not any(t.i in covered for t in span):
                entity = clusters.setdefault(fold(span.text), Entity("", span.text, "organization"))
                entity.mentions.append((span.start, span.end))
                covered.update(range(span.start, span.end))
                break
