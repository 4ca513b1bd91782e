/* SPDX-License-Identifier: MIT */
/* Records as Python values: each column's value in the type a Python user
 * expects (datetime in UTC, date, Decimal, UUID, bytes, nested dicts and
 * lists), so what a read returns validates and inserts back unchanged. */
#include <stdint.h>
#include <string.h>

#include "native.h"
#include "schema/schema.h"
#include "schema/type_table.h"
#include "util/decimal.h"
#include "util/time.h"

/* Dict keys made once per call rather than once per value: each column's
 * key as a str, found by the column's address (open addressing; when the
 * table is full, keys are made per value as before). Lives one call. */
enum { KEY_SLOTS = 256 };
typedef struct keys {
    const lake__column *col[KEY_SLOTS];
    PyObject *key[KEY_SLOTS];
} keys;

/* A new reference to col's key. */
static PyObject *key_of(keys *k, const lake__column *col) {
    if (k) {
        size_t h = ((uintptr_t)col >> 4) & (KEY_SLOTS - 1);
        for (size_t probe = 0; probe < KEY_SLOTS; probe++, h = (h + 1) & (KEY_SLOTS - 1)) {
            if (k->col[h] == col) {
                Py_INCREF(k->key[h]);
                return k->key[h];
            }
            if (!k->col[h]) {
                PyObject *key = PyUnicode_FromString(col->pub.json_name);
                if (!key) return NULL;
                k->col[h] = col, k->key[h] = key;
                Py_INCREF(key);
                return key;
            }
        }
    }
    return PyUnicode_FromString(col->pub.json_name);
}

static void keys_dispose(keys *k) {
    for (size_t i = 0; i < KEY_SLOTS; i++) Py_XDECREF(k->key[i]);
}

static PyObject *value_of(keys *k, const lake__column *col, const unsigned char *at);

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
    /* datetime(year, month, day, hour, minute, second, microsecond, utc),
     * its arguments built directly: a format string is parsed per call. */
    long parts[7] = {(long)year, (long)month, (long)day, s / 3600, s / 60 % 60, s % 60, (long)(rem % 1000000)};
    PyObject *args = PyTuple_New(8);
    if (!args) return NULL;
    for (int i = 0; i < 7; i++) {
        PyObject *n = PyLong_FromLong(parts[i]);
        if (!n) {
            Py_DECREF(args);
            return NULL;
        }
        PyTuple_SetItem(args, i, n);
    }
    Py_INCREF(lakepy.utc);
    PyTuple_SetItem(args, 7, lakepy.utc);
    PyObject *r = PyObject_Call(lakepy.datetime, args, NULL);
    Py_DECREF(args);
    return r;
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
    PyObject *s = PyUnicode_FromStringAndSize(text, (Py_ssize_t)n);
    PyObject *r = s ? PyObject_CallFunctionObjArgs(lakepy.decimal, s, NULL) : NULL;
    Py_XDECREF(s);
    return r;
}

static PyObject *uuid_slow(const unsigned char *at) {
    PyObject *b = PyBytes_FromStringAndSize((const char *)at, 16);
    if (!b) return NULL;
    PyObject *args = PyTuple_New(0), *kw = Py_BuildValue("{sO}", "bytes", b);
    PyObject *u = args && kw ? PyObject_Call(lakepy.uuid, args, kw) : NULL;
    Py_DECREF(b);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    return u;
}

/* uuid.UUID(bytes=b) runs Python code (its __init__ checks every argument
 * form) and costs several microseconds a value. A UUID is its two slots,
 * int and is_safe: the fast form allocates one and sets them as __init__
 * does (object.__setattr__, as the uuid module itself does). It is used
 * only once it has been seen, on this interpreter, to make a UUID equal to
 * the slow form's with the same is_safe; otherwise every value takes the
 * slow form. A once-initialised cache, under the GIL. */
