"""Readings that are no attribution whatever the cue score: advice to the reader, questions, the
writer's own hedging and voice, a plain pronoun taken for content.  One check for the rules and the
cue model alike (`not_a_report`); the word lists are data (`data/not_reports.tsv`)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from onrecord.attribute import frames
from onrecord.attribute.acts import evidence_subjects
from onrecord.attribute.lexicon import _lines
from onrecord.attribute.nearby import doc_text
from onrecord.resolve.lexicon import organization_nouns, person_nouns, titles

Range = tuple[int, int]


@lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    lists: dict[str, set[str]] = {}
    for line in _lines("not_reports.tsv"):
        kind, word = (part.strip() for part in line.split("\t")[:2])
        lists.setdefault(kind, set()).add(word)
    return {kind: frozenset(words) for kind, words in lists.items()}


def _words(kind: str) -> frozenset[str]:
    return word_lists().get(kind, frozenset())


_QUOTE_MARKS = frozenset('"“”„«»')
_QUESTION_KEY = "onrecord.questions"


def is_question(token: Token) -> bool:
    """The cue's sentence asks (and quotes no one): a rhetorical or reader-addressed question."""
    sent = token.sent
    cache = token.doc.user_data.setdefault(_QUESTION_KEY, {})
    asks = cache.get(sent.start)
    if asks is None:
        text = doc_text(token.doc)[sent.start_char : sent.end_char].rstrip()
        # “Did you …?” she asked: a question inside a quotation is someone's quoted speech
        asks = cache[sent.start] = text.endswith("?") and not any(ch in _QUOTE_MARKS for ch in text)
    return asks


def is_imperative(token: Token) -> bool:
    """A base-form verb without a subject or auxiliary opening its sentence: "See how …", "Note that
    …", "Simply forget them" (advice or instructions addressed to the reader)."""
    verb = token
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.tag_ != "VB" or verb.dep_ not in ("ROOT", "parataxis"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "expl", "csubj") for c in verb.children):
        return False
    before = [t for t in verb.doc[verb.sent.start : verb.i] if t.is_alpha]
    return all(t.dep_ in ("advmod", "intj", "cc") or t.lower_ == "please" for t in before)


_PERSON_PRONOUNS = frozenset(["he", "she", "they", "i", "we", "who"])


def subject_class(subj: Token | None) -> str:
    """What kind of thing the subject is: a person, an organisation, a finding (poll, study,
    document), the reader ("you"), something else, or none; the words come from the data files."""
    if subj is None:
        return "none"
    lower = subj.lower_
    if lower in word_lists().get("generic", ()):
        return "reader"
    if lower in _PERSON_PRONOUNS or subj.ent_type_ == "PERSON":
        return "person"
    if subj.pos_ == "PRON":
        return "pronoun"
    lemma = subj.lemma_.lower()
    if lemma in evidence_subjects():
        return "finding"
    if lemma in person_nouns() or lemma in titles():
        return "person"
    if subj.ent_type_ in ("ORG", "NORP", "GPE") or lemma in organization_nouns():
        return "organization"
    if subj.pos_ == "PROPN":
        return "name"
    return "thing"


def _verb_class(lemma: str) -> str:
    from onrecord.attribute.model import verb_class  # the model module imports this one

    return verb_class(lemma)


def _agentless_passive(token: Token) -> bool:
    children = list(token.children)
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in children) or (
        token.tag_ == "VBN" and token.dep_ in ("acl", "amod")
    )
    return passive and not any(c.dep_ == "agent" for c in children)


def _named_subject(token: Token) -> bool:
    """The subject is a named person or organisation, or a personal pronoun standing for one."""
    subject = frames.subject(token)
    if subject is None:  # a passive: its grammatical subject ("Trump is expected to …")
        subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and subject.lower_ in ("who", "that") and token.dep_ == "relcl":
        subject = token.head
    if subject is None:
        return False
    if subject.lower_ in ("he", "she", "they"):
        return True
    return subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or any(
        t.ent_type_ in ("PERSON", "ORG") for t in subject.children if t.dep_ in ("compound", "poss", "appos")
    )


