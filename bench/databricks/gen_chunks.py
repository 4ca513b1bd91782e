# SPDX-License-Identifier: MIT
"""Writes ROWS rows as the chunks a SQL warehouse serves for an ARROW_STREAM
result: one Arrow IPC stream per chunk (CHUNK rows each), Spark's types
(Databricks results carry int64, utf8, decimal128, timestamp[us, UTC],
date32, double, bool). Usage: gen_chunks.py ROWS CHUNK_ROWS DIR"""
import datetime as dt
import decimal
import os
import sys

import pyarrow as pa

rows, chunk, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
for name in os.listdir(out):
    os.unlink(os.path.join(out, name))
schema = pa.schema([
    ("id", pa.int64()), ("tenant", pa.string()), ("product", pa.string()),
    ("amount", pa.decimal128(12, 2)), ("at", pa.timestamp("us", tz="UTC")), ("day", pa.date32()),
    ("score", pa.float64()), ("paid", pa.bool_()), ("note", pa.string()),
])
epoch = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
for first in range(0, rows, chunk):
    ids = range(first, min(first + chunk, rows))
    table = pa.table({
        "id": list(ids),
        "tenant": [f"tenant-{i % 97}" for i in ids],
        "product": [f"product-{i % 1013}" for i in ids],
        "amount": [None if i % 11 == 0 else decimal.Decimal(i % 100000) / 100 for i in ids],
        "at": [epoch + dt.timedelta(microseconds=i * 1000003) for i in ids],
        "day": [dt.date(2024, 1, 1) + dt.timedelta(days=i % 365) for i in ids],
        "score": [i / 7.0 for i in ids],
        "paid": [i % 3 == 0 for i in ids],
        "note": [None if i % 2 else f"note {i}" for i in ids],
    }, schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as w:
        w.write_table(table, max_chunksize=8192)
    with open(os.path.join(out, f"chunk_{first // chunk:04d}.arrows"), "wb") as f:
        f.write(sink.getvalue().to_pybytes())
