# SPDX-License-Identifier: MIT
"""Delta Lake tables with no cluster, through the CLI (issue 18's proof
without Spark): `lakeorm migrate`, `ingest`, `query` and `vacuum` with
--dialect delta --warehouse file://..., and every table read back value by
value by delta-rs (deltalake) and by DuckDB (python duckdb over the files
deltalake lists). Tables other engines wrote (delta-rs, with a checkpoint,
deletion vectors, column mapping) and a corrupt log entry too.

Usage: test_delta_cli.py LAKEORM (run by the project's .venv Python: it
imports deltalake, duckdb and pyarrow).
"""
import datetime
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clitest  # noqa: E402
from clitest import case, run  # noqa: E402
from every_type import COLUMNS, EVERY_TYPE, EXPECTED, ROWS, generate  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "delta"))
from interop_values import every_expected, first_mismatch, normalized  # noqa: E402

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from deltalake import DeltaTable, write_deltalake  # noqa: E402


# ---- the CLI against a warehouse folder

def warehouse(d):
    return "file://" + os.path.join(d, "lake")


def engine(d):
    return ["--dialect", "delta", "--warehouse", warehouse(d)]


def write_schema(d, schema, name=None):
    path = os.path.join(d, (name or schema["table"]) + ".schema.json")
    with open(path, "w") as f:
        json.dump(schema, f)
    return path


def ndjson(rows):
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def ingest(d, schema_path, rows, *flags, expect=0):
    """lakeorm ingest --json: the summary object. Asserts the exit status."""
    code, out, err = run("ingest", "--schema", schema_path, *engine(d), "--json", *flags, "-", stdin=ndjson(rows))
    assert code == expect, ("ingest", code, expect, err, out[-2000:])
    summaries = [json.loads(line)["summary"] for line in out.splitlines() if line.startswith('{"summary"')]
    return summaries[-1] if summaries else {"stderr": err}


def query(d, sql, *params):
    code, out, err = run("query", *engine(d), sql, *params)
    assert code == 0, ("query", sql, code, err)
    return out


def query_rows(d, sql, *params):
    return [json.loads(line) for line in query(d, sql, *params).splitlines()]


def table_path(d, table):
    return os.path.join(d, "lake", table)


def log_versions(path):
    return sorted(int(os.path.basename(p)[:20]) for p in glob.glob(os.path.join(path, "_delta_log", "*.json")))


def commit_actions(path, version):
    with open(os.path.join(path, "_delta_log", f"{version:020d}.json")) as f:
        return [json.loads(line) for line in f if line.strip()]


def operations(path):
    """deltalake's history, oldest first: (version, operation)."""
    return [(h["version"], h["operation"]) for h in reversed(DeltaTable(path).history())]


def deltalake_rows(path, key, columns=None):
    t = DeltaTable(path).to_pyarrow_table(columns=columns)
    return sorted(t.to_pylist(), key=lambda r: r[key])


def duckdb_rows(path, key, columns):
    files = [u[len("file://"):] if u.startswith("file://") else u for u in DeltaTable(path).file_uris()]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    rel = con.sql(f"SELECT {columns} FROM read_parquet(?, hive_partitioning = false) ORDER BY {key}", params=[files])
    return rel.to_arrow_table().to_pylist()


# ---- cases

