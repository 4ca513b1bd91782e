/* SPDX-License-Identifier: MIT */
/* lakeorm._native: the C extension under the lakeorm Python package. It
 * keeps to CPython's limited API (one abi3 build for 3.9 and later) and
 * speaks to the library through its public API, reaching into src/ only for
 * the helpers the library already has (buffers, decimals, dates, issues). */
#ifndef LAKEPY_NATIVE_H
#define LAKEPY_NATIVE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <lakeorm.h>

#include "error/error.h"
#include "util/buf.h"

/* Not in the limited API before 3.10, yet exported by every CPython 3
 * (docs.python.org/3/c-api/unicode.html): declared here so 3.9 gets the
 * same zero-copy UTF-8 view instead of a bytes object per string. */
#if Py_LIMITED_API + 0 < 0x030A0000
PyAPI_FUNC(const char *) PyUnicode_AsUTF8AndSize(PyObject *unicode, Py_ssize_t *size);
#endif

/* A new reference to None (Py_NewRef is not in the 3.9 limited API). */
static inline PyObject *lakepy_none(void) {
    Py_INCREF(Py_None);
    return Py_None;
}

/* The name of o's type, for messages (tp_name is not in the limited API). */
static inline PyObject *lakepy_type_name(PyObject *o) {
    return PyObject_GetAttrString((PyObject *)Py_TYPE(o), "__name__");
}

/* What the module looks up once when it loads (module.c). */
typedef struct lakepy_refs {
    PyObject *issue;          /* lakeorm._types.Issue */
    PyObject *insert_result;  /* lakeorm._types.InsertResult */
    PyObject *errors_by_code; /* lakeorm._types.ERRORS_BY_CODE */
    PyObject *validation_error, *error;
    PyObject *datetime, *date, *utc, *decimal, *uuid;
    PyObject *json_loads;
    PyObject *dataclass_fields;  /* dataclasses.fields */
    PyObject *field_cache;       /* {dataclass type: tuple of field names} */
    PyObject *schema_type, *client_type, *rows_type, *arrow_stream_type;
} lakepy_refs;

extern lakepy_refs lakepy;

/* ---- errors (module.c) */

/* Raises the lakeorm exception for err (its class by code; issues for a
 * validation error) and returns NULL. Clears err. */
PyObject *lakepy_raise(lake_error *err);
/* A list of Issue for issues [0, count). NULL with an exception set on failure. */
PyObject *lakepy_issue_list(const lake_issues *issues);
/* Raises ValidationError with `issues` (a list of Issue) and returns NULL. */
PyObject *lakepy_raise_issues(PyObject *issues, size_t rejected);

/* The bytes of a bytes-like object, read in place when it is bytes (which
 * cannot change), else copied: returns the object holding them (release it
 * when done), or NULL with an exception set. */
PyObject *lakepy_bytes_of(PyObject *o, const char **data, size_t *len);

/* ---- schemas (schema.c) */

typedef struct lakepy_schema {
    PyObject_HEAD
    lake_schema *schema;
} lakepy_schema;

extern PyType_Spec lakepy_schema_spec;
/* The schema of a lakeorm.Schema, or NULL with TypeError set. */
const lake_schema *lakepy_schema_of(PyObject *o);

/* ---- Python values to JSON text (to_json.c) */

/* Writes one record (a dict, a Mapping or a dataclass instance) as a JSON
 * object. A value with no JSON form becomes an issue of record `index` in
 * `issues` (at its JSON pointer) and is written as null. Returns 0, or -1
 * with a Python exception set (out of memory, a failing __eq__ ...). */
int lakepy_record_json(lake__buf *out, PyObject *record, size_t index, lake_issues *issues);
/* Any JSON-able value as JSON text (json columns, parameters). -1 with
 * TypeError/ValueError set when it has no JSON form. */
int lakepy_value_json(lake__buf *out, PyObject *value);

/* ---- records to Python values (to_python.c) */

/* A dict of the record's columns, typed (datetime, date, Decimal, UUID,
 * bytes, nested dicts and lists). NULL with an exception set on failure. */
PyObject *lakepy_record_dict(const lake_schema *schema, const void *record);
/* count records laid end to end as a list of such dicts. */
PyObject *lakepy_record_list(const lake_schema *schema, const void *records, size_t count);

/* ---- decoding Python rows into records (rows.c) */

/* Records decoded from Python rows (dicts, dataclasses) or NDJSON, with
 * everything their strings point into. Issues are in record order; an
 * issue's record is the row's index (rows) or its 1-based line (NDJSON). */
typedef struct lakepy_batch {
    lake_arena *arena;
    void *records;     /* lakepy_batch owns it (lake_free) */
    size_t count;      /* records decoded without an issue */
    size_t size;       /* one record's bytes */
    size_t *index;     /* for each good record, its index (rows) or line (NDJSON) */
    lake_issues *issues;
    size_t rejected;   /* records with at least one issue */
    lake_records *ndjson; /* NDJSON: the library's own result */
} lakepy_batch;

/* Decodes every row of a sequence: needs the GIL (it reads Python objects)
 * and releases it while the JSON decoder runs. Returns 0, or -1 with an
 * exception set; rejected rows do not fail it. */
int lakepy_batch_rows(lakepy_batch *b, const lake_schema *schema, PyObject *rows);
/* Decodes NDJSON with the GIL released. */
int lakepy_batch_ndjson(lakepy_batch *b, const lake_schema *schema, const char *data, size_t len);
void lakepy_batch_dispose(lakepy_batch *b);
/* The good records, contiguous, b->size bytes each. */
const void *lakepy_batch_data(const lakepy_batch *b);
/* The good records as a list of dicts. */
PyObject *lakepy_batch_dicts(const lakepy_batch *b, const lake_schema *schema);

/* ---- parameters (params.c) */

typedef struct lakepy_params {
    lake_param *items;
    size_t count;
    PyObject *keep;  /* a list holding what the items point into */
} lakepy_params;

/* Converts a sequence of Python values (None, bool, int, float, str,
 * bytes, datetime, date, Decimal, UUID) into typed parameters. */
int lakepy_params_from(lakepy_params *p, PyObject *seq);
void lakepy_params_dispose(lakepy_params *p);

/* ---- Arrow (arrow.c) */

extern PyType_Spec lakepy_arrow_stream_spec;

/* ---- the client (client.c) */

extern PyType_Spec lakepy_client_spec;
extern PyType_Spec lakepy_rows_spec;

/* ---- module functions (validate.c) */

PyObject *lakepy_validate(PyObject *self, PyObject *args);
PyObject *lakepy_validate_many(PyObject *self, PyObject *args);
PyObject *lakepy_validate_ndjson(PyObject *self, PyObject *args);

#endif
