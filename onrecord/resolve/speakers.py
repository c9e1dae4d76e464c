"""Who a source mention is: the entity it refers to, its kind, anonymity and affiliation.

Linking order: a named entity inside the mention; a relative pronoun's antecedent; a personal pronoun
by recency and agreement; a role nominal ("the chancellor", "the German leader") by the roles the
article gave its people; a definite description repeating an earlier unnamed speaker ("the
spokesperson").  Whatever stays unlinked is classified from its own words.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import find_quotes
from onrecord.keys import fold
from onrecord.keys import name_key as speaker_key
from onrecord.resolve.entities import Entity, EntityTable
from onrecord.resolve.gender import given_name_genders, noun_gender
from onrecord.resolve.lexicon import (
    anonymity,
    given_names,
    organization_names,
    organization_nouns,
    person_nouns,
    role_synonyms,
    titles,
    vessel_nouns,
)

RECENT = 40  # earlier speakers considered for 'they' and 'the spokesperson'
QUOTED_SENTENCES = 8  # quoted sentences skipped back to find the narrative's previous sentence
NEIGHBOURHOOD = 3  # paragraphs back (the descriptor's own included) where "the singer" finds her name
_MALE = {"he", "him", "his", "himself"}
_FEMALE = {"she", "her", "hers", "herself"}
_PLURAL = {"they", "them", "their", "themselves"}
_NEUTER = {"it", "its"}
_RELATIVE = {"who", "which", "that", "whom"}
_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those"}
_AFFILIATION_LABELS = ("NORP", "GPE", "ORG", "LOC")


@dataclass(slots=True)
class Speaker:
    """A resolved source (or relay, or addressee) in analysis-text character offsets."""

    mention: tuple[int, int] | None
    name: str
    entity: str | None = None
    kind: str | None = None
    anonymous: bool | None = None
    affiliation: str | None = None
    key: str | None = None
    head: str = ""  # lower-case head noun, to match later definite descriptions


class SpeakerResolver:
    """Resolves mentions in text order, remembering unnamed speakers for later 'the spokesperson'."""

    def __init__(self, doc: Doc, table: EntityTable) -> None:
        self.doc = doc
        self.table = table
        self.unnamed: list[tuple[int, Speaker]] = []
        self.history: list[tuple[int, Speaker]] = []  # every resolved speaker, in call order
        self.nested: set[int] = set()  # positions of speakers reported inside another's content
        self.introduced: dict[str, int] | None = None  # noun lemma -> first "a <noun>" (`_introduced_unnamed`)
        text = doc_text(doc)
        self.quoted = [(q.inner_start, q.inner_end) for q in find_quotes(text)]
        self.quote_starts = [start for start, _ in self.quoted]
        self.paragraph_starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]

    def in_quote(self, token: int) -> bool:
        """The token lies inside a quotation (a name there is usually someone the speaker talks about)."""
        at = self.doc[token].idx
        i = bisect_right(self.quote_starts, at) - 1
        return i >= 0 and self.quoted[i][0] <= at < self.quoted[i][1]

    def _addressee(self, token: int) -> bool:
        """The mention is whom someone spoke to ("she told The Telegraph", "said to reporters"), not
        who speaks next."""
        node = self.doc[token]
        while node.dep_ in ("compound", "flat") and node.head.i != node.i:
            node = node.head
        if node.dep_ in ("dobj", "dative") and node.head.lemma_.lower() in ("tell", "inform", "ask", "assure"):
            return True
        return node.dep_ == "pobj" and node.head.lower_ == "to" and node.head.head.pos_ == "VERB"

    def paragraph(self, token: int) -> int:
        return bisect_right(self.paragraph_starts, self.doc[token].idx) - 1

    def resolve(self, segment: tuple[int, int] | None, fallback: str = "", nested: bool = False) -> Speaker | None:
        """The speaker of a mention; `nested`: the mention speaks inside another's content ("A said
        B's statement …"), so "she said" after it goes on with A, not B."""
        if segment is None:
            return None
        span = self.doc.char_span(*segment, alignment_mode="expand")
        if span is None or len(span) == 0:
            return Speaker(mention=segment, name=fallback)
        speaker = self._resolve_span(segment, span, fallback)
        self.history.append((span.root.i, speaker))
        if nested:
            self.nested.add(span.root.i)
        return speaker

    def _resolve_span(self, segment: tuple[int, int], span: Span, fallback: str) -> Speaker:
        head = span.root
        if head.lower_ in _RELATIVE and head.head.dep_ in ("relcl", "acl") and head.head.head.i < head.i:
            antecedent = _agreeing(head.head, _noun_phrase_head(head.head.head))
            inner = self.doc[antecedent.left_edge.i : head.i]
            while len(inner) > 1 and inner[-1].is_punct:
                inner = inner[:-1]
            found = self._resolve_span((inner.start_char, inner.end_char), inner, fallback)
            return _with_mention(found, segment)
        if head.lower_ in _PLURAL:
            earlier = self._plural_antecedent(head.i)
            if earlier is not None:
                return _with_mention(earlier, segment)
        owner = self._vessel_owner(head)
        if owner is not None:
            return _with_mention(owner, segment)
        titled = self._title_then_name(span)
        if titled is not None:
            return titled
        if head.lower_ in _MALE | _FEMALE:
            previous = self._previous_speaker(head, "female" if head.lower_ in _FEMALE else "male")
            if previous is not None:
                return _with_mention(previous, segment)
        same = self._same_as_before(head)
        if same is not None:
            return _with_mention(same, segment)
        entity = self._link(span)
        if entity is not None:
            return self._from_entity(segment, entity)
        return self._describe(segment, span, fallback)

    def _same_as_before(self, head: Token) -> Speaker | None:
        """'Yet the same reader went on to say …': the speaker just before, named or not."""
        if head.pos_ != "NOUN" or not any(c.lower_ == "same" and c.dep_ == "amod" for c in head.children):
            return None
        return next((speaker for position, speaker in reversed(self.history) if position < head.i), None)

    def _vessel_owner(self, head: Token) -> Speaker | None:
        """'Its statement claimed', 'the company's release continued': a piece of writing with a
        possessor speaks for the possessor, a person or organisation the article names."""
        if head.lemma_.lower() not in vessel_nouns():
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None:
            return None
        span = self.doc[owner.left_edge.i : owner.i + 1]
        if owner.lower_ == "its":
            named = self._previous_subject_name(owner)
            if named is not None:
                return named
        spoke = self._organization_spoke(owner)
        if spoke is not None:
            return spoke
        entity = self._link(span) or self._organization_nearby(owner)
        return None if entity is None else self._from_entity((span.start_char, span.end_char), entity)

    def _previous_subject_name(self, pronoun: Token) -> Speaker | None:
        """ "<Company> fired back. Its statement …": "its" after a sentence whose subject is a proper
        name is that organisation, whatever the small NER model calls the name (no person is "its")."""
        start = self._previous_sentence_start(pronoun)
        if start >= pronoun.sent.start:
            return None
        subject = next((c for c in self.doc[start].sent.root.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ != "PROPN" or self.in_quote(subject.i):
            return None
        entity = self.table.at(subject.i)
        if entity is not None and entity.type == "organization":
            return self._from_entity((subject.idx, subject.idx + len(subject)), entity)
        words = [t.i for t in subject.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"]
        span = self.doc[min(words, default=subject.i) : subject.i + 1]
        key = speaker_key(span.text, "organization")
        return Speaker((span.start_char, span.end_char), span.text, kind="organization", anonymous=False, key=key)

    def _organization_spoke(self, head: Token) -> Speaker | None:
        """ "the company's release continued": the organisation that spoke last in the same or the
        previous paragraphs, for a definite singular organisation noun."""
        if head.lemma_.lower() not in organization_nouns() or head.tag_ != "NN" or not _definite(head):
            return None
        first = self.paragraph(head.i) - (NEIGHBOURHOOD - 1)
        for position, spoken in reversed(self.history[-RECENT:]):
            if position < head.i and spoken.kind == "organization" and spoken.head != head.lemma_.lower():
                return spoken if self.paragraph(position) >= first else None
        return None

    def _organization_nearby(self, head: Token) -> Entity | None:
        """'the company', 'the firm': a definite singular organisation noun names the organisation the
        same or the previous paragraphs name, the one that spoke last when several are named."""
        if head.lemma_.lower() not in organization_nouns() or head.tag_ != "NN" or not _definite(head):
            return None
        first = self.paragraph(head.i) - (NEIGHBOURHOOD - 1)
        named: list[Entity] = []
        for start, entity in reversed(self.table.order[: bisect_right(self.table.starts, head.i - 1)]):
            if self.paragraph(start) < first:
                break
            if entity.type == "organization" and not self.in_quote(start) and entity not in named:
                named.append(entity)
        if len(named) == 1:
            return named[0]
        ids = {e.id: e for e in named}
        for position, spoken in reversed(self.history[-RECENT:]):
            if position < head.i and spoken.entity in ids:
                return ids[spoken.entity]
        return None

    def _previous_speaker(self, pronoun: Token, gender: str) -> Speaker | None:
        """'…,” said the minister Ana Vell. “…” She added …': a "he"/"she" that speaks right after
        someone spoke (in the same or the previous sentence of the narrative) goes on with that
        speaker, a person or a title-led name, when the gender does not speak against it."""
        if self.in_quote(pronoun.i) or self._person_before_in_sentence(pronoun):
            return None  # "Lee faced criticism after he asked …": the sentence's own person first
        since = self._previous_sentence_start(pronoun)
        for position, spoken in reversed(self.history[-RECENT:]):
            if position >= pronoun.i or position in self.nested:
                continue
            if position < since:
                return None
            entity = next((e for e in self.table.entities if e.id == spoken.entity), None)
            named = given_name_genders().get(spoken.name.split()[0].lower() if spoken.name else "")
            known = named or (entity.gender if entity is not None else None)  # a given name outweighs a learnt guess
            if known not in (None, gender):
                return None
            if spoken.kind == "person" or (spoken.mention is not None and self._title_led(spoken.mention)):
                return spoken
            if self._one_unnamed_person(spoken, position, pronoun) and noun_gender(spoken.head or "") in (None, gender):
                return spoken  # "the man at the counter … In the footage, he says …": that man
            return None
        return None

    def _one_unnamed_person(self, spoken: Speaker, position: int, pronoun: Token) -> bool:
        """An unnamed speaker that is one person and still the one in view: a singular person noun that
        is no title ("the owner", "a man"; "the Vermont senator" may be the senator the article names),
        with no named person mentioned between it and the pronoun ("a reporter asked Lena Ott …
        Ott smiled. 'You tell me,' she said" is Ott)."""
        head = self.doc[position]
        if spoken.kind != "unnamed" or spoken.head not in person_nouns() or spoken.head in titles():
            return False
        between = self.table.before(pronoun.i, ("person",), limit=1)
        named_since = bool(between) and any(position < s < pronoun.i for s, _ in between[0].mentions)
        return head.tag_ == "NN" and not named_since

    def _title_then_name(self, span: Span) -> Speaker | None:
        """ "Minister in the Ministry of Ports Ana Vell", "<Country> Ambassador to <Country> Ana
        Vell": a title-led mention that ends in a given name and a surname is that person, whatever
        the small NER model made of the whole (a title never stands alone as the name)."""
        if len(span) < 4 or not self._title_led((span.start_char, span.end_char)):
            return None
        words = list(span)
        given = next((t for t in words[1:-1] if t.pos_ == "PROPN" and t.lower_ in given_names()), None)
        if given is None or not all(t.pos_ == "PROPN" and t.is_title for t in words[given.i - span.start :]):
            return None
        entity = self.table.at(words[-1].i)
        if entity is not None and entity.type == "person":
            return self._from_entity((span.start_char, span.end_char), entity)
        name = self.doc[given.i : span.end].text
        return Speaker(
            (span.start_char, span.end_char), name, kind="person", anonymous=False, key=speaker_key(name, "person")
        )

    def _person_before_in_sentence(self, pronoun: Token) -> bool:
        """A person is named in the pronoun's own sentence before it, outside quotations."""
        order = self.table.order[: bisect_right(self.table.starts, pronoun.i - 1)]
        for start, entity in reversed(order):
            if start < pronoun.sent.start:
                return False
            if entity.type == "person" and not self.in_quote(start):
                return True
        return False

    def _title_led(self, mention: tuple[int, int]) -> bool:
        """The mention opens with a title word ("Minister in the Ministry of Finance Ana Vell")."""
        span = self.doc.char_span(*mention, alignment_mode="expand")
        first = next((t for t in span or () if t.is_alpha and t.lower_ not in _DETERMINERS), None)
        return first is not None and (first.lower_ in titles() or first.lemma_.lower() in titles())

    # --- linking -------------------------------------------------------------------------------
    def _link(self, span: Span) -> Entity | None:
        head = span.root
        entity = self.table.at(head.i)
        if entity is not None:
            return entity
        for child in head.children:
            if child.dep_ == "appos" and self.table.at(child.i) is not None:
                return self.table.at(child.i)  # "its chairman, Tomas Brun"
        titled = self._titled_name(span, head)
        if titled is not None:
            return titled
        lower = head.lower_
        if lower in _MALE | _FEMALE:
            return self._pronoun(head, "female" if lower in _FEMALE else "male")
        if lower in _NEUTER:
            return self._nearest_outside(head.i, ("organization", "place"))
        if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and _definite(head)):
            return self._role_nominal(span, head) or self._named_nearby(span, head)
        return None

    def _nearest_outside(self, token: int, types: tuple[str, ...]) -> Entity | None:
        """The entity of those types mentioned last before `token` outside quotations (a name a
        quotation mentions is what its speaker talks about: "…sold on <channel>,” it read. However,
        <company> fired back. Its statement …" is the company's); else the last one at all."""
        order = self.table.order[: bisect_right(self.table.starts, token - 1)]
        fallback = None
        for start, entity in reversed(order):
            if entity.type not in types:
                continue
            if not self.in_quote(start):
                return entity
            fallback = fallback or entity
        return fallback

    def _titled_name(self, span: Span, head: Token) -> Entity | None:
        """'Ruritanian Ambassador to the United States Anna Vell': a title whose phrase ends in a
        person's name is that person (the name is often parsed inside the title's modifiers)."""
        if head.lemma_.lower() not in titles() and head.lower_ not in titles():
            return None
        last = self.table.at(span[-1].i)
        if last is not None and last.type == "person" and span[-1].i > head.i:
            return last
        return None

    def _named_nearby(self, span: Span, head: Token) -> Entity | None:
        """'the singer said', 'the celeb also admitted', 'the Director noted': a definite person
        noun names the person the same or the previous paragraphs name, when exactly one person is
        named there outside quotations; of several, the one who spoke last (with two and neither
        speaking, the reader cannot tell either); a person the article gives another office (a
        "Councillor …") is not "the mayor"."""
        noun = head.lemma_.lower()
        if noun not in person_nouns() and noun not in titles():
            return None
        if head.tag_ in ("NNS", "NNPS"):
            return None  # "the authors argued": several people, not the one person named nearby
        if not _definite(head) or any(_distinguishes(t) for t in head.lefts):
            return None  # "the German official", "the other candidate": a description of someone else
        if self._introduced_unnamed(head):
            return None  # "a man walked in … the man said": that man, not the one named nearby
        if any(c.dep_ == "relcl" and self.doc[c.left_edge.i - 1].text != "," for c in head.children):
            return None  # "the woman who cut the ribbon …": the clause says who, not the name nearby
        first = self.paragraph(head.i) - (NEIGHBOURHOOD - 1)
        people: list[Entity] = []
        for start, entity in reversed(self.table.order[: bisect_right(self.table.starts, head.i - 1)]):
            if self.paragraph(start) < first:
                break
            fits = (
                entity.type == "person"
                and not self.in_quote(start)
                and not _holds_other_office(entity, noun)
                and (noun in titles() or not entity.attributive)
            )
            if fits and entity not in people:
                people.append(entity)
        if len(people) == 1:
            return people[0]
        # Several people named there: the one who spoke last is the one the article follows.
        ids = {p.id: p for p in people}
        for position, spoken in reversed(self.history[-RECENT:]):
            if position < head.i and spoken.entity in ids:
                return ids[spoken.entity]
        return None

    def _introduced_unnamed(self, head: Token) -> bool:
        """Whether the article brought in someone by this noun with an indefinite article before ('a
        man entered', 'an employee noticed'), not as what a named person is ('Lee, a teacher', 'she
        is a doctor', 'made it as an international star'): the definite noun then goes back to that one."""
        if self.introduced is None:  # one pass over the article, not one per descriptor
            self.introduced = {}
            for token in self.doc:
                if token.pos_ != "NOUN" or token.dep_ not in _INTRODUCING:
                    continue
                if token.dep_ == "pobj" and token.head.lower_ in ("as", "like"):
                    continue
                if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children):
                    self.introduced.setdefault(token.lemma_.lower(), token.i)
        first = self.introduced.get(head.lemma_.lower())
        return first is not None and first < head.i

    def _plural_antecedent(self, token: int) -> Speaker | None:
        """'they added': the latest plural unnamed speaker or organisation resolved before."""
        for position, speaker in reversed(self.history[-RECENT:]):
            if position >= token:
                continue
            plural = speaker.mention is not None and self.doc[position].tag_ in ("NNS", "NNPS")
            if speaker.kind == "organization" or (speaker.kind == "unnamed" and plural):
                return speaker
        return None

    def _pronoun(self, pronoun: Token, gender: str) -> Entity | None:
        """The most recent person of compatible gender named outside quotations (a name inside a
        quote is mostly someone the speaker talks about), else the most recent one at all; a person
        who was the subject of this or the previous sentence goes first ("George apologises to
        Penny. He says …" is George: the subject stays the topic)."""
        people = [p for p in self.table.before(pronoun.i, ("person",), limit=8) if not p.attributive]

        def last_outside(person: Entity) -> tuple[int, int]:
            return max(((s, t) for s, t in person.mentions if s < pronoun.i and not self.in_quote(s)), default=(-1, -1))

        outside = sorted(
            (p for p in people if last_outside(p)[0] >= 0 and not self._addressee(last_outside(p)[0])),
            key=last_outside,
            reverse=True,
        )
        since = self._previous_sentence_start(pronoun)
        topical = [p for p in outside if last_outside(p)[0] >= since and self._subject(last_outside(p))]
        for person in [*topical, *(outside or people)]:
            if person.gender not in (None, gender):
                continue
            if person in topical or len(outside) == 1:
                person.gender = gender  # learnt only where the reading is safe: a guess must not stick
            return person
        return None

    def _previous_sentence_start(self, token: Token) -> int:
        """Where the previous sentence of the narrative starts: sentences that lie inside a
        quotation are the speaker's words, not the article's ("Hillary Clinton was asked … [three
        quoted sentences] she replied": the subject before the quotation is the topic)."""
        start = token.sent.start
        if start == 0:
            return start
        sent = self.doc[start - 1].sent
        for _ in range(QUOTED_SENTENCES):
            if sent.start == 0 or not self._quoted(sent):
                break
            sent = self.doc[sent.start - 1].sent
        return sent.start

    def _quoted(self, sent: Span) -> bool:
        """Every word of the sentence lies inside a quotation."""
        words = [t for t in sent if t.is_alpha]
        return bool(words) and self.in_quote(words[0].i) and self.in_quote(words[-1].i)

    def _subject(self, mention: tuple[int, int]) -> bool:
        """The name is the subject of its clause (its head word's dependency)."""
        node = self.doc[mention[1] - 1]
        while node.dep_ in ("compound", "flat") and node.head.i != node.i:
            node = node.head
        return node.dep_ in ("nsubj", "nsubjpass")

    def _role_nominal(self, span: Span, head: Token) -> Entity | None:
        noun = head.lemma_.lower()
        if noun not in titles() and noun not in role_synonyms():
            return None
        if not any(t.dep_ in ("det", "poss") for t in head.children):
            return None
        targets = role_synonyms().get(noun, frozenset({noun}))
        modifiers = {fold(t.text) for t in span if t.i != head.i and t.dep_ in ("amod", "compound", "poss")}
        candidates = [e for e in self.table.entities if e.type == "person" and any(_holds(r, targets) for r in e.roles)]
        if not candidates:
            return None
        if modifiers:
            agreeing = [e for e in candidates if any(_agrees(m, r) for r in e.roles for m in modifiers)]
            candidates = agreeing or candidates
        before = [e for e in self.table.before(head.i, ("person",), limit=8) if e in candidates]
        return before[0] if before else candidates[0]

    # --- building speakers ---------------------------------------------------------------------
    def _from_entity(self, segment: tuple[int, int], entity: Entity) -> Speaker:
        kind = "person" if entity.type == "person" else "organization"
        return Speaker(mention=segment, name=entity.name, entity=entity.id, kind=kind, anonymous=False, key=entity.key)

    def _describe(self, segment: tuple[int, int], span: Span, fallback: str) -> Speaker:
        head = span.root
        if head.pos_ == "PRON":
            return Speaker(mention=segment, name=span.text)
        words = [t for t in span if not (t.i < head.i and t.lower_ in _DETERMINERS)]
        descriptor = _descriptor(span, head)
        if head.pos_ == "PROPN" or fold(span.text).removeprefix("the ") in organization_names():
            kind = _proper_kind(span, head)
            name = " ".join(t.text for t in words if t.i <= head.i) or span.text
            return Speaker(segment, name, kind=kind, anonymous=False, key=speaker_key(name, kind))
        earlier = self._earlier_unnamed(head)
        if earlier is not None:
            return Speaker(
                segment,
                earlier.name,
                earlier.entity,
                earlier.kind,
                earlier.anonymous,
                earlier.affiliation,
                earlier.key,
                earlier.head,
            )
        if head.lemma_.lower() in organization_nouns() or _compound_org(head):
            name = descriptor
            speaker = Speaker(
                segment,
                name,
                kind="organization",
                anonymous=False,
                key=speaker_key(name, "organization"),
                head=head.lemma_.lower(),
            )
        else:
            heads, phrases = anonymity()
            text = fold(span.text)
            anonymous = head.lemma_.lower() in heads or any(p in text for p in phrases)
            affiliation = _affiliation(head)
            speaker = Speaker(
                segment,
                descriptor or fallback,
                kind="unnamed",
                anonymous=anonymous,
                affiliation=affiliation,
                key=speaker_key(_generic(head), "unnamed"),
                head=head.lemma_.lower(),
            )
        self.unnamed.append((head.i, speaker))
        return speaker

    def _earlier_unnamed(self, head: Token) -> Speaker | None:
        """'the spokesperson' after 'a German government spokesperson': the same unnamed speaker."""
        if not any(t.dep_ == "det" and t.lower_ == "the" for t in head.children):
            return None
        noun = head.lemma_.lower()
        same = role_synonyms().get(noun, frozenset({noun})) | {noun}
        for position, speaker in reversed(self.unnamed[-RECENT:]):
            if position < head.i and speaker.head in same:
                return speaker
        return None


_INTRODUCING = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})  # roles where "a man" enters the story
_OTHER = frozenset(["other", "another", "second", "fellow", "rival", "opposing", "different"])


