# SPDX-License-Identifier: MIT
"""Schemas from dataclasses: type hints become column types, Annotated
metadata carries tags, rules and narrower types. The result is schema-file
text, compiled by the C core like any schema file, so a dataclass and its
schema-file twin are the same schema."""
from __future__ import annotations

import collections.abc
import dataclasses
import datetime as _dt
import decimal as _decimal
import json
import re
import sys
import types
import typing
import uuid as _uuid
from typing import Any, Dict, List, Optional, Tuple


class _Type:
    """A column type named in Annotated metadata: Annotated[int, Int32]."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"lakeorm.{self.name}"


Bool = _Type("bool")
Int8 = _Type("int8")
Int16 = _Type("int16")
Int32 = _Type("int32")
Int64 = _Type("int64")
Float32 = _Type("float32")
Float64 = _Type("float64")
String = _Type("string")
Bytes = _Type("bytes")
Timestamp = _Type("timestamp")
Date = _Type("date")
Uuid = _Type("uuid")
SortableId = _Type("sortable_id")
Json = _Type("json")


def Decimal(precision: int, scale: int = 0) -> _Type:  # noqa: N802 - reads as a type in Annotated
    """DECIMAL(precision, scale): Annotated[decimal.Decimal, Decimal(18, 2)]."""
    if not (1 <= precision <= 38 and 0 <= scale <= precision):
        raise ValueError(f"Decimal({precision}, {scale}): precision is 1-38 and scale 0-precision")
    return _Type(f"decimal({precision},{scale})")


class Tag:
    """The column's tag, as in schema files: Tag("email,mergeKey") names the
    column and its modifiers; Tag(",pk") keeps the field's name."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


class Rules:
    """Validation rules: Rules("required,email")."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


_SCALARS = {
    bool: "bool", int: "int64", float: "float64", str: "string", bytes: "bytes",
    _dt.datetime: "timestamp", _dt.date: "date", _uuid.UUID: "uuid",
}

# The column types a named type may narrow each Python type to.
_NAMED_FOR = {
    bool: ("bool",), int: ("int8", "int16", "int32", "int64"), float: ("float32", "float64"),
    str: ("string", "sortable_id"), bytes: ("bytes",), _dt.datetime: ("timestamp",), _dt.date: ("date",),
    _uuid.UUID: ("uuid",),
}

_UNION_TYPES: Tuple[Any, ...] = (typing.Union,) + ((types.UnionType,) if sys.version_info >= (3, 10) else ())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _optional_of(hint: Any, where: str) -> Tuple[Any, bool]:
    """(X, True) for Optional[X] / X | None, else (hint, False)."""
    if typing.get_origin(hint) in _UNION_TYPES:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0], True
        raise TypeError(f"{where}: {hint!r} is a union; a column holds one type (Optional[X] is the only union)")
    return hint, False


def _split_annotated(hint: Any) -> Tuple[Any, list]:
    if typing.get_origin(hint) is typing.Annotated:
        base, *meta = typing.get_args(hint)
        inner, more = _split_annotated(base)
        return inner, more + meta
    return hint, []


class _Builder:
    def __init__(self) -> None:
        self.seen: List[type] = []

    def fields_of(self, cls: type) -> List[Dict[str, Any]]:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        if cls in self.seen:
            raise TypeError(f"{cls.__name__} contains itself: a table's shape is finite")
        self.seen.append(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        out = [self.field(f.name, hints[f.name]) for f in dataclasses.fields(cls)]
        self.seen.pop()
        return out

    def field(self, name: str, hint: Any) -> Dict[str, Any]:
        hint, meta = _split_annotated(hint)
        hint, nullable = _optional_of(hint, f"field {name!r}")
        hint, more = _split_annotated(hint)
        meta += more
        tag = next((m.text for m in meta if isinstance(m, Tag)), name)
        if tag.startswith(","):
            tag = name + tag
        rules = ",".join(m.text for m in meta if isinstance(m, Rules))
        named = next((m.name for m in meta if isinstance(m, _Type)), None)
        type_text, children = self.type_of(hint, named, f"field {name!r}")
        modifiers = [p.strip() for p in tag.split(",")[1:]]
        # Optional on an auto=ingestID field says the caller leaves it None;
        # lakeorm always fills the column, so it stays NOT NULL.
        if nullable and "nullable" not in modifiers and "auto=ingestID" not in modifiers:
            tag += ",nullable"
        field: Dict[str, Any] = {"tag": tag, "type": type_text}
        if rules:
            field["rules"] = rules
        if children is not None:
            field["fields"] = children
        return field

    def type_of(self, hint: Any, named: Optional[str], where: str) -> Tuple[str, Optional[list]]:
        """The schema-file type of a hint, and the members of the struct it names."""
        if named is not None:
            if named == "json" or hint is Any or named in _NAMED_FOR.get(hint, ()) or (
                    hint is _decimal.Decimal and named.startswith("decimal(")):
                return named, None
            hint_name = getattr(hint, "__name__", repr(hint))
            raise TypeError(f"{where}: the column type {named} does not describe a {hint_name}")
        if hint is Any or hint is object:
            return "json", None
        if hint in _SCALARS:
            return _SCALARS[hint], None
        if hint is _decimal.Decimal:
            raise TypeError(f"{where}: a Decimal needs its precision and scale: "
                            "Annotated[Decimal, lakeorm.Decimal(18, 2)]")
        if dataclasses.is_dataclass(hint):
            return "struct", self.fields_of(hint)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin in (list, tuple, collections.abc.Sequence):
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                raise TypeError(f"{where}: a tuple column is tuple[X, ...]")
            if not args:
                raise TypeError(f"{where}: say the element type: list[X]")
            element, children = self.element(args[0], where)
            return f"list<{element}>", children
        if origin in (dict, collections.abc.Mapping):
            if len(args) != 2 or args[0] is not str:
                raise TypeError(f"{where}: a map column is dict[str, X]")
            value, children = self.element(args[1], where)
            return f"map<string,{value}>", children
        raise TypeError(f"{where}: {hint!r} maps to no column type")

    def element(self, hint: Any, where: str) -> Tuple[str, Optional[list]]:
        hint, meta = _split_annotated(hint)
        hint, nullable = _optional_of(hint, where)
        hint, more = _split_annotated(hint)
        meta += more
        named = next((m.name for m in meta if isinstance(m, _Type)), None)
        text, children = self.type_of(hint, named, where)
        return text + ("?" if nullable else ""), children


def schema_text_of(cls: type, table: Optional[str] = None) -> str:
    """The schema-file text of a dataclass: table from `table`, else the
    class's __table__, else its name in snake_case."""
    name = table or getattr(cls, "__table__", None) or _snake(cls.__name__)
    return json.dumps({"version": 1, "table": name, "fields": _Builder().fields_of(cls)})