@case
def every_type_reads_the_same_in_deltalake_duckdb_and_lakeorm(d):
    rows = ROWS + generate(500)
    schema = write_schema(d, EVERY_TYPE)
    code, _, err = run("migrate", "create", *engine(d), "--schema", schema)
    assert code == 0, ("migrate create", code, err)
    path = table_path(d, "every")
    assert log_versions(path) == [0], log_versions(path)
    create = commit_actions(path, 0)
    protocol = next(a["protocol"] for a in create if "protocol" in a)
    assert protocol["minReaderVersion"] == 1 and protocol["minWriterVersion"] == 2, protocol
    meta = next(a["metaData"] for a in create if "metaData" in a)
    fields = [f["name"] for f in json.loads(meta["schemaString"])["fields"]]
    assert fields == [c.strip() for c in COLUMNS.split(",")] + ["_ingest_id"], fields

    s = ingest(d, schema, rows)
    assert s["inserted"] == len(rows), s
    assert log_versions(path) == [0, 1], log_versions(path)
    commit = commit_actions(path, 1)
    adds = [a["add"] for a in commit if "add" in a]
    info = next(a["commitInfo"] for a in commit if "commitInfo" in a)
    assert adds and sum(json.loads(a["stats"])["numRecords"] for a in adds) == len(rows), adds
    assert s["ingest_id"] in json.dumps(info), (s["ingest_id"], info)
    assert operations(path) == [(0, "CREATE TABLE"), (1, "WRITE")], operations(path)

    want = [every_expected(r) for r in rows]
    cols = [c.strip() for c in COLUMNS.split(",")]
    got = [normalized(r) for r in deltalake_rows(path, "n", cols)]
    assert got == want, "deltalake: " + first_mismatch(got, want)
    ids = DeltaTable(path).to_pyarrow_table(columns=["_ingest_id"]).column("_ingest_id").to_pylist()
    assert set(ids) == {s["ingest_id"]}, set(ids)
    got = [normalized(r) for r in duckdb_rows(path, "n", COLUMNS)]
    assert got == want, "duckdb: " + first_mismatch(got, want)

    # lakeorm query over the Delta table prints what it prints for the same rows in a DuckDB file.
    lines = query(d, f"SELECT {COLUMNS} FROM every ORDER BY n").splitlines()
    assert lines[:len(ROWS)] == EXPECTED, (lines[:len(ROWS)], EXPECTED)
    db = os.path.join(d, "native.duckdb")
    code, _, err = run("ingest", "--schema", schema, "--db", db, "-", stdin=ndjson(rows))
    assert code == 0, err
    code, out, err = run("query", "--db", db, f"SELECT {COLUMNS} FROM every ORDER BY n")
    assert code == 0, err
    assert lines == out.splitlines(), "lakeorm query: the Delta table and DuckDB differ"


PARTITIONED = {"version": 1, "table": "sales", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "region,nullable,partition", "type": "string"},
    {"tag": "day,partition", "type": "date"},
    {"tag": "bucket,partition", "type": "int32"},
    {"tag": "qty", "type": "int32"},
    {"tag": "note,nullable", "type": "string"}]}
REGIONS = ["eu", "us west", "a/b", "caf\u00e9", "x=y%z", None]


@case
def partitioned_table_has_folders_and_partition_values(d):
    # Every combination of region (6), day (3) and bucket (2) occurs.
    rows = [{"id": i, "region": REGIONS[i % 6], "day": f"2024-01-{1 + i // 6 % 3:02d}", "bucket": i // 18 % 2 - 1,
             "qty": i * 7, "note": None if i % 5 == 0 else f"n{i}"} for i in range(300)]
    schema = write_schema(d, PARTITIONED)
    s = ingest(d, schema, rows)
    assert s["inserted"] == len(rows), s
    path = table_path(d, "sales")
    meta = next(a["metaData"] for a in commit_actions(path, 0) if "metaData" in a)
    assert meta["partitionColumns"] == ["region", "day", "bucket"], meta["partitionColumns"]
    folders = set(os.listdir(path))
    for folder in ("region=eu", "region=__HIVE_DEFAULT_PARTITION__", "region=a%2Fb"):
        assert folder in folders, (folder, sorted(folders))
    assert os.path.isdir(os.path.join(path, "region=eu", "day=2024-01-02", "bucket=-1")), \
        os.listdir(os.path.join(path, "region=eu"))
    adds = [a["add"] for a in commit_actions(path, 1) if "add" in a]
    assert len(adds) == len(REGIONS) * 3 * 2, len(adds)  # one file per partition value
    for a in adds:
        pv = a["partitionValues"]
        assert set(pv) == {"region", "day", "bucket"}, pv
        assert a["path"].startswith("region="), a["path"]
    for uri in DeltaTable(path).file_uris():  # partition columns live in the folders, not the files
        names = pq.read_schema(uri).names
        assert "region" not in names and "day" not in names and "bucket" not in names, names
    want = [{**r, "day": datetime.date.fromisoformat(r["day"])} for r in rows]
    got = deltalake_rows(path, "id", ["id", "region", "day", "bucket", "qty", "note"])
    assert got == want, "deltalake: " + first_mismatch(got, want)
    got = query_rows(d, "SELECT id, region, CAST(day AS VARCHAR) AS day, bucket, qty, note FROM sales ORDER BY id")
    assert got == rows, "lakeorm query: " + first_mismatch(got, rows)
    got = query_rows(d, "SELECT count(*) AS n FROM sales WHERE region IS NULL AND bucket = -1")
    assert got == [{"n": sum(1 for r in rows if r["region"] is None and r["bucket"] == -1)}], got

