/* SPDX-License-Identifier: MIT */
/* Python values as JSON text, so that rows given as dicts or dataclasses go
 * through the library's own strict decoder: one set of verdicts (docs/json.md)
 * for NDJSON, dicts and dataclasses alike. Python's own value types take
 * the text forms the decoder reads: Decimal as an exact number, aware
 * datetimes as RFC 3339, dates as ISO dates, UUIDs as text, bytes as base64. */
#include <math.h>
#include <string.h>

#include "native.h"
#include "json/write.h"
#include "util/base64.h"

/* Where a walk is: the record's index, its JSON pointer, its top-level
 * column, and where issues go (NULL: raise instead). */
typedef struct walk {
    lake__buf *out;
    lake__buf path;
    const char *column;
    size_t column_len;
    size_t index;
    lake_issues *issues;
    unsigned depth;
} walk;

enum { MAX_DEPTH = 1024 }; /* the decoder's own limit; deeper is an issue there, recursion here */

static int write_value(walk *w, PyObject *v);

/* A value with no JSON form: an issue at its path saying
 * "<before><its type's name><after>", or a TypeError saying so. */
static int refuse(walk *w, const char *rule, const char *before, PyObject *v, const char *after) {
    PyObject *name = lakepy_type_name(v);
    if (!name) return -1;
    const char *type_name = PyUnicode_AsUTF8AndSize(name, NULL);
    int rc = 0;
    if (!type_name) {
        rc = -1;
    } else if (!w->issues) {
        PyErr_Format(PyExc_TypeError, "%s%s%s", before, type_name, after);
        rc = -1;
    } else {
        char column[256];
        size_t n = w->column_len < sizeof column - 1 ? w->column_len : sizeof column - 1;
        memcpy(column, w->column ? w->column : "", n);
        column[n] = '\0';
        if (lake__issues_add(w->issues, w->index, w->path.len ? w->path.data : "", column, rule, "", "%s%s%s", before,
                             type_name, after) ||
            lake__buf_puts(w->out, "null")) {
            PyErr_NoMemory();
            rc = -1;
        }
    }
    Py_DECREF(name);
    return rc;
}

/* Appends /key to the path, escaped as RFC 6901 says. */
static int push_key(walk *w, const char *key, size_t len) {
    if (!w->issues) return 0;
    lake__buf_putc(&w->path, '/');
    if (!memchr(key, '~', len) && !memchr(key, '/', len)) {
        return lake__buf_put(&w->path, key, len) ? (PyErr_NoMemory(), -1) : 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '~') lake__buf_puts(&w->path, "~0");
        else if (key[i] == '/') lake__buf_puts(&w->path, "~1");
        else lake__buf_putc(&w->path, key[i]);
    }
    return w->path.failed ? (PyErr_NoMemory(), -1) : 0;
}

static int push_index(walk *w, Py_ssize_t i) {
    if (!w->issues) return 0;
    return lake__buf_printf(&w->path, "/%zd", i) ? (PyErr_NoMemory(), -1) : 0;
}

static void pop_to(walk *w, size_t len) {
    if (!w->issues) return;
    w->path.len = len;
    if (w->path.data) w->path.data[len] = '\0';
}

/* A key that is not a str: an issue at the key's path (its str() form), or
 * a TypeError. Nothing is written, so the decoder never sees a stand-in
 * key and reports nothing of its own about it. */
static int refuse_key(walk *w, PyObject *key) {
    if (!w->issues) return refuse(w, "type", "a key of type ", key, ": JSON keys are strings");
    PyObject *name = lakepy_type_name(key);
    PyObject *text = name ? PyObject_Str(key) : NULL;
    const char *type_name = name ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
    Py_ssize_t len = 0;
    const char *k = text ? PyUnicode_AsUTF8AndSize(text, &len) : NULL;
    int rc = -1;
    if (type_name && k) {
        size_t path_len = w->path.len;
        if (!push_key(w, k, (size_t)len)) {
            char column[256];
            size_t n = w->column_len < sizeof column - 1 ? w->column_len : sizeof column - 1;
            if (!w->depth || !w->column) n = 0; /* a top-level key names no column */
            memcpy(column, w->column ? w->column : "", n);
            column[n] = '\0';
            rc = lake__issues_add(w->issues, w->index, w->path.data, column, "type", "",
                                  "a key of type %s: JSON keys are strings", type_name)
                     ? (PyErr_NoMemory(), -1)
                     : 0;
        }
        pop_to(w, path_len);
    }
    Py_XDECREF(name);
    Py_XDECREF(text);
    return rc;
}

