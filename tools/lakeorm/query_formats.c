/* SPDX-License-Identifier: MIT */
/* lakeorm query's output formats, each a table of operations over typed
 * records: the text of a value is the library's (lake__json_write_record,
 * lake__json_write_cell), so json, csv and table print a value the same way
 * and docs/cli.md gives it once. */
#include <stdlib.h>
#include <string.h>

#include "json/render.h"
#include "query_formats.h"
#include "schema/schema.h"
#include "util/buf.h"
#include "util/escape.h"
#include "util/utf8.h"

/* A table's cells are cut to this many characters, the last an ellipsis. */
enum { TABLE_CELL_MAX = 40 };

typedef struct format_ops {
    int (*begin)(query_writer *w, lake_error *err);
    int (*row)(query_writer *w, const void *record, lake_error *err);
    int (*end)(query_writer *w, lake_error *err);
} format_ops;

struct query_writer {
    const format_ops *ops;
    FILE *out;
    const lake_schema *schema;
    lake__buf line;
    /* table: every cell's text, NUL-separated, row after row; per column its width and alignment */
    lake__buf cells;
    size_t rows, *width;
    lake_parquet_writer *parquet;
};

static int oom(lake_error *err) { return lake_error_set(err, LAKE_ENOMEM, "out of memory"); }

static int put_line(query_writer *w, lake_error *err) {
    if (w->line.failed) return oom(err);
    if (fwrite(w->line.data, 1, w->line.len, w->out) != w->line.len)
        return lake_error_set(err, LAKE_EIO, "cannot write the rows");
    return LAKE_OK;
}

/* ---- json: one object per line (NDJSON) */

static int json_row(query_writer *w, const void *record, lake_error *err) {
    w->line.len = 0;
    lake__json_write_record(&w->line, w->schema, record);
    lake__buf_putc(&w->line, '\n');
    return put_line(w, err);
}

/* ---- csv: RFC 4180 with LF line ends; NULL an empty field, "" the empty string */

static void csv_field(lake__buf *b, const char *text, size_t len) {
    bool quote = len == 0; /* "" is the empty string, an empty field NULL */
    for (size_t i = 0; i < len && !quote; i++) quote = strchr(",\"\r\n", text[i]) != NULL;
    if (!quote) {
        lake__buf_put(b, text, len);
        return;
    }
    lake__buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"') lake__buf_putc(b, '"');
        lake__buf_putc(b, text[i]);
    }
    lake__buf_putc(b, '"');
}

static int csv_begin(query_writer *w, lake_error *err) {
    w->line.len = 0;
    for (size_t i = 0; i < w->schema->column_count; i++) {
        if (i) lake__buf_putc(&w->line, ',');
        csv_field(&w->line, w->schema->columns[i].pub.name, w->schema->columns[i].name_len);
    }
    lake__buf_putc(&w->line, '\n');
    return put_line(w, err);
}

static int csv_row(query_writer *w, const void *record, lake_error *err) {
    lake__buf cell = LAKE__BUF_INIT;
    w->line.len = 0;
    for (size_t i = 0; i < w->schema->column_count && !cell.failed; i++) {
        if (i) lake__buf_putc(&w->line, ',');
        cell.len = 0;
        if (!lake__json_write_cell(&cell, w->schema, i, record)) csv_field(&w->line, cell.data ? cell.data : "", cell.len);
    }
    bool failed = cell.failed;
    lake__buf_dispose(&cell);
    if (failed) return oom(err);
    lake__buf_putc(&w->line, '\n');
    return put_line(w, err);
}

/* ---- table: aligned columns for a terminal */

/* NULL, shown apart from any string (an empty one shows as nothing). */
#define TABLE_NULL "\xe2\x88\x85" /* U+2205 EMPTY SET */

static bool right_aligned(lake_type t) {
    return t == LAKE_INT8 || t == LAKE_INT16 || t == LAKE_INT32 || t == LAKE_INT64 || t == LAKE_FLOAT32 ||
           t == LAKE_FLOAT64 || t == LAKE_DECIMAL;
}

/* Appends text as one table cell: control characters escaped (a value can
 * neither act on the terminal nor break the line), cut to TABLE_CELL_MAX
 * characters with an ellipsis, then a NUL. */
static void table_cell(lake__buf *cells, const char *text, size_t len) {
    lake__buf esc = LAKE__BUF_INIT;
    if (lake__escape_controls(&esc, text, len)) {
        cells->failed = true;
        return;
    }
    size_t chars = 0, i = 0;
    const char *s = esc.data ? esc.data : "";
    while (i < esc.len && chars < TABLE_CELL_MAX - 1) {
        uint32_t cp;
        size_t n = lake__utf8_decode((const unsigned char *)s + i, esc.len - i, &cp);
        i += n ? n : 1;
        chars++;
    }
    if (i < esc.len && lake__utf8_count(s + i, esc.len - i) > 1) {
        lake__buf_put(cells, s, i);
        lake__buf_puts(cells, "\xe2\x80\xa6"); /* U+2026 HORIZONTAL ELLIPSIS */
    } else {
        lake__buf_put(cells, s, esc.len);
    }
    lake__buf_putc(cells, '\0');
    lake__buf_dispose(&esc);
}

