# SPDX-License-Identifier: MIT
"""Iceberg tables with no cluster, through the CLI (issue 19's proof without
Spark): `lakeorm migrate`, `ingest`, `query` and `vacuum` with --dialect
iceberg --warehouse file://... and the SQL catalog on SQLite (the default at
<warehouse>/catalog.db, or --catalog sqlite:///...) or Iceberg's REST
catalog (the RESTCatalogServer fixture, tests/iceberg/rest_server.sh).
Every table is read back value by value by pyiceberg (SqlCatalog,
RestCatalog) and by DuckDB over the files pyiceberg plans; partition values
are checked against pyiceberg's transforms; pyiceberg's own commits
alternate with lakeorm's.

Usage: test_iceberg_cli.py LAKEORM (run by the project's .venv Python: it
imports pyiceberg, duckdb and pyarrow).
"""
import datetime
import json
import os
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clitest  # noqa: E402
from clitest import case, run  # noqa: E402
from every_type import COLUMNS, EVERY_TYPE, EXPECTED, ROWS, generate  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "delta"))
from interop_values import every_expected, first_mismatch, normalized  # noqa: E402

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
from pyiceberg.catalog.rest import RestCatalog  # noqa: E402
from pyiceberg.catalog.sql import SqlCatalog  # noqa: E402

REST = None  # (url, state) of the REST catalog fixture, started on first use


def warehouse(d, catalog=None):
    """The case's warehouse: its own folder, or the REST fixture's (which writes metadata there too)."""
    return "file://" + (os.path.join(d, "rest", "warehouse") if catalog else os.path.join(d, "wh"))


def engine(d, catalog=None):
    os.makedirs(warehouse(d, catalog)[len("file://"):], exist_ok=True)
    return ["--dialect", "iceberg", "--warehouse", warehouse(d, catalog)] + (["--catalog", catalog] if catalog else [])


def sql_catalog(d):
    return SqlCatalog("lakeorm", uri="sqlite:///" + os.path.join(d, "wh", "catalog.db"), warehouse=warehouse(d))


def write_schema(d, schema, name=None):
    path = os.path.join(d, (name or schema["table"]) + ".schema.json")
    with open(path, "w") as f:
        json.dump(schema, f)
    return path


def ndjson(rows):
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def ingest(d, schema_path, rows, *flags, expect=0, catalog=None):
    """lakeorm ingest --json: the summary object. Asserts the exit status."""
    code, out, err = run("ingest", "--schema", schema_path, *engine(d, catalog), "--json", *flags, "-",
                         stdin=ndjson(rows))
    assert code == expect, ("ingest", code, expect, err, out[-2000:])
    summaries = [json.loads(line)["summary"] for line in out.splitlines() if line.startswith('{"summary"')]
    return summaries[-1] if summaries else {"stderr": err}


def query(d, sql, *params, catalog=None):
    code, out, err = run("query", *engine(d, catalog), sql, *params)
    assert code == 0, ("query", sql, code, err)
    return out


def query_rows(d, sql, *params, catalog=None):
    return [json.loads(line) for line in query(d, sql, *params, catalog=catalog).splitlines()]


def iceberg_rows(table, key, columns=None):
    rows = table.scan(selected_fields=tuple(columns) if columns else ("*",)).to_arrow().to_pylist()
    return sorted(rows, key=lambda r: r[key])


def duckdb_rows(table, key, columns):
    """DuckDB's own Parquet reader over the data files pyiceberg plans for the current snapshot."""
    files = [t.file.file_path.replace("file://", "", 1) for t in table.scan().plan_files()]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = con.sql(f"SELECT {columns} FROM read_parquet(?) ORDER BY {key}", params=[files])
    return rel.to_arrow_table().to_pylist()


def pyiceberg_normalized(row):
    """pyiceberg's values in every_expected's terms (UUIDs as text)."""
    out = dict(row)
    if isinstance(out.get("u"), uuid.UUID):
        out["u"] = str(out["u"])
    return normalized(out)


# ---- cases

