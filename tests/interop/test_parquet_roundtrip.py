# SPDX-License-Identifier: MIT
"""Parquet files lakeorm writes, read back by pyarrow and DuckDB, value by value.

Random schemas and data go through lakeorm's own path (schema file + NDJSON ->
lake_ndjson_decode -> lake_parquet_writer); both readers must return exactly the
values and report the types, nullability and field ids the schema declares.
"""
import base64
import datetime
import decimal
import json
import math
import os
import random
import struct
import subprocess
import uuid

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

decimal.getcontext().prec = 100  # exact up to DECIMAL(38, s)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
INT_RANGES = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}
TEXT = ["", "a", "plain ascii", "caf\u00e9", "\u65e5\u672c\u8a9e", "emoji \U0001f600\U0001f680", "x" * 200,
        "tab\tand\nnewline", "quote \" backslash \\", "\u0000nul inside"]


def ksuid_text(raw):
    n = int.from_bytes(raw, "big")
    out = ""
    for _ in range(27):
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out


class Column:
    def __init__(self, rng, name, depth=0):
        self.name = name
        kinds = ["bool", "int8", "int16", "int32", "int64", "float32", "float64", "string", "bytes",
                 "timestamp", "date", "decimal", "uuid", "sortable_id"]
        if depth == 0:
            kinds.append("struct")
        self.kind = rng.choice(kinds)
        self.nullable = self.kind != "struct" and rng.random() < 0.5
        self.precision = self.scale = None
        self.children = []
        if self.kind == "decimal":
            self.precision = rng.choice([1, 5, 9, 10, 18, 19, 28, 38, rng.randint(1, 38)])
            self.scale = rng.randint(0, self.precision)
        if self.kind == "struct":
            self.children = [Column(rng, f"{name}_f{i}", depth + 1) for i in range(rng.randint(1, 3))]

    def schema(self):
        s = {"tag": self.name + (",nullable" if self.nullable else ""), "type": self.kind}
        if self.kind == "decimal":
            s["type"] = f"decimal({self.precision},{self.scale})"
        if self.children:
            s["fields"] = [c.schema() for c in self.children]
        return s

    def value(self, rng):
        """(json value, expected python value)"""
        if self.nullable and rng.random() < 0.25:
            return None, None
        k = self.kind
        if k == "bool":
            v = rng.random() < 0.5
            return v, v
        if k in INT_RANGES:
            bits = INT_RANGES[k]
            lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            v = rng.choice([lo, hi, 0, -1, 1, rng.randint(lo, hi), rng.randint(-100, 100)])
            return v, v
        if k == "float32":
            v = struct.unpack("<f", struct.pack("<f", rng.choice([0.0, -0.0, 1.5, 3.4e38, -1.17549435e-38,
                                                                  rng.uniform(-1e6, 1e6)])))[0]
            return v, v
        if k == "float64":
            v = rng.choice([0.0, -0.0, 1.7976931348623157e308, 5e-324, rng.uniform(-1e12, 1e12), 0.1])
            return v, v
        if k == "string":
            v = rng.choice(TEXT + [str(rng.random()), "".join(rng.choice("ab\u00e9\u4e2d") for _ in range(rng.randint(1, 30)))])
            return v, v
        if k == "bytes":
            v = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 5, 40])))
            return base64.b64encode(v).decode(), v
        if k == "timestamp":
            us = rng.choice([0, -1, 1, rng.randint(-62135596800_000000, 253402300799_999999),
                             rng.randint(-10**15, 10**15)])
            t = EPOCH + datetime.timedelta(microseconds=us)
            return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ").rjust(27, "0"), t
        if k == "date":
            d = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-719162, 2932896))
            return d.isoformat().rjust(10, "0"), d
        if k == "decimal":
            p, s = self.precision, self.scale
            unscaled = rng.choice([10**p - 1, -(10**p - 1), 0, rng.randint(-(10**p - 1), 10**p - 1)])
            d = decimal.Decimal(unscaled).scaleb(-s)
            text = format(d, "f")
            return (text if rng.random() < 0.5 else text), d
        if k == "uuid":
            u = uuid.UUID(int=rng.getrandbits(128))
            return str(u), u
        if k == "sortable_id":
            t = ksuid_text(bytes(rng.getrandbits(8) for _ in range(20)))
            return t, t
        if k == "struct":
            js, ex = {}, {}
            for c in self.children:
                js[c.name], ex[c.name] = c.value(rng)
            return js, ex
        raise AssertionError(k)


def make_case(rng, rows):
    cols = [Column(rng, f"c{i}") for i in range(rng.randint(1, 8))]
    schema = {"version": 1, "table": "t", "fields": [c.schema() for c in cols]}
    lines, expected = [], []
    for _ in range(rows):
        js, ex = {}, {}
        for c in cols:
            js[c.name], ex[c.name] = c.value(rng)
        lines.append(json.dumps(js, ensure_ascii=rng.random() < 0.5))
        expected.append(ex)
    return cols, schema, lines, expected