static struct {
    int state; /* 0: not tried; 1: the fast form; -1: the slow form */
    PyObject *int_name, *is_safe_name, *unknown;
} uuid_fast;

static PyObject *uuid_build(const unsigned char *at) {
    static const char digits[] = "0123456789abcdef";
    char hex[33];
    for (int i = 0; i < 16; i++) hex[2 * i] = digits[at[i] >> 4], hex[2 * i + 1] = digits[at[i] & 15];
    hex[32] = '\0';
    PyObject *n = PyLong_FromString(hex, NULL, 16);
    if (!n) return NULL;
    PyObject *u = PyType_GenericNew((PyTypeObject *)lakepy.uuid, NULL, NULL);
    if (!u || PyObject_GenericSetAttr(u, uuid_fast.int_name, n) ||
        PyObject_GenericSetAttr(u, uuid_fast.is_safe_name, uuid_fast.unknown))
        Py_CLEAR(u);
    Py_DECREF(n);
    return u;
}

static int uuid_fast_works(void) {
    PyObject *module = PyImport_ImportModule("uuid");
    PyObject *safe = module ? PyObject_GetAttrString(module, "SafeUUID") : NULL;
    uuid_fast.unknown = safe ? PyObject_GetAttrString(safe, "unknown") : NULL;
    Py_XDECREF(module);
    Py_XDECREF(safe);
    uuid_fast.int_name = PyUnicode_InternFromString("int");
    uuid_fast.is_safe_name = PyUnicode_InternFromString("is_safe");
    if (!uuid_fast.unknown || !uuid_fast.int_name || !uuid_fast.is_safe_name) return 0;
    static const unsigned char probe[16] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
                                            0x80, 0x01, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54};
    PyObject *fast = uuid_build(probe), *slow = fast ? uuid_slow(probe) : NULL;
    PyObject *fast_safe = slow ? PyObject_GetAttr(fast, uuid_fast.is_safe_name) : NULL;
    PyObject *slow_safe = fast_safe ? PyObject_GetAttr(slow, uuid_fast.is_safe_name) : NULL;
    int same = slow_safe && Py_TYPE(fast) == Py_TYPE(slow) && PyObject_RichCompareBool(fast, slow, Py_EQ) == 1 &&
               fast_safe == slow_safe;
    Py_XDECREF(fast);
    Py_XDECREF(slow);
    Py_XDECREF(fast_safe);
    Py_XDECREF(slow_safe);
    return same;
}

static PyObject *uuid_of(const unsigned char *at) {
    if (!uuid_fast.state) {
        uuid_fast.state = uuid_fast_works() ? 1 : -1;
        if (uuid_fast.state < 0) PyErr_Clear();
    }
    return uuid_fast.state > 0 ? uuid_build(at) : uuid_slow(at);
}

static PyObject *text(const char *p, size_t len) {
    return p ? PyUnicode_DecodeUTF8(p, (Py_ssize_t)len, "strict") : lakepy_none();
}

/* A record of `s` (a struct's members, a list element's or a map entry's
 * "element"/"key"/"value") as a dict, or, for element records, one value. */
