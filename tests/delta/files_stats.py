# SPDX-License-Identifier: MIT
"""Statistics next to deltalake's: files_stats.py <warehouse> gen|check.

gen writes <warehouse>/rows.ndjson, rows of test_stats.c's `wide` model in
lakeorm's JSON. check reads the files lakeorm wrote (manifest.json), checks
their values against the rows, writes the same rows with deltalake, and
compares each partition's stats with deltalake's. Where Spark and delta-rs
differ lakeorm writes Spark's form, and check allows exactly these
differences: no min/max for booleans (Spark's data skipping leaves them
out); strings cut to 32 characters (delta-rs cuts at 64 bytes); a NULL
count for list and map columns as a whole (delta-rs writes none);
float32 bounds as the float's shortest text (delta-rs widens to double)."""
import base64
import datetime as dt
import decimal
import json
import math
import os
import shutil
import sys
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import deltalake

warehouse, mode = sys.argv[1], sys.argv[2]
UTC = dt.timezone.utc

LONG_A = "a" * 40
LONG_E = "\u00e9" * 40
SUPER = "x" * 31 + "\U0001F600" + "tail"


def rows():
    out = []
    for i in range(60):
        part = ["p1", "p2", None][i % 3]
        r = {"id": i, "part": part}
        if part != "p2" or i % 2:  # p2's even rows leave every optional column NULL
            r.update({
                "i8": (i * 7) % 256 - 128, "i16": -i * 300, "i32": i * 100000 - 3000000,
                "i64": (i - 30) * 10**15, "f32": i / 8 - 3.3, "f64": -i / 3 if i % 5 else 0.0,
                "b": i % 4 == 1, "s": [LONG_A, LONG_E, SUPER, "zz" + str(i), ""][i % 5],
                "bin": base64.b64encode(bytes([i, 255 - i])).decode(),
                "ts": dt.datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC) + dt.timedelta(seconds=i * 3601, microseconds=i * 777),
                "d": dt.date(1999, 12, 31) + dt.timedelta(days=i * 40),
                "dec": decimal.Decimal(i * 137 - 4000).scaleb(-2),
                "dec38": decimal.Decimal((i - 29) * 10**30 + i).scaleb(-2),
                "uid": str(uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % (1 << 128))),
                "l": [i, -i] if i % 4 else ([] if i % 8 else None),
                "m": {"k": i} if i % 5 else None,
                "st": None if i % 7 == 3 else {
                    "x": i if i % 2 else None, "y": "y" + str(i % 10),
                    "z": None if i % 3 == 1 else {"w": i * 1.5 if i % 4 else None},
                    "tags": ["t" + str(i)] if i % 6 else None,
                },
            })
        out.append(r)
    return out


def as_json(r):
    j = dict(r)
    for k in ("ts",):
        if k in j:
            j[k] = j[k].isoformat().replace("+00:00", "Z")
    if "d" in j:
        j["d"] = j["d"].isoformat()
    for k in ("dec", "dec38"):
        if k in j:
            j[k] = str(j[k])
    if j.get("m") is not None:
        j["m"] = dict(j["m"])
    return json.dumps({k: v for k, v in j.items() if v is not None})


inner = pa.struct([("w", pa.float64())])
outer = pa.struct([("x", pa.int32()), ("y", pa.string()), ("z", inner), ("tags", pa.list_(pa.string()))])
SCHEMA = pa.schema([
    ("id", pa.int64()), ("i8", pa.int8()), ("i16", pa.int16()), ("i32", pa.int32()), ("i64", pa.int64()),
    ("f32", pa.float32()), ("f64", pa.float64()), ("b", pa.bool_()), ("s", pa.string()), ("bin", pa.binary()),
    ("ts", pa.timestamp("us", tz="UTC")), ("d", pa.date32()), ("dec", pa.decimal128(10, 2)),
    ("dec38", pa.decimal128(38, 2)), ("uid", pa.string()), ("l", pa.list_(pa.int64())),
    ("m", pa.map_(pa.string(), pa.int64())), ("st", outer), ("part", pa.string()),
])


def arrow_rows():
    cols = {f.name: [] for f in SCHEMA}
    for r in rows():
        for f in SCHEMA:
            v = r.get(f.name)
            if f.name == "bin" and v is not None:
                v = base64.b64decode(v)
            if f.name == "m" and v is not None:
                v = list(v.items())
            cols[f.name].append(v)
    return pa.table(cols, schema=SCHEMA)


