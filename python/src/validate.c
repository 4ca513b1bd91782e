/* SPDX-License-Identifier: MIT */
/* lakeorm.validate, validate_many and validate_ndjson: rows checked at the
 * boundary, every problem of every record reported, good records typed. */
#include "native.h"

/* [(record, [Issue, ...]), ...]: the issues grouped by record, in order. */
static PyObject *grouped(const lake_issues *issues) {
    PyObject *all = lakepy_issue_list(issues);
    if (!all) return NULL;
    PyObject *out = PyList_New(0), *group = NULL;
    size_t last = 0;
    Py_ssize_t n = PyList_Size(all);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        size_t record = lake_issues_get(issues, (size_t)i)->record;
        if (!group || record != last) {
            group = PyList_New(0);
            PyObject *pair = group ? Py_BuildValue("(nO)", (Py_ssize_t)record, group) : NULL;
            Py_XDECREF(group); /* the pair holds it */
            if (!pair || PyList_Append(out, pair)) Py_CLEAR(out);
            Py_XDECREF(pair);
            last = record;
        }
        if (out && PyList_Append(group, PyList_GetItem(all, i))) Py_CLEAR(out);
    }
    Py_DECREF(all);
    return out;
}

static PyObject *good_and_rejected(lakepy_batch *b, const lake_schema *schema) {
    PyObject *good = lakepy_batch_dicts(b, schema);
    PyObject *rejected = good ? grouped(b->issues) : NULL;
    PyObject *r = rejected ? PyTuple_Pack(2, good, rejected) : NULL;
    Py_XDECREF(good);
    Py_XDECREF(rejected);
    lakepy_batch_dispose(b);
    return r;
}

PyObject *lakepy_validate(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *schema_obj, *record;
    if (!PyArg_ParseTuple(args, "OO", &schema_obj, &record)) return NULL;
    const lake_schema *schema = lakepy_schema_of(schema_obj);
    if (!schema) return NULL;
    PyObject *one = PyTuple_Pack(1, record);
    if (!one) return NULL;
    lakepy_batch b;
    int rc = lakepy_batch_rows(&b, schema, one);
    Py_DECREF(one);
    PyObject *r = NULL;
    if (!rc && lake_issues_count(b.issues)) {
        PyObject *issues = lakepy_issue_list(b.issues);
        if (issues) lakepy_raise_issues(issues, 1);
        Py_XDECREF(issues);
    } else if (!rc) {
        r = lakepy_record_dict(schema, lakepy_batch_data(&b));
    }
    lakepy_batch_dispose(&b);
    return r;
}

PyObject *lakepy_validate_many(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *schema_obj, *rows;
    if (!PyArg_ParseTuple(args, "OO", &schema_obj, &rows)) return NULL;
    const lake_schema *schema = lakepy_schema_of(schema_obj);
    if (!schema) return NULL;
    lakepy_batch b;
    if (lakepy_batch_rows(&b, schema, rows)) {
        lakepy_batch_dispose(&b);
        return NULL;
    }
    return good_and_rejected(&b, schema);
}

PyObject *lakepy_validate_ndjson(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *schema_obj, *data;
    if (!PyArg_ParseTuple(args, "OO", &schema_obj, &data)) return NULL;
    const lake_schema *schema = lakepy_schema_of(schema_obj);
    if (!schema) return NULL;
    const char *p;
    size_t len;
    PyObject *keep = lakepy_bytes_of(data, &p, &len);
    if (!keep) return NULL;
    lakepy_batch b;
    int rc = lakepy_batch_ndjson(&b, schema, p, len);
    Py_DECREF(keep);
    if (rc) {
        lakepy_batch_dispose(&b);
        return NULL;
    }
    return good_and_rejected(&b, schema);
}
