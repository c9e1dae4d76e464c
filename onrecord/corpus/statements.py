"""Corpus-level statements: the same statement of one speaker identity, followed across outlets.

The per-article record holds each outlet's attributions apart; a reader asks where a quotation first
appeared, who carried it and whether its words changed.  This pass reads only stored rows — every
attribution with its content, cue, relays and speaker key, the identity of each (article, key) from the
identity pass, the articles' publishers and dates — and groups the attributions that report the same
statement of the same identity:

- **quotations** (direct or mixed) that share a run of `RUN` consecutive words (all of the shorter one's,
  if it has at least `MIN_WORDS`; never fewer than `MIN_QUOTE`), or, with at least `RUN` words, whose
  words agree for `OVERLAP` of the shorter one once punctuation, casing and ellipses are folded away: a
  quote cut shorter, split differently or with one word changed.  A direct quotation is compared by the
  words inside its quotation marks (`quoted_text`), not the cue between its parts;
- **paraphrases** (indirect) of a quotation where the evidence is strong: the same identity, `PARAPHRASE`
  of the shorter one's content words shared (and `PARAPHRASE_LONG` of the longer one's, at least
  `MIN_CONTENT`), published within `DAYS` days of each other.

Candidates come from datasketch's MinHash LSH (seeded, so runs repeat; the Spark job finds them with
MLlib's MinHashLSH instead) over three kinds of sets (`feature_sets`), then every candidate pair is
checked exactly with difflib; the linked pairs are joined (union–find, in sorted order).  Everything is
sorted before use and a statement's id is a hash of its smallest member, so re-running gives the same
statements, and one ingest gives the same statements as the same articles ingested in parts (an
article ingested later joins the statements it matches; the first appearance moves when it is older).
A tie in publication date is broken by the article's stored name (`first_by` = "name"), not by when it
was stored: parallel workers store articles in a different order on every run.

Quotations credited to different identities join on a long shared passage only when one outlet's
credit is weak or the names are compatible (`cross_linked`), and a statement never gathers two
speakers named in the text (`Groups`); its speaker is chosen by its appearances (`speaker_of`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from onrecord.corpus.occasions import Occasion, occasion_of, same_occasion

RUN = 8  # consecutive words two quotations must share (or all words of the shorter one, if it has ≥ MIN_WORDS)
MIN_WORDS = 5  # a quotation shorter than this only joins by identical words
MIN_QUOTE = 3  # … and one shorter than this never joins
OVERLAP = 0.8  # share of the shorter quotation's words that must match (in blocks of ≥ 2 words)
PARAPHRASE = 0.7  # share of the shorter text's content words a paraphrase must share with a quotation
PARAPHRASE_LONG = 0.25  # … and of the longer one's (a short phrase is no paraphrase of a long transcript)
MIN_CONTENT = 5  # content words a paraphrase needs at least
DAYS = 7  # a paraphrase and a quotation this close in publication date (or undated)
SHINGLE = 3  # words per shingle of a quotation's candidate set
WINDOW = 5  # words per window of a quotation's passage set (a shared passage of PASSAGE words shares 6)
NUM_PERM = 64  # min-hashes per candidate set (datasketch MinHash; Spark MLlib MinHashLSH's hash tables)
SEED = 20261201  # the min-hashes' seed, so every run finds the same candidates
QUOTED = ("direct", "mixed")
PASSAGE = 10  # consecutive words two quotations credited to different identities must share to be one statement
SHARE = 0.5  # share of the shorter quotation a shared run must cover (a few words of a long quote are a phrase)
LONG = 12  # … unless it is this long: twelve verbatim words are one utterance at any length (`spanning`)
TITLE = 8  # quoted words at most in a title-like name ("The Late Show with Stephen Colbert")
UTTERANCE_ACTS = (None, "speech", "thought")  # an intention ("plans to") or evidence (a poll) is no utterance
NP_START = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "this",
        "these",
        "those",
        "some",
        "any",
        "both",
        "each",
        "every",
    ]
)
FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "will",
        "would",
        "could",
        "should",
        "can",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "shall",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "shouldn't",
        "don't",
        "doesn't",
        "didn't",
    ]
)

WORD = re.compile(r"[\w]+(?:['’][\w]+)*", re.UNICODE)
ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]")
QUOTE_SPAN = re.compile(r"“([^“”]*)”|\"([^\"]*)\"|''(.*?)''|«([^«»]*)»", re.S)
OPENER = re.compile(r"[“\"«]|''")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words, left out of a paraphrase's content (data/stopwords.txt; no spaCy import at the end
    of an ingest whose workers did the parsing)."""
    from onrecord.datafiles import lines

    return frozenset(w.strip().lower() for w in lines("onrecord.corpus", "data/stopwords.txt") if w.strip())


