"""The per-article function: text in, `Article` out.  CLI, web, ingest and Spark all call this.

Flow: repair (with offset map) → parse → attribute → record, every span mapped back to the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from onrecord.attribute import find_attributions
from onrecord.attribute.found import Found
from onrecord.nlp import load
from onrecord.read import Document, from_bytes
from onrecord.record import Article, Attribution, Content, Cue, Meta, Source, Span
from onrecord.repair import Repaired, repair
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
    prepared = (prepare(_as_document(item, html), published=published, publisher=publisher) for item in items)
    pairs = nlp.pipe(((p.repaired.text, p) for p in prepared), as_tuples=True, batch_size=settings.batch_size)
    for doc, prep in pairs:
        yield build_record(prep, find_attributions(doc))


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


def _as_document(item: str | Document, html: bool) -> Document:
    if isinstance(item, Document):
        return item
    if html:
        return from_bytes(item.encode("utf-8"), "input", html=True)
    return Document(name="input", text=item)


def build_record(prep: Prepared, found: list[Found]) -> Article:
    """Map every span back to the input text and assemble the public record."""
    text = prep.document.text
    to_input = prep.repaired.offsets.span_to_input

    def span(segment: tuple[int, int]) -> Span:
        start, end = to_input(*segment)
        return Span(start, end, text[start:end])

    ordered = sorted(found, key=lambda f: (f.start, f.end))
    ids = {id(item): f"a{number}" for number, item in enumerate(ordered, start=1)}
    attributions = []
    for item in ordered:
        segments = [span(s) for s in item.content]
        first, last = segments[0], segments[-1]
        content = Content(
            first.start,
            last.end,
            text[first.start : last.end],
            segments if len(segments) > 1 else [],
        )
        cue = None
        if item.cue is not None:
            c = span(item.cue)
            cue = Cue(c.start, c.end, c.text, item.cue_lemma)
        source = None
        if item.source is not None or item.name:
            source = Source(mention=span(item.source) if item.source else None, name=item.name)
        attributions.append(
            Attribution(
                id=ids[id(item)],
                type=item.type,  # type: ignore[arg-type]
                content=content,
                cue=cue,
                source=source,
                via=[Source(mention=span(m), name=n) for m, n in item.via],
                parent=ids.get(id(item.parent)) if item.parent is not None else None,
                confidence=round(item.confidence, 3),
            )
        )
    return Article(
        text=text,
        meta=prep.meta,
        repairs=prep.repaired.repairs,
        boilerplate=prep.repaired.boilerplate,
        attributions=attributions,
    )
