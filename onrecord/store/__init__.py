"""Corpora: many articles analysed once, stored in DuckDB (or Parquet from Spark), queried by speaker.

    work.py        the per-batch analysis every front end shares: item → hash → `analyze_many` → rows (dicts)
    tables.py      the current table layout (columns and types), for DuckDB, Arrow and Spark alike
    migrations.py  the numbered migrations that create and upgrade a database
    db.py          opening a database (lock, damaged and foreign files), the one write path, export, loading
    ingest.py      worker processes parse, the main process writes, in transactions, resumably
    queries.py     every read-side statement: stats, speakers, quotes, sources, and the web's corpus pages

Inputs are read by onrecord.inputs, the speaker key and sourcing categories live in onrecord.keys, and
the commands in onrecord.cli.ingest / onrecord.cli.query.  An article is keyed by the sha256 of its text:
it is stored once, with all its rows in the same transaction as its `articles` row, so an interrupted
ingest resumes without loss or duplicates.
"""
