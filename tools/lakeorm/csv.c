/* SPDX-License-Identifier: MIT */
/* CSV records (RFC 4180, section 2) turned into JSON objects for the JSON
 * decoder. Why JSON text rather than a converter of its own: the decoder is
 * the one place that judges a value (ranges, formats, UTF-8, nesting depth,
 * rules), so a cell and the same value in NDJSON cannot get two verdicts.
 * A cell becomes a JSON literal only when it is one the column's kind reads
 * (a number for numeric columns, true/false for bool, a whole JSON value for
 * nested and json columns); anything else is a JSON string, which the
 * decoder then refuses or parses (timestamps, UUIDs, base64) as it would in
 * NDJSON. A cell can never become more than its own value: nested cells are
 * checked to be exactly one JSON value first, so `1},"id":"x` cannot add a key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error/error.h"
#include "json/scan.h"
#include "json/write.h"
#include "util/buf.h"
#include "util/utf8.h"

typedef struct field {
    size_t start, len;
    bool quoted;
} field;

struct csv_reader {
    FILE *in;
    const lake_schema *schema;
    const lake_column **cols; /* the column of each header name (NULL without a schema) */
    size_t ncols;
    char *names;              /* without a schema: the header's names, as read, */
    field *heads;             /* and where each is in them */
    lake__buf raw, cells, json, path;
    field *fields;
    size_t nfields, cap;
    size_t line;             /* physical lines read so far */
    const char *problem;     /* what makes the record being read malformed */
    unsigned char back[3];   /* bytes read ahead at the start (a byte order mark, or not) */
    int nback;
    lake_issues *issues;
};

static int next_byte(csv_reader *r) {
    if (r->nback) {
        int c = r->back[0];
        memmove(r->back, r->back + 1, (size_t)--r->nback);
        return c;
    }
    return getc_unlocked(r->in);
}

static int end_field(csv_reader *r, size_t start, bool quoted) {
    if (r->nfields == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        field *f = realloc(r->fields, cap * sizeof *f);
        if (!f) return -1;
        r->fields = f;
        r->cap = cap;
    }
    r->fields[r->nfields++] = (field){start, r->cells.len - start, quoted};
    return 0;
}

/* Reads one record's fields into r->cells and r->fields and its bytes into
 * r->raw: 1, 0 at the end of input, -1 on a read error or memory. Blank
 * lines are counted and skipped. A malformed record is still read to its end
 * (the next line end outside quotes) and r->problem says what is wrong. */
static int scan_record(csv_reader *r) {
    enum { START, UNQUOTED, QUOTED, AFTER_QUOTE } state = START;
    r->raw.len = r->cells.len = r->nfields = 0;
    r->problem = NULL;
    size_t start = 0;
    bool quoted = false;
    for (;;) {
        int c = next_byte(r);
        if (c == EOF) {
            if (ferror(r->in)) return -1;
            if (!r->raw.len) return 0;
            if (state == QUOTED) r->problem = "a quoted field is not closed at the end of the input";
            return end_field(r, start, quoted) ? -1 : 1;
        }
        char ch = (char)c;
        if (lake__buf_putc(&r->raw, ch)) return -1;
        bool line_end = false;
        if (c == '\n') {
            r->line++;
            line_end = state != QUOTED;
        } else if (c == '\r' && state != QUOTED) { /* CRLF ends a record; a lone CR is data */
            int d = next_byte(r);
            if (d == '\n') {
                r->line++;
                line_end = true;
                if (lake__buf_putc(&r->raw, '\n')) return -1;
            } else if (d != EOF) {
                r->back[r->nback++] = (unsigned char)d;
            }
        }
        if (line_end) {
            if (state == START && !r->nfields) { /* a blank line */
                r->raw.len = 0;
                continue;
            }
            return end_field(r, start, quoted) ? -1 : 1;
        }
        switch (state) {
        case START:
            start = r->cells.len;
            quoted = c == '"';
            if (quoted) {
                state = QUOTED;
                continue;
            }
            if (c == ',') {
                if (end_field(r, start, false)) return -1;
                quoted = false;
                continue;
            }
            state = UNQUOTED;
            break;
        case UNQUOTED:
            if (c == ',') {
                if (end_field(r, start, quoted)) return -1;
                start = r->cells.len;
                quoted = false;
                state = START;
                continue;
            }
            if (c == '"' && !r->problem) r->problem = "a quote inside a field that does not start with one";
            break;
        case QUOTED:
            if (c == '"') {
                state = AFTER_QUOTE;
                continue;
            }
            break;
        case AFTER_QUOTE:
            if (c == '"') { /* "" is one quote */
                state = QUOTED;
                break;
            }
            if (c == ',') {
                if (end_field(r, start, true)) return -1;
                start = r->cells.len;
                quoted = false;
                state = START;
                continue;
            }
            if (!r->problem) r->problem = "text after a field's closing quote";
            state = UNQUOTED;
            break;
        }
        if (lake__buf_putc(&r->cells, ch)) return -1;
    }
}