if mode == "gen":
    with open(f"{warehouse}/rows.ndjson", "w") as f:
        for r in rows():
            f.write(as_json(r) + "\n")
    sys.exit(0)

want = arrow_rows()
ours = {e["partitionValues"]["part"]: e for e in json.load(open(f"{warehouse}/manifest.json"))}
assert set(ours) == {"p1", "p2", None}, ours.keys()

# Values: each file holds its partition's rows, in order, the partition column left out.
for part, e in ours.items():
    got = pq.read_table(f"{warehouse}/t/{e['path']}")
    assert got.column_names == [n for n in SCHEMA.names if n != "part"] + ["_ingest_id"], got.column_names
    assert set(got.column("_ingest_id").to_pylist()) == {"ing-7"}
    rows_want = [r for r in want.to_pylist() if r["part"] == part]
    rows_got = got.drop(["_ingest_id"]).to_pylist()
    for g, w in zip(rows_got, rows_want):
        w = dict(w)
        del w["part"]
        assert g == w, (part, g, w)
    assert len(rows_got) == len(rows_want) == e["rows"]

# The same rows through deltalake.
theirs_dir = f"{warehouse}/theirs"
shutil.rmtree(theirs_dir, ignore_errors=True)
deltalake.write_deltalake(theirs_dir, want, partition_by=["part"])
theirs = {}
for line in open(f"{theirs_dir}/_delta_log/00000000000000000000.json"):
    a = json.loads(line)
    if "add" in a:
        p = a["add"]["partitionValues"]["part"]
        assert p not in theirs, "one file per partition"
        theirs[p] = json.loads(a["add"]["stats"])
assert set(theirs) == set(ours)


def units(s):
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


def true_bounds(part, path):
    vals = []
    for r in want.to_pylist():
        if r["part"] != part:
            continue
        v = r
        for k in path:
            v = v.get(k) if v is not None else None
        if v is not None:
            vals.append(v)
    return vals


def check_bound(kind, ours_v, theirs_v, part, path):
    where = (part, kind, path, ours_v, theirs_v)
    if isinstance(theirs_v, str) and isinstance(ours_v, str):
        if ours_v == theirs_v:
            return
        vals = [v for v in true_bounds(part, path)]
        real = (min if kind == "minValues" else max)(vals, key=lambda s: s.encode())
        assert units(real) > 32, where  # only long strings may differ
        if kind == "minValues":
            assert real.startswith(ours_v) and units(ours_v) in (32, 33), where
        else:
            assert ours_v.encode() >= real.encode() and units(ours_v) <= 66, where
        return
    assert isinstance(ours_v, (int, float)) and isinstance(theirs_v, (int, float)), where
    assert math.isclose(ours_v, theirs_v, rel_tol=1e-6, abs_tol=0), where


def compare(kind, o, t, part, path=()):
    for k in set(o) | set(t):
        p = path + (k,)
        if k not in t:
            # Spark counts the NULLs of binary columns and of lists and maps as a whole; delta-rs does not.
            assert kind == "nullCount" and p in (("bin",), ("l",), ("m",), ("st", "tags")), (part, kind, p)
            n = 0
            for r in want.to_pylist():
                if r["part"] == part:
                    v = r
                    for key in p:
                        v = v.get(key) if v is not None else None
                    n += v is None
            assert o[k] == n, (part, p, o[k], n)
            continue
        if k not in o:
            assert kind != "nullCount" and p == ("b",), (part, kind, p)  # Spark keeps no boolean bounds
            continue
        if isinstance(t[k], dict):
            compare(kind, o[k], t[k], part, p)
        elif kind == "nullCount":
            assert o[k] == t[k], (part, p, o[k], t[k])
        else:
            check_bound(kind, o[k], t[k], part, p)


for part in ours:
    o = dict(ours[part]["stats"])
    t = theirs[part]
    assert o["numRecords"] == t["numRecords"], part
    for kind in ("minValues", "maxValues", "nullCount"):
        ok = dict(o[kind])
        assert ok.pop("_ingest_id") == ("ing-7" if kind != "nullCount" else 0)
        compare(kind, ok, t[kind], part)
print("stats match", {p: ours[p]["stats"]["numRecords"] for p in ours})

# deltalake's runtime threads can abort the interpreter's ordinary exit
# ("terminate called without an active exception"): leave at once.
sys.stdout.flush()
os._exit(0)
