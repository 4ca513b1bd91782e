# SPDX-License-Identifier: MIT
"""The every-type table the query tests share: a schema with every column type
lakeorm maps, three hand-written rows with the extremes and the exact lines
`lakeorm query` prints for them (docs/cli.md), and a generator of many more
rows of every type for the tests that compare engines. Standard library only.
"""
import base64
import json
import os
import datetime
import random
import struct
import uuid

# Every column type lakeorm maps, nullable where it can be.
EVERY_TYPE = {
    "version": 1, "table": "every",
    "fields": [
        {"tag": "n,pk", "type": "int64"},
        {"tag": "i8,nullable", "type": "int8"},
        {"tag": "i16,nullable", "type": "int16"},
        {"tag": "i32,nullable", "type": "int32"},
        {"tag": "i64,nullable", "type": "int64"},
        {"tag": "f32,nullable", "type": "float32"},
        {"tag": "f64,nullable", "type": "float64"},
        {"tag": "dec,nullable", "type": "decimal(38,10)"},
        {"tag": "money,nullable", "type": "decimal(9,2)"},
        {"tag": "flag,nullable", "type": "bool"},
        {"tag": "s,nullable", "type": "string"},
        {"tag": "b,nullable", "type": "bytes"},
        {"tag": "u,nullable", "type": "uuid"},
        {"tag": "k,nullable", "type": "sortable_id"},
        {"tag": "d,nullable", "type": "date"},
        {"tag": "ts,nullable", "type": "timestamp"},
        {"tag": "st", "type": "struct", "fields": [
            {"tag": "x,nullable", "type": "int32"},
            {"tag": "y,nullable", "type": "string"}]},
        {"tag": "tags,nullable", "type": "list<string?>"},
        {"tag": "attrs,nullable", "type": "map<string,int64?>"},
        {"tag": "ship,nullable", "type": "struct", "fields": [{"tag": "city", "type": "string"}]},
        {"tag": "items", "type": "list<struct>", "fields": [
            {"tag": "sku", "type": "string"},
            {"tag": "qty,nullable", "type": "int32"}]},
    ]}
COLUMNS = "n, i8, i16, i32, i64, f32, f64, dec, money, flag, s, b, u, k, d, ts, st, tags, attrs, ship, items"

ROWS = [
    {"n": 1, "i8": -128, "i16": -32768, "i32": -2147483648, "i64": -9223372036854775808, "f32": 0.1,
     "f64": 0.1, "dec": "-9999999999999999999999999999.9999999999", "money": "0.05", "flag": True,
     "s": "caf\u00e9 \U0001F600 \"q\" \\ \u0001", "b": "AP8=", "u": "0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F",
     "k": "0ujtsYcgvSTl8PAuAdqWYSMnLOv", "d": "0001-01-01", "ts": "1969-12-31T23:59:59.999999Z",
     "st": {"x": 7, "y": ""}, "tags": ["a", None, ""], "attrs": {"k": 1, "z": None}, "ship": {"city": "Lyon"},
     "items": [{"sku": "x", "qty": 1}, {"sku": "", "qty": None}]},
    {"n": 2, "i8": 127, "i16": 32767, "i32": 2147483647, "i64": 9223372036854775807, "f32": 3.4028234663852886e38,
     "f64": 1.7976931348623157e308, "dec": "12.5", "money": "-1234567.89", "flag": False, "s": "",
     "b": "", "u": "00000000-0000-0000-0000-000000000000", "k": None, "d": "9999-12-31",
     "ts": "2024-03-05T12:34:56.000001Z", "st": {"x": None, "y": None}, "tags": [], "attrs": {}, "ship": None,
     "items": []},
    {"n": 3, "i8": None, "i16": None, "i32": None, "i64": None, "f32": 1e-45, "f64": 5e-324, "dec": None,
     "money": None, "flag": None, "s": None, "b": None, "u": None, "k": None, "d": None, "ts": None,
     "st": {"x": -1, "y": "\u65e5\u672c"}, "tags": None, "attrs": None,
     "items": [{"sku": "\u65e5\u672c", "qty": -2147483648}]},
]

EXPECTED = [
    '{"n":1,"i8":-128,"i16":-32768,"i32":-2147483648,"i64":-9223372036854775808,"f32":0.1,"f64":0.1,'
    '"dec":-9999999999999999999999999999.9999999999,"money":0.05,"flag":true,'
    '"s":"caf\u00e9 \U0001F600 \\"q\\" \\\\ \\u0001","b":"AP8=","u":"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f",'
    '"k":"0ujtsYcgvSTl8PAuAdqWYSMnLOv","d":"0001-01-01","ts":"1969-12-31T23:59:59.999999Z",'
    '"st":{"x":7,"y":""},"tags":["a",null,""],"attrs":{"k":1,"z":null},"ship":{"city":"Lyon"},'
    '"items":[{"sku":"x","qty":1},{"sku":"","qty":null}]}',
    '{"n":2,"i8":127,"i16":32767,"i32":2147483647,"i64":9223372036854775807,"f32":3.4028235e+38,'
    '"f64":1.7976931348623157e+308,"dec":12.5000000000,"money":-1234567.89,"flag":false,"s":"","b":"",'
    '"u":"00000000-0000-0000-0000-000000000000","k":null,"d":"9999-12-31","ts":"2024-03-05T12:34:56.000001Z",'
    '"st":{"x":null,"y":null},"tags":[],"attrs":{},"ship":null,"items":[]}',
    '{"n":3,"i8":null,"i16":null,"i32":null,"i64":null,"f32":1e-45,"f64":5e-324,"dec":null,"money":null,'
    '"flag":null,"s":null,"b":null,"u":null,"k":null,"d":null,"ts":null,"st":{"x":-1,"y":"\u65e5\u672c"},'
    '"tags":null,"attrs":null,"ship":null,"items":[{"sku":"\u65e5\u672c","qty":-2147483648}]}',
]


