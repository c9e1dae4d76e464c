"""The trained cue model: which verbs, in which frame, introduce an attribution.

The rules (`frames`) say where a verb's content could be — its clause, object, to-infinitive or a
prepositional complement — and this model says which of those readings, if any, is an attribution.
Every verb outside a quotation is a candidate in each frame the parse allows, plus a "none" reading
(a speech verb whose content is a neighbouring quotation).  A logistic regression over sparse
indicator features of the verb, its subject, its frame and its context scores them; the best reading
of a verb becomes an attribution when its probability reaches the trained threshold, and that
probability is the attribution's confidence.

Everything after the cue decision (quotation attachment, relays, nesting) stays with the rules.  The
weights come from `onrecord train` (`onrecord.eval.train`) and ship as `data/model.npz`.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from onrecord.attribute import filters, frames
from onrecord.attribute.acts import act_of, act_table_lemmas
from onrecord.attribute.cues import DEFAULT_CONFIDENCE, found_from_ranges, match_cue
from onrecord.attribute.filters import subject_class
from onrecord.attribute.found import Found
from onrecord.attribute.lexicon import cue_frames, frame_precision, read_frames
from onrecord.attribute.nearby import doc_text
from onrecord.attribute.quotes import QuoteIndex
from onrecord.attribute.relays import NESTING_CONFIDENCE

WEIGHTS = Path(__file__).parent / "data" / "model.npz"
NONE = "none"  # the reading without content of its own: a quotation nearby may become it
FRAMES = ("to", "clause", "xcomp", "object")
QUOTE_CHARS = frozenset('"“”„«»') | {"''", "``"}
_PRONOUNS = frozenset(
    ["i", "you", "he", "she", "it", "we", "they", "who", "which", "that", "this", "these", "those", "one"]
)
_PERSON_ENTS = frozenset(("PERSON", "NORP", "ORG", "GPE"))
_WH = frozenset(["if", "whether", "what", "why", "how", "who", "when", "where", "which"])
Range = tuple[int, int]
_SOURCE_POS = frozenset(("PROPN", "PRON", "NOUN", "NUM", "X"))
_SOURCE_DEPS = frozenset(
    ("nsubj", "nsubjpass", "csubj", "pobj", "poss", "appos", "attr", "dobj", "npadvmod", "conj", "ROOT", "dative")
)
MAX_SOURCES = 12
RULE_CUES = frozenset(("according", "in"))  # words the rules decide on in the hybrid too (not verbs)


@dataclass(slots=True)
class Candidate:
    """One reading of a verb: its frame and content token range (None for the "none" reading)."""

    token: Token
    frame: str
    content: Range | None
    features: list[str] = field(default_factory=list)


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 13, 21, 34):
        if n <= limit:
            return str(limit)
    return "many"


@lru_cache(maxsize=1)
def _seed() -> dict[str, frozenset[str]]:
    return read_frames("cues_seed.tsv")


class DocContext:
    """Per-document facts the features share, computed in one pass: quotation marks, quoted tokens,
    sentences (index, bounds, question or not) and each sentence's possible speakers."""

    def __init__(self, doc: Doc, inside_quote: list[bool]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.lines: dict[int, list[str]] = {}  # line start -> the line's features
        self.tokens = list(doc)
        self.inside = inside_quote
        self.is_mark = [t.text in QUOTE_CHARS for t in self.tokens]
        self.sent_index: list[int] = [0] * len(doc)
        self.sent_bounds: list[tuple[int, int]] = []
        self.sent_has_quote: list[bool] = []
        self.sent_question: list[bool] = []
        self.speakers: list[list[Token]] = []
        for n, sent in enumerate(doc.sents):
            start, end = sent.start, sent.end
            tokens = self.tokens[start:end]
            for t in tokens:
                self.sent_index[t.i] = n
            self.sent_bounds.append((start, end))
            self.sent_has_quote.append(any(self.is_mark[i] or self.inside[i] for i in range(start, end)))
            last = next((t for t in reversed(tokens) if not t.is_space), None)
            self.sent_question.append(last is not None and last.text.endswith("?"))
            self.speakers.append([t for t in tokens if t.pos_ in _SOURCE_POS and t.dep_ in _SOURCE_DEPS])

    def mark_near(self, i: int, step: int, width: int = 3) -> bool:
        j = i + step
        for _ in range(width):
            if not 0 <= j < len(self.doc):
                return False
            if self.is_mark[j]:
                return True
            j += step
        return False


def candidates(doc: Doc, token: Token) -> list[Candidate]:
    """The verb's readings: each frame the parse gives it content in, then "none"."""
    out: list[Candidate] = []
    for frame in FRAMES:
        found = frames.content_for(doc, token, frozenset([frame]))
        if found is not None:
            out.append(Candidate(token, frame, found[0]))
    seen = set()
    for child in token.children:
        # a preposition of its own or one opening an infinitive clause ("called for the minister to resign")
        word = child.lower_ if child.dep_ == "prep" else child.left_edge.lower_
        if (child.dep_ == "prep" or (child.left_edge.dep_, word) == ("mark", "for")) and word not in seen:
            seen.add(word)
            rng = frames.prep_content(doc, token, word)
            if rng is not None:
                out.append(Candidate(token, f"prep:{word}", rng))
    if (
        token.dep_ == "advcl"
        and token.head.i != token.i
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)
    ):
        # "As Politico reported, the committee agreed …": the clause the as-phrase modifies.
        head = token.head
        rng = frames.trim(doc, *frames.without(frames.subtree_range(head), frames.subtree_range(token), head.i))
        if rng is not None:
            out.append(Candidate(token, "as", rng))
    out.append(Candidate(token, NONE, None))
    return out


