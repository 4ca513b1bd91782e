# SPDX-License-Identifier: MIT
"""lakeorm.validate / validate_many: Python rows go through the library's own
strict decoder, so dicts, Mappings and dataclasses get the verdicts NDJSON
gets, with Python's value types in their text forms."""
import collections.abc
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Optional

import pytest

import lakeorm
from lakeorm import Issue
from helpers import schema_of

D = decimal.Decimal
UTC = dt.timezone.utc

LOOSE = schema_of(
    "loose", ("i8,nullable", "int8"), ("i,nullable", "int64"), ("f,nullable", "float64"),
    ("s,nullable", "string"), ("b,nullable", "bytes"), ("ts,nullable", "timestamp"), ("d,nullable", "date"),
    ("dec,nullable", "decimal(5,2)"), ("u,nullable", "uuid"), ("l,nullable", "list<int32>"),
    ("m,nullable", "map<string,int32>"), ("st,nullable", "struct", "", [("x", "int32", "gte=1")]),
    ("j,nullable", "json"), ("key", "string"))
NULLS = {c: None for c in ("i8", "i", "f", "s", "b", "ts", "d", "dec", "u", "l", "m", "st", "j")}


def issues_of(schema, record):
    with pytest.raises(lakeorm.ValidationError) as e:
        lakeorm.validate(schema, record)
    return e.value.issues


def test_validate_returns_the_record_typed(users_schema):
    rec = lakeorm.validate(users_schema, {
        "id": "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", "email": "ann@example.com", "name": "Ann", "age": 31,
        "country": "UK", "balance": "1250.5", "created_at": "2024-03-06T08:00:00.250+01:00",
        "address": {"city": "London"}})
    assert rec == {
        "id": uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"), "email": "ann@example.com", "name": "Ann",
        "age": 31, "country": "UK", "balance": D("1250.50"),
        "created_at": dt.datetime(2024, 3, 6, 7, 0, 0, 250000, tzinfo=UTC), "updated_at": None,
        "address": {"city": "London", "postcode": None}}
    assert str(rec["balance"]) == "1250.50"  # the column's scale


def test_validate_raises_every_issue_of_the_record(users_schema):
    with pytest.raises(lakeorm.ValidationError) as e:
        lakeorm.validate(users_schema, {
            "id": "not-a-uuid", "email": "bob@example", "name": "", "age": 230, "country": "XX",
            "balance": D("12.345"), "created_at": dt.datetime(2024, 1, 1, tzinfo=UTC),
            "address": {"city": "Rome", "zip": "00100"}, "nickname": "danny"})
    assert str(e.value) == "1 record rejected with 8 issues"
    assert e.value.code == -5
    assert e.value.issues == [
        Issue(0, "/id", "id", "format", "", "expected a UUID such as 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"),
        Issue(0, "/email", "email", "email", "", "must be a valid email address"),
        Issue(0, "/name", "name", "required", "", "must be present and not empty"),
        Issue(0, "/age", "age", "lte", "150", "must be at most 150"),
        Issue(0, "/country", "country", "oneof", "UK US DE FR NL ES IT SE", "must be one of [UK US DE FR NL ES IT SE]"),
        Issue(0, "/balance", "balance", "range", "", "more decimal places than the column's scale (DECIMAL(18,2))"),
        Issue(0, "/address/zip", "address", "unknown_key", "", "unknown key: the table has no such column"),
        Issue(0, "/nickname", "", "unknown_key", "", "unknown key: the table has no such column"),
    ]


def test_python_values_without_a_json_form_are_issues_at_their_paths():
    issues = issues_of(LOOSE, {
        "key": "k", "f": float("nan"), "s": "a\ud800", "ts": dt.datetime(2020, 1, 1), "m": {1: 2, "a": 3},
        "j": {1, 2}, "dec": D("Infinity")})
    assert [(i.path, i.column, i.rule, i.message) for i in issues] == [
        ("/f", "f", "range", "a float that is NaN or infinite has no JSON form"),
        ("/s", "s", "format", "a str with a lone surrogate is not UTF-8 text"),
        ("/ts", "ts", "type", "a datetime without tzinfo is ambiguous: give it a time zone (datetime.timezone.utc)"),
        ("/m/1", "m", "type", "a key of type int: JSON keys are strings"),
        ("/j", "j", "type", "a value of type set has no JSON form"),
        ("/dec", "dec", "range", "a Decimal that is NaN or infinite has no JSON form"),
    ]


