# SPDX-License-Identifier: MIT
"""A table described by a dataclass: the schema comes from the type hints,
instances are validated and inserted as they are, reads come back typed.

    python examples/python/dataclass_schema.py

(Not named dataclasses.py: a script's folder comes first on sys.path, so
that name would shadow the standard library's module for every example.)
"""
import datetime as dt
import decimal
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Optional

import lakeorm


@dataclass
class Line:
    sku: Annotated[str, lakeorm.Rules("required")]
    qty: Annotated[int, lakeorm.Int32, lakeorm.Rules("gte=1")]
    price: Annotated[decimal.Decimal, lakeorm.Decimal(10, 2)]


@dataclass
class Order:
    __table__ = "orders"
    id: Annotated[uuid.UUID, lakeorm.Tag(",pk")]
    customer: Annotated[str, lakeorm.Rules("required,email")]
    placed_at: Annotated[dt.datetime, lakeorm.Tag(",partition=day")]
    lines: Annotated[list[Line], lakeorm.Rules("min=1,dive")]
    note: Optional[str] = None
    attrs: dict[str, str] = field(default_factory=dict)


schema = lakeorm.Schema.from_dataclass(Order)
print(f"table {schema.table}: " + ", ".join(f"{c.name} {c.type}" for c in schema.columns))

at = dt.datetime(2024, 3, 5, 12, 0, tzinfo=dt.timezone.utc)
orders = [
    Order(uuid.UUID(int=1), "ann@example.com", at, [Line("A-1", 2, decimal.Decimal("9.99"))], attrs={"via": "web"}),
    Order(uuid.UUID(int=2), "bob@example.com", at, [Line("B-2", 1, decimal.Decimal("100"))], note="gift"),
]
try:
    lakeorm.validate(schema, Order(uuid.UUID(int=3), "not-an-email", at, [Line("", 0, decimal.Decimal("1"))]))
except lakeorm.ValidationError as e:
    for issue in e.issues:
        print(f"rejected: {issue.path} [{issue.rule}] {issue.message}")

with lakeorm.connect(f"duckdb://{os.path.join(tempfile.mkdtemp(), 'orders.duckdb')}") as lake:
    lake.migrate(schema)
    print(f"inserted {lake.insert(schema, orders).rows} orders")
    for o in lake.query(schema, "SELECT * FROM orders ORDER BY customer"):
        total = sum(line["price"] * line["qty"] for line in o["lines"])
        print(f"{o['customer']}: {len(o['lines'])} line(s), total {total}, note {o['note']}, attrs {o['attrs']}")