static int put(walk *w, const char *s, size_t len) { return lake__buf_put(w->out, s, len) ? (PyErr_NoMemory(), -1) : 0; }

static int write_text(walk *w, PyObject *s) {
    Py_ssize_t len;
    const char *u = PyUnicode_AsUTF8AndSize(s, &len);
    if (!u) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return -1;
        PyErr_Clear();
        return refuse(w, "format", "a ", s, " with a lone surrogate is not UTF-8 text");
    }
    return lake__json_write_string(w->out, u, (size_t)len) ? (PyErr_NoMemory(), -1) : 0;
}

/* The text str(v) gives, written as is (a number) or quoted. */
static int write_str_of(walk *w, PyObject *v, bool quoted) {
    PyObject *s = PyObject_Str(v);
    if (!s) return -1;
    int rc;
    if (quoted) {
        rc = write_text(w, s);
    } else {
        Py_ssize_t len;
        const char *u = PyUnicode_AsUTF8AndSize(s, &len);
        rc = u ? put(w, u, (size_t)len) : -1;
    }
    Py_DECREF(s);
    return rc;
}

static int write_isoformat(walk *w, PyObject *v) {
    PyObject *s = PyObject_CallMethod(v, "isoformat", NULL);
    if (!s) return -1;
    int rc = write_text(w, s);
    Py_DECREF(s);
    return rc;
}

static int write_int(walk *w, PyObject *v) {
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (x == -1 && PyErr_Occurred()) return -1;
    if (overflow) return write_str_of(w, v, false); /* the decoder judges the range */
    char text[24], *end = text + sizeof text, *p = end;
    unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
    do *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (x < 0) *--p = '-';
    return put(w, p, (size_t)(end - p));
}

static int write_float(walk *w, PyObject *v) {
    double x = PyFloat_AsDouble(v);
    if (x == -1.0 && PyErr_Occurred()) return -1;
    if (!isfinite(x)) return refuse(w, "range", "a ", v, " that is NaN or infinite has no JSON form");
    PyObject *s = PyObject_Repr(v); /* the shortest text that reads back to the same double */
    if (!s) return -1;
    Py_ssize_t len;
    const char *u = PyUnicode_AsUTF8AndSize(s, &len);
    int rc = u ? put(w, u, (size_t)len) : -1;
    Py_DECREF(s);
    return rc;
}

static int write_bytes(walk *w, PyObject *v) {
    PyObject *keep = NULL;
    const char *p;
    Py_ssize_t len;
    if (PyByteArray_Check(v)) {
        p = PyByteArray_AsString(v), len = PyByteArray_Size(v);
    } else {
        if (!PyBytes_Check(v) && !(v = keep = PyBytes_FromObject(v))) return -1;
        if (PyBytes_AsStringAndSize(v, (char **)&p, &len)) {
            Py_XDECREF(keep);
            return -1;
        }
    }
    size_t need = ((size_t)len + 2) / 3 * 4;
    int rc = 0;
    if (lake__buf_grow(w->out, need + 2)) {
        rc = -1;
        PyErr_NoMemory();
    } else {
        w->out->data[w->out->len++] = '"';
        w->out->len += lake__base64_encode((const uint8_t *)p, (size_t)len, w->out->data + w->out->len);
        w->out->data[w->out->len++] = '"';
        w->out->data[w->out->len] = '\0';
    }
    Py_XDECREF(keep);
    return rc;
}

/* A Decimal as an exact JSON number; NaN and infinities have none. */
static int write_decimal(walk *w, PyObject *v) {
    PyObject *finite = PyObject_CallMethod(v, "is_finite", NULL);
    if (!finite) return -1;
    int ok = PyObject_IsTrue(finite);
    Py_DECREF(finite);
    if (ok < 0) return -1;
    if (!ok) return refuse(w, "range", "a ", v, " that is NaN or infinite has no JSON form");
    return write_str_of(w, v, false);
}

