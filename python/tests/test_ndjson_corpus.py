# SPDX-License-Identifier: MIT
"""The C suite's corpora through validate_ndjson: the strict decoder's
edge-case table (read from tests/unit/json/test_decode.c itself, so the two
suites cannot drift), the users and nested events fixtures with the verdicts
the C and CLI tests expect, and the json_decode fuzzer's seed corpus."""
import datetime as dt
import decimal
import re
import uuid

import pytest

import lakeorm
from lakeorm import Issue
from helpers import schema_of

UTC = dt.timezone.utc
DECODE_RULES = {"syntax", "type", "null", "missing", "unknown_key", "duplicate_key", "range", "format", "trailing",
                "auto"}

# test_decode.c's edge model: every column nullable, so {} is a valid record.
EDGE = schema_of("edge", ("s,nullable", "string"), ("f,nullable", "float64"), ("i,nullable", "int64"),
                 ("small,nullable", "int8"), ("b,nullable", "bool"), ("f32,nullable", "float32"))


def c_string(literal):
    """The bytes of one or more adjacent C string literals."""
    out = bytearray()
    for body in re.findall(r'"((?:[^"\\]|\\.)*)"', literal):
        i = 0
        while i < len(body):
            c = body[i]
            if c != "\\":
                out += c.encode()
                i += 1
                continue
            e = body[i + 1]
            if e == "x":
                m = re.match(r"[0-9A-Fa-f]+", body[i + 2:])
                out.append(int(m.group(0), 16) & 0xFF)
                i += 2 + len(m.group(0))
            elif e in "01234567":
                m = re.match(r"[0-7]{1,3}", body[i + 1:])
                out.append(int(m.group(0), 8))
                i += 1 + len(m.group(0))
            else:
                out += {"n": b"\n", "t": b"\t", "r": b"\r", '"': b'"', "\\": b"\\", "'": b"'"}[e]
                i += 2
    return bytes(out)


def edge_cases(repo):
    src = (repo / "tests" / "unit" / "json" / "test_decode.c").read_text()
    table = src[src.index("edge_cases[] = {"):]
    table = table[:table.index("\n};")]
    cases = []
    for m in re.finditer(r'^\s*\{((?:"(?:[^"\\]|\\.)*"\s*)+),\s*(\d+),\s*"(\w+)"\},', table, re.M):
        data = c_string(m.group(1))
        if int(m.group(2)):
            data = data + b"\0" * (int(m.group(2)) - len(data))
        cases.append((data, m.group(3)))
    return cases


def test_the_edge_case_table_is_read_whole(repo):
    cases = edge_cases(repo)
    assert len(cases) >= 90
    assert cases[0] == (b"{}", "ok")
    assert (b"\xef\xbb\xbf{}", "syntax") in cases
    assert (b'{"s":"x"}\0', "trailing") in cases


def test_each_edge_case_line_gets_the_c_suites_verdict(repo):
    """One NDJSON document holding every single-line case: each line's first
    issue is the rule test_decode.c expects, the good lines are kept."""
    cases = [(d, v) for d, v in edge_cases(repo) if b"\n" not in d and b"\r" not in d and d.strip()]
    data = b"\n".join(d for d, _ in cases) + b"\n"
    good, rejected = lakeorm.validate_ndjson(EDGE, data)
    got = {line: issues[0].rule for line, issues in rejected}
    want = {n: v for n, (_, v) in enumerate(cases, 1) if v != "ok"}
    assert got == want
    assert len(good) == sum(v == "ok" for _, v in cases)
    assert all(i.record == line for line, issues in rejected for i in issues)


def test_blank_and_whitespace_only_cases_are_skipped_lines(repo):
    blank = [d for d, _ in edge_cases(repo) if not d.strip()]
    assert blank == [b"", b"   "]
    assert lakeorm.validate_ndjson(EDGE, b"\n   \n\r\n") == ([], [])
    good, rejected = lakeorm.validate_ndjson(EDGE, b" \t\r\n{ } \n")
    assert rejected == [] and len(good) == 1


