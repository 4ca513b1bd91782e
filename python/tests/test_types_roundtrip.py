# SPDX-License-Identifier: MIT
"""Every column type through DuckDB and back: inserted by both write paths,
read by query, stream and first, equal to what went in, value for value."""
import datetime as dt
import decimal
import math
import uuid

import pytest

import lakeorm
from helpers import schema_of

D = decimal.Decimal
UTC = dt.timezone.utc

ALL = schema_of(
    "everything",
    ("id,pk", "int64"),
    ("b,nullable", "bool"), ("i8,nullable", "int8"), ("i16,nullable", "int16"), ("i32,nullable", "int32"),
    ("i64,nullable", "int64"), ("f32,nullable", "float32"), ("f64,nullable", "float64"),
    ("s,nullable", "string"), ("bin,nullable", "bytes"), ("ts,nullable", "timestamp"), ("d,nullable", "date"),
    ("dec,nullable", "decimal(38,10)"), ("dec0,nullable", "decimal(38,0)"), ("dec38,nullable", "decimal(38,38)"),
    ("u,nullable", "uuid"), ("k,nullable", "sortable_id"),
    ("st,nullable", "struct", "", [("a", "string"), ("n,nullable", "int32"),
                                   ("inner,nullable", "struct", "", [("deep", "list<string>")])]),
    ("li,nullable", "list<int64>"), ("ls,nullable", "list<string?>"),
    ("lst,nullable", "list<struct>", "", [("x", "int32"), ("tags", "list<string>")]),
    ("lll,nullable", "list<list<int64>>"),
    ("m,nullable", "map<string,string>"), ("mll,nullable", "map<string,list<int64>>"),
    ("ms,nullable", "map<string,struct>", "", [("v", "decimal(10,2)")]),
    ("j,nullable", "json"),
)
COLUMNS = [c.name for c in ALL.columns]

FULL = {
    "id": 1, "b": True, "i8": -128, "i16": 32767, "i32": -2 ** 31, "i64": 2 ** 63 - 1, "f32": 1.5, "f64": -0.1,
    "s": "héllo 😀 \u2028 ✓", "bin": b"\x00\xff\x10", "ts": dt.datetime(2024, 3, 5, 12, 34, 56, 123456, tzinfo=UTC),
    "d": dt.date(2024, 2, 29), "dec": D("1234567890123456789012345678.0123456789"),
    "dec0": D("99999999999999999999999999999999999999"), "dec38": D("0.99999999999999999999999999999999999999"),
    "u": uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"), "k": "0ujtsYcgvSTl8PAuAdqWYSMnLOv",
    "st": {"a": "x", "n": None, "inner": {"deep": ["p", ""]}}, "li": [1, 2, -3], "ls": ["a", None, ""],
    "lst": [{"x": 1, "tags": []}, {"x": 2, "tags": ["t"]}], "lll": [[1, 2], [], [-(2 ** 63)]],
    "m": {"a": "b", "": "e", "ü": ""}, "mll": {"k": [1], "e": []}, "ms": {"p": {"v": D("-0.01")}},
    "j": {"z": [1, 2.5, None, True], "a": "é", "n": {}},
}
NULL_ROW = {c: None for c in COLUMNS} | {"id": 2}
EMPTY_ROW = NULL_ROW | {"id": 3, "s": "", "bin": b"", "li": [], "ls": [], "lst": [], "lll": [[]], "m": {}, "mll": {},
                        "ms": {}, "st": {"a": "", "n": 0, "inner": None}, "j": [], "dec": D("0E-10"), "f64": -0.0}
EXTREMES = NULL_ROW | {
    "id": 4, "i8": 127, "i16": -32768, "i32": 2 ** 31 - 1, "i64": -(2 ** 63), "f32": 3.4028234663852886e38,
    "f64": 1.7976931348623157e308, "ts": dt.datetime(1, 1, 1, tzinfo=UTC), "d": dt.date(1, 1, 1),
    "dec": D("-9999999999999999999999999999.9999999999"), "dec0": D("-99999999999999999999999999999999999999"),
    "dec38": D("-0.00000000000000000000000000000000000001"), "u": uuid.UUID(int=0),
    "j": "just text", "b": False}
FAR = NULL_ROW | {
    "id": 5, "ts": dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "d": dt.date(9999, 12, 31),
    "f64": 5e-324, "f32": 1.401298464324817e-45, "u": uuid.UUID(int=2 ** 128 - 1), "j": 12,
    "s": "\x00\x01 tab\t nl\n \\ \" ' 𝄞"}
BEFORE_EPOCH = NULL_ROW | {"id": 6, "ts": dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                           "d": dt.date(1969, 12, 31), "j": None}
ROWS = [FULL, NULL_ROW, EMPTY_ROW, EXTREMES, FAR, BEFORE_EPOCH]


