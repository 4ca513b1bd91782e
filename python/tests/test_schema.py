# SPDX-License-Identifier: MIT
"""Schemas: loading, the table and columns they describe, equality, and
that the package under test is the installed one."""
import json
from pathlib import Path

import pytest

import lakeorm
from helpers import schema_of


def test_the_package_under_test_is_the_installed_one(repo):
    where = Path(lakeorm.__file__).resolve()
    assert "site-packages" in where.parts
    assert repo / "python" not in where.parents
    assert Path(lakeorm._native.__file__).name == "_native.abi3.so"
    assert lakeorm.__version__ == lakeorm._native.version()


def test_load_reads_table_and_columns_from_the_schema_file(users_schema):
    assert users_schema.table == "users"
    cols = users_schema.columns
    assert [(c.name, c.type, c.nullable, c.primary_key, c.merge_key) for c in cols] == [
        ("id", "uuid", False, True, False),
        ("email", "string", False, False, True),
        ("name", "string", False, False, False),
        ("age", "int32", True, False, False),
        ("country", "string", False, False, False),
        ("balance", "decimal(18,2)", False, False, False),
        ("created_at", "timestamp", False, False, False),
        ("updated_at", "timestamp", True, False, False),
        ("address", "struct", False, False, False),
    ]
    assert cols[1].rules == "required,email"
    assert cols[6].tag == "created_at,partition=day"
    assert [(m.name, m.type, m.nullable, m.rules) for m in cols[8].fields] == [
        ("city", "string", False, "required"), ("postcode", "string", True, "omitempty,alphanum")]


def test_from_json_of_text_and_bytes_and_load_give_equal_schemas(repo, users_schema):
    text = (repo / "examples" / "users.schema.json").read_text()
    assert lakeorm.Schema.from_json(text) == users_schema
    assert lakeorm.Schema.from_json(text.encode()) == users_schema
    assert lakeorm.Schema.load(str(repo / "examples" / "users.schema.json")) == users_schema
    assert hash(lakeorm.Schema.from_json(text)) == hash(users_schema)


def test_to_json_round_trips_to_the_same_schema(users_schema):
    again = lakeorm.Schema(users_schema.to_json())
    assert again == users_schema
    assert json.loads(again.to_json()) == json.loads(users_schema.to_json())


def test_schemas_differing_in_one_rule_are_not_equal():
    a = schema_of("t", ("a", "int32", "gte=0"))
    b = schema_of("t", ("a", "int32", "gte=1"))
    assert a != b
    assert a == schema_of("t", ("a", "int32", "gte=0"))


def test_with_table_renames_and_keeps_the_original():
    s = schema_of("t", ("a", "int32"))
    r = s.with_table("other")
    assert (s.table, r.table) == ("t", "other")
    assert [c.name for c in r.columns] == ["a"]
    assert isinstance(r, lakeorm.Schema)


def test_repr_names_table_and_columns(users_schema):
    assert repr(users_schema) == ("<lakeorm.Schema 'users': id, email, name, age, country, balance, "
                                  "created_at, updated_at, address>")


def test_nested_types_are_described_with_their_members(events_schema):
    cols = {c.name: c for c in events_schema.columns}
    assert cols["items"].type == "list<struct>"
    assert [m.name for m in cols["items"].fields] == ["sku", "qty", "price", "tags"]
    assert cols["kind"].tag == "kind,json=type"
    assert cols["scores"].type == "list<list<int64>>"
    assert cols["notes"].type == "list<string?>" and cols["notes"].nullable
    assert cols["labels"].type == "map<string,list<string>>"
    assert cols["payload"].type == "json"


@pytest.mark.parametrize("text, message", [
    ('{"table":"t","fields":[]}', "model t: a model needs at least one field"),
    ('{"table":"t","fields":[{"tag":"a","type":"int32","rules":"emial"}]}',
     'model t, field a: column "a": unknown validation rule "emial" (docs/validation.md lists the rules)'),
])
def test_malformed_schemas_raise_schema_error_with_the_place(text, message):
    with pytest.raises(lakeorm.SchemaError) as e:
        lakeorm.Schema(text)
    assert str(e.value) == message
    assert e.value.code == -4


@pytest.mark.parametrize("text, fragment", [
    ('{"table":"t","fields":[{"tag":"a","type":"int32","extra":1}]}', "fields[0]"),
    ('{"table":"t","fields":[{"tag":"a","type":"uint32"}]}', "uint32"),
    ('{"table":"t","fields":[{"tag":"a,nullable","type":"int32"},{"tag":"A","type":"int32"}]}', "A"),
    ('{"table":"_lakeorm_x","fields":[{"tag":"a","type":"int32"}]}', "_lakeorm_"),
    ('{"table":"t","fields":[{"tag":"a,pk,nullable","type":"int32"}]}', "a"),
    ('{"table":"t","version":2,"fields":[{"tag":"a","type":"int32"}]}', "version"),
    ('{"table":"t","fields":[{"tag":"a","type":"int32"}]} x', ""),
])
def test_schema_errors_name_what_is_wrong(text, fragment):
    with pytest.raises(lakeorm.SchemaError, match=None) as e:
        lakeorm.Schema(text)
    assert fragment in str(e.value)
    assert isinstance(e.value, ValueError)
