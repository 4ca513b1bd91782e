/* SPDX-License-Identifier: MIT */
/* Python rows into records. Each chunk of rows is written as JSON text with
 * the GIL held (it reads Python objects), then decoded by the library's
 * strict decoder with the GIL released; the text buffer is reused chunk by
 * chunk, the records and the arena their strings live in grow. */
#include <string.h>

#include "native.h"
#include "util/alloc.h"

enum { CHUNK_ROWS = 4096 };

void lakepy_batch_dispose(lakepy_batch *b) {
    lake_arena_free(b->arena);
    lake__free(b->records);
    lake__free(b->index);
    lake__issues_free(b->issues);
    lake_records_free(b->ndjson);
    memset(b, 0, sizeof *b);
}

static int grow(lakepy_batch *b, size_t *cap, size_t need) {
    if (need <= *cap) return 0;
    size_t n = *cap ? *cap : 64;
    while (n < need) n *= 2;
    void *r = lake__realloc(b->records, *cap * b->size, n * b->size);
    size_t *ix = r ? lake__realloc(b->index, *cap * sizeof *ix, n * sizeof *ix) : NULL;
    if (r) b->records = r;
    if (!ix) return PyErr_NoMemory(), -1;
    b->index = ix;
    *cap = n;
    return 0;
}

/* Whether the walker already reported a problem at this path of record r:
 * the decoder then sees the null written in its place and would say so too. */
static bool reported(const lake_issues *walker, size_t from, size_t to, const char *path) {
    for (size_t i = from; i < to; i++)
        if (!strcmp(lake_issues_get(walker, i)->path, path)) return true;
    return false;
}

typedef struct chunk {
    const char *text;
    const size_t *start; /* count + 1 offsets into text */
    size_t first, count; /* rows [first, first + count) */
} chunk;

/* Decodes one chunk (no GIL): good records appended, issues in row order. */
static int decode_chunk(lakepy_batch *b, const lake_schema *schema, const chunk *ch, const lake_issues *walker,
                        size_t *walker_at, size_t *cap) {
    for (size_t i = 0; i < ch->count; i++) {
        size_t row = ch->first + i;
        size_t from = *walker_at, to = from, total = lake_issues_count(walker);
        while (to < total && lake_issues_get(walker, to)->record == row) to++;
        *walker_at = to;
        if (b->count == *cap) {
            size_t n = *cap * 2;
            void *r = lake__realloc(b->records, *cap * b->size, n * b->size);
            size_t *ix = r ? lake__realloc(b->index, *cap * sizeof *ix, n * sizeof *ix) : NULL;
            if (r) b->records = r;
            if (!ix) return LAKE_ENOMEM;
            b->index = ix;
            *cap = n;
        }
        void *rec = (unsigned char *)b->records + b->count * b->size;
        lake_error err = LAKE_ERROR_INIT;
        int rc = lake_json_decode(schema, ch->text + ch->start[i], ch->start[i + 1] - ch->start[i], rec, b->arena, row,
                                  NULL, &err);
        for (size_t k = from; k < to; k++) {
            const lake_issue *is = lake_issues_get(walker, k);
            if (lake__issues_add(b->issues, row, is->path, is->column, is->rule, is->param, "%s", is->message))
                return LAKE_ENOMEM;
        }
        if (rc == LAKE_EVALIDATION) {
            size_t n = lake_issues_count(err.issues);
            for (size_t k = 0; k < n; k++) {
                const lake_issue *is = lake_issues_get(err.issues, k);
                if (from < to && reported(walker, from, to, is->path)) continue;
                if (lake__issues_add(b->issues, row, is->path, is->column, is->rule, is->param, "%s", is->message)) {
                    lake_error_clear(&err);
                    return LAKE_ENOMEM;
                }
            }
        } else if (rc) {
            lake_error_clear(&err);
            return rc;
        }
        lake_error_clear(&err);
        if (rc || from < to) {
            b->rejected++;
            continue;
        }
        b->index[b->count++] = row;
    }
    return LAKE_OK;
}

int lakepy_batch_rows(lakepy_batch *b, const lake_schema *schema, PyObject *rows) {
    memset(b, 0, sizeof *b);
    b->size = lake_schema_record_size(schema);
    if (lake_arena_new(&b->arena) || lake__issues_new(&b->issues)) return PyErr_NoMemory(), -1;
    PyObject *seq = PySequence_Fast(rows, "rows must be a sequence (a list of dicts or dataclass instances)");
    if (!seq) return -1;
    Py_ssize_t total = PySequence_Size(seq);
    lake_issues *walker = NULL;
    lake__buf text = LAKE__BUF_INIT;
    size_t starts[CHUNK_ROWS + 1], cap = 0, walker_at = 0;
    int rc = lake__issues_new(&walker) ? (PyErr_NoMemory(), -1) : grow(b, &cap, total ? (size_t)total : 1);
    for (Py_ssize_t first = 0; !rc && first < total; first += CHUNK_ROWS) {
        size_t n = (size_t)(total - first) < CHUNK_ROWS ? (size_t)(total - first) : CHUNK_ROWS;
        text.len = 0;
        for (size_t i = 0; !rc && i < n; i++) {
            starts[i] = text.len;
            PyObject *row = PySequence_GetItem(seq, first + (Py_ssize_t)i);
            rc = row ? lakepy_record_json(&text, row, (size_t)first + i, walker) : -1;
            Py_XDECREF(row);
        }
        if (rc) break;
        starts[n] = text.len;
        if (text.failed) {
            rc = -1;
            PyErr_NoMemory();
            break;
        }
        chunk ch = {text.data, starts, (size_t)first, n};
        int status;
        Py_BEGIN_ALLOW_THREADS
        status = decode_chunk(b, schema, &ch, walker, &walker_at, &cap);
        Py_END_ALLOW_THREADS
        if (status) {
            rc = -1;
            PyErr_NoMemory();
        }
    }
    lake__buf_dispose(&text);
    lake__issues_free(walker);
    Py_DECREF(seq);
    return rc;
}

int lakepy_batch_ndjson(lakepy_batch *b, const lake_schema *schema, const char *data, size_t len) {
    memset(b, 0, sizeof *b);
    b->size = lake_schema_record_size(schema);
    lake_error err = LAKE_ERROR_INIT;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = lake_ndjson_decode(&b->ndjson, schema, data, len, NULL, &err);
    Py_END_ALLOW_THREADS
    if (rc && rc != LAKE_EVALIDATION) {
        lakepy_raise(&err);
        return -1;
    }
    b->issues = err.issues; /* the batch takes them */
    err.issues = NULL;
    if (!b->issues && lake__issues_new(&b->issues)) return PyErr_NoMemory(), -1;
    b->records = NULL;
    b->count = lake_records_count(b->ndjson);
    size_t distinct = 0, last = 0, n = lake_issues_count(b->issues);
    for (size_t i = 0; i < n; i++) {
        size_t line = lake_issues_get(b->issues, i)->record;
        if (!i || line != last) distinct++;
        last = line;
    }
    b->rejected = distinct;
    return 0;
}

/* The records of the batch, wherever they live. */
static const void *batch_records(const lakepy_batch *b) {
    return b->ndjson ? lake_records_data(b->ndjson) : b->records;
}

PyObject *lakepy_batch_dicts(const lakepy_batch *b, const lake_schema *schema) {
    return lakepy_record_list(schema, batch_records(b), b->count);
}

const void *lakepy_batch_data(const lakepy_batch *b) { return batch_records(b); }
