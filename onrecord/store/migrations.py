"""Numbered schema migrations: the only place that creates or changes tables.

A database records every applied migration in `schema_migrations`; opening it for writing applies
the missing ones in order, each in its own transaction together with its `schema_migrations` row.
Never edit a released migration: append a new (version, description, sql) entry, and update
tables.py to the resulting layout (a test checks that the two agree).
"""

from __future__ import annotations

from typing import NamedTuple

from onrecord.errors import Errors, StoreError


class Migration(NamedTuple):
    version: int
    description: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "articles, entities, mentions, speakers, attributions, repairs, failures",
        """
        CREATE TABLE articles (
            hash VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            origin VARCHAR,
            doc_id VARCHAR,
            title VARCHAR,
            publisher VARCHAR,
            published VARCHAR,
            published_date DATE,
            url VARCHAR,
            authors VARCHAR[],
            schema VARCHAR,
            n_attributions INTEGER,
            text VARCHAR NOT NULL,
            record VARCHAR NOT NULL,
            ingested_at TIMESTAMP
        );
        CREATE TABLE entities (
            article VARCHAR NOT NULL,
            id VARCHAR NOT NULL,
            name VARCHAR,
            type VARCHAR,
            key VARCHAR,
            roles VARCHAR[],
            n_mentions INTEGER,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE mentions (
            article VARCHAR NOT NULL,
            entity VARCHAR NOT NULL,
            n INTEGER NOT NULL,
            char_start INTEGER,
            char_end INTEGER,
            text VARCHAR,
            PRIMARY KEY (article, entity, n)
        );
        CREATE TABLE speakers (
            key VARCHAR PRIMARY KEY,
            name VARCHAR,
            kind VARCHAR
        );
        CREATE TABLE attributions (
            article VARCHAR NOT NULL,
            id VARCHAR NOT NULL,
            type VARCHAR,
            content_text VARCHAR,
            content_start INTEGER,
            content_end INTEGER,
            cue_text VARCHAR,
            cue_lemma VARCHAR,
            cue_start INTEGER,
            cue_end INTEGER,
            source_name VARCHAR,
            source_kind VARCHAR,
            source_anonymous BOOLEAN,
            source_key VARCHAR,
            source_entity VARCHAR,
            source_affiliation VARCHAR,
            source_mention VARCHAR,
            source_start INTEGER,
            source_end INTEGER,
            via VARCHAR[],
            via_keys VARCHAR[],
            via_json VARCHAR,
            parent VARCHAR,
            confidence DOUBLE,
            to_name VARCHAR,
            to_key VARCHAR,
            time_text VARCHAR,
            time_value VARCHAR,
            time_granularity VARCHAR,
            time_start INTEGER,
            time_end INTEGER,
            PRIMARY KEY (article, id)
        );
        CREATE TABLE repairs (
            article VARCHAR NOT NULL,
            n INTEGER NOT NULL,
            char_start INTEGER,
            char_end INTEGER,
            original VARCHAR,
            replacement VARCHAR,
            PRIMARY KEY (article, n)
        );
        CREATE TABLE failures (
            name VARCHAR PRIMARY KEY,
            hash VARCHAR,
            code VARCHAR,
            error VARCHAR,
            failed_at TIMESTAMP
        );
        """,
    ),
    Migration(
        2,
        "speaker identities across the corpus: identities, identity_members, identity_variants, identity_aliases",
        """
        CREATE TABLE identities (
            id VARCHAR PRIMARY KEY,
            name VARCHAR,
            kind VARCHAR,
            provenance VARCHAR
        );
        CREATE TABLE identity_members (
            article VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            identity VARCHAR NOT NULL,
            rule VARCHAR,
            PRIMARY KEY (article, key)
        );
        CREATE TABLE identity_variants (
            identity VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            count INTEGER,
            rule VARCHAR,
            PRIMARY KEY (identity, key, name)
        );
        CREATE TABLE identity_aliases (
            n INTEGER PRIMARY KEY,
            action VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            value VARCHAR,
            author VARCHAR,
            added_at TIMESTAMP
        );
        """,
    ),
    Migration(
        3,
        "attributions.act: what the source did (speech, thought, intention, evidence)",
        # Rows stored before this migration keep NULL: their records predate `act`.
        "ALTER TABLE attributions ADD COLUMN act VARCHAR;",
    ),
    Migration(
        4,
        "statements across outlets: statements, appearances",
        # Derived from the stored rows: filled by the statements pass at the end of the next ingest.
        """
        CREATE TABLE statements (
            id VARCHAR PRIMARY KEY,
            identity VARCHAR NOT NULL,
            text VARCHAR,
            first_article VARCHAR,
            first_attribution VARCHAR,
            first_publisher VARCHAR,
            first_published DATE,
            first_by VARCHAR,
            publishers INTEGER,
            articles INTEGER,
            appearances INTEGER,
            changed BOOLEAN,
            promoted BOOLEAN
        );
        CREATE TABLE appearances (
            statement VARCHAR NOT NULL,
            n INTEGER NOT NULL,
            article VARCHAR NOT NULL,
            attribution VARCHAR NOT NULL,
            publisher VARCHAR,
            published_date DATE,
            type VARCHAR,
            cue VARCHAR,
            via VARCHAR[],
            text VARCHAR,
            diff VARCHAR,
            changed BOOLEAN,
            PRIMARY KEY (statement, n)
        );
        """,
    ),
    Migration(
        5,
        "the corpus lists' derived tables: corpus_rows, speaker_stats, article_stats, derived_state",
        # Rebuilt from the stored rows at the end of every ingest (onrecord/store/derived.py); empty until then,
        # and while they are empty or stale the lists read the same columns from the stored tables.
        """
        CREATE TABLE corpus_rows (
            article VARCHAR NOT NULL,
            id VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            identity VARCHAR,
            kind VARCHAR,
            ranked BOOLEAN,
            publisher VARCHAR,
            published_date DATE,
            name VARCHAR,
            type VARCHAR,
            act VARCHAR,
            anonymous BOOLEAN,
            category VARCHAR,
            relayed BOOLEAN,
            source_name VARCHAR,
            via VARCHAR[],
            content_start INTEGER,
            rid BIGINT,
            aid BIGINT
        );
        CREATE TABLE speaker_stats (
            key VARCHAR NOT NULL,
            name VARCHAR,
            kind VARCHAR,
            ranked BOOLEAN,
            anonymous BOOLEAN,
            attributions INTEGER,
            direct INTEGER,
            articles INTEGER,
            publishers INTEGER,
            first DATE,
            last DATE,
            variants INTEGER,
            surname VARCHAR
        );
        CREATE TABLE article_stats (
            hash VARCHAR NOT NULL,
            published_date DATE,
            publisher VARCHAR,
            name VARCHAR,
            title VARCHAR,
            attributions INTEGER,
            direct INTEGER,
            speakers INTEGER
        );
        CREATE TABLE derived_state (
            articles INTEGER,
            attributions INTEGER,
            members INTEGER,
            aliases INTEGER,
            refreshed_at TIMESTAMP,
            stats VARCHAR
        );
        """,
    ),
    Migration(
        6,
        "statements by reach: statements.reach, an index of appearances by statement",
        # The statement lists sort a million statements by reach and fetch a page's appearances: `reach` is
        # that order as one integer (set by the statements pass; filled here for stores built before), and
        # the index turns the page's appearances from a scan into lookups.
        """
        ALTER TABLE statements ADD COLUMN reach INTEGER;
        UPDATE statements SET reach = r.reach FROM (
            SELECT id, CAST(row_number() OVER (
                ORDER BY publishers DESC, appearances DESC, first_published NULLS LAST, id) AS INTEGER) AS reach
            FROM statements) r
        WHERE statements.id = r.id;
        CREATE INDEX appearances_statement ON appearances(statement);
        """,
    ),
]

BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description VARCHAR,
    applied_at TIMESTAMP DEFAULT current_timestamp
)
"""


def latest(migrations: list[Migration] | None = None) -> int:
    return max(m.version for m in (migrations or MIGRATIONS))


def current_version(con) -> int:
    """The highest applied migration; 0 for a database without `schema_migrations`."""
    present = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not present:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(con, name: str, migrations: list[Migration] | None = None) -> list[int]:
    """Apply every missing migration in order, each in its own transaction with its `schema_migrations`
    row; return the versions applied now.  A failing migration is rolled back and named."""
    import duckdb

    migrations = sorted(migrations or MIGRATIONS)
    known = latest(migrations)
    version = current_version(con)
    if version > known:
        raise StoreError(Errors.E130.format(path=name, version=version, latest=known))
    applied = []
    con.execute(BOOTSTRAP)
    for migration in migrations:
        if migration.version <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                [migration.version, migration.description],
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            detail, current = " ".join(str(exc).split())[:300], (applied or [version])[-1]
            raise StoreError(
                Errors.E142.format(path=name, version=migration.version, detail=detail, current=current)
            ) from None
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
