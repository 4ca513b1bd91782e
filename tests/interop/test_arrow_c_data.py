# SPDX-License-Identifier: MIT
"""The Arrow C Data Interface against pyarrow, through the built liblakeorm
loaded with ctypes: query results streamed out (lake_client_query_arrow) read
by pyarrow value by value; pyarrow data (string_view, dictionaries, decimals,
zoned timestamps of every unit, nested types) imported by lake_arrow_import
and exported back (lake_arrow_export) equal to what went in; values that do
not fit are issues with the JSON decoder's rules and paths."""
import ctypes
import datetime
import decimal
import json
import os
import uuid

import pyarrow as pa
import pytest

UTC = datetime.timezone.utc


class LakeError(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char * 512), ("issues", ctypes.c_void_p),
                ("kind", ctypes.c_int), ("engine_class", ctypes.c_char * 96), ("sqlstate", ctypes.c_char * 6)]


class LakeSource(ctypes.Structure):
    _fields_ = [("sql", ctypes.c_char_p), ("params", ctypes.c_void_p), ("nparams", ctypes.c_size_t),
                ("table", ctypes.c_char_p)]


P = ctypes.c_void_p
SIGNATURES = {
    "lake_client_open": (ctypes.c_int, [ctypes.POINTER(P), P, ctypes.POINTER(LakeError)]),
    "lake_client_close": (None, [P]),
    "lake_client_query_arrow": (ctypes.c_int, [P, ctypes.POINTER(LakeSource), P, ctypes.POINTER(LakeError)]),
    "lake_schema_parse": (ctypes.c_int, [ctypes.POINTER(P), ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(LakeError)]),
    "lake_schema_free": (None, [P]),
    "lake_arena_new": (ctypes.c_int, [ctypes.POINTER(P)]),
    "lake_arena_free": (None, [P]),
    "lake_arrow_import": (ctypes.c_int, [P, P, P, ctypes.c_size_t, P, ctypes.POINTER(P), ctypes.POINTER(ctypes.c_size_t),
                                         ctypes.POINTER(LakeError)]),
    "lake_arrow_export": (ctypes.c_int, [P, P, ctypes.c_size_t, P, ctypes.POINTER(LakeError)]),
    "lake_arrow_export_schema": (ctypes.c_int, [P, P, ctypes.POINTER(LakeError)]),
    "lake_issues_to_json": (ctypes.c_int, [P, ctypes.c_size_t, ctypes.c_size_t, ctypes.POINTER(P),
                                           ctypes.POINTER(ctypes.c_size_t)]),
    "lake_issues_count": (ctypes.c_size_t, [P]),
    "lake_free": (None, [P]),
    "lake_error_clear": (None, [ctypes.POINTER(LakeError)]),
}


@pytest.fixture(scope="module")
def lib(tools):
    lake = ctypes.CDLL(os.path.join(tools, "liblakeorm.so"))
    for name, (res, args) in SIGNATURES.items():
        fn = getattr(lake, name)
        fn.restype, fn.argtypes = res, args
    return lake


@pytest.fixture(scope="module")
def client(lib):
    c, err = P(), LakeError()
    assert lib.lake_client_open(ctypes.byref(c), None, ctypes.byref(err)) == 0, err.message
    yield c
    lib.lake_client_close(c)


def query(lib, client, sql):
    """The query's rows as a pyarrow Table, through an ArrowArrayStream."""
    stream = (ctypes.c_uint8 * 40)()
    err = LakeError()
    src = LakeSource(sql.encode(), None, 0, None)
    rc = lib.lake_client_query_arrow(client, ctypes.byref(src), ctypes.addressof(stream), ctypes.byref(err))
    assert rc == 0, err.message
    return pa.RecordBatchReader._import_from_c(ctypes.addressof(stream)).read_all()


