# SPDX-License-Identifier: MIT
"""The independent side of the Delta commit and vacuum tests.

Usage: commit_table.py data DIR N
         writes DIR/<i>.parquet for i in 0..N-1, each one row {id: i} (pyarrow),
         the data files the C tests commit by hand-written log entries
       commit_table.py read URI [ENDPOINT] ID...
         reads the Delta table at URI with deltalake (delta-rs) and exits 0
         when its rows' ids are exactly the IDs given, in any order; with
         ENDPOINT (http://...), URI is s3:// on that S3 server (the tests'
         MinIO)
"""
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def data(folder, n):
    for i in range(n):
        pq.write_table(pa.table({"id": pa.array([i], pa.int64())}), f"{folder}/{i}.parquet")


def read(uri, endpoint, expected):
    from deltalake import DeltaTable

    options = None
    if endpoint:
        options = {
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "lakeorm",
            "AWS_SECRET_ACCESS_KEY": "lakeorm-secret",
            "AWS_REGION": "us-east-1",
            "AWS_ALLOW_HTTP": "true",
        }
    table = DeltaTable(uri, storage_options=options)
    ids = sorted(table.to_pyarrow_table().column("id").to_pylist())
    if ids != sorted(expected):
        print(f"version {table.version()}: ids {ids}, expected {sorted(expected)}", file=sys.stderr)
        return 1
    print(f"version {table.version()}: {len(ids)} rows as expected")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "data":
        data(sys.argv[2], int(sys.argv[3]))
        sys.exit(0)
    args = sys.argv[2:]
    endpoint = args.pop(1) if len(args) > 1 and args[1].startswith("http") else None
    status = read(args[0], endpoint, [int(a) for a in args[1:]])
    # deltalake's runtime threads can abort the interpreter's ordinary exit
    # ("terminate called without an active exception"): leave at once.
    sys.stdout.flush()
    os._exit(status)
