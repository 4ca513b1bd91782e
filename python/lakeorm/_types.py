# SPDX-License-Identifier: MIT
"""The values lakeorm hands back: issues, errors and insert results.

The native module imports this file when it loads (it never imports the
native module back), so every exception it raises is one of these classes.
"""
from __future__ import annotations

from typing import NamedTuple, Optional
import uuid


class Issue(NamedTuple):
    """One problem with one field of one record, ready for an HTTP 400.

    record: the index in the batch (rows, dataclasses, Arrow rows), or the
    1-based line for NDJSON; path: a JSON pointer into the record
    ("/address/city", "" for the record itself); column: the top-level
    column; rule: a stable id ("email", "min", "unknown_key", "type" ...);
    param: the rule's parameter ("" when none); message: an English sentence.
    """

    record: int
    path: str
    column: str
    rule: str
    param: str
    message: str


class Error(Exception):
    """Every failure lakeorm reports. `code` is the C library's lake_status
    (a negative int); when an engine refused, `kind` ("conflict",
    "permission", ...), `engine_class` and `sqlstate` say how."""

    code = -1

    def __init__(self, message: str, code: Optional[int] = None, kind: str = "none",
                 engine_class: str = "", sqlstate: str = "") -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.kind = kind
        self.engine_class = engine_class
        self.sqlstate = sqlstate


class OutOfMemoryError(Error, MemoryError):
    code = -2


class InvalidArgumentError(Error, ValueError):
    code = -3


class SchemaError(Error, ValueError):
    code = -4


class ValidationError(Error, ValueError):
    """Records were rejected; `issues` lists every failing field of every
    record (a list of Issue)."""

    code = -5

    def __init__(self, message: str, issues: Optional[list] = None, **kw) -> None:
        super().__init__(message, **kw)
        self.issues = list(issues or [])


class NotFoundError(Error, LookupError):
    code = -6


class NoRowsError(Error, LookupError):
    code = -7


class StorageError(Error, OSError):
    code = -8


class ConflictError(Error):
    """A concurrent writer won; nothing was written and a retry may succeed."""

    code = -9


class NotSupportedError(Error):
    code = -10


class EngineError(Error):
    """The engine or server refused the request."""

    code = -11


class TimeoutError(Error, TimeoutError):  # noqa: A001 - lakeorm.TimeoutError is also the builtin
    code = -12


class AuthError(Error, PermissionError):
    code = -13


class MismatchError(Error, TypeError):
    """Query results do not fit the schema."""

    code = -14


class KeyReusedError(Error):
    """An idempotency key already names a different request."""

    code = -15


ERRORS_BY_CODE = {cls.code: cls for cls in (
    Error, OutOfMemoryError, InvalidArgumentError, SchemaError, ValidationError, NotFoundError,
    NoRowsError, StorageError, ConflictError, NotSupportedError, EngineError, TimeoutError,
    AuthError, MismatchError, KeyReusedError)}


class InsertResult(NamedTuple):
    """What an insert did. inserted + updated + ignored == rows."""

    ingest_id: uuid.UUID
    rows: int
    path: str          # "direct" or "staged"
    replayed: bool     # an idempotent retry: nothing written, ingest_id is the first insert's
    bytes_staged: int
    inserted: int
    updated: int
    ignored: int