@case
def every_type_reads_the_same_in_pyiceberg_duckdb_and_lakeorm(d):
    rows = ROWS + generate(500)
    schema = write_schema(d, EVERY_TYPE)
    code, _, err = run("migrate", "create", *engine(d), "--schema", schema)
    assert code == 0, ("migrate create", code, err)
    table = sql_catalog(d).load_table("default.every")
    assert table.metadata.format_version == 2, table.metadata.format_version
    names = [f.name for f in table.schema().fields]
    assert names == [c.strip() for c in COLUMNS.split(",")] + ["_ingest_id"], names
    assert table.current_snapshot() is None

    s = ingest(d, schema, rows)
    assert s["inserted"] == len(rows), s
    table = sql_catalog(d).load_table("default.every")
    snap = table.current_snapshot()
    assert snap.summary.operation.value == "append", snap.summary
    assert snap.summary["added-records"] == str(len(rows)), snap.summary
    assert snap.summary["lakeorm.ingest-id"] == s["ingest_id"], snap.summary

    want = [every_expected(r) for r in rows]
    cols = [c.strip() for c in COLUMNS.split(",")]
    got = [pyiceberg_normalized(r) for r in iceberg_rows(table, "n", cols)]
    assert got == want, "pyiceberg: " + first_mismatch(got, want)
    ids = {r["_ingest_id"] for r in table.scan(selected_fields=("_ingest_id",)).to_arrow().to_pylist()}
    assert ids == {s["ingest_id"]}, ids
    got = [normalized(r) for r in duckdb_rows(table, "n", COLUMNS)]
    assert got == want, "duckdb: " + first_mismatch(got, want)

    # lakeorm query over the Iceberg table prints what it prints for the same rows in a DuckDB file.
    lines = query(d, f"SELECT {COLUMNS} FROM every ORDER BY n").splitlines()
    assert lines[:len(ROWS)] == EXPECTED, (lines[:len(ROWS)], EXPECTED)
    db = os.path.join(d, "native.duckdb")
    code, _, err = run("ingest", "--schema", schema, "--db", db, "-", stdin=ndjson(rows))
    assert code == 0, err
    code, out, err = run("query", "--db", db, f"SELECT {COLUMNS} FROM every ORDER BY n")
    assert code == 0, err
    assert lines == out.splitlines(), "lakeorm query: the Iceberg table and DuckDB differ"


TRANSFORMS = {"version": 1, "table": "events", "fields": [
    {"tag": "id,pk,partition=bucket[16]", "type": "int64"},
    {"tag": "name,partition=truncate[3]", "type": "string"},
    {"tag": "day,partition=month", "type": "date"},
    {"tag": "at,nullable,partition=hour", "type": "timestamp"},
    {"tag": "amount,nullable,partition=truncate[10]", "type": "decimal(9,2)"},
    {"tag": "n", "type": "int32"}]}


def events(ids):
    return [{"id": i, "name": ["alpha", "beta", "\u00e9t\u00e9", "", "zz"][i % 5], "day": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
             "at": None if i % 7 == 0 else f"2024-0{1 + i % 9}-0{1 + i % 9}T{i % 24:02d}:0{i % 10}:00Z",
             "amount": None if i % 11 == 0 else f"{(i * 37) % 1000 - 500}.{i % 100:02d}", "n": i} for i in ids]


@case
def partition_values_agree_with_pyiceberg_transforms(d):
    rows = events(range(300))
    schema = write_schema(d, TRANSFORMS)
    s = ingest(d, schema, rows)
    assert s["inserted"] == len(rows), s
    table = sql_catalog(d).load_table("default.events")
    spec = table.spec()
    assert [(f.name, str(f.transform)) for f in spec.fields] == [
        ("id_bucket", "bucket[16]"), ("name_trunc", "truncate[3]"), ("day_month", "month"), ("at_hour", "hour"),
        ("amount_trunc", "truncate[10]")], spec
    fields = {f.field_id: f for f in table.schema().fields}
    transforms = [(f.transform.transform(fields[f.source_id].field_type), f.source_id) for f in spec.fields]
    checked = 0
    for task in table.scan().plan_files():
        data = pa.parquet.read_table(task.file.file_path.replace("file://", "", 1))
        part = task.file.partition
        for r in data.to_pylist():
            for k, (fn, source) in enumerate(transforms):
                value = r[fields[source].name]
                want = None if value is None else fn(value)
                assert part[k] == want, (task.file.file_path, spec.fields[k].name, part[k], want, r)
            checked += 1
    assert checked == len(rows), checked
    got = query_rows(d, "SELECT id, n FROM events WHERE name = 'beta' ORDER BY id")
    assert got == [{"id": r["id"], "n": r["n"]} for r in rows if r["name"] == "beta"], got


