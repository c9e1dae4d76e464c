"""The per-corpus passes: they read only stored rows, never re-parse, and give the same tables for one
ingest and for the same articles ingested in parts (identities.py)."""