def write(tool, tmp_path, schema, lines, **opts):
    sp, dp, out = tmp_path / "schema.json", tmp_path / "data.ndjson", tmp_path / "out.parquet"
    sp.write_text(json.dumps(schema))
    dp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [tool("parquet_from_ndjson"), str(sp), str(dp), str(out)] + [f"{k}={v}" for k, v in opts.items()]
    r = subprocess.run(args, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return str(out)


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, datetime.datetime) and isinstance(b, datetime.datetime):
        return a == b
    return a == b and type(a) is type(b) or (isinstance(a, uuid.UUID) and a == b)


def normalise(v, as_string_uuid=False):
    if isinstance(v, dict):
        return {k: normalise(x, as_string_uuid) for k, x in v.items()}
    if isinstance(v, uuid.UUID) and as_string_uuid:
        return str(v)
    return v


ARROW_TYPES = {
    "bool": pa.bool_(), "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(), "int64": pa.int64(),
    "float32": pa.float32(), "float64": pa.float64(), "string": pa.string(), "bytes": pa.binary(),
    "timestamp": pa.timestamp("us", tz="UTC"), "date": pa.date32(), "sortable_id": pa.string(),
}


def check_arrow_field(field, col, uuid_as_string):
    assert field.name == col.name
    assert field.nullable == col.nullable, (col.name, field)
    if col.kind == "decimal":
        assert field.type == pa.decimal128(col.precision, col.scale), field.type
    elif col.kind == "uuid":
        assert (field.type == pa.string()) if uuid_as_string else ("uuid" in str(field.type)), field.type
    elif col.kind == "struct":
        assert pa.types.is_struct(field.type)
        for i, c in enumerate(col.children):
            check_arrow_field(field.type.field(i), c, uuid_as_string)
    else:
        assert field.type == ARROW_TYPES[col.kind], (col.name, field.type)
    assert field.metadata and b"PARQUET:field_id" in field.metadata


DUCK_TYPES = {
    "bool": "BOOLEAN", "int8": "TINYINT", "int16": "SMALLINT", "int32": "INTEGER", "int64": "BIGINT",
    "float32": "FLOAT", "float64": "DOUBLE", "string": "VARCHAR", "bytes": "BLOB",
    "timestamp": "TIMESTAMP WITH TIME ZONE", "date": "DATE", "sortable_id": "VARCHAR",
}


def duckdb_type(c, uuid_as_string):
    """The type DuckDB reports for a column: the lakeorm type table's DuckDB column."""
    if c.kind == "decimal":
        return f"DECIMAL({c.precision},{c.scale})"
    if c.kind == "uuid":
        return "VARCHAR" if uuid_as_string else "UUID"
    if c.kind == "struct":
        return "STRUCT(" + ", ".join(f"{x.name} {duckdb_type(x, uuid_as_string)}" for x in c.children) + ")"
    return DUCK_TYPES[c.kind]


CONFIGS = [
    dict(),
    dict(codec="snappy", page_bytes=512, row_group_bytes=4096, batch=7),
    dict(codec="gzip", dictionary_bytes=64, page_bytes=2048),
    dict(codec="none", uuid_as_string=1, ingest_id="0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", batch=1),
    dict(codec="zstd", level=19, row_group_bytes=1, dictionary_bytes=1),
]


def has_uuid(cols):
    return any(c.kind == "uuid" or (c.kind == "struct" and has_uuid(c.children)) for c in cols)


@pytest.mark.parametrize("seed", range(40))
def test_random_schema_round_trips(tool, tmp_path, seed, spark):
    rng = random.Random(seed)
    opts = CONFIGS[seed % len(CONFIGS)]
    cols, schema, lines, expected = make_case(rng, rng.choice([1, 10, 300, 2000]))
    path = write(tool, tmp_path, schema, lines, **opts)
    uuid_as_string = bool(opts.get("uuid_as_string"))

    table = pq.read_table(path)
    names = [c.name for c in cols] + (["_ingest_id"] if "ingest_id" in opts else [])
    assert table.schema.names == names
    for c in cols:
        check_arrow_field(table.schema.field(c.name), c, uuid_as_string)
    got = table.to_pylist()
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected)):
        for c in cols:
            want = normalise(e[c.name], uuid_as_string)
            assert same(g[c.name], want), (i, c.name, c.kind, g[c.name], want)
        if "ingest_id" in opts:
            assert g["_ingest_id"] == opts["ingest_id"]

    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    for (name, duck_type, *_), c in zip(described, cols):
        assert name == c.name
        assert duck_type == duckdb_type(c, uuid_as_string), (name, duck_type)
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
    assert len(rows) == len(expected)
    for i, (row, e) in enumerate(zip(rows, expected)):
        for k, c in enumerate(cols):
            want = normalise(e[c.name], uuid_as_string)
            assert same(row[k], want), ("duckdb", i, c.name, c.kind, row[k], want)

    # Spark 4.0 refuses Parquet's UUID type (lakeorm's Spark dialects stage UUIDs as text).
    if spark is not None and (uuid_as_string or not has_uuid(cols)):
        by_spark = spark.read.parquet(path).toArrow().to_pylist()
        assert len(by_spark) == len(expected)
        for i, (g, e) in enumerate(zip(by_spark, expected)):
            for c in cols:
                want = normalise(e[c.name], uuid_as_string)
                assert same(g[c.name], want), ("spark", i, c.name, c.kind, g[c.name], want)