def test_query_results_read_by_pyarrow_value_by_value(lib, client):
    t = query(lib, client, """
        SELECT i, i % 2 = 0 AS b, i::TINYINT AS i8, i::SMALLINT AS i16, i::INTEGER AS i32, i * 1e10::BIGINT AS i64,
               i / 4 ::FLOAT AS f32, i / 8 ::DOUBLE AS f64, 'caf' || chr(233) || i AS s, ('\\xAA\\x00'::BLOB) AS raw,
               TIMESTAMPTZ '2024-03-05 12:34:56.123456+00' + INTERVAL (i) DAY AS at,
               DATE '1969-12-31' + i::INT AS day, (i + 0.05)::DECIMAL(18,2) AS amount,
               '0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f'::UUID AS id,
               CASE WHEN i = 1 THEN NULL ELSE [i, NULL] END AS l, {'x': i, 'y': 'v' || i} AS st,
               MAP {'k': i} AS m, [[i], []] AS ll
        FROM range(3) r(i) ORDER BY i""")
    assert str(t.schema.field("i").type) == "int64"
    assert t.schema.field("b").type == pa.bool_()
    assert t.schema.field("i8").type == pa.int8()
    assert t.schema.field("i16").type == pa.int16()
    assert t.schema.field("i32").type == pa.int32()
    assert t.schema.field("f32").type == pa.float32()
    assert t.schema.field("f64").type == pa.float64()
    assert t.schema.field("s").type == pa.string()
    assert t.schema.field("raw").type == pa.binary()
    assert t.schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert t.schema.field("day").type == pa.date32()
    assert t.schema.field("amount").type == pa.decimal128(18, 2)
    assert t.schema.field("id").type.extension_name == "arrow.uuid"
    assert t.schema.field("l").type.value_type == pa.int64()
    assert t.schema.field("st").type == pa.struct([("x", pa.int64()), ("y", pa.string())])
    assert t.schema.field("m").type.key_type == pa.string()
    rows = t.to_pylist()
    assert [r["i"] for r in rows] == [0, 1, 2]
    assert [r["b"] for r in rows] == [True, False, True]
    assert [r["i64"] for r in rows] == [0, 10**10, 2 * 10**10]
    assert [r["f32"] for r in rows] == [0.0, 0.25, 0.5]
    assert [r["f64"] for r in rows] == [0.0, 0.125, 0.25]
    assert rows[1]["s"] == "caf\u00e91"
    assert rows[0]["raw"] == b"\xaa\x00"
    assert rows[2]["at"] == datetime.datetime(2024, 3, 7, 12, 34, 56, 123456, tzinfo=UTC)
    assert rows[0]["day"] == datetime.date(1969, 12, 31)
    assert rows[2]["amount"] == decimal.Decimal("2.05")
    assert rows[0]["id"] == uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f")
    assert [r["l"] for r in rows] == [[0, None], None, [2, None]]
    assert rows[2]["st"] == {"x": 2, "y": "v2"}
    assert rows[1]["m"] == [("k", 1)]
    assert rows[1]["ll"] == [[1], []]
    t.validate(full=True)


def test_query_results_stream_in_batches(lib, client):
    t = query(lib, client, "SELECT i, repeat('x', 10) AS s FROM range(150000) r(i)")
    assert t.num_rows == 150000
    assert [len(b) for b in t.to_batches()] == [65536, 65536, 18928]
    assert sum(t.column("i").to_pylist()) == 149999 * 150000 // 2


class Imported:
    def __init__(self, rc, err, table):
        self.rc, self.err, self.table = rc, err, table