static int table_begin(query_writer *w, lake_error *err) {
    size_t n = w->schema->column_count;
    if (!(w->width = calloc(n ? n : 1, sizeof *w->width))) return oom(err);
    for (size_t i = 0; i < n; i++) table_cell(&w->cells, w->schema->columns[i].pub.name, w->schema->columns[i].name_len);
    return w->cells.failed ? oom(err) : LAKE_OK;
}

static int table_row(query_writer *w, const void *record, lake_error *err) {
    lake__buf cell = LAKE__BUF_INIT;
    for (size_t i = 0; i < w->schema->column_count && !cell.failed; i++) {
        cell.len = 0;
        if (lake__json_write_cell(&cell, w->schema, i, record)) table_cell(&w->cells, TABLE_NULL, strlen(TABLE_NULL));
        else table_cell(&w->cells, cell.data ? cell.data : "", cell.len);
    }
    bool failed = cell.failed || w->cells.failed;
    lake__buf_dispose(&cell);
    w->rows++;
    return failed ? oom(err) : LAKE_OK;
}

static void pad(FILE *out, size_t n) {
    while (n--) fputc(' ', out);
}

static int table_end(query_writer *w, lake_error *err) {
    size_t n = w->schema->column_count;
    const char *p = w->cells.data ? w->cells.data : "";
    const char *end = p + w->cells.len;
    for (const char *q = p; q < end;) /* the widths: the header's and every row's */
        for (size_t i = 0; i < n; i++, q += strlen(q) + 1) {
            size_t chars = lake__utf8_count(q, strlen(q));
            if (chars > w->width[i]) w->width[i] = chars;
        }
    for (size_t r = 0; r <= w->rows; r++) {
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(p), chars = lake__utf8_count(p, len), gap = w->width[i] - chars;
            bool right = r > 0 && right_aligned(w->schema->columns[i].pub.type);
            if (i) fputs(" | ", w->out);
            if (right) pad(w->out, gap);
            fwrite(p, 1, len, w->out);
            if (!right && i + 1 < n) pad(w->out, gap);
            p += len + 1;
        }
        fputc('\n', w->out);
        if (r == 0) { /* the rule under the header */
            for (size_t i = 0; i < n; i++) {
                if (i) fputs("-+-", w->out);
                for (size_t k = 0; k < w->width[i]; k++) fputc('-', w->out);
            }
            fputc('\n', w->out);
        }
    }
    fprintf(w->out, "(%zu row%s)\n", w->rows, w->rows == 1 ? "" : "s");
    return ferror(w->out) ? lake_error_set(err, LAKE_EIO, "cannot write the rows") : LAKE_OK;
}

/* ---- parquet: the streaming writer, from the result's own schema */

static int parquet_sink(void *ctx, const void *data, size_t len, lake_error *err) {
    FILE *out = ctx;
    if (fwrite(data, 1, len, out) != len) return lake_error_set(err, LAKE_EIO, "cannot write the Parquet file");
    return LAKE_OK;
}

static int parquet_begin(query_writer *w, lake_error *err) {
    lake_sink sink = {parquet_sink, w->out};
    return lake_parquet_writer_open(&w->parquet, w->schema, &sink, NULL, err);
}

static int parquet_row(query_writer *w, const void *record, lake_error *err) {
    return lake_parquet_writer_append(w->parquet, record, 1, err);
}

static int parquet_end(query_writer *w, lake_error *err) { return lake_parquet_writer_close(w->parquet, err); }

static const format_ops formats[] = {
    [FORMAT_JSON] = {NULL, json_row, NULL},
    [FORMAT_CSV] = {csv_begin, csv_row, NULL},
    [FORMAT_TABLE] = {table_begin, table_row, table_end},
    [FORMAT_PARQUET] = {parquet_begin, parquet_row, parquet_end},
};

int query_writer_open(query_writer **out, query_format format, FILE *to, const lake_schema *schema, lake_error *err) {
    *out = NULL;
    query_writer *w = calloc(1, sizeof *w);
    if (!w) return oom(err);
    w->ops = &formats[format];
    w->out = to;
    w->schema = schema;
    w->line = (lake__buf)LAKE__BUF_INIT;
    w->cells = (lake__buf)LAKE__BUF_INIT;
    int rc = w->ops->begin ? w->ops->begin(w, err) : LAKE_OK;
    if (rc) {
        query_writer_free(w);
        return rc;
    }
    *out = w;
    return LAKE_OK;
}

int query_writer_row(query_writer *w, const void *record, lake_error *err) { return w->ops->row(w, record, err); }

int query_writer_close(query_writer *w, lake_error *err) { return w->ops->end ? w->ops->end(w, err) : LAKE_OK; }

void query_writer_free(query_writer *w) {
    if (!w) return;
    lake_parquet_writer_free(w->parquet);
    lake__buf_dispose(&w->line);
    lake__buf_dispose(&w->cells);
    free(w->width);
    free(w);
}