def scan_logged(d, sql, *params):
    """query's rows and the files its scan of the table read, of how many (the iceberg.scan debug log line)."""
    code, out, err = run("query", *engine(d), sql, *params, env={"LAKEORM_LOG": "debug"})
    assert code == 0, ("query", sql, code, err)
    scans = [json.loads(line) for line in err.splitlines() if '"iceberg.scan"' in line]
    for s in scans:
        del s["ts"]  # when: each line's own
    assert scans and all(s == scans[0] for s in scans), (sql, err)  # bound once per preparation and run
    return [json.loads(line) for line in out.splitlines()], int(scans[0]["read"]), int(scans[0]["files"])


def manifests_logged(d, sql):
    """The manifests the table has and those a query's scan read."""
    code, _, err = run("query", *engine(d), sql, env={"LAKEORM_LOG": "debug"})
    assert code == 0, (sql, err)
    scan = next(json.loads(line) for line in err.splitlines() if '"iceberg.scan"' in line)
    return int(scan["manifests_read"]), int(scan["manifests"])


DAILY = {"version": 1, "table": "daily", "fields": [
    {"tag": "id,partition=bucket[4]", "type": "int64"},
    {"tag": "at,partition=day", "type": "timestamp"},
    {"tag": "tag,nullable,partition=identity", "type": "string"}]}


@case
def reads_skip_manifests_by_their_partition_summaries(d):
    """One ingest a day, each its own manifest: the manifest list's
    partition summaries (which lakeorm writes, and pyiceberg prunes by too)
    let a read of one day skip the other days' manifests unread."""
    schema = write_schema(d, DAILY)
    rows = []
    for day in range(5):
        batch = [{"id": day * 100 + i, "at": f"2024-01-0{day + 1}T{i % 24:02d}:00:00Z",
                  "tag": None if i % 4 == 0 else f"t{day}"} for i in range(40)]
        ingest(d, schema, batch)
        rows += batch
    queries = [
        ("\"at\" >= TIMESTAMPTZ '2024-01-03 00:00:00+00' AND \"at\" < TIMESTAMPTZ '2024-01-04 00:00:00+00'", 1,
         "at >= '2024-01-03T00:00:00+00:00' and at < '2024-01-04T00:00:00+00:00'", lambda r: r["at"].startswith("2024-01-03")),
        ("tag = 't4'", 1, "tag == 't4'", lambda r: r["tag"] == "t4"),
        ("tag IS NULL", 5, "tag is null", lambda r: r["tag"] is None),
        ("id = 250", 5, "id == 250", lambda r: r["id"] == 250),
    ]
    table = sql_catalog(d).load_table("default.daily")
    for where, manifests_read, row_filter, keep in queries:
        read, manifests = manifests_logged(d, f"SELECT id FROM daily WHERE {where}")
        assert (read, manifests) == (manifests_read, 5), (where, read, manifests)
        got = [r["id"] for r in query_rows(d, f"SELECT id FROM daily WHERE {where} ORDER BY id")]
        want = sorted(r["id"] for r in rows if keep(r))
        assert got == want, (where, got, want)
        assert sorted(r["id"] for r in table.scan(row_filter=row_filter).to_arrow().to_pylist()) == want, where


@case
def reads_leave_out_files_no_matching_row_is_in(d):
    """A read's WHERE clause leaves out files by partition values (bucket,
    truncate, month, hour) and column bounds; the rows are those of the same
    query with nothing to prune by (the table behind a subquery)."""
    rows = events(range(300))
    schema = write_schema(d, TRANSFORMS)
    ingests = [ingest(d, schema, rows[k:k + 100]) for k in range(0, 300, 100)]
    cols = 'id, name, day, "at", amount, n'  # AT is a keyword
    cases = [  # (WHERE, params, pruned: whether some file must be left out)
        ("id = 42", [], True),
        ("id IN (1, 2, 3)", [], True),
        ("id = CAST(? AS BIGINT)", ["42"], True),
        ("name = 'beta'", [], True),
        ("name = ?", ["\u00e9t\u00e9"], True),
        ("name > 'b' AND name < 'c'", [], True),
        ("day >= DATE '2020-01-01' AND day < '2021-01-01'", [], True),
        ('"at" >= TIMESTAMPTZ \'2024-03-01 00:00:00+00\' AND "at" < TIMESTAMPTZ \'2024-03-04T00:00:00Z\'', [], True),
        ('"at" IS NULL', [], True),
        ("amount > 400", [], True),
        ("amount BETWEEN -10.5 AND 10.5", [], True),
        ("n BETWEEN 120 AND 130", [], True),
        ("n < 0", [], True),
        ("_ingest_id = ?", [ingests[1]["ingest_id"]], True),
        ("n >= 0", [], False),
        ("id = 42 OR n = 5", [], False),
        ("CAST(id AS VARCHAR) = '42'", [], False),
    ]
    for where, params, pruned in cases:
        got, read, files = scan_logged(d, f"SELECT {cols} FROM events WHERE {where} ORDER BY n", *params)
        want = query_rows(d, f"SELECT {cols} FROM (SELECT * FROM events) AS e WHERE {where} ORDER BY n", *params)
        assert got == want, (where, got[:3], want[:3])
        assert files > 10 and (read < files if pruned else read == files), (where, read, files)
    got, read, _ = scan_logged(d, "SELECT n FROM events WHERE n < 0")
    assert got == [] and read == 0, (got, read)
    beta = [r["n"] for r in rows if r["name"] == "beta"]
    got, _, _ = scan_logged(d, "SELECT n FROM events WHERE name = 'beta' ORDER BY n")
    assert [r["n"] for r in got] == beta, got


