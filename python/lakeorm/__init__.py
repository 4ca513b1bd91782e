# SPDX-License-Identifier: MIT
"""lakeorm: typed records in, tagged columns out.

Describe a table once (a schema file, or a dataclass), validate records at the
boundary with strict decoding and validator-style rules, write them once,
request-scoped, into DuckDB, Delta, Iceberg, Spark or Databricks, and read
them back typed. The work is done by lakeorm's C core with the GIL released.
"""
from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from ._types import (
    AuthError, ConflictError, EngineError, Error, InsertResult, InvalidArgumentError, Issue, KeyReusedError,
    MismatchError, NoRowsError, NotFoundError, NotSupportedError, OutOfMemoryError, SchemaError, StorageError,
    TimeoutError, ValidationError,
)
from . import _native
from ._dataclass import (
    Bool, Bytes, Date, Decimal, Float32, Float64, Int8, Int16, Int32, Int64, Json, Rules, SortableId, String, Tag,
    Timestamp, Uuid, schema_text_of,
)

__version__ = _native.version()

__all__ = [
    "Schema", "Column", "Client", "connect", "validate", "validate_many", "validate_ndjson",
    "Issue", "InsertResult", "Error", "ValidationError", "SchemaError", "ConflictError", "KeyReusedError",
    "EngineError", "NotFoundError", "NoRowsError", "StorageError", "NotSupportedError", "TimeoutError",
    "AuthError", "MismatchError", "InvalidArgumentError", "OutOfMemoryError",
    "Tag", "Rules", "Bool", "Int8", "Int16", "Int32", "Int64", "Float32", "Float64", "String", "Bytes",
    "Timestamp", "Date", "Decimal", "Uuid", "SortableId", "Json",
]


class Column:
    """One column of a schema, as its schema file describes it."""

    __slots__ = ("name", "type", "nullable", "primary_key", "merge_key", "tag", "rules", "fields")

    def __init__(self, field: dict) -> None:
        self.tag: str = field["tag"]
        parts = [p.strip() for p in self.tag.split(",")]
        self.name: str = parts[0]
        self.type: str = field["type"]
        self.rules: str = field.get("rules", "")
        self.nullable: bool = "nullable" in parts[1:]
        self.primary_key: bool = "pk" in parts[1:]
        self.merge_key: bool = "mergeKey" in parts[1:]
        self.fields: Tuple["Column", ...] = tuple(Column(f) for f in field.get("fields", ()))

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.type!r}, tag={self.tag!r}, rules={self.rules!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Column) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    __hash__ = None  # type: ignore[assignment]


class Schema(_native.Schema):
    """A table's schema, compiled once by the C core.

    Schema(text) and Schema.from_json(text) parse the schema-file format
    (docs/schema.md); Schema.load(path) reads one; Schema.from_dataclass(cls)
    builds one from a dataclass's type hints.
    """

    @classmethod
    def from_json(cls, text: Union[str, bytes]) -> "Schema":
        return cls(text.decode() if isinstance(text, (bytes, bytearray)) else text)

    @classmethod
    def load(cls, path: Union[str, "_os.PathLike[str]"]) -> "Schema":
        with open(path, "rb") as f:
            return cls.from_json(f.read())

    @classmethod
    def from_dataclass(cls, dataclass: type, table: Optional[str] = None) -> "Schema":
        return cls(schema_text_of(dataclass, table))

    @property
    def columns(self) -> List[Column]:
        return [Column(f) for f in _json.loads(self.to_json())["fields"]]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _native.Schema) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __repr__(self) -> str:
        return f"<lakeorm.Schema {self.table!r}: {', '.join(c.name for c in self.columns)}>"


def validate(schema: Schema, record: Any) -> dict:
    """Checks one record (a dict, a Mapping or a dataclass instance) with the
    schema's strict decoding and rules; returns it typed, or raises
    ValidationError with every issue."""
    return _native.validate(schema, record)


def validate_many(schema: Schema, rows: Sequence[Any]) -> Tuple[List[dict], List[Tuple[int, List[Issue]]]]:
    """Checks every row; returns (good rows typed, [(index, [Issue, ...]), ...])."""
    return _native.validate_many(schema, rows)


def validate_ndjson(schema: Schema, data: Union[bytes, bytearray, memoryview]) -> Tuple[
        List[dict], List[Tuple[int, List[Issue]]]]:
    """Checks every line of NDJSON bytes; returns (good records typed,
    [(line, [Issue, ...]), ...]) with 1-based line numbers. Blank lines are skipped."""
    return _native.validate_ndjson(schema, data)


class Client(_native.Client):
    """A client on one engine, safe to share between threads. Client(url)
    takes every URL the lakeorm CLI takes (docs/cli.md):
    duckdb:///abs/lake.duckdb, duckdb://?dialect=delta&warehouse=file:///abs/lake,
    sc://host:15002/?dialect=iceberg, https://<databricks warehouse> ...
    Client(profile="dev", config="lakeorm.toml") opens a profile of a
    configuration file instead; without them, the file and profile the CLI
    would find ($LAKEORM_CONFIG, ./lakeorm.toml, ~/.config/lakeorm/lakeorm.toml;
    $LAKEORM_PROFILE, default_profile, "default").
    """

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def insert(self, schema: Schema, rows: Any, idempotency_key: Optional[str] = None,
               on_conflict: str = "error", path: str = "auto") -> InsertResult:
        """Writes rows as one request: every row lands or none does.

        rows: a list of dicts or dataclass instances, NDJSON bytes, or any
        object with __arrow_c_stream__ / __arrow_c_array__ (a pyarrow Table or
        RecordBatchReader, a polars DataFrame). on_conflict: "error",
        "ignore" or "update"; path: "auto", "direct" or "staged".
        """
        return super().insert(schema, rows, idempotency_key, on_conflict, path)

    def query(self, schema: Schema, sql: Optional[str] = None, params: Optional[Sequence[Any]] = None) -> List[dict]:
        """Every row of sql (or, with sql None, of the schema's table), typed
        by the schema: unmapped columns dropped, a missing one an error."""
        return super().query(schema, sql, params)

    def stream(self, schema: Schema, sql: Optional[str] = None,
               params: Optional[Sequence[Any]] = None) -> Iterator[dict]:
        """The rows one at a time, in constant memory. Close the iterator (or
        read it to the end, or use it in a with block) to free its engine session."""
        return super().stream(schema, sql, params)

    def first(self, schema: Schema, sql: Optional[str] = None, params: Optional[Sequence[Any]] = None) -> dict:
        """The first row; NoRowsError when there is none."""
        return super().first(schema, sql, params)


def connect(url: Optional[str] = None, *, profile: Optional[str] = None, config: Optional[str] = None) -> Client:
    """Opens a client on a URL, or on a profile of a configuration file (see Client)."""
    return Client(url, profile=profile, config=config)
