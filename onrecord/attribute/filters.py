"""Readings that are no attribution whatever the cue score: advice to the reader, questions, the
writer's own hedging and voice, a plain pronoun taken for content.  One check for the rules and the
cue model alike (`not_a_report`); the word lists are data (`data/not_reports.tsv`)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from onrecord.attribute import frames
from onrecord.attribute.acts import evidence_subjects, media_subjects
from onrecord.attribute.lexicon import _lines
from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import QuoteIndex, find_quotes
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
        asks = cache[sent.start] = text.rstrip("!").endswith("?") and not any(ch in _QUOTE_MARKS for ch in text)
    return asks


def is_imperative(token: Token) -> bool:
    """A base-form verb without a subject opening its clause: "See how …", "Note that …", "Don't
    think that …", "When buying, look for …" (advice or instructions addressed to the reader)."""
    verb = token
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.tag_ not in ("VB", "VBP") or verb.dep_ not in ("ROOT", "parataxis"):  # VBP: a mis-tagged "stick …"
        return False
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj"):
            return False
        if c.dep_ in ("aux", "auxpass") and not (c.lemma_.lower() == "do" and c.i < verb.i and _negated(verb)):
            return False
    for t in verb.doc[verb.sent.start : verb.i]:
        if not t.is_alpha or t.lower_ == "please":
            continue
        top = t
        while top.head.i != verb.i and top.head.i != top.i:
            top = top.head
        if top.head.i != verb.i or top.dep_ not in _LEADING:
            return False
    return True


_LEADING = frozenset(["advmod", "intj", "cc", "advcl", "prep", "npadvmod", "mark", "neg", "aux", "punct"])


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def in_advice(token: Token) -> bool:
    """A cue with no subject of its own inside an instruction to the reader: "To know if …, talk to
    your doctor", "stick your fingers in the soil to find out if …"."""
    if frames.subject(token) is not None:
        return False
    node = token
    for _ in range(4):
        if node.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "prep", "pcomp") or node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX") and is_imperative(node):
            return True
    return False


_REGISTER_KEY = "onrecord.reader_addressed"
_QUOTES_KEY = "onrecord.filter_quotes"
READER_SHARE = 0.5  # of the writer's sentences addressing the reader ("you", imperatives): a how-to, not news
READER_MIN_SENTENCES = 10


def _quotes(doc: Doc) -> QuoteIndex:
    index = doc.user_data.get(_QUOTES_KEY)
    if index is None:
        index = doc.user_data[_QUOTES_KEY] = QuoteIndex(find_quotes(doc_text(doc)))
    return index


def reader_addressed(doc: Doc) -> bool:
    """The text talks to its reader: at least half of the writer's own sentences (outside quotations)
    say "you" or give an instruction.  Such a text (a how-to, a guide, advice) reports little; there a
    noun phrase, a topic or a question after a verb is never taken for what someone said."""
    addressed = doc.user_data.get(_REGISTER_KEY)
    if addressed is None:
        quotes = _quotes(doc)
        own = talking = 0
        for sent in doc.sents:
            if quotes.at(sent.start_char) is not None or sum(t.is_alpha for t in sent) < 4:
                continue
            own += 1
            you = any(t.lower_ in _words("generic") and quotes.at(t.idx) is None for t in sent)
            talking += you or is_imperative(sent.root)
        addressed = own >= READER_MIN_SENTENCES and talking >= READER_SHARE * own
        doc.user_data[_REGISTER_KEY] = addressed
    return addressed


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
    if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    # "the company's spokesman", "Lena Ott's veto": a named possessor, whose act or voice it is; "the Halden
    # port authority": a name on a speaker noun; not "one Instagram picture", a thing labelled by a name
    speaker_noun = subject.pos_ == "PROPN" or subject.lemma_.lower() in person_nouns() | organization_nouns()
    naming = ("compound", "poss", "appos") if speaker_noun else ("poss",)
    return any(t.ent_type_ in ("PERSON", "ORG") for t in subject.children if t.dep_ in naming)


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