def import_batch(lib, schema_json, batch):
    """pyarrow's batch into records of the schema, exported back to pyarrow."""
    err = LakeError()
    schema, arena = P(), P()
    text = json.dumps({"table": "t", "fields": schema_json}).encode()
    assert lib.lake_schema_parse(ctypes.byref(schema), text, len(text), ctypes.byref(err)) == 0, err.message
    assert lib.lake_arena_new(ctypes.byref(arena)) == 0
    c_schema, c_array = (ctypes.c_uint8 * 72)(), (ctypes.c_uint8 * 80)()
    batch._export_to_c(ctypes.addressof(c_array), ctypes.addressof(c_schema))
    records, count = P(), ctypes.c_size_t()
    rc = lib.lake_arrow_import(schema, ctypes.addressof(c_schema), ctypes.addressof(c_array), 100, arena,
                               ctypes.byref(records), ctypes.byref(count), ctypes.byref(err))
    issues = []
    if rc == -5:
        out, n = P(), ctypes.c_size_t()
        lib.lake_issues_to_json(err.issues, 0, lib.lake_issues_count(err.issues), ctypes.byref(out), ctypes.byref(n))
        issues = json.loads(ctypes.string_at(out, n.value))
        lib.lake_free(out)
    table = None
    if records:
        out_schema, out_array = (ctypes.c_uint8 * 72)(), (ctypes.c_uint8 * 80)()
        e2 = LakeError()
        assert lib.lake_arrow_export_schema(schema, ctypes.addressof(out_schema), ctypes.byref(e2)) == 0
        assert lib.lake_arrow_export(schema, records, count.value, ctypes.addressof(out_array), ctypes.byref(e2)) == 0
        table = pa.RecordBatch._import_from_c(ctypes.addressof(out_array), ctypes.addressof(out_schema))
    message = err.message.decode()
    lib.lake_free(records)
    # the records borrowed pyarrow's buffers until now: give them back
    pa.RecordBatch._import_from_c(ctypes.addressof(c_array), ctypes.addressof(c_schema))
    lib.lake_error_clear(ctypes.byref(err))
    lib.lake_arena_free(arena)
    lib.lake_schema_free(schema)
    return Imported(rc, {"message": message, "issues": issues}, table)