static int write_datetime(walk *w, PyObject *v) {
    PyObject *offset = PyObject_CallMethod(v, "utcoffset", NULL);
    if (!offset) return -1;
    bool naive = offset == Py_None;
    Py_DECREF(offset);
    if (naive)
        return refuse(w, "type", "a ", v, " without tzinfo is ambiguous: give it a time zone (datetime.timezone.utc)");
    return write_isoformat(w, v);
}

/* Exact datetime, Decimal and UUID values, the common case, take shorter
 * roads than the general ones above, to the same text: a UTC datetime is
 * written from its fields as isoformat() writes it, a Decimal's str() is
 * read for NaN and infinities instead of calling is_finite(), a UUID is
 * written from its int as str() writes it. Subclasses, which may override
 * any of these, take the general roads. The attribute names are made once
 * (a once-initialised cache, under the GIL). */
static struct {
    PyObject *tzinfo, *year, *month, *day, *hour, *minute, *second, *microsecond, *int_, *sixty_four;
} attr;

static int attrs_ready(void) {
    if (attr.sixty_four) return 0;
    const char *text[] = {"tzinfo", "year", "month", "day", "hour", "minute", "second", "microsecond", "int"};
    PyObject **slot[] = {&attr.tzinfo, &attr.year,   &attr.month,       &attr.day, &attr.hour,
                         &attr.minute, &attr.second, &attr.microsecond, &attr.int_};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        if (!*slot[i] && !(*slot[i] = PyUnicode_InternFromString(text[i]))) return -1;
    return (attr.sixty_four = PyLong_FromLong(64)) ? 0 : -1;
}

static int write_utc_datetime(walk *w, PyObject *v) {
    PyObject *const fields[] = {attr.year, attr.month, attr.day, attr.hour, attr.minute, attr.second,
                                attr.microsecond};
    long f[7];
    for (int i = 0; i < 7; i++) {
        PyObject *n = PyObject_GetAttr(v, fields[i]);
        if (!n) return -1;
        f[i] = PyLong_AsLong(n);
        Py_DECREF(n);
        if (f[i] == -1 && PyErr_Occurred()) return -1;
    }
    /* "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00", quoted */
    static const int width[7] = {4, 2, 2, 2, 2, 2, 6};
    static const char after[5] = {'-', '-', 'T', ':', ':'};
    char text[40], *p = text;
    *p++ = '"';
    for (int i = 0; i < 7; i++) {
        if (i == 6 && !f[6]) break; /* isoformat() leaves out zero microseconds */
        long x = f[i];
        for (int d = width[i] - 1; d >= 0; d--, x /= 10) p[d] = (char)('0' + x % 10);
        p += width[i];
        if (i < 5) *p++ = after[i];
        else if (i == 5 && f[6]) *p++ = '.';
    }
    memcpy(p, "+00:00\"", 7);
    p += 7;
    return put(w, text, (size_t)(p - text));
}

static int write_exact_datetime(walk *w, PyObject *v) {
    PyObject *tz = PyObject_GetAttr(v, attr.tzinfo);
    if (!tz) return -1;
    int utc = tz == lakepy.utc;
    Py_DECREF(tz);
    return utc ? write_utc_datetime(w, v) : write_datetime(w, v);
}

static int write_exact_decimal(walk *w, PyObject *v) {
    PyObject *s = PyObject_Str(v);
    if (!s) return -1;
    Py_ssize_t len;
    const char *u = PyUnicode_AsUTF8AndSize(s, &len);
    int rc;
    if (!u) rc = -1;
    else if (u[u[0] == '-'] >= '0' && u[u[0] == '-'] <= '9') rc = put(w, u, (size_t)len); /* finite */
    else rc = refuse(w, "range", "a ", v, " that is NaN or infinite has no JSON form");
    Py_DECREF(s);
    return rc;
}

static int write_exact_uuid(walk *w, PyObject *v) {
    PyObject *n = PyObject_GetAttr(v, attr.int_);
    PyObject *high = n ? PyNumber_Rshift(n, attr.sixty_four) : NULL;
    unsigned long long lo = high ? PyLong_AsUnsignedLongLongMask(n) : 0, hi = 0;
    if (high && !PyErr_Occurred()) hi = PyLong_AsUnsignedLongLongMask(high);
    Py_XDECREF(n);
    Py_XDECREF(high);
    if (!high || PyErr_Occurred()) return -1;
    static const char digits[] = "0123456789abcdef";
    char text[38], *p = text;
    *p++ = '"';
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20) *p++ = '-';
        unsigned long long word = i < 16 ? hi : lo;
        *p++ = digits[(word >> (60 - 4 * (i % 16))) & 15];
    }
    *p++ = '"';
    return put(w, text, (size_t)(p - text));
}

