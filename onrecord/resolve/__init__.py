"""Who exactly, to whom, and when: resolution of the attributions found on one parsed article.

`resolve(doc, found, published)` fills each `Found` with its resolved speaker, relays, addressee and
reporting time, and returns the article's entities and time expressions.  It only reads the parse;
everything it needs from the text is already in the `Doc`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import outlets
from onrecord.resolve.dates import TimeExpression, normalise
from onrecord.resolve.entities import Entity, build_entities
from onrecord.resolve.speakers import Speaker, SpeakerResolver

__all__ = ["Resolution", "Speaker", "resolve"]

_ADDRESSEE_VERBS = {"tell", "inform", "assure", "remind", "brief", "warn", "write", "say", "explain", "add"}
_TIME_LINKS = ("prep", "pobj", "npadvmod", "tmod", "compound", "amod", "poss")


@dataclass(slots=True)
class Resolution:
    entities: list[Entity]
    dates: list[TimeExpression]


def resolve(doc: Doc, found: list[Found], published: str | None = None) -> Resolution:
    table = build_entities(doc)
    resolver = SpeakerResolver(doc, table)
    when = _parse_date(published)
    dates = [normalise(ent, when) for ent in doc.ents if ent.label_ in ("DATE", "TIME")]
    for item in sorted(found, key=lambda f: f.source[0] if f.source else f.start):
        item.speaker = resolver.resolve(item.source, item.name, nested=item.parent is not None)
    for item in found:
        item.relays = [r for r in (resolver.resolve(seg, name) for seg, name in item.via) if r is not None]
    relays = _relaying_names(found)
    attached = _time_attachments(doc, dates)
    for item in found:
        if item.speaker is None and item.continues is not None and item.continues.speaker is not None:
            previous = item.continues.speaker
            item.speaker = Speaker(
                None,
                previous.name,
                previous.entity,
                previous.kind,
                previous.anonymous,
                previous.affiliation,
                previous.key,
                previous.head,
            )
        item.to = _addressee(doc, item, resolver)
        if (
            item.to is not None
            and item.to.name.lower() in relays
            and not any(r.name == item.to.name for r in item.relays)
        ):
            item.relays.insert(0, item.to)
        item.time = _reporting_time(item, attached)
    _inherit_relays(doc, found)
    return Resolution(table.entities, dates)


def _inherit_relays(doc: Doc, found: list[Found]) -> None:
    """A statement goes through the same relay as the one it continues: "…, said one diplomat to
    Reuters, noting …" (a participle of the relayed cue) and "…, German officials said, according to
    Reuters. …, they added." (a pronoun for the relayed speaker, in the next sentences)."""
    by_head = {f.head: f for f in found if f.head >= 0}
    ordered = sorted((f for f in found if f.parent is None), key=lambda f: f.start)
    previous: Found | None = None
    for item in ordered:
        if not item.relays and item.speaker is not None:
            donor = None
            if item.head >= 0 and doc[item.head].dep_ in ("advcl", "conj"):
                donor = by_head.get(doc[item.head].head.i)
            if donor is None and previous is not None and _same_speaker(item, previous):
                mention = item.speaker.mention
                pronoun = mention is not None and doc.char_span(*mention, alignment_mode="expand")
                if pronoun and pronoun.root.pos_ == "PRON" and item.start - previous.end < 600:
                    donor = previous
            if donor is not None and donor.relays and _same_speaker(item, donor):
                item.relays = list(donor.relays)
        previous = item


def _same_speaker(a: Found, b: Found) -> bool:
    return (
        a.speaker is not None and b.speaker is not None and a.speaker.key is not None and a.speaker.key == b.speaker.key
    )


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _relaying_names(found: list[Found]) -> set[str]:
    """Who passes statements on in this article: known outlets, plus anyone the article shows
    relaying ("…, Baltic Wire reported", "according to Baltic Wire" at the end of a report)."""
    names = set(outlets())
    for item in found:
        names.update(r.name.lower() for r in item.relays)
        if item.cue_lemma == "report" and item.speaker is not None:
            names.add(item.speaker.name.lower())
    return names


def _addressee(doc: Doc, item: Found, resolver: SpeakerResolver) -> Speaker | None:
    """'told Reuters that …', 'said to reporters', '…, said one diplomat to Reuters'."""
    if item.head < 0 or item.cue is None:
        return None
    cue = doc[item.head]
    if cue.lemma_.lower() not in _ADDRESSEE_VERBS:
        return None
    content = (item.start, item.end)
    candidates: list[Token] = [c for c in cue.children if c.dep_ in ("dative", "dobj") and cue.lemma_ != "say"]
    holders = [cue, *(c for c in cue.children if c.dep_ in ("nsubj",) and c.i > cue.i)]
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ == "to":
                candidates.extend(g for g in child.children if g.dep_ == "pobj")
    for token in candidates:
        span = doc[token.left_edge.i : token.right_edge.i + 1]
        if content[0] <= span.start_char < content[1]:
            continue
        return resolver.resolve((span.start_char, span.end_char))
    return None


def _time_attachments(doc: Doc, dates: list[TimeExpression]) -> dict[int, TimeExpression]:
    """cue token index -> the time expression hanging off it ('said on Friday', 'in his evening
    address'), computed once per article."""
    attached: dict[int, TimeExpression] = {}
    for expression in dates:
        span = doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is None:
            continue
        node = span.root
        for _ in range(4):
            head = node.head
            if head.pos_ in ("VERB", "AUX") and node.dep_ in _TIME_LINKS and head.i not in attached:
                if node.dep_ == "prep":
                    phrase = doc[node.i : node.right_edge.i + 1]
                    expression = TimeExpression(
                        phrase.start_char,
                        phrase.end_char,
                        phrase.text,
                        expression.value,
                        expression.granularity,
                        expression.kind,
                    )
                attached[head.i] = expression
                break
            if node.dep_ not in _TIME_LINKS or head.i == node.i:
                break
            node = head
    return attached


def _reporting_time(item: Found, attached: dict[int, TimeExpression]) -> TimeExpression | None:
    if item.head < 0:
        return None
    expression = attached.get(item.head)
    if expression is None or item.start <= expression.start < item.end:
        return None
    return expression
