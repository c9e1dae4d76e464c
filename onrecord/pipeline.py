"""The per-article function: text in, `Article` out.  CLI, web, ingest and Spark all call this.

Flow: repair (with offset map) → parse → attribute → record, every span mapped back to the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from onrecord.attribute import find_attributions
from onrecord.attribute.found import Found
from onrecord.inputs import Document, check_size, from_bytes
from onrecord.nlp import load
from onrecord.record import Article, Attribution, Content, Cue, Entity, Meta, Source, Span, TimeSpan
from onrecord.repair import Repaired, repair
from onrecord.resolve import Resolution, Speaker, resolve
from onrecord.resolve.dates import TimeExpression
from onrecord.settings import Settings


@dataclass(slots=True)
class Prepared:
    """An input after reading and repair, ready for the parser."""

    document: Document
    repaired: Repaired
    meta: Meta = field(default_factory=Meta)


def prepare(document: Document, *, published: str | None = None, publisher: str | None = None) -> Prepared:
    meta = document.meta
    if published:
        meta.published = published
    if publisher:
        meta.publisher = publisher
    return Prepared(document=document, repaired=repair(document.text), meta=meta)


def analyze_many(
    items: Iterable[str | Document],
    *,
    published: str | None = None,
    publisher: str | None = None,
    html: bool = False,
    settings: Settings | None = None,
) -> Iterator[Article]:
    """Analyse many articles through one `nlp.pipe` stream (the fast path for corpora)."""
    settings = settings or Settings.from_env()
    nlp = load(settings.model)
    documents = (_as_document(item, html, settings.max_chars) for item in items)
    prepared = (prepare(document, published=published, publisher=publisher) for document in documents)
    for doc, prep in parse(nlp, prepared, batch_size=settings.batch_size):
        found = find_attributions(doc, use_model=settings.use_model)
        if settings.accurate:
            from onrecord.encoder import refine

            found = refine(doc, found)
        resolution = resolve(doc, found, prep.meta.published)
        yield build_record(prep, found, resolution, doc)


# The parser's working memory grows with the characters of one `nlp.pipe` batch (a 300,000-character
# text parsed whole peaks at 1.2 GB, 1.5 M characters at 5 GB).  Long texts are therefore parsed in
# paragraph-aligned sections and joined into one Doc (offsets unchanged), and a batch holds at most
# BATCH_CHARS characters.  Sections are longer than any ordinary article (the longest PolNeAR article
# has 34,000), so ordinary articles are parsed exactly as before; the paragraph_breaks component starts a
# sentence at every line break anyway, so a paragraph-aligned cut splits no sentence.
SECTION_CHARS = 50_000
BATCH_CHARS = 60_000


def sections(text: str, size: int | None = None) -> list[str]:
    """`text` cut into pieces of about `size` characters whose concatenation is exactly `text`.

    A cut falls after a line break where there is one past the size, else after a sentence end
    (". "), else at a space: only a single paragraph longer than `size` is ever cut inside.
    """
    size = size or SECTION_CHARS
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = _cut(text, start, size)
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _cut(text: str, start: int, size: int) -> int:
    limit = start + size
    for mark in ("\n", ". ", " "):
        found = text.rfind(mark, start + size // 2, limit)
        if found >= 0:
            return found + len(mark)
    return limit


def parse(nlp: Language, prepared: Iterable[Prepared], *, batch_size: int) -> Iterator[tuple[Doc, Prepared]]:
    """Parse each prepared text (in sections when long) in batches of bounded size; one Doc per text."""
    batch: list[tuple[str, Prepared, int]] = []  # (section, its text, sections of that text)
    chars = 0
    parts: list[Doc] = []
    for prep in prepared:
        pieces = sections(prep.repaired.text)
        for piece in pieces:
            batch.append((piece, prep, len(pieces)))
            chars += len(piece)
            if len(batch) >= batch_size or chars >= BATCH_CHARS:
                yield from _parse_batch(nlp, batch, parts)
                batch, chars = [], 0
    yield from _parse_batch(nlp, batch, parts)


def _parse_batch(
    nlp: Language, batch: list[tuple[str, Prepared, int]], parts: list[Doc]
) -> Iterator[tuple[Doc, Prepared]]:
    """Parse one batch; `parts` carries the sections of a text that continues into the next batch."""
    docs = nlp.pipe([piece for piece, _, _ in batch], batch_size=max(1, len(batch)))
    for doc, (_, prep, count) in zip(docs, batch, strict=True):
        parts.append(doc)
        if len(parts) == count:
            whole = parts[0] if count == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts.clear()
            yield whole, prep


def analyze(
    text: str,
    *,
    published: str | None = None,
    publisher: str | None = None,
    html: bool = False,
    settings: Settings | None = None,
) -> Article:
    """Analyse one article given as text (or HTML with `html=True`)."""
    return next(analyze_many([text], published=published, publisher=publisher, html=html, settings=settings))


def _as_document(item: str | Document, html: bool, limit: int) -> Document:
    if isinstance(item, Document):
        return item
    if html:
        return from_bytes(item.encode("utf-8"), "input", html=True, limit=limit)
    return Document(name="input", text=check_size(item, "input", limit))


class _Mapper:
    """Analysis-text spans → input-text record spans (the only place the two systems meet)."""

    def __init__(self, prep: Prepared) -> None:
        self.text = prep.document.text
        self.to_input = prep.repaired.offsets.span_to_input

    def span(self, segment: tuple[int, int]) -> Span:
        start, end = self.to_input(*segment)
        return Span(start, end, self.text[start:end])

    def source(self, speaker: Speaker | None) -> Source | None:
        if speaker is None:
            return None
        return Source(
            mention=self.span(speaker.mention) if speaker.mention else None,
            name=speaker.name,
            entity=speaker.entity,
            kind=speaker.kind,  # type: ignore[arg-type]
            anonymous=speaker.anonymous,
            affiliation=speaker.affiliation,
            key=speaker.key,
        )

    def time(self, expression: TimeExpression | None) -> TimeSpan | None:
        if expression is None:
            return None
        s = self.span((expression.start, expression.end))
        return TimeSpan(s.start, s.end, s.text, expression.value, expression.granularity, expression.kind)


def build_record(prep: Prepared, found: list[Found], resolution: Resolution, doc: Doc) -> Article:
    """Map every span back to the input text and assemble the public record."""
    mapper = _Mapper(prep)
    ordered = sorted(found, key=lambda f: (f.start, f.end))
    ids = {id(item): f"a{number}" for number, item in enumerate(ordered, start=1)}
    attributions = [_attribution(mapper, item, ids) for item in ordered]
    entities = [
        Entity(
            id=e.id,
            name=e.name,
            type=e.type,
            mentions=[mapper.span((doc[s].idx, doc[t - 1].idx + len(doc[t - 1]))) for s, t in e.mentions],
            roles=e.roles,
            key=e.key,
        )
        for e in resolution.entities
    ]
    return Article(
        text=mapper.text,
        meta=prep.meta,
        repairs=prep.repaired.repairs,
        boilerplate=prep.repaired.boilerplate,
        entities=entities,
        attributions=attributions,
        dates=[t for t in (mapper.time(d) for d in resolution.dates) if t is not None],
    )


def _attribution(mapper: _Mapper, item: Found, ids: dict[int, str]) -> Attribution:
    segments = [mapper.span(s) for s in item.content]
    first, last = segments[0], segments[-1]
    content = Content(first.start, last.end, mapper.text[first.start : last.end], segments if len(segments) > 1 else [])
    cue = None
    if item.cue is not None:
        c = mapper.span(item.cue)
        cue = Cue(c.start, c.end, c.text, item.cue_lemma)
    source = mapper.source(item.speaker)
    if source is None and item.name:
        source = Source(mention=None, name=item.name)
    return Attribution(
        id=ids[id(item)],
        type=item.type,  # type: ignore[arg-type]
        content=content,
        cue=cue,
        source=source,
        via=[s for s in (mapper.source(r) for r in item.relays) if s is not None],
        parent=ids.get(id(item.parent)) if item.parent is not None else None,
        confidence=round(item.confidence, 3),
        to=mapper.source(item.to),
        time=mapper.time(item.time),
        act=item.act,  # type: ignore[arg-type]
    )