def test_pyarrow_data_imports_zero_copy_and_exports_back(lib):
    ts = [datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), None, datetime.datetime(1960, 1, 1, tzinfo=UTC)]
    batch = pa.record_batch({
        "name": pa.array(["short", "a string longer than twelve bytes", None], pa.string_view()),
        "cat": pa.array(["red", "blue", "red"]).dictionary_encode(),
        "amount": pa.array([decimal.Decimal("1.5"), decimal.Decimal("-0.25"), None], pa.decimal128(10, 2)),
        "at_ns": pa.array(ts, pa.timestamp("ns", tz="America/New_York")),
        "at_ms": pa.array([datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)] * 3, pa.timestamp("ms", tz="UTC")),
        "small": pa.array([1, 2, 255], pa.uint8()),
        "big": pa.array(["x", "y", "z"], pa.large_string()),
        "day": pa.array([datetime.date(2024, 2, 29)] * 3, pa.date32()),
        "id": pa.array([uuid.UUID(int=7).bytes] * 3, pa.binary(16)),
        "items": pa.array([[{"sku": "a", "qty": 1}], [], None],
                          pa.list_(pa.struct([("sku", pa.string()), ("qty", pa.int32())]))),
        "attrs": pa.array([[("k", "v")], [], [("a", None)]], pa.map_(pa.string(), pa.string())),
        "grid": pa.array([[[1, 2], [3]], [], [[4]]], pa.large_list(pa.list_(pa.int16()))),
        "fixed": pa.array([[1, 2], [3, 4], [5, 6]], pa.list_(pa.int32(), 2)),
        "doc": pa.array(['{ "a" : [1, 2] }', "null", None], pa.string()),
        "spot": pa.array([{"x": 1.5}, None, {"x": None}], pa.struct([("x", pa.float64())])),
    }).slice(0, 3)
    schema = [
        {"tag": "name,nullable", "type": "string"}, {"tag": "cat", "type": "string"},
        {"tag": "amount,nullable", "type": "decimal(12,3)"}, {"tag": "at_ns,nullable", "type": "timestamp"},
        {"tag": "at_ms", "type": "timestamp"}, {"tag": "small", "type": "int16"}, {"tag": "big", "type": "string"},
        {"tag": "day", "type": "date"}, {"tag": "id", "type": "uuid"},
        {"tag": "items,nullable", "type": "list<struct>", "fields": [
            {"tag": "sku", "type": "string"}, {"tag": "qty", "type": "int64"}]},
        {"tag": "attrs", "type": "map<string,string?>"}, {"tag": "grid", "type": "list<list<int32>>"},
        {"tag": "fixed", "type": "list<int32>"}, {"tag": "doc,nullable", "type": "json"},
        {"tag": "spot,nullable", "type": "struct", "fields": [{"tag": "x,nullable", "type": "float64"}]},
    ]
    got = import_batch(lib, schema, batch)
    assert got.rc == 0, got.err
    t = got.table
    assert t.schema.field("amount").type == pa.decimal128(12, 3)
    assert t.schema.field("at_ns").type == pa.timestamp("us", tz="UTC")
    rows = t.to_pylist()
    assert [r["name"] for r in rows] == ["short", "a string longer than twelve bytes", None]
    assert [r["cat"] for r in rows] == ["red", "blue", "red"]
    assert [r["amount"] for r in rows] == [decimal.Decimal("1.500"), decimal.Decimal("-0.250"), None]
    assert [r["at_ns"] for r in rows] == ts
    assert rows[0]["at_ms"] == datetime.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert [r["small"] for r in rows] == [1, 2, 255]
    assert [r["big"] for r in rows] == ["x", "y", "z"]
    assert rows[0]["day"] == datetime.date(2024, 2, 29)
    assert rows[0]["id"] == uuid.UUID(int=7)
    assert [r["items"] for r in rows] == [[{"sku": "a", "qty": 1}], [], None]
    assert [r["attrs"] for r in rows] == [[("k", "v")], [], [("a", None)]]
    assert [r["grid"] for r in rows] == [[[1, 2], [3]], [], [[4]]]
    assert [r["fixed"] for r in rows] == [[1, 2], [3, 4], [5, 6]]
    assert [r["doc"] for r in rows] == ['{"a":[1,2]}', "null", None]
    assert [r["spot"] for r in rows] == [{"x": 1.5}, None, {"x": None}]


def test_values_that_do_not_fit_are_issues_at_their_paths(lib):
    batch = pa.record_batch({
        "n": pa.array([1, 300, None], pa.int64()),
        "at": pa.array([1000, 1001, 2000], pa.timestamp("ns", tz="UTC")),
        "tags": pa.array([[("a", 1), ("a", 2)], [], []], pa.map_(pa.string(), pa.int32())),
        "u": pa.array(["0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", "nope", "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"]),
    })
    schema = [{"tag": "n", "type": "int8"}, {"tag": "at", "type": "timestamp"},
              {"tag": "tags", "type": "map<string,int32>"}, {"tag": "u", "type": "uuid"}]
    got = import_batch(lib, schema, batch)
    assert got.rc == -5
    issues = sorted((i["record"], i["path"], i["rule"]) for i in got.err["issues"])
    assert issues == [(100, "/tags/a", "duplicate_key"), (101, "/at", "range"), (101, "/n", "range"),
                      (101, "/u", "format"), (102, "/n", "null")]
    assert got.table.column("n").to_pylist() == [1, 0, 0]


def test_schema_problems_name_the_column(lib):
    naive = pa.record_batch({"at": pa.array([1], pa.timestamp("us"))})
    got = import_batch(lib, [{"tag": "at", "type": "timestamp"}], naive)
    assert got.rc == -4 and "time zone" in got.err["message"]
    extra = pa.record_batch({"a": pa.array([1]), "b": pa.array([2])})
    got = import_batch(lib, [{"tag": "a", "type": "int64"}], extra)
    assert got.rc == -4 and '"b" names no column' in got.err["message"]