static PyObject *members(keys *k, const lake_schema *s, const unsigned char *rec) {
    size_t n = lake_schema_column_count(s);
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < n; i++) {
        const lake__column *col = lake__schema_col(s, i);
        PyObject *v = value_of(k, col, rec + col->pub.offset);
        PyObject *key = v ? key_of(k, col) : NULL;
        if (!key || PyDict_SetItem(d, key, v)) Py_CLEAR(d);
        Py_XDECREF(key);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *list(keys *k, const lake__column *col, const unsigned char *at) {
    const lake_list_str *view = (const lake_list_str *)(const void *)at; /* every list view is {ptr, len} */
    if (!view->ptr) return lakepy_none();
    const lake_schema *child = col->pub.child;
    const lake__column *elem = lake__schema_col(child, 0);
    size_t stride = lake_schema_record_size(child);
    PyObject *l = PyList_New((Py_ssize_t)view->len);
    for (size_t i = 0; l && i < view->len; i++) {
        PyObject *v = value_of(k, elem, (const unsigned char *)view->ptr + i * stride + elem->pub.offset);
        if (!v) Py_CLEAR(l);
        else PyList_SetItem(l, (Py_ssize_t)i, v);
    }
    return l;
}

static PyObject *map(keys *kc, const lake__column *col, const unsigned char *at) {
    const lake_list_str *view = (const lake_list_str *)(const void *)at;
    if (!view->ptr) return lakepy_none();
    const lake_schema *child = col->pub.child;
    const lake__column *key = lake__schema_col(child, 0), *value = lake__schema_col(child, 1);
    size_t stride = lake_schema_record_size(child);
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < view->len; i++) {
        const unsigned char *entry = (const unsigned char *)view->ptr + i * stride;
        PyObject *k = value_of(kc, key, entry + key->pub.offset);
        PyObject *v = k ? value_of(kc, value, entry + value->pub.offset) : NULL;
        if (!v || PyDict_SetItem(d, k, v)) Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *value_of(keys *k, const lake__column *col, const unsigned char *at) {
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
    case LAKE_UUID: return uuid_of(at);
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
            return p ? members(k, col->pub.child, p) : lakepy_none();
        }
        return members(k, col->pub.child, at);
    }
    case LAKE_LIST: return list(k, col, at);
    case LAKE_MAP: return map(k, col, at);
    }
    PyErr_Format(PyExc_SystemError, "column %s has an unknown type %d", col->pub.name, (int)t);
    return NULL;
}

PyObject *lakepy_record_dict(const lake_schema *schema, const void *record) { return members(NULL, schema, record); }

/* Building a million dicts wakes the cyclic collector thousands of times,
 * and its full passes walk every object the process holds, the caller's
 * input too: about 40 % of the time of a large batch. Nothing built here
 * can form a cycle and no other thread runs (the GIL is held throughout),
 * so the collector is paused while the list is built and left as it was
 * found. gc's functions are looked up once (a once-initialised cache, under
 * the GIL; PyGC_Disable is not in the 3.9 limited API). */
static PyObject *gc_module;

/* 1 when this call paused the collector, 0 when it was already off, -1 on error. */
static int gc_pause(void) {
    if (!gc_module && !(gc_module = PyImport_ImportModule("gc"))) return -1;
    PyObject *on = PyObject_CallMethod(gc_module, "isenabled", NULL);
    int enabled = on ? PyObject_IsTrue(on) : -1;
    Py_XDECREF(on);
    if (enabled <= 0) return enabled;
    PyObject *r = PyObject_CallMethod(gc_module, "disable", NULL);
    Py_XDECREF(r);
    return r ? 1 : -1;
}

static void gc_resume(int paused) {
    if (paused <= 0) return;
    PyObject *type, *value, *trace;
    PyErr_Fetch(&type, &value, &trace); /* keep the call's own error, if any */
    PyObject *r = PyObject_CallMethod(gc_module, "enable", NULL);
    if (!r) PyErr_Clear();
    Py_XDECREF(r);
    PyErr_Restore(type, value, trace);
}

PyObject *lakepy_record_list(const lake_schema *schema, const void *records, size_t count) {
    size_t size = lake_schema_record_size(schema);
    keys *k = PyMem_Calloc(1, sizeof *k);
    if (!k) return PyErr_NoMemory();
    int paused = count > 1 ? gc_pause() : 0;
    if (paused < 0) {
        PyMem_Free(k);
        return NULL;
    }
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *d = members(k, schema, (const unsigned char *)records + i * size);
        if (!d) Py_CLEAR(list);
        else PyList_SetItem(list, (Py_ssize_t)i, d);
    }
    keys_dispose(k);
    PyMem_Free(k);
    gc_resume(paused);
    return list;
}