KEYED = {"version": 1, "table": "accounts", "fields": [
    {"tag": "id,mergeKey", "type": "int64"},
    {"tag": "name", "type": "string"},
    {"tag": "amount", "type": "int64"}]}
UNKEYED = {**KEYED, "fields": [{"tag": "id", "type": "int64"}] + KEYED["fields"][1:]}


def accounts(ids, tag):
    return [{"id": i, "name": f"{tag}{i}", "amount": i * 10 + len(tag)} for i in ids]


@case
def merge_keys_upsert_and_history(d):
    plain, keyed = write_schema(d, UNKEYED, "plain"), write_schema(d, KEYED, "keyed")
    first = accounts(range(100), "a")
    s = ingest(d, plain, first)  # the same table without its merge key: a blind append
    assert s["inserted"] == 100, s
    changed = accounts(range(90, 110), "bb")
    s = ingest(d, keyed, changed, "--idempotency-key", "upsert-1")
    assert (s["inserted"], s["updated"]) == (10, 10), s
    path = table_path(d, "accounts")
    expected = {r["id"]: r for r in first}
    expected.update({r["id"]: r for r in changed})
    got = deltalake_rows(path, "id", ["id", "name", "amount"])
    assert got == sorted(expected.values(), key=lambda r: r["id"]), "deltalake: " + first_mismatch(
        got, sorted(expected.values(), key=lambda r: r["id"]))
    assert query_rows(d, "SELECT count(*) AS n, count(DISTINCT id) AS k FROM accounts") == [{"n": 110, "k": 110}]
    assert operations(path) == [(0, "CREATE TABLE"), (1, "WRITE"), (2, "MERGE")], operations(path)
    merge = commit_actions(path, 2)
    assert any("remove" in a for a in merge) and any("add" in a for a in merge), merge
    txn = [a["txn"] for a in merge if "txn" in a]
    assert txn == [{**txn[0], "appId": "upsert-1", "version": 2}] if txn else False, txn
    assert DeltaTable(path).transaction_version("upsert-1") == 2


ON_CONFLICT = {"version": 1, "table": "people", "fields": [
    {"tag": "id,pk", "type": "int64"},
    {"tag": "v", "type": "string"}]}


@case
def on_conflict_error_ignore_update(d):
    schema = write_schema(d, ON_CONFLICT)
    path = table_path(d, "people")
    ingest(d, schema, [{"id": i, "v": "one"} for i in range(1, 11)])
    before = DeltaTable(path).version()
    s = ingest(d, schema, [{"id": 3, "v": "dup"}], expect=3)
    assert DeltaTable(path).version() == before, "a refused duplicate committed"
    s = ingest(d, schema, [{"id": i, "v": "two"} for i in range(5, 15)], "--on-conflict", "ignore")
    assert (s["inserted"], s["ignored"]) == (4, 6), s
    s = ingest(d, schema, [{"id": i, "v": "three"} for i in range(8, 17)], "--on-conflict", "update")
    assert (s["inserted"], s["updated"]) == (2, 7), s
    want = ([{"id": i, "v": "one"} for i in range(1, 8)] + [{"id": i, "v": "three"} for i in range(8, 17)])
    got = deltalake_rows(path, "id", ["id", "v"])
    assert got == want, "deltalake: " + first_mismatch(got, want)
    assert query_rows(d, "SELECT id, v FROM people ORDER BY id") == want


