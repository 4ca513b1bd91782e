# SPDX-License-Identifier: MIT
"""Nested columns lakeorm writes (lists, maps, nullable structs, JSON), read back
by pyarrow and DuckDB value by value.

parquet_nested_events builds records of tests/harness/nested_event.h in C, writes
them over many pages and row groups, and prints what it wrote; both readers must
return exactly that, with the declared types and field ids, and the column
statistics must be the ones pyarrow writes for the same data.
"""
import datetime
import decimal
import json
import subprocess

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# Every column's and element's field id: top-level columns first, then each
# nested schema's, depth first (Iceberg assigns element/key/value ids too).
FIELD_IDS = {
    "event_id": 1, "kind": 2, "at": 3, "items": 4, "shipping": 5, "attrs": 6, "payload": 7, "scores": 8,
    "notes": 9, "labels": 10, "items.element": 11, "items.element.sku": 12, "items.element.qty": 13,
    "items.element.price": 14, "items.element.tags": 15, "items.element.tags.element": 16,
    "shipping.city": 17, "shipping.zip": 18, "attrs.key": 19, "attrs.value": 20, "scores.element": 21,
    "scores.element.element": 22, "notes.element": 23, "labels.key": 24, "labels.value": 25,
    "labels.value.element": 26,
}

ARROW_TYPES = {
    "kind": "string",
    "at": "timestamp[us, tz=UTC]",
    "items": "list<element: struct<sku: string not null, qty: int32 not null, price: decimal128(10, 2) not null, "
             "tags: list<element: string not null> not null> not null>",
    "shipping": "struct<city: string not null, zip: int32>",
    "attrs": "map<string, string ('attrs')>",
    "scores": "list<element: list<element: int64 not null> not null>",
    "notes": "list<element: string>",
    "labels": "map<string, list<element: string not null> ('labels')>",
}
NULLABLE = {"shipping", "payload", "notes"}


def write(tool, tmp_path, rows, seed, threads=1):
    path = str(tmp_path / f"events-{threads}.parquet")
    out = subprocess.run([tool("parquet_nested_events"), path, str(rows), str(seed), str(threads)], check=True,
                         capture_output=True, text=True).stdout
    return path, [json.loads(line) for line in out.splitlines()]


def micros(ts):
    return (ts - EPOCH) // datetime.timedelta(microseconds=1)


def cents(d):
    return int(d.scaleb(2).to_integral_exact())


def pairs(m):
    """A map as a reader returns it (pyarrow: (key, value) tuples; DuckDB: a dict) as [key, value] lists."""
    if m is None:
        return None
    return [[k, v] for k, v in (m.items() if isinstance(m, dict) else m)]