def verb_class(lemma: str) -> str:
    """The verb's semantic class: its act where the act table lists it, a reporting verb of the cue
    table, or other (a verb the tables never saw as a report: mostly narrated actions)."""
    if lemma in act_table_lemmas():
        return act_of(lemma, "", None)
    return "report" if lemma in cue_frames() or lemma in _seed() else "other"


def _line_features(ctx: DocContext, token: Token) -> list[str]:
    """Headings and page furniture: the token's line is short and unpunctuated, or shouted."""
    text = ctx.text
    start = text.rfind("\n", 0, token.idx) + 1
    feats = ctx.lines.get(start)
    if feats is None:
        end = text.find("\n", token.idx)
        line = text[start : end if end >= 0 else len(text)].strip()
        short = len(line.split()) <= 12 and not line.endswith((".", "!", "?", '"', "”", "’", ":"))
        letters = [c for c in line if c.isalpha()]
        caps = len(letters) >= 6 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
        feats = ctx.lines[start] = [f"line_short={short}", f"line_caps={caps}"]
    return feats


def _subject_features(token: Token) -> list[str]:
    subj = frames.subject(token)
    if subj is None:
        return ["subj=none", "subj_class=none"]
    own = subj.head.i == token.i
    feats = [f"subj_own={own}", f"subj_dep={subj.dep_}", f"subj_class={subject_class(subj)}"]
    if subj.lower_ in _PRONOUNS:
        feats.append(f"subj_pron={subj.lower_}")
    else:
        feats += [f"subj_pos={subj.pos_}", f"subj_lem={subj.lemma_.lower()}", f"subj_ent={subj.ent_type_}"]
        if subj.ent_type_ in _PERSON_ENTS or any(c.ent_type_ == "PERSON" for c in subj.children):
            feats.append("subj_named")
    return feats


def token_features(ctx: DocContext, token: Token) -> list[str]:
    """Facts of the verb itself, shared by all its readings."""
    doc = ctx.doc
    lemma = token.lemma_.lower()
    head = token.head
    feats = [
        f"lem={lemma}",
        f"tag={token.tag_}",
        f"dep={token.dep_}",
        f"dep_lem={token.dep_}|{lemma}",
        f"seed={lemma in _seed()}",
    ]
    if head.i != token.i:
        feats += [f"head_lem={head.dep_}>{head.lemma_.lower()}", f"head_pos={token.dep_}>{head.pos_}"]
    for child in token.children:
        dep = child.dep_
        if dep in ("neg", "auxpass", "nsubjpass", "dative", "ccomp", "dobj", "xcomp", "advmod", "npadvmod"):
            feats.append(f"child={dep}")
        if dep == "aux":
            feats.append(f"aux={child.lower_}")
        if dep == "prep":
            feats.append(f"prep={child.lower_}")
        if dep == "advmod":
            feats.append(f"advmod={child.lower_}")
    feats += _subject_features(token)
    feats += _line_features(ctx, token)
    feats += [
        f"verb_class={verb_class(lemma)}",
        f"imperative={filters.is_imperative(token)}",
    ]
    left = doc[token.i - 1].lower_ if token.i > 0 else "<s>"
    right = doc[token.i + 1].lower_ if token.i + 1 < len(doc) else "</s>"
    feats += [f"left={left}", f"right={right}", f"lem_right={lemma}|{right}"]
    n = ctx.sent_index[token.i]
    start, end = ctx.sent_bounds[n]
    feats += [
        f"sent_quote={ctx.sent_has_quote[n]}",
        f"mark_left={ctx.mark_near(token.i, -1)}",
        f"mark_right={ctx.mark_near(token.i, 1)}",
        f"first_sent={n == 0}",
        f"sent_len={_bucket(end - start)}",
        f"question={ctx.sent_question[n]}",
        f"sent_start={token.i - start < 2}",
    ]
    return feats


