# SPDX-License-Identifier: MIT
"""Spark 4.0 (Iceberg 1.10 runtime) on the Iceberg catalogs lakeorm commits
to, through PySpark's own Spark Connect client and the suite's server
(tests/spark/server.sh): the SQL catalog on SQLite (the JDBC catalog's
tables) and Iceberg's REST catalog (tests/iceberg/rest_server.sh).

The catalog is registered in the session at runtime, always under the name
"lakeorm": Iceberg's JdbcCatalog keys every row of iceberg_tables and
iceberg_namespace_properties by the name it was initialised with, and
SparkCatalog passes its own Spark catalog name (there is no property to set
it apart), so only a Spark catalog named "lakeorm" sees the rows lakeorm and
pyiceberg's SqlCatalog("lakeorm") write. The REST catalog does not care; it
gets the same name so that one spelling serves both kinds.

Subcommands (each prints JSON lines on stdout):
  dump --table NS.T              the rows, sorted by every column in order
                                 (nulls first); decimals as strings,
                                 timestamptz as ISO UTC ending in Z, timestamp
                                 (no zone) as ISO without one, dates as ISO,
                                 binary/fixed as hex, NaN and infinities as
                                 strings, lists/maps/structs as JSON
  partitions --table NS.T        per row (by --key, default id): the partition
                                 tuple of its data file as Spark's _partition
                                 metadata column reports it, and the file;
                                 day() values as days since 1970-01-01, as
                                 Iceberg stores them
  append --table NS.T --rows J   Spark appends the rows of J (a JSON array of
                                 objects, or @FILE holding one), values spelt
                                 as dump prints them; timestamps may also be
                                 microseconds and dates days since the epoch
  create-bucketed --table NS.T   Spark creates (id BIGINT, name STRING)
                                 PARTITIONED BY (bucket(16, id)), appends ids
                                 0..99 (name "n<id>") and prints each id's
                                 bucket as {"id": .., "bucket": ..}
  history --table NS.T           the snapshots, oldest first: snapshot_id,
                                 parent_id, operation, committed_at, summary
  sql --query Q                  any statement; its rows as dump prints them

Usage: spark_catalog.py --connect sc://127.0.0.1:PORT --kind jdbc|rest
         --uri (SQLITE_PATH | http://HOST:PORT) [--warehouse file:///ABS]
         SUBCOMMAND ...
--warehouse is required for jdbc; for rest the server chooses locations.
Runs in the project's .venv Python (pyspark). Also importable: connect(),
register(), and one function per subcommand returning Python values.
"""
import argparse
import datetime
import decimal
import json
import math
import os
import sys
import time

CATALOG = "lakeorm"

# Spark Connect hands timestamps back as naive datetimes in the client's zone;
# in UTC they read as UTC (the server's session zone is UTC too).
os.environ["TZ"] = "UTC"
time.tzset()


def catalog_conf(kind, uri, warehouse=None):
    """The spark.sql.catalog.* settings that make CATALOG an Iceberg catalog
    of the given kind. cache-enabled=false: Spark's CachingCatalog would keep
    a table's metadata for 30 s, hiding commits lakeorm makes meanwhile."""
    p = "spark.sql.catalog." + CATALOG
    conf = {p: "org.apache.iceberg.spark.SparkCatalog", p + ".cache-enabled": "false"}
    if kind == "jdbc":
        if not warehouse:
            raise ValueError("the jdbc catalog needs --warehouse")
        conf[p + ".type"] = "jdbc"
        path = uri[len("jdbc:sqlite:"):] if uri.startswith("jdbc:sqlite:") else os.path.abspath(uri)
        conf[p + ".uri"] = "jdbc:sqlite:" + path
        # The layout with iceberg_type (what lakeorm and pyiceberg create).
        # JdbcCatalog reads the version from the columns it finds; this only
        # matters when Spark is first to open the file and creates them.
        conf[p + ".jdbc.schema-version"] = "V1"
        # JdbcCatalog's start-up check for its tables leaves sqlite-jdbc's
        # getTables result open when they exist: the connection, which the
        # catalog keeps for as long as the server runs, then holds SQLite's
        # shared lock, and every other writer's commit fails "database is
        # locked". Where lakeorm (or pyiceberg) made the tables, skip it.
        if _has_catalog_tables(path):
            conf[p + ".jdbc.init-catalog-tables"] = "false"
    elif kind == "rest":
        conf[p + ".type"] = "rest"
        conf[p + ".uri"] = uri
    else:
        raise ValueError("--kind is jdbc or rest, not " + kind)
    if warehouse:
        conf[p + ".warehouse"] = warehouse
    return conf


