# SPDX-License-Identifier: MIT
"""pyarrow reading the same chunk streams into Python objects (to_pylist),
chunk by chunk as a client walks a result. Prints name=... rows=... seconds=...
(best of 3). Usage: pyarrow_peer.py DIR"""
import os
import sys
import time

import pyarrow as pa

folder = sys.argv[1]
chunks = [open(os.path.join(folder, n), "rb").read() for n in sorted(os.listdir(folder))]
best = None
for _ in range(3):
    started, rows = time.perf_counter(), 0
    for data in chunks:
        records = pa.ipc.open_stream(data).read_all().to_pylist()
        rows += len(records)
    seconds = time.perf_counter() - started
    best = seconds if best is None else min(best, seconds)
print(f"name=pyarrow-to_pylist rows={rows} seconds={best:.4f}")