def test_edge_values_decode_exactly():
    good, rejected = lakeorm.validate_ndjson(
        EDGE, '{"s":"caf\\u00e9\\ud83d\\ude00\\n","f":-0,"i":-9223372036854775808,"small":-128,"b":false,'
              '"f32":0.1}\n{}\n{"s":""}\n{"s":"a\\u0000b"}\n'.encode())
    assert rejected == []
    first = good[0]
    assert first["s"] == "café😀\n"
    assert first["f"] == 0 and str(first["f"]) == "-0.0"
    assert (first["i"], first["small"], first["b"]) == (-(2 ** 63), -128, False)
    assert first["f32"] == 0.10000000149011612  # the float32 nearest 0.1, widened exactly
    assert good[1] == dict.fromkeys(["s", "f", "i", "small", "b", "f32"])
    assert good[2]["s"] == "" and good[3]["s"] == "a\0b"


def test_books_ndjson_keeps_good_lines_across_crlf_and_blank_lines():
    books = schema_of("books", ("id", "string", "required"), ("title", "string", "required"),
                      ("author", "string", "required"))
    data = (b'{"id":"1","title":"A","author":"X"}\n\n{"id":"2","title":"","author":"Y"}\r\n'
            b'{"id":"3","title":"C","author":"Z"}\r\nnot json\n   \n{"id":"5","title":"E","author":"W"}')
    good, rejected = lakeorm.validate_ndjson(books, data)
    assert [b["id"] for b in good] == ["1", "3", "5"]
    assert [(line, [(i.path, i.rule) for i in issues]) for line, issues in rejected] == [
        (3, [("/title", "required")]), (5, [("", "syntax")])]
    assert rejected[0][1][0] == Issue(3, "/title", "title", "required", "", "must be present and not empty")


def test_users_ndjson_rejects_lines_2_4_and_6(users_schema, users_ndjson):
    good, rejected = lakeorm.validate_ndjson(users_schema, users_ndjson)
    assert [g["email"] for g in good] == ["ann@example.com", "chloé@example.fr", "eve@example.com"]
    assert good[1]["created_at"] == dt.datetime(2024, 3, 6, 7, 0, 0, 250000, tzinfo=UTC)
    assert good[1]["balance"] == decimal.Decimal("0.00") and good[1]["age"] is None
    assert good[0]["id"] == uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f")
    assert [(line, [(i.path, i.rule, i.param) for i in issues]) for line, issues in rejected] == [
        (2, [("/email", "email", ""), ("/age", "lte", "150")]),
        (4, [("/id", "format", ""), ("/name", "required", ""), ("/country", "oneof", "UK US DE FR NL ES IT SE"),
             ("/balance", "range", ""), ("/created_at", "format", ""), ("/address/zip", "unknown_key", ""),
             ("/nickname", "unknown_key", "")]),
        (6, [("", "syntax", "")]),
    ]
    assert rejected[2][1][0].message == "invalid JSON at byte 84: expected ',' or '}'"


def test_line_numbers_survive_blank_lines_and_crlf(users_schema, users_ndjson):
    src = users_ndjson.splitlines()
    good, rejected = lakeorm.validate_ndjson(users_schema, b"\r\n".join([src[0], b"", src[1], b"   ", src[2]]) + b"\r\n")
    assert len(good) == 2 and [line for line, _ in rejected] == [3]


def test_invalid_utf8_and_nul_bytes_reject_their_line_only(users_schema, users_ndjson):
    first = users_ndjson.splitlines()[0]
    data = first.replace(b"Ann", b"A\xffn") + b"\n{\x00}\n" + first + b"\n"
    good, rejected = lakeorm.validate_ndjson(users_schema, data)
    assert [g["name"] for g in good] == ["Ann"]
    assert [(line, issues[0].rule) for line, issues in rejected] == [(1, "syntax"), (2, "syntax")]


