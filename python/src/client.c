/* SPDX-License-Identifier: MIT */
/* lakeorm.Client's native part: one lake_client shared by every Python
 * thread. Each call releases the GIL while the library works; the client
 * counts calls in flight so close() never frees it under one of them. */
#include <string.h>

#include "native.h"
#include "client.h"

static PyObject *closed_error(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_error_set(&err, LAKE_EINVAL, "the client is closed");
    return lakepy_raise(&err);
}

lake_client *lakepy_client_enter(lakepy_client *self) {
    if (!self->c || self->closing) return closed_error(), NULL;
    self->busy++;
    return self->c;
}

void lakepy_client_leave(lakepy_client *self) {
    if (--self->busy || !self->closing || !self->c) return;
    lake_client *c = self->c;
    self->c = NULL;
    Py_BEGIN_ALLOW_THREADS
    lake_client_close(c);
    Py_END_ALLOW_THREADS
}

/* Client(url) or Client(profile=..., config=...): a URL, or a profile of a
 * configuration file (lakeorm.toml; both None: the lookup and the default
 * profile, docs/cli.md). */
static PyObject *client_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    static char *names[] = {"url", "profile", "config", NULL};
    const char *url = NULL, *profile = NULL, *config = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|z$zz", names, &url, &profile, &config)) return NULL;
    if (url && (profile || config)) {
        PyErr_SetString(PyExc_TypeError, "Client takes a url or a profile (and config), not both");
        return NULL;
    }
    lake_error err = LAKE_ERROR_INIT;
    lake_client *c = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = url ? lake_client_open_url(&c, url, NULL, &err) : lake_client_open_profile(&c, config, profile, NULL, &err);
    Py_END_ALLOW_THREADS
    if (rc) return lakepy_raise(&err);
    allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
    lakepy_client *self = (lakepy_client *)alloc(type, 0);
    if (!self) {
        lake_client_close(c);
        return NULL;
    }
    self->c = c;
    return (PyObject *)self;
}

static void client_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    lakepy_client *self = (lakepy_client *)o;
    /* Streams hold a reference: nothing is in flight here. */
    if (self->c) lake_client_close(self->c);
    freefunc free_ = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_(o);
    Py_DECREF(type);
}

static PyObject *client_close(PyObject *o, PyObject *unused) {
    (void)unused;
    lakepy_client *self = (lakepy_client *)o;
    if (!self->c || self->closing) Py_RETURN_NONE;
    self->closing = true;
    self->busy++;
    lakepy_client_leave(self); /* closes now, or when the last call in flight returns */
    Py_RETURN_NONE;
}

static PyObject *client_migrate(PyObject *o, PyObject *args) {
    PyObject *schema_obj;
    if (!PyArg_ParseTuple(args, "O", &schema_obj)) return NULL;
    const lake_schema *schema = lakepy_schema_of(schema_obj);
    if (!schema) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    if (!c) return NULL;
    lake_error err = LAKE_ERROR_INIT;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_client_migrate(c, schema, &err);
    Py_END_ALLOW_THREADS
    lakepy_client_leave(self);
    if (rc) return lakepy_raise(&err);
    Py_RETURN_NONE;
}

/* names: three choices */
static int choice(const char *what, const char *given, const char *const *names, int count) {
    for (int i = 0; i < count; i++)
        if (!strcmp(given, names[i])) return i;
    PyErr_Format(PyExc_ValueError, "%s must be '%s', '%s' or '%s', not '%s'", what, names[0], names[1], names[2],
                 given);
    return -1;
}

int lakepy_insert_options(lake_insert_options *opts, const char *key, const char *on_conflict, const char *path) {
    static const char *const conflicts[] = {"error", "ignore", "update"};
    static const char *const paths[] = {"auto", "direct", "staged"};
    int conflict = choice("on_conflict", on_conflict, conflicts, 3);
    int route = conflict < 0 ? -1 : choice("path", path, paths, 3);
    if (route < 0) return -1;
    *opts = (lake_insert_options)LAKE_INSERT_OPTIONS_INIT;
    opts->idempotency_key = key;
    opts->on_conflict = (lake_on_conflict)conflict;
    opts->path = (lake_write_path)route;
    return 0;
}

