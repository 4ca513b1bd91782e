# SPDX-License-Identifier: MIT
"""files_checkpoint.py <warehouse> <active files>: the table at
<warehouse>/t, whose commits before version 3 test_checkpoint.c deleted
after writing the version 3 checkpoint, loads in deltalake at version 3
with its files and rows; pyarrow reads the checkpoint's actions."""
import json
import os
import sys

import deltalake
import pyarrow.parquet as pq

warehouse, active = sys.argv[1], int(sys.argv[2])
root = f"{warehouse}/t"

last = json.load(open(f"{root}/_delta_log/_last_checkpoint"))
cp = pq.read_table(f"{root}/_delta_log/00000000000000000003.checkpoint.parquet")
assert last["version"] == 3 and last["size"] == cp.num_rows and last["numOfAddFiles"] == active, last
rows = cp.to_pylist()
kinds = [next(k for k in ("txn", "add", "remove", "metaData", "protocol") if r[k] is not None) for r in rows]
assert kinds.count("protocol") == 1 and kinds.count("metaData") == 1 and kinds.count("txn") == 1, kinds
assert kinds.count("add") == active and kinds.count("remove") == 1, kinds  # the old tombstone is gone
meta = next(r["metaData"] for r in rows if r["metaData"])
assert meta["partitionColumns"] == ["part"] and meta["format"]["provider"] == "parquet", meta
assert dict(meta["configuration"]) == {"delta.appendOnly": "false"}, meta
removed = next(r["remove"] for r in rows if r["remove"])
assert removed["path"].startswith("part=a/") and dict(removed["partitionValues"]) == {"part": "a"}, removed
txn = next(r["txn"] for r in rows if r["txn"])
assert txn["appId"] == "loader" and txn["version"] == 5, txn

dt = deltalake.DeltaTable(root)
assert dt.version() == 3, dt.version()
adds = {r["add"]["path"] for r in rows if r["add"]}
assert set(dt.file_uris()) == {f"{root}/{p}" for p in adds}, (dt.file_uris(), adds)
got = sorted((r["id"], r["name"], r["part"]) for r in dt.to_pyarrow_table().to_pylist())
# Part a's first file (rows 0, 2, ..., 8) was removed at version 2.
want = sorted((i, f"name-{i}", "b" if i % 2 else "a") for i in range(20) if not (i < 10 and i % 2 == 0))
assert got == want, got
print("checkpoint read by deltalake at version", dt.version())

# deltalake's runtime threads can abort the interpreter's ordinary exit
# ("terminate called without an active exception"): leave at once.
sys.stdout.flush()
os._exit(0)
