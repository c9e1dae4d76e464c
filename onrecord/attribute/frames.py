"""Cue frames on the dependency parse: which token is a cue, where its content and source are.

Each function takes the cue token and returns token index ranges [start, end) or None; the assembly
step turns them into character spans.  Ranges never include the cue itself.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from onrecord.attribute.lexicon import finding_nouns
from onrecord.resolve.dates import MONTH_NAMES, WEEKDAYS

Range = tuple[int, int]

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_INHERIT = ("conj", "xcomp", "advcl")
_EDGE_PUNCT = {",", ";", ":", "—", "–", "-", "(", ")", "and", "but", "or"}
_RIGHT_DEPS = ("dobj", "dative", "prep", "oprd", "xcomp", "ccomp", "attr", "acomp")


def trim(doc: Doc, start: int, end: int) -> Range | None:
    """Shrink a range past edge punctuation, spaces and dangling conjunctions; None if nothing is left."""
    while start < end and (doc[start].is_space or doc[start].lower_ in _EDGE_PUNCT):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].lower_ in _EDGE_PUNCT):
        end -= 1
    return (start, end) if end > start else None


def without_full_stop(doc: Doc, rng: Range | None) -> Range | None:
    """A whole clause's range ends at its sentence's full stop, which is not part of what was said."""
    if rng is not None and rng[1] - rng[0] > 1 and doc[rng[1] - 1].text == ".":
        return trim(doc, rng[0], rng[1] - 1)
    return rng


def subtree_range(token: Token) -> Range:
    return token.left_edge.i, token.right_edge.i + 1


def without(outer: Range, inner: Range, anchor: int) -> Range:
    """The part of `outer` on `anchor`'s side of `inner` (a clause minus the cue's own phrase)."""
    if anchor < inner[0]:
        return outer[0], min(outer[1], inner[0])
    return max(outer[0], inner[1]), outer[1]


def subject(verb: Token) -> Token | None:
    """The speaker token: own subject, agent of a passive, or inherited from the governing clause.

    Participles and infinitives ("…, adding that", "before refusing to") have no subject of their own;
    they inherit it through conj/xcomp/advcl/pcomp links, or from the noun an `acl` modifies.
    """
    inverted = _inverted_name(verb)
    if inverted is not None:
        return inverted
    for _ in range(5):
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                if child.dep_ == "nsubjpass":
                    return _agent(verb)
                if child.lower_ == "that" and verb.dep_ == "relcl":
                    return verb.head  # "nations that oppose": the antecedent speaks
                return child
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        if verb.dep_ in _INHERIT and verb.head.i != verb.i:
            verb = verb.head
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.i != verb.head.i:
            verb = verb.head.head
            continue
        return None
    return None


def _inverted_name(verb: Token) -> Token | None:
    """'…, says Early.': a name right after a verb that follows its own clause, which the parse took
    for an adverb or object, is the inverted subject (not a date: 'said Monday')."""
    if not any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children) or verb.i + 1 >= len(verb.doc):
        return None
    name = verb.nbor(1)
    after = name.nbor(1) if name.i + 1 < len(name.doc) else None
    if name.head.i != verb.i or not name.is_title or name.dep_ not in ("advmod", "npadvmod", "dobj", "attr"):
        return None  # the tagger calls a surname it does not know an adverb ("says Early")
    if after is not None and not after.is_punct:
        return None
    calendar = name.lower_ in WEEKDAYS or name.lower_ in MONTH_NAMES
    return None if name.ent_type_ in ("DATE", "TIME") or calendar else name


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def source_range(doc: Doc, token: Token | None, cue: Token) -> Range | None:
    """The whole noun phrase of the speaker, cut so that it never runs into the cue or a relative
    clause that contains it ("officials who said" → "officials")."""
    if token is None:
        return None
    start, end = subtree_range(token)
    if start <= cue.i < end:
        if token.i < cue.i:
            relcl = next((c for c in token.rights if c.dep_ in ("relcl", "acl") and c.i <= cue.i), None)
            end = relcl.left_edge.i if relcl is not None else cue.i
        else:
            start = cue.i + 1
    addressee = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ == "to"), None)
    if addressee is not None and token.head.i < token.i:
        end = min(end, addressee.i)  # "said one diplomat to Reuters": Reuters is the addressee
    return trim(doc, start, end)


def clause_content(doc: Doc, cue: Token) -> Range | None:
    """Content of a speech verb: its clausal complement, or the clause it interrupts ("…, she said")."""
    complements = [c for c in cue.children if c.dep_ == "ccomp"]
    if complements:
        best = max(complements, key=lambda c: c.right_edge.i - c.left_edge.i)
        start, end = subtree_range(best)
        start = _misparsed_subject(cue, best, start)
        if start <= cue.i < end:
            start, end = without((start, end), (cue.i, cue.i + 1), best.i)
        return trim(doc, start, end)
    statement = _statement_clause(cue)
    if statement is not None:
        return trim(doc, *subtree_range(statement))
    if cue.dep_ == "parataxis" or (cue.dep_ == "ccomp" and cue.i > cue.head.i and _is_tail(cue)):
        head = cue.head
        rng = without(subtree_range(head), subtree_range(cue), head.i)
        return trim(doc, *rng)
    return None


def _statement_clause(cue: Token) -> Token | None:
    """ "said in a statement that …": the parser hangs the that-clause on 'statement'."""
    for prep in cue.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            for clause in pobj.children:
                if clause.dep_ in ("acl", "relcl", "ccomp") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
                ):
                    return clause
    return None


def _misparsed_subject(cue: Token, clause: Token, start: int) -> int:
    """ "warned the slowdown could last": the parser often takes the clause's subject for the verb's
    object; a subjectless clause right after an object gets that object back."""
    if any(c.dep_ in _SUBJECTS for c in clause.children):
        return start
    for child in cue.children:
        if child.dep_ == "dobj" and child.right_edge.i + 1 == start:
            return child.left_edge.i
    return start


def _is_tail(cue: Token) -> bool:
    """A trailing "…, X said" parsed as a complement of the main verb."""
    return any(t.text == "," for t in cue.doc[cue.head.i : cue.left_edge.i])


def object_content(doc: Doc, cue: Token) -> Range | None:
    objects = [c for c in cue.children if c.dep_ == "dobj"]
    if not objects:
        return None
    start = objects[0].left_edge.i
    end = objects[0].right_edge.i + 1
    for child in cue.children:
        if child.i > objects[0].i and child.dep_ in ("prep", "oprd", "ccomp", "xcomp"):
            end = max(end, child.right_edge.i + 1)
    return trim(doc, start, end)


def to_content(doc: Doc, cue: Token) -> Range | None:
    """ "urged Putin to withdraw": the object and its infinitive together."""
    obj = next((c for c in cue.children if c.dep_ in ("dobj", "dative")), None)
    xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
    if obj is None or xcomp is None or xcomp.i < obj.i:
        return None
    return trim(doc, obj.left_edge.i, xcomp.right_edge.i + 1)


def xcomp_content(doc: Doc, cue: Token) -> Range | None:
    xcomp = next((c for c in cue.children if c.dep_ == "xcomp"), None)
    return None if xcomp is None else trim(doc, *subtree_range(xcomp))


def prep_content(doc: Doc, cue: Token, preposition: str) -> Range | None:
    """What follows the preposition: its object ("called for calm"), with the infinitive the parse
    hangs on the verb right after it ("called for Ott and Brandt | to be given a fair hearing"),
    or the infinitive clause the preposition introduces ("called for the minister to resign")."""
    for child in cue.children:
        if child.dep_ == "prep" and child.lower_ == preposition:
            objs = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            bare = not objs and not list(child.children) and preposition == "for"
            if bare and (clause := _infinitive_after(cue, child.i + 1)) is not None:
                return trim(doc, clause.left_edge.i, clause.right_edge.i + 1)  # "for | Ott to be given …"
            if objs:
                end = child.right_edge.i + 1
                time = objs[0].ent_type_ in ("DATE", "TIME")  # "pushed for a decade | to …": how long
                infinitive = _infinitive_after(cue, end) if preposition in ("for", "on") and not time else None
                return trim(doc, objs[0].left_edge.i, infinitive.right_edge.i + 1 if infinitive else end)
        opener = child.left_edge
        marked = opener.dep_ == "mark" and opener.lower_ == preposition == "for" and opener.head.i == child.i
        if marked and _infinitive(child):
            return trim(doc, opener.i + 1, child.right_edge.i + 1)
    return None


def _infinitive(verb: Token) -> bool:
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return verb.dep_ in ("advcl", "xcomp", "ccomp") and to


def _infinitive_after(cue: Token, start: int) -> Token | None:
    """The cue's infinitive clause that opens at token `start` ("… | to be afforded due process")."""
    return next((c for c in cue.children if _infinitive(c) and c.left_edge.i == start), None)


