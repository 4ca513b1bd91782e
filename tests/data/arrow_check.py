"""Independent checks of Arrow IPC streams for tests/unit/arrow/test_ipc.c.

  arrow_check.py read FILE     validate lakeorm's stream in full and check its values
  arrow_check.py write FILE [zstd]   write a stream of the same rows with pyarrow
"""
import datetime
import decimal
import sys

import pyarrow as pa
import pyarrow.ipc as ipc

ROWS = 3000
NAME = "caf\u00e9 \U0001F600"


def expected():
    rows = []
    for i in range(ROWS):
        rows.append({
            "id": i * 1000003 - 7, "tiny": i % 256 - 128, "maybe": i * 3 if i % 3 else None,
            "score": i / 7.0, "flag": i % 5 == 0, "name": NAME if i % 4 else None,
            "blob": b"\x00\x01\x02"[: i % 4],
            "at": datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
            + datetime.timedelta(microseconds=-86400000000 + i * 1000001),
            "day": datetime.date(1970, 1, 1) + datetime.timedelta(days=-365 + i),
            "amount": decimal.Decimal((i - 1500) * 12345).scaleb(-4) if i % 7 else None,
            "uid": bytes((i * 31 + k) % 256 for k in range(16)),
        })
    return rows


def read(path):
    with open(path, "rb") as f:
        table = ipc.open_stream(f).read_all()
    table.validate(full=True)
    assert table.num_rows == ROWS, table.num_rows
    types = {f.name: str(f.type) for f in table.schema}
    assert types["at"] == "timestamp[us, tz=UTC]" and types["day"] == "date32[day]", types
    assert types["amount"] == "decimal128(38, 4)" and types["uid"] == "fixed_size_binary[16]", types
    assert types["ratio"] == "float" and types["tiny"] == "int8", types
    got = table.to_pylist()
    for i, want in enumerate(expected()):
        for k, v in want.items():
            assert got[i][k] == v, (i, k, got[i][k], v)
        assert abs(got[i]["ratio"] - i / 3) < 1e-3
        assert got[i]["_ingest_id"] == "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"


def write(path, codec):
    rows = expected()
    schema = pa.schema([
        ("id", pa.int64()), ("tiny", pa.int8()), ("maybe", pa.int32()), ("score", pa.float64()),
        ("ratio", pa.float32()), ("flag", pa.bool_()), ("name", pa.string()), ("blob", pa.binary()),
        ("at", pa.timestamp("us", tz="UTC")), ("day", pa.date32()), ("amount", pa.decimal128(38, 4)),
        ("uid", pa.binary(16)), ("extra", pa.string())])
    cols = {name: [r.get(name) for r in rows] for name in schema.names}
    cols["ratio"] = [i / 3 for i in range(ROWS)]
    cols["extra"] = ["dropped"] * ROWS
    table = pa.table(cols, schema=schema)
    options = ipc.IpcWriteOptions(compression=codec) if codec else ipc.IpcWriteOptions()
    with open(path, "wb") as f, ipc.new_stream(f, schema, options=options) as w:
        for batch in table.to_batches(max_chunksize=1000):
            w.write_batch(batch)


if sys.argv[1] == "read":
    read(sys.argv[2])
else:
    write(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
