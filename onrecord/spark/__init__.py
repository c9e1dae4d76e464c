"""Corpora beyond one machine: the same per-article functions as `ingest`, on Spark (job)."""
