# SPDX-License-Identifier: MIT
"""Iceberg's partition transforms, as pyiceberg computes them,
for the cases tests/unit/iceberg/test_transform.c writes: one JSON object a
line in CASES ({"type", "value", "transform", "param"}), one JSON result a
line out (an integer, a string, hex bytes, or null).

Values: int, long, date (days), timestamptz (microseconds) as integers;
string as text; binary and uuid as hex; decimal as [unscaled, precision,
scale]. Transforms: bucket, truncate, year, month, day, hour.

Usage: transforms.py CASES. Runs in the project's .venv Python (pyiceberg).
"""
import decimal
import json
import sys
import uuid

from pyiceberg.transforms import (BucketTransform, DayTransform, HourTransform, MonthTransform, TruncateTransform,
                                  YearTransform)
from pyiceberg.types import (BinaryType, DateType, DecimalType, IntegerType, LongType, StringType, TimestamptzType,
                             UUIDType)


def typed(case):
    t, v = case["type"], case["value"]
    if t == "decimal":
        unscaled, precision, scale = v
        return DecimalType(precision, scale), decimal.Decimal(unscaled).scaleb(-scale)
    simple = {"int": IntegerType(), "long": LongType(), "date": DateType(), "timestamptz": TimestamptzType(),
              "string": StringType(), "binary": BinaryType(), "uuid": UUIDType()}[t]
    if t == "binary":
        v = bytes.fromhex(v)
    elif t == "uuid":
        v = uuid.UUID(hex=v)
    return simple, v


def result(x):
    return bytes(x).hex() if isinstance(x, (bytes, bytearray)) else x


with open(sys.argv[1]) as f:
    for line in f:
        case = json.loads(line)
        ice, value = typed(case)
        name, param = case["transform"], case.get("param")
        transform = {"bucket": lambda: BucketTransform(param), "truncate": lambda: TruncateTransform(param),
                     "year": YearTransform, "month": MonthTransform, "day": DayTransform, "hour": HourTransform}[name]()
        out = transform.transform(ice)(value)
        if name == "truncate" and case["type"] == "binary":
            out = bytes(out)
        if name == "truncate" and case["type"] == "decimal":
            out = int(out.scaleb(case["value"][2]))
        print(json.dumps(result(out), ensure_ascii=False))