KEYED = {"version": 1, "table": "accounts", "fields": [
    {"tag": "id,mergeKey", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "amount", "type": "int64"}]}
UNKEYED = {**KEYED, "fields": [{"tag": "id", "type": "int64"}] + KEYED["fields"][1:]}


def accounts(ids, tag):
    return [{"id": i, "name": f"{tag}{i}", "amount": i * 10 + len(tag)} for i in ids]


@case
def merge_keys_overwrite_rewritten_files(d):
    plain, keyed = write_schema(d, UNKEYED, "plain"), write_schema(d, KEYED, "keyed")
    first = accounts(range(100), "a")
    s = ingest(d, plain, first)  # the same table without its merge key: a blind append
    assert s["inserted"] == 100, s
    changed = accounts(range(90, 110), "bb")
    s = ingest(d, keyed, changed, "--idempotency-key", "upsert-1")
    assert (s["inserted"], s["updated"]) == (10, 10), s
    expected = {r["id"]: r for r in first}
    expected.update({r["id"]: r for r in changed})
    want = sorted(expected.values(), key=lambda r: r["id"])
    table = sql_catalog(d).load_table("default.accounts")
    got = iceberg_rows(table, "id", ["id", "name", "amount"])
    assert got == want, "pyiceberg: " + first_mismatch(got, want)
    history = [table.snapshot_by_id(h.snapshot_id).summary for h in table.history()]
    assert [h.operation.value for h in history] == ["append", "overwrite"], history
    assert history[1]["lakeorm.idempotency-key"] == "upsert-1" and int(history[1]["deleted-data-files"]) >= 1, history
    assert query_rows(d, "SELECT count(*) AS n, count(DISTINCT id) AS k FROM accounts") == [{"n": 110, "k": 110}]


ON_CONFLICT = {"version": 1, "table": "people", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "v", "type": "string"}]}


@case
def on_conflict_error_ignore_update(d):
    schema = write_schema(d, ON_CONFLICT)
    ingest(d, schema, [{"id": i, "v": "one"} for i in range(1, 11)])
    before = sql_catalog(d).load_table("default.people").current_snapshot().snapshot_id
    ingest(d, schema, [{"id": 3, "v": "dup"}], expect=3)
    assert sql_catalog(d).load_table("default.people").current_snapshot().snapshot_id == before, "a refused duplicate committed"
    s = ingest(d, schema, [{"id": i, "v": "two"} for i in range(5, 15)], "--on-conflict", "ignore")
    assert (s["inserted"], s["ignored"]) == (4, 6), s
    s = ingest(d, schema, [{"id": i, "v": "three"} for i in range(8, 17)], "--on-conflict", "update")
    assert (s["inserted"], s["updated"]) == (2, 7), s
    want = [{"id": i, "v": "one"} for i in range(1, 8)] + [{"id": i, "v": "three"} for i in range(8, 17)]
    got = iceberg_rows(sql_catalog(d).load_table("default.people"), "id", ["id", "v"])
    assert got == want, "pyiceberg: " + first_mismatch(got, want)
    assert query_rows(d, "SELECT id, v FROM people ORDER BY id") == want


