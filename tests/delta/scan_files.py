# SPDX-License-Identifier: MIT
"""Parquet data files for tests/unit/delta/test_scan.c, written by pyarrow
as other Delta writers write them: every Delta type, Spark's INT96
timestamps, an older file without a column added later (and a narrower
integer type), partitioned files without their partition columns.

usage: scan_files.py <folder>"""
import datetime as dt
import decimal
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

root = sys.argv[1]
UTC = dt.timezone.utc


def write(rel, table, **kw):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, **kw)


point = pa.struct([("a", pa.int32()), ("b", pa.string())])
write("types/part-0.parquet", pa.table({
    "id": pa.array([1, 2], pa.int64()),
    "b": pa.array([True, None], pa.bool_()),
    "i8": pa.array([-8, None], pa.int8()),
    "i16": pa.array([-16, None], pa.int16()),
    "i32": pa.array([-32, None], pa.int32()),
    "i64": pa.array([-64, None], pa.int64()),
    "f32": pa.array([1.5, None], pa.float32()),
    "f64": pa.array([2.25, None], pa.float64()),
    "s": pa.array(["caf\u00e9 'q'", None], pa.string()),
    "bin": pa.array([b"\x00\x01", None], pa.binary()),
    "d": pa.array([dt.date(2024, 1, 2), None], pa.date32()),
    "ts": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), None], pa.timestamp("us", tz="UTC")),
    "tsn": pa.array([dt.datetime(2024, 1, 2, 3, 4, 5, 6), None], pa.timestamp("us")),
    "dec": pa.array([decimal.Decimal("12345678.91"), None], pa.decimal128(10, 2)),
    "st": pa.array([{"a": 7, "b": "x"}, None], point),
    "arr": pa.array([[1, None, 3], None], pa.list_(pa.int64())),
    "m": pa.array([[("k", 2.5)], None], pa.map_(pa.string(), pa.float64())),
    "deep": pa.array([[{"a": 1, "b": "y"}], []], pa.list_(point)),
}))

# Spark writes timestamps as INT96 by default, nested ones too, which DuckDB
# reads as plain TIMESTAMPs.
moment = dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
stamp = pa.timestamp("us")
write("int96/part-0.parquet", pa.table({
    "id": pa.array([1, 2], pa.int64()),
    "ts": pa.array([moment, None], stamp),
    "st": pa.array([{"t": moment, "a": 1}, None], pa.struct([("t", stamp), ("a", pa.int32())])),
    "lst": pa.array([[moment, None], None], pa.list_(stamp)),
    "mp": pa.array([[("k", moment)], None], pa.map_(pa.string(), stamp)),
}), use_deprecated_int96_timestamps=True)

# A struct that gained a timestamp field: the older file's lacks it.
write("nested/part-old.parquet", pa.table({"id": pa.array([1], pa.int64()),
                                           "s": pa.array([{"a": 1}], pa.struct([("a", pa.int64())]))}))
write("nested/part-new.parquet", pa.table({"id": pa.array([2], pa.int64()), "s": pa.array(
    [{"a": 2, "t": moment.replace(tzinfo=UTC)}], pa.struct([("a", pa.int64()), ("t", pa.timestamp("us", tz="UTC"))]))}))

# A column added after the first file; the first file's id narrower than the table's; a hostile name.
write("evolve/part-old.parquet", pa.table({"id": pa.array([1], pa.int32()), 'we"ird; --': ["old"]}))
write("evolve/part-new.parquet", pa.table({"id": pa.array([2], pa.int64()), 'we"ird; --': ["new"],
                                           "extra": pa.array([20], pa.int64())}))

# Partitioned files hold only the data columns.
for name, ids in (("day=2024-01-02/a.parquet", [1, 2]), ("day=2024-01-02/b.parquet", [3]),
                  ("day=__HIVE_DEFAULT_PARTITION__/c.parquet", [4]), ("day=2024-01-03/with space.parquet", [5])):
    write("parts/" + name, pa.table({"id": pa.array(ids, pa.int64()), "v": [f"v{i}" for i in ids]}))