def _passive_condition(token: Token) -> bool:
    """An agentless passive in an if-clause: what might be done to its subject, not anyone's report
    ("if I am charged with a crime"; "if they are convinced that …" still holds a belief)."""
    marked = any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in token.children)
    return marked and _agentless_passive(token) and any(c.dep_ == "nsubjpass" for c in token.children)


def _inverted_had(token: Token) -> bool:
    """ "had they known": an auxiliary before its subject, outside a question, is a condition."""
    aux = next((c for c in token.children if c.dep_ == "aux" and c.lower_ in ("had", "were", "should")), None)
    subj = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return aux is not None and subj is not None and aux.i < subj.i < token.i


def not_a_report(doc: Doc, token: Token, frame: str, content: Range | None) -> str | None:
    """Why a verb reading is not an attribution ("question", "imperative", "hedge", "agentless",
    "generic", "pronoun_object", "topic", "narrated" …), or None when nothing speaks against it."""
    lemma = token.lemma_.lower()
    if is_question(token):
        return "question"
    if is_imperative(token):
        return "imperative"
    if in_advice(token):
        return "advice"
    # Hedging and agentless framing say nothing about a named actor's report when they are about a
    # thing ("the attack appeared to be …", "the bridge is expected to reopen"); about a named person
    # or organisation ("Lee appeared to suggest …", "Lee is expected to announce …") they keep hearsay.
    if lemma in _words("hedge") and frame in ("xcomp", "prep:like", "clause", "none", "object"):
        if not _named_subject(token) or (frame == "xcomp" and token.dep_ == "relcl" and _to_be(token)):
            return "hedge"  # "(a Tomas Brandt,) who appears to be her cousin …": the writer's guess
    elif lemma in _words("agentless") and _agentless_passive(token) and not _named_subject(token):
        return "agentless"
    elif lemma in _words("labelling") and _agentless_passive(token) and frame == "prep:as":
        return "agentless"  # "(the U.S.) is best characterized as …": named or not, the subject is labelled
    if lemma in _words("copular") and frame == "xcomp" and _to_be(token):
        return "copular"  # "(the timetable) proved to be the main issue": what it is, not a report
    subject = frames.subject(token)
    form = _form_reason(token, lemma, subject)
    if form is not None:
        return form
    if subject is not None and subject.lower_ in _words("generic"):
        return "generic"
    if _impersonal(token, subject):
        return "impersonal"  # "it is worth noting that …", "it would be safe to say …": the writer
    if _inverted_had(token):
        return "counterfactual"  # "had they known …"
    if frame != "clause" and _passive_condition(token):
        return "counterfactual"  # "if I am charged with a crime": a condition, and no one reports
    if (subject is None or subject.pos_ in ("VERB", "AUX")) and _opens_line(token):
        return "heading"  # "Learning how to …", "Explaining why …": a heading or list item, no one speaks
    if _inside_indirect_question(token):
        return "wh_inside"  # "(speaks about) how well she believes …": the verb is part of a question's topic
    if content is not None:
        return _content_reason(doc, token, lemma, frame, subject, doc[content[0] : content[1]])
    return None


def _to_be(token: Token) -> bool:
    """The verb's complement is "to be …" (its xcomp is the copula)."""
    return any(c.dep_ == "xcomp" and c.lemma_ == "be" for c in token.children)


def _form_reason(token: Token, lemma: str, subject: Token | None) -> str | None:
    """What the verb's form and place say against a report, whatever its content: a noun the tagger
    took for a verb, a participle whose noun is what was acted on, a verb made to happen by another."""
    if mistagged(token, subject):
        return "mistagged"  # "Photos that the star posted …", "2X points on all travel"
    participle = token.dep_ == "acl" and token.tag_ == "VBN" and _verb_class(lemma) == "other"
    if participle and not any(c.dep_ == "agent" for c in token.children):
        return "patient"  # "bread filled with flavours": the bread is filled, it reports nothing
    head = token.head
    caused = token.dep_ in ("ccomp", "xcomp") and token.tag_ == "VB" and head.lemma_.lower() in _words("causative")
    if caused and subject is not None and subject.i == head.i + 1 and subject.i < token.i:
        return "causative"  # "(it will) make them want to …": an effect, not a wish reported
    return None


