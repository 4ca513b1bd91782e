# SPDX-License-Identifier: MIT
"""The input every contender of bench/python/run gets: N user records built
by one seeded generator, the pydantic model that states users.schema.json's
rules, the Arrow schema and the DuckDB table the Arrow peers load into.

Records are what an application holds: UUID, Decimal and aware datetime
objects, a nested address dict, a nullable note (None half the time)."""
import datetime
import json
import os
import random
import re
import uuid
from decimal import Decimal
from typing import Annotated, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_PATH = os.path.join(HERE, "users.schema.json")

FIRST = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fatima", "Gustav", "Hiroshi", "Ines", "José"]
LAST = ["Smith", "García", "Müller", "Okafor", "Kowalski", "Nguyen", "Rossi", "Larsen"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "example.co.uk"]
CITIES = ["London", "Berlin", "Paris", "Madrid", "Rome", "Oslo", "Lisbon", "Dublin"]
NOTES = ["prefers email", "VIP since 2019", "asked for a call back", "moved last year"]
EPOCH = datetime.datetime(2023, 1, 1, tzinfo=datetime.timezone.utc)


def rows(n, seed=42):
    """n records as dicts of Python values, the same for every seed."""
    return list(iter_rows(n, seed))


def iter_rows(n, seed=42):
    rng = random.Random(seed)
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "email": f"{first.lower().replace('é', 'e')}.{last.lower()}.{i}@{rng.choice(DOMAINS)}".encode(
                "ascii", "ignore").decode(),
            "name": f"{first} {last}",
            "age": rng.randrange(18, 100),
            "balance": Decimal(rng.randrange(0, 10**11)).scaleb(-2),
            "created_at": EPOCH + datetime.timedelta(microseconds=rng.randrange(0, 60_000_000_000_000)),
            "note": rng.choice(NOTES) if rng.random() < 0.5 else None,
            "address": {
                "street": f"{rng.randrange(1, 300)} {rng.choice(LAST)} Street",
                "city": rng.choice(CITIES),
                "postcode": f"{rng.randrange(10000, 99999)}" if rng.random() < 0.8 else None,
            },
        }


def _json_default(v):
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    raise TypeError(type(v))


_BALANCE = re.compile(r'"balance":"(-?[0-9.]+)"')


def ndjson(records):
    """The records as NDJSON bytes: UUIDs and timestamps as text (RFC 4122,
    RFC 3339), decimals as exact JSON numbers."""
    enc = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default)
    lines = [_BALANCE.sub(r'"balance":\1', enc.encode(dict(r, balance=str(r["balance"])))) for r in records]
    return ("\n".join(lines) + "\n").encode()


def pydantic_model():
    """users.schema.json's rules in pydantic v2 (extra keys refused, as lakeorm refuses them)."""
    from pydantic import (AwareDatetime, BaseModel, ConfigDict, EmailStr, Field, condecimal, conint, constr)

    class Address(BaseModel):
        model_config = ConfigDict(extra="forbid")
        street: constr(min_length=1, max_length=100)
        city: constr(min_length=1, max_length=64)
        postcode: Optional[constr(max_length=16)] = None

    class User(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: uuid.UUID
        email: EmailStr
        name: constr(min_length=1, max_length=64)
        age: conint(ge=0, le=150)
        balance: condecimal(max_digits=18, decimal_places=2)
        created_at: AwareDatetime
        note: Optional[Annotated[str, Field(max_length=200)]] = None
        address: Address

    return User


def arrow_schema(uuid_as_text=False):
    import pyarrow as pa
    return pa.schema([
        pa.field("id", pa.string() if uuid_as_text else pa.uuid(), nullable=False),
        pa.field("email", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("age", pa.int32(), nullable=False),
        pa.field("balance", pa.decimal128(18, 2), nullable=False),
        pa.field("created_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("note", pa.string()),
        pa.field("address", pa.struct([pa.field("street", pa.string(), nullable=False),
                                       pa.field("city", pa.string(), nullable=False),
                                       pa.field("postcode", pa.string())]), nullable=False),
    ])


def arrow_table(n, uuid_as_text=False, chunk=100_000):
    """rows(n) as a pyarrow table, built chunk by chunk so that the dicts
    never all live at once (the process's peak RSS is then the table's)."""
    import itertools
    import pyarrow as pa
    schema, it, batches = arrow_schema(uuid_as_text), iter_rows(n), []
    while True:
        records = list(itertools.islice(it, chunk))
        if not records:
            break
        if uuid_as_text:
            records = [dict(r, id=str(r["id"])) for r in records]
        batches.append(pa.RecordBatch.from_pylist(records, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def schema_without_rules():
    """users.schema.json with no rules and no key: the write path alone, as
    write_deltalake does it (values are still checked against their types)."""
    with open(SCHEMA_PATH) as f:
        schema = json.load(f)

    def strip(fields):
        for field in fields:
            field.pop("rules", None)
            field["tag"] = ",".join(p for p in field["tag"].split(",") if p != "pk")
            strip(field.get("fields", ()))
    strip(schema["fields"])
    return json.dumps(schema)


# The table lakeorm's migrate creates for users.schema.json, less its _ingest_id column.
DUCKDB_TABLE = ('CREATE TABLE users(id UUID, email VARCHAR NOT NULL, "name" VARCHAR NOT NULL, age INTEGER NOT NULL, '
                'balance DECIMAL(18,2) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, note VARCHAR, '
                'address STRUCT(street VARCHAR, city VARCHAR, postcode VARCHAR) NOT NULL, PRIMARY KEY(id))')


if __name__ == "__main__":
    import sys
    with open(sys.argv[2] + ".tmp", "wb") as f:
        f.write(ndjson(rows(int(sys.argv[1]))))
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