def _impersonal(token: Token, subject: Token | None) -> bool:
    """The verb hangs from an adjective whose subject is an empty "it" ("it is worth noting",
    "it would be safe to say"), or has "it" as an expletive or inherited subject."""
    if subject is not None and subject.lower_ == "it":
        return subject.dep_ == "expl" or subject.head.i != token.i
    node, adjective = token, False
    for _ in range(4):
        if node.dep_ not in ("xcomp", "acomp", "pcomp", "prep") or node.head.i == node.i:
            return False
        node = node.head
        adjective = adjective or node.pos_ == "ADJ"
        if adjective and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in node.children):
            return True
    return False


def _inverted_had(token: Token) -> bool:
    """ "had they known": an auxiliary before its subject, outside a question, is a condition."""
    aux = next((c for c in token.children if c.dep_ == "aux" and c.lower_ in ("had", "were", "should")), None)
    subj = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return aux is not None and subj is not None and aux.i < subj.i < token.i


def not_a_report(doc: Doc, token: Token, frame: str, content: Range | None) -> str | None:
    """Why a verb reading is not an attribution ("question", "imperative", "hedge", "agentless",
    "generic", "pronoun_object"), or None when nothing speaks against it."""
    lemma = token.lemma_.lower()
    if is_question(token):
        return "question"
    if is_imperative(token):
        return "imperative"
    # Hedging and agentless framing say nothing about a named actor's report when they are about a
    # thing ("the attack appeared to be …", "the bridge is expected to reopen"); about a named person
    # or organisation ("Lee appeared to suggest …", "Lee is expected to announce …") they keep hearsay.
    if lemma in _words("hedge") and frame in ("xcomp", "prep:like", "clause", "none", "object"):
        if not _named_subject(token):
            return "hedge"
    elif lemma in _words("agentless") and _agentless_passive(token) and not _named_subject(token):
        return "agentless"
    subject = frames.subject(token)
    if subject is not None and subject.lower_ in _words("generic"):
        return "generic"
    if _impersonal(token, subject):
        return "impersonal"  # "it is worth noting that …", "it would be safe to say …": the writer
    if _inverted_had(token):
        return "counterfactual"  # "had they known …"
    if content is not None and (frame in ("object", "to", "xcomp") or frame.startswith("prep:")):
        words = [t for t in doc[content[0] : content[1]] if not t.is_punct]
        if len(words) == 1 and words[0].lower_ in _words("pronoun_object"):
            return "pronoun_object"
        span = doc[content[0] : content[1]]
        if all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in span):
            return "empty"  # "comment on [Monday]": a time is no content
        if (
            len(span) <= 6
            and span.root.lemma_.lower() in _words("empty")
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") or _says_what(c) for c in span.root.children)
        ):
            return "empty"  # "declined to comment (on Monday)", "refused to elaborate"
        # A verb of no reporting class with a thing as subject and a bare noun phrase as content
        # narrates ("kefir offers similar benefits", "the algorithms compare my face"); with a person
        # or organisation as subject PolNeAR often annotates it as a position, so it stays.
        if (
            subject_class(subject) == "thing"
            and _verb_class(lemma) == "other"
            and _noun_phrase_only(doc[content[0] : content[1]])
        ):
            return "narrated"
        preposition = frame[5:] if frame.startswith("prep:") else None
        topical = lemma in _words("topic_verb") and (preposition in _words("topic_prep") or frame == "object")
        if topical and _noun_phrase_only(doc[content[0] : content[1]]):
            return "topic"
    return None


def _says_what(child: Token) -> bool:
    """A prepositional child that gives the talk a subject ("comment on the plan"), not a time."""
    if child.dep_ != "prep":
        return False
    return any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in child.children)


def _noun_phrase_only(span) -> bool:
    """A content without a verb or a quotation of its own: a topic ("her weight", "the plan")."""
    if any(t.pos_ in ("VERB", "AUX") or t.text in _QUOTE_MARKS for t in span):
        return False
    return span.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