def words(text: str | None) -> list[str]:
    """The words of a content, folded: casing, punctuation and curly apostrophes do not count."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text or "")]


def quoted_text(text: str | None) -> str:
    """The words a quotation gives inside quotation marks (“…”, "…", the NYT's ''…''), or all of it when it
    has none: a quote split around its cue ("“A,” Weaver said in a statement. “B.”") keeps the outlet's
    own words between the parts, which two different statements of one speaker can share word for word."""
    parts, last = [], 0
    for found in QUOTE_SPAN.finditer(text or ""):
        parts.append(next(g for g in found.groups() if g is not None))
        last = found.end()
    rest = (text or "")[last:]
    opener = OPENER.search(rest)
    if opener:  # a last part whose closing mark the content leaves out
        parts.append(rest[opener.end() :])
    return " ".join(parts) if parts else text or ""


def content_words(tokens: list[str]) -> set[str]:
    return {w for w in tokens if w not in stopwords() and not w.isdigit() and len(w) > 1}


@dataclass
class Item:
    """One attribution as the pass sees it."""

    article: str
    id: str
    identity: str
    type: str
    tokens: list[str]
    published: date | None
    order: tuple
    row: dict[str, Any] = field(repr=False, default_factory=dict)
    weak: bool = False  # the outlet's credit is a pronoun, a description or no mention: see `weak_credit`
    span: tuple[int, int] | None = None  # the content's characters in the article, to tell nested reports
    credit: int = 0  # how the outlet named the speaker: 2 a full name, 1 one word of it, 0 weak (`credit_of`)
    reading: str = ""  # whom a one-word credit names most often in the corpus (`read_surnames`)
    occasion: Occasion = field(default_factory=Occasion)  # written/spoken, reporting day (corpus/occasions.py)

    @property
    def ref(self) -> str:
        return f"{self.article}/{self.id}"


@dataclass
class Result:
    statements: list[dict[str, Any]]
    appearances: list[dict[str, Any]]


def items(
    attributions: Iterable[Mapping[str, Any]],
    members: Iterable[Mapping[str, Any]],
    articles: Iterable[Mapping[str, Any]],
) -> list[Item]:
    """The attributions that can be statements: a speaker identity and at least one word of content."""
    identity = {(m["article"], m["key"]): m["identity"] for m in members}
    meta = {a["hash"]: a for a in articles}
    found = []
    for row in attributions:
        who = identity.get((row["article"], row.get("source_key")))
        direct = row.get("type") == "direct"  # a mixed report's own words around its quoted ones count
        tokens = words(quoted_text(row.get("content_text")) if direct else row.get("content_text"))
        art = meta.get(row["article"])
        if who is None or not tokens or art is None or not utterance(row, tokens):
            continue
        published = art.get("published_date")
        order = (published is None, published or date.min, art.get("tie_order") or 0, row["article"], row["id"])
        info = dict(row, publisher=art.get("publisher"))
        kind = row.get("type") or ""
        weak = weak_credit(who, row.get("source_mention"))
        start, end = row.get("content_start"), row.get("content_end")
        span = (start, end) if start is not None and end is not None else None
        credit = 0 if weak else credit_of(who, row.get("source_mention"))
        item = Item(row["article"], row["id"], who, kind, tokens, published, order, info, weak, span, credit)
        item.occasion = occasion_of(row, published)
        found.append(item)
    read_surnames(found)
    return sorted(found, key=lambda i: (i.identity, i.ref))


def read_surnames(found: list[Item]) -> None:
    """Each one-word credit ("Clinton", "Mrs. Clinton") read as the identity that the same mention names
    most often across the corpus: the per-article resolver had to choose among namesakes, and its
    choice is weaker evidence for a statement's speaker than the corpus's usage (`speaker_of`)."""
    from onrecord import keys

    usage: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i in found:
        if i.credit == 1:
            usage[keys.fold(i.row.get("source_mention") or "")][i.identity] += 1
    for i in found:
        counts = usage.get(keys.fold(i.row.get("source_mention") or "")) if i.credit == 1 else None
        i.reading = min(counts, key=lambda k: (-counts[k], k != i.identity, k)) if counts else i.identity


def utterance(row: Mapping[str, Any], tokens: list[str]) -> bool:
    """Whether an attribution reports something said (or thought) at all, so it can be a statement: not
    an intention or a piece of evidence (its `act`), not only titles in quotation marks ("The View", a
    book's name), not a topic or stance named by a noun phrase ("came out against the trade deal",
    "advocated for building a wall"), which names no particular utterance another outlet could carry."""
    if row.get("act") not in UTTERANCE_ACTS:
        return False
    text = row.get("content_text") or ""
    if row.get("type") in QUOTED:
        parts = [found.group(0) for found in QUOTE_SPAN.finditer(text)]
        parts = parts or ([text] if row.get("type") == "direct" else [])
        return not parts or not all(title_like(part) for part in parts)
    return not topic_phrase(tokens, row.get("cue_lemma"))


def title_like(text: str) -> bool:
    """A quoted name rather than quoted words: a few words, every one but function words capitalized,
    no sentence inside ("The Late Show with Stephen Colbert," is a title; "Make no mistake" is not)."""
    raw = WORD.findall(text)
    if not raw or len(raw) > TITLE or re.search(r"[.!?]\s+\w", text.strip(" \"“”'’‘,.!?")):
        return False
    content = [w for w in raw if w.lower() not in stopwords()]
    return len(raw) >= 2 and bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def topic_phrase(tokens: list[str], lemma: str | None) -> bool:
    """An indirect content that is a noun phrase, not a clause: it opens with a determiner, a possessive
    or a gerund and has no finite verb, or its cue takes no clause at all (praise, oppose, advocate for:
    the object is what was praised, not what was said)."""
    from onrecord.attribute.lexicon import cue_frames

    frames = cue_frames().get(lemma or "")
    if tokens[0] == "that":
        return False
    if frames is not None and "clause" not in frames:
        return True
    return (tokens[0] in NP_START or tokens[0].endswith("ing")) and not FINITE & set(tokens)


def credit_of(identity: str, mention: str | None) -> int:
    """How strongly an outlet's mention names the identity: 2 when it gives two of its name's words or
    all of them (a full name next to the cue), 1 for one word of it (a surname, "Mrs. Clinton", which
    the resolver had to choose among namesakes), 0 otherwise."""
    from onrecord import keys

    name = set(identity.split(":", 1)[-1].split())
    said = set(keys.fold(mention or "").split()) & name
    return 2 if len(said) >= min(2, len(name)) and len(name) > 1 else 1 if said else 0


def weak_credit(identity: str, mention: str | None) -> bool:
    """Whether an outlet's credit of a quotation is weak evidence of who said it: a per-article identity
    (an unresolved pronoun or a description such as "the Republican candidate"), a pronoun the resolver
    linked to a name ("he said" after two named people), or no mention at all.  A long verbatim passage
    outweighs such a credit (see `cross_linked`); a speaker named in the text does not give way."""
    from onrecord import keys
    from onrecord.corpus.identities import pronouns

    return "@" in identity or mention is None or keys.fold(mention) in pronouns()


def compatible(a: str, b: str) -> bool:
    """Two named identities that may be one speaker: the same kind and one name's words within the
    other's ("person:obama", "person:barack obama"), where the identity pass left them apart."""
    if "@" in a or "@" in b or a.split(":", 1)[0] != b.split(":", 1)[0]:
        return False
    wa, wb = set(a.split(":", 1)[-1].split()), set(b.split(":", 1)[-1].split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def feature_sets(found: list[Item]) -> dict[str, list[tuple[int, set[str]]]]:
    """The sets each candidate index hashes, by index, as (item number, features):

    - "quoted": a quotation's 3-word shingles (its words, if shorter), tagged with its identity, so only
      one identity's quotations meet;
    - "paraphrase": content words, tagged with the identity, of the items (with at least `MIN_CONTENT`)
      of an identity that has both paraphrases and quotations — a paraphrase meets its quotations;
    - "passage": a quotation's `WINDOW`-word windows, untagged: quotations credited to different
      identities that share a passage (of `PASSAGE` words, checked after) meet.
    """
    kinds: dict[str, set[bool]] = defaultdict(set)
    quotations: dict[str, int] = defaultdict(int)
    for i in found:
        kinds[i.identity].add(i.type in QUOTED)
        quotations[i.identity] += i.type in QUOTED
    with_paraphrase = {k for k, v in kinds.items() if len(v) == 2}  # paraphrases and quotations
    sets: dict[str, list[tuple[int, set[str]]]] = {"quoted": [], "paraphrase": [], "passage": []}
    for n, item in enumerate(found):
        tag, tokens = item.identity + "\x1f", item.tokens
        if item.type in QUOTED and quotations[item.identity] > 1:  # a lone quotation meets no one here
            grams = [tokens[i : i + SHINGLE] for i in range(len(tokens) - SHINGLE + 1)] or [tokens]
            sets["quoted"].append((n, {tag + " ".join(g) for g in grams}))
        if item.type in QUOTED:
            windows = {" ".join(tokens[i : i + WINDOW]) for i in range(len(tokens) - WINDOW + 1)}
            if len(tokens) >= PASSAGE:
                sets["passage"].append((n, windows))
        content = content_words(tokens)
        if item.identity in with_paraphrase and len(content) >= MIN_CONTENT:  # fewer is no paraphrase
            sets["paraphrase"].append((n, {tag + w for w in content}))
    return sets


def lsh_pairs(sets: list[tuple[int, set[str]]]) -> set[tuple[int, int]]:
    """Pairs of items whose sets share one of `NUM_PERM` seeded min-hashes (datasketch's MinHash LSH in
    bands of one row — the scheme of Spark MLlib's MinHashLSH): nearly every pair with a Jaccard
    similarity above a few percent, few of the rest; each pair is then checked exactly."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        from onrecord.errors import Errors, StoreError

        raise StoreError(Errors.E232) from None
    if len(sets) < 2:
        return set()
    data = [[f.encode("utf-8") for f in sorted(features)] for _, features in sets]
    hashes = MinHash.bulk(data, num_perm=NUM_PERM, seed=SEED)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(NUM_PERM, 1))
    with lsh.insertion_session() as session:
        for (n, _), minhash in zip(sets, hashes, strict=True):
            session.insert(n, minhash, check_duplication=False)
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:  # every band's buckets: the pairs each bucket holds (as a query finds them)
        for bucket, size in table.itemcounts().items():
            if size > 1:
                pairs.update(itertools.combinations(sorted(table.get(bucket)), 2))
    return pairs


def kept(found: list[Item], kind: str, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The candidate pairs of one index (`feature_sets`) where its rule can apply: one identity's
    quotations; a paraphrase and a quotation of one identity; a passage of two identities in two articles."""
    found_pairs = set()
    for a, b in pairs:
        x, y = found[a], found[b]
        if kind == "quoted":
            ok = x.identity == y.identity
        elif kind == "paraphrase":
            ok = x.identity == y.identity and (x.type in QUOTED) != (y.type in QUOTED)
        else:
            ok = x.identity != y.identity and x.article != y.article
        if ok:
            found_pairs.add((min(a, b), max(a, b)))
    return found_pairs


def all_candidates(found: list[Item]) -> set[tuple[int, int]]:
    """The candidate pairs of every index, by datasketch's MinHash LSH."""
    pairs: set[tuple[int, int]] = set()
    for kind, sets in feature_sets(found).items():
        pairs |= kept(found, kind, lsh_pairs(sets))
    return pairs


def quoted_match(a: list[str], b: list[str], close: bool = True) -> bool:
    """Two quotations that give the same words: a quote cut shorter (the shorter one's words all, or
    `OVERLAP` of them, within the other), near-identical wording (a changed word), or a shared run that
    is a real share of the shorter one (`SHARE`; or `LONG` words at any length) from reports published
    close together (`close`): two quotes split differently.  A shared phrase of a few words between
    long quotations, or a sentence a speaker repeats weeks later among other words, is a talking point
    said again, not the same utterance.  A word or two in quotation marks (a scare quote) never joins."""
    short = min(len(a), len(b))
    if short < MIN_QUOTE:
        return False
    if a == b:
        return True
    if short < MIN_WORDS:
        return False
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    longest = max(b.size for b in blocks)
    covered = sum(b.size for b in blocks if b.size >= 2)
    if longest >= short or (short >= RUN and covered >= OVERLAP * short):
        return True  # one within the other, or the same words with one changed
    if longest < min(RUN, short):
        return False
    return longest >= LONG or (close and longest >= SHARE * short)


def paraphrase_match(a: Item, b: Item) -> bool:
    """A paraphrase of a quotation: high content overlap and close dates (strong evidence only)."""
    if a.published and b.published and abs((a.published - b.published).days) > DAYS:
        return False
    wa, wb = content_words(a.tokens), content_words(b.tokens)
    short = min(len(wa), len(wb))
    if short < MIN_CONTENT:
        return False
    shared = len(wa & wb)
    return shared >= PARAPHRASE * short and shared >= PARAPHRASE_LONG * max(len(wa), len(wb))


def longest_run(a: list[str], b: list[str]) -> int:
    """The most consecutive words two texts share."""
    return max(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def close_dates(a: Item, b: Item) -> bool:
    """Published within `DAYS` days of each other (or one undated)."""
    return not (a.published and b.published) or abs((a.published - b.published).days) <= DAYS


def linked(a: Item, b: Item) -> bool:
    """Whether two items of one identity in two articles report the same statement.  Two reports of one
    article are never linked by their own words: the outlet gave them apart (two answers, two passages),
    or one is nested in the other (a second cue inside the first one's content, which may pick up
    another remark); they meet in a statement only through what other outlets carried."""
    if a.article == b.article or not same_occasion(a.occasion, b.occasion):
        return False  # the same words on two occasions (written and spoken, two days) are two statements
    if a.type in QUOTED and b.type in QUOTED:
        return quoted_match(a.tokens, b.tokens, close_dates(a, b))
    if a.type in QUOTED or b.type in QUOTED:
        return paraphrase_match(a, b)
    return False  # two paraphrases alone are too weak evidence of one utterance


def cross_linked(a: Item, b: Item) -> bool:
    """Two quotations credited to different identities that report one statement: a shared verbatim
    passage (`PASSAGE` words, and a real share of the shorter one unless it is `LONG`) and a credit
    that can give way (one side weak, or the two names compatible), in two articles: within one
    article, two overlapping reports credited apart are one report inside another (a poll of what
    voters said), which the record already tells apart."""
    if a.article == b.article or not (a.weak or b.weak or compatible(a.identity, b.identity)):
        return False
    if not same_occasion(a.occasion, b.occasion):
        return False
    blocks = SequenceMatcher(None, a.tokens, b.tokens, autojunk=False).get_matching_blocks()
    longest = max(m.size for m in blocks)
    short = min(len(a.tokens), len(b.tokens))
    return longest >= PASSAGE and (longest >= LONG or longest >= SHARE * short)


def nested(a: Item, b: Item) -> bool:
    """One report's content inside the other's, in one article (a second cue within the first's words)."""
    if a.article != b.article or a.span is None or b.span is None:
        return False
    (s1, e1), (s2, e2) = a.span, b.span
    return (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2)


def link(a: Item, b: Item) -> bool:
    """The exact check of a candidate pair: one identity's rule (`linked`), or the rule across two."""
    return linked(a, b) if a.identity == b.identity else cross_linked(a, b)


class Groups:
    """Union–find over the items, each group keeping its members and the identities credited by name
    (strong credits): two groups join only when those stay one speaker (equal or compatible names), so
    a weak credit never bridges two named speakers, and only when the link is evidence against the
    whole statement, not one member of it (`supported`): no chain of single links (A like B, B like C)
    puts together two reports that share nothing."""

    def __init__(self, found: list[Item]) -> None:
        self.found = found
        self.parent = list(range(len(found)))
        self.members = [[n] for n in range(len(found))]
        self.named = [{i.identity} if not i.weak else set() for i in found]
        self.checked: dict[tuple[int, int], bool] = {}

    def find(self, n: int) -> int:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def joinable(self, a: int, b: int) -> bool:
        both = self.named[self.find(a)] | self.named[self.find(b)]
        return all(x == y or compatible(x, y) for x in both for y in both)

    def linked(self, a: int, b: int) -> bool:
        pair = (min(a, b), max(a, b))
        if pair not in self.checked:
            self.checked[pair] = link(self.found[pair[0]], self.found[pair[1]])
        return self.checked[pair]

    def supported(self, a: int, b: int) -> bool:
        """Whether more than half of the pairs across the two groups are linked (average linkage): a
        report joins a statement when it carries the words of most of its reports.  A report nested
        in another of its article counts neither way (it is the same passage of that outlet)."""
        ours, theirs = self.members[self.find(a)], self.members[self.find(b)]
        pairs = [(x, y) for x in ours for y in theirs if not nested(self.found[x], self.found[y])]
        return 2 * sum(self.linked(x, y) for x, y in pairs) > len(pairs)

    def join(self, a: int, b: int) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra
        self.named[ra] |= self.named[rb]
        self.members[ra] += self.members[rb]
        self.members[rb] = []


def similarity(a: Item, b: Item) -> float:
    """The Jaccard similarity of two reports' words: the order in which links are weighed."""
    wa, wb = set(a.tokens), set(b.tokens)
    return len(wa & wb) / len(wa | wb)


def components(found: list[Item], pairs: Iterable[tuple[int, int]]) -> list[tuple[str, list[Item]]]:
    """(statement id, items) of the items joined by their links, each component in date order.  `pairs`:
    the candidate index pairs; each is checked exactly, one identity's first, then across identities, each
    kind the closest pairs first (`similarity`, then index order), so a statement forms around its nearest
    reports before looser ones are weighed against it; the components depend on the candidates only
    through the links they let be found.  A quotation spanning two statements is in both (`spanning`)."""
    groups = Groups(found)
    same, cross = [], []
    for a, b in sorted(pairs):
        if groups.linked(a, b):
            (same if found[a].identity == found[b].identity else cross).append((-similarity(found[a], found[b]), a, b))
    for _, a, b in sorted(same) + sorted(cross):
        if groups.find(a) != groups.find(b) and groups.joinable(a, b) and groups.supported(a, b):
            groups.join(a, b)
    members: dict[int, list[Item]] = defaultdict(list)
    for n, item in enumerate(found):
        members[groups.find(n)].append(item)
    ids = {root: statement_id(m) for root, m in members.items()}  # by its own members, not the spanning ones
    for n, root in spanning(groups, [(a, b) for _, a, b in same + cross]):
        members[root].append(found[n])
    return [(ids[root], sorted(m, key=lambda i: i.order)) for root, m in members.items()]


def spanning(groups: Groups, links: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """(item, group) for a quotation that also belongs to a statement it did not join: one outlet's long
    quotation running over two passages that other outlets quoted apart shares `LONG` verbatim words with
    each, so it is an appearance of both statements, while the two passages stay two statements (joining
    them would put together reports that share nothing).  The longer quotation of such a link is the one
    that spans; a group it could not join for its speakers gets no copy."""
    found = groups.found
    extra = set()
    for a, b in links:
        x, y = found[a], found[b]
        if groups.find(a) == groups.find(b) or x.type not in QUOTED or y.type not in QUOTED:
            continue
        if longest_run(x.tokens, y.tokens) < LONG or not groups.joinable(a, b):
            continue
        wide, other = (a, b) if (len(x.tokens), b) > (len(y.tokens), a) else (b, a)
        extra.add((wide, groups.find(other)))
    return extra


def speaker_of(members: list[Item]) -> str:
    """The statement's speaker: the identity most often credited by a full name next to the cue, then by
    any name (a one-word credit counts for whom that mention names most often in the corpus,
    `read_surnames`; a pronoun's credit never outvotes a named one), then most often at all, then the
    longer name, then the smallest key.  Where every appearance credits one identity, that credit
    stands (the resolver saw the article).  Each appearance keeps the speaker its outlet credited."""
    if len({i.identity for i in members}) == 1:
        return members[0].identity
    full, named, total = defaultdict(int), defaultdict(int), defaultdict(int)
    for i in members:
        total[i.identity] += 1
        named[i.reading or i.identity] += not i.weak
        full[i.identity] += i.credit == 2
    candidates = set(total) | set(named)
    return min(candidates, key=lambda k: (-full[k], -named[k], -total[k], -len(k.split(":", 1)[-1].split()), k))


def statement_id(members: list[Item]) -> str:
    """Stable across runs and ingest orders: a hash of the smallest member."""
    smallest = min(i.ref for i in members)
    return "st:" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:12]


def word_diff(base: list[str], other: list[str]) -> list[list[str]]:
    """A word-level diff of `other` against `base`: [op, text] with op "=", "-", "+" (folded words)."""
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(["=", " ".join(base[i1:i2])])
            continue
        if i2 > i1:
            ops.append(["-", " ".join(base[i1:i2])])
        if j2 > j1:
            ops.append(["+", " ".join(other[j1:j2])])
    return ops


def changed_words(base: list[str], other: list[str], text: str) -> bool:
    """A quotation whose words differ from the first one: a word replaced, added or left out between
    words both share (a left-out stretch marked by an ellipsis is none); a quote cut shorter, or longer,
    at either end is no change."""
    ops = SequenceMatcher(None, base, other, autojunk=False).get_opcodes()
    equal = [n for n, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return bool(base or other)
    for n, (tag, *_span) in enumerate(ops):
        if tag == "equal" or not equal[0] < n < equal[-1]:
            continue
        if tag == "delete" and ELLIPSIS.search(text or ""):
            continue
        return True
    return False


def appearance_rows(sid: str, members: list[Item]) -> list[dict[str, Any]]:
    """Each member's provenance and its diff against the statement's first direct quotation."""
    quoted = [i for i in members if i.type in QUOTED]
    base = quoted[0] if quoted else members[0]
    rows = []
    for n, item in enumerate(members, 1):
        row = item.row
        rows.append(
            {
                "statement": sid,
                "n": n,
                "article": item.article,
                "attribution": item.id,
                "publisher": row.get("publisher"),
                "published_date": item.published,
                "type": item.type,
                "cue": row.get("cue_text"),
                "via": list(row.get("via") or []),
                "text": row.get("content_text"),
                "diff": json.dumps(word_diff(base.tokens, item.tokens), ensure_ascii=False),
                "changed": item is not base
                and item.type in QUOTED
                and changed_words(base.tokens, item.tokens, row.get("content_text")),
            }
        )
    return rows


def statement_row(sid: str, members: list[Item], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The statement: its first appearance (earliest date; the article name breaks a tie and says so), its
    reach, and whether its words changed or a paraphrase was later quoted."""
    first = members[0]
    tie = len(members) > 1 and members[1].published == first.published  # undated ones tie too
    quoted_at = [n for n, i in enumerate(members) if i.type in QUOTED]
    paraphrased_at = [n for n, i in enumerate(members) if i.type == "indirect"]
    return {
        "id": sid,
        "identity": speaker_of(members),
        "text": first.row.get("content_text"),
        "first_article": first.article,
        "first_attribution": first.id,
        "first_publisher": first.row.get("publisher"),
        "first_published": first.published,
        "first_by": "name" if tie else "date",
        "publishers": len({r["publisher"] for r in rows if r["publisher"]}),
        "articles": len({i.article for i in members}),
        "appearances": len(members),
        "changed": any(r["changed"] for r in rows),
        "promoted": bool(paraphrased_at and quoted_at and paraphrased_at[0] < quoted_at[-1]),
    }


def _dated(row: Mapping[str, Any]) -> tuple[bool, Any]:
    """A first date's sort key, undated last (as SQL's NULLS LAST)."""
    return (row["first_published"] is None, row["first_published"] or "")


def build(
    attributions: Iterable[Mapping[str, Any]],
    members: Iterable[Mapping[str, Any]],
    articles: Iterable[Mapping[str, Any]],
    candidates: Callable[[list[Item]], set[tuple[int, int]]] = all_candidates,
) -> Result:
    """Every statement of the corpus and its appearances, sorted by id (then order).  `candidates`: the
    candidate pairs of the items (default: datasketch's MinHash LSH; the Spark job passes MLlib's)."""
    found = items(attributions, members, articles)
    statements, appearances = [], []
    for sid, component in components(found, candidates(found)):
        rows = appearance_rows(sid, component)
        statements.append(statement_row(sid, component, rows))
        appearances.extend(rows)
    by_reach = sorted(statements, key=lambda r: (-r["publishers"], -r["appearances"], *_dated(r), r["id"]))
    for n, row in enumerate(by_reach, 1):
        row["reach"] = n  # the lists' order as one number (README, "Statements")
    statements.sort(key=lambda r: r["id"])
    appearances.sort(key=lambda r: (r["statement"], r["n"]))
    return Result(statements, appearances)