def _distinguishes(modifier: Token) -> bool:
    """A modifier that tells this person apart from the one named: a nationality or affiliation
    ("the German official"), a compound noun ("the union leader"), or "other"/"fellow"; "the former
    mayor" and "the new director" still describe the person just named."""
    if modifier.dep_ == "compound":
        return modifier.pos_ != "PROPN"
    if modifier.dep_ == "amod":
        return modifier.lower_ in _OTHER or modifier.text[:1].isupper()
    return False


def _definite(head: Token) -> bool:
    return any(t.dep_ == "det" and t.lower_ in ("the", "this", "that") for t in head.children)


def _proper_kind(span: Span, head: Token) -> str:
    """A proper name the entity table does not know: a person when tagged so, titled ('Mayor Ilse
    Brandt') or built like a personal name (given name + surname); otherwise an organisation."""
    if head.ent_type_ == "PERSON" or any(t.lower_ in titles() for t in span if t.i < head.i):
        return "person"
    if head.ent_type_ in ("ORG", "GPE", "NORP", "LOC", "FAC") or fold(span.text) in organization_names():
        return "organization"
    names = [t for t in span if t.pos_ == "PROPN" and t.is_title]
    return (
        "person" if 2 <= len(names) <= 4 and not any(t.lower_ in organization_nouns() for t in span) else "organization"
    )