KSUID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
KSUID_MAX = int.from_bytes(b"\xff" * 20, "big")
TEXT = ["a", "Z", "0", " ", "\"", "\\", "/", "\u0001", "\u001f", "\u007f", "\n", "\t", "\u00e9", "\u00df",
        "\u0301", "\u65e5", "\u672c", "\u0627", "\u05d0", "\u200b", "\u2028", "\ufeff", "\U0001F600",
        "\U0001F3F3\uFE0F\u200D\U0001F308", "\U00010348"]


def ksuid(value):
    out = ""
    while value:
        value, r = divmod(value, 62)
        out = KSUID_ALPHABET[r] + out
    return out.rjust(27, "0")


def float32(rng):
    while True:
        (f,) = struct.unpack("<f", rng.getrandbits(32).to_bytes(4, "little"))
        if f == f and abs(f) != float("inf"):
            return f


def float64(rng):
    while True:
        (f,) = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))
        if f == f and abs(f) != float("inf"):
            return f


def decimal_text(rng, precision, scale):
    digits = rng.randint(1, precision)
    v = rng.randrange(10 ** digits) * rng.choice((1, -1))
    sign, mag = ("-" if v < 0 else ""), str(abs(v)).rjust(scale + 1, "0")
    return sign + mag[:len(mag) - scale] + ("." + mag[len(mag) - scale:] if scale else "")


def generate(count, seed=15):
    """`count` rows after ROWS (n from 4 on), about one value in eight NULL."""
    rng = random.Random(seed)

    def maybe(make):
        return None if rng.random() < 0.125 else make()

    rows = []
    for n in range(len(ROWS) + 1, len(ROWS) + 1 + count):
        rows.append({
            "n": n,
            "i8": maybe(lambda: rng.randint(-128, 127)),
            "i16": maybe(lambda: rng.randint(-32768, 32767)),
            "i32": maybe(lambda: rng.randint(-2 ** 31, 2 ** 31 - 1)),
            "i64": maybe(lambda: rng.choice((rng.randint(-2 ** 63, 2 ** 63 - 1), rng.randint(-10 ** 6, 10 ** 6)))),
            "f32": maybe(lambda: float32(rng)),
            "f64": maybe(lambda: rng.choice((float64(rng), rng.uniform(-1e6, 1e6), float(rng.randint(-99, 99))))),
            "dec": maybe(lambda: decimal_text(rng, 38, 10)),
            "money": maybe(lambda: decimal_text(rng, 9, 2)),
            "flag": maybe(lambda: rng.random() < 0.5),
            "s": maybe(lambda: "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 12)))),
            "b": maybe(lambda: base64.b64encode(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 20)))).decode()),
            "u": maybe(lambda: str(uuid.UUID(int=rng.getrandbits(128)))),
            "k": maybe(lambda: ksuid(rng.randint(0, KSUID_MAX))),
            "d": maybe(lambda: datetime.date.fromordinal(DAY_FIRST + rng.randrange(DAYS)).isoformat()),
            "ts": maybe(lambda: timestamp_text(rng)),
            "st": {"x": maybe(lambda: rng.randint(-2 ** 31, 2 ** 31 - 1)),
                   "y": maybe(lambda: "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 4))))},
            "tags": maybe(lambda: [maybe(lambda: rng.choice(TEXT)) for _ in range(rng.randint(0, 4))]),
            "attrs": maybe(lambda: {f"k{i}": maybe(lambda: rng.randint(-2 ** 63, 2 ** 63 - 1))
                                    for i in range(rng.randint(0, 3))}),
            "ship": maybe(lambda: {"city": "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 6)))}),
            "items": [{"sku": "".join(rng.choice(TEXT) for _ in range(rng.randint(0, 3))),
                       "qty": maybe(lambda: rng.randint(-2 ** 31, 2 ** 31 - 1))} for _ in range(rng.randint(0, 3))],
        })
    return rows


DAY_FIRST = datetime.date(1, 1, 1).toordinal()
DAYS = datetime.date(9999, 12, 31).toordinal() - DAY_FIRST + 1


def timestamp_text(rng):
    day = datetime.date.fromordinal(DAY_FIRST + rng.randrange(DAYS))
    us = rng.randrange(86400 * 10 ** 6)
    if rng.random() < 0.3:
        us -= us % 10 ** 6  # whole seconds print without a fraction
    s, frac = divmod(us, 10 ** 6)
    text = f"{day.isoformat()}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
    return text + (f".{frac:06d}" if frac else "") + "Z"


def every_type_db(d, name="lake.duckdb"):
    """A DuckDB file in folder d holding ROWS, ingested by lakeorm with the
    schema written to d/every.schema.json; its path."""
    from clitest import run  # the binary under test: only the CLI tests call this
    db, schema = os.path.join(d, name), os.path.join(d, "every.schema.json")
    with open(schema, "w") as f:
        json.dump(EVERY_TYPE, f)
    data = "".join(json.dumps(r) + "\n" for r in ROWS).encode()
    code, _, err = run("ingest", "--schema", schema, "--db", db, "-", stdin=data)
    assert code == 0, (code, err)
    return db