def mistagged(token: Token, subject: Token | None) -> bool:
    """A verb form that cannot be one: the first half of a compound noun ("centrist think tanks
    like …"), a third-person form with no subject at all as the first word of its sentence
    ("Photos that …"), or after a bare number greater than one ("2X points on …")."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and f"{token.lower_} {following.lemma_.lower()}" in _words("compound_noun"):
        return True
    if token.tag_ != "VBZ":
        return False
    if subject is None:
        first = next((t for t in token.sent if t.is_alpha), None)
        return first is not None and first.i == token.i and token.dep_ != "ROOT"
    number = subject.pos_ == "NUM" or subject.ent_type_ == "CARDINAL"
    return number and subject.dep_ == "nsubj" and subject.lower_ not in ("one", "1") and not list(subject.children)


def _content_reason(doc: Doc, token: Token, lemma: str, frame: str, subject: Token | None, span) -> str | None:
    """What the content itself says against a report: a pronoun, a time, a topic, a narrated act."""
    if frame in ("object", "to", "xcomp") or frame.startswith("prep:"):
        words = [t for t in span if not t.is_punct]
        if len(words) == 1 and words[0].lower_ in _words("pronoun_object"):
            return "pronoun_object"
        if _quantified_pronoun(words) or _pro_verb_phrase(span):
            return "pronoun_object"  # "(denies he ever said) any of that"
        if _vessel(span):
            return "container"  # "released a statement to a magazine": the vessel, not its words
        if all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in span):
            return "empty"  # "comment on [Monday]": a time is no content
        if (
            len(span) <= 6
            and span.root.lemma_.lower() in _words("empty")
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") or _says_what(c) for c in span.root.children)
        ):
            return "empty"  # "declined to comment (on Monday)", "refused to elaborate"
    strict = reader_addressed(doc)  # in a how-to, a topic or a thing's doings are never a report
    # "revealed what had been making her lose weight": what about, not what (in news only a choice
    # between options, "say in which direction …", is so clear; elsewhere any wh-content)
    if frame == "clause" and _indirect_question(span) and lemma not in _words("asking"):
        if strict:
            return "wh_topic"
        if _which_question(span):
            return "wh_which"
    we = subject is not None and subject.lower_ == "we" and _verb_class(lemma) == "thought"
    if we and _quotes(doc).at(token.idx) is None:
        return "writer_we"  # "we know regulators …" outside quotations: the writer's own voice
    phrase = frame != "clause" and _noun_phrase(span, True)
    # bare: no verb in it (in a how-to a noun phrase with a relative clause counts as bare too)
    bare = phrase and (strict or not any(t.pos_ in ("VERB", "AUX") for t in span))
    narrated = _narration_reason(token, lemma, frame, subject, span, (strict, phrase, bare))
    if narrated is not None or not (frame in ("object", "to", "xcomp") or frame.startswith("prep:")):
        return narrated
    if not phrase:
        return None
    if not bare:
        if lemma in _words("topic_verb") and (frame == "object" or frame[5:] in _words("topic_prep")):
            return "topic_loose"
        return None
    preposition = frame[5:] if frame.startswith("prep:") else None
    if lemma in _words("topic_verb") and (preposition in _words("topic_prep") or frame == "object"):
        return "topic"  # "spoke about her weight", "commented on her weight", "detailed her struggles"
    if strict and (preposition in _words("topic_prep") or frame == "object"):
        return "topic_any"
    return None


def _narration_reason(
    token: Token, lemma: str, frame: str, subject: Token | None, span, shape: tuple[bool, bool, bool]
) -> str | None:
    """A thing doing something, or anyone doing an act, narrates.  A thing (not one that carries words:
    an ad, a tweet) with a noun phrase and a verb no table knows as a report ("the algorithms compare
    my face to that of everyone who …"), offering a noun phrase ("the solutions offer no serious
    ideas") or with a gerund ("self-government requires uniting …"), and a verb of action with a
    noun phrase or a what-clause ("the board approved a move", "many adopted what we might call …")
    say nothing anyone reported.  `shape`: (a how-to, the content is a noun phrase, a bare one)."""
    strict, phrase, bare = shape
    if frame == "clause":
        if lemma in _words("finding_someone") and _found_in_a_state(span):
            return "action"  # "officers found a man lying by the pier": someone found, not a finding
        if strict and subject_class(subject) in ("none", "thing") and _to_the_reader(span):
            return "advice"  # (signs) "that suggest you should take …" in a how-to: advice, not a finding
        free_relative = next((t.lower_ for t in span if t.is_alpha), "") == "what"
        return "action" if lemma in _words("action") and free_relative else None
    kind = subject_class(subject)
    thing = (kind == "thing" or _common_noun(subject)) and subject.lemma_.lower() not in media_subjects()
    if thing and ((bare and strict) or (phrase and _verb_class(lemma) == "other")):
        return "narrated"
    if thing and phrase and frame == "object" and lemma in _words("offering"):
        return "narrated"  # "the solutions offer no serious ideas": what a thing gives
    gerund = frame == "xcomp" and span.root.tag_ == "VBG" and _verb_class(lemma) == "other"
    if gerund and (thing or kind == "organization"):
        return "narrated"  # "self-government requires uniting …": what a thing needs, not a report
    if phrase and subject is None and _inside_noun_phrase(token):
        return "action"  # "(…), in addition to supporting various renovations": an activity named
    if phrase and frame == "object" and _identifies_person(lemma, span):
        return "action"  # "police have not identified the victim": who someone is, not a report
    if frame == "object" and _phones_someone(token, lemma, span):
        return "action"  # "called the police when the bridge gave way": a call made, not words reported
    if frame == "object" and lemma in _words("finding_someone") and _someone_found(span):
        return "action"  # "divers found a man lying by the pier": a discovery narrated
    if phrase and frame == "object" and _verb_class(lemma) == "thought" and _counted(span):
        return "action"  # "(the company) has supported more than 60 exhibitions": deeds counted
    if phrase and lemma in _words("action") and (frame == "object" or frame.startswith("prep:")):
        return None if _as_phrase(token, span) else "action"
    return None


def _common_noun(subject: Token | None) -> bool:
    """A lower-case common noun the small NER model took for a person ("coconut kefir offers …"):
    no title, no role noun, no name, so a thing whatever its entity label."""
    if subject is None or subject.pos_ != "NOUN" or not subject.text.islower() or subject.ent_type_ != "PERSON":
        return False
    lemma = subject.lemma_.lower()
    return lemma not in person_nouns() and lemma not in titles()


def _to_the_reader(span) -> bool:
    """The content clause's subject is the reader ("you should take …")."""
    return any(c.dep_ == "nsubj" and c.lower_ in _words("generic") for c in span.root.children)


def _as_phrase(token: Token, span) -> bool:
    """ "see X as Y", "regard X as Y": an opinion about X, not an act."""
    return any(t.lower_ == "as" and t.dep_ == "prep" for t in (*token.children, *span))


_WH = frozenset(["what", "which", "who", "whom", "whose", "why", "how", "when", "where", "whether"])
_LEAD_PREPOSITIONS = frozenset(["in", "on", "about", "of", "at", "for", "to", "from", "by"])


def _indirect_question(span) -> bool:
    """A content clause opened by a wh-word or "whether": it names what was asked or talked about,
    not what was said ("what had been making her lose weight", "in which direction …")."""
    if any(t.text in _QUOTE_MARKS for t in span):
        return False
    words = [t for t in span if t.is_alpha][:2]
    if not words:
        return False
    first = words[1] if words[0].lower_ in _LEAD_PREPOSITIONS and len(words) > 1 else words[0]
    return first.lower_ in _WH


def _which_question(span) -> bool:
    """ "(say) in which direction …", "(considering) which candidate …", "whether …": a choice
    named, not made."""
    words = [t for t in span if t.is_alpha][:2]
    if words and words[0].lower_ in _LEAD_PREPOSITIONS:
        words = words[1:]
    return bool(words) and words[0].lower_ in ("which", "whether")


_TEMPORAL = frozenset(["when", "whenever", "where", "wherever", "while"])


def _inside_indirect_question(token: Token) -> bool:
    """The verb belongs to a wh-clause itself ("how well she believes …"): its clause is a topic."""
    if token.dep_ not in ("ccomp", "pcomp", "advcl", "xcomp"):
        return False
    # "when Vogue asked Dion, “…”": a time clause whose own subject reports, not a question's topic
    # ("when asked about …" has no subject, "when it rains" no verb of reporting, "when she speaks
    # about how …" tells what she does at any time)
    timed = token.dep_ == "advcl" and token.tag_ == "VBD" and _verb_class(token.lemma_.lower()) != "other"
    timed = timed and any(c.dep_ == "nsubj" for c in token.children)
    for child in token.children:
        if timed and child.lower_ in _TEMPORAL:
            continue
        wh = child if child.tag_ in ("WRB", "WP", "WDT") else None
        wh = wh or next((g for g in child.children if g.tag_ in ("WRB", "WP", "WDT")), None)
        if wh is not None and child.i < token.i and child.dep_ in ("advmod", "dobj", "nsubj", "attr"):
            return True
    return False


def _opens_line(token: Token) -> bool:
    """A participle or gerund with no subject that opens its line ("Learning how to …")."""
    if token.tag_ not in ("VBG", "VB"):
        return False
    text = doc_text(token.doc)
    line_start = text.rfind("\n", 0, token.idx) + 1
    return not text[line_start : token.idx].strip(" \t-–—•*#0123456789.)")


def _noun_phrase(span, loose: bool = False) -> bool:
    """A content that is a bare noun phrase with no quotation: a thing or a topic, not something
    said ("her weight", "the plan"); `loose` also takes one with a relative clause ("the rude things
    that she's been called")."""
    if any(t.text in _QUOTE_MARKS for t in span):
        return False
    if not loose and any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    return span.root.pos_ in ("NOUN", "PROPN", "PRON", "NUM")


def _pro_verb_phrase(span) -> bool:
    """ "(she seemed to be) doing just that", "did so": a verb that stands for one said before,
    with only a demonstrative object, auxiliaries and adverbs."""
    root = span.root
    if root.lemma_.lower() not in _words("pro_verb"):
        return False
    objects = [c for c in root.children if c.dep_ in ("dobj", "advmod") and c.lower_ in _words("pro_object")]
    rest = [c for c in root.children if c.dep_ not in ("aux", "advmod", "neg", "punct", "dobj", "nsubj")]
    return bool(objects) and not rest and all(c.dep_ != "dobj" or c in objects for c in root.children)


def _inside_noun_phrase(token: Token) -> bool:
    """A gerund after a compound preposition ("in addition to supporting …", "in favour of
    backing …": a bare noun between two prepositions) with no subject of its own: it adds an
    activity to the sentence's main one, and names no report ("at the forefront of questioning",
    with its determiner, is a noun phrase about someone's stance and stays)."""
    prep = token.head
    if token.tag_ != "VBG" or token.dep_ != "pcomp" or prep.dep_ != "prep":
        return False
    noun = prep.head
    bare = not any(c.dep_ in ("det", "poss", "amod", "compound") for c in noun.children)
    return noun.pos_ == "NOUN" and noun.dep_ == "pobj" and noun.head.dep_ == "prep" and bare


def _identifies_person(lemma: str, span) -> bool:
    """A verb of identifying whose object is a bare person noun ("the victim", "a suspect")."""
    root = span.root
    allowed = ("det", "amod", "poss", "compound")
    bare = all(c.dep_ in allowed or (c.dep_, c.lower_) == ("prep", "of") for c in root.children)
    return lemma in _words("identifying") and root.lemma_.lower() in person_nouns() and bare


def _phones_someone(token: Token, lemma: str, span) -> bool:
    """A verb of calling whose object is a person or an organisation and that has no object
    predicate ('called the police'; not 'called the plan a disgrace', 'called him "a liar"')."""
    if lemma not in _words("phoning") or any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in token.children):
        return False
    if any(t.dep_ == "oprd" for t in span):
        return False
    root = span.root
    noun = root.lemma_.lower()
    return root.ent_type_ in ("PERSON", "ORG") or noun in person_nouns() or noun in organization_nouns()