@case
def idempotency_key_replay_writes_nothing(d):
    schema = write_schema(d, ON_CONFLICT)
    path = table_path(d, "people")
    batch = [{"id": i, "v": "k"} for i in range(50)]
    s = ingest(d, schema, batch, "--idempotency-key", "batch-7")
    assert s["replayed"] is False and s["inserted"] == 50, s
    version = DeltaTable(path).version()
    assert DeltaTable(path).transaction_version("batch-7") == version
    s = ingest(d, schema, batch, "--idempotency-key", "batch-7")
    assert s["replayed"] is True, s
    assert DeltaTable(path).version() == version, (DeltaTable(path).version(), version)
    assert log_versions(path)[-1] == version
    assert DeltaTable(path).count() == 50
    # The same key with other rows is not the same request: refused, nothing written.
    code, out, err = run("ingest", "--schema", schema, *engine(d), "--idempotency-key", "batch-7", "-",
                         stdin=ndjson([{"id": 99, "v": "other"}]))
    assert code != 0, ("a different request under a used key was accepted", out, err)
    assert DeltaTable(path).version() == version and DeltaTable(path).count() == 50


@case
def query_joins_two_delta_tables(d):
    people, keyed = write_schema(d, ON_CONFLICT), write_schema(d, UNKEYED, "plain")
    ingest(d, people, [{"id": i, "v": f"p{i}"} for i in range(20)])
    ingest(d, keyed, accounts(range(10, 30), "a"))
    got = query_rows(d, "SELECT p.id, p.v, a.amount FROM people p JOIN accounts a ON a.id = p.id "
                        "WHERE a.amount > CAST(? AS BIGINT) ORDER BY p.id", "150")
    want = [{"id": i, "v": f"p{i}", "amount": i * 10 + 1} for i in range(15, 20)]
    assert got == want, got


def vacuum(d, table, *flags):
    code, out, err = run("vacuum", "--table", table, *engine(d), "--json", *flags)
    assert code == 0, ("vacuum", code, err)
    lines = [json.loads(line) for line in out.splitlines()]
    return [x for x in lines if "file" in x], lines[-1]


@case
def vacuum_lists_and_deletes_replaced_files(d):
    plain, keyed = write_schema(d, UNKEYED, "plain"), write_schema(d, KEYED, "keyed")
    path = table_path(d, "accounts")
    ingest(d, plain, accounts(range(100), "a"))
    files, total = vacuum(d, "accounts", "--retain", "0s")
    assert files == [] and total["files"] == 0, (files, total)
    ingest(d, keyed, accounts(range(40, 60), "c"))
    removed = {a["remove"]["path"] for a in commit_actions(path, 2) if "remove" in a}
    assert removed, commit_actions(path, 2)
    files, total = vacuum(d, "accounts")  # 168h: what version 1 read is kept
    assert files == [], files
    files, total = vacuum(d, "accounts", "--retain", "0s")
    listed = {os.path.basename(f["file"]) for f in files}
    assert listed == {os.path.basename(p) for p in removed}, (listed, removed)
    assert total["files"] == len(removed) and total["dry_run"] is True, total
    for p in removed:
        assert os.path.exists(os.path.join(path, p)), "a dry run deleted " + p
    files, total = vacuum(d, "accounts", "--retain", "0s", "--delete")
    assert {os.path.basename(f["file"]) for f in files} == listed and total["dry_run"] is False, (files, total)
    for p in removed:
        assert not os.path.exists(os.path.join(path, p)), "not deleted: " + p
    for uri in DeltaTable(path).file_uris():
        assert os.path.exists(uri), "vacuum deleted a live file: " + uri
    want = {r["id"]: r for r in accounts(range(100), "a")}
    want.update({r["id"]: r for r in accounts(range(40, 60), "c")})
    assert deltalake_rows(path, "id", ["id", "name", "amount"]) == [want[k] for k in sorted(want)]
    assert query_rows(d, "SELECT count(*) AS n FROM accounts") == [{"n": 100}]
    assert vacuum(d, "accounts", "--retain", "0s")[0] == []