def normalize(r):
    """One record as either reader returns it, in the form the writer printed."""
    eid = r["event_id"]
    return {
        "event_id": eid.hex if hasattr(eid, "hex") and not isinstance(eid, bytes) else eid.hex(),
        "kind": r["kind"],
        "at": micros(r["at"]),
        "items": [{"sku": i["sku"], "qty": i["qty"], "price": cents(i["price"]), "tags": i["tags"]}
                  for i in r["items"]],
        "shipping": r["shipping"],
        "attrs": pairs(r["attrs"]),
        "payload": r["payload"],
        "scores": r["scores"],
        "notes": r["notes"],
        "labels": pairs(r["labels"]),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pyarrow_reads_every_nested_shape(tool, tmp_path, seed):
    path, expected = write(tool, tmp_path, 3000, seed)
    f = pq.ParquetFile(path)
    assert f.metadata.num_row_groups > 2
    assert f.metadata.num_rows == len(expected)
    got = [normalize(r) for r in f.read().to_pylist()]
    assert got == expected
    # the data holds each shape the test is about
    assert any(r["items"] == [] for r in expected)
    assert any(r["notes"] is None for r in expected) and any(r["notes"] == [] for r in expected)
    assert any(r["notes"] and None in r["notes"] for r in expected)
    assert any(r["shipping"] is None for r in expected)
    assert any(r["shipping"] and r["shipping"]["zip"] is None for r in expected)
    assert any(any(v == [] for _, v in r["labels"]) for r in expected)
    assert any(any(i["tags"] for i in r["items"]) for r in expected)


def test_pyarrow_schema_types_and_field_ids(tool, tmp_path):
    path, _ = write(tool, tmp_path, 50, 4)
    schema = pq.read_schema(path)
    for name, text in ARROW_TYPES.items():
        assert str(schema.field(name).type) == text, name
    assert schema.field("event_id").type.extension_name == "arrow.uuid"
    payload = schema.field("payload").type
    assert payload == pa.string() or payload.extension_name == "arrow.json"
    for field in schema:
        assert field.nullable == (field.name in NULLABLE), field.name

    def ids(field, prefix):
        yield prefix + field.name, int(field.metadata[b"PARQUET:field_id"])
        t = field.type
        if isinstance(t, pa.MapType):
            yield from ids(t.key_field.with_name("key"), prefix + field.name + ".")
            yield from ids(t.item_field.with_name("value"), prefix + field.name + ".")
        elif isinstance(t, pa.ListType):
            yield from ids(t.value_field, prefix + field.name + ".")
        elif isinstance(t, pa.StructType):
            for i in range(t.num_fields):
                yield from ids(t.field(i), prefix + field.name + ".")

    assert dict(kv for field in schema for kv in ids(field, "")) == FIELD_IDS


def test_duckdb_reads_every_nested_shape(tool, tmp_path):
    path, expected = write(tool, tmp_path, 3000, 5)
    con = duckdb.connect()
    types = dict(con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{path}')").fetchall())
    assert types["items"] == ("STRUCT(sku VARCHAR, qty INTEGER, price DECIMAL(10,2), tags VARCHAR[])[]")
    assert types["attrs"] == "MAP(VARCHAR, VARCHAR)"
    assert types["scores"] == "BIGINT[][]"
    assert types["labels"] == "MAP(VARCHAR, VARCHAR[])"
    assert types["shipping"] == "STRUCT(city VARCHAR, zip INTEGER)"
    cur = con.execute(f"SELECT * FROM '{path}' ORDER BY \"at\"")
    names = [d[0] for d in cur.description]
    got = [normalize(dict(zip(names, row))) for row in cur.fetchall()]
    assert got == expected
    # DuckDB walks the nesting itself too: counts it computes from the levels
    n_items, n_tags, n_null_notes = con.execute(
        f"SELECT sum(len(items)), sum((SELECT sum(len(i.tags)) FROM unnest(items) AS u(i))), "
        f"count(*) FILTER (WHERE notes IS NULL) FROM '{path}'").fetchone()
    assert n_items == sum(len(r["items"]) for r in expected)
    assert n_tags == sum(len(i["tags"]) for r in expected for i in r["items"])
    assert n_null_notes == sum(r["notes"] is None for r in expected)


def test_statistics_match_what_pyarrow_writes(tool, tmp_path):
    """Per row group and leaf: the values count (entries), null count (slots
    without a value: NULLs, empty and NULL lists, NULL structs) and min/max
    equal those pyarrow writes for the same rows."""
    path, _ = write(tool, tmp_path, 2000, 6)
    ours = pq.ParquetFile(path)
    for g in range(ours.metadata.num_row_groups):
        rows = ours.read_row_group(g)
        theirs_path = str(tmp_path / f"pyarrow-{g}.parquet")
        pq.write_table(rows, theirs_path, row_group_size=rows.num_rows + 1)
        theirs = pq.ParquetFile(theirs_path).metadata.row_group(0)
        mine = ours.metadata.row_group(g)
        assert mine.num_rows == theirs.num_rows == rows.num_rows
        assert mine.num_columns == theirs.num_columns
        for c in range(mine.num_columns):
            a, b = mine.column(c), theirs.column(c)
            assert a.path_in_schema == b.path_in_schema
            assert a.num_values == b.num_values, a.path_in_schema
            sa, sb = a.statistics, b.statistics
            assert sa.null_count == sb.null_count, a.path_in_schema
            assert sa.has_min_max == sb.has_min_max, a.path_in_schema
            if sa.has_min_max:
                assert (sa.min, sa.max) == (sb.min, sb.max), a.path_in_schema


def test_levels_of_a_small_file(tool, tmp_path):
    """The levels of a few hand-checked records, as pyarrow decodes them into
    offsets and validity: a list's offsets count its elements exactly."""
    path, expected = write(tool, tmp_path, 40, 8)
    table = pq.read_table(path)
    notes = table.column("notes").combine_chunks()
    assert notes.null_count == sum(r["notes"] is None for r in expected)
    lengths = notes.value_lengths().to_pylist()
    assert lengths == [None if r["notes"] is None else len(r["notes"]) for r in expected]
    flat = notes.flatten()
    assert flat.null_count == sum(n is None for r in expected if r["notes"] for n in r["notes"])


def file_statistics(f):
    """Per leaf over the whole file: values, nulls, min and max."""
    m = f.metadata
    out = {}
    for g in range(m.num_row_groups):
        for c in range(m.num_columns):
            col = m.row_group(g).column(c)
            st = col.statistics
            values, nulls, lo, hi = out.get(col.path_in_schema, (0, 0, None, None))
            if st.has_min_max:
                lo = st.min if lo is None else min(lo, st.min)
                hi = st.max if hi is None else max(hi, st.max)
            out[col.path_in_schema] = (values + col.num_values, nulls + st.null_count, lo, hi)
    return out


def test_threads_write_the_same_table(tool, tmp_path):
    """The writer on 1, 2 and 4 threads, in batches that are shared out
    (large) and that are not (small), over many row groups: every reader
    gets the same rows; the leaves' values, nulls, min and max over the
    file are the same; above one thread the files are the same bytes (row
    groups end at the same records whatever the count)."""
    rows = 12000
    paths, expected = {}, None
    for threads in (1, 2, 4):
        paths[threads], printed = write(tool, tmp_path, rows, 9, threads)
        assert expected is None or printed == expected
        expected = printed
    with open(paths[2], "rb") as a, open(paths[4], "rb") as b:
        assert a.read() == b.read()
    files = {t: pq.ParquetFile(p) for t, p in paths.items()}
    assert files[1].metadata.num_row_groups > 2 and files[2].metadata.num_row_groups > 2
    for t, f in files.items():
        assert f.metadata.num_rows == rows, t
        assert [normalize(r) for r in f.read().to_pylist()] == expected, t
    assert file_statistics(files[1]) == file_statistics(files[2])
    con = duckdb.connect()
    counts = [con.execute(f"SELECT count(*), count(DISTINCT event_id), sum(len(items)) FROM read_parquet('{p}')")
              .fetchone() for p in paths.values()]
    assert counts[0][0] == rows and counts.count(counts[0]) == len(counts)