def _someone_found(span) -> bool:
    """The object is a person or a body ("a man slumped between …", "the remains"), not a thing
    learnt ("evidence of fraud")."""
    noun = span.root.lemma_.lower()
    return span.root.pos_ == "NOUN" and (noun in person_nouns() or noun in _words("finding_object"))


def _found_in_a_state(span) -> bool:
    """A small clause of a person or body and a participle or adjective, no finite verb ("a man
    slumped between a forklift and a trailer", "the victim dead"): what was found, and how."""
    root = span.root
    if root.tag_ not in ("VBN", "VBG", "JJ") or any(c.dep_ in ("aux", "auxpass") for c in root.children):
        return False
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and _someone_found(subject.doc[subject.left_edge.i : subject.i + 1])


def _counted(span) -> bool:
    """A noun phrase counted by a number ("more than 60 major art exhibitions"): things done."""
    return any(c.dep_ == "nummod" and c.like_num for c in span.root.children)


def _quantified_pronoun(words: list[Token]) -> bool:
    """A content of pronouns and quantifiers only ("any of that", "all of it", "some of this"): it
    points back at what was said elsewhere and holds nothing itself."""
    if not 1 < len(words) <= 4 or not any(t.lower_ in _words("pronoun_object") for t in words):
        return False
    return all(t.pos_ in ("PRON", "DET", "ADP") for t in words)


