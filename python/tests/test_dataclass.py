# SPDX-License-Identifier: MIT
"""Schema.from_dataclass: type hints become the schema a schema file
describes (equal to its twin), and hints that map to no column fail naming
the field."""
from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Dict, List, Optional, Sequence, Tuple

import pytest

import lakeorm

HERE = Path(__file__).resolve().parent
UTC = dt.timezone.utc


@dataclass
class Geo:
    lat: float
    lon: float


@dataclass
class Address:
    city: Annotated[str, lakeorm.Rules("required")]
    geo: Optional[Geo] = None


@dataclass
class Item:
    sku: str
    qty: Annotated[int, lakeorm.Int32]
    price: Annotated[decimal.Decimal, lakeorm.Decimal(10, 2)]


@dataclass
class Stock:
    count: int


@dataclass
class Everything:
    id: Annotated[uuid.UUID, lakeorm.Tag(",pk")]
    flag: bool
    tiny: Annotated[int, lakeorm.Int8]
    small: Annotated[Optional[int], lakeorm.Int16]
    medium: Annotated[int, lakeorm.Int32, lakeorm.Rules("gte=0")]
    big: int
    ratio: Annotated[float, lakeorm.Float32]
    score: Optional[float]
    email: Annotated[str, lakeorm.Tag("email,mergeKey"), lakeorm.Rules("required,email")]
    blob: Optional[bytes]
    at: Annotated[dt.datetime, lakeorm.Tag(",partition=day")]
    day: Optional[dt.date]
    amount: Annotated[decimal.Decimal, lakeorm.Decimal(18, 2), lakeorm.Rules("gte=0")]
    sid: Annotated[Optional[str], lakeorm.SortableId]
    payload: Optional[Any]
    any_json: Annotated[dict, lakeorm.Json]
    kind: Annotated[str, lakeorm.Tag(",json=type")]
    ingest: Annotated[Optional[str], lakeorm.Tag(",auto=ingestID")]
    address: Address
    tags: Annotated[List[str], lakeorm.Rules("max=5,dive,required")]
    maybe_tags: Optional[list[Optional[str]]]
    items: Annotated[list[Item], lakeorm.Rules("min=1,dive")]
    grid: list[list[int]]
    prices: list[Annotated[decimal.Decimal, lakeorm.Decimal(12, 4)]]
    attrs: dict[str, str]
    labels: Optional[Dict[str, Sequence[str]]]
    stock: dict[str, Stock]
    seen: Tuple[Optional[dt.datetime], ...]
    ids: list[uuid.UUID] = field(default_factory=list)


def test_a_dataclass_with_every_type_equals_its_schema_file_twin():
    built = lakeorm.Schema.from_dataclass(Everything)
    twin = lakeorm.Schema.load(HERE / "data" / "everything.schema.json")
    assert json.loads(built.to_json()) == json.loads(twin.to_json())
    assert built == twin


@dataclass
class UserAddress:
    city: Annotated[str, lakeorm.Rules("required")]
    postcode: Annotated[Optional[str], lakeorm.Rules("omitempty,alphanum")] = None

@dataclass
class User:
    __table__ = "users"
    id: Annotated[uuid.UUID, lakeorm.Tag(",pk")]
    email: Annotated[str, lakeorm.Tag("email,mergeKey"), lakeorm.Rules("required,email")]
    name: Annotated[str, lakeorm.Rules("required,min=1,max=64")]
    age: Annotated[Optional[int], lakeorm.Int32, lakeorm.Rules("omitempty,gte=0,lte=150")]
    country: Annotated[str, lakeorm.Rules("required,oneof=UK US DE FR NL ES IT SE")]
    balance: Annotated[decimal.Decimal, lakeorm.Decimal(18, 2), lakeorm.Rules("gte=0")]
    created_at: Annotated[dt.datetime, lakeorm.Tag(",partition=day")]
    updated_at: Optional[dt.datetime]
    address: UserAddress



def test_the_users_dataclass_equals_users_schema_json(users_schema):
    assert lakeorm.Schema.from_dataclass(User) == users_schema
    u = User(uuid.UUID(int=1), "a@b.co", "A", None, "UK", decimal.Decimal("1.5"), dt.datetime(2024, 1, 1, tzinfo=UTC),
             None, UserAddress("x"))
    assert lakeorm.validate(users_schema, u)["balance"] == decimal.Decimal("1.50")