def frame_features(ctx: DocContext, cand: Candidate) -> list[str]:
    """Facts of one reading: its frame and its content."""
    token, frame = cand.token, cand.frame
    lemma = token.lemma_.lower()
    feats = [f"frame={frame}", f"lem_frame={lemma}|{frame}", f"seed_frame={frame in _seed().get(lemma, ())}"]
    if cand.content is None:
        return feats
    doc = ctx.doc
    start, end = cand.content
    span = doc[start:end]
    first = doc[start]
    root = span.root
    feats += [
        f"len={_bucket(end - start)}",
        f"side={'after' if start > token.i else 'before'}",
        f"first={first.lower_ if first.lower_ in _WH or first.lower_ in ('that', 'to') else first.pos_}",
        f"root_pos={root.pos_}",
        f"root_dep={root.dep_}",
        f"root_lem={root.lemma_.lower()}",
        f"lem_root={lemma}|{root.pos_}",
        f"quoted={any(ctx.is_mark[i] or ctx.inside[i] for i in range(start, end))}",
        f"has_subj={any(c.dep_ in ('nsubj', 'nsubjpass', 'expl') for c in root.children)}",
        f"root_ent={root.ent_type_}",
        f"lem_len={lemma}|{_bucket(end - start)}",
    ]
    if end - start <= 2:
        words = [t for t in span if not t.is_punct]
        if len(words) == 1 and words[0].pos_ == "PRON":
            feats.append("content_pronoun")
    return feats


def featurize(ctx: DocContext, token: Token) -> list[Candidate]:
    """All readings of `token` with their features: each token and reading fact alone and per frame."""
    shared = token_features(ctx, token)
    out = candidates(ctx.doc, token)
    for cand in out:
        own = frame_features(ctx, cand)
        cand.features = ["bias", *own, *shared, *(f"{cand.frame}#{f}" for f in shared)]
    return out


def is_candidate(token: Token, ctx: DocContext) -> bool:
    return token.pos_ == "VERB" and not ctx.inside[token.i]


class Linear:
    """A linear scorer over indicator features: the sum of the weights of the features it knows."""

    def __init__(self, vocab: list[str], weights: np.ndarray) -> None:
        self.vocab = vocab
        self.index = {f: i for i, f in enumerate(vocab)}
        self.weights = weights.astype(np.float32)
        # one slot more, weighing 0, for every feature the model never saw: lookups need no branch
        self._padded = np.append(self.weights, np.float32(0))

    def scores(self, rows: list[list[str]]) -> np.ndarray:
        if not rows:
            return np.zeros(0, dtype=np.float32)
        lengths = [len(row) for row in rows]
        flat = np.fromiter(
            map(self.index.get, chain.from_iterable(rows), repeat(len(self.vocab))), dtype=np.intp, count=sum(lengths)
        )
        owner = np.repeat(np.arange(len(rows)), lengths)
        return np.bincount(owner, weights=self._padded[flat], minlength=len(rows))

    def probabilities(self, rows: list[list[str]]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.scores(rows)))