PyObject *lakepy_insert_result(const lake_insert_result *r) {
    PyObject *id = PyBytes_FromStringAndSize((const char *)r->ingest_id.b, 16);
    PyObject *args = id ? PyTuple_New(0) : NULL;
    PyObject *kw = args ? Py_BuildValue("{sO}", "bytes", id) : NULL;
    PyObject *uuid = kw ? PyObject_Call(lakepy.uuid, args, kw) : NULL;
    Py_XDECREF(id);
    Py_XDECREF(args);
    Py_XDECREF(kw);
    if (!uuid) return NULL;
    PyObject *result = PyObject_CallFunction(lakepy.insert_result, "OKsOKKKK", uuid, (unsigned long long)r->rows,
                                             r->path == LAKE_PATH_STAGED ? "staged" : "direct",
                                             r->replayed ? Py_True : Py_False, (unsigned long long)r->bytes_staged,
                                             (unsigned long long)r->inserted, (unsigned long long)r->updated,
                                             (unsigned long long)r->ignored);
    Py_DECREF(uuid);
    return result;
}

/* Writes decoded records as one request, or raises the batch's issues. */
static PyObject *insert_batch(lakepy_client *self, const lake_schema *schema, lakepy_batch *b,
                              const lake_insert_options *opts) {
    if (lake_issues_count(b->issues)) {
        PyObject *issues = lakepy_issue_list(b->issues);
        if (issues) lakepy_raise_issues(issues, b->rejected);
        Py_XDECREF(issues);
        return NULL;
    }
    lake_client *c = lakepy_client_enter(self);
    if (!c) return NULL;
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    lake_error err = LAKE_ERROR_INIT;
    const void *records = lakepy_batch_data(b);
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_client_insert(c, schema, records, b->count, opts, &result, &err);
    Py_END_ALLOW_THREADS
    lakepy_client_leave(self);
    if (rc) return lakepy_raise(&err);
    return lakepy_insert_result(&result);
}