def _with_mention(speaker: Speaker, segment: tuple[int, int]) -> Speaker:
    """The same speaker as written at another place (a pronoun or relative pronoun)."""
    return Speaker(
        segment,
        speaker.name,
        speaker.entity,
        speaker.kind,
        speaker.anonymous,
        speaker.affiliation,
        speaker.key,
        speaker.head,
    )


def _noun_phrase_head(token: Token) -> Token:
    """'sources familiar with the matter, who …': from 'matter' back to the noun the phrase is about."""
    node = token
    while (
        node.dep_ == "pobj"
        and node.head.dep_ == "prep"
        and node.head.head.dep_ in ("amod", "acl")
        and node.head.head.head.pos_ in ("NOUN", "PROPN")
    ):
        node = node.head.head.head
    return node


def _agreeing(verb: Token, noun: Token) -> Token:
    """'leaders of the union who says …': the parser hangs a relative clause on the nearest noun; when
    the verb's number contradicts it, the noun the phrase hangs from that agrees is the antecedent."""
    wanted = _verb_number(verb)
    if wanted is None or _noun_number(noun) in (None, wanted):
        return noun
    node = noun  # up: "leaders [of the union] who say"
    while node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ in ("NOUN", "PROPN"):
        node = node.head.head
        if _noun_number(node) == wanted:
            return node
    node = noun  # down: "leaders of [the union] who says"
    while (prep := next((c for c in node.rights if c.dep_ == "prep" and c.i < verb.i), None)) is not None:
        node = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if node is None:
            break
        if _noun_number(node) == wanted:
            return node
    return noun


