/* SPDX-License-Identifier: MIT */
/* Query parameters: each Python value bound with the type it has, so the
 * engine compares it as the column it meets (never pasted into SQL). */
#include <string.h>

#include "native.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "util/time.h"

void lakepy_params_dispose(lakepy_params *p) {
    lake__free(p->items);
    Py_CLEAR(p->keep);
    memset(p, 0, sizeof *p);
}

/* str(v)'s UTF-8, kept alive by p->keep. */
static const char *text_of(lakepy_params *p, PyObject *v, size_t *len) {
    PyObject *s = PyUnicode_Check(v) ? (Py_INCREF(v), v) : PyObject_Str(v);
    if (!s) return NULL;
    if (PyList_Append(p->keep, s)) {
        Py_DECREF(s);
        return NULL;
    }
    Py_DECREF(s);
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    *len = (size_t)n;
    return u;
}

static int decimal_param(lakepy_params *p, PyObject *v, lake_param *out) {
    PyObject *spec = PyUnicode_FromString("f"); /* positional notation: the digits say the scale */
    PyObject *fixed = spec ? PyObject_Format(v, spec) : NULL;
    Py_XDECREF(spec);
    if (!fixed) return -1;
    size_t len;
    const char *s = text_of(p, fixed, &len);
    Py_DECREF(fixed);
    if (!s) return -1;
    const char *dot = memchr(s, '.', len);
    if (memchr(s, 'N', len) || memchr(s, 'n', len)) {
        PyErr_Format(PyExc_ValueError, "a Decimal parameter must be finite: %s", s);
        return -1;
    }
    /* The scale is the digits after the point; the precision the digits
     * written, the engines' 38 at most. */
    unsigned scale = dot ? (unsigned)(len - (size_t)(dot - s) - 1) : 0, digits = 0;
    for (size_t i = 0; i < len; i++) digits += s[i] >= '0' && s[i] <= '9';
    unsigned precision = digits > scale ? digits : scale + 1;
    if (precision > 38) {
        PyErr_Format(PyExc_ValueError, "a Decimal parameter holds at most 38 digits: %s", s);
        return -1;
    }
    lake__i128 x;
    if (lake__dec_parse(s, len, precision, scale, &x)) {
        PyErr_Format(PyExc_ValueError, "not a decimal: %s", s);
        return -1;
    }
    out->type = LAKE_PARAM_DECIMAL;
    out->v.dec.value = lake__dec_make(x);
    out->v.dec.precision = (uint8_t)precision;
    out->v.dec.scale = (uint8_t)scale;
    return 0;
}

static int timestamp_param(lakepy_params *p, PyObject *v, lake_param *out) {
    PyObject *offset = PyObject_CallMethod(v, "utcoffset", NULL);
    if (!offset) return -1;
    bool naive = offset == Py_None;
    Py_DECREF(offset);
    if (naive) {
        PyErr_SetString(PyExc_ValueError, "a datetime parameter needs a time zone (datetime.timezone.utc)");
        return -1;
    }
    PyObject *iso = PyObject_CallMethod(v, "isoformat", NULL);
    if (!iso) return -1;
    int rc = PyList_Append(p->keep, iso);
    Py_DECREF(iso);
    if (rc) return -1;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(iso, &n);
    int64_t us;
    if (!s || lake__parse_timestamp(s, (size_t)n, &us)) {
        if (s) PyErr_Format(PyExc_ValueError, "a datetime parameter out of range: %s", s);
        return -1;
    }
    *out = lake_param_timestamp(us);
    return 0;
}

static int date_param(PyObject *v, lake_param *out) {
    PyObject *iso = PyObject_CallMethod(v, "isoformat", NULL);
    if (!iso) return -1;
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(iso, &n);
    int32_t days;
    int rc = !s || lake__parse_date(s, (size_t)n, &days) ? -1 : 0;
    Py_DECREF(iso);
    if (rc) return -1;
    *out = lake_param_date(days);
    return 0;
}

static int one(lakepy_params *p, PyObject *v, lake_param *out, Py_ssize_t i) {
    if (v == Py_None) return *out = lake_param_null(), 0;
    if (v == Py_True || v == Py_False) return *out = lake_param_bool(v == Py_True), 0;
    if (PyLong_Check(v)) {
        long long x = PyLong_AsLongLong(v);
        if (x == -1 && PyErr_Occurred()) return -1;
        return *out = lake_param_int64(x), 0;
    }
    if (PyFloat_Check(v)) return *out = lake_param_double(PyFloat_AsDouble(v)), 0;
    if (PyUnicode_Check(v) || PyObject_IsInstance(v, lakepy.uuid) == 1) {
        size_t len;
        const char *s = text_of(p, v, &len);
        if (!s) return -1;
        out->type = LAKE_PARAM_TEXT;
        out->v.text = (lake_str){s, len};
        return 0;
    }
    if (PyBytes_Check(v)) {
        char *s;
        Py_ssize_t len;
        if (PyBytes_AsStringAndSize(v, &s, &len)) return -1;
        return *out = lake_param_bytes(s, (size_t)len), 0;
    }
    if (PyObject_IsInstance(v, lakepy.datetime) == 1) return timestamp_param(p, v, out);
    if (PyObject_IsInstance(v, lakepy.date) == 1) return date_param(v, out);
    if (PyObject_IsInstance(v, lakepy.decimal) == 1) return decimal_param(p, v, out);
    if (PyErr_Occurred()) return -1;
    PyObject *name = lakepy_type_name(v);
    if (name)
        PyErr_Format(PyExc_TypeError,
                     "parameter %zd: a %U cannot be bound (None, bool, int, float, str, bytes, datetime, date, "
                     "Decimal or UUID)",
                     i + 1, name);
    Py_XDECREF(name);
    return -1;
}

int lakepy_params_from(lakepy_params *p, PyObject *values) {
    memset(p, 0, sizeof *p);
    if (!values || values == Py_None) return 0;
    if (!(p->keep = PyList_New(0))) return -1;
    PyObject *seq = PySequence_Fast(values, "params must be a sequence (a list or tuple)");
    if (!seq) return -1;
    /* Held too: bytes parameters point into the objects themselves. */
    if (PyList_Append(p->keep, seq)) {
        Py_DECREF(seq);
        return -1;
    }
    Py_DECREF(seq);
    Py_ssize_t n = PySequence_Size(seq);
    p->items = lake__calloc(n ? (size_t)n : 1, sizeof *p->items);
    if (!p->items) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PySequence_GetItem(seq, i);
        int rc = v ? one(p, v, &p->items[i], i) : -1;
        if (!rc && PyBytes_Check(v)) rc = PyList_Append(p->keep, v);
        Py_XDECREF(v);
        if (rc) return -1;
    }
    p->count = (size_t)n;
    return 0;
}
