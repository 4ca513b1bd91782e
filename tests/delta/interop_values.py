# SPDX-License-Identifier: MIT
"""What an independent reader must give back for a row of the every-type
table (tests/cli/every_type.py): the NDJSON row turned into the Python values
pyarrow's to_pylist, DuckDB's Arrow results and Spark's collect produce, and
a reader's row normalized (timestamps in UTC, UUIDs lower case, maps as
(key, value) lists, Spark's Rows as dicts). Used by the Delta proof suites.
"""
import base64
import datetime
import decimal
import struct
import uuid

UTC = datetime.timezone.utc


def f32(v):
    """v rounded to the nearest float32, as a float32 column holds it."""
    return struct.unpack("<f", struct.pack("<f", v))[0]


def timestamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def every_expected(r):
    """One NDJSON row of every_type.py as a reader's Python values."""
    def opt(v, f):
        return None if v is None else f(v)
    return {
        "n": r["n"], "i8": r.get("i8"), "i16": r.get("i16"), "i32": r.get("i32"), "i64": r.get("i64"),
        "f32": opt(r.get("f32"), f32), "f64": r.get("f64"),
        "dec": opt(r.get("dec"), decimal.Decimal), "money": opt(r.get("money"), decimal.Decimal),
        "flag": r.get("flag"), "s": r.get("s"), "b": opt(r.get("b"), base64.b64decode),
        "u": opt(r.get("u"), lambda u: str(uuid.UUID(u))), "k": r.get("k"),
        "d": opt(r.get("d"), datetime.date.fromisoformat), "ts": opt(r.get("ts"), timestamp),
        "st": r["st"], "tags": r.get("tags"), "attrs": opt(r.get("attrs"), lambda m: list(m.items())),
        "ship": r.get("ship"), "items": r["items"],
    }


def plain(v):
    """Spark's Rows, bytearrays and maps (dicts) as plain values."""
    if hasattr(v, "asDict"):
        return {k: plain(x) for k, x in v.asDict(recursive=False).items()}
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    return v


def normalized(row):
    """A reader's every-type row in every_expected's terms."""
    out = plain(row)
    ts = out.get("ts")
    if ts is not None:
        out["ts"] = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)  # Spark: naive, in UTC
    if out.get("u") is not None:
        out["u"] = out["u"].lower()
    attrs = out.get("attrs")
    if attrs is not None:
        out["attrs"] = list(attrs.items()) if isinstance(attrs, dict) else [tuple(kv) for kv in attrs]
    return out


def first_mismatch(got, want, key="n"):
    """Where two lists of rows first differ, for a failure message."""
    for g, w in zip(got, want):
        if g != w:
            cols = [k for k in w if g.get(k) != w[k]]
            return f"row {key}={w.get(key, w.get('id'))}: {[(k, g.get(k), w[k]) for k in cols][:3]}"
    return f"{len(got)} rows read, {len(want)} expected"