static PyObject *client_insert(PyObject *o, PyObject *args, PyObject *kw) {
    static char *names[] = {"schema", "rows", "idempotency_key", "on_conflict", "path", NULL};
    PyObject *schema_obj, *rows;
    const char *key = NULL, *on_conflict = "error", *path = "auto";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|zss", names, &schema_obj, &rows, &key, &on_conflict, &path))
        return NULL;
    const lake_schema *schema = lakepy_schema_of(schema_obj);
    lake_insert_options opts;
    if (!schema || lakepy_insert_options(&opts, key, on_conflict, path)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    if (PyUnicode_Check(rows) || PyDict_Check(rows)) {
        PyErr_SetString(PyExc_TypeError, PyUnicode_Check(rows)
                                             ? "rows as text: give NDJSON as bytes (data.encode())"
                                             : "rows is one dict: give a list of records");
        return NULL;
    }
    if (PyObject_HasAttrString(rows, "__arrow_c_stream__") || PyObject_HasAttrString(rows, "__arrow_c_array__"))
        return lakepy_insert_arrow(self, schema, rows, &opts);
    lakepy_batch b;
    int rc;
    PyObject *keep = NULL;
    if (PyBytes_Check(rows) || PyByteArray_Check(rows) || PyMemoryView_Check(rows)) {
        const char *data;
        size_t len;
        keep = lakepy_bytes_of(rows, &data, &len);
        rc = keep ? lakepy_batch_ndjson(&b, schema, data, len) : (memset(&b, 0, sizeof b), -1);
    } else {
        rc = lakepy_batch_rows(&b, schema, rows);
    }
    PyObject *r = rc ? NULL : insert_batch(self, schema, &b, &opts);
    lakepy_batch_dispose(&b);
    Py_XDECREF(keep);
    return r;
}

/* A source: SQL with parameters, or (sql None) the schema's whole table. */
typedef struct source {
    lakepy_params params;
    lake_source src;
} source;

static int source_from(source *s, const char *sql, PyObject *params) {
    if (lakepy_params_from(&s->params, params)) {
        lakepy_params_dispose(&s->params);
        return -1;
    }
    s->src = sql ? (lake_source)LAKE_SQL_PARAMS(sql, s->params.items, s->params.count) : (lake_source)LAKE_TABLE(NULL);
    return 0;
}

/* The arguments every typed read takes: (schema, sql=None, params=None). */
static int read_args(PyObject *args, PyObject *kw, PyObject **schema_obj, const lake_schema **schema, source *s) {
    static char *names[] = {"schema", "sql", "params", NULL};
    PyObject *params = NULL;
    const char *sql = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zO", names, schema_obj, &sql, &params)) return -1;
    *schema = lakepy_schema_of(*schema_obj);
    return *schema ? source_from(s, sql, params) : -1;
}

static PyObject *client_query(PyObject *o, PyObject *args, PyObject *kw) {
    PyObject *schema_obj;
    const lake_schema *schema;
    source s;
    if (read_args(args, kw, &schema_obj, &schema, &s)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    PyObject *list = NULL;
    lake_arena *arena = NULL;
    void *records = NULL;
    size_t count = 0;
    if (c && lake_arena_new(&arena)) PyErr_NoMemory();
    else if (c) {
        lake_error err = LAKE_ERROR_INIT;
        int rc;
        Py_BEGIN_ALLOW_THREADS
        rc = lake_client_query_all(c, schema, &s.src, arena, &records, &count, &err);
        Py_END_ALLOW_THREADS
        if (rc) lakepy_raise(&err);
        else list = lakepy_record_list(schema, records, count);
    }
    if (c) lakepy_client_leave(self);
    lake_free(records);
    lake_arena_free(arena);
    lakepy_params_dispose(&s.params);
    return list;
}

static PyObject *client_first(PyObject *o, PyObject *args, PyObject *kw) {
    PyObject *schema_obj;
    const lake_schema *schema;
    source s;
    if (read_args(args, kw, &schema_obj, &schema, &s)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    PyObject *d = NULL;
    lake_arena *arena = NULL;
    void *record = c ? PyMem_Calloc(1, lake_schema_record_size(schema)) : NULL;
    if (c && (!record || lake_arena_new(&arena))) PyErr_NoMemory();
    else if (c) {
        lake_error err = LAKE_ERROR_INIT;
        int rc;
        Py_BEGIN_ALLOW_THREADS
        rc = lake_client_query_first(c, schema, &s.src, arena, record, &err);
        Py_END_ALLOW_THREADS
        if (rc) lakepy_raise(&err);
        else d = lakepy_record_dict(schema, record);
    }
    if (c) lakepy_client_leave(self);
    PyMem_Free(record);
    lake_arena_free(arena);
    lakepy_params_dispose(&s.params);
    return d;
}

static PyObject *client_execute(PyObject *o, PyObject *args, PyObject *kw) {
    static char *names[] = {"sql", "params", NULL};
    PyObject *params = NULL;
    const char *sql;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|O", names, &sql, &params)) return NULL;
    source s;
    if (source_from(&s, sql, params)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    PyObject *r = NULL;
    if (c) {
        lake_error err = LAKE_ERROR_INIT;
        int64_t affected = -1;
        int rc;
        Py_BEGIN_ALLOW_THREADS
        rc = lake_client_exec(c, sql, s.params.items, s.params.count, &affected, &err);
        Py_END_ALLOW_THREADS
        lakepy_client_leave(self);
        r = rc ? lakepy_raise(&err) : PyLong_FromLongLong(affected);
    }
    lakepy_params_dispose(&s.params);
    return r;
}

static PyObject *client_metrics_text(PyObject *o, PyObject *args, PyObject *kw) {
    static char *names[] = {"prefix", NULL};
    const char *prefix = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|z", names, &prefix)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    if (!c) return NULL;
    char *text = NULL;
    size_t len = 0;
    int rc = lake_client_metrics_text(c, prefix, &text, &len);
    lakepy_client_leave(self);
    if (rc) return PyErr_NoMemory();
    PyObject *r = PyUnicode_FromStringAndSize(text, (Py_ssize_t)len);
    lake_free(text);
    return r;
}

static PyObject *client_stream(PyObject *o, PyObject *args, PyObject *kw) {
    PyObject *schema_obj;
    const lake_schema *schema;
    source s;
    if (read_args(args, kw, &schema_obj, &schema, &s)) return NULL;
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    if (!c) {
        lakepy_params_dispose(&s.params);
        return NULL;
    }
    lake_error err = LAKE_ERROR_INIT;
    lake_rows *rows = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_client_rows(c, schema, &s.src, &rows, &err);
    Py_END_ALLOW_THREADS
    lakepy_params_dispose(&s.params); /* bound when the stream opened */
    if (rc) {
        lakepy_client_leave(self);
        return lakepy_raise(&err);
    }
    PyTypeObject *type = (PyTypeObject *)lakepy.rows_type;
    allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
    lakepy_rows *r = (lakepy_rows *)alloc(type, 0);
    if (!r) {
        lake_rows_close(rows);
        lakepy_client_leave(self);
        return NULL;
    }
    Py_INCREF(o);
    Py_INCREF(schema_obj);
    r->client = self, r->schema = schema_obj, r->rows = rows;
    return (PyObject *)r; /* the stream keeps the client's call in flight until it closes */
}

static PyObject *client_enter_ctx(PyObject *o, PyObject *unused) {
    (void)unused;
    Py_INCREF(o);
    return o;
}

static PyObject *client_exit_ctx(PyObject *o, PyObject *args) {
    (void)args;
    return client_close(o, NULL);
}

static PyMethodDef client_methods[] = {
    {"close", client_close, METH_NOARGS, "Closes the client once no call or stream is using it."},
    {"migrate", client_migrate, METH_VARARGS, "migrate(schema): creates the table, or adds what it lacks."},
    {"insert", (PyCFunction)(void (*)(void))client_insert, METH_VARARGS | METH_KEYWORDS,
     "insert(schema, rows, idempotency_key=None, on_conflict='error', path='auto') -> InsertResult"},
    {"query", (PyCFunction)(void (*)(void))client_query, METH_VARARGS | METH_KEYWORDS,
     "query(schema, sql=None, params=None) -> list of dicts"},
    {"first", (PyCFunction)(void (*)(void))client_first, METH_VARARGS | METH_KEYWORDS,
     "first(schema, sql=None, params=None) -> dict; NoRowsError when there is none"},
    {"stream", (PyCFunction)(void (*)(void))client_stream, METH_VARARGS | METH_KEYWORDS,
     "stream(schema, sql=None, params=None) -> an iterator of dicts, in constant memory"},
    {"execute", (PyCFunction)(void (*)(void))client_execute, METH_VARARGS | METH_KEYWORDS,
     "execute(sql, params=None) -> rows affected (-1 when the engine does not say)"},
    {"query_arrow", (PyCFunction)(void (*)(void))lakepy_client_query_arrow, METH_VARARGS | METH_KEYWORDS,
     "query_arrow(sql, params=None) -> an object with __arrow_c_stream__"},
    {"metrics_text", (PyCFunction)(void (*)(void))client_metrics_text, METH_VARARGS | METH_KEYWORDS,
     "metrics_text(prefix=None) -> the Prometheus text exposition"},
    {"__enter__", client_enter_ctx, METH_NOARGS, NULL},
    {"__exit__", client_exit_ctx, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot client_slots[] = {
    {Py_tp_new, (void *)client_new},
    {Py_tp_dealloc, (void *)client_dealloc},
    {Py_tp_methods, client_methods},
    {Py_tp_doc, (void *)"A lakeorm client: Client(url) opens any URL the CLI takes."},
    {0, NULL},
};

PyType_Spec lakepy_client_spec = {"lakeorm._native.Client", sizeof(lakepy_client), 0,
                                  Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, client_slots};

/* ---- streams */

static PyObject *rows_close(PyObject *o, PyObject *unused) {
    (void)unused;
    lakepy_rows *r = (lakepy_rows *)o;
    if (r->rows) {
        lake_rows *rows = r->rows;
        r->rows = NULL;
        Py_BEGIN_ALLOW_THREADS
        lake_rows_close(rows);
        Py_END_ALLOW_THREADS
        lakepy_client_leave(r->client);
    }
    Py_RETURN_NONE;
}

static PyObject *rows_next(PyObject *o) {
    lakepy_rows *r = (lakepy_rows *)o;
    if (!r->rows) return NULL; /* exhausted or closed: StopIteration */
    if (r->busy) {
        PyErr_SetString(PyExc_RuntimeError, "a lakeorm stream is read by one thread at a time");
        return NULL;
    }
    const void *record = NULL;
    lake_error err = LAKE_ERROR_INIT;
    int rc;
    r->busy = true;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_rows_next(r->rows, &record, &err);
    Py_END_ALLOW_THREADS
    r->busy = false;
    if (rc || !record) {
        PyObject *closed = rows_close(o, NULL);
        Py_XDECREF(closed);
        return rc ? lakepy_raise(&err) : NULL;
    }
    return lakepy_record_dict(lakepy_schema_of(r->schema), record);
}

static PyObject *rows_iter(PyObject *o) {
    Py_INCREF(o);
    return o;
}

static void rows_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    lakepy_rows *r = (lakepy_rows *)o;
    PyObject *closed = rows_close(o, NULL);
    Py_XDECREF(closed);
    Py_XDECREF(r->schema);
    Py_XDECREF((PyObject *)r->client);
    freefunc free_ = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_(o);
    Py_DECREF(type);
}

static PyObject *rows_exit_ctx(PyObject *o, PyObject *args) {
    (void)args;
    return rows_close(o, NULL);
}

static PyMethodDef rows_methods[] = {
    {"close", rows_close, METH_NOARGS, "Ends the stream and gives its engine session back."},
    {"__enter__", client_enter_ctx, METH_NOARGS, NULL},
    {"__exit__", rows_exit_ctx, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot rows_slots[] = {
    {Py_tp_dealloc, (void *)rows_dealloc},
    {Py_tp_iter, (void *)rows_iter},
    {Py_tp_iternext, (void *)rows_next},
    {Py_tp_methods, rows_methods},
    {Py_tp_doc, (void *)"A query's rows, one dict at a time, in constant memory."},
    {0, NULL},
};

PyType_Spec lakepy_rows_spec = {"lakeorm._native.Rows", sizeof(lakepy_rows), 0, Py_TPFLAGS_DEFAULT, rows_slots};