class CueModel:
    """The cue scorer, the source ranker and the boundary ranker, with the thresholds chosen on train."""

    PARTS = ("cue", "source", "bound")

    def __init__(self, cue: Linear, source: Linear | None, bound: Linear | None, meta: dict) -> None:
        self.cue = cue
        self.source = source
        self.bound = bound
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        self.nesting = float(meta.get("nesting", NESTING_CONFIDENCE))  # outer confidence that nests reports

    def save(self, path: Path) -> None:
        """One compressed .npz: float16 weights, the vocabularies and the metadata as UTF-8 JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"meta": _json_bytes(self.meta)}
        for name, linear in self.scorers().items():
            arrays[f"{name}_weights"] = linear.weights.astype(np.float16)
            arrays[f"{name}_vocab"] = _json_bytes(linear.vocab)
        with path.open("wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> CueModel:
        with np.load(path, allow_pickle=False) as data:
            linears = {
                name: Linear(json.loads(data[f"{name}_vocab"].tobytes()), data[f"{name}_weights"])
                for name in cls.PARTS
                if f"{name}_vocab" in data
            }
            meta = json.loads(data["meta"].tobytes())
        return cls(linears["cue"], linears.get("source"), linears.get("bound"), meta)

    def scorers(self) -> dict[str, Linear]:
        return {n: s for n, s in (("cue", self.cue), ("source", self.source), ("bound", self.bound)) if s is not None}


def _json_bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)


@lru_cache(maxsize=1)
def shipped() -> CueModel | None:
    """The model inside the package, or None when the weights file is absent (rules only)."""
    return CueModel.load(WEIGHTS) if WEIGHTS.exists() else None


def choose(model: CueModel, ctx: DocContext, skip: set[int]) -> list[tuple[Candidate, float]]:
    """Each candidate verb's best reading with its probability, for the readings kept: a framed
    reading at or above the threshold; or, for a speech verb of the rules' cue table whose best reading
    is "none", the "none" reading (a quotation nearby may become its content), as the rules keep it."""
    groups = [featurize(ctx, t) for t in ctx.tokens if t.i not in skip and is_candidate(t, ctx)]
    probs = model.cue.probabilities([c.features for group in groups for c in group])
    chosen = []
    at = 0
    for group in groups:
        best = max(range(len(group)), key=lambda k: probs[at + k])
        cand, p = group[best], float(probs[at + best])
        at += len(group)
        if filters.not_a_report(ctx.doc, cand.token, cand.frame, cand.content) is not None:
            continue
        if cand.frame != NONE:
            if p >= model.threshold:
                chosen.append((cand, p))
            continue
        lemma = cand.token.lemma_.lower()
        if "clause" in cue_frames().get(lemma, ()):
            chosen.append((cand, max(p, frame_precision().get((lemma, "clause"), DEFAULT_CONFIDENCE))))
    return chosen


def speaker(model: CueModel, ctx: DocContext, cand: Candidate) -> Range | None:
    """The source token range of a kept reading: the ranker's pick among the candidates, or the rule's."""
    token = cand.token
    rule = frames.subject(token)
    if model.source is None:
        return frames.source_range(ctx.doc, rule, token)
    options, rows = source_rows(token, rule, cand.content, ctx)
    best = options[int(np.argmax(model.source.scores(rows)))]
    return None if best is None else frames.source_range(ctx.doc, best, token)


def boundaries(model: CueModel, doc: Doc, cand: Candidate) -> Range | None:
    """The kept reading's content as the boundary ranker cuts it."""
    if cand.content is None or model.bound is None:
        return cand.content
    variants = content_variants(doc, cand)
    if len(variants) < 2:
        return cand.content
    scores = model.bound.scores([feats for _, feats in variants])
    return variants[int(np.argmax(scores))][0]


def match_cues(doc: Doc, quotes: QuoteIndex, model: CueModel) -> list[Found]:
    """The hybrid's cue step: "according to" and "in a poll" by rule, every verb by the model's best reading."""
    ctx = DocContext(doc, [quotes.at(t.idx) is not None for t in doc])
    found = [f for t in ctx.tokens if t.lower_ in RULE_CUES and (f := match_cue(doc, t, quotes)) is not None]
    taken = {f.head for f in found}
    for cand, probability in choose(model, ctx, taken):
        token = cand.token
        source = speaker(model, ctx, cand)
        content = boundaries(model, doc, cand)
        cue = (token.i, token.i + 1)
        found.append(
            found_from_ranges(doc, content, cue, token.lemma_.lower(), source, token, probability, frame=cand.frame)
        )
        taken.add(token.i)
    found.extend(_nested_by_rule(ctx, quotes, found, taken, model.nesting))
    found.sort(key=lambda f: f.head)
    return found