def test_footer_metadata_and_statistics(tool, tmp_path):
    schema = {"table": "t", "fields": [{"tag": "n", "type": "int64"}, {"tag": "s,nullable", "type": "string"},
                                       {"tag": "d", "type": "decimal(30,4)"}]}
    lines = [json.dumps({"n": n, "s": None if n % 3 == 0 else f"v{n % 50:03d}", "d": f"{n - 500}.5"})
             for n in range(1000)]
    path = write(tool, tmp_path, schema, lines, ingest_id="id-1", row_group_bytes=3000, batch=100)
    f = pq.ParquetFile(path)
    md = f.metadata
    assert md.num_rows == 1000 and md.num_row_groups > 1
    assert md.created_by.startswith("lakeorm version")
    kv = md.metadata
    assert kv[b"lakeorm.ingest_id"] == b"id-1"
    assert json.loads(kv[b"lakeorm.schema"])["table"] == "t"
    total_nulls = 0
    for g in range(md.num_row_groups):
        n = md.row_group(g).column(0).statistics
        rows = pq.ParquetFile(path).read_row_group(g).column("n").to_pylist()
        assert (n.min, n.max) == (min(rows), max(rows))
        s = md.row_group(g).column(1)
        assert s.statistics.has_null_count
        total_nulls += s.statistics.null_count
        assert "RLE_DICTIONARY" in s.encodings
        d = md.row_group(g).column(2).statistics
        dec = pq.ParquetFile(path).read_row_group(g).column("d").to_pylist()
        assert (d.min, d.max) == (min(dec), max(dec))
    assert total_nulls == 334
    # DuckDB prunes on these statistics and agrees on the values.
    assert duckdb.sql(f"SELECT count(*), sum(n), min(d), max(d) FROM read_parquet('{path}') WHERE n >= 990").fetchall()[0] \
        == (10, sum(range(990, 1000)), decimal.Decimal("490.5000"), decimal.Decimal("499.5000"))


def test_values_json_cannot_carry(tool, tmp_path):
    path = str(tmp_path / "special.parquet")
    subprocess.run([tool("parquet_special_values"), path], check=True)
    t = pq.read_table(path).to_pylist()
    d = [r["d"] for r in t]
    assert math.isnan(d[0]) and d[1] == math.inf and d[2] == -math.inf
    assert d[3] == 0 and math.copysign(1, d[3]) == -1
    assert t[4]["f"] is None and math.isnan(t[0]["f"])
    st = pq.ParquetFile(path).metadata.row_group(0).column(0).statistics
    assert st.min == -math.inf and st.max == math.inf  # NaN stays out of min/max
    s = pq.ParquetFile(path).metadata.row_group(0).column(2).statistics
    assert s.min == "" and len(s.max.encode()) <= 64  # long maxima are shortened upwards
    assert s.max > max(r["s"] for r in t)
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}') WHERE isinf(d) AND d > 0").fetchall()[0] == (1,)


def test_dictionary_falls_back_to_plain(tool, tmp_path):
    schema = {"table": "t", "fields": [{"tag": "s", "type": "string"}]}
    lines = [json.dumps({"s": f"value-{i:06d}"}) for i in range(5000)]
    path = write(tool, tmp_path, schema, lines, dictionary_bytes=10000, page_bytes=4096)
    col = pq.ParquetFile(path).metadata.row_group(0).column(0)
    assert "RLE_DICTIONARY" in col.encodings and "PLAIN" in col.encodings
    assert pq.read_table(path).column("s").to_pylist() == [f"value-{i:06d}" for i in range(5000)]


def test_fuzzer_output_is_readable(tools, tmp_path):
    """The writer fuzzer's random schemas (nested lists, maps and structs too),
    options and raw record bytes (NaNs, any timestamps, strings from a pool)
    all make files both readers accept. A batch with a refused NULL leaves an
    empty file."""
    fuzzer = os.path.join(tools, "..", "fuzz", "parquet_writer_fuzzer")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    out.mkdir()
    rng = random.Random(1)
    for i in range(150):
        (corpus / f"in{i}").write_bytes(bytes(rng.getrandbits(8) for _ in range(rng.randint(8, 4000))))
    subprocess.run([fuzzer, str(corpus)], check=True, env={**os.environ, "LAKE_FUZZ_OUT": str(out)},
                   capture_output=True)
    files = sorted(out.iterdir())
    assert len(files) > 100
    with_rows = 0
    for f in files:
        t = pq.read_table(f)
        n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{f}')").fetchall()[0][0]
        assert n == t.num_rows
        # DuckDB decodes every nested value too, not only the row count
        assert len(duckdb.sql(f"SELECT * FROM read_parquet('{f}')").fetchall()) == n
        with_rows += n > 0
    assert with_rows > 80
