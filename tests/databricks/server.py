#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fake Databricks SQL Statement Execution API that runs every statement on a real Spark Connect server.

  server.py [--spark sc://127.0.0.1:PORT] --port-file PATH [--warehouse ID (wh-test)] [--pat TOKEN]
            [--client-id ID --client-secret SECRET] [--token-ttl S (3600)] [--chunk-rows N (20000)]
            [--link-ttl S (900)] [--compress lz4|zstd] [--volumes DIR [--page-size N (1000)]] [--verbose]
Binds 127.0.0.1 on an ephemeral port, writes the port to --port-file (temp file + rename) and serves
HTTP/1.1 (keep-alive) until SIGTERM/SIGINT. One Spark Connect session per worker thread. Without --spark
only the Files API and tokens are served (statements: 400 NOT_IMPLEMENTED), for tests of the volume backend.
With --volumes, the Files API (files_api.py: its docstring lists what it reproduces) serves Unity Catalog
volumes from DIR, with the same authentication as the statements.

Reproduced, from docs.databricks.com/api/workspace/statementexecution/...
- executestatement: POST /api/2.0/sql/statements {statement, warehouse_id, catalog, schema, parameters
  [{name, value (string; missing/null = NULL), type (default STRING)}] bound to :name markers, wait_timeout
  (0s | 5s..50s, default 10s), on_wait_timeout (CONTINUE | CANCEL), disposition (INLINE | EXTERNAL_LINKS),
  format (JSON_ARRAY | ARROW_STREAM), row_limit (sets manifest.truncated), byte_limit}. INLINE only with
  JSON_ARRAY; INLINE results over 25 MiB abort the statement. PENDING -> RUNNING -> SUCCEEDED|FAILED|CANCELED.
- getstatement: GET .../statements/{id} -> statement_id, status {state, error {error_code, message},
  sql_state}, and when SUCCEEDED the manifest and result chunk 0.
- getstatementresultchunkn: GET .../statements/{id}/result/chunks/{n} -> the `result` object of chunk n
  with next_chunk_index / next_chunk_internal_link while more chunks follow. JSON_ARRAY values are all
  strings (NULL = null). EXTERNAL_LINKS: {external_links: [{chunk_index, row_offset, row_count, byte_count,
  external_link, expiration, http_headers}]}; links are "pre-signed": fetched WITHOUT Authorization (with it:
  S3's 400 InvalidArgument "Only one auth mechanism allowed"), in parallel and repeatedly until they expire
  (then 403 AccessDenied "Request has expired"); re-requesting the chunk gives a fresh link. Each
  ARROW_STREAM chunk is a complete Arrow IPC stream.
- cancelexecution: POST .../statements/{id}/cancel -> {} (really interrupts the Spark job).
From docs.databricks.com/en/dev-tools/auth/oauth-m2m.html: POST /oidc/v1/token with HTTP Basic
client_id:client_secret and grant_type=client_credentials&scope=all-apis -> {access_token, token_type,
expires_in, scope}. API calls need "Authorization: Bearer <PAT or unexpired OAuth token>".

Deliberately not reproduced / different:
- format CSV -> 400 NOT_IMPLEMENTED. No CLOSED state: results live until the server exits.
- Unknown request fields -> 400 INVALID_PARAMETER_VALUE (stricter than Databricks, to catch client typos);
  bad parameter names, types or values are refused at submission with 400 INVALID_PARAMETER_VALUE.
- Chunks hold --chunk-rows rows (Databricks sizes them by bytes); byte_limit is approximate (Arrow size).
- An empty result has total_chunk_count 0, no manifest.chunks and no `result` (the docs show no example).
- FAILED: error_code BAD_REQUEST (INTERNAL_ERROR for SQLSTATE class XX or non-Spark failures), message is
  Spark's "[ERROR_CLASS] ...", sql_state Spark's SQLSTATE. INLINE over 25 MiB: BAD_REQUEST, no sql_state.
- DESCRIBE TABLE EXTENDED <table> AS JSON (Databricks SQL, DBR 16.2+) answers for every table, where Spark 4.0
  answers only for its v1 tables: the fake builds the documented document's "table_name" and "columns" (each
  column's "name", "type" {"name"}, "nullable") from the table's schema; other members are left out.
- Statements see /Volumes: a quoted /Volumes/... (or dbfs:/Volumes/...) path in a statement's text is rewritten
  to the --volumes folder before Spark runs it (Spark has no volumes); /_test/stats shows the text as sent.
- Default catalog.schema is spark_catalog.default. INSERT/DDL return Spark's command result (usually no
  columns), not Databricks' num_affected_rows. Column types are derived from Spark's Arrow schema.
Test-only endpoints (not part of the API, no auth): GET /_test/stats (counters, plus the last 50 statements;
links_expired also counts unknown link tokens; spark_operations_interrupted counts Spark operations stopped
by cancels), POST /_test/expire_links (expire every link issued so far), POST /_test/expire_next_links/N (the next N
links are issued already expired), POST /_test/refuse_next/N/HTTP (the next N statement API calls are refused with
that status before anything runs: 429 TOO_MANY_REQUESTS with Retry-After: 1 as Databricks' rate limits answer,
503 TEMPORARILY_UNAVAILABLE, 500 INTERNAL_ERROR; a call before a 429's Retry-After has passed is refused again and
counted as refused_early), POST /_test/reset (zero counters).
"""
import argparse, base64, collections, datetime as dt, decimal, json, os, queue, re, secrets, signal, sys
import threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import files_api

import pyarrow as pa
import pyarrow.compute as pc
from pyspark.logger import PySparkLogger
from pyspark.sql import SparkSession, types as T
from pyspark.sql.connect.column import Column
from pyspark.sql.connect.expressions import LiteralExpression

for _name in ("DataFrameQueryContextLogger", "SQLQueryContextLogger"):  # else pyspark logs each SQL error
    PySparkLogger.getLogger(_name).disabled = True

UTC = dt.timezone.utc
INLINE_LIMIT = 25 * 1024 * 1024
FIELDS = {"statement", "warehouse_id", "catalog", "schema", "parameters", "wait_timeout", "on_wait_timeout",
          "disposition", "format", "row_limit", "byte_limit"}
COUNTERS = ("tokens_issued", "statements", "polls", "chunk_requests", "link_fetches", "links_refused_auth",
            "links_expired", "cancels", "canceled_statements", "unauthorized", "spark_operations_interrupted",
            "refused", "refused_early") + files_api.COUNTERS
REFUSALS = {429: "TOO_MANY_REQUESTS", 503: "TEMPORARILY_UNAVAILABLE", 500: "INTERNAL_ERROR"}
DESCRIBE_JSON = re.compile(r"^\s*DESC(?:RIBE)?\s+(?:TABLE\s+)?(?:EXTENDED|FORMATTED)\s+(.+?)\s+AS\s+JSON\s*$",
                           re.I | re.S)
RECYCLE = re.compile(r"^\s*(USE|SET|RESET|DECLARE)\b|\bTEMP(ORARY)?\b", re.I)  # statements changing session state


class ApiError(Exception):
    def __init__(self, http, code, message, headers=()):
        super().__init__(message)
        self.http, self.code, self.message, self.headers = http, code, message, headers


def bad(msg, code="INVALID_PARAMETER_VALUE"):
    return ApiError(400, code, msg)


# ---- parameters: {name, value, type} -> typed Spark literal Column (values never go into the SQL text) ----
def _bool(v):
    if v.strip().lower() not in ("true", "false"):
        raise ValueError("expected true or false")
    return v.strip().lower() == "true"


def _timestamp(v):  # ISO 8601 with optional fraction and 'Z' / offset; no offset means UTC
    ts = dt.datetime.fromisoformat(v.strip())
    return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).astimezone(UTC)


PARAM_TYPES = {"STRING": (T.StringType, str), "TINYINT": (T.ByteType, int), "SMALLINT": (T.ShortType, int),
               "INT": (T.IntegerType, int), "INTEGER": (T.IntegerType, int), "BIGINT": (T.LongType, int),
               "LONG": (T.LongType, int), "FLOAT": (T.FloatType, float), "DOUBLE": (T.DoubleType, float),
               "BOOLEAN": (T.BooleanType, _bool), "DATE": (T.DateType, lambda v: dt.date.fromisoformat(v.strip())),
               "TIMESTAMP": (T.TimestampType, _timestamp)}  # float() accepts NaN, Infinity, -Infinity


def literal(tname, value):
    t = tname.strip().upper()
    m = re.fullmatch(r"DECIMAL\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?", t)
    if m:
        p, s = int(m.group(1) or 10), int(m.group(2) or 0)
        if not (1 <= p <= 38 and 0 <= s <= p):
            raise bad(f"Invalid DECIMAL precision/scale in parameter type '{tname}'")
        st, v = T.DecimalType(p, s), None
        if value is not None:
            v = decimal.Decimal(value.strip()).quantize(decimal.Decimal(1).scaleb(-s), decimal.ROUND_HALF_UP,
                                                        decimal.Context(prec=80))
            if not v.is_finite() or len(v.as_tuple().digits) > p:
                raise ValueError(f"does not fit {t}")
    elif t in PARAM_TYPES:
        st, parse = PARAM_TYPES[t]
        st, v = st(), None if value is None else parse(value)
    else:
        raise bad(f"Unsupported parameter type '{tname}'")
    return Column(LiteralExpression(v, st))  # a typed literal, so None binds as a typed NULL


def bind_parameters(params):
    if not isinstance(params, (list, type(None))):
        raise bad("parameters must be a list")
    args = {}
    for p in params or []:
        if not isinstance(p, dict) or set(p) - {"name", "value", "type"}:
            raise bad("each parameter must be an object with fields name, value, type")
        name, value, tname = p.get("name"), p.get("value"), p.get("type") or "STRING"
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in args:
            raise bad(f"Invalid or duplicate parameter name {name!r}")
        if not isinstance(tname, str) or not isinstance(value, (str, type(None))):
            raise bad(f"Parameter '{name}': value and type must be strings")
        try:
            args[name] = literal(tname, value)
        except (ValueError, ArithmeticError, AssertionError) as e:  # LiteralExpression asserts int ranges
            raise bad(f"Parameter '{name}': {value!r} is not a valid {tname} {e}".rstrip())
    return args


# ---- results: Arrow table -> manifest, JSON_ARRAY strings, Arrow IPC stream chunks ----
SIMPLE_TYPES = {"bool": ("BOOLEAN", "BOOLEAN"), "int8": ("BYTE", "TINYINT"), "int16": ("SHORT", "SMALLINT"),
                "int32": ("INT", "INT"), "int64": ("LONG", "BIGINT"), "float": ("FLOAT", "FLOAT"),
                "double": ("DOUBLE", "DOUBLE"), "date32[day]": ("DATE", "DATE"), "string": ("STRING", "STRING"),
                "large_string": ("STRING", "STRING"), "binary": ("BINARY", "BINARY"),
                "large_binary": ("BINARY", "BINARY"), "null": ("NULL", "VOID")}


def type_info(t):
    """(type_name, type_text) of an Arrow type in Databricks' vocabulary."""
    if str(t) in SIMPLE_TYPES:
        return SIMPLE_TYPES[str(t)]
    if pa.types.is_decimal(t):
        return "DECIMAL", f"DECIMAL({t.precision},{t.scale})"
    if pa.types.is_timestamp(t):
        return ("TIMESTAMP",) * 2 if t.tz else ("TIMESTAMP_NTZ",) * 2
    if pa.types.is_map(t):
        return "MAP", f"MAP<{type_info(t.key_type)[1]}, {type_info(t.item_type)[1]}>"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return "ARRAY", f"ARRAY<{type_info(t.value_type)[1]}>"
    if pa.types.is_struct(t):
        return "STRUCT", "STRUCT<" + ", ".join(f"{f.name}: {type_info(f.type)[1]}" for f in t) + ">"
    return ("INTERVAL", "INTERVAL DAY TO SECOND") if pa.types.is_duration(t) else ("USER_DEFINED_TYPE", str(t))


def float_text(v):
    return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(str(v))


def text(v, t):
    """Databricks JSON_ARRAY text of one non-null scalar."""
    if pa.types.is_boolean(t):
        return "true" if v else "false"
    if pa.types.is_floating(t):
        return float_text(v) or repr(v)
    if pa.types.is_decimal(t):
        return format(v, "f")
    if pa.types.is_timestamp(t):
        v = v.astimezone(UTC) if t.tz else v
        frac = f".{v.microsecond:06d}".rstrip("0").rstrip(".")
        return v.strftime("%Y-%m-%dT%H:%M:%S") + frac + ("Z" if t.tz else "")
    if pa.types.is_date(t):
        return v.isoformat()
    return base64.b64encode(v).decode() if isinstance(v, bytes) else str(v)


def jsonable(v, t):
    """A STRUCT/ARRAY/MAP value as plain JSON data (its JSON_ARRAY text is the JSON of this)."""
    if v is None or pa.types.is_integer(t) or pa.types.is_boolean(t):
        return v
    if pa.types.is_struct(t):
        return {f.name: jsonable(v.get(f.name), f.type) for f in t}
    if pa.types.is_map(t):
        return {text(k, t.key_type): jsonable(x, t.item_type) for k, x in v}
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [jsonable(x, t.value_type) for x in v]
    return (float_text(v) or v) if pa.types.is_floating(t) else text(v, t)


def json_rows(table):
    cols = []
    for col in table.columns:
        t = col.type
        if pa.types.is_float32(t):  # Arrow's cast gives the shortest text of the 32-bit value
            cols.append([float_text(x) or x for x in pc.cast(col, pa.string()).to_pylist()])
        elif pa.types.is_nested(t):
            cols.append([None if x is None else json.dumps(jsonable(x, t), separators=(",", ":"))
                         for x in col.to_pylist()])
        else:
            cols.append([None if x is None else text(x, t) for x in col.to_pylist()])
    return [list(r) for r in zip(*cols)] if cols else [[] for _ in range(table.num_rows)]


def describe_json(spark, name):
    """DESCRIBE TABLE EXTENDED <name> AS JSON's one row: the table's columns, as Databricks documents them."""
    schema = spark.table(name).schema
    doc = {"table_name": name.split(".")[-1].strip("`"),
           "columns": [{"name": f.name, "type": {"name": f.dataType.typeName()}, "nullable": f.nullable}
                       for f in schema.fields]}
    return pa.table({"json_metadata": [json.dumps(doc)]})


def describe_error(e):
    """status.error and status.sql_state of a failed statement."""
    sql_state = e.getSqlState() if hasattr(e, "getSqlState") else None
    msg = e.getMessage() if hasattr(e, "getMessage") else str(e) or type(e).__name__
    code = "BAD_REQUEST" if isinstance(e, ResultTooLarge) or (sql_state and sql_state[:2] != "XX") \
        else "INTERNAL_ERROR"
    return {"error_code": code, "message": msg.split("\n\nJVM stacktrace:")[0].strip()}, sql_state


class ResultTooLarge(Exception):
    pass


class Statement:
    def __init__(self, req, args):
        self.id, self.req, self.args, self.text = str(uuid.uuid4()), req, args, req["statement"]
        self.disposition, self.format = req.get("disposition") or "INLINE", req.get("format") or "JSON_ARRAY"
        self.state, self.error, self.sql_state, self.manifest, self.chunks = "PENDING", None, None, None, []
        self.lock, self.done, self.session, self.tag = threading.Lock(), threading.Event(), None, f"fake-{self.id}"

    def summary(self):
        return {"statement": self.text, "parameters": self.req.get("parameters"), "state": self.state,
                "disposition": self.disposition, "format": self.format,
                "catalog": self.req.get("catalog"), "schema": self.req.get("schema")}


class Fake:
    def __init__(self, opts):
        self.o, self.port, self.lock = opts, None, threading.Lock()
        self.stats, self.recent = dict.fromkeys(COUNTERS, 0), collections.deque(maxlen=50)
        self.statements, self.links, self.tokens = {}, {}, {}
        self.expire_next = 0  # links issued already expired, for tests
        self.refuse_next = []  # HTTP statuses the next statement API calls get, for tests
        self.refused_until = 0.0  # the last 429's Retry-After runs until then
        self.local, self.sessions, self.jobs = threading.local(), [], queue.Queue()
        self.volumes = opts.volumes and files_api.Volumes(opts.volumes, opts.page_size, ApiError)
        for _ in range(8):
            threading.Thread(target=self.worker, daemon=True).start()

    def worker(self):
        while True:
            self.run(self.jobs.get())

    def count(self, key, n=1):
        with self.lock:
            self.stats[key] += n

    def session(self, drop=False):
        """This worker thread's Spark Connect session (created lazily); drop=True stops and forgets it."""
        s = getattr(self.local, "spark", None)
        if drop and s is not None:
            self.local.spark = None
            with self.lock:
                self.sessions.remove(s)
            try:
                s.stop()
            except Exception:
                pass
        elif not drop and s is None:
            s = self.local.spark = SparkSession.builder.remote(self.o.spark).create()
            self.local.ctx = (None, None)
            with self.lock:
                self.sessions.append(s)
        return s

    def run(self, st):
        with st.lock:
            if st.state != "PENDING":
                return  # canceled while queued
            st.state = "RUNNING"
        new_state, err = "FAILED", None
        try:
            spark = self.session()
            want = (st.req.get("catalog"), st.req.get("schema"))
            if want != self.local.ctx:  # back to the defaults, then this statement's catalog / schema
                self.local.ctx = None
                spark.catalog.setCurrentCatalog("spark_catalog")
                spark.catalog.setCurrentDatabase("default")
                if want[0]:
                    spark.catalog.setCurrentCatalog(want[0])
                if want[1]:
                    spark.catalog.setCurrentDatabase(want[1])
                self.local.ctx = want
            with st.lock:
                if st.state != "RUNNING":
                    return
                st.session = spark
            spark.addTag(st.tag)
            try:  # spark.sql() runs a command eagerly; toArrow() then reads its kept result, no second run
                as_json = DESCRIBE_JSON.match(st.text)
                table = describe_json(spark, as_json.group(1)) if as_json else \
                    spark.sql(self.volumes.sql_paths(st.text) if self.volumes else st.text,
                              args=st.args or None).toArrow()
            finally:
                spark.removeTag(st.tag)
                with st.lock:
                    st.session = None
            self.build_result(st, table)
            new_state = "SUCCEEDED"
        except Exception as e:
            err = e
            if not hasattr(e, "getSqlState"):
                self.session(drop=True)  # not a SQL error: the session itself may be broken
        finally:
            if RECYCLE.search(st.text):
                self.session(drop=True)  # USE / SET / temp objects must not leak into later statements
            with st.lock:
                if st.state == "RUNNING":
                    st.state = new_state
                    if err is not None:
                        st.error, st.sql_state = describe_error(err)
            st.done.set()

    def build_result(self, st, table):
        truncated, rows_max, bytes_max = False, st.req.get("row_limit"), st.req.get("byte_limit")
        if rows_max is not None and table.num_rows > int(rows_max):
            table, truncated = table.slice(0, int(rows_max)), True
        if bytes_max is not None and table.num_rows and table.nbytes > int(bytes_max):
            table, truncated = table.slice(0, int(int(bytes_max) * table.num_rows / table.nbytes)), True
        n, step, links = table.num_rows, self.o.chunk_rows, st.disposition == "EXTERNAL_LINKS"
        rows = json_rows(table) if st.format == "JSON_ARRAY" else None
        if rows is not None and not links and len(json.dumps(rows)) > INLINE_LIMIT:
            raise ResultTooLarge(f"The result size ({len(json.dumps(rows))} bytes) exceeds the 25 MiB limit of "
                                 "the INLINE disposition; use disposition EXTERNAL_LINKS")
        chunks = []
        for i, off in enumerate(range(0, n, step)):
            c = {"chunk_index": i, "row_offset": off, "row_count": min(step, n - off)}
            if rows is not None:
                c["data"] = rows[off:off + c["row_count"]]
            if links and rows is not None:
                c["blob"] = json.dumps(c["data"]).encode()
            elif links:
                sink = pa.BufferOutputStream()
                with pa.ipc.new_stream(sink, table.schema,
                                       options=pa.ipc.IpcWriteOptions(compression=self.o.compress)) as w:
                    w.write_table(table.slice(off, c["row_count"]))
                c["blob"] = sink.getvalue().to_pybytes()
            if links:
                c["byte_count"] = len(c["blob"])
            chunks.append(c)
        columns = []
        for pos, f in enumerate(table.schema):
            name, type_text = type_info(f.type)
            columns.append({"name": f.name, "position": pos, "type_name": name, "type_text": type_text})
            if name == "DECIMAL":
                columns[-1].update(type_precision=f.type.precision, type_scale=f.type.scale)
        m = {"format": st.format, "schema": {"column_count": len(columns), "columns": columns},
             "total_chunk_count": len(chunks), "total_row_count": n, "truncated": truncated}
        if chunks:
            m["chunks"] = [{k: v for k, v in c.items() if k not in ("data", "blob")} for c in chunks]
        if links:
            m["total_byte_count"] = sum(c["byte_count"] for c in chunks)
        st.manifest, st.chunks = m, chunks

    def cancel(self, st):
        with st.lock:
            if st.state not in ("PENDING", "RUNNING"):
                return
            st.state = "CANCELED"
        self.count("canceled_statements")
        for _ in range(40):  # retry while the worker is between setting the tag and Spark seeing the operation
            session = st.session
            try:
                n = len(session.interruptTag(st.tag)) if session is not None else 0
            except Exception:
                n = 0
            self.count("spark_operations_interrupted", n)
            if n or session is None:
                break
            time.sleep(0.05)
        st.done.set()

    def chunk_result(self, st, i):
        c = st.chunks[i]
        common = {"chunk_index": i, "row_offset": c["row_offset"], "row_count": c["row_count"]}
        if i + 1 < len(st.chunks):
            common.update(next_chunk_index=i + 1,
                          next_chunk_internal_link=f"/api/2.0/sql/statements/{st.id}/result/chunks/{i + 1}")
        if st.disposition == "INLINE":
            return {**common, "data_array": c["data"]}
        token, expires = secrets.token_urlsafe(32), time.time() + self.o.link_ttl
        with self.lock:
            if self.expire_next:  # a test stands for a client that waited too long to download
                self.expire_next -= 1
                expires = time.time() - 1
            self.links[token] = (st, i, expires)
        stamp = dt.datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return {"external_links": [{**common, "byte_count": c["byte_count"], "external_link":
                                    f"http://127.0.0.1:{self.port}/_links/{token}", "expiration": stamp,
                                    "http_headers": {}}]}

    def response(self, st):
        state = st.state
        out = {"statement_id": st.id, "status": {"state": state}}
        if state == "FAILED":
            out["status"]["error"] = st.error
            if st.sql_state:
                out["status"]["sql_state"] = st.sql_state
        elif state == "SUCCEEDED":
            out["manifest"] = st.manifest
            if st.chunks:
                out["result"] = self.chunk_result(st, 0)
        return out


def parse_request(fake, body):
    try:
        req = json.loads(body or b"null")
    except ValueError as e:
        raise bad(f"Malformed JSON request body: {e}", "MALFORMED_REQUEST")
    if not isinstance(req, dict):
        raise bad("The request body must be a JSON object", "MALFORMED_REQUEST")
    unknown = sorted(set(req) - FIELDS)
    if unknown:
        raise bad(f"Unknown field '{unknown[0]}' in the request (this fake server refuses unknown fields)")
    if not isinstance(req.get("statement"), str) or not req["statement"].strip():
        raise bad("The field 'statement' is required and must be a non-empty string")
    if not isinstance(req.get("warehouse_id"), str):
        raise bad("The field 'warehouse_id' is required")
    if req["warehouse_id"] != fake.o.warehouse:
        raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Warehouse {req['warehouse_id']} does not exist.")
    if not all(isinstance(req.get(k), (str, type(None))) for k in ("catalog", "schema")):
        raise bad("The fields 'catalog' and 'schema' must be strings")
    m = re.fullmatch(r"(\d+)s", str(req.get("wait_timeout", "10s")))
    if not m or not (int(m.group(1)) == 0 or 5 <= int(m.group(1)) <= 50):
        raise bad(f"wait_timeout must be 0s or between 5s and 50s, got {req.get('wait_timeout')!r}")
    for k, allowed in (("on_wait_timeout", ("CONTINUE", "CANCEL")), ("disposition", ("INLINE", "EXTERNAL_LINKS")),
                       ("format", ("JSON_ARRAY", "ARROW_STREAM", "CSV"))):
        if req.get(k) is not None and req[k] not in allowed:
            raise bad(f"Invalid value {req[k]!r} for the field '{k}'; expected one of {', '.join(allowed)}")
    for k in ("row_limit", "byte_limit"):
        v = req.get(k)
        if v is not None and not (type(v) is int and v >= 0 or isinstance(v, str) and v.isdigit()):
            raise bad(f"The field '{k}' must be a non-negative integer")
    if (req.get("disposition") or "INLINE") == "INLINE" and (req.get("format") or "JSON_ARRAY") != "JSON_ARRAY":
        raise bad("The format field must be JSON_ARRAY when the disposition field is INLINE")
    if req.get("format") == "CSV":
        raise bad("The CSV format is not implemented by this fake server", "NOT_IMPLEMENTED")
    return req, int(m.group(1)), bind_parameters(req.get("parameters"))


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that closes a cursor early hangs up mid-download: expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    fake = None

    def log_message(self, fmt, *args):
        if self.fake.o.verbose:
            sys.stderr.write("fake-databricks: " + fmt % args + "\n")

    def send(self, code, payload, ctype="application/json", headers=()):
        """payload None: a HEAD answer, whose headers name the length; b"" with no ctype: no body at all."""
        data = payload if isinstance(payload, bytes) or payload is None else json.dumps(payload).encode()
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers:
            self.send_header(name, value)
        if data is not None:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body, size = b"", None
            while size != 0:
                size = int(self.rfile.readline().split(b";")[0], 16)
                body += self.rfile.read(size)
                self.rfile.readline()
            return body
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        self.dispatch("GET", b"")

    def do_HEAD(self):
        self.dispatch("HEAD", b"")

    def do_DELETE(self):
        self.dispatch("DELETE", self.body())

    def do_PUT(self):
        self.dispatch("PUT", self.body())

    def do_POST(self):
        self.dispatch("POST", self.body())

    def dispatch(self, method, body):
        try:
            path, _, query = self.path.partition("?")
            self.route(method, path, body, query)
        except ApiError as e:
            self.send(e.http, {"error_code": e.code, "message": e.message}, headers=e.headers)
        except Exception as e:  # a bug in the fake: answer instead of dropping the connection
            self.send(500, {"error_code": "INTERNAL_ERROR", "message": f"fake server error: {e!r}"})

    def check_auth(self):
        f, auth = self.fake, self.headers.get("Authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        with f.lock:
            expires = f.tokens.get(token)
        is_pat = bool(token and f.o.pat and secrets.compare_digest(token.encode(), f.o.pat.encode()))
        if is_pat or expires and time.time() < expires:
            return
        f.count("unauthorized")
        raise ApiError(401, "UNAUTHENTICATED", "Missing or malformed Authorization header" if not token else
                       "Invalid access token: the OAuth token has expired" if expires else "Invalid access token")

    def statement(self, sid):
        with self.fake.lock:
            st = self.fake.statements.get(sid)
        if st is None:
            raise ApiError(404, "RESOURCE_DOES_NOT_EXIST", f"Statement {sid} not found")
        return st

    def route(self, method, path, body, query=""):
        f = self.fake
        if path.startswith("/api/2.0/fs/") and f.volumes:
            self.check_auth()
            answer = f.volumes.route(method, path, query, body, f.count)
            if answer:
                code, payload, ctype, headers = answer
                return self.send(code, payload, ctype, headers)
        if (method, path) == ("POST", "/oidc/v1/token"):
            return self.token(body)
        if method == "GET" and path.startswith("/_links/"):
            return self.link(path[len("/_links/"):])
        if (method, path) == ("GET", "/_test/stats"):
            with f.lock:
                return self.send(200, dict(f.stats, last_statements=[s.summary() for s in f.recent]))
        m = re.fullmatch(r"/_test/refuse_next/(\d+)/(429|503|500)", path)
        if method == "POST" and m:
            with f.lock:
                f.refuse_next = [int(m.group(2))] * int(m.group(1))
            return self.send(200, {})
        m = re.fullmatch(r"/_test/expire_next_links/(\d+)", path)
        if method == "POST" and m:
            with f.lock:
                f.expire_next = int(m.group(1))
            return self.send(200, {})
        if (method, path) in (("POST", "/_test/expire_links"), ("POST", "/_test/reset")):
            with f.lock:
                if path.endswith("reset"):
                    f.stats = dict.fromkeys(COUNTERS, 0)
                else:
                    f.links = {k: (s, i, 0) for k, (s, i, _) in f.links.items()}
            return self.send(200, {})
        m = re.fullmatch(r"/api/2\.0/sql/statements(?:/([^/]+)(/cancel|/result/chunks/([^/]+))?)?/?", path)
        if not m:
            raise ApiError(404, "ENDPOINT_NOT_FOUND", f"No API found for '{method} {path}'")
        with f.lock:
            early = time.time() < f.refused_until  # a rate limiter refuses whoever ignores its Retry-After
            refusal = 429 if early else f.refuse_next.pop(0) if f.refuse_next else None
            if refusal == 429:
                f.refused_until = time.time() + 1
        if early:
            f.count("refused_early")
        if refusal:
            f.count("refused")
            raise ApiError(refusal, REFUSALS[refusal], "The service is refusing requests for now (test)",
                           (("Retry-After", "1"),) if refusal == 429 else ())
        self.check_auth()
        if not f.o.spark:
            raise ApiError(400, "NOT_IMPLEMENTED", "this fake server was started without --spark: no statements")
        sid, tail, chunk = m.groups()
        if (method, sid) == ("POST", None):
            req, wait, args = parse_request(f, body)
            st = Statement(req, args)
            with f.lock:
                f.statements[st.id] = st
                f.recent.append(st)
                f.stats["statements"] += 1
            f.jobs.put(st)
            if wait and not st.done.wait(wait) and req.get("on_wait_timeout") == "CANCEL":
                f.cancel(st)
            return self.send(200, f.response(st))
        if (method, tail) == ("GET", None) and sid:
            st = self.statement(sid)
            if st.state in ("PENDING", "RUNNING"):
                f.count("polls")
            return self.send(200, f.response(st))
        if (method, tail) == ("POST", "/cancel"):
            st = self.statement(sid)
            f.count("cancels")
            f.cancel(st)
            return self.send(200, {})
        if method == "GET" and chunk is not None:
            st = self.statement(sid)
            f.count("chunk_requests")
            if st.state != "SUCCEEDED":
                raise ApiError(400, "BAD_REQUEST", f"Statement {sid} is {st.state}: result chunks are "
                                                   "available only once it has SUCCEEDED")
            if not chunk.isdigit() or int(chunk) >= len(st.chunks):
                raise bad(f"chunk_index {chunk} is out of range (total_chunk_count={len(st.chunks)})")
            return self.send(200, f.chunk_result(st, int(chunk)))
        raise ApiError(404, "ENDPOINT_NOT_FOUND", f"No API found for '{method} {path}'")

    def token(self, body):
        f, form = self.fake, {k: v[-1] for k, v in parse_qs(body.decode(errors="replace")).items()}
        auth, cid, secret = self.headers.get("Authorization", ""), None, None
        if auth[:6].lower() == "basic ":
            try:
                cid, _, secret = base64.b64decode(auth[6:].strip()).decode().partition(":")
            except ValueError:
                pass
        if not (f.o.client_id and cid == f.o.client_id and secret == f.o.client_secret):
            return self.send(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("grant_type") != "client_credentials":
            return self.send(400, {"error": "unsupported_grant_type",
                                   "error_description": "grant_type must be client_credentials"})
        if "all-apis" not in form.get("scope", "all-apis").split():
            return self.send(400, {"error": "invalid_scope", "error_description": "scope must include all-apis"})
        token = "fake-oauth-" + secrets.token_urlsafe(24)
        with f.lock:
            f.tokens[token] = time.time() + f.o.token_ttl
            f.stats["tokens_issued"] += 1
        self.send(200, {"access_token": token, "token_type": "Bearer", "expires_in": f.o.token_ttl,
                        "scope": "all-apis"})

    def link(self, token):
        f = self.fake
        with f.lock:
            st, i, expires = f.links.get(token, (None, 0, 0))
        if "Authorization" in self.headers:
            code, http, msg, counter = ("InvalidArgument", 400, "Only one auth mechanism allowed; only the "
                                        "X-Amz-Algorithm query parameter, Signature query string parameter or the "
                                        "Authorization header should be specified", "links_refused_auth")
        elif time.time() >= expires:
            code, http, counter = "AccessDenied", 403, "links_expired"
            msg = "Request has expired" if st else "Access Denied"
        else:
            f.count("link_fetches")
            return self.send(200, st.chunks[i]["blob"], "application/vnd.apache.arrow.stream"
                             if st.format == "ARROW_STREAM" else "application/json")
        f.count(counter)
        self.send(http, (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{msg}'
                         f'</Message><RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>').encode(),
                  "application/xml")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spark")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--warehouse", default="wh-test")
    ap.add_argument("--pat")
    ap.add_argument("--client-id")
    ap.add_argument("--client-secret")
    ap.add_argument("--token-ttl", type=int, default=3600)
    ap.add_argument("--chunk-rows", type=int, default=20000)
    ap.add_argument("--link-ttl", type=int, default=900)
    ap.add_argument("--compress", choices=("lz4", "zstd"))
    ap.add_argument("--volumes", help="folder standing for /Volumes (enables the Files API)")
    ap.add_argument("--page-size", type=int, default=1000, help="directory listing entries per page, at most")
    ap.add_argument("--verbose", action="store_true")
    opts = ap.parse_args()
    if opts.chunk_rows < 1 or opts.page_size < 1:
        ap.error("--chunk-rows and --page-size must be at least 1")
    Handler.fake = fake = Fake(opts)
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    fake.port = httpd.server_address[1]
    tmp = f"{opts.port_file}.tmp{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(f"{fake.port}\n")
    os.replace(tmp, opts.port_file)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: threading.Thread(target=httpd.shutdown, daemon=True).start())
    # A test that crashes never stops its server, which would then hold ctest's
    # output open and hang the run: leave with the process that started us.
    parent = os.getppid()

    def watch_parent():
        while os.getppid() == parent:
            time.sleep(0.5)
        httpd.shutdown()

    threading.Thread(target=watch_parent, daemon=True).start()
    httpd.serve_forever(poll_interval=0.2)
    httpd.server_close()
    for st in list(fake.statements.values()):  # leave nothing running on the shared Spark server
        fake.cancel(st)
    for s in list(fake.sessions):
        try:
            s.stop()
        except Exception:
            pass


if __name__ == "__main__":
    main()