def _nested_by_rule(
    ctx: DocContext, quotes: QuoteIndex, found: list[Found], taken: set[int], reliable: float
) -> list[Found]:
    """Reports inside a reliable attribution's content ("The ministry said the envoy had told …") are
    left to the rules: the model is trained on what the corpus annotates, the outermost reports, and
    the record still shows the nested ones with their `parent`."""
    outer = sorted(f.content[0] for f in found if f.content and f.confidence >= reliable)
    if not outer:
        return []
    starts = [start for start, _ in outer]
    nested = []
    for token in ctx.tokens:
        i = bisect_right(starts, token.idx) - 1
        if token.i in taken or i < 0 or token.idx >= outer[i][1] or not is_candidate(token, ctx):
            continue
        item = match_cue(ctx.doc, token, quotes)
        if item is not None:
            nested.append(item)
    return nested


# ------------------------------------------------------------------------------ sources ---


def source_candidates(token: Token, rule: Token | None, ctx: DocContext) -> list[Token | None]:
    """Who may be speaking for a cue: the rule's subject, then noun phrase heads of its sentence by
    distance, then None (no source in the text)."""
    # Words inside the rule's subject phrase ("Holt's spokesman, Ivo Renn") name the same speaker less
    # well than the phrase itself, so they are no options of their own.
    lo, hi = (rule.left_edge.i, rule.right_edge.i) if rule is not None else (-1, -1)
    near = sorted(
        (t for t in ctx.speakers[ctx.sent_index[token.i]] if t.i != token.i and not lo <= t.i <= hi),
        key=lambda t: abs(t.i - token.i),
    )
    return [*([rule] if rule is not None else []), *near[: MAX_SOURCES - 1], None]


def _path(a: Token, b: Token) -> str:
    """Dependency path from the cue up to the common ancestor and down to the candidate."""
    up = [a, *a.ancestors]
    up_index = {t.i: n for n, t in enumerate(up)}
    down = []
    node = b
    while node.i not in up_index and len(down) < 6:
        down.append(node.dep_)
        if node.head.i == node.i:
            return "far"
        node = node.head
    if node.i not in up_index:
        return "far"
    ups = [t.dep_ for t in up[: up_index[node.i]]]
    if len(ups) > 3 or len(down) > 3:
        return f"long{len(ups)}/{len(down)}"
    return "^" + "^".join(ups) + "|v" + "v".join(reversed(down))


def source_rows(
    token: Token, rule: Token | None, content: Range | None, ctx: DocContext
) -> tuple[list[Token | None], list[list[str]]]:
    """The source options of a cue and the ranker's features for each."""
    options = source_candidates(token, rule, ctx)
    inside = ctx.inside
    lemma = token.lemma_.lower()
    base = [f"cue_dep={token.dep_}", f"cue_tag={token.tag_}"]
    before = [o for o in options if o is not None and o.i < token.i]
    after = [o for o in options if o is not None and o.i > token.i]
    rows = []
    for cand in options:
        if cand is None:
            feats = ["s:none", f"s:none_rule={rule is None}", f"s:none_lem={lemma}", *(f"s:none_{f}" for f in base)]
            feats += [f"s:none_child={c.dep_}" for c in token.children if c.dep_ in ("nsubjpass", "auxpass", "agent")]
            rows.append(feats)
            continue
        path = _path(token, cand)
        kind = cand.lower_ if cand.pos_ == "PRON" else cand.pos_
        side = before if cand.i < token.i else after
        rank = side.index(cand) if cand.i < token.i else after.index(cand)
        is_rule = cand == rule
        person = any(t.ent_type_ == "PERSON" for t in cand.subtree) if cand.pos_ != "PRON" else True
        feats = [
            "s:bias",
            f"s:rule={is_rule}",
            f"s:path={path}",
            f"s:path_kind={path}|{kind}",
            f"s:path_ent={path}|{cand.ent_type_}",
            f"s:kind={kind}",
            f"s:dep={cand.dep_}",
            f"s:ent={cand.ent_type_}",
            f"s:lem={cand.lemma_.lower()}",
            f"s:side_rank={'before' if cand.i < token.i else 'after'}{min(rank, 3)}",
            f"s:dist={_bucket(abs(cand.i - token.i))}",
            f"s:inside_content={content is not None and content[0] <= cand.i < content[1]}",
            f"s:in_quote={inside[cand.i]}",
            f"s:person={person}",
            f"s:root_subj={cand.dep_ in ('nsubj', 'nsubjpass') and cand.head.dep_ == 'ROOT'}",
            f"s:cue_lem_rule={lemma}|{is_rule}",
            f"s:title={cand.is_title}",
            f"s:rule_exists={rule is not None}",
        ]
        if is_rule:
            feats += [f"s:rule_{f}" for f in base]
        rows.append(feats)
    return options, rows


