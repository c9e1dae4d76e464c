"""One statement, one row: a verb chain ("declined to comment on", "went on to say", "tried to discuss")
reports once.

The cue model judges every verb on its own, so both verbs of a chain can read the same content from the
same speaker: "A spokeswoman declined to comment on whether …" gave one row for "declined" and one for
"comment", each with "whether …" as its content.  Annotated news has one attribution there (in 105
PolNeAR train articles 1 gold content of 2,325 is annotated twice, while the hybrid repeated 13 of its
1,847), and a reader of the record wants one row, whose cue says what was done: "declined to
comment", not "comment".  The rows of a chain merge into the lowest verb's row (the report verb, whose
lemma the act table knows), its cue widened to start at the chain's first verb when the words between
are few, and the chain's highest confidence.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Token

from onrecord.attribute.found import Found
from onrecord.spans import trim

# a verb's complement, adjunct or coordinated verb, and a gerund after a preposition ("responded by saying")
CHAIN_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep"})
WIDEN_GAP = 3  # most tokens between two chained cues for the cue span to cover both ("went on to say")


def merge_verb_chains(doc: Doc, found: list[Found]) -> list[Found]:
    """Drop each row whose content (its envelope, trimmed of blanks and punctuation as gold spans are:
    two verbs' frames may end one before and one after a closing quotation mark) and speaker repeat a
    row of a verb it governs through a chain, and fold it into that row."""
    by_content: dict[tuple[int, int], list[Found]] = {}
    for item in found:
        if item.cue is not None and 0 <= item.head < len(doc) and item.content:
            by_content.setdefault(trim(doc.text, item.start, item.end), []).append(item)
    dropped: dict[int, Found] = {}  # id of a dropped row -> the row it folded into
    for group in by_content.values():
        for upper in group:
            lower = _chained_below(doc, upper, group, dropped)
            if lower is not None:
                _fold(doc, upper, lower)
                dropped[id(upper)] = lower
    for item in found:  # links to a dropped row go to the row it folded into, or past it from that row
        item.continues = _surviving(item, item.continues, dropped, lambda f: f.continues)
        item.parent = _surviving(item, item.parent, dropped, lambda f: f.parent)
    return [f for f in found if id(f) not in dropped]


def _surviving(
    item: Found, link: Found | None, dropped: dict[int, Found], follow: Callable[[Found], Found | None]
) -> Found | None:
    """Where a link (`continues`, `parent`) of `item` points once the dropped rows are gone: to the row
    a dropped one folded into, or, when that is `item` itself, to where the dropped row pointed."""
    while link is not None and id(link) in dropped:
        target = dropped[id(link)]
        link = follow(link) if target is item else target
    return link


def _chained_below(doc: Doc, upper: Found, group: list[Found], dropped: dict[int, Found]) -> Found | None:
    """The row of a verb that `upper`'s verb governs through chain links, with the same speaker."""
    governor = doc[upper.head]
    for other in group:
        if other is upper or id(other) in dropped or not _same_speaker(upper, other):
            continue
        if any(start <= other.cue[0] < end for start, end in other.content):  # a verb of the content
            continue
        if _governs(governor, doc[other.head]):
            return other
    return None


def _same_speaker(a: Found, b: Found) -> bool:
    return a.source is None or b.source is None or a.source == b.source


def _governs(governor: Token, token: Token) -> bool:
    """Whether `token` hangs below `governor` through chain links only: no noun in between, and a verb
    under a preposition only as a gerund ("by saying"; "on whether the plan would go" is a content)."""
    node = token
    while _chain_link(node):
        node = node.head
        if node == governor:
            return True
    return False


def _chain_link(node: Token) -> bool:
    if node.head.i == node.i or node.dep_ not in CHAIN_DEPS:
        return False
    return node.dep_ != "pcomp" or node.tag_ == "VBG"


def _fold(doc: Doc, upper: Found, lower: Found) -> None:
    """The lower row keeps the pair's best confidence, a speaker and relays where it had none, and a cue
    that starts at the upper verb when it comes just before."""
    lower.confidence = max(lower.confidence, upper.confidence)
    if lower.source is None and upper.source is not None:
        lower.source, lower.name = upper.source, upper.name
    if not lower.via:
        lower.via = upper.via
    if upper.cue[1] <= lower.cue[0] and _tokens_between(doc, upper.cue[1], lower.cue[0]) <= WIDEN_GAP:
        lower.cue = (upper.cue[0], lower.cue[1])


def _tokens_between(doc: Doc, start: int, end: int) -> int:
    span = doc.char_span(start, end, alignment_mode="expand")
    return 0 if span is None else sum(not t.is_space for t in span)
