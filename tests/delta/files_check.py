# SPDX-License-Identifier: MIT
"""Reads the data files tests/unit/delta/test_files.c and test_stats.c wrote, with pyarrow:
files_check.py <warehouse> <case>. The C test wrote <warehouse>/manifest.json
(each file's path, partitionValues, rows, stats)."""
import datetime
import json
import os
import sys
import urllib.parse
import uuid

import deltalake

import pyarrow as pa
import pyarrow.parquet as pq

warehouse, case = sys.argv[1], sys.argv[2]
files = json.load(open(f"{warehouse}/manifest.json"))


def read(entry):
    t = pq.read_table(f"{warehouse}/t/{entry['path']}")
    assert t.num_rows == entry["rows"] == entry["stats"]["numRecords"], entry
    return t


def event_uid(i):
    return str(uuid.UUID(bytes=bytes((i * 16 + k) % 256 for k in range(16))))


if case == "layout":
    want = {  # id -> (region, at) as the partition values say
        1: ("a/b=c:d", "2024-01-02 03:04:05.123456"), 2: (None, "2024-01-02 03:04:05.123456"),
        3: (None, "2024-01-02 03:04:05.123456"), 4: ("plain", None),
        5: ("a/b=c:d", "2024-01-02 03:04:05.123456"), 6: ("50% {x}", "2024-01-02 03:04:05.123456"),
    }
    seen = set()
    for e in files:
        t = read(e)
        # Partition columns live in the folders only; UUIDs are strings.
        assert t.schema.names == ["id", "uid", "score", "_ingest_id"], t.schema
        assert t.schema.field("uid").type == pa.string(), t.schema
        for row in t.to_pylist():
            i = row["id"]
            seen.add(i)
            assert (e["partitionValues"]["region"], e["partitionValues"]["at"]) == want[i], (i, e)
            assert row["uid"] == event_uid(i), row
            assert row["score"] == (i / 2 if i % 3 else None), row
            assert row["_ingest_id"] == "ing-1", row
    assert seen == set(want), seen
    # deltalake reads the partition values back from a log naming the files.
    schema = {"type": "struct", "fields": [
        {"name": n, "type": t, "nullable": True, "metadata": {}}
        for n, t in (("id", "long"), ("region", "string"), ("at", "timestamp"), ("uid", "string"),
                     ("score", "double"), ("_ingest_id", "string"))]}
    os.makedirs(f"{warehouse}/t/_delta_log")
    with open(f"{warehouse}/t/_delta_log/00000000000000000000.json", "w") as log:
        log.write(json.dumps({"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}}) + "\n")
        log.write(json.dumps({"metaData": {
            "id": "00000000-0000-4000-8000-000000000000", "format": {"provider": "parquet", "options": {}},
            "schemaString": json.dumps(schema), "partitionColumns": ["region", "at"], "configuration": {},
            "createdTime": 0}}) + "\n")
        for e in files:
            log.write(json.dumps({"add": {
                "path": urllib.parse.quote(e["path"], safe="/"), "partitionValues": e["partitionValues"],
                "size": e["size"], "modificationTime": 0, "dataChange": True,
                "stats": json.dumps(e["stats"])}}) + "\n")
    at = datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)
    got = sorted((r["id"], r["region"], r["at"]) for r in deltalake.DeltaTable(f"{warehouse}/t").to_pyarrow_table().to_pylist())
    assert got == [(i, want[i][0], at if want[i][1] else None) for i in sorted(want)], got
elif case == "rolled":
    for region in ("even", "odd"):
        ids = []
        for e in sorted((e for e in files if e["partitionValues"]["region"] == region),
                        key=lambda e: e["path"]):
            ids += read(e).column("id").to_pylist()
        assert ids == [i for i in range(20000) if (i % 2 == 1) == (region == "odd")], region
elif case == "own_ingest":
    (e,) = files
    rows = read(e).to_pylist()
    assert rows == [{"id": 1, "_ingest_id": "first"}, {"id": 2, "_ingest_id": "second"},
                    {"id": 3, "_ingest_id": None}], rows
elif case == "row_groups":
    (e,) = files
    assert pq.ParquetFile(f"{warehouse}/t/{e['path']}").num_row_groups > 1
else:
    sys.exit(f"unknown case {case}")

# deltalake's runtime threads can abort the interpreter's ordinary exit
# ("terminate called without an active exception"): leave at once.
sys.stdout.flush()
os._exit(0)