/* "<before>"<name>"<after>", the name cut at 200 bytes. */
static void say(char *why, size_t size, const char *before, const char *name, size_t len, const char *after) {
    snprintf(why, size, "%s\"%.*s\"%s", before, (int)(len > 200 ? 200 : len), name, after);
}

/* Without a schema (schema infer): the header's names are the keys, kept as read. */
static int bind_names(csv_reader *r, csv_reader **out, char *why, size_t size) {
    const char *cells = r->cells.data ? r->cells.data : "";
    if (!(r->names = malloc(r->cells.len + 1)) || !(r->heads = malloc(r->nfields * sizeof *r->heads))) {
        snprintf(why, size, "out of memory");
        csv_close(r);
        return -1;
    }
    memcpy(r->names, cells, r->cells.len);
    memcpy(r->heads, r->fields, r->nfields * sizeof *r->heads);
    for (size_t i = 0; i < r->nfields; i++)
        for (size_t k = 0; k < i; k++)
            if (r->heads[k].len == r->heads[i].len &&
                !memcmp(cells + r->heads[k].start, cells + r->heads[i].start, r->heads[i].len)) {
                say(why, size, "the header names ", cells + r->heads[i].start, r->heads[i].len, " twice");
                csv_close(r);
                return -1;
            }
    *out = r;
    return 0;
}

int csv_open(csv_reader **out, FILE *in, const lake_schema *schema, char *why, size_t size) {
    *out = NULL;
    csv_reader *r = calloc(1, sizeof *r);
    if (!r || lake__issues_new(&r->issues)) {
        free(r);
        snprintf(why, size, "out of memory");
        return -1;
    }
    r->in = in;
    r->schema = schema;
    /* A UTF-8 byte order mark (what spreadsheets write) is not part of the first name. */
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    int c;
    while (r->nback < 3 && (c = getc_unlocked(in)) != EOF) {
        r->back[r->nback++] = (unsigned char)c;
        if (c != bom[r->nback - 1]) break;
    }
    if (r->nback == 3 && !memcmp(r->back, bom, 3)) r->nback = 0;
    int rc = scan_record(r);
    if (rc <= 0) {
        snprintf(why, size, rc ? "cannot read the header: %s" : "no header line: a CSV input starts with one naming "
                 "its columns", rc && ferror(in) ? strerror(errno) : "out of memory");
        goto fail;
    }
    if (r->problem) {
        snprintf(why, size, "the header line is not CSV: %s", r->problem);
        goto fail;
    }
    r->ncols = r->nfields;
    if (!schema) return bind_names(r, out, why, size);
    if (!(r->cols = calloc(r->nfields, sizeof *r->cols))) {
        snprintf(why, size, "out of memory");
        goto fail;
    }
    size_t count = lake_schema_column_count(schema);
    for (size_t i = 0; i < r->nfields; i++) {
        const char *name = r->cells.data ? r->cells.data + r->fields[i].start : "";
        size_t len = r->fields[i].len;
        for (size_t k = 0; k < count && !r->cols[i]; k++) {
            const lake_column *col = lake_schema_column(schema, k);
            if (col->json_name_len == len && !memcmp(col->json_name, name, len)) r->cols[i] = col;
        }
        if (!r->cols[i]) {
            say(why, size, "the header name ", name, len, " names no column (header names are the columns' JSON keys)");
            goto fail;
        }
        for (size_t k = 0; k < i; k++)
            if (r->cols[k] == r->cols[i]) {
                say(why, size, "the header names ", name, len, " twice");
                goto fail;
            }
    }
    for (size_t k = 0; k < count; k++) {
        const lake_column *col = lake_schema_column(schema, k);
        bool named = false;
        for (size_t i = 0; i < r->ncols && !named; i++) named = r->cols[i] == col;
        if (!named && !col->nullable && !col->auto_ingest_id) {
            say(why, size, "the column ", col->json_name, col->json_name_len,
                " is not nullable but the header does not name it");
            goto fail;
        }
    }
    *out = r;
    return 0;
fail:
    csv_close(r);
    return -1;
}

void csv_close(csv_reader *r) {
    if (!r) return;
    lake__buf_dispose(&r->raw);
    lake__buf_dispose(&r->cells);
    lake__buf_dispose(&r->json);
    lake__buf_dispose(&r->path);
    lake__issues_free(r->issues);
    free(r->fields);
    free(r->cols);
    free(r->names);
    free(r->heads);
    free(r);
}