# --------------------------------------------------------------------------- boundaries ---

_CUT_DEPS = frozenset(("relcl", "appos", "advcl", "prep", "npadvmod", "acl", "parataxis", "conj", "cc"))
_CUT_AFTER = frozenset((",", "—", "–", "-", ";", "("))
_COMPLEMENTS = ("dobj", "ccomp", "xcomp", "prep", "attr", "acomp", "oprd", "dative")


def _after_verb(doc: Doc, verb: Token, end: int) -> int | None:
    """Where the complement of a verb starts: "tried to defend [the plan]", "respond to [critics]"."""
    comp = next((c for c in verb.rights if c.dep_ in _COMPLEMENTS and c.i < end), None)
    if comp is None:
        return None
    if comp.dep_ == "prep":
        obj = next((g for g in comp.children if g.dep_ in ("pobj", "pcomp")), None)
        return obj.left_edge.i if obj is not None else None
    return comp.left_edge.i


def _starts(doc: Doc, cand: Candidate) -> list[tuple[int, str]]:
    assert cand.content is not None
    start, end = cand.content
    token = cand.token
    out = [(start, "keep")]
    root = doc[start:end].root
    if cand.frame == "xcomp" and root.pos_ in ("VERB", "AUX"):
        after = _after_verb(doc, root, end)
        if after is not None and start < after < end:
            out.append((after, "skip_verb"))
    obj = next((c for c in token.children if c.dep_ in ("dobj", "dative") and c.left_edge.i == start), None)
    if obj is not None and obj.right_edge.i + 1 < end:
        out.append((obj.right_edge.i + 1, "skip_object"))
    subj = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and cand.frame == "xcomp" and subj.i < token.i and subj.left_edge.i < start:
        out.append((subj.left_edge.i, "with_subject"))
    return out


def _ends(doc: Doc, cand: Candidate) -> list[tuple[int, str, Token | None]]:
    assert cand.content is not None
    start, end = cand.content
    out: list[tuple[int, str, Token | None]] = [(end, "keep", None)]
    root = doc[start:end].root
    for child in root.rights:
        left = child.left_edge.i
        if start < left < end and child.dep_ in _CUT_DEPS:
            out.append((left, f"cut={child.dep_}|{doc[left - 1].text in _CUT_AFTER}", child))
    return out


def _word_or_pos(token: Token) -> str:
    return token.lower_ if token.pos_ in ("ADP", "SCONJ", "PART", "DET") else token.pos_


def content_variants(doc: Doc, cand: Candidate) -> list[tuple[Range, list[str]]]:
    """The reading's content and other cuts of it, with features for the boundary ranker: without the
    verb a to-infinitive starts with ("tried to defend [X]"), without the addressee ("told reporters
    [that …]"), with the subject of a raising verb, or without a trailing modifier ("…, which …")."""
    lemma = cand.token.lemma_.lower()
    out: list[tuple[Range, list[str]]] = []
    seen: set[Range] = set()
    for s, start_kind in _starts(doc, cand):
        for e, end_kind, child in _ends(doc, cand):
            rng = frames.trim(doc, s, e) if s < e else None
            if rng is None or rng in seen:
                continue
            seen.add(rng)
            feats = [
                "b:bias",
                f"b:start={start_kind}",
                f"b:end={end_kind}",
                f"b:both={start_kind}|{end_kind}",
                f"b:frame_start={cand.frame}|{start_kind}",
                f"b:frame_end={cand.frame}|{end_kind}",
                f"b:lem_start={lemma}|{start_kind}",
                f"b:lem_end={lemma}|{end_kind}",
                f"b:first={start_kind}|{_word_or_pos(doc[rng[0]])}",
            ]
            if start_kind == "skip_verb":
                feats.append(f"b:verb={doc[cand.content[0] : s].root.lemma_.lower()}")
            if child is not None:
                feats += [
                    f"b:cut_first={doc[child.left_edge.i].lower_}",
                    f"b:cut_len={_bucket(cand.content[1] - child.left_edge.i)}",
                    f"b:cut_tag={child.tag_}",
                    f"b:cut_ent={child.ent_type_}",
                    f"b:kept_len={_bucket(child.left_edge.i - s)}",
                ]
            out.append((rng, feats))
    return out
