/* SPDX-License-Identifier: MIT */
/* The module: what it looks up once, and how lakeorm's errors become
 * Python exceptions. */
#include "native.h"

lakepy_refs lakepy;

static PyObject *attr_of(const char *module, const char *name) {
    PyObject *m = PyImport_ImportModule(module);
    if (!m) return NULL;
    PyObject *v = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    return v;
}

static int look_up(void) {
    lakepy_refs *r = &lakepy;
    if (!(r->issue = attr_of("lakeorm._types", "Issue"))) return -1;
    if (!(r->insert_result = attr_of("lakeorm._types", "InsertResult"))) return -1;
    if (!(r->errors_by_code = attr_of("lakeorm._types", "ERRORS_BY_CODE"))) return -1;
    if (!(r->validation_error = attr_of("lakeorm._types", "ValidationError"))) return -1;
    if (!(r->error = attr_of("lakeorm._types", "Error"))) return -1;
    if (!(r->datetime = attr_of("datetime", "datetime"))) return -1;
    if (!(r->date = attr_of("datetime", "date"))) return -1;
    if (!(r->utc = attr_of("datetime", "timezone"))) return -1;
    PyObject *tz = r->utc;
    r->utc = PyObject_GetAttrString(tz, "utc");
    Py_DECREF(tz);
    if (!r->utc) return -1;
    if (!(r->decimal = attr_of("decimal", "Decimal"))) return -1;
    if (!(r->uuid = attr_of("uuid", "UUID"))) return -1;
    if (!(r->json_loads = attr_of("json", "loads"))) return -1;
    if (!(r->dataclass_fields = attr_of("dataclasses", "fields"))) return -1;
    if (!(r->field_cache = PyDict_New())) return -1;
    return 0;
}

PyObject *lakepy_issue_list(const lake_issues *issues) {
    size_t n = issues ? lake_issues_count(issues) : 0;
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (!list) return NULL;
    for (size_t i = 0; i < n; i++) {
        const lake_issue *is = lake_issues_get(issues, i);
        /* The message decoded leniently: a byte the library quoted from bad
         * input must not turn an issue into a UnicodeDecodeError. */
        PyObject *message = PyUnicode_DecodeUTF8(is->message, (Py_ssize_t)strlen(is->message), "replace");
        PyObject *item = message ? PyObject_CallFunction(lakepy.issue, "nssssO", (Py_ssize_t)is->record, is->path, is->column,
                                               is->rule, is->param, message)
                       : NULL;
        Py_XDECREF(message);
        if (!item) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SetItem(list, (Py_ssize_t)i, item);
    }
    return list;
}

PyObject *lakepy_raise_issues(PyObject *issues, size_t rejected) {
    Py_ssize_t n = PyList_Size(issues);
    PyObject *msg = PyUnicode_FromFormat("%zu record%s rejected with %zd issue%s", rejected, rejected == 1 ? "" : "s",
                                         n, n == 1 ? "" : "s");
    if (!msg) return NULL;
    PyObject *args = PyTuple_Pack(1, msg);
    PyObject *kw = args ? Py_BuildValue("{sO}", "issues", issues) : NULL;
    PyObject *exc = kw ? PyObject_Call(lakepy.validation_error, args, kw) : NULL;
    Py_DECREF(msg);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    if (exc) {
        PyErr_SetObject(lakepy.validation_error, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

/* How many distinct records the issues name. */
static size_t records_named(const lake_issues *issues) {
    size_t n = issues ? lake_issues_count(issues) : 0, distinct = 0, last = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t r = lake_issues_get(issues, i)->record;
        if (r != last) distinct++;
        last = r;
    }
    return distinct;
}

PyObject *lakepy_raise(lake_error *err) {
    if (PyErr_Occurred()) { /* a Python failure inside a callback wins */
        lake_error_clear(err);
        return NULL;
    }
    if (err->code == LAKE_EVALIDATION && err->issues) {
        PyObject *issues = lakepy_issue_list(err->issues);
        size_t rejected = records_named(err->issues);
        lake_error_clear(err);
        if (!issues) return NULL;
        lakepy_raise_issues(issues, rejected);
        Py_DECREF(issues);
        return NULL;
    }
    PyObject *code = PyLong_FromLong(err->code);
    PyObject *cls = code ? PyDict_GetItem(lakepy.errors_by_code, code) : NULL; /* borrowed */
    if (!cls) cls = lakepy.error;
    PyObject *msg = PyUnicode_DecodeUTF8(err->message, (Py_ssize_t)strlen(err->message), "replace");
    PyObject *args = msg ? PyTuple_Pack(1, msg) : NULL;
    PyObject *kw = args ? Py_BuildValue("{sOssssss}", "code", code, "kind", lake_error_kind_name(err->kind), "engine_class",
                                        err->engine_class, "sqlstate", err->sqlstate)
                        : NULL;
    PyObject *exc = kw ? PyObject_Call(cls, args, kw) : NULL;
    if (exc) {
        PyErr_SetObject(cls, exc);
        Py_DECREF(exc);
    }
    Py_XDECREF(code);
    Py_XDECREF(msg);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    lake_error_clear(err);
    return NULL;
}

PyObject *lakepy_bytes_of(PyObject *o, const char **data, size_t *len) {
    /* A bytearray or a memoryview may change while the GIL is released:
     * they are copied; bytes are immutable and read in place. */
    PyObject *b = PyBytes_Check(o) ? (Py_INCREF(o), o) : PyBytes_FromObject(o);
    if (!b) return NULL;
    char *p;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(b, &p, &n)) {
        Py_DECREF(b);
        return NULL;
    }
    *data = p, *len = (size_t)n;
    return b;
}

static PyObject *version(PyObject *self, PyObject *unused) {
    (void)self, (void)unused;
    return PyUnicode_FromString(lake_version());
}

static PyMethodDef methods[] = {
    {"validate", lakepy_validate, METH_VARARGS, "validate(schema, record) -> dict"},
    {"validate_many", lakepy_validate_many, METH_VARARGS, "validate_many(schema, rows) -> (good, rejected)"},
    {"validate_ndjson", lakepy_validate_ndjson, METH_VARARGS, "validate_ndjson(schema, data) -> (good, rejected)"},
    {"version", version, METH_NOARGS, "the C library's version"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "lakeorm._native", "lakeorm's C core.", -1, methods,
                                    NULL, NULL, NULL, NULL};

static int add_type(PyObject *m, const char *name, PyType_Spec *spec, PyObject **slot) {
    *slot = PyType_FromSpec(spec);
    if (!*slot) return -1;
    Py_INCREF(*slot);
    if (PyModule_AddObject(m, name, *slot)) {
        Py_DECREF(*slot);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC PyInit__native(void);
PyMODINIT_FUNC PyInit__native(void) {
    if (look_up()) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (add_type(m, "Schema", &lakepy_schema_spec, &lakepy.schema_type) ||
        add_type(m, "Client", &lakepy_client_spec, &lakepy.client_type) ||
        add_type(m, "Rows", &lakepy_rows_spec, &lakepy.rows_type) ||
        add_type(m, "ArrowStream", &lakepy_arrow_stream_spec, &lakepy.arrow_stream_type)) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