@case
def idempotency_key_replay_writes_nothing(d):
    schema = write_schema(d, ON_CONFLICT)
    batch = [{"id": i, "v": "k"} for i in range(50)]
    s = ingest(d, schema, batch, "--idempotency-key", "batch-7")
    assert s["replayed"] is False and s["inserted"] == 50, s
    snapshots = len(sql_catalog(d).load_table("default.people").snapshots())
    s = ingest(d, schema, batch, "--idempotency-key", "batch-7")
    assert s["replayed"] is True, s
    table = sql_catalog(d).load_table("default.people")
    assert len(table.snapshots()) == snapshots and table.scan().to_arrow().num_rows == 50
    code, out, err = run("ingest", "--schema", schema, *engine(d), "--idempotency-key", "batch-7", "-",
                         stdin=ndjson([{"id": 99, "v": "other"}]))
    assert code != 0, ("a different request under a used key was accepted", out, err)
    assert len(sql_catalog(d).load_table("default.people").snapshots()) == snapshots


@case
def columns_added_natively_and_renames_read_by_field_id(d):
    v1 = {"version": 1, "table": "notes", "fields": [{"tag": "id,pk", "type": "int64"},
                                                      {"tag": "body", "type": "string"}]}
    v2 = {**v1, "fields": v1["fields"] + [{"tag": "color,nullable", "type": "string"},
                                          {"tag": "size,nullable", "type": "int64"}]}
    ingest(d, write_schema(d, v1, "v1"), [{"id": i, "body": f"b{i}"} for i in range(5)])
    code, _, err = run("migrate", "create", *engine(d), "--schema", write_schema(d, v2, "v2"))
    assert code == 0, err
    table = sql_catalog(d).load_table("default.notes")
    assert table.schema().schema_id == 1, table.schema()
    ids = {f.name: f.field_id for f in table.schema().fields}
    assert ids["id"] == 1 and ids["body"] == 2 and ids["_ingest_id"] == 3 and {ids["color"], ids["size"]} == {4, 5}, ids
    ingest(d, os.path.join(d, "v2.schema.json"), [{"id": 9, "body": "new", "color": "red", "size": 3}])
    got = query_rows(d, "SELECT id, body, color, size FROM notes ORDER BY id")
    assert got == [{"id": i, "body": f"b{i}", "color": None, "size": None} for i in range(5)] + [
        {"id": 9, "body": "new", "color": "red", "size": 3}], got
    # Another writer renames a column: files keep their field ids, and lakeorm reads them by id.
    with table.update_schema() as update:
        update.rename_column("body", "text")
    got = query_rows(d, "SELECT id, text FROM notes ORDER BY id")
    assert got == [{"id": i, "text": f"b{i}"} for i in range(5)] + [{"id": 9, "text": "new"}], got


@case
def int_and_float_columns_widened_natively(d):
    v1 = {"version": 1, "table": "gauges", "fields": [{"tag": "id,pk", "type": "int64"},
                                                       {"tag": "n", "type": "int32"},
                                                       {"tag": "f,nullable", "type": "float32"}]}
    v2 = {**v1, "fields": [v1["fields"][0], {"tag": "n", "type": "int64"}, {"tag": "f,nullable", "type": "float64"}]}
    ingest(d, write_schema(d, v1, "v1"), [{"id": 1, "n": 7, "f": 0.5}, {"id": 2, "n": -3, "f": None}])
    two = write_schema(d, v2, "v2")
    code, _, err = run("migrate", "create", *engine(d), "--schema", two)
    assert code == 0, err
    table = sql_catalog(d).load_table("default.gauges")
    types = {f.name: str(f.field_type) for f in table.schema().fields}
    assert types["n"] == "long" and types["f"] == "double", types
    assert {f.name: f.field_id for f in table.schema().fields} == {"id": 1, "n": 2, "f": 3, "_ingest_id": 4}
    assert table.schema().schema_id == 1
    ingest(d, two, [{"id": 3, "n": 1 << 40, "f": 0.1}])
    assert sql_catalog(d).load_table("default.gauges").schema().schema_id == 1  # nothing left to change
    want = [{"id": 1, "n": 7, "f": 0.5}, {"id": 2, "n": -3, "f": None}, {"id": 3, "n": 1 << 40, "f": 0.1}]
    assert query_rows(d, "SELECT id, n, f FROM gauges ORDER BY id") == want
    assert iceberg_rows(sql_catalog(d).load_table("default.gauges"), "id", ["id", "n", "f"]) == want


@case
def migrate_assert_compares_the_model_with_the_table(d):
    schema = write_schema(d, EVERY_TYPE)
    ingest(d, schema, ROWS)
    code, out, err = run("migrate", "assert", *engine(d), "--schema", schema)
    assert code == 0 and "every table matches" in out, (code, out, err)
    drifted = {**EVERY_TYPE, "fields": [{"tag": "n,pk", "type": "string"}] + EVERY_TYPE["fields"][1:]
               + [{"tag": "extra,nullable", "type": "int64"}]}
    code, out, err = run("migrate", "assert", *engine(d), "--schema", write_schema(d, drifted, "drifted"))
    assert code == 1, (code, out, err)
    assert "column n is long, the model says string" in out and "extra" in out, out