def test_table_names_come_from_argument_dunder_or_snake_case():
    @dataclass
    class OrderLine:
        n: int

    assert lakeorm.Schema.from_dataclass(OrderLine).table == "order_line"
    assert lakeorm.Schema.from_dataclass(OrderLine, table="lines").table == "lines"
    OrderLine.__table__ = "custom"
    assert lakeorm.Schema.from_dataclass(OrderLine).table == "custom"


@dataclass
class Reading:
    id: Annotated[int, lakeorm.Tag(",pk")]
    at: dt.datetime
    where: Address
    values: list[float]
    note: Optional[str] = None



def test_dataclass_rows_insert_and_read_back(lake):
    s = lakeorm.Schema.from_dataclass(Reading)
    lake.migrate(s)
    rows = [Reading(1, dt.datetime(2024, 1, 1, tzinfo=UTC), Address("Oslo", Geo(59.9, 10.7)), [1.5]),
            Reading(2, dt.datetime(2024, 1, 2, tzinfo=UTC), Address("Rome"), [], "n")]
    assert lake.insert(s, rows).rows == 2
    assert lake.query(s, "SELECT * FROM reading ORDER BY id") == [
        {"id": 1, "at": rows[0].at, "where": {"city": "Oslo", "geo": {"lat": 59.9, "lon": 10.7}}, "values": [1.5],
         "note": None},
        {"id": 2, "at": rows[1].at, "where": {"city": "Rome", "geo": None}, "values": [], "note": "n"}]


@dataclass
class NoPrecision:
    x: decimal.Decimal


@dataclass
class ASet:
    x: set[int]


@dataclass
class IntKeys:
    x: dict[int, str]


@dataclass
class AUnion:
    x: int | str


@dataclass
class WrongNamed:
    x: Annotated[str, lakeorm.Int32]


@dataclass
class WrongNamedFloat:
    x: Annotated[float, lakeorm.Int64]


@dataclass
class APair:
    x: tuple[int, str]


@dataclass
class BareList:
    x: list


@dataclass
class NotADataclass:
    pass


@dataclass
class Holder:
    x: type


@dataclass
class Loop:
    x: Optional[Loop]


@dataclass
class DeepBad:
    x: list[dict[str, set[int]]]


@pytest.mark.parametrize("cls, message", [
    (NoPrecision, "field 'x': a Decimal needs its precision and scale: Annotated[Decimal, lakeorm.Decimal(18, 2)]"),
    (ASet, "field 'x': set[int] maps to no column type"),
    (IntKeys, "field 'x': a map column is dict[str, X]"),
    (AUnion, "field 'x': int | str is a union; a column holds one type (Optional[X] is the only union)"),
    (WrongNamed, "field 'x': the column type int32 does not describe a str"),
    (WrongNamedFloat, "field 'x': the column type int64 does not describe a float"),
    (APair, "field 'x': a tuple column is tuple[X, ...]"),
    (BareList, "field 'x': <class 'list'> maps to no column type"),
    (Holder, "field 'x': <class 'type'> maps to no column type"),
    (Loop, "Loop contains itself: a table's shape is finite"),
    (DeepBad, "field 'x': set[int] maps to no column type"),
])
def test_unmappable_hints_name_the_field_and_the_fix(cls, message):
    with pytest.raises(TypeError) as e:
        lakeorm.Schema.from_dataclass(cls)
    assert str(e.value) == message


def test_not_a_dataclass_and_bad_decimals():
    with pytest.raises(TypeError, match="is not a dataclass"):
        lakeorm.Schema.from_dataclass(int)
    with pytest.raises(ValueError, match=r"Decimal\(39, 0\): precision is 1-38 and scale 0-precision"):
        lakeorm.Decimal(39)
    with pytest.raises(ValueError, match=r"Decimal\(10, 11\)"):
        lakeorm.Decimal(10, 11)


def test_tags_that_the_schema_compiler_refuses_raise_schema_error():
    @dataclass
    class BadTag:
        x: Annotated[int, lakeorm.Tag("x,frobnicate")]

    with pytest.raises(lakeorm.SchemaError, match="frobnicate"):
        lakeorm.Schema.from_dataclass(BadTag)


@dataclass
class Stamped:
    id: Annotated[int, lakeorm.Tag(",pk")]
    batch: Annotated[Optional[str], lakeorm.Tag(",auto=ingestID")] = None


def test_an_optional_auto_ingest_id_field_stays_not_null_and_is_filled(lake):
    s = lakeorm.Schema.from_dataclass(Stamped)
    assert [(c.name, c.nullable) for c in s.columns] == [("id", False), ("batch", False)]
    lake.migrate(s)
    r = lake.insert(s, [Stamped(1)])
    assert lake.query(s) == [{"id": 1, "batch": str(r.ingest_id)}]
