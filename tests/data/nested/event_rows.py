"""The nested event records tests/harness/nested_rows.h makes in C, made in
Python (keep the two in step), and checks of Arrow streams of them.

  event_rows.py read FILE N          validate lakeorm's stream in full, compare value by value
  event_rows.py write FILE N [large] write the records with pyarrow (large: large_list lists,
                                     "item" element names, batches of 7)
  event_rows.py bad FILE KIND        three records, the third made wrong in one way (see BAD)
"""
import datetime
import decimal
import sys

import pyarrow as pa
import pyarrow.ipc as ipc


def event(i):
    items = []
    for j in range(i % 3 + 1):
        items.append({"sku": f"s{i}-{j}", "qty": j + 1, "price": decimal.Decimal(i * 100 + j).scaleb(-2),
                      "tags": [f"t{k}" for k in range(j)]})
    return {
        "event_id": bytes((i * 7 + k) % 256 for k in range(16)),
        "kind": "click" if i % 2 else "view",
        "at": datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=i),
        "items": items,
        "shipping": {"city": "Utrecht", "zip": 3500 + i if i % 2 == 0 else None} if i % 3 else None,
        "attrs": [(f"a{k}", f"v{i}{k}") for k in range(i % 3)],
        "payload": '{"n":%d}' % i if i % 5 else None,
        "scores": [[m * i - 1 for m in range(k)] for k in range(i % 3)],
        "notes": [f"n{k}" if (i + k) % 2 == 0 else None for k in range(i % 3)] if i % 4 else None,
        "labels": [(f"l{k}", [f"x{m}" for m in range(k)]) for k in range(i % 3)],
    }


def schema(large):
    lst = pa.large_list if large else pa.list_
    item = pa.struct([pa.field("sku", pa.string(), False), pa.field("qty", pa.int32(), False),
                      pa.field("price", pa.decimal128(10, 2), False),
                      pa.field("tags", lst(pa.field("item", pa.string(), False)), False)])
    return pa.schema([
        pa.field("event_id", pa.binary(16), False), pa.field("kind", pa.string(), False),
        pa.field("at", pa.timestamp("us", tz="UTC"), False),
        pa.field("items", lst(pa.field("item", item, False)), False),
        pa.field("shipping", pa.struct([pa.field("city", pa.string(), False), pa.field("zip", pa.int32())])),
        pa.field("attrs", pa.map_(pa.string(), pa.string()), False),
        pa.field("payload", pa.string()),
        pa.field("scores", lst(pa.field("item", lst(pa.field("item", pa.int64(), False)), False)), False),
        pa.field("notes", lst(pa.string())),
        pa.field("labels", pa.map_(pa.string(), lst(pa.field("item", pa.string(), False))), False),
    ])


def read(path, n):
    with open(path, "rb") as f:
        table = ipc.open_stream(f).read_all()
    table.validate(full=True)
    assert table.num_rows == n, table.num_rows
    types = {f.name: str(f.type) for f in table.schema}
    assert types["attrs"] == "map<string, string>", types
    assert types["items"].startswith("list<element: struct<sku: string"), types
    assert not table.schema.field("shipping").type.field("city").nullable
    got = table.to_pylist()
    for i in range(n):
        want = event(i)
        for k, v in want.items():
            assert got[i][k] == v, (i, k, got[i][k], v)


def write(path, n, large):
    rows = [event(i) for i in range(n)]
    s = schema(large)
    table = pa.Table.from_pylist(rows, schema=s)
    with open(path, "wb") as f, ipc.new_stream(f, s) as w:
        w.write_table(table, max_chunksize=7)


def with_field(s, name, typ):
    return s.set(s.get_field_index(name), pa.field(name, typ, s.field(name).nullable))


# Each: (what to change in the schema, what to put in the third row).
BAD = {
    "int_keys": (lambda s: with_field(s, "attrs", pa.map_(pa.int32(), pa.string())), {"attrs": [(1, "x")]}),
    "dup_keys": (lambda s: s, {"attrs": [("color", "red"), ("size", "L"), ("color", "blue")]}),
    "null_tag": (lambda s: with_field(s, "items", pa.list_(pa.struct([
        pa.field("sku", pa.string()), pa.field("qty", pa.int32()), pa.field("price", pa.decimal128(10, 2)),
        pa.field("tags", pa.list_(pa.string()))]))),
        {"items": [{"sku": "a", "qty": 1, "price": decimal.Decimal(1), "tags": ["t0", None]}]}),
    "null_city": (lambda s: with_field(s, "shipping", pa.struct([pa.field("city", pa.string()),
                                                                 pa.field("zip", pa.int32())])),
                  {"shipping": {"city": None, "zip": 1}}),
    "string_scores": (lambda s: with_field(s, "scores", pa.list_(pa.list_(pa.string()))), {"scores": [["1"]]}),
}


def bad(path, kind):
    change, row = BAD[kind]
    s = change(schema(False))
    rows = [event(i) for i in range(3)]
    rows[2].update(row)
    if kind == "int_keys":
        for r in rows[:2]:
            r["attrs"] = [(k, v) for k, (_, v) in enumerate(r["attrs"])]
    if kind == "string_scores":
        for r in rows:
            r["scores"] = [[str(x) for x in l] for l in r["scores"]]
    table = pa.Table.from_pylist(rows, schema=s)
    with open(path, "wb") as f, ipc.new_stream(f, s) as w:
        w.write_table(table)


if __name__ == "__main__":
    if sys.argv[1] == "bad":
        bad(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "read":
        read(sys.argv[2], int(sys.argv[3]))
    else:
        write(sys.argv[2], int(sys.argv[3]), len(sys.argv) > 4 and sys.argv[4] == "large")
