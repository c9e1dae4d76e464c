"""Display names for source mentions: the proper-noun chain when there is one, else the phrase."""

from __future__ import annotations

from spacy.tokens import Doc


def display_name(doc: Doc, rng: tuple[int, int]) -> str:
    span = doc[rng[0] : rng[1]]
    head = span.root
    if head.pos_ == "PROPN":
        chain = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"]
        tokens = [*chain, head]
        return " ".join(t.text for t in tokens)
    # Unnamed sources keep their descriptor, without trailing relative clauses or appositions.
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in ("prep", "amod", "compound") and child.i == end:
            end = child.right_edge.i + 1
        else:
            break
    return doc[span.start : min(end, span.end)].text.strip(" ,")
