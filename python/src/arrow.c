/* SPDX-License-Identifier: MIT */
/* Arrow both ways through the PyCapsule interface: rows from any object with
 * __arrow_c_stream__ or __arrow_c_array__ (pyarrow, polars, DuckDB ...),
 * imported without copying their buffers and written as one request in
 * constant memory; query results as a stream pyarrow.table() reads. */
#include <stdlib.h>
#include <string.h>

#include "native.h"
#include "client.h"

/* Moves the struct out of a capsule so its destructor releases nothing:
 * the Arrow PyCapsule interface's rule for consumers. */
static void *capsule_take(PyObject *capsule, const char *name) {
    void *p = PyCapsule_GetPointer(capsule, name);
    if (!p) return NULL;
    return p;
}

/* Every issue of one batch: the import's (values that do not fit) and the
 * rules' (lake_validate), the latter only where the import said nothing. */
static int batch_issues(const lake_schema *schema, const void *records, size_t count, size_t first,
                        lake_issues *import_issues, lake_issues *all) {
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_validate(schema, records, count, &err);
    if (rc && rc != LAKE_EVALIDATION) {
        lake_error_clear(&err);
        return rc;
    }
    size_t ni = import_issues ? lake_issues_count(import_issues) : 0, nv = rc ? lake_issues_count(err.issues) : 0;
    size_t i = 0, v = 0;
    /* Both lists are in record order: merge them, the import's first. */
    while (i < ni || v < nv) {
        const lake_issue *a = i < ni ? lake_issues_get(import_issues, i) : NULL;
        const lake_issue *b = v < nv ? lake_issues_get(err.issues, v) : NULL;
        const lake_issue *next;
        if (b) {
            size_t record = b->record + first;
            bool seen = false;
            for (size_t k = 0; k < ni; k++) {
                const lake_issue *x = lake_issues_get(import_issues, k);
                if (x->record == record && !strcmp(x->path, b->path)) seen = true;
            }
            if (seen) {
                v++;
                continue;
            }
        }
        if (a && (!b || a->record <= b->record + first)) {
            next = a, i++;
            if (lake__issues_add(all, next->record, next->path, next->column, next->rule, next->param, "%s",
                                 next->message))
                rc = LAKE_ENOMEM;
        } else {
            next = b, v++;
            if (lake__issues_add(all, next->record + first, next->path, next->column, next->rule, next->param, "%s",
                                 next->message))
                rc = LAKE_ENOMEM;
        }
        if (rc == LAKE_ENOMEM) break;
    }
    lake_error_clear(&err);
    return rc == LAKE_ENOMEM ? rc : LAKE_OK;
}

typedef struct arrow_source {
    PyObject *holder;            /* what keeps the capsules alive */
    struct ArrowArrayStream stream; /* moved out of the capsule, or zero */
    struct ArrowSchema type;     /* __arrow_c_array__'s, moved out */
    struct ArrowArray array;
    bool single;
} arrow_source;

static void source_dispose(arrow_source *s) {
    if (s->stream.release) s->stream.release(&s->stream);
    if (s->type.release) s->type.release(&s->type);
    if (s->array.release) s->array.release(&s->array);
    Py_CLEAR(s->holder);
}

static int source_open(arrow_source *s, PyObject *data) {
    memset(s, 0, sizeof *s);
    if (PyObject_HasAttrString(data, "__arrow_c_stream__")) {
        PyObject *capsule = PyObject_CallMethod(data, "__arrow_c_stream__", NULL);
        if (!capsule) return -1;
        struct ArrowArrayStream *st = capsule_take(capsule, "arrow_array_stream");
        if (st) {
            s->stream = *st;
            st->release = NULL;
        }
        Py_DECREF(capsule);
        return st ? 0 : -1;
    }
    PyObject *pair = PyObject_CallMethod(data, "__arrow_c_array__", NULL);
    if (!pair) return -1;
    PyObject *sc = PyTuple_Check(pair) && PyTuple_Size(pair) == 2 ? PyTuple_GetItem(pair, 0) : NULL;
    PyObject *ac = sc ? PyTuple_GetItem(pair, 1) : NULL;
    struct ArrowSchema *t = sc ? capsule_take(sc, "arrow_schema") : NULL;
    struct ArrowArray *a = t && ac ? capsule_take(ac, "arrow_array") : NULL;
    if (a) {
        s->type = *t, t->release = NULL;
        s->array = *a, a->release = NULL;
        s->single = true;
    } else if (!PyErr_Occurred()) {
        PyErr_SetString(PyExc_TypeError, "__arrow_c_array__ must return (schema capsule, array capsule)");
    }
    Py_DECREF(pair);
    return a ? 0 : -1;
}