FOREIGN = {"version": 1, "table": "foreign", "fields": [
    {"tag": "id", "type": "int64"},
    {"tag": "region,nullable", "type": "string"},
    {"tag": "score,nullable", "type": "float64"}]}


def foreign_batch(start, n):
    return pa.table({"id": pa.array(range(start, start + n), pa.int64()),
                     "region": pa.array([["eu", "us", None][i % 3] for i in range(start, start + n)], pa.string()),
                     "score": pa.array([i / 4 for i in range(start, start + n)], pa.float64())})


@case
def deltalake_table_with_checkpoint_is_read_and_appended(d):
    path = table_path(d, "foreign")
    os.makedirs(os.path.dirname(path))
    write_deltalake(path, foreign_batch(0, 10), partition_by=["region"])
    for k in range(1, 12):
        write_deltalake(path, foreign_batch(k * 10, 10), mode="append")
    DeltaTable(path).create_checkpoint()
    assert os.path.exists(os.path.join(path, "_delta_log", f"{11:020d}.checkpoint.parquet"))
    rows = [{"id": i, "region": ["eu", "us", None][i % 3], "score": i / 4} for i in range(120)]
    assert query_rows(d, "SELECT id, region, score FROM \"foreign\" ORDER BY id") == rows
    schema = write_schema(d, FOREIGN)
    more = [{"id": i, "region": ["eu", "us", None][i % 3], "score": i / 4} for i in range(120, 150)]
    s = ingest(d, schema, more)
    assert s["inserted"] == 30, s
    assert DeltaTable(path).version() >= 12
    got = deltalake_rows(path, "id", ["id", "region", "score"])
    assert got == rows + more, "deltalake: " + first_mismatch(got, rows + more)
    assert query_rows(d, "SELECT count(*) AS n FROM \"foreign\"") == [{"n": 150}]


def foreign_table(d, configuration):
    path = table_path(d, "foreign")
    os.makedirs(os.path.dirname(path))
    write_deltalake(path, foreign_batch(0, 6), configuration=configuration)
    return path


def refused_for_writing(d, path, feature):
    version = DeltaTable(path).version()
    schema = write_schema(d, FOREIGN)
    code, out, err = run("ingest", "--schema", schema, *engine(d), "-",
                         stdin=ndjson([{"id": 100, "region": "eu", "score": 1.0}]))
    assert code != 0, ("written", out, err)
    assert re.search(feature, err, re.I), ("the refusal does not name the feature", err)
    assert DeltaTable(path).version() == version and DeltaTable(path).count() == 6


FOREIGN_ROWS = [{"id": i, "region": ["eu", "us", None][i % 3], "score": i / 4} for i in range(6)]


@case
def deletion_vectors_refused_for_writing_but_read(d):
    path = foreign_table(d, {"delta.enableDeletionVectors": "true"})
    # delta-rs also lists variantType (no column uses it); Spark lists deletionVectors alone: so must this table,
    # for the refusal to have one feature to name.
    log = os.path.join(path, "_delta_log", f"{0:020d}.json")
    with open(log) as f:
        actions = [json.loads(line) for line in f if line.strip()]
    for a in actions:
        if "protocol" in a:
            p = a["protocol"]
            p["readerFeatures"] = [x for x in p["readerFeatures"] if x != "variantType"]
            p["writerFeatures"] = [x for x in p["writerFeatures"] if x != "variantType"]
            assert p["readerFeatures"] == ["deletionVectors"], p
    with open(log, "w") as f:
        f.write("".join(json.dumps(a) + "\n" for a in actions))
    refused_for_writing(d, path, r"deletion ?vectors")
    got = query_rows(d, "SELECT id, region, score FROM \"foreign\" ORDER BY id")
    assert got == FOREIGN_ROWS, ("read", got)