def _verb_number(verb: Token) -> str | None:
    """'plural' or 'singular' where the present tense or "was"/"were" shows it, else None."""
    for token in [*(c for c in verb.children if c.dep_ in ("aux", "auxpass")), verb]:
        if token.tag_ == "VBZ" or token.lower_ == "was":
            return "singular"
        if token.tag_ == "VBP" or token.lower_ == "were":
            return "plural"
    return None


def _noun_number(noun: Token) -> str | None:
    return {"NNS": "plural", "NNPS": "plural", "NN": "singular", "NNP": "singular"}.get(noun.tag_)


def _holds(role: str, targets: frozenset[str]) -> bool:
    text = fold(role)
    return any(text == t or text.endswith(" " + t) or f" {t} " in f" {text} " for t in targets)


def _holds_other_office(person: Entity, noun: str) -> bool:
    """Whether the person's roles name an office (a title) and none of them is `noun`'s office."""
    if noun not in titles():
        return False
    targets = role_synonyms().get(noun, frozenset({noun}))
    has_office = any(w in titles() for r in person.roles for w in fold(r).split())
    return has_office and not any(_holds(r, targets) for r in person.roles)


def _agrees(modifier: str, role: str) -> bool:
    """'German' agrees with 'German chancellor'; 'Germany' (a possessor) with it too."""
    role_words = fold(role).split()
    return any(w[:5] == modifier[:5] for w in role_words) if len(modifier) >= 4 else modifier in role_words


