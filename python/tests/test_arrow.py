# SPDX-License-Identifier: MIT
"""Arrow in and out through the C Data Interface: pyarrow Tables and
RecordBatchReaders and polars DataFrames as insert input (validated with the
same rules, issues numbered by row), query_arrow into pyarrow and polars."""
import datetime as dt
import decimal

import pytest

import lakeorm
from lakeorm import Issue
from helpers import schema_of

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

D = decimal.Decimal
UTC = dt.timezone.utc


EVENTS = schema_of(
    "events", ("id,pk", "int64"), ("kind", "string", "required"), ("at", "timestamp"),
    ("amount", "decimal(10,2)", "gte=0"), ("tags,nullable", "list<string>"),
    ("where,nullable", "struct", "", [("city", "string", "required"), ("zip,nullable", "int32")]),
    ("attrs,nullable", "map<string,string>"))

ROWS = [
    {"id": 1, "kind": "view", "at": dt.datetime(2024, 3, 5, 12, 0, 0, 123456, tzinfo=UTC), "amount": D("9.99"),
     "tags": ["a", "b"], "where": {"city": "Lyon", "zip": 69001}, "attrs": {"k": "v"}},
    {"id": 2, "kind": "click", "at": dt.datetime(1969, 12, 31, 23, 59, 59, tzinfo=UTC), "amount": D("0.00"),
     "tags": [], "where": None, "attrs": None},
    {"id": 3, "kind": "view", "at": dt.datetime(9999, 12, 31, tzinfo=UTC), "amount": D("12345678.90"),
     "tags": None, "where": {"city": "Oslo", "zip": None}, "attrs": {}},
]

ARROW_SCHEMA = pa.schema([
    pa.field("id", pa.int64(), False), pa.field("kind", pa.string(), False),
    pa.field("at", pa.timestamp("us", tz="UTC"), False), pa.field("amount", pa.decimal128(10, 2), False),
    pa.field("tags", pa.list_(pa.field("item", pa.string(), False))),
    pa.field("where", pa.struct([pa.field("city", pa.string(), False), pa.field("zip", pa.int32())])),
    pa.field("attrs", pa.map_(pa.string(), pa.string())),
])


def arrow_rows(rows):
    return [dict(r, attrs=None if r["attrs"] is None else list(r["attrs"].items())) for r in rows]


@pytest.fixture
def events(lake):
    lake.migrate(EVENTS)
    return lake


def stored(lake):
    return lake.query(EVENTS, "SELECT * FROM events ORDER BY id")


@pytest.mark.parametrize("path", ["direct", "staged"])
def test_a_pyarrow_table_inserts_every_type(events, path):
    table = pa.Table.from_pylist(arrow_rows(ROWS), schema=ARROW_SCHEMA)
    r = events.insert(EVENTS, table, path=path)
    assert (r.rows, r.inserted, r.path) == (3, 3, path)
    assert stored(events) == ROWS


def test_a_record_batch_reader_of_several_batches_inserts_in_order(events):
    rows = [dict(ROWS[1], id=i) for i in range(1, 1001)]
    table = pa.Table.from_pylist(arrow_rows(rows), schema=ARROW_SCHEMA)
    reader = pa.RecordBatchReader.from_batches(ARROW_SCHEMA, table.to_batches(max_chunksize=64))
    assert events.insert(EVENTS, reader).rows == 1000
    assert [r["id"] for r in stored(events)] == list(range(1, 1001))


def test_a_record_batch_inserts_through_arrow_c_array(events):
    batch = pa.RecordBatch.from_pylist(arrow_rows(ROWS[:1]), schema=ARROW_SCHEMA)
    assert events.insert(EVENTS, batch).rows == 1
    assert stored(events) == ROWS[:1]


def test_arrow_rows_are_validated_with_the_same_rules_and_numbered(events):
    bad = [dict(ROWS[0], id=10), dict(ROWS[0], id=11, kind="", amount=D("-1.00")),
           dict(ROWS[0], id=12, where={"city": "", "zip": 1})]
    table = pa.Table.from_pylist(arrow_rows(bad), schema=ARROW_SCHEMA)
    with pytest.raises(lakeorm.ValidationError) as e:
        events.insert(EVENTS, table)
    assert [(i.record, i.path, i.column, i.rule) for i in e.value.issues] == [
        (1, "/kind", "kind", "required"), (1, "/amount", "amount", "gte"), (2, "/where/city", "where", "required")]
    assert stored(events) == []