/* A cell that is exactly one JSON number (RFC 8259's grammar, nothing around it). */
static bool json_number(const char *s, size_t len) {
    lake__json j;
    lake__json_num n;
    lake__json_init(&j, s, len);
    return len && s[0] != ' ' && s[0] != '\t' && s[0] != '\r' && s[0] != '\n' && lake__json_peek(&j) == LAKE__J_NUMBER &&
           lake__json_number(&j, &n) && j.p == j.end;
}

/* The issue path of a column: a JSON pointer (RFC 6901) to its key. */
static const char *pointer(csv_reader *r, const lake_column *col) {
    r->path.len = 0;
    lake__buf_putc(&r->path, '/');
    for (size_t i = 0; i < col->json_name_len; i++) {
        char c = col->json_name[i];
        if (c == '~') lake__buf_puts(&r->path, "~0");
        else if (c == '/') lake__buf_puts(&r->path, "~1");
        else lake__buf_putc(&r->path, c);
    }
    return r->path.failed ? "" : r->path.data;
}

/* Appends one cell as the JSON value the column reads; false with an issue
 * when the cell cannot be one (the record then goes no further, as a JSON
 * syntax error ends a record in the decoder). */
static bool put_value(csv_reader *r, const lake_column *col, const field *f, size_t line) {
    const char *s = r->cells.data ? r->cells.data + f->start : "";
    if (!f->quoted && !f->len) return !lake__buf_puts(&r->json, "null"); /* an empty unquoted cell is NULL */
    if (!lake__utf8_valid(s, f->len)) {
        lake__issues_add(r->issues, line, col ? pointer(r, col) : "", col ? col->name : "", "syntax", "",
                         "the cell is not valid UTF-8");
        return false;
    }
    if (!col) { /* no schema: a cell reads as the literal a bool or numeric column would take, else as text */
        if (json_number(s, f->len) || (f->len == 4 && !memcmp(s, "true", 4)) || (f->len == 5 && !memcmp(s, "false", 5)))
            return !lake__buf_put(&r->json, s, f->len);
        return !lake__json_write_string(&r->json, s, f->len);
    }
    switch (col->type) {
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64:
    case LAKE_FLOAT32: case LAKE_FLOAT64: case LAKE_DECIMAL:
        if (json_number(s, f->len)) return !lake__buf_put(&r->json, s, f->len);
        break;
    case LAKE_BOOL:
        if ((f->len == 4 && !memcmp(s, "true", 4)) || (f->len == 5 && !memcmp(s, "false", 5)))
            return !lake__buf_put(&r->json, s, f->len);
        break;
    case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: case LAKE_JSON: {
        lake__json j;
        lake__json_init(&j, s, f->len);
        if (lake__json_skip(&j, 1024) && lake__json_at_end(&j)) return !lake__buf_put(&r->json, s, f->len);
        lake__issues_add(r->issues, line, pointer(r, col), col->name, "syntax", "",
                         "the cell is not one JSON value: %s at byte %zu of the cell",
                         j.error ? j.error : "text after the value", j.error ? j.error_offset : (size_t)(j.p - s));
        return false;
    }
    default:
        break;
    }
    return !lake__json_write_string(&r->json, s, f->len);
}

csv_status csv_next(csv_reader *r, const char **json, size_t *len, const char **raw, size_t *raw_len, size_t *line,
                    const lake_issues **issues) {
    size_t first = r->line + 1;
    int rc = scan_record(r);
    if (rc <= 0) return rc ? CSV_FAILED : CSV_END;
    *raw = r->raw.data;
    *raw_len = r->raw.len;
    *line = first;
    *issues = r->issues;
    lake__issues_clear(r->issues);
    if (r->problem) {
        if (lake__issues_add(r->issues, first, "", "", "syntax", "", "not a CSV record: %s", r->problem)) return CSV_FAILED;
        return CSV_REJECTED;
    }
    if (r->nfields != r->ncols) {
        if (lake__issues_add(r->issues, first, "", "", "syntax", "", "%zu fields where the header has %zu", r->nfields,
                             r->ncols))
            return CSV_FAILED;
        return CSV_REJECTED;
    }
    r->json.len = 0;
    lake__buf_putc(&r->json, '{');
    for (size_t i = 0; i < r->nfields; i++) {
        if (i) lake__buf_putc(&r->json, ',');
        if (r->cols) lake__json_write_string(&r->json, r->cols[i]->json_name, r->cols[i]->json_name_len);
        else lake__json_write_string(&r->json, r->names + r->heads[i].start, r->heads[i].len);
        lake__buf_putc(&r->json, ':');
        if (!put_value(r, r->cols ? r->cols[i] : NULL, &r->fields[i], first)) {
            if (r->json.failed || r->path.failed || !lake_issues_count(r->issues)) return CSV_FAILED;
            return CSV_REJECTED;
        }
    }
    lake__buf_putc(&r->json, '}');
    if (r->json.failed) return CSV_FAILED;
    *json = r->json.data;
    *len = r->json.len;
    return CSV_RECORD;
}