/* The next batch: the single array once, or the stream's next; *done at the end. */
static int source_next(arrow_source *s, struct ArrowArray *out, bool *done, lake_error *err) {
    *done = false;
    if (s->single) {
        if (!s->array.release) return *done = true, 0;
        *out = s->array;
        s->array.release = NULL;
        return 0;
    }
    int e = s->stream.get_next(&s->stream, out);
    if (e) {
        const char *why = s->stream.get_last_error ? s->stream.get_last_error(&s->stream) : NULL;
        return lake_error_set(err, LAKE_EIO, "the Arrow stream failed: %s", why ? why : strerror(e));
    }
    if (!out->release) *done = true;
    return 0;
}

PyObject *lakepy_insert_arrow(lakepy_client *self, const lake_schema *schema, PyObject *data,
                              const lake_insert_options *opts) {
    arrow_source src;
    if (source_open(&src, data)) {
        source_dispose(&src);
        return NULL;
    }
    lake_error err = LAKE_ERROR_INIT;
    if (!src.single && src.stream.get_schema(&src.stream, &src.type)) {
        const char *why = src.stream.get_last_error ? src.stream.get_last_error(&src.stream) : NULL;
        lake_error_set(&err, LAKE_EIO, "the Arrow stream gave no schema: %s", why ? why : "(no reason)");
        source_dispose(&src);
        return lakepy_raise(&err);
    }
    lake_client *c = lakepy_client_enter(self);
    if (!c) {
        source_dispose(&src);
        return NULL;
    }
    lake_issues *issues = NULL;
    lake_arena *arena = NULL;
    lake_ingest *in = NULL;
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    size_t rows = 0;
    int rc = lake__issues_new(&issues) || lake_arena_new(&arena) ? lake_error_set(&err, LAKE_ENOMEM, "out of memory")
                                                                 : LAKE_OK;
    Py_BEGIN_ALLOW_THREADS
    if (!rc) rc = lake_client_ingest_begin(c, schema, opts, &in, &err);
    while (!rc) {
        struct ArrowArray batch;
        bool done;
        if ((rc = source_next(&src, &batch, &done, &err)) || done) break;
        void *records = NULL;
        size_t count = 0;
        lake_error ierr = LAKE_ERROR_INIT;
        int irc = lake_arrow_import(schema, &src.type, &batch, rows, arena, &records, &count, &ierr);
        if (irc && irc != LAKE_EVALIDATION) {
            rc = irc;
            err = ierr;
        } else if (!irc && !lake_issues_count(issues)) {
            /* Clean so far: the request checks the rules and writes the batch
             * (its issues count records from the request's start, as ours do). */
            rc = lake_ingest_append(in, records, count, &err);
            if (rc == LAKE_EVALIDATION) {
                lake__issues_move(issues, err.issues);
                lake_error_clear(&err);
                rc = LAKE_OK;
            }
        } else {
            /* Rejected already: nothing more is written, the report goes on. */
            rc = batch_issues(schema, records, count, rows, irc ? ierr.issues : NULL, issues);
            lake_error_clear(&ierr);
        }
        rows += count;
        lake_free(records);
        batch.release(&batch);
        lake_arena_reset(arena);
    }
    if (!rc && !lake_issues_count(issues)) {
        rc = lake_ingest_commit(in, &result, &err);
        in = NULL;
    }
    lake_ingest_abort(in);
    Py_END_ALLOW_THREADS
    lakepy_client_leave(self);
    source_dispose(&src);
    lake_arena_free(arena);
    PyObject *r = NULL;
    if (rc) {
        lakepy_raise(&err);
    } else if (lake_issues_count(issues)) {
        PyObject *list = lakepy_issue_list(issues);
        size_t distinct = 0, last = 0;
        for (size_t i = 0; i < lake_issues_count(issues); i++) {
            size_t record = lake_issues_get(issues, i)->record;
            distinct += !i || record != last;
            last = record;
        }
        if (list) lakepy_raise_issues(list, distinct);
        Py_XDECREF(list);
    } else {
        r = lakepy_insert_result(&result);
    }
    lake__issues_free(issues);
    return r;
}

/* ---- query results as an Arrow stream */

/* Wraps the library's stream so that releasing it, whenever and on whatever
 * thread the consumer does, also ends the client call it holds. */
typedef struct held_stream {
    struct ArrowArrayStream inner;
    lakepy_client *client;
} held_stream;

static int held_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
    held_stream *h = s->private_data;
    return h->inner.get_schema(&h->inner, out);
}

