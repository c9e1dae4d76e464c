"""Corpora: many articles analysed once, stored in DuckDB (or Parquet from Spark), queried by speaker.

    sources.py     inputs → `Item`s: .txt/.html files, JSONL, WARC, and table folders (Spark / export)
    work.py        the per-batch analysis every front end shares: read → hash → `analyze_many` → rows
    tables.py      the current table layout (columns and types), for DuckDB, Arrow and Spark alike
    migrations.py  the numbered migrations that create and upgrade a database
    db.py          opening a database (lock, corrupt and foreign files) and the one write path
    ingest.py      worker processes parse, the main process writes, in transactions, resumably
    queries.py     stats, speakers, quotes, sources
    export.py      every table to Parquet
    cli.py         the click commands (`ingest`, `query`, `export`, `spark`, `bench --ingest`)

An article is keyed by the sha256 of its text: it is stored once, with all its rows in the same
transaction as its `articles` row, so an interrupted ingest resumes without loss or duplicates.
"""