def test_a_top_level_key_that_is_not_a_str_names_no_column():
    assert issues_of(LOOSE, {"key": "k", 7: "x"}) == [
        Issue(0, "/7", "", "type", "", "a key of type int: JSON keys are strings")]


def test_decoder_verdicts_apply_to_python_values():
    issues = issues_of(LOOSE, {
        "key": "k", "i8": 300, "i": 2 ** 64, "d": "2020-13-01", "u": "nope", "l": [1, "2", None],
        "st": {"x": 0, "y": 1}, "zz": 1})
    assert [(i.path, i.column, i.rule, i.param) for i in issues] == [
        ("/i8", "i8", "range", ""), ("/i", "i", "range", ""), ("/d", "d", "format", ""), ("/u", "u", "format", ""),
        ("/l/1", "l", "type", ""), ("/l/2", "l", "null", ""), ("/st/x", "st", "gte", "1"),
        ("/st/y", "st", "unknown_key", ""), ("/zz", "", "unknown_key", ""),
    ]
    assert issues[0].message == "300 does not fit int8 (-128 to 127)"
    assert issues[1].message == ("18446744073709551616 does not fit int64 "
                                 "(-9223372036854775808 to 9223372036854775807)")


@pytest.mark.parametrize("value, rule", [(True, "type"), (1.0, "type"), ("5", "type"), (-129, "range")])
def test_an_int8_column_takes_only_integers_in_range(value, rule):
    assert [i.rule for i in issues_of(LOOSE, {"key": "k", "i8": value})] == [rule]


def test_text_forms_decode_like_json_input():
    rec = lakeorm.validate(LOOSE, {
        "key": "k", "s": "2024-01-01T00:00:00Z", "ts": "2024-01-01T00:00:00+01:00", "dec": "1.5",
        "u": "0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F", "b": "aGVsbG8=", "d": "2024-02-29"})
    assert rec == {**NULLS, "key": "k", "s": "2024-01-01T00:00:00Z", "ts": dt.datetime(2023, 12, 31, 23, tzinfo=UTC),
                   "dec": D("1.50"), "u": uuid.UUID("0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"), "b": b"hello",
                   "d": dt.date(2024, 2, 29)}


def test_python_containers_and_buffers_are_accepted():
    rec = lakeorm.validate(LOOSE, {"key": "k", "b": bytearray(b"\x00\xff"), "l": (1, 2), "m": {"z": 1, "a": 2},
                                   "ts": dt.datetime(2020, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5)))})
    assert rec["b"] == b"\x00\xff"
    assert rec["l"] == [1, 2]
    assert list(rec["m"].items()) == [("z", 1), ("a", 2)]  # entries keep their order
    assert rec["ts"] == dt.datetime(2020, 1, 1, 5, tzinfo=UTC) and rec["ts"].tzinfo is UTC
    assert lakeorm.validate(LOOSE, {"key": "k", "b": memoryview(b"ab")})["b"] == b"ab"


def test_a_datetime_is_not_a_date():
    assert [(i.path, i.rule) for i in issues_of(LOOSE, {"key": "k", "d": dt.datetime(2020, 1, 1, tzinfo=UTC)})] == [
        ("/d", "format")]


def test_empty_and_null_strings_stay_distinct():
    assert lakeorm.validate(LOOSE, {"key": "", "s": ""})["s"] == ""
    assert lakeorm.validate(LOOSE, {"key": "", "s": None})["s"] is None
    assert lakeorm.validate(LOOSE, {"key": "", "l": []})["l"] == []
    assert lakeorm.validate(LOOSE, {"key": ""})["l"] is None
    assert lakeorm.validate(LOOSE, {"key": "a\x00b"})["key"] == "a\x00b"


