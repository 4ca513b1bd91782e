# SPDX-License-Identifier: MIT
"""Makes Delta tables with delta-rs (the `deltalake` package) under a folder,
for tests/unit/delta/test_snapshot.c, and prints what delta-rs says of each:

    table <name> <version asked, -1 for the newest>
    version <v>
    file <path under the table, as stored>     (sorted)
    txn <appId> <version>                      (for app-a, app-b when set)

The C test loads the same snapshots with lakeorm and prints the same lines.
Tables `corrupt` and `gap` (a truncated and a missing commit) print nothing:
the C test expects errors naming their version 1; nor does `bad_checkpoint`
(`checkpointed` with its checkpoint cut short), which reads by replaying
every commit. Every checkpoint here is
delta-rs' own except `multipart` (its classic checkpoint cut into three
parts, as Spark writes big ones) and `nan_stats` (one whose stats_parsed
holds NaN and infinity, which DuckDB's to_json spells as bare words)."""
import os
import shutil
import sys

import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

APPS = ("app-a", "app-b")


def txns(*pairs):
    return CommitProperties(app_transactions=[Transaction(app, v) for app, v in pairs])


def report(root, name, version=None):
    path = os.path.join(root, name)
    dt = DeltaTable(path) if version is None else DeltaTable(path, version=version)
    print("table %s %d" % (name, -1 if version is None else version))
    print("version %d" % dt.version())
    prefix = os.path.abspath(path) + "/"
    for uri in sorted(dt.file_uris()):
        assert uri.startswith(prefix), uri
        print("file %s" % uri[len(prefix):])
    for app in APPS:
        v = dt.transaction_version(app)
        if v is not None:
            print("txn %s %d" % (app, v))


def rows(start, n):
    return pa.table({"id": pa.array(range(start, start + n), pa.int64()), "v": [float(i) / 2 for i in range(n)]})


def appends(root):
    path = os.path.join(root, "appends")
    write_deltalake(path, rows(0, 3))
    write_deltalake(path, rows(3, 2), mode="append", commit_properties=txns(("app-a", 1)))
    write_deltalake(path, rows(5, 2), mode="append", commit_properties=txns(("app-a", 2), ("app-b", 7)))


def partitioned(root):
    path = os.path.join(root, "partitioned")
    p = pa.array(["a b:c/d%e", "x", "\u00e9+&=?#", None, "2024-01-02 10:00:00"])
    write_deltalake(path, pa.table({"p": p, "n": pa.array(range(5), pa.int32())}), partition_by=["p"])
    write_deltalake(path, pa.table({"p": pa.array(["x"]), "n": pa.array([9], pa.int32())}), mode="append")


def overwrite(root):
    path = os.path.join(root, "overwrite")
    write_deltalake(path, rows(0, 4))
    write_deltalake(path, rows(4, 4), mode="append")
    write_deltalake(path, rows(100, 2), mode="overwrite")
    write_deltalake(path, rows(200, 1), mode="append")


def checkpointed(root):
    path = os.path.join(root, "checkpointed")
    write_deltalake(path, rows(0, 2), commit_properties=txns(("app-a", 1)))
    write_deltalake(path, rows(2, 2), mode="append", commit_properties=txns(("app-b", 3)))
    write_deltalake(path, rows(4, 2), mode="append")
    write_deltalake(path, rows(6, 2), mode="overwrite")
    write_deltalake(path, rows(8, 2), mode="append", commit_properties=txns(("app-a", 5)))
    DeltaTable(path).create_checkpoint()  # at version 4
    write_deltalake(path, rows(10, 2), mode="append", commit_properties=txns(("app-b", 4)))
    write_deltalake(path, rows(12, 2), mode="append")


def multipart(root):
    path = os.path.join(root, "multipart")
    for i in range(4):
        t = pa.table({"p": pa.array(["k%d" % (i % 2)]), "n": pa.array([i], pa.int64())})
        write_deltalake(path, t, partition_by=["p"], mode="append", commit_properties=txns(("app-a", i)))
    DeltaTable(path).create_checkpoint()  # at version 3
    log = os.path.join(path, "_delta_log")
    classic = os.path.join(log, "%020d.checkpoint.parquet" % 3)
    actions = pq.read_table(classic)
    cut = [0, 2, 4, actions.num_rows]
    for k in range(3):
        part = os.path.join(log, "%020d.checkpoint.%010d.%010d.parquet" % (3, k + 1, 3))
        pq.write_table(actions.slice(cut[k], cut[k + 1] - cut[k]), part)
    os.remove(classic)
    with open(os.path.join(log, "_last_checkpoint"), "w") as f:
        f.write('{"version":3,"size":%d,"parts":3}' % actions.num_rows)
    write_deltalake(path, pa.table({"p": pa.array(["k9"]), "n": pa.array([9], pa.int64())}), mode="append")