def _descriptor(span: Span, head: Token) -> str:
    """The noun phrase up to its head plus close modifiers, without determiners or relative clauses."""
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in ("prep", "amod", "compound", "acl") and child.i == end and child.lower_ != "to":
            end = child.right_edge.i + 1
        else:
            break
    end = min(end, span.end)
    for token in span.doc[head.i : end]:
        if token.text in (",", ";", "(", "—") or token.lower_ in _RELATIVE:
            end = token.i
            break
    start = span.start
    while start < head.i and span.doc[start].lower_ in _DETERMINERS:
        start += 1
    return span.doc[start:end].text.strip(" ,")


def _generic(head: Token) -> str:
    """Key text for an unnamed source: its affiliation and head noun ('german government official')."""
    affiliation = _affiliation(head)
    return f"{affiliation} {head.lemma_}" if affiliation else head.lemma_


def _compound_org(head: Token) -> bool:
    return any(c.dep_ == "compound" and c.lower_ in organization_nouns() for c in head.children) and (
        head.lemma_.lower() in organization_nouns()
    )


def _affiliation(head: Token) -> str | None:
    """Who an unnamed source belongs to: 'German government' official, 'Western' diplomat, an
    official 'at the ministry'."""
    parts = [
        t
        for t in head.lefts
        if t.dep_ in ("amod", "compound", "nmod")
        and (t.ent_type_ in _AFFILIATION_LABELS or t.lower_ in organization_nouns() or t.text[:1].isupper())
    ]
    if parts:
        start = min(p.left_edge.i for p in parts)
        tokens = [t for t in head.doc[start : head.i] if t.dep_ not in ("det", "nummod", "punct")]
        tokens = [t for t in tokens if t.ent_type_ or t.lower_ in organization_nouns() or t.text[:1].isupper()]
        if tokens:
            return " ".join(t.text for t in tokens)
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in ("at", "from", "of", "in", "with"):
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
            if obj is not None and (obj.ent_type_ in _AFFILIATION_LABELS or obj.lemma_.lower() in organization_nouns()):
                words = [t for t in obj.subtree if t.dep_ != "det"]
                return " ".join(t.text for t in words)
    return None
