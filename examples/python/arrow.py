# SPDX-License-Identifier: MIT
"""Arrow in and out: a pyarrow Table inserted as one validated request,
query_arrow read back into pyarrow (any reader of the Arrow C stream
interface works: polars.DataFrame(obj), duckdb, ...).

    python examples/python/arrow.py        (needs pyarrow)
"""
import datetime as dt
import decimal
import os
import tempfile

import pyarrow as pa

import lakeorm

schema = lakeorm.Schema("""{"version": 1, "table": "trades", "fields": [
  {"tag": "id,pk", "type": "int64"},
  {"tag": "symbol", "type": "string", "rules": "required,uppercase"},
  {"tag": "price", "type": "decimal(12,4)", "rules": "gt=0"},
  {"tag": "at", "type": "timestamp"}
]}""")

trades = pa.table({
    "id": pa.array([1, 2, 3], pa.int64()),
    "symbol": ["ACME", "INIT", "ACME"],
    "price": pa.array([decimal.Decimal("12.5"), decimal.Decimal("7.25"), decimal.Decimal("12.75")],
                      pa.decimal128(12, 4)),
    "at": pa.array([dt.datetime(2024, 3, 5, 9, 30, i, tzinfo=dt.timezone.utc) for i in range(3)],
                   pa.timestamp("us", tz="UTC")),
})

with lakeorm.connect(f"duckdb://{os.path.join(tempfile.mkdtemp(), 'trades.duckdb')}") as lake:
    lake.migrate(schema)
    result = lake.insert(schema, trades)
    print(f"inserted {result.rows} rows from a pyarrow table")
    table = pa.table(lake.query_arrow(
        "SELECT symbol, count(*) AS n, max(price) AS top FROM trades WHERE price > ? GROUP BY symbol ORDER BY symbol",
        [decimal.Decimal("5")]))
    print(f"columns {table.column_names}")
    for row in table.to_pylist():
        print(f"{row['symbol']}: {row['n']} trade(s), top {row['top']}")
