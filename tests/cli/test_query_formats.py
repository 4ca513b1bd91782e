# SPDX-License-Identifier: MIT
"""lakeorm query's output formats (docs/cli.md, "query"): json, csv, table and
parquet over the every-type table (NULLs, unicode, quotes, commas and line
breaks in strings, nested values), each read back by an independent reader
(Python's csv module, DuckDB, pyarrow); query output ingested back unchanged;
--output replacing a file only on success.

Usage: test_query_formats.py LAKEORM_BINARY. Needs duckdb and pyarrow (the
project's .venv).
"""
import csv
import datetime
import decimal
import io
import json
import os
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clitest import case, finish, run  # noqa: E402
from every_type import COLUMNS, EXPECTED, ROWS, every_type_db  # noqa: E402

SELECT = f"SELECT {COLUMNS} FROM every ORDER BY n"
# A string with everything CSV must quote, and one it must not.
TRICKY = "SELECT 'a,b' AS comma, 'say \"hi\"' AS quote, E'two\\nlines' AS nl, 'plain' AS p, '' AS empty, " \
         "NULL::VARCHAR AS nothing"


def every_type(d):
    """The every-type database and its schema file."""
    return every_type_db(d), os.path.join(d, "every.schema.json")


def query(db, *args):
    code, out, err = run("query", "--db", db, *args)
    assert code == 0, (code, err)
    return out


def csv_cell(raw):
    """The CSV cell the docs give for a JSON value: NULL empty, strings bare, the rest as JSON text."""
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw
    return json.dumps(raw, separators=(",", ":"), ensure_ascii=False)


@case
def csv_has_a_header_and_every_value_in_its_json_text(d):
    db, _ = every_type(d)
    out = query(db, "--format", "csv", SELECT)
    got = list(csv.reader(io.StringIO(out, newline="")))
    assert got[0] == [c.strip() for c in COLUMNS.split(",")], got[0]
    assert len(got) == 1 + len(EXPECTED)
    for line, row in zip(EXPECTED, got[1:]):
        # Numbers keep the JSON line's exact text: parse them as text.
        values = json.loads(line, parse_float=str, parse_int=str)
        nested = json.loads(line)
        want = [csv_cell(nested[k]) if isinstance(nested[k], (dict, list)) else
                ("true" if v is True else "false" if v is False else csv_cell(v)) for k, v in values.items()]
        assert row == [w if w is not None else "" for w in want], (row, want)
    # NULL is an empty unquoted field, the empty string a quoted one: row 2's s is "", row 3's NULL.
    lines = out.split("\n")
    assert lines[2].split(",")[10] == '""' and lines[3].split(",")[10] == "", lines


@case
def csv_quotes_only_what_needs_it(d):
    db, _ = every_type(d)
    out = query(db, "--format", "csv", TRICKY)
    assert out == 'comma,quote,nl,p,empty,nothing\n"a,b","say ""hi""","two\nlines",plain,"",\n', repr(out)


@case
def duckdb_reads_the_csv_back(d):
    db, _ = every_type(d)
    path = os.path.join(d, "out.csv")
    code, _, err = run("query", "--db", db, "--format", "csv", "--output", path, TRICKY + " UNION ALL " + TRICKY)
    assert code == 0, (code, err)
    con = duckdb.connect()
    got = con.execute(f"SELECT * FROM read_csv('{path}', header = true, all_varchar = true, allow_quoted_nulls = false)").fetchall()
    assert got == [("a,b", 'say "hi"', "two\nlines", "plain", "", None)] * 2, got
    every = os.path.join(d, "every.csv")
    code, _, err = run("query", "--db", db, "--format", "csv", "--output", every, SELECT)
    assert code == 0, (code, err)
    got = con.execute(f"SELECT n, s, ts, d FROM read_csv('{every}', header = true, allow_quoted_nulls = false) "
                      "ORDER BY n").fetchall()
    assert got[0][0] == 1 and got[0][1] == ROWS[0]["s"] and got[1][1] == "" and got[2][1] is None, got
    assert str(got[1][2]).startswith("2024-03-05 12:34:56.000001"), got


@case
def table_aligns_columns_to_the_rows_shown(d):
    db, _ = every_type(d)
    out = query(db, "--format", "table",
                "SELECT n, s, d FROM every ORDER BY n")
    assert out == (
        "n | s                   | d\n"
        "--+---------------------+-----------\n"
        "1 | caf\u00e9 \U0001F600 \"q\" \\ \\u0001 | 0001-01-01\n"
        "2 |                     | 9999-12-31\n"
        "3 | \u2205                   | \u2205\n"
        "(3 rows)\n"), out
    out = query(db, "--format", "table", "SELECT repeat('x', 100) AS long, 5 AS n")
    assert out.splitlines()[2] == "x" * 39 + "\u2026 | 5", out
    assert query(db, "--format", "table", "SELECT 1 AS one WHERE false") == "one\n---\n(0 rows)\n"