/* One member of an object: "key":value, after a comma unless it is the
 * first written. A key that is not a string is refused and left out. */
static int write_member(walk *w, PyObject *key, PyObject *value, Py_ssize_t *written) {
    if (!PyUnicode_Check(key)) return refuse_key(w, key);
    if ((*written)++ && put(w, ",", 1)) return -1;
    Py_ssize_t klen;
    const char *k = PyUnicode_AsUTF8AndSize(key, &klen);
    if (!k) return -1;
    if (lake__json_write_string(w->out, k, (size_t)klen) || put(w, ":", 1)) return PyErr_NoMemory(), -1;
    if (!w->depth) w->column = k, w->column_len = (size_t)klen;
    size_t path_len = w->path.len;
    if (push_key(w, k, (size_t)klen)) return -1;
    Py_INCREF(value); /* a __str__ or isoformat() may run Python code that changes the container */
    int rc = write_value(w, value);
    Py_DECREF(value);
    pop_to(w, path_len);
    return rc;
}

static int write_pairs(walk *w, PyObject *items) {
    /* items: a list of (key, value) tuples */
    if (put(w, "{", 1)) return -1;
    Py_ssize_t n = PyList_Size(items), written = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GetItem(items, i);
        PyObject *key = PyTuple_GetItem(pair, 0), *value = PyTuple_GetItem(pair, 1);
        if (!key || !value || write_member(w, key, value, &written)) return -1;
    }
    return put(w, "}", 1);
}

static int write_dict(walk *w, PyObject *d) {
    if (put(w, "{", 1)) return -1;
    Py_ssize_t pos = 0, written = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value))
        if (write_member(w, key, value, &written)) return -1;
    return put(w, "}", 1);
}

/* The names of a dataclass's fields, cached per class. NULL (no error) when
 * the type is not a dataclass. */
static PyObject *dataclass_names(PyObject *v) {
    PyObject *type = (PyObject *)Py_TYPE(v);
    PyObject *names = PyDict_GetItem(lakepy.field_cache, type);
    if (names) return names;
    if (!PyObject_HasAttrString(type, "__dataclass_fields__") || PyType_Check(v)) return NULL;
    PyObject *fields = PyObject_CallFunctionObjArgs(lakepy.dataclass_fields, v, NULL);
    if (!fields) return NULL;
    Py_ssize_t n = PyTuple_Size(fields);
    names = PyTuple_New(n);
    for (Py_ssize_t i = 0; names && i < n; i++) {
        PyObject *name = PyObject_GetAttrString(PyTuple_GetItem(fields, i), "name");
        if (!name) Py_CLEAR(names);
        else PyTuple_SetItem(names, i, name);
    }
    Py_DECREF(fields);
    if (!names || PyDict_SetItem(lakepy.field_cache, type, names)) {
        Py_XDECREF(names);
        return NULL;
    }
    Py_DECREF(names); /* the cache holds it */
    return names;
}

/* A dataclass as an object of its fields. Fields holding None are left
 * out, as if the key were absent: a dataclass cannot omit a field, and an
 * auto=ingestID column or a nullable one must be absent or null. */
static int write_dataclass(walk *w, PyObject *v, PyObject *names) {
    if (put(w, "{", 1)) return -1;
    size_t path_len = w->path.len;
    Py_ssize_t n = PyTuple_Size(names), written = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GetItem(names, i);
        Py_ssize_t klen;
        const char *k = PyUnicode_AsUTF8AndSize(name, &klen);
        if (!k) return -1;
        PyObject *value = PyObject_GetAttr(v, name);
        if (!value) return -1;
        if (value == Py_None) {
            Py_DECREF(value);
            continue;
        }
        if (!w->depth) w->column = k, w->column_len = (size_t)klen;
        int rc = (written++ && put(w, ",", 1)) || lake__json_write_string(w->out, k, (size_t)klen) || put(w, ":", 1)
                     ? (PyErr_NoMemory(), -1)
                     : push_key(w, k, (size_t)klen);
        if (!rc) rc = write_value(w, value);
        Py_DECREF(value);
        pop_to(w, path_len);
        if (rc) return rc;
    }
    return put(w, "}", 1);
}

