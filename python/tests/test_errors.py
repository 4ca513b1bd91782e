# SPDX-License-Identifier: MIT
"""The error surface: each lake_status raises its own class, carrying the
status as .code; engine refusals carry kind and SQLSTATE."""
import builtins

import pytest

import lakeorm
from lakeorm import _types
from helpers import schema_of

STATUSES = [
    (-1, lakeorm.Error, Exception), (-2, lakeorm.OutOfMemoryError, MemoryError),
    (-3, lakeorm.InvalidArgumentError, ValueError), (-4, lakeorm.SchemaError, ValueError),
    (-5, lakeorm.ValidationError, ValueError), (-6, lakeorm.NotFoundError, LookupError),
    (-7, lakeorm.NoRowsError, LookupError), (-8, lakeorm.StorageError, OSError),
    (-9, lakeorm.ConflictError, lakeorm.Error), (-10, lakeorm.NotSupportedError, lakeorm.Error),
    (-11, lakeorm.EngineError, lakeorm.Error), (-12, lakeorm.TimeoutError, builtins.TimeoutError),
    (-13, lakeorm.AuthError, PermissionError), (-14, lakeorm.MismatchError, TypeError),
    (-15, lakeorm.KeyReusedError, lakeorm.Error),
]


@pytest.mark.parametrize("code, cls, base", STATUSES)
def test_each_status_has_its_class_code_and_builtin_base(code, cls, base):
    assert cls.code == code
    assert _types.ERRORS_BY_CODE[code] is cls
    assert issubclass(cls, lakeorm.Error) and issubclass(cls, base)
    e = cls("m", kind="conflict", sqlstate="40001")
    assert (e.message, e.code, e.kind, e.sqlstate, str(e)) == ("m", code, "conflict", "40001", "m")


def test_every_status_is_mapped_once():
    assert sorted(_types.ERRORS_BY_CODE) == list(range(-15, 0))
    assert len(set(_types.ERRORS_BY_CODE.values())) == 15


def raised(call):
    with pytest.raises(lakeorm.Error) as e:
        call()
    return e.value


def test_invalid_argument_from_an_unknown_url_key():
    e = raised(lambda: lakeorm.connect("duckdb://?frob=1"))
    assert type(e) is lakeorm.InvalidArgumentError and e.code == -3 and e.kind == "none"
    assert str(e).startswith('unknown client URL key "frob"')


def test_schema_error_from_a_bad_rule():
    e = raised(lambda: lakeorm.Schema('{"table":"t","fields":[{"tag":"a","type":"int32","rules":"emial"}]}'))
    assert type(e) is lakeorm.SchemaError and e.code == -4


def test_validation_error_from_a_bad_record():
    e = raised(lambda: lakeorm.validate(schema_of("t", ("a", "int32")), {"a": "x"}))
    assert type(e) is lakeorm.ValidationError and e.code == -5
    assert [(i.path, i.rule) for i in e.issues] == [("/a", "type")]


def test_no_rows_error_from_first(lake, people):
    e = raised(lambda: lake.first(people))
    assert type(e) is lakeorm.NoRowsError and e.code == -7


def test_storage_error_from_a_database_in_a_missing_folder(tmp_path):
    e = raised(lambda: lakeorm.connect(f"duckdb://{tmp_path}/missing/x.duckdb"))
    assert type(e) is lakeorm.StorageError and e.code == -8 and isinstance(e, OSError)
    assert "No such file or directory" in str(e)


def test_not_supported_error_from_an_unknown_scheme():
    e = raised(lambda: lakeorm.connect("bogus://x"))
    assert type(e) is lakeorm.NotSupportedError and e.code == -10
    assert "use duckdb://, sc:// (Spark Connect) or https://" in str(e)


def test_engine_errors_carry_kind_class_and_sqlstate(lake, people):
    syntax = raised(lambda: lake.query(people, "SELEC nonsense"))
    assert type(syntax) is lakeorm.EngineError and syntax.code == -11
    assert (syntax.kind, syntax.sqlstate, syntax.engine_class) == ("invalid", "42601", "Parser")
    missing = raised(lambda: lake.query(people, "SELECT * FROM nope"))
    assert (missing.kind, missing.engine_class) == ("not found", "Catalog")
    lake.insert(people, [{"id": 1, "name": "a"}])
    dup = raised(lambda: lake.insert(people, [{"id": 1, "name": "a"}]))
    assert (type(dup), dup.kind, dup.sqlstate, dup.engine_class) == (lakeorm.EngineError, "invalid", "23000",
                                                                     "Constraint")


def test_mismatch_error_from_a_result_missing_a_column(lake, people):
    e = raised(lambda: lake.query(people, "SELECT 1 AS id"))
    assert type(e) is lakeorm.MismatchError and e.code == -14 and isinstance(e, TypeError)


def test_key_reused_error_from_an_idempotency_key_on_other_records(lake, people):
    lake.insert(people, [{"id": 1, "name": "a"}], idempotency_key="k")
    e = raised(lambda: lake.insert(people, [{"id": 2, "name": "a"}], idempotency_key="k"))
    assert type(e) is lakeorm.KeyReusedError and e.code == -15


def test_errors_that_are_python_errors_stay_python_errors(lake, people):
    with pytest.raises(TypeError, match="expected a lakeorm.Schema"):
        lake.query("people")
    with pytest.raises(TypeError, match="params must be a sequence"):
        lake.query(people, "SELECT * FROM people", 5)
    with pytest.raises(FileNotFoundError):
        lakeorm.Schema.load("/nonexistent/schema.json")
