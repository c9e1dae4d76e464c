"""Measuring the analysis: scoring against annotated corpora (score), throughput (bench)."""