@case
def column_mapping_refused_for_writing_read_or_refused_by_name(d):
    path = foreign_table(d, {"delta.columnMapping.mode": "name"})
    refused_for_writing(d, path, r"column ?mapping")
    # Reading maps physical names to the schema's; a reader that does not must say so, never return wrong columns.
    code, out, err = run("query", *engine(d), "SELECT id, region, score FROM \"foreign\" ORDER BY id")
    if code == 0:
        assert [json.loads(line) for line in out.splitlines()] == FOREIGN_ROWS, out
    else:
        assert re.search(r"column ?mapping", err, re.I), ("read refused without naming column mapping", err)
        print("     (column mapping: lakeorm refuses to read, by name)")


@case
def renames_refused_without_column_mapping(d):
    v1 = write_schema(d, ON_CONFLICT, "v1")
    ingest(d, v1, [{"id": 1, "v": "one"}])
    versions = log_versions(table_path(d, "people"))
    renamed = {**ON_CONFLICT, "fields": [ON_CONFLICT["fields"][0], {"tag": "w", "type": "string"},
                                         {"tag": "extra,nullable", "type": "int64"}]}
    v2 = write_schema(d, renamed, "v2")
    code, out, err = run("migrate", "create", *engine(d), "--schema", v2, "--rename", "people.v=w")
    assert code == 3 and "column mapping" in err and "--rename people.v=w" in err, (code, out, err)
    # Refused whole: the column the model adds is not added either.
    assert log_versions(table_path(d, "people")) == versions
    assert query_rows(d, "SELECT id, v FROM people") == [{"id": 1, "v": "one"}]
    # A new table takes the model's names, and a rename it does not need is no refusal.
    code, out, err = run("migrate", "create", *engine(d), "--schema", write_schema(d, {**renamed, "table": "fresh"}),
                         "--rename", "fresh.v=w")
    assert code == 0, (code, out, err)
    code, out, err = run("migrate", "create", *engine(d), "--schema", os.path.join(d, "fresh.schema.json"),
                         "--rename", "fresh.v=w")
    assert code == 0, (code, out, err)


@case
def corrupt_log_entry_is_an_error_naming_its_version(d):
    schema = write_schema(d, ON_CONFLICT)
    path = table_path(d, "people")
    ingest(d, schema, [{"id": 1, "v": "a"}])
    ingest(d, schema, [{"id": 2, "v": "b"}])
    newest = os.path.join(path, "_delta_log", f"{2:020d}.json")
    size = os.path.getsize(newest)
    with open(newest, "r+b") as f:
        f.truncate(size // 2)
    for args in (("query", *engine(d), "SELECT count(*) AS n FROM people"),
                 ("ingest", "--schema", schema, *engine(d), "-")):
        code, out, err = run(*args, stdin=ndjson([{"id": 3, "v": "c"}]))
        assert code != 0, (args[0], "read past a corrupt commit", out)
        assert re.search(r"version 2\b|0{19}2\.json", err), (args[0], "the error does not name version 2", err)
    assert os.path.getsize(newest) == size // 2, "the corrupt commit was rewritten"
    assert log_versions(path) == [0, 1, 2]


if __name__ == "__main__":
    sys.stdout.flush()
    passed, failed = clitest._results["passed"], clitest._results["failed"]
    print(f"{passed} passed, {failed} failed")
    sys.stdout.flush()
    # deltalake's runtime threads can abort an ordinary interpreter exit: leave at once.
    os._exit(1 if failed else 0)