_VESSEL_DEPS = frozenset(["det", "poss", "prep", "npadvmod", "punct", "predet"])


def _vessel(span) -> bool:
    """A content that is only a container of words (a statement, a letter, a photo) with nothing
    saying what it holds: only a determiner or possessor and where, when or to whom it went.  A
    modifier, a compound, a relative or "of"/"about" phrase, or a quotation may tell its content
    ("disparaging remarks", "a statement calling the test a violation"), so those stay; a picture
    may carry an adjective ("a new photo") and say whom it shows ("photos of herself"), a piece of
    speech may not ("his past statements")."""
    root = span.root
    lemma = root.lemma_.lower()
    picture = lemma in _words("picture")
    if root.pos_ != "NOUN" or not (picture or lemma in _words("container")):
        return False
    if any(t.text in _QUOTE_MARKS for t in span):
        return False
    allowed = _VESSEL_DEPS | {"amod"} if picture else _VESSEL_DEPS
    for child in root.children:
        if child.dep_ not in allowed:
            return False
        if picture and child.lower_ == "of" and not any(t.pos_ == "VERB" for t in child.subtree):
            continue  # "photos of herself with the mayor": whom it shows, and no words
        if child.dep_ == "prep" and child.lower_ not in _words("vessel_prep"):
            return False
    return True


def _says_what(child: Token) -> bool:
    """A prepositional child that gives the talk a subject ("comment on the plan"), not a time."""
    if child.dep_ != "prep":
        return False
    return any(g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME") for g in child.children)
