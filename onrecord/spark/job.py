"""`onrecord spark INPUT OUTPUT`: the corpus analysis as a Spark job, for corpora too big for one machine.

    binaryFile(INPUT, recursive) ─flatMap→ items (onrecord.inputs: txt/html, JSONL, WARC; its naming rule)
      ─repartition→ read + hash (store.work.read_item; trafilatura for HTML, on the executors)
      ─reduceByKey(hash)→ one copy of each text ─mapPartitions→ store.work.analyze_batch
      → OUTPUT/<table>/*.parquet for every table of store.tables, and OUTPUT/_onrecord.json last

Each partition iterator streams its articles through `analyze_many` in batches; the spaCy model is
loaded once per Python worker process (and kept across tasks, as Spark reuses its Python workers),
never per row.  The tables have exactly the columns and types of the DuckDB tables, so
`onrecord ingest OUTPUT --db FILE` loads them and DuckDB can query them in place.

The command is `onrecord spark` (onrecord/cli/ingest.py), also under spark-submit:
`spark-submit …/site-packages/onrecord/cli/__main__.py spark INPUT OUTPUT`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from onrecord import inputs, keys
from onrecord.errors import Errors, InputError, SparkError
from onrecord.settings import Settings
from onrecord.store.db import column_values
from onrecord.store.tables import PER_ARTICLE, TABLES, columns
from onrecord.store.work import Failed, Item, Prepared, Stored, analyze_batch, read_item


def spark_schema(table: str):
    """The Spark StructType of a table: the same columns and types as the DuckDB table."""
    from pyspark.sql import types as T

    mapping = {
        "VARCHAR": T.StringType(),
        "INTEGER": T.IntegerType(),
        "DOUBLE": T.DoubleType(),
        "BOOLEAN": T.BooleanType(),
        "DATE": T.DateType(),
        "TIMESTAMP": T.TimestampNTZType(),
        "VARCHAR[]": T.ArrayType(T.StringType()),
    }
    return T.StructType([T.StructField(name, mapping[kind], True) for name, kind in TABLES[table]])


# -------------------------------------------------------------------------------------------------
# the functions that run on executors (module level, so only their names travel)


def expand_file(path: str, content: bytes, root: str, given: str) -> Iterator[Item | Failed]:
    """One binaryFile row → its items, named by inputs' rule: the path under INPUT, or INPUT as given
    when INPUT is that file; a file INPUT names explicitly is read whatever its suffix, as ingest does."""
    explicit = path.rstrip("/") == root.rstrip("/")
    kind = inputs.kind_of(path.rsplit("/", 1)[-1], explicit=explicit)
    if kind is None:
        return iter(())
    name = inputs.given_name(given) if explicit else inputs.relative_name(path, root)
    return inputs.items_from_bytes(kind, bytes(content), name)


def keyed(entry: Item | Failed, settings: Settings) -> tuple[str, Prepared | Failed]:
    """Read an item (HTML extraction happens here, on the executors) and key it by content hash."""
    prepared = entry if isinstance(entry, Failed) else read_item(entry, settings)
    if isinstance(prepared, Failed):
        return f"failed:{prepared.name}", prepared
    return prepared.hash, prepared


def first_by_name(a: Prepared | Failed, b: Prepared | Failed) -> Prepared | Failed:
    """The same text twice: keep one copy, the one with the smallest name (whatever the order)."""
    name_a = a.item.name if isinstance(a, Prepared) else a.name
    name_b = b.item.name if isinstance(b, Prepared) else b.name
    return a if name_a <= name_b else b


def analyze_partition(entries: Iterable[Prepared | Failed], settings: Settings) -> Iterator[Stored | Failed]:
    """One partition: failures pass through, articles go through `analyze_many` in batches."""
    batch: list[Prepared] = []
    for entry in entries:
        if isinstance(entry, Failed):
            yield entry
            continue
        batch.append(entry)
        if len(batch) >= settings.batch_size:
            yield from analyze_batch(batch, settings)
            batch = []
    if batch:
        yield from analyze_batch(batch, settings)


def table_rows(outcome: Stored | Failed, table: str, at: datetime) -> list[tuple]:
    """An outcome's rows of `table`, keyed by column name until here, as Spark wants them: values in
    the schema's column order (checked against tables.py by `column_values`, as the DuckDB writer does)."""
    if table == "failures":
        if not isinstance(outcome, Failed):
            return []
        o = outcome
        rows = [{"name": o.name, "hash": o.hash, "code": o.code, "error": o.error, "failed_at": at}]
    elif isinstance(outcome, Stored):
        rows = outcome.rows.get(table, [])
        if table == "articles":
            rows = [{**r, "ingested_at": at} for r in rows]
    else:
        return []
    values = column_values(table, rows)
    return list(zip(*(values[c] for c in columns(table)), strict=True))