@case
def pyiceberg_and_lakeorm_commit_alternately(d):
    schema = write_schema(d, UNKEYED, "plain")
    ingest(d, schema, accounts(range(10), "a"))
    for round_ in range(3):
        table = sql_catalog(d).load_table("default.accounts")
        rows = accounts(range(100 + 10 * round_, 105 + 10 * round_), "p")
        arrow = pa.Table.from_pylist(rows, schema=table.schema().as_arrow().remove(
            table.schema().as_arrow().get_field_index("_ingest_id")))
        table.append(arrow)
        ingest(d, schema, accounts(range(200 + 10 * round_, 205 + 10 * round_), "l"))
    table = sql_catalog(d).load_table("default.accounts")
    assert len(table.snapshots()) == 7, len(table.snapshots())
    want = sorted(accounts(range(10), "a") + [r for k in range(3) for r in accounts(range(100 + 10 * k, 105 + 10 * k), "p")]
                  + [r for k in range(3) for r in accounts(range(200 + 10 * k, 205 + 10 * k), "l")], key=lambda r: r["id"])
    assert iceberg_rows(table, "id", ["id", "name", "amount"]) == want
    assert query_rows(d, "SELECT id, name, amount FROM accounts ORDER BY id") == want


def vacuum(d, table, *flags):
    code, out, err = run("vacuum", "--table", table, *engine(d), "--json", *flags)
    assert code == 0, ("vacuum", code, err)
    lines = [json.loads(line) for line in out.splitlines()]
    return [x for x in lines if "file" in x], lines[-1]


def uuid_v7():
    """A UUIDv7 of an hour ago: the name of a file a writer killed then left."""
    ms = int(time.time() * 1000) - 3600 * 1000
    b = bytearray(os.urandom(16))
    b[0:6] = ms.to_bytes(6, "big")
    b[6] = (b[6] & 0x0F) | 0x70
    b[8] = (b[8] & 0x3F) | 0x80
    return str(uuid.UUID(bytes=bytes(b)))


@case
def vacuum_expires_snapshots_and_deletes_unreferenced_files(d):
    schema = write_schema(d, KEYED)
    ingest(d, schema, accounts(range(50), "a"))
    ingest(d, schema, accounts(range(40, 60), "b"))
    root = os.path.join(d, "wh", "default", "accounts")
    # what a killed writer leaves: a data file and a manifest no snapshot names, with lakeorm's names
    stray_data = os.path.join(root, "data", f"part-00001-{uuid_v7()}.c000.zstd.parquet")
    stray_manifest = os.path.join(root, "metadata", f"{uuid_v7()}-m0.avro")
    stray_list = os.path.join(root, "metadata", f"snap-123456789-1-{uuid_v7()}.avro")
    stray_metadata = os.path.join(root, "metadata", f"00009-{uuid_v7()}.metadata.json")
    foreign = os.path.join(root, "data", "someone-elses.parquet")
    for p in (stray_data, stray_manifest, stray_list, stray_metadata, foreign):
        with open(p, "wb") as f:
            f.write(b"x")
    files, total = vacuum(d, "accounts")  # 168h: the strays are too young
    assert files == [], files
    files, total = vacuum(d, "accounts", "--retain", "0s")  # a dry run: the strays and what the merge replaced
    names = {f["file"].split("/")[-1] for f in files}
    strays = (stray_data, stray_manifest, stray_list, stray_metadata)
    assert {os.path.basename(p) for p in strays} <= names, files
    assert len(sql_catalog(d).load_table("default.accounts").snapshots()) == 2, "a dry run expired snapshots"
    files, total = vacuum(d, "accounts", "--retain", "0s", "--delete")
    assert {f["file"].split("/")[-1] for f in files} == names, (files, names)
    assert not any(os.path.exists(p) for p in strays) and os.path.exists(foreign)
    metadata = [f for f in os.listdir(os.path.join(root, "metadata")) if f.endswith(".metadata.json")]
    assert len(metadata) == 4, metadata  # create, append, merge, expiry: the current file and its log
    # the retention given, the older snapshot expired with the files only it read (those the merge replaced)
    table = sql_catalog(d).load_table("default.accounts")
    assert len(table.snapshots()) == 1 and table.current_snapshot().summary.operation.value == "overwrite"
    live = {t.file.file_path.replace("file://", "", 1) for t in table.scan().plan_files()}
    replaced = [f["file"] for f in files if "/data/" in f["file"] and f["file"].split("/")[-1] not in
                {os.path.basename(p) for p in strays}]
    assert replaced, files
    for path in live:
        assert os.path.exists(path), "vacuum deleted a live file: " + path
    assert table.scan().to_arrow().num_rows == 60
    assert query_rows(d, "SELECT count(*) AS n FROM accounts") == [{"n": 60}]
    assert vacuum(d, "accounts", "--retain", "0s")[0] == []


