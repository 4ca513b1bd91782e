# SPDX-License-Identifier: MIT
"""The client: insert paths, conflicts, idempotency, merge keys, reads,
execute, metrics, closing, and the Delta and Iceberg warehouses."""
import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass
from typing import Optional

import pytest

import lakeorm
from helpers import schema_of

D = decimal.Decimal


def names(lake, schema, sql=None, params=None):
    return [(r["id"], r["name"]) for r in lake.query(schema, sql or f"SELECT * FROM {schema.table} ORDER BY id",
                                                     params)]


@pytest.mark.parametrize("path", ["auto", "direct", "staged"])
def test_insert_reports_what_it_did_on_each_path(lake, people, path):
    r = lake.insert(people, [{"id": 1, "name": "a", "age": 3}, {"id": 2, "name": "b"}], path=path)
    assert isinstance(r, lakeorm.InsertResult)
    assert (r.rows, r.path, r.replayed, r.inserted, r.updated, r.ignored) == (
        2, "staged" if path == "staged" else "direct", False, 2, 0, 0)
    assert (r.bytes_staged > 0) == (path == "staged")
    assert r.ingest_id.version == 7
    assert lake.query(people, "SELECT * FROM people ORDER BY id") == [
        {"id": 1, "name": "a", "age": 3}, {"id": 2, "name": "b", "age": None}]


