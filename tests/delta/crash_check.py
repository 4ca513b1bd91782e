# SPDX-License-Identifier: MIT
"""Checks a Delta table after a writer was killed (kill -9 between its data
files and its commit, or during the commit), with readers independent of
lakeorm: pyarrow's file systems for the log and the files, deltalake for the
table.

Usage: crash_check.py TABLE [--endpoint URL] [--rows N] [--absent ID]...
                            [--present ID]... [--orphans N]
  TABLE      a folder, or s3://bucket/path on the S3 server at --endpoint
             (the tests' MinIO: user lakeorm, secret lakeorm-secret)
  --rows     the table reads exactly N rows
  --absent   no row has this _ingest_id (the killed request's)
  --present  some row has this _ingest_id (a request that committed)
  --orphans  exactly N data files lie under the table unreferenced by its
             current version (the killed request's files, before vacuum)

Always checked: the log's versions run without a gap from 0 (or from its
first checkpoint) to the newest, every entry is whole (each line one JSON
object holding one action), every file the current version reads exists,
and deltalake reads the table at that newest version. Exits 0 when every
check holds, 1 naming the first that does not.
"""
import argparse
import json
import re
import sys
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.fs as pafs

ENTRY = re.compile(r"^(\d{20})\.json$")
CHECKPOINT = re.compile(r"^(\d{20})\.checkpoint(\.\d+\.\d+)?\.parquet$")
ACTIONS = {"add", "remove", "metaData", "protocol", "txn", "commitInfo", "cdc", "domainMetadata",
           "checkpointMetadata", "sidecar"}


class Failed(Exception):
    pass


def store(table, endpoint):
    """The file system and the table's path in it."""
    if table.startswith("s3://"):
        fs = pafs.S3FileSystem(access_key="lakeorm", secret_key="lakeorm-secret", region="us-east-1",
                               endpoint_override=endpoint, scheme="http" if endpoint.startswith("http:") else "https")
        return fs, table[len("s3://"):].rstrip("/")
    return pafs.LocalFileSystem(), table.rstrip("/")


def check_log(fs, root):
    """The newest version, after checking that every entry from the first
    checkpoint (or 0) on is present and whole."""
    names = [info.base_name for info in fs.get_file_info(pafs.FileSelector(f"{root}/_delta_log"))]
    versions = sorted(int(m.group(1)) for m in map(ENTRY.match, names) if m)
    checkpoints = sorted(int(m.group(1)) for m in map(CHECKPOINT.match, names) if m)
    if not versions:
        raise Failed("the log holds no commit")
    start = checkpoints[0] + 1 if checkpoints else 0
    expected = list(range(start, versions[-1] + 1))
    missing = sorted(set(expected) - set(versions))
    if missing:
        raise Failed(f"the log misses versions {missing}")
    for v in expected:
        with fs.open_input_stream(f"{root}/_delta_log/{v:020d}.json") as f:
            text = f.read().decode("utf-8")
        for n, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                action = json.loads(line)
            except ValueError as e:
                raise Failed(f"version {v}, line {n} is not whole JSON: {e}")
            if not isinstance(action, dict) or len(action) != 1 or not set(action) <= ACTIONS:
                raise Failed(f"version {v}, line {n} is not one action: {line[:120]}")
    return versions[-1]


def data_files(fs, root):
    """Every object under the table that is data by Delta's rule: no part of
    its path below the table starts with '_' or '.'."""
    found = []
    for info in fs.get_file_info(pafs.FileSelector(root, recursive=True)):
        if info.type != pafs.FileType.File:
            continue
        rel = info.path[len(root) + 1:]
        if not any(part.startswith(("_", ".")) for part in rel.split("/")):
            found.append(rel)
    return found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("table")
    p.add_argument("--endpoint")
    p.add_argument("--rows", type=int)
    p.add_argument("--absent", action="append", default=[])
    p.add_argument("--present", action="append", default=[])
    p.add_argument("--orphans", type=int)
    a = p.parse_args()

    from deltalake import DeltaTable

    fs, root = store(a.table, a.endpoint)
    head = check_log(fs, root)
    options = None
    if a.endpoint:
        options = {"AWS_ENDPOINT_URL": a.endpoint, "AWS_ACCESS_KEY_ID": "lakeorm",
                   "AWS_SECRET_ACCESS_KEY": "lakeorm-secret", "AWS_REGION": "us-east-1", "AWS_ALLOW_HTTP": "true"}
    dt = DeltaTable(a.table, storage_options=options)
    if dt.version() != head:
        raise Failed(f"deltalake reads version {dt.version()}, the log's newest is {head}")
    live = set()
    for action in pa.table(dt.get_add_actions(flatten=True)).to_pylist():
        rel = unquote(action["path"])
        live.add(rel)
        if fs.get_file_info(f"{root}/{rel}").type != pafs.FileType.File:
            raise Failed(f"version {head} reads {rel}, which is missing")
    rows = dt.to_pyarrow_table()
    if a.rows is not None and rows.num_rows != a.rows:
        raise Failed(f"{rows.num_rows} rows, expected {a.rows}")
    ingest = set(rows.column("_ingest_id").to_pylist()) if a.absent or a.present else set()
    for i in a.absent:
        if i in ingest:
            raise Failed(f"rows of {i} are in the table")
    for i in a.present:
        if i not in ingest:
            raise Failed(f"no row of {i} is in the table")
    orphans = [f for f in data_files(fs, root) if f not in live]
    if a.orphans is not None and len(orphans) != a.orphans:
        raise Failed(f"{len(orphans)} unreferenced data files, expected {a.orphans}: {orphans}")
    print(f"version {head}: {rows.num_rows} rows, {len(live)} files, {len(orphans)} unreferenced")


if __name__ == "__main__":
    try:
        main()
        status = 0
    except Failed as e:
        print(f"crash_check: {e}", file=sys.stderr)
        status = 1
    # deltalake's runtime threads can abort the interpreter's ordinary exit.
    sys.stdout.flush()
    sys.stderr.flush()
    import os

    os._exit(status)