RENAMED_V1 = {"version": 1, "table": "members", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "nick", "type": "string"},
    {"tag": "region,partition", "type": "string"},
    {"tag": "score,nullable", "type": "int64"}]}
# nick -> handle, region (the partition source) -> area, and a new column in the same migrate.
RENAMED_V2 = {**RENAMED_V1, "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "handle", "type": "string"},
    {"tag": "area,partition", "type": "string"},
    {"tag": "score,nullable", "type": "int64"},
    {"tag": "note,nullable", "type": "string"}]}


def members(ids, tag):
    return [{"id": i, "nick": f"{tag}{i}", "region": ["eu", "us", "ap"][i % 3], "score": i * 3} for i in ids]


def migrate_create(d, schema, *renames, catalog=None):
    flags = [x for r in renames for x in ("--rename", r)]
    return run("migrate", "create", *engine(d, catalog), "--schema", schema, *flags)


def renames_applied_natively(d, load, catalog=None):
    """The rename scenario over either catalog; load() gives pyiceberg's current table."""
    v1, v2 = write_schema(d, RENAMED_V1, "members_v1"), write_schema(d, RENAMED_V2, "members_v2")
    old = members(range(12), "n")
    assert ingest(d, v1, old, catalog=catalog)["inserted"] == 12
    before = load()
    ids = {f.name: f.field_id for f in before.schema().fields}
    spec = [(f.source_id, f.name, str(f.transform)) for f in before.spec().fields]
    code, out, err = migrate_create(d, v2, "members.nick=handle", "members.region=area", catalog=catalog)
    assert code == 0 and "members: ready" in out, (code, out, err)
    table = load()
    after = {f.name: f.field_id for f in table.schema().fields}
    # Same field ids under the new names; the new column after the table's last id; one new schema.
    assert after["handle"] == ids["nick"] and after["area"] == ids["region"], (ids, after)
    assert "nick" not in after and "region" not in after and after["note"] == max(ids.values()) + 1, after
    assert table.schema().schema_id == before.schema().schema_id + 1, table.schema()
    assert table.schema().identifier_field_ids == before.schema().identifier_field_ids
    # The spec still partitions by the renamed column (by source id); the partition field keeps its name.
    assert [(f.source_id, f.name, str(f.transform)) for f in table.spec().fields] == spec, table.spec()
    want_old = [{"id": r["id"], "handle": r["nick"], "area": r["region"], "note": None} for r in old]
    got = query_rows(d, "SELECT id, handle, area, note FROM members ORDER BY id", catalog=catalog)
    assert got == want_old, "lakeorm: " + first_mismatch(got, want_old)
    got = iceberg_rows(table, "id", ["id", "handle", "area", "note"])
    assert got == want_old, "pyiceberg: " + first_mismatch(got, want_old)
    # New rows with the renamed model land in the right partitions.
    new = [{"id": 100 + i, "handle": f"h{i}", "area": ["eu", "sa"][i % 2], "score": i, "note": "x"} for i in range(6)]
    assert ingest(d, v2, new, catalog=catalog)["inserted"] == 6
    table = load()
    for task in table.scan().plan_files():  # files written before name the column as it was then
        data = pa.parquet.read_table(task.file.file_path.replace("file://", "", 1))
        areas = set(data.column("area" if "area" in data.column_names else "region").to_pylist())
        assert areas == {task.file.partition[0]}, (task.file.file_path, areas, task.file.partition)
    eu = sorted([r["id"] for r in old if r["region"] == "eu"] + [r["id"] for r in new if r["area"] == "eu"])
    got = table.scan(row_filter="area == 'eu'", selected_fields=("id",)).to_arrow().to_pylist()
    assert sorted(r["id"] for r in got) == eu, ("pyiceberg pruned by the renamed partition column", got)
    got = query_rows(d, "SELECT id FROM members WHERE area = 'eu' ORDER BY id", catalog=catalog)
    assert [r["id"] for r in got] == eu, got
    # Migrating again changes nothing.
    schemas = len(table.schemas())
    code, out, err = migrate_create(d, v2, "members.nick=handle", "members.region=area", catalog=catalog)
    assert code == 0, (code, out, err)
    assert len(load().schemas()) == schemas and load().schema().schema_id == table.schema().schema_id
    # Bad renames: clear errors, nothing committed.
    bad = [
        (["members.ghost=handle"], 0, None),  # the table has handle and no ghost: applied already
        (["members.ghost=note"], 0, None),
        (["members.ghost=phantom"], 2, "the model has no column phantom"),
        (["members._ingest_id=handle"], 2, "_ingest_id is lakeorm's system column"),
        (["members.score=handle", "members.handle=area"], 2, "chains and swaps"),
        (["nowhere.a=b"], 2, "which no --schema file defines"),
    ]
    for renames, status, message in bad:
        code, out, err = migrate_create(d, v2, *renames, catalog=catalog)
        assert code == status and (message is None or message in err), (renames, code, out, err)
    gone = write_schema(d, {**RENAMED_V2, "fields": RENAMED_V2["fields"] + [{"tag": "extra,nullable", "type": "string"}]},
                        "members_v3")
    code, out, err = migrate_create(d, gone, "members.ghost=extra", catalog=catalog)
    assert code == 2 and "table members has neither column ghost nor extra" in err, (code, out, err)
    onto = write_schema(d, {**RENAMED_V2, "fields": [f for f in RENAMED_V2["fields"] if f["tag"] != "handle"]},
                        "members_onto")
    code, out, err = migrate_create(d, onto, "members.handle=note", catalog=catalog)
    assert code == 2 and "already has a column note" in err, (code, out, err)
    clash = write_schema(d, {**RENAMED_V2, "fields": [f if f["tag"] != "score,nullable" else
                                                      {"tag": "region,nullable", "type": "int64"}
                                                      for f in RENAMED_V2["fields"]]}, "members_clash")
    code, out, err = migrate_create(d, clash, "members.score=region", catalog=catalog)
    assert code == 2 and "partition field region" in err, (code, out, err)
    assert len(load().schemas()) == schemas, "a refused rename committed"


