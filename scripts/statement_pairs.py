"""Issue 12's recall measure on a corpus store: article pairs from different outlets whose quotations
share a passage of >= 12 consecutive words, and the share of them that lie in one statement.

Why a script: the target ("≥ 90% of such pairs in one statement, every such statement's first_published the
earliest of its appearances") is measured on PolNeAR, which the project may not copy; this reads the
corpus from a path and the store's own tables, and prints counts (and, with --misses, the speaker keys of
each missed pair), never article text.

    python scripts/statement_pairs.py jsonl ../shared/eval/polnear /tmp/polnear.jsonl   # ingest input
    onrecord ingest /tmp/polnear.jsonl --db /tmp/polnear.db
    python scripts/statement_pairs.py measure /tmp/polnear.db [--misses]

`jsonl` writes one line per article of the compartments present (train, dev) with its publisher and date
from `metadata.tsv`, the input `onrecord ingest` takes metadata from.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
from collections import defaultdict
from pathlib import Path

import duckdb

from onrecord.corpus.statements import words

PASSAGE = 12
QUOTATIONS = """
    SELECT a.article, a.id, a.content_text, ar.publisher, p.statement, a.source_key, m.identity
    FROM attributions a JOIN articles ar ON ar.hash = a.article
    LEFT JOIN appearances p ON p.article = a.article AND p.attribution = a.id
    LEFT JOIN identity_members m ON m.article = a.article AND m.key = a.source_key
    WHERE a.type IN ('direct', 'mixed')
"""
EARLIEST = """
    SELECT count(*) FROM statements s WHERE s.id IN (SELECT unnest(?::VARCHAR[]))
    AND s.first_published IS DISTINCT FROM (SELECT min(published_date) FROM appearances p WHERE p.statement = s.id)
"""


def write_jsonl(root: Path, out: Path) -> int:
    """One JSON line per article (id, publisher, published, text) from metadata.tsv and the text files."""
    n = 0
    with (root / "metadata.tsv").open(encoding="utf-8") as meta, out.open("w", encoding="utf-8") as sink:
        for row in csv.DictReader(meta, delimiter="\t"):
            path = root / row["compartment"] / "text" / f"{row['filename']}.txt"
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            doc = {"id": row["filename"], "publisher": row["publisher"], "published": row["publication_date"]}
            sink.write(json.dumps({**doc, "text": text}) + "\n")
            n += 1
    return n


def pairs(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    """Article pair → the attribution pairs whose quotations share a passage; and each attribution's info."""
    index: dict[tuple[str, ...], set] = defaultdict(set)
    info = {}
    for art, aid, text, pub, st, key, identity in con.execute(QUOTATIONS).fetchall():
        tokens = words(text)
        if (art, aid) in info:  # a quotation spanning two passages is an appearance of both statements
            info[(art, aid)]["statements"].add(st)
            continue
        info[(art, aid)] = {"publisher": pub, "statements": {st} - {None}, "key": key, "identity": identity}
        for i in range(len(tokens) - PASSAGE + 1):
            index[tuple(tokens[i : i + PASSAGE])].add((art, aid))
    found: dict[tuple[str, str], set] = defaultdict(set)
    for holders in index.values():
        for x, y in itertools.combinations(sorted(holders), 2):
            if x[0] != y[0] and info[x]["publisher"] != info[y]["publisher"]:
                found[(min(x[0], y[0]), max(x[0], y[0]))].add((x, y))
    return found, info


def measure(db: str, misses: bool) -> dict:
    con = duckdb.connect(db, read_only=True)
    try:
        found, info = pairs(con)

        def together(x, y) -> bool:
            return bool(info[x]["statements"] & info[y]["statements"])

        joined = [k for k, ps in found.items() if any(together(x, y) for x, y in ps)]
        held = sorted(
            {s for ps in found.values() for x, y in ps for s in info[x]["statements"] & info[y]["statements"]}
        )
        result = {
            "article_pairs": len(found),
            "in_one_statement": len(joined),
            "recall": round(len(joined) / max(1, len(found)), 3),
            "statements": len(held),
            "first_published_not_earliest": con.execute(EARLIEST, [held]).fetchone()[0],
        }
        if misses:
            result["misses"] = [
                [[info[x]["key"], info[x]["identity"]], [info[y]["key"], info[y]["identity"]], x[0], y[0]]
                for k, ps in sorted(found.items())
                if k not in joined
                for x, y in [sorted(ps)[0]]
            ]
        return result
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    j = sub.add_parser("jsonl", help="write the ingest input from a PolNeAR folder (metadata.tsv)")
    j.add_argument("root", type=Path)
    j.add_argument("out", type=Path)
    m = sub.add_parser("measure", help="the pair recall of a store")
    m.add_argument("db")
    m.add_argument("--misses", action="store_true", help="list the speaker keys of every missed pair")
    args = parser.parse_args()
    if args.command == "jsonl":
        print(f"{write_jsonl(args.root, args.out)} articles written to {args.out}")
    else:
        print(json.dumps(measure(args.db, args.misses), indent=1))


if __name__ == "__main__":
    main()