def nan_stats(root):
    path = os.path.join(root, "nan_stats")
    write_deltalake(path, pa.table({"x": pa.array([float("nan"), 1.0, float("inf")])}))
    report(root, "nan_stats")
    # Version 0 again as a checkpoint, with statistics as a struct holding NaN and infinity.
    dt = DeltaTable(path)
    add = dt.get_add_actions(flatten=False)
    add = pa.table(add) if not isinstance(add, pa.Table) else add
    meta, proto = dt.metadata(), dt.protocol()
    strmap = pa.map_(pa.string(), pa.string())
    schema = pa.schema([
        ("protocol", pa.struct([("minReaderVersion", pa.int32()), ("minWriterVersion", pa.int32())])),
        ("metaData", pa.struct([
            ("id", pa.string()),
            ("format", pa.struct([("provider", pa.string()), ("options", strmap)])),
            ("schemaString", pa.string()), ("partitionColumns", pa.list_(pa.string())),
            ("configuration", strmap), ("createdTime", pa.int64())])),
        ("add", pa.struct([
            ("path", pa.string()), ("partitionValues", strmap), ("size", pa.int64()),
            ("modificationTime", pa.int64()), ("dataChange", pa.bool_()), ("stats", pa.string()),
            ("stats_parsed", pa.struct([("minValues", pa.struct([("x", pa.float64())])),
                                        ("maxValues", pa.struct([("x", pa.float64())]))]))])),
    ])
    rows = [
        {"protocol": {"minReaderVersion": proto.min_reader_version, "minWriterVersion": proto.min_writer_version}},
        {"metaData": {"id": meta.id, "format": {"provider": "parquet", "options": []},
                      "schemaString": dt.schema().to_json(), "partitionColumns": [], "configuration": [],
                      "createdTime": meta.created_time}},
    ]
    for a in add.to_pylist():
        rows.append({"add": {"path": a["path"], "partitionValues": [], "size": a["size_bytes"],
                             "modificationTime": 0, "dataChange": True, "stats": None,
                             "stats_parsed": {"minValues": {"x": float("nan")}, "maxValues": {"x": float("inf")}}}})
    pq.write_table(pa.Table.from_pylist(rows, schema=schema),
                   os.path.join(path, "_delta_log", "%020d.checkpoint.parquet" % 0))


def broken(root):
    for name in ("corrupt", "gap"):
        shutil.copytree(os.path.join(root, "appends"), os.path.join(root, name))
    v1 = os.path.join(root, "corrupt", "_delta_log", "%020d.json" % 1)
    with open(v1, "rb") as f:
        text = f.read()
    with open(v1, "wb") as f:
        f.write(text[: len(text) // 2])  # a writer cut off mid-commit
    os.remove(os.path.join(root, "gap", "_delta_log", "%020d.json" % 1))
    shutil.copytree(os.path.join(root, "checkpointed"), os.path.join(root, "bad_checkpoint"))
    with open(os.path.join(root, "bad_checkpoint", "_delta_log", "%020d.checkpoint.parquet" % 4), "r+b") as f:
        f.truncate(100)


def main():
    root = sys.argv[1]
    appends(root)
    report(root, "appends")
    report(root, "appends", 1)
    partitioned(root)
    report(root, "partitioned")
    overwrite(root)
    report(root, "overwrite")
    report(root, "overwrite", 1)
    checkpointed(root)
    report(root, "checkpointed")
    report(root, "checkpointed", 2)
    report(root, "checkpointed", 4)
    report(root, "checkpointed", 5)
    multipart(root)
    report(root, "multipart")
    nan_stats(root)
    broken(root)


if __name__ == "__main__":
    main()
    # deltalake's runtime threads can abort the interpreter's ordinary exit
    # ("terminate called without an active exception"): leave at once.
    sys.stdout.flush()
    os._exit(0)