@case
def renames_applied_natively_with_the_sql_catalog(d):
    renames_applied_natively(d, lambda: sql_catalog(d).load_table("default.members"))


def rest_catalog_case(d, url):
    catalog = "rest+" + url
    schema = write_schema(d, EVERY_TYPE)
    rows = ROWS + generate(100)
    code, _, err = run("migrate", "create", *engine(d, catalog), "--schema", schema)
    assert code == 0, err
    s = ingest(d, schema, rows, catalog=catalog)
    assert s["inserted"] == len(rows), s
    keyed = write_schema(d, KEYED)
    ingest(d, keyed, accounts(range(30), "a"), catalog=catalog)
    s = ingest(d, keyed, accounts(range(20, 40), "b"), catalog=catalog)
    assert (s["inserted"], s["updated"]) == (10, 10), s
    rest = RestCatalog("rest", uri=url)
    table = rest.load_table("default.every")
    want = [every_expected(r) for r in rows]
    got = [pyiceberg_normalized(r) for r in iceberg_rows(table, "n", [c.strip() for c in COLUMNS.split(",")])]
    assert got == want, "pyiceberg RestCatalog: " + first_mismatch(got, want)
    want = sorted({**{r["id"]: r for r in accounts(range(30), "a")},
                   **{r["id"]: r for r in accounts(range(20, 40), "b")}}.values(), key=lambda r: r["id"])
    assert iceberg_rows(rest.load_table("default.accounts"), "id", ["id", "name", "amount"]) == want
    assert query_rows(d, "SELECT id, name, amount FROM accounts ORDER BY id", catalog=catalog) == want
    renames_applied_natively(d, lambda: rest.load_table("default.members"), catalog=catalog)


@case
def rest_catalog_tables_read_by_pyiceberg(d):
    script = os.path.join(HERE, "..", "iceberg", "rest_server.sh")
    state = os.path.join(d, "rest")
    p = subprocess.run([script, "start", state], capture_output=True, text=True)
    assert p.returncode == 0, ("rest_server.sh start", p.stdout, p.stderr)
    try:
        rest_catalog_case(d, "http://127.0.0.1:" + p.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run([script, "stop", state])


if __name__ == "__main__":
    clitest.finish()
