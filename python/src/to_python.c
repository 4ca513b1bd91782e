/* SPDX-License-Identifier: MIT */
/* Records as Python values: each column's value in the type a Python user
 * expects (datetime in UTC, date, Decimal, UUID, bytes, nested dicts and
 * lists), so what a read returns validates and inserts back unchanged. */
#include <string.h>

#include "native.h"
#include "schema/schema.h"
#include "schema/type_table.h"
#include "util/decimal.h"
#include "util/time.h"

static PyObject *value_of(const lake__column *col, const unsigned char *at);

static PyObject *timestamp(int64_t us) {
    int64_t days = us / 86400000000LL, rem = us % 86400000000LL;
    if (rem < 0) rem += 86400000000LL, days--;
    int64_t year;
    unsigned month, day;
    lake__civil_from_days(days, &year, &month, &day);
    if (year < 1 || year > 9999) {
        PyErr_Format(PyExc_OverflowError, "timestamp %lld us is outside Python's datetime range (years 1-9999)",
                     (long long)us);
        return NULL;
    }
    long s = (long)(rem / 1000000);
    return PyObject_CallFunction(lakepy.datetime, "iIIllllO", (int)year, month, day, s / 3600, s / 60 % 60, s % 60,
                                 (long)(rem % 1000000), lakepy.utc);
}

static PyObject *date(int32_t days) {
    int64_t year;
    unsigned month, day;
    lake__civil_from_days(days, &year, &month, &day);
    if (year < 1 || year > 9999) {
        PyErr_Format(PyExc_OverflowError, "date %d days from 1970 is outside Python's date range", (int)days);
        return NULL;
    }
    return PyObject_CallFunction(lakepy.date, "iII", (int)year, month, day);
}

static PyObject *decimal(lake_dec128 d, unsigned scale) {
    char text[48];
    size_t n = lake__dec_format(lake__dec_get(d), scale, text);
    return PyObject_CallFunction(lakepy.decimal, "s#", text, (Py_ssize_t)n);
}

static PyObject *text(const char *p, size_t len) {
    return p ? PyUnicode_DecodeUTF8(p, (Py_ssize_t)len, "strict") : lakepy_none();
}

/* A record of `s` (a struct's members, a list element's or a map entry's
 * "element"/"key"/"value") as a dict, or, for element records, one value. */
static PyObject *members(const lake_schema *s, const unsigned char *rec) {
    size_t n = lake_schema_column_count(s);
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < n; i++) {
        const lake__column *col = lake__schema_col(s, i);
        PyObject *v = value_of(col, rec + col->pub.offset);
        if (!v || PyDict_SetItemString(d, col->pub.json_name, v)) Py_CLEAR(d);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *list(const lake__column *col, const unsigned char *at) {
    const lake_list_str *view = (const lake_list_str *)(const void *)at; /* every list view is {ptr, len} */
    if (!view->ptr) return lakepy_none();
    const lake_schema *child = col->pub.child;
    const lake__column *elem = lake__schema_col(child, 0);
    size_t stride = lake_schema_record_size(child);
    PyObject *l = PyList_New((Py_ssize_t)view->len);
    for (size_t i = 0; l && i < view->len; i++) {
        PyObject *v = value_of(elem, (const unsigned char *)view->ptr + i * stride + elem->pub.offset);
        if (!v) Py_CLEAR(l);
        else PyList_SetItem(l, (Py_ssize_t)i, v);
    }
    return l;
}

static PyObject *map(const lake__column *col, const unsigned char *at) {
    const lake_list_str *view = (const lake_list_str *)(const void *)at;
    if (!view->ptr) return lakepy_none();
    const lake_schema *child = col->pub.child;
    const lake__column *key = lake__schema_col(child, 0), *value = lake__schema_col(child, 1);
    size_t stride = lake_schema_record_size(child);
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < view->len; i++) {
        const unsigned char *entry = (const unsigned char *)view->ptr + i * stride;
        PyObject *k = value_of(key, entry + key->pub.offset);
        PyObject *v = k ? value_of(value, entry + value->pub.offset) : NULL;
        if (!v || PyDict_SetItem(d, k, v)) Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *value_of(const lake__column *col, const unsigned char *at) {
    lake_type t = col->pub.type;
    if (col->optional && t != LAKE_STRUCT && !at[col->valid_offset - col->pub.offset]) return lakepy_none();
    switch (t) {
    case LAKE_BOOL: return PyBool_FromLong(*(const bool *)at);
    case LAKE_INT8: return PyLong_FromLong(*(const int8_t *)at);
    case LAKE_INT16: return PyLong_FromLong(*(const int16_t *)(const void *)at);
    case LAKE_INT32: return PyLong_FromLong(*(const int32_t *)(const void *)at);
    case LAKE_INT64: return PyLong_FromLongLong(*(const int64_t *)(const void *)at);
    case LAKE_FLOAT32: return PyFloat_FromDouble(*(const float *)(const void *)at);
    case LAKE_FLOAT64: return PyFloat_FromDouble(*(const double *)(const void *)at);
    case LAKE_STRING: {
        const lake_str *v = (const lake_str *)(const void *)at;
        return text(v->ptr, v->len);
    }
    case LAKE_BYTES: {
        const lake_bytes *v = (const lake_bytes *)(const void *)at;
        return v->ptr ? PyBytes_FromStringAndSize((const char *)v->ptr, (Py_ssize_t)v->len) : lakepy_none();
    }
    case LAKE_TIMESTAMP: return timestamp(((const lake_ts *)(const void *)at)->us);
    case LAKE_DATE: return date(((const lake_date *)(const void *)at)->days);
    case LAKE_DECIMAL: return decimal(*(const lake_dec128 *)(const void *)at, col->pub.scale);
    case LAKE_UUID: {
        PyObject *b = PyBytes_FromStringAndSize((const char *)at, 16);
        if (!b) return NULL;
        PyObject *args = PyTuple_New(0), *kw = Py_BuildValue("{sO}", "bytes", b);
        PyObject *u = args && kw ? PyObject_Call(lakepy.uuid, args, kw) : NULL;
        Py_DECREF(b);
        Py_XDECREF(args);
        Py_XDECREF(kw);
        return u;
    }
    case LAKE_SORTABLE_ID: {
        char s[LAKE_KSUID_TEXT_LEN + 1];
        lake_ksuid_format((const lake_ksuid *)(const void *)at, s);
        return PyUnicode_FromStringAndSize(s, LAKE_KSUID_TEXT_LEN);
    }
    case LAKE_JSON: {
        const lake_json *v = (const lake_json *)(const void *)at;
        if (!v->ptr) return lakepy_none();
        PyObject *s = PyUnicode_DecodeUTF8(v->ptr, (Py_ssize_t)v->len, "strict");
        PyObject *r = s ? PyObject_CallFunctionObjArgs(lakepy.json_loads, s, NULL) : NULL;
        Py_XDECREF(s);
        return r;
    }
    case LAKE_STRUCT: {
        if (col->optional) { /* a nullable struct is a pointer to one */
            const unsigned char *p = *(const unsigned char *const *)(const void *)at;
            return p ? members(col->pub.child, p) : lakepy_none();
        }
        return members(col->pub.child, at);
    }
    case LAKE_LIST: return list(col, at);
    case LAKE_MAP: return map(col, at);
    }
    PyErr_Format(PyExc_SystemError, "column %s has an unknown type %d", col->pub.name, (int)t);
    return NULL;
}

PyObject *lakepy_record_dict(const lake_schema *schema, const void *record) { return members(schema, record); }