def test_every_row_carries_the_inserts_ingest_id(lake, people):
    r = lake.insert(people, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    reader = schema_of("people", ("_ingest_id", "uuid"), ("id", "int64"))
    assert [row["_ingest_id"] for row in lake.query(reader, "SELECT * FROM people ORDER BY id")] == [r.ingest_id] * 2
    with pytest.raises(lakeorm.InvalidArgumentError, match="names the system column _ingest_id"):
        lake.insert(reader, [{"_ingest_id": str(uuid.uuid4()), "id": 3}])


def test_auto_ingest_id_columns_are_filled_with_the_ingest_id(lake):
    s = schema_of("stamped", ("id,pk", "int64"), ("batch,auto=ingestID", "string"))
    lake.migrate(s)
    r = lake.insert(s, [{"id": 1}])
    assert lake.query(s) == [{"id": 1, "batch": str(r.ingest_id)}]


def test_rows_may_be_dataclasses_or_ndjson_bytes(lake, people):
    @dataclass
    class Person:
        id: int
        name: str
        age: Optional[int] = None

    assert lake.insert(people, [Person(1, "a"), Person(2, "b", 40)]).rows == 2
    assert lake.insert(people, b'{"id":3,"name":"c"}\n\n{"id":4,"name":"d","age":9}\n').rows == 2
    assert lake.insert(people, bytearray(b'{"id":5,"name":"e"}')).rows == 1
    assert names(lake, people) == [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")]
    assert lake.first(people, "SELECT * FROM people WHERE id = ?", [2])["age"] == 40


def test_an_invalid_row_writes_nothing(lake, people):
    with pytest.raises(lakeorm.ValidationError) as e:
        lake.insert(people, [{"id": 1, "name": "a"}, {"id": 2, "name": "", "age": -1}, {"id": 3}])
    assert [(i.record, i.path, i.rule) for i in e.value.issues] == [
        (1, "/name", "required"), (1, "/age", "gte"), (2, "/name", "missing")]
    assert str(e.value) == "2 records rejected with 3 issues"
    assert lake.query(people) == []


def test_an_invalid_ndjson_line_writes_nothing_and_names_its_line(lake, people):
    with pytest.raises(lakeorm.ValidationError) as e:
        lake.insert(people, b'{"id":1,"name":"a"}\n{"id":2}\n')
    assert [(i.record, i.path, i.rule) for i in e.value.issues] == [(2, "/name", "missing")]
    assert lake.query(people) == []


def test_on_conflict_error_ignore_and_update(lake, people):
    lake.insert(people, [{"id": 1, "name": "a"}])
    with pytest.raises(lakeorm.EngineError) as e:
        lake.insert(people, [{"id": 1, "name": "b"}, {"id": 2, "name": "c"}])
    assert e.value.sqlstate == "23000" and e.value.kind == "invalid"
    assert names(lake, people) == [(1, "a")]
    r = lake.insert(people, [{"id": 1, "name": "b"}, {"id": 2, "name": "c"}], on_conflict="ignore")
    assert (r.inserted, r.updated, r.ignored) == (1, 0, 1)
    assert names(lake, people) == [(1, "a"), (2, "c")]
    r = lake.insert(people, [{"id": 1, "name": "B"}], on_conflict="update", path="staged")
    assert (r.inserted, r.updated, r.ignored) == (0, 1, 0)
    assert names(lake, people) == [(1, "B"), (2, "c")]


@pytest.mark.parametrize("kw, message", [
    ({"on_conflict": "nope"}, "on_conflict must be 'error', 'ignore' or 'update', not 'nope'"),
    ({"path": "fast"}, "path must be 'auto', 'direct' or 'staged', not 'fast'"),
])
def test_unknown_options_are_value_errors(lake, people, kw, message):
    with pytest.raises(ValueError) as e:
        lake.insert(people, [{"id": 1, "name": "a"}], **kw)
    assert str(e.value) == message


def test_idempotency_key_replays_and_refuses_other_records(lake, people):
    first = lake.insert(people, [{"id": 1, "name": "a"}], idempotency_key="req-1")
    again = lake.insert(people, [{"id": 1, "name": "a"}], idempotency_key="req-1")
    assert (again.replayed, again.rows, again.ingest_id) == (True, 0, first.ingest_id)
    with pytest.raises(lakeorm.KeyReusedError) as e:
        lake.insert(people, [{"id": 2, "name": "b"}], idempotency_key="req-1")
    assert e.value.code == -15
    assert 'idempotency key "req-1" was used within its TTL by another request' in str(e.value)
    assert names(lake, people) == [(1, "a")]
    assert not lake.insert(people, [{"id": 2, "name": "b"}], idempotency_key="req-2").replayed


def test_merge_keys_upsert(lake):
    s = schema_of("accounts", ("email,mergeKey", "string"), ("n", "int32"))
    lake.migrate(s)
    lake.insert(s, [{"email": "a@x", "n": 1}])
    r = lake.insert(s, [{"email": "a@x", "n": 2}, {"email": "b@x", "n": 3}])
    assert (r.inserted, r.updated) == (1, 1)
    assert lake.query(s, "SELECT * FROM accounts ORDER BY email") == [{"email": "a@x", "n": 2}, {"email": "b@x", "n": 3}]


def test_query_binds_typed_parameters(lake, people):
    lake.insert(people, [{"id": i, "name": f"n{i}", "age": 20 + i} for i in range(1, 6)])
    assert names(lake, people, "SELECT * FROM people WHERE age > ? ORDER BY id", [23]) == [(4, "n4"), (5, "n5")]
    assert names(lake, people, "SELECT * FROM people WHERE name = $1 OR id = $2 ORDER BY id", ("n1", 5)) == [
        (1, "n1"), (5, "n5")]
    assert names(lake, people, "SELECT * FROM people WHERE age < ? ORDER BY id", [D("22.5")]) == [(1, "n1"), (2, "n2")]
    assert lake.query(people, "SELECT * FROM people WHERE id = ?", [True]) == [{"id": 1, "name": "n1", "age": 21}]


@pytest.mark.parametrize("param, error, message", [
    (object(), TypeError, "parameter 1: a object cannot be bound"),
    (dt.datetime(2020, 1, 1), ValueError, "a datetime parameter needs a time zone"),
    (D("NaN"), ValueError, "a Decimal parameter must be finite"),
    (2 ** 64, OverflowError, None),
])
def test_parameters_that_cannot_be_bound(lake, people, param, error, message):
    with pytest.raises(error, match=message):
        lake.query(people, "SELECT * FROM people WHERE id = ?", [param])


def test_first_returns_one_row_or_raises_no_rows(lake, people):
    lake.insert(people, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    assert lake.first(people, "SELECT * FROM people ORDER BY id DESC") == {"id": 2, "name": "b", "age": None}
    with pytest.raises(lakeorm.NoRowsError) as e:
        lake.first(people, "SELECT * FROM people WHERE id = ?", [9])
    assert str(e.value) == "the query returned no rows" and isinstance(e.value, LookupError)


def test_stream_yields_rows_and_closes_early(lake, people):
    lake.insert(people, [{"id": i, "name": str(i)} for i in range(100)])
    rows = lake.stream(people, "SELECT * FROM people WHERE id >= ? ORDER BY id", [10])
    assert next(rows) == {"id": 10, "name": "10", "age": None}
    assert next(rows)["id"] == 11
    rows.close()
    with pytest.raises(StopIteration):
        next(rows)
    with lake.stream(people, "SELECT * FROM people ORDER BY id") as rows:
        assert [r["id"] for r in rows] == list(range(100))
    assert sum(1 for _ in lake.stream(people)) == 100


def test_execute_returns_rows_affected(lake, people):
    lake.insert(people, [{"id": i, "name": "x"} for i in range(5)])
    assert lake.execute("DELETE FROM people WHERE id >= ?", [3]) == 2
    assert lake.execute("UPDATE people SET name = ? WHERE id = ?", ["y", 0]) == 1
    assert names(lake, people) == [(0, "y"), (1, "x"), (2, "x")]
    lake.execute("CREATE TABLE scratch (a INTEGER);\nINSERT INTO scratch VALUES (1)")
    assert lake.query(schema_of("scratch", ("a", "int32"))) == [{"a": 1}]


def test_query_of_a_column_the_schema_lacks_is_a_mismatch(lake, people):
    with pytest.raises(lakeorm.MismatchError, match='the result has no column "name"'):
        lake.query(people, "SELECT 1 AS id")
    extra = lake.query(schema_of("people", ("id", "int64")), "SELECT 7 AS id, 'x' AS unmapped")
    assert extra == [{"id": 7}]


def test_metrics_text_counts_the_clients_work(lake, people):
    lake.insert(people, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    lake.insert(people, [{"id": 3, "name": "c"}], path="staged")
    lake.query(people)
    text = lake.metrics_text()
    lines = text.splitlines()
    assert 'lakeorm_inserts_total{path="direct"} 1' in lines
    assert 'lakeorm_inserts_total{path="staged"} 1' in lines
    assert "lakeorm_rows_written_total 3" in lines
    assert "lakeorm_queries_total 1" in lines
    assert "# TYPE lakeorm_rows_written_total counter" in lines
    assert all(l.startswith("myapp") or l.startswith("#") for l in lake.metrics_text("myapp").splitlines() if l)


def test_a_closed_client_refuses_calls_and_closes_twice_quietly(tmp_path, people):
    lake = lakeorm.connect(f"duckdb://{tmp_path / 'c.duckdb'}")
    lake.close()
    lake.close()
    for call in (lambda: lake.query(people), lambda: lake.insert(people, []), lambda: lake.migrate(people),
                 lambda: lake.execute("SELECT 1"), lambda: lake.metrics_text(), lambda: lake.stream(people),
                 lambda: lake.first(people)):
        with pytest.raises(lakeorm.InvalidArgumentError, match="the client is closed"):
            call()


def test_close_waits_for_an_open_stream(tmp_path, people):
    lake = lakeorm.connect(f"duckdb://{tmp_path / 'c.duckdb'}")
    lake.migrate(people)
    lake.insert(people, [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])
    rows = lake.stream(people, "SELECT * FROM people ORDER BY id")
    lake.close()
    assert [r["id"] for r in rows] == [1, 2]  # the stream kept the client alive
    with pytest.raises(lakeorm.InvalidArgumentError):
        lake.query(people)


def test_a_database_file_persists_between_clients(tmp_path):
    s = schema_of("kv", ("k,pk", "string"), ("v", "json"))
    url = f"duckdb://{tmp_path / 'p.duckdb'}"
    with lakeorm.connect(url) as lake:
        lake.migrate(s)
        lake.insert(s, [{"k": "a", "v": {"x": [1]}}])
    with lakeorm.connect(url + "?read_only=true") as lake:
        assert lake.query(s) == [{"k": "a", "v": {"x": [1]}}]
        with pytest.raises(lakeorm.InvalidArgumentError):
            lake.insert(s, [{"k": "b", "v": 1}])


WAREHOUSE_SCHEMA = schema_of(
    "orders", ("id,pk", "int64"), ("who", "string"), ("total,nullable", "decimal(38,4)"),
    ("at,nullable", "timestamp"), ("lines,nullable", "list<int32>"),
    ("ship,nullable", "struct", "", [("city", "string")]))


@pytest.mark.parametrize("dialect", ["delta", "iceberg"])
def test_warehouse_tables_take_inserts_updates_and_replays(tmp_path, dialect):
    wh = tmp_path / "wh"
    s = WAREHOUSE_SCHEMA
    big = D("-9999999999999999999999999999999999.9999")
    far = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.timezone.utc)
    with lakeorm.connect(f"duckdb://?dialect={dialect}&warehouse=file://{wh}") as lake:
        with pytest.raises(lakeorm.EngineError) as e:
            lake.query(s)
        assert e.value.kind == "not found"
        lake.migrate(s)
        r = lake.insert(s, [{"id": 1, "who": "a", "total": big, "at": far, "lines": [1, 2], "ship": {"city": "X"}},
                            {"id": 2, "who": "", "lines": []}], path="staged")
        assert (r.rows, r.path) == (2, "staged")
        assert lake.insert(s, [{"id": 3, "who": "c"}], path="direct").inserted == 1
        assert lake.insert(s, [{"id": 3, "who": "C"}], on_conflict="update").updated == 1
        with pytest.raises(lakeorm.EngineError, match="primary key table orders holds already"):
            lake.insert(s, [{"id": 1, "who": "q"}])
        k = lake.insert(s, [{"id": 4, "who": "d"}], idempotency_key="once")
        assert lake.insert(s, [{"id": 4, "who": "d"}], idempotency_key="once").ingest_id == k.ingest_id
        got = lake.query(s, "SELECT * FROM orders WHERE id >= ? ORDER BY id", [1])
    assert got == [
        {"id": 1, "who": "a", "total": big, "at": far, "lines": [1, 2], "ship": {"city": "X"}},
        {"id": 2, "who": "", "total": None, "at": None, "lines": [], "ship": None},
        {"id": 3, "who": "C", "total": None, "at": None, "lines": None, "ship": None},
        {"id": 4, "who": "d", "total": None, "at": None, "lines": None, "ship": None},
    ]
    with lakeorm.connect(f"duckdb://?dialect={dialect}&warehouse=file://{wh}") as lake:
        assert [r["id"] for r in lake.stream(s, "SELECT * FROM orders ORDER BY id")] == [1, 2, 3, 4]
    if dialect == "delta":
        assert (wh / "orders" / "_delta_log").is_dir()
    else:
        assert (wh / "catalog.db").is_file() and (wh / "default" / "orders").is_dir()