# -------------------------------------------------------------------------------------------------
# the driver


def session(master: str | None = None, app: str = "onrecord"):
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkError(Errors.E170) from None
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    if (master or "local").startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # local mode: executors are this machine's processes, so they can run this very interpreter
        # (PySpark takes the workers' Python from this variable, not from spark.pyspark.python)
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    try:
        spark = builder.getOrCreate()
    except Exception as exc:
        message = " ".join(str(exc).split())
        if "JAVA_GATEWAY_EXITED" in message or "Java gateway" in message or "JAVA_HOME" in message:
            raise SparkError(Errors.E171) from None
        raise SparkError(Errors.E172.format(reason=message[:300])) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_job(
    input_path: str,
    output: str,
    *,
    master: str | None = None,
    settings: Settings | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
    spark: Any = None,
) -> dict[str, Any]:
    """Analyse every article under `input_path` and write the tables under `output`."""
    settings = settings or Settings.from_env()
    if _local(input_path) and not os.path.exists(_local(input_path)):
        raise InputError(Errors.E016.format(name=input_path))
    if _local(output) and os.path.exists(_local(output)) and not overwrite:
        raise SparkError(Errors.E173.format(name=output))
    own = spark is None
    spark = spark or session(master)
    try:
        root = _prepare_paths(spark, input_path, output, overwrite)
        n = partitions or max(2, spark.sparkContext.defaultParallelism)
        spark.conf.set("spark.sql.shuffle.partitions", str(n))
        outcomes = _outcomes(spark, input_path, root, n, settings)
        try:
            counts = _write_tables(spark, outcomes, output.rstrip("/"))
        finally:
            outcomes.unpersist()
        write_marker(spark, output)
        return {"input": input_path, "output": output, "partitions": n, **counts}
    except (SparkError, InputError):
        raise
    except Exception as exc:
        message = " ".join(str(exc).split())
        if "PATH_NOT_FOUND" in message or "Path does not exist" in message:
            raise InputError(Errors.E016.format(name=input_path)) from None
        raise SparkError(Errors.E174.format(reason=message[:500])) from None
    finally:
        if own:
            spark.stop()


def _prepare_paths(spark: Any, input_path: str, output: str, overwrite: bool) -> str:
    """Check INPUT and OUTPUT through Hadoop's file system (any path Spark reads); the qualified INPUT,
    which the naming rule takes article paths relative to."""
    sc = spark.sparkContext
    jvm, hadoop = sc._jvm, sc._jsc.hadoopConfiguration()
    in_path = jvm.org.apache.hadoop.fs.Path(input_path)
    in_fs = in_path.getFileSystem(hadoop)
    if not in_fs.exists(in_path):
        raise InputError(Errors.E016.format(name=input_path))
    out_path = jvm.org.apache.hadoop.fs.Path(output)
    out_fs = out_path.getFileSystem(hadoop)
    if out_fs.exists(out_path):
        if not overwrite:
            raise SparkError(Errors.E173.format(name=output))
        out_fs.delete(out_path, True)
    return in_fs.makeQualified(in_path).toString()


def _outcomes(spark: Any, input_path: str, root: str, n: int, settings: Settings) -> Any:
    """The RDD of every article's outcome (Stored or Failed), one copy of each text, persisted: each
    table is written from it in turn."""
    from pyspark import StorageLevel

    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(input_path)
    return (
        files.select("path", "content")
        .rdd.flatMap(lambda row: expand_file(row[0], row[1], root, input_path))
        .repartition(n)
        .map(lambda entry: keyed(entry, settings))
        .reduceByKey(first_by_name, numPartitions=n)
        .values()
        .mapPartitions(lambda entries: analyze_partition(entries, settings))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )


def _write_tables(spark: Any, outcomes: Any, output: str) -> dict[str, int]:
    """OUTPUT/<table>/*.parquet for every table; speakers reduced to the smallest name and kind per key."""
    from pyspark.sql import functions as F

    at = datetime.now(UTC).replace(tzinfo=None)
    counts: dict[str, int] = {}
    for table in ("articles", *PER_ARTICLE, "failures"):
        frame = spark.createDataFrame(outcomes.flatMap(lambda o, t=table: table_rows(o, t, at)), spark_schema(table))
        if table == "failures":
            frame = frame.dropDuplicates(["name"])
        frame.write.mode("overwrite").parquet(f"{output}/{table}")
        counts[table] = spark.read.parquet(f"{output}/{table}").count()
    per_article = spark.createDataFrame(
        outcomes.flatMap(lambda o: table_rows(o, "speakers", at)), spark_schema("speakers")
    )
    speakers = per_article.groupBy("key").agg(*(F.expr(sql).alias(f) for f, sql in keys.SPEAKER_AGGREGATES.items()))
    speakers.write.mode("overwrite").parquet(f"{output}/speakers")
    counts["speakers"] = spark.read.parquet(f"{output}/speakers").count()
    counts.update(write_identities(spark, output))
    return counts