def _has_catalog_tables(path):
    import sqlite3

    if not os.path.exists(path):
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        db.close()
    return {"iceberg_tables", "iceberg_namespace_properties"} <= names


def connect(url):
    from pyspark.sql import SparkSession

    return SparkSession.builder.remote(url).getOrCreate()


def register(spark, kind, uri, warehouse=None):
    for key, value in catalog_conf(kind, uri, warehouse).items():
        spark.conf.set(key, value)


def qualified(table):
    """lakeorm.`ns`.`t` for "ns.t" (a namespace may have several levels)."""
    parts = table.split(".")
    if len(parts) < 2:
        raise ValueError(f"--table wants NAMESPACE.TABLE, not {table!r}")
    return ".".join([CATALOG] + ["`" + p.replace("`", "``") + "`" for p in parts])


# Values to JSON, driven by the Spark type (so a date and a timestamptz, or a
# string and binary, never look alike).

def to_json(value, dtype):
    from pyspark.sql import types as T

    if value is None:
        return None
    if isinstance(dtype, T.DecimalType):
        return str(value)
    if isinstance(dtype, (T.FloatType, T.DoubleType)):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(dtype, T.TimestampType):
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(dtype, T.TimestampNTZType):
        return value.isoformat(timespec="microseconds")
    if isinstance(dtype, T.DateType):
        return value.isoformat()
    if isinstance(dtype, T.BinaryType):
        return bytes(value).hex()
    if isinstance(dtype, T.ArrayType):
        return [to_json(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        items = [(to_json(k, dtype.keyType), to_json(v, dtype.valueType)) for k, v in value.items()]
        return {(k if isinstance(k, str) else json.dumps(k)): v for k, v in sorted(items, key=lambda kv: json.dumps(kv[0]))}
    if isinstance(dtype, T.StructType):
        return {f.name: to_json(value[f.name], f.dataType) for f in dtype.fields}
    return value


def sort_key(value, dtype):
    """Nulls first, then by value; NaN after every number; nested values by
    their JSON text."""
    from pyspark.sql import types as T

    if value is None:
        return (0,)
    if isinstance(dtype, (T.FloatType, T.DoubleType)) and math.isnan(value):
        return (2,)
    if isinstance(dtype, (T.ArrayType, T.MapType, T.StructType)):
        return (1, json.dumps(to_json(value, dtype), sort_keys=True))
    if isinstance(dtype, T.BinaryType):
        return (1, bytes(value))
    return (1, value)


def rows_json(df):
    fields = df.schema.fields
    rows = df.collect()
    rows.sort(key=lambda r: tuple(sort_key(r[i], f.dataType) for i, f in enumerate(fields)))
    return [{f.name: to_json(r[i], f.dataType) for i, f in enumerate(fields)} for r in rows]


# JSON to values for createDataFrame, driven by the table's Spark schema.

def _timestamp(value):
    if isinstance(value, int):
        return datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=value)
    at = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if at.tzinfo is not None:
        at = at.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return at


def from_json(value, dtype):
    from pyspark.sql import Row
    from pyspark.sql import types as T

    if value is None:
        return None
    if isinstance(dtype, T.DecimalType):
        return decimal.Decimal(str(value))
    if isinstance(dtype, (T.FloatType, T.DoubleType)):
        return float(value)
    if isinstance(dtype, (T.TimestampType, T.TimestampNTZType)):
        return _timestamp(value)
    if isinstance(dtype, T.DateType):
        if isinstance(value, int):
            return datetime.date(1970, 1, 1) + datetime.timedelta(days=value)
        return datetime.date.fromisoformat(value)
    if isinstance(dtype, T.BinaryType):
        return bytes.fromhex(value)
    if isinstance(dtype, T.ArrayType):
        return [from_json(v, dtype.elementType) for v in value]
    if isinstance(dtype, T.MapType):
        # JSON keys are strings; integer keys come back as numbers.
        return {from_json(int(k) if isinstance(dtype.keyType, T.IntegralType) else k, dtype.keyType):
                from_json(v, dtype.valueType) for k, v in value.items()}
    if isinstance(dtype, T.StructType):
        return Row(**{f.name: from_json(value.get(f.name), f.dataType) for f in dtype.fields})
    return value


# Subcommands.

def dump(spark, table):
    return rows_json(spark.table(qualified(table)))


def partitions(spark, table, key="id"):
    from pyspark.sql import types as T

    df = spark.sql(f"SELECT `{key}` AS key, _partition AS partition, _file AS file FROM {qualified(table)}")
    ptype = df.schema["partition"].dataType
    out = []
    for r in df.collect():
        part = {}
        for f in ptype.fields:
            v = r["partition"][f.name] if r["partition"] is not None else None
            if isinstance(f.dataType, T.DateType) and v is not None:
                part[f.name] = (v - datetime.date(1970, 1, 1)).days
            else:
                part[f.name] = to_json(v, f.dataType)
        out.append({key: to_json(r["key"], df.schema["key"].dataType), "partition": part, "file": r["file"]})
    out.sort(key=lambda o: sort_key(o[key], df.schema["key"].dataType))
    return out


def current_snapshot(spark, table):
    row = spark.sql(f"SELECT snapshot_id FROM {qualified(table)}.history WHERE is_current_ancestor "
                    "ORDER BY made_current_at DESC LIMIT 1").collect()
    return row[0]["snapshot_id"] if row else None


def append(spark, table, rows):
    schema = spark.table(qualified(table)).schema
    data = [tuple(from_json(r.get(f.name), f.dataType) for f in schema.fields) for r in rows]
    spark.createDataFrame(data, schema=schema).writeTo(qualified(table)).append()
    return {"appended": len(rows), "snapshot_id": current_snapshot(spark, table)}


def create_bucketed(spark, table):
    name = qualified(table)
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {name.rsplit('.', 1)[0]}")
    spark.sql(f"CREATE TABLE {name} (id BIGINT, name STRING) USING iceberg PARTITIONED BY (bucket(16, id))")
    spark.sql(f"INSERT INTO {name} SELECT id, concat('n', CAST(id AS STRING)) FROM range(100)")
    return [{"id": p["id"], "bucket": p["partition"]["id_bucket"]} for p in partitions(spark, table)]


def history(spark, table):
    name = qualified(table)
    # The snapshot log gives the order; the snapshots table the rest.
    rows = spark.sql(f"SELECT h.snapshot_id, s.parent_id, s.operation, s.committed_at, s.summary "
                     f"FROM {name}.history h JOIN {name}.snapshots s ON h.snapshot_id = s.snapshot_id "
                     "ORDER BY h.made_current_at, s.committed_at").collect()
    return [{"snapshot_id": r["snapshot_id"], "parent_id": r["parent_id"], "operation": r["operation"],
             "committed_at": r["committed_at"].isoformat(timespec="microseconds") + "Z",
             "summary": dict(sorted((r["summary"] or {}).items()))} for r in rows]


def sql(spark, query):
    return rows_json(spark.sql(query))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connect", required=True, help="sc://127.0.0.1:PORT")
    ap.add_argument("--kind", required=True, choices=["jdbc", "rest"])
    ap.add_argument("--uri", required=True, help="the SQLite file (jdbc) or http://host:port (rest)")
    ap.add_argument("--warehouse", help="file:///abs/path (required for jdbc)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for cmd in ("dump", "partitions", "append", "create-bucketed", "history"):
        p = sub.add_parser(cmd)
        p.add_argument("--table", required=True, help="NAMESPACE.TABLE")
        if cmd == "partitions":
            p.add_argument("--key", default="id")
        if cmd == "append":
            p.add_argument("--rows", required=True, help="a JSON array of objects, or @FILE")
    sub.add_parser("sql").add_argument("--query", required=True)
    args = ap.parse_args(argv)
    if args.kind == "jdbc" and not args.warehouse:
        ap.error("--kind jdbc needs --warehouse")

    spark = connect(args.connect)
    register(spark, args.kind, args.uri, args.warehouse)
    if args.cmd == "dump":
        out = dump(spark, args.table)
    elif args.cmd == "partitions":
        out = partitions(spark, args.table, args.key)
    elif args.cmd == "append":
        text = args.rows
        if text.startswith("@"):
            with open(text[1:]) as f:
                text = f.read()
        out = [append(spark, args.table, json.loads(text))]
    elif args.cmd == "create-bucketed":
        out = create_bucketed(spark, args.table)
    elif args.cmd == "history":
        out = history(spark, args.table)
    else:
        out = sql(spark, args.query)
    for o in out:
        print(json.dumps(o, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