def test_json_columns_keep_any_value_and_refuse_deep_nesting():
    assert lakeorm.validate(LOOSE, {"key": "k", "j": {"b": [1, 2.5, None], "a": "é"}})["j"] == {
        "b": [1, 2.5, None], "a": "é"}
    assert lakeorm.validate(LOOSE, {"key": "k", "j": "s"})["j"] == "s"
    deep = []
    for _ in range(70):
        deep = [deep]
    issues = issues_of(LOOSE, {"key": "k", "j": deep})
    assert [(i.path, i.rule) for i in issues] == [("", "syntax")]
    assert "nesting too deep" in issues[0].message


def test_mappings_and_records_that_are_not_mappings():
    class Row(collections.abc.Mapping):
        def __init__(self, d):
            self.d = d

        def __getitem__(self, k):
            return self.d[k]

        def __iter__(self):
            return iter(self.d)

        def __len__(self):
            return len(self.d)

    assert lakeorm.validate(LOOSE, Row({"key": "z", "i": 5})) == {**NULLS, "key": "z", "i": 5}
    assert issues_of(LOOSE, [1, 2]) == [
        Issue(0, "", "", "type", "", "a record of type list: give a dict, a Mapping or a dataclass instance")]
    assert issues_of(LOOSE, None)[0].message == (
        "a record of type NoneType: give a dict, a Mapping or a dataclass instance")


def test_auto_ingest_id_and_json_aliases():
    s = schema_of("aliased", ("ing,auto=ingestID", "string"), ("kind,json=type", "string", "required"))
    assert lakeorm.validate(s, {"type": "a"}) == {"ing": None, "type": "a"}
    assert issues_of(s, {"type": "a", "ing": "x"}) == [
        Issue(0, "/ing", "ing", "auto", "", "lakeorm fills this column with the insert's ingest id; leave it out")]
    assert [(i.path, i.column, i.rule) for i in issues_of(s, {"kind": "a"})] == [
        ("/kind", "", "unknown_key"), ("/type", "kind", "missing")]


@dataclass
class Point:
    x: int
    label: Optional[str] = None


def test_dataclass_instances_validate_like_dicts_with_none_fields_left_out():
    s = schema_of("points", ("x", "int64", "gte=0"), ("label,nullable", "string", "omitempty,min=2"))
    assert lakeorm.validate(s, Point(3)) == {"x": 3, "label": None}
    assert lakeorm.validate(s, Point(3, "ab")) == {"x": 3, "label": "ab"}
    assert [(i.path, i.rule, i.param) for i in issues_of(s, Point(-1, "a"))] == [
        ("/x", "gte", "0"), ("/label", "min", "2")]


def test_validate_many_keeps_good_rows_and_groups_issues_by_index():
    s = schema_of("kinds", ("kind,json=type", "string", "required"))
    good, rejected = lakeorm.validate_many(s, [{"type": "a"}, {"type": ""}, {"kind": 1}, {"type": "b"}])
    assert good == [{"type": "a"}, {"type": "b"}]
    assert rejected == [
        (1, [Issue(1, "/type", "kind", "required", "", "must be present and not empty")]),
        (2, [Issue(2, "/kind", "", "unknown_key", "", "unknown key: the table has no such column"),
             Issue(2, "/type", "kind", "missing", "", "missing: the column is not nullable")]),
    ]
    assert lakeorm.validate_many(s, []) == ([], [])
    with pytest.raises(TypeError, match="rows must be a sequence"):
        lakeorm.validate_many(s, 5)


def test_validate_many_counts_records_across_chunks():
    s = schema_of("n", ("n", "int32", "lt=9000"))
    good, rejected = lakeorm.validate_many(s, [{"n": i} for i in range(10000)])
    assert len(good) == 9000 and good[-1] == {"n": 8999}
    assert [r for r, _ in rejected] == list(range(9000, 10000))
    assert rejected[-1][1] == [Issue(9999, "/n", "n", "lt", "9000", "must be less than 9000")]


def test_validate_refuses_what_is_not_a_schema():
    with pytest.raises(TypeError, match="expected a lakeorm.Schema, got a dict"):
        lakeorm.validate({}, {})


def test_validation_error_is_a_value_error_carrying_issues():
    e = lakeorm.ValidationError("m", issues=[Issue(0, "", "", "x", "", "y")])
    assert isinstance(e, ValueError) and isinstance(e, lakeorm.Error)
    assert e.issues == [Issue(0, "", "", "x", "", "y")] and e.code == -5