def write_identities(spark: Any, output: str) -> dict[str, int]:
    """The second stage: the corpus identity pass over the tables just written.  Spark SQL runs the
    store's own statements (onrecord.store.queries.IDENTITY_READS: one row per spelling per article,
    small beside the attributions), the driver runs the same pure pass as `ingest`
    (onrecord.corpus.identities.resolve), and the identity tables are written beside the others."""
    from onrecord.corpus.identities import resolve
    from onrecord.store.queries import IDENTITY_READS
    from onrecord.store.tables import DERIVED

    for table in ("attributions", "entities", "articles"):
        spark.read.parquet(f"{output}/{table}").createOrReplaceTempView(table)
    found = {part: [row.asDict() for row in spark.sql(sql).collect()] for part, sql in IDENTITY_READS.items()}
    result = resolve(found["mentions"], found["entities"], found["articles"], (), found["written"])
    rows = {"identities": result.identities, "identity_members": result.members, "identity_variants": result.variants}
    rows.update(statement_rows(spark, result.members))
    counts = {}
    for table in DERIVED:
        column_values(table, rows[table])  # every row has exactly the table's columns
        records = [tuple(row[c] for c in columns(table)) for row in rows[table]]
        frame = spark.createDataFrame(records, spark_schema(table))
        frame.write.mode("overwrite").parquet(f"{output}/{table}")
        counts[table] = len(rows[table])
    return counts


def statement_rows(spark: Any, members: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The statements pass after the identities: Spark SQL runs the store's reads
    (onrecord.store.queries.STATEMENT_READS, the identity members given by the pass just run), Spark
    MLlib's MinHashLSH finds the candidate pairs (`mllib_candidates`), and the driver checks them with the
    same pure grouping as `ingest` (onrecord.corpus.statements.build)."""
    from onrecord.corpus.statements import build
    from onrecord.store.queries import STATEMENT_READS

    found = {
        part: [row.asDict() for row in spark.sql(sql).collect()]
        for part, sql in STATEMENT_READS.items()
        if part != "members"
    }
    result = build(found["attributions"], members, found["articles"], lambda items: mllib_candidates(spark, items))
    return {"statements": result.statements, "appearances": result.appearances}


def mllib_candidates(spark: Any, items: list[Any]) -> set[tuple[int, int]]:
    """The statements pass's candidate pairs by Spark MLlib: each index's sets (`feature_sets`) as
    binary term vectors (HashingTF), MinHashLSH with the pass's number of hash tables and seed, and a
    self-join keeping every pair that shares a min-hash (Jaccard distance below 1)."""
    from pyspark.ml.feature import HashingTF, MinHashLSH
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from onrecord.corpus.statements import NUM_PERM, SEED, feature_sets, kept

    schema = T.StructType([T.StructField("n", T.IntegerType()), T.StructField("features", T.ArrayType(T.StringType()))])
    pairs: set[tuple[int, int]] = set()
    for kind, sets in feature_sets(items).items():
        if len(sets) < 2:
            continue
        frame = spark.createDataFrame([(n, sorted(features)) for n, features in sets], schema)
        tf = HashingTF(inputCol="features", outputCol="vector", numFeatures=1 << 24, binary=True)
        vectors = tf.transform(frame)
        model = MinHashLSH(inputCol="vector", outputCol="hashes", numHashTables=NUM_PERM, seed=SEED).fit(vectors)
        joined = model.approxSimilarityJoin(vectors, vectors, 1.0, distCol="distance")
        found = joined.select(F.col("datasetA.n").alias("a"), F.col("datasetB.n").alias("b")).where("a < b")
        pairs |= kept(items, kind, [(row["a"], row["b"]) for row in found.collect()])
    return pairs


def _local(path: str) -> str:
    """The local file system path of `path`, or '' when it names another file system (hdfs:, s3a:)."""
    if path.startswith("file:"):
        from urllib.parse import urlparse

        return urlparse(path).path
    return "" if "://" in path else path


def write_marker(spark: Any, output: str) -> None:
    """`_onrecord.json`, written last through Hadoop's file system (any path Spark can write)."""
    from onrecord.store import migrations
    from onrecord.store.db import marker

    sc = spark.sparkContext
    path = sc._jvm.org.apache.hadoop.fs.Path(f"{output.rstrip('/')}/{inputs.TABLES_MARKER}")
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    stream = fs.create(path, True)
    try:
        data = (marker("spark", migrations.latest()) + "\n").encode("utf-8")
        stream.write(bytearray(data))
    finally:
        stream.close()
