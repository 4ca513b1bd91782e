# SPDX-License-Identifier: MIT
"""Reads the data files tests/unit/delta/test_files.c wrote, with pyarrow:
files_check.py <warehouse> <case>. The C test wrote <warehouse>/manifest.json
(each file's path, partitionValues, rows, stats)."""
import json
import sys
import uuid

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
else:
    sys.exit(f"unknown case {case}")