def test_bytes_like_inputs_give_the_same_verdicts(users_schema, users_ndjson):
    want = lakeorm.validate_ndjson(users_schema, users_ndjson)
    assert lakeorm.validate_ndjson(users_schema, bytearray(users_ndjson)) == want
    assert lakeorm.validate_ndjson(users_schema, memoryview(users_ndjson)) == want
    with pytest.raises(TypeError):
        lakeorm.validate_ndjson(users_schema, users_ndjson.decode())


def test_events_fixture_gets_the_nested_verdicts(events_schema, events_ndjson):
    good, rejected = lakeorm.validate_ndjson(events_schema, events_ndjson)
    assert [g["event_id"].hex[-2:] for g in good] == ["01", "02", "03", "04"]
    e = good[0]
    assert e["type"] == "order.created"
    assert e["items"][0] == {"sku": "A-1", "qty": 2, "price": decimal.Decimal("9.99"), "tags": ["red", "xl"]}
    assert e["shipping"] == {"city": "Lyon", "zip": 69001}
    assert e["attrs"] == {"channel": "web", "campaign": "spring"}
    assert e["payload"] == {"cart": {"id": 7, "coupons": ["A", "B"]}, "total": 19.98}
    assert e["scores"] == [[1, 2, 3], [], [-4]]
    assert e["notes"] == ["gift", None, "fragile"]
    assert e["labels"] == {"team": ["a", "b"], "none": []}
    assert good[1]["shipping"] is None and good[1]["notes"] is None and good[1]["attrs"] == {}
    assert good[3]["scores"] == [[2 ** 63 - 1], [-(2 ** 63)]] and good[3]["payload"] == "just a string"
    got = {line: [(i.path, i.rule, i.column) for i in issues] for line, issues in rejected}
    assert got[5] == [("/items", "min", "items")]
    assert [x for x in got[6] if x[1] in DECODE_RULES] == [
        ("/scores/0/0", "type", "scores"), ("/labels/a/0", "null", "labels")]
    assert {("/items/0/sku", "required", "items"), ("/items/0/qty", "gte", "items")} <= set(got[6])
    assert [x for x in got[7] if x[1] in DECODE_RULES] == [
        ("/items", "type", "items"), ("/shipping/city", "missing", "shipping"), ("/attrs/a", "duplicate_key", "attrs")]
    assert sorted(got) == [5, 6, 7]


def test_good_records_validate_again_unchanged(events_schema, events_ndjson):
    """What the decoder returns is what validate takes back: the typed values round trip."""
    good, _ = lakeorm.validate_ndjson(events_schema, events_ndjson)
    for record in good:
        assert lakeorm.validate(events_schema, record) == record


FUZZ_ALL_TYPES = schema_of(
    "everything", ("b", "bool"), ("i8", "int8", "oneof=1 2 3"), ("i16,nullable", "int16", "omitempty,gt=0"),
    ("i32", "int32", "lte=1000"), ("i64,nullable", "int64"), ("f32", "float32", "lt=1.5"), ("f64,nullable", "float64"),
    ("s,nullable", "string", "omitempty,alphanum|uuid4,max=20"), ("bytes,nullable", "bytes", "max=64"),
    ("ts", "timestamp"), ("date,nullable", "date"), ("dec", "decimal(20,4)", "gte=-1.5"), ("uuid,nullable", "uuid"),
    ("ksuid,nullable", "sortable_id"))


def test_fuzz_seed_corpus_lines_each_end_good_or_with_known_rules(repo, events_schema):
    corpus = sorted((repo / "tests" / "fuzz" / "corpus" / "json_decode").iterdir())
    assert len(corpus) >= 10
    for path in corpus:
        data = path.read_bytes()
        lines = [l for l in data.split(b"\n") if l.strip()]
        for schema in (FUZZ_ALL_TYPES, events_schema):
            good, rejected = lakeorm.validate_ndjson(schema, data)
            assert len(good) + len(rejected) == len(lines), path.name
            assert all(i.rule and i.message for _, issues in rejected for i in issues), path.name
            for record in good:
                assert lakeorm.validate(schema, record) == record, path.name
