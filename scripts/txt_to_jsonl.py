"""A folder of .txt articles and a TSV of their metadata → one JSONL file that `onrecord ingest` reads.

    python scripts/txt_to_jsonl.py TEXT_DIR METADATA.tsv OUT.jsonl

The TSV names each article by `filename` (the text file's name without .txt) and may give `publisher`,
`publication_date` (YYYY-MM-DD) and `title`; an article without a row gets none.  The README's web
benchmark seeds its store this way from PolNeAR dev (../shared/eval/polnear), whose metadata.tsv has
those columns.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    texts, metadata, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    with metadata.open(encoding="utf-8", newline="") as f:
        meta = {row["filename"]: row for row in csv.DictReader(f, delimiter="\t")}
    count = 0
    with out.open("w", encoding="utf-8") as f:
        for path in sorted(texts.glob("*.txt")):
            row = meta.get(path.stem, {})
            record = {
                "id": path.stem,
                "publisher": row.get("publisher") or None,
                "published": row.get("publication_date") or None,
                "title": row.get("title") or None,
                "text": path.read_text(encoding="utf-8"),
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    print(f"{count} articles → {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
