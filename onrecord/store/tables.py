"""The table layout of the latest schema version, in one place.

The migrations (migrations.py) create these tables in DuckDB; the writer builds Arrow batches and the
Spark job builds DataFrames from the same column lists, so a Parquet table from Spark, a DuckDB table
and its export have the same columns, in the same order, with the same types.  A test checks that the
migrated database and this module agree.
"""

from __future__ import annotations

# name → [(column, DuckDB type)], in table order.  Types come from a small vocabulary that maps to
# Arrow and Spark types one to one (see `arrow_type` and onrecord/spark/job.py).
TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("hash", "VARCHAR"),
        ("name", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("doc_id", "VARCHAR"),
        ("title", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("published", "VARCHAR"),
        ("published_date", "DATE"),
        ("url", "VARCHAR"),
        ("authors", "VARCHAR[]"),
        ("schema", "VARCHAR"),
        ("n_attributions", "INTEGER"),
        ("text", "VARCHAR"),
        ("record", "VARCHAR"),
        ("ingested_at", "TIMESTAMP"),
    ],
    "entities": [
        ("article", "VARCHAR"),
        ("id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("key", "VARCHAR"),
        ("roles", "VARCHAR[]"),
        ("n_mentions", "INTEGER"),
    ],
    "mentions": [
        ("article", "VARCHAR"),
        ("entity", "VARCHAR"),
        ("n", "INTEGER"),
        ("char_start", "INTEGER"),
        ("char_end", "INTEGER"),
        ("text", "VARCHAR"),
    ],
    "speakers": [
        ("key", "VARCHAR"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
    ],
    "attributions": [
        ("article", "VARCHAR"),
        ("id", "VARCHAR"),
        ("type", "VARCHAR"),
        ("content_text", "VARCHAR"),
        ("content_start", "INTEGER"),
        ("content_end", "INTEGER"),
        ("cue_text", "VARCHAR"),
        ("cue_lemma", "VARCHAR"),
        ("cue_start", "INTEGER"),
        ("cue_end", "INTEGER"),
        ("source_name", "VARCHAR"),
        ("source_kind", "VARCHAR"),
        ("source_anonymous", "BOOLEAN"),
        ("source_key", "VARCHAR"),
        ("source_entity", "VARCHAR"),
        ("source_affiliation", "VARCHAR"),
        ("source_mention", "VARCHAR"),
        ("source_start", "INTEGER"),
        ("source_end", "INTEGER"),
        ("via", "VARCHAR[]"),
        ("via_keys", "VARCHAR[]"),
        ("via_json", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("confidence", "DOUBLE"),
        ("to_name", "VARCHAR"),
        ("to_key", "VARCHAR"),
        ("time_text", "VARCHAR"),
        ("time_value", "VARCHAR"),
        ("time_granularity", "VARCHAR"),
        ("time_start", "INTEGER"),
        ("time_end", "INTEGER"),
        ("act", "VARCHAR"),
    ],
    "repairs": [
        ("article", "VARCHAR"),
        ("n", "INTEGER"),
        ("char_start", "INTEGER"),
        ("char_end", "INTEGER"),
        ("original", "VARCHAR"),
        ("replacement", "VARCHAR"),
    ],
    "failures": [
        ("name", "VARCHAR"),
        ("hash", "VARCHAR"),
        ("code", "VARCHAR"),
        ("error", "VARCHAR"),
        ("failed_at", "TIMESTAMP"),
    ],
    "identities": [
        ("id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("provenance", "VARCHAR"),
    ],
    "identity_members": [
        ("article", "VARCHAR"),
        ("key", "VARCHAR"),
        ("identity", "VARCHAR"),
        ("rule", "VARCHAR"),
    ],
    "identity_variants": [
        ("identity", "VARCHAR"),
        ("key", "VARCHAR"),
        ("name", "VARCHAR"),
        ("count", "INTEGER"),
        ("rule", "VARCHAR"),
    ],
    "identity_aliases": [
        ("n", "INTEGER"),
        ("action", "VARCHAR"),
        ("key", "VARCHAR"),
        ("value", "VARCHAR"),
        ("author", "VARCHAR"),
        ("added_at", "TIMESTAMP"),
    ],
    "statements": [
        ("id", "VARCHAR"),
        ("identity", "VARCHAR"),
        ("text", "VARCHAR"),
        ("first_article", "VARCHAR"),
        ("first_attribution", "VARCHAR"),
        ("first_publisher", "VARCHAR"),
        ("first_published", "DATE"),
        ("first_by", "VARCHAR"),
        ("publishers", "INTEGER"),
        ("articles", "INTEGER"),
        ("appearances", "INTEGER"),
        ("changed", "BOOLEAN"),
        ("promoted", "BOOLEAN"),
        ("reach", "INTEGER"),
    ],
    "appearances": [
        ("statement", "VARCHAR"),
        ("n", "INTEGER"),
        ("article", "VARCHAR"),
        ("attribution", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("published_date", "DATE"),
        ("type", "VARCHAR"),
        ("cue", "VARCHAR"),
        ("via", "VARCHAR[]"),
        ("text", "VARCHAR"),
        ("diff", "VARCHAR"),
        ("changed", "BOOLEAN"),
    ],
}

# The corpus lists' derived tables (migration 5, onrecord/store/derived.py): one flat row per attribution
# and pre-aggregated totals, rebuilt from the stored rows at the end of every ingest.  Caches, not data:
# never exported, loaded or written by Spark (loading a table folder rebuilds them).
AGGREGATES: dict[str, list[tuple[str, str]]] = {
    "corpus_rows": [
        ("article", "VARCHAR"),
        ("id", "VARCHAR"),
        ("seq", "INTEGER"),  # position in the lists' default order: newest first
        ("identity", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("ranked", "BOOLEAN"),
        ("publisher", "VARCHAR"),
        ("published_date", "DATE"),
        ("name", "VARCHAR"),
        ("type", "VARCHAR"),
        ("act", "VARCHAR"),
        ("anonymous", "BOOLEAN"),
        ("category", "VARCHAR"),
        ("relayed", "BOOLEAN"),
        ("source_name", "VARCHAR"),
        ("via", "VARCHAR[]"),
        ("content_start", "INTEGER"),
        # the attribution's and the article's rowid: a page fetches its rows by them, not by a join
        # (attributions and articles are only ever appended to, and these tables are rebuilt after)
        ("rid", "BIGINT"),
        ("aid", "BIGINT"),
    ],
    "speaker_stats": [
        ("key", "VARCHAR"),
        ("name", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("ranked", "BOOLEAN"),
        ("anonymous", "BOOLEAN"),
        ("attributions", "INTEGER"),
        ("direct", "INTEGER"),
        ("articles", "INTEGER"),
        ("publishers", "INTEGER"),
        ("first", "DATE"),
        ("last", "DATE"),
        ("variants", "INTEGER"),
        ("surname", "VARCHAR"),
    ],
    "article_stats": [  # the article list whole: what it shows, filters and sorts on, without the texts
        ("hash", "VARCHAR"),
        ("published_date", "DATE"),
        ("publisher", "VARCHAR"),
        ("name", "VARCHAR"),
        ("title", "VARCHAR"),
        ("attributions", "INTEGER"),
        ("direct", "INTEGER"),
        ("speakers", "INTEGER"),
    ],
    "derived_state": [
        ("articles", "INTEGER"),
        ("attributions", "INTEGER"),
        ("members", "INTEGER"),
        ("aliases", "INTEGER"),
        ("refreshed_at", "TIMESTAMP"),
        ("stats", "VARCHAR"),  # the corpus overview (`queries.stats`) as JSON, as it was at the rebuild
    ],
}

# The corpus pass's tables (onrecord/corpus/identities.py): computed from the stored rows after every
# ingest, so a Spark output or an export need not hold them (they are recomputed on loading).
DERIVED = ("identities", "identity_members", "identity_variants", "statements", "appearances")
# The statements pass's tables (onrecord/corpus/statements.py), built after the identity pass.
STATEMENT_TABLES = ("statements", "appearances")
# Users' corrections (merge / split / rename), kept with the corpus and exported; optional in a table folder.
USER_TABLES = ("identity_aliases",)

# Tables whose rows belong to one article (column `article` holds its hash).
PER_ARTICLE = ("entities", "mentions", "attributions", "repairs")

# Columns whose values depend on when a row was written, not on the article: left out of comparisons.
CLOCK_COLUMNS = {"ingested_at", "failed_at", "added_at"}

# The manifest of a table folder (`onrecord export` or the Spark job); a folder holding it is loaded, not read as
# articles.  Its "layout" says where each table is: "export" → DIR/<table>.parquet, "spark" → DIR/<table>/*.parquet.
TABLES_MARKER = "_onrecord.json"
LAYOUTS = ("export", "spark")
# What `onrecord export` writes: every table and the migration history.
EXPORTED = (*TABLES, "schema_migrations")

ORDER_BY = {
    "articles": "hash",
    "entities": "article, id",
    "mentions": "article, entity, n",
    "speakers": "key",
    "attributions": "article, id",
    "repairs": "article, n",
    "failures": "name",
    "identities": "id",
    "identity_members": "article, key",
    "identity_variants": "identity, key, name",
    "identity_aliases": "n",
    "statements": "id",
    "appearances": "statement, n",
    "schema_migrations": "version",
}


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def arrow_type(sql_type: str):  # -> pyarrow.DataType
    import pyarrow as pa

    return {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "VARCHAR[]": pa.list_(pa.string()),
    }[sql_type]


def arrow_schema(table: str):  # -> pyarrow.Schema
    import pyarrow as pa

    return pa.schema([(name, arrow_type(kind)) for name, kind in TABLES[table]])