static int write_sequence(walk *w, PyObject *v) {
    PyObject *seq = PySequence_Fast(v, "not a sequence");
    if (!seq) return -1;
    if (put(w, "[", 1)) {
        Py_DECREF(seq);
        return -1;
    }
    size_t path_len = w->path.len;
    Py_ssize_t n = PySequence_Size(seq);
    int rc = 0;
    for (Py_ssize_t i = 0; !rc && i < n; i++) {
        PyObject *item = PySequence_GetItem(seq, i);
        if (!item) {
            rc = -1;
            break;
        }
        rc = (i && put(w, ",", 1)) || push_index(w, i) ? -1 : write_value(w, item);
        Py_DECREF(item);
        pop_to(w, path_len);
    }
    Py_DECREF(seq);
    return rc ? rc : put(w, "]", 1);
}

static int is_instance(PyObject *v, PyObject *cls) { return PyObject_IsInstance(v, cls) == 1; }

static int write_value(walk *w, PyObject *v) {
    if (v == Py_None) return put(w, "null", 4);
    if (v == Py_True) return put(w, "true", 4);
    if (v == Py_False) return put(w, "false", 5);
    if (PyUnicode_Check(v)) return write_text(w, v);
    if (PyLong_Check(v)) return write_int(w, v);
    if (PyFloat_Check(v)) return write_float(w, v);
    if (++w->depth > MAX_DEPTH) {
        w->depth--;
        return refuse(w, "syntax", "a ", v, " nested past 1024 levels");
    }
    int rc;
    PyObject *names;
    if (PyDict_Check(v)) rc = write_dict(w, v);
    else if (PyList_Check(v) || PyTuple_Check(v)) rc = write_sequence(w, v);
    else if (PyBytes_Check(v) || PyByteArray_Check(v) || PyMemoryView_Check(v)) rc = write_bytes(w, v);
    else if (Py_TYPE(v) == (PyTypeObject *)lakepy.datetime) rc = attrs_ready() ? -1 : write_exact_datetime(w, v);
    else if (Py_TYPE(v) == (PyTypeObject *)lakepy.decimal) rc = write_exact_decimal(w, v);
    else if (Py_TYPE(v) == (PyTypeObject *)lakepy.uuid) rc = attrs_ready() ? -1 : write_exact_uuid(w, v);
    else if (is_instance(v, lakepy.datetime)) rc = write_datetime(w, v); /* before date: a datetime is a date */
    else if (is_instance(v, lakepy.date)) rc = write_isoformat(w, v);
    else if (is_instance(v, lakepy.decimal)) rc = write_decimal(w, v);
    else if (is_instance(v, lakepy.uuid)) rc = write_str_of(w, v, true);
    else if ((names = dataclass_names(v))) rc = write_dataclass(w, v, names);
    else if (PyErr_Occurred()) rc = -1;
    else if (PyMapping_Check(v) && PyObject_HasAttrString(v, "items")) {
        PyObject *items = PyMapping_Items(v);
        rc = items ? write_pairs(w, items) : -1;
        Py_XDECREF(items);
    } else rc = refuse(w, "type", "a value of type ", v, " has no JSON form");
    w->depth--;
    return rc;
}

int lakepy_record_json(lake__buf *out, PyObject *record, size_t index, lake_issues *issues) {
    walk w = {out, LAKE__BUF_INIT, NULL, 0, index, issues, 0};
    int rc;
    if (PyDict_Check(record)) {
        rc = write_dict(&w, record);
    } else {
        PyObject *names = dataclass_names(record);
        if (names) rc = write_dataclass(&w, record, names);
        else if (PyErr_Occurred()) rc = -1;
        else if (PyMapping_Check(record) && PyObject_HasAttrString(record, "items")) {
            PyObject *items = PyMapping_Items(record);
            rc = items ? write_pairs(&w, items) : -1;
            Py_XDECREF(items);
        } else {
            rc = refuse(&w, "type", "a record of type ", record, ": give a dict, a Mapping or a dataclass instance");
        }
    }
    lake__buf_dispose(&w.path);
    return rc;
}

int lakepy_value_json(lake__buf *out, PyObject *value) {
    walk w = {out, LAKE__BUF_INIT, NULL, 0, 0, NULL, 0};
    return write_value(&w, value);
}