@case
def parquet_holds_the_results_values_and_types(d):
    db, _ = every_type(d)
    path = os.path.join(d, "out.parquet")
    code, out, err = run("query", "--db", db, "--format", "parquet", "--output", path, SELECT)
    assert code == 0 and out == "", (code, out, err)
    t = pq.read_table(path)
    types = {f.name: f.type for f in t.schema}
    assert types["i8"] == pa.int8() and types["f32"] == pa.float32() and types["dec"] == pa.decimal128(38, 10)
    assert types["ts"] == pa.timestamp("us", tz="UTC") and types["d"] == pa.date32(), types
    assert "_ingest_id" not in types
    rows = t.to_pylist()
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert rows[0]["s"] == ROWS[0]["s"] and rows[1]["s"] == "" and rows[2]["s"] is None
    assert rows[0]["i64"] == -9223372036854775808 and rows[1]["money"] == decimal.Decimal("-1234567.89")
    assert rows[0]["ts"] == datetime.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.timezone.utc)
    assert rows[0]["d"] == datetime.date(1, 1, 1) and rows[2]["d"] is None
    assert rows[0]["st"] == {"x": 7, "y": ""} and rows[0]["tags"] == ["a", None, ""], rows[0]
    assert rows[2]["items"] == [{"sku": "\u65e5\u672c", "qty": -2147483648}]
    con = duckdb.connect()
    got = con.execute(f"SELECT n, s, ts, money FROM read_parquet('{path}') ORDER BY n").fetchall()
    assert got[1][0] == 2 and got[1][1] == "" and got[1][3] == decimal.Decimal("-1234567.89"), got
    # The same rows as the engine reads them from the table.
    want = duckdb.connect(db, read_only=True).execute("SELECT n, s, ts, money FROM every ORDER BY n").fetchall()
    assert [(r[0], r[1], r[3]) for r in got] == [(r[0], r[1], r[3]) for r in want]


@case
def parquet_needs_an_output_file(d):
    db, _ = every_type(d)
    code, out, err = run("query", "--db", db, "--format", "parquet", SELECT)
    assert code == 2 and out == "" and "--output" in err, (code, out, err)
    code, _, err = run("query", "--db", db, "--format", "xml", SELECT)
    assert code == 2 and "json|csv|table|parquet" in err, (code, err)


@case
def json_output_ingests_back_unchanged(d):
    db, schema = every_type(d)
    assert all('"_ingest_id":"' in line for line in query(db, "SELECT * FROM every ORDER BY n").splitlines())
    dump = query(db, "--exclude-system", "SELECT * FROM every ORDER BY n")
    assert "_ingest_id" not in dump
    code, _, err = run("validate", "--schema", schema, "-", stdin=dump.encode())
    assert code == 0, (code, err)
    copy = os.path.join(d, "copy.duckdb")
    code, _, err = run("ingest", "--schema", schema, "--db", copy, "-", stdin=dump.encode())
    assert code == 0, (code, err)
    assert query(copy, SELECT).splitlines() == EXPECTED
    assert query(db, "SELECT _ingest_id FROM every ORDER BY n").count('"_ingest_id":"') == len(EXPECTED)


@case
def csv_output_ingests_back_unchanged(d):
    db, schema = every_type(d)
    out = os.path.join(d, "dump.csv")
    code, _, err = run("query", "--db", db, "--format", "csv", "--output", out, "--exclude-system",
                         "SELECT * FROM every ORDER BY n")
    assert code == 0, (code, err)
    code, _, err = run("validate", "--schema", schema, out)
    assert code == 0, (code, err)
    copy = os.path.join(d, "copy.duckdb")
    code, _, err = run("ingest", "--schema", schema, "--db", copy, out)
    assert code == 0, (code, err)
    assert query(copy, SELECT).splitlines() == EXPECTED


@case
def timestamps_of_any_duckdb_kind_ingest_back(d):
    db, _ = every_type(d)
    schema = os.path.join(d, "t.schema.json")
    with open(schema, "w") as f:
        json.dump({"version": 1, "table": "t", "fields": [
            {"tag": "a,nullable", "type": "timestamp"}, {"tag": "b,nullable", "type": "timestamp"},
            {"tag": "c,nullable", "type": "date"}, {"tag": "e,nullable", "type": "timestamp"}]}, f)
    out = query(db, "SELECT TIMESTAMP '2024-01-01 10:00:00.5' AS a, TIMESTAMPTZ '2024-01-01 10:00:00+05' AS b, "
                    "DATE '1960-02-29' AS c, TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS e")
    assert out == '{"a":"2024-01-01T10:00:00.500000Z","b":"2024-01-01T05:00:00Z","c":"1960-02-29",' \
                  '"e":"2024-01-01T00:00:00.123456Z"}\n', out
    code, _, err = run("validate", "--schema", schema, "-", stdin=out.encode())
    assert code == 0, (code, err)


@case
def output_replaces_a_file_only_on_success(d):
    db, _ = every_type(d)
    path = os.path.join(d, "out.csv")
    with open(path, "w") as f:
        f.write("keep me\n")
    # Fails before any row: a syntax error; and after many rows were written: error() at row 100000.
    for sql in ("SELEC 1", "SELECT CASE WHEN i < 100000 THEN i ELSE error('boom') END AS i FROM range(200000) t(i)"):
        for fmt in ("json", "csv", "parquet"):
            code, _, err = run("query", "--db", db, "--format", fmt, "--output", path, sql)
            assert code == 3, (sql, fmt, code, err)
            assert open(path).read() == "keep me\n"
            assert sorted(os.listdir(d)) == ["every.schema.json", "lake.duckdb", "out.csv"], os.listdir(d)
    code, out, err = run("query", "--db", db, "--format", "csv", "--output", path, "SELECT 1 AS x")
    assert code == 0 and out == "" and open(path).read() == "x\n1\n", (code, out, err)
    missing = os.path.join(d, "new.json")
    code, _, err = run("query", "--db", db, "--output", missing, "SELEC 1")
    assert code == 3 and not os.path.exists(missing), (code, err)
    code, _, err = run("query", "--db", db, "--output", db, "SELECT 1")
    assert code == 2 and "refusing" in err, (code, err)


finish()