# A column every row lacks, or one the table has not, is the data's shape,
# not a record's fault: one SchemaError naming it, nothing written.
def test_arrow_columns_the_schema_lacks_or_a_missing_column_are_schema_errors(events):
    table = pa.table({"id": pa.array([1], pa.int64()), "kind": ["x"], "extra": [1]})
    with pytest.raises(lakeorm.SchemaError, match='"extra" names no column'):
        events.insert(EVENTS, table)
    table = pa.table({"id": pa.array([1], pa.int64())})
    with pytest.raises(lakeorm.SchemaError, match='"kind"'):
        events.insert(EVENTS, table)
    assert stored(events) == []


def test_polars_frames_insert_including_string_view_and_categorical(events):
    df = pl.DataFrame({
        "id": pl.Series([1, 2], dtype=pl.Int64),
        "kind": pl.Series(["view", "click"], dtype=pl.Categorical),
        "at": pl.Series([dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)], dtype=pl.Datetime("us", "UTC")),
        "amount": pl.Series([D("1.50"), D("2.00")], dtype=pl.Decimal(10, 2)),
        "tags": pl.Series([["a"], []], dtype=pl.List(pl.String)),
        "where": pl.Series([{"city": "Oslo", "zip": 1}, None],
                           dtype=pl.Struct({"city": pl.String, "zip": pl.Int32})),
    })
    assert events.insert(EVENTS, df).rows == 2
    got = stored(events)
    assert [(r["id"], r["kind"], r["amount"], r["tags"], r["where"], r["attrs"]) for r in got] == [
        (1, "view", D("1.50"), ["a"], {"city": "Oslo", "zip": 1}, None), (2, "click", D("2.00"), [], None, None)]
    assert got[0]["at"] == dt.datetime(2024, 1, 1, tzinfo=UTC)


def test_pyarrow_string_view_and_dictionary_columns_insert(events):
    table = pa.table({
        "id": pa.array([1, 2], pa.int64()),
        "kind": pa.array(["a", "b"], pa.string_view()),
        "at": pa.array([0, 1], pa.timestamp("us", tz="UTC")),
        "amount": pa.array([D("1.00"), D("2.00")], pa.decimal128(10, 2)),
        "tags": pa.array([["x"], None], pa.list_(pa.string())),
    }).append_column("attrs", pa.array([None, None], pa.map_(pa.string(), pa.string())))
    table = table.set_column(1, "kind", pa.array(["a", "b"]).dictionary_encode())
    assert events.insert(EVENTS, table).rows == 2
    assert [r["kind"] for r in stored(events)] == ["a", "b"]


def test_query_arrow_reads_into_pyarrow_and_polars(events):
    events.insert(EVENTS, ROWS)
    table = pa.table(events.query_arrow('SELECT id, kind, amount, "at", tags FROM events WHERE id >= ? ORDER BY id',
                                        [2]))
    assert table.column_names == ["id", "kind", "amount", "at", "tags"]
    assert table.to_pylist() == [{k: r[k] for k in table.column_names} for r in ROWS[1:]]
    assert table.schema.field("amount").type == pa.decimal128(10, 2)
    df = pl.DataFrame(events.query_arrow("SELECT id, kind FROM events ORDER BY id"))
    assert df.to_dicts() == [{"id": 1, "kind": "view"}, {"id": 2, "kind": "click"}, {"id": 3, "kind": "view"}]


def test_query_arrow_round_trips_into_insert(events):
    events.insert(EVENTS, ROWS)
    copy = EVENTS.with_table("events_copy")
    events.migrate(copy)
    # _ingest_id is the system column: a schema never names it, so it is left out
    assert events.insert(copy, events.query_arrow("SELECT * EXCLUDE (_ingest_id) FROM events ORDER BY id")).rows == 3
    assert events.query(copy, "SELECT * FROM events_copy ORDER BY id") == ROWS


def test_query_arrow_errors_are_lakeorm_errors(events):
    with pytest.raises(lakeorm.EngineError):
        pa.table(events.query_arrow("SELECT * FROM missing_table"))