def content_for(doc: Doc, cue: Token, frames: frozenset[str]) -> tuple[Range, str] | None:
    """Try the lemma's frames, most specific first; return the content range and the frame used."""
    if "to" in frames and (rng := to_content(doc, cue)):
        return rng, "to"
    if "clause" in frames and (rng := clause_content(doc, cue)):
        return rng, "clause"
    if "xcomp" in frames and (rng := xcomp_content(doc, cue)):
        return rng, "xcomp"
    for frame in sorted(frames):  # a set's order changes with the process' hash seed; the output must not
        if frame.startswith("prep:") and (rng := prep_content(doc, cue, frame[5:])):
            return rng, frame
    if "object" in frames and (rng := object_content(doc, cue)):
        return rng, "object"
    return None


def according_to(doc: Doc, token: Token) -> tuple[Range, Range, Range] | None:
    """ "…, according to X": (content, source, cue) ranges, or None if the parse does not fit."""
    if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    to = doc[token.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    source = trim(doc, *subtree_range(pobj))
    head = token.head
    is_root = head.i == token.i
    phrase = (token.i, max(to.right_edge.i, token.right_edge.i) + 1)
    if is_root:
        sent = token.sent  # rare: only when 'according' heads its own sentence
        outer, anchor = (sent.start, sent.end), sent.start
    else:
        outer, anchor = subtree_range(head), head.i
    content = without_full_stop(doc, trim(doc, *without(outer, phrase, anchor)))
    if content is None or source is None:
        return None
    return content, source, (token.i, to.i + 1)


def in_finding(doc: Doc, token: Token) -> tuple[Range, Range, Range] | None:
    """ "In a Register poll last month, Cruz led by ten points": (content, source, cue) ranges when a
    clause is set "in" a poll or survey, which then is its source; None otherwise."""
    if token.lower_ != "in" or token.dep_ != "prep" or token.head.pos_ not in ("VERB", "AUX"):
        return None
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.lower() not in finding_nouns():
        return None
    head = token.head
    # a finding is a whole statement with a subject of its own: not "(who) has been leading in polls"
    subj = next((c for c in head.children if c.dep_ in _SUBJECTS), None)
    if head.dep_ in ("relcl", "acl") or subj is None or subj.lower_ in ("who", "which", "that"):
        return None
    source = trim(doc, *subtree_range(pobj))
    content = without_full_stop(doc, trim(doc, *without(subtree_range(head), subtree_range(token), head.i)))
    if content is None or source is None or content[1] - content[0] < 3:
        return None
    return content, source, (token.i, token.i + 1)