def same(a, b):
    """Equal, with -0.0 told from 0.0 and Decimal exponents compared."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, D) and isinstance(b, D):
        return a == b and a.as_tuple().exponent == b.as_tuple().exponent
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def expected(row):
    """What a read gives back: the decimal at its column's scale."""
    out = dict(row)
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        for col, scale in (("dec", 10), ("dec0", 0), ("dec38", 38)):
            if out[col] is not None:
                out[col] = out[col].quantize(D(1).scaleb(-scale))
        if out["ms"]:
            out["ms"] = {k: {"v": v["v"].quantize(D("0.01"))} for k, v in out["ms"].items()}
    return out


@pytest.fixture(params=["direct", "staged"])
def stored(request, lake):
    lake.migrate(ALL)
    r = lake.insert(ALL, ROWS, path=request.param)
    assert (r.rows, r.inserted, r.path) == (len(ROWS), len(ROWS), request.param)
    return lake


def test_validate_returns_every_type_as_given():
    for row in ROWS:
        assert same(lakeorm.validate(ALL, row), expected(row)), row["id"]


def test_query_returns_every_row_as_inserted(stored):
    got = stored.query(ALL, "SELECT * FROM everything ORDER BY id")
    assert [g["id"] for g in got] == [1, 2, 3, 4, 5, 6]
    for g, row in zip(got, ROWS):
        assert list(g) == COLUMNS
        for col in COLUMNS:
            assert same(g[col], expected(row)[col]), (row["id"], col, g[col])


def test_timestamps_come_back_in_utc_at_microsecond_precision(stored):
    got = stored.first(ALL, "SELECT * FROM everything WHERE id = ?", [1])
    assert got["ts"].tzinfo is UTC and got["ts"].microsecond == 123456
    assert stored.first(ALL, "SELECT * FROM everything WHERE id = 6")["ts"].isoformat() == (
        "1969-12-31T23:59:59.999999+00:00")


def test_stream_and_table_reads_equal_query(stored):
    want = stored.query(ALL, "SELECT * FROM everything ORDER BY id")
    assert list(stored.stream(ALL, "SELECT * FROM everything ORDER BY id")) == want
    assert sorted(stored.query(ALL), key=lambda r: r["id"]) == want


@pytest.mark.parametrize("col, value", [
    ("i64", 2 ** 63 - 1), ("i64", -(2 ** 63)), ("dec", D("1234567890123456789012345678.0123456789")),
    ("dec", D("-0.0000000001")), ("ts", dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ("d", dt.date(1, 1, 1)), ("u", uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f")), ("bin", b"\x00\xff\x10"),
    ("s", "héllo 😀 \u2028 ✓"), ("b", True), ("i8", -128),
])
def test_typed_parameters_match_their_columns(stored, col, value):
    got = stored.query(ALL, f"SELECT * FROM everything WHERE {col} = ? ORDER BY id", [value])
    assert [g["id"] for g in got] == sorted(r["id"] for r in ROWS if r[col] == value)


def test_a_timestamp_parameter_with_an_offset_is_the_same_instant(stored):
    plus_one = dt.timezone(dt.timedelta(hours=1))
    got = stored.query(ALL, "SELECT * FROM everything WHERE ts = ?",
                       [dt.datetime(2024, 3, 5, 13, 34, 56, 123456, tzinfo=plus_one)])
    assert [g["id"] for g in got] == [1]


def test_null_parameters_and_empty_versus_null(stored):
    assert [g["id"] for g in stored.query(ALL, "SELECT * FROM everything WHERE s = ? ORDER BY id", [""])] == [3]
    assert [g["id"] for g in stored.query(ALL, "SELECT * FROM everything WHERE s IS NULL ORDER BY id")] == [2, 4, 6]
    assert [g["id"] for g in stored.query(ALL, "SELECT * FROM everything WHERE len(li) = 0")] == [3]
    assert stored.query(ALL, "SELECT * FROM everything WHERE s = ?", [None]) == []


def test_read_values_insert_back_unchanged(stored):
    again = ALL.with_table("everything_again")
    stored.migrate(again)
    rows = stored.query(ALL, "SELECT * FROM everything ORDER BY id")
    assert stored.insert(again, rows).rows == len(ROWS)
    assert stored.query(again, "SELECT * FROM everything_again ORDER BY id") == rows


def test_a_timestamp_outside_pythons_range_is_an_overflow_error(lake):
    s = schema_of("old", ("ts", "timestamp"))
    lake.migrate(s)
    lake.execute("INSERT INTO old VALUES (TIMESTAMPTZ '0001-01-01 00:00:00+00' - INTERVAL 1 DAY, NULL)")
    with pytest.raises(OverflowError, match="outside Python's datetime range"):
        lake.query(s)