static int held_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
    held_stream *h = s->private_data;
    return h->inner.get_next(&h->inner, out);
}

static const char *held_get_last_error(struct ArrowArrayStream *s) {
    held_stream *h = s->private_data;
    return h->inner.get_last_error(&h->inner);
}

static void held_release(struct ArrowArrayStream *s) {
    held_stream *h = s->private_data;
    h->inner.release(&h->inner);
    PyGILState_STATE g = PyGILState_Ensure();
    lakepy_client_leave(h->client);
    Py_DECREF((PyObject *)h->client);
    PyGILState_Release(g);
    free(h);
    s->release = NULL;
}

typedef struct lakepy_arrow_stream {
    PyObject_HEAD
    struct ArrowArrayStream stream; /* released once handed out */
} lakepy_arrow_stream;

static void capsule_release(PyObject *capsule) {
    struct ArrowArrayStream *s = PyCapsule_GetPointer(capsule, "arrow_array_stream");
    if (!s) {
        PyErr_Clear();
        return;
    }
    if (s->release) s->release(s);
    free(s);
}

static PyObject *stream_capsule(PyObject *o, PyObject *args, PyObject *kw) {
    static char *names[] = {"requested_schema", NULL};
    PyObject *requested = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O", names, &requested)) return NULL;
    lakepy_arrow_stream *self = (lakepy_arrow_stream *)o;
    if (!self->stream.release) {
        PyErr_SetString(PyExc_RuntimeError, "this query's Arrow stream was read already: run the query again");
        return NULL;
    }
    /* A requested schema is a hint the producer may ignore (the interface's
     * rule): the result keeps the types the query gave. */
    struct ArrowArrayStream *s = malloc(sizeof *s);
    if (!s) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(s, "arrow_array_stream", capsule_release);
    if (!capsule) {
        free(s);
        return NULL;
    }
    *s = self->stream;
    self->stream.release = NULL;
    return capsule;
}

static void stream_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    lakepy_arrow_stream *self = (lakepy_arrow_stream *)o;
    if (self->stream.release) self->stream.release(&self->stream);
    freefunc free_ = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_(o);
    Py_DECREF(type);
}

static PyMethodDef stream_methods[] = {
    {"__arrow_c_stream__", (PyCFunction)(void (*)(void))stream_capsule, METH_VARARGS | METH_KEYWORDS,
     "The result as an ArrowArrayStream capsule (once)."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot stream_slots[] = {
    {Py_tp_dealloc, (void *)stream_dealloc},
    {Py_tp_methods, stream_methods},
    {Py_tp_doc, (void *)"A query's result for Arrow consumers: pyarrow.table(obj), polars.from_arrow(obj)."},
    {0, NULL},
};

PyType_Spec lakepy_arrow_stream_spec = {"lakeorm._native.ArrowStream", sizeof(lakepy_arrow_stream), 0,
                                        Py_TPFLAGS_DEFAULT, stream_slots};

PyObject *lakepy_client_query_arrow(PyObject *o, PyObject *args, PyObject *kw) {
    static char *names[] = {"sql", "params", NULL};
    PyObject *params = NULL;
    const char *sql;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|O", names, &sql, &params)) return NULL;
    lakepy_params p;
    if (lakepy_params_from(&p, params)) {
        lakepy_params_dispose(&p);
        return NULL;
    }
    lakepy_client *self = (lakepy_client *)o;
    lake_client *c = lakepy_client_enter(self);
    held_stream *h = c ? calloc(1, sizeof *h) : NULL;
    PyTypeObject *type = (PyTypeObject *)lakepy.arrow_stream_type;
    lakepy_arrow_stream *out = h ? (lakepy_arrow_stream *)((allocfunc)PyType_GetSlot(type, Py_tp_alloc))(type, 0) : NULL;
    if (!out) {
        free(h);
        if (c) lakepy_client_leave(self);
        lakepy_params_dispose(&p);
        return c ? PyErr_NoMemory() : NULL;
    }
    lake_source src = LAKE_SQL_PARAMS(sql, p.items, p.count);
    lake_error err = LAKE_ERROR_INIT;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_client_query_arrow(c, &src, &h->inner, &err);
    Py_END_ALLOW_THREADS
    lakepy_params_dispose(&p);
    if (rc) {
        free(h);
        lakepy_client_leave(self);
        Py_DECREF(out);
        return lakepy_raise(&err);
    }
    Py_INCREF(o);
    h->client = self;
    out->stream = (struct ArrowArrayStream){held_get_schema, held_get_next, held_get_last_error, held_release, h};
    return (PyObject *)out;
}
