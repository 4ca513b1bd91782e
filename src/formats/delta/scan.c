/* SPDX-License-Identifier: MIT */
/* A Delta table's snapshot as the SELECT the engine reads it with: the
 * protocol's rules for readers (PROTOCOL.md: "Partition Value
 * Serialization", "Schema Serialization Format", reader features) turned
 * into the facts dialects/compute_scan.h builds the statement from. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialects/compute_scan.h"
#include "dialects/quote.h"
#include "error/error.h"
#include "formats/delta/delta.h"
#include "json/scan.h"
#include "util/alloc.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static bool key_is(const char *k, size_t n, const char *want) { return n == strlen(want) && !memcmp(k, want, n); }

/* ---- types: schemaString's type values as DuckDB types */

/* Nesting deeper than any schema a person writes; the bound keeps a hostile
 * log from exhausting the stack of this recursive reader. Members are
 * skipped with the scanner's own bound, so that a deep type is refused for
 * its depth rather than called malformed. */
enum { MAX_TYPE_DEPTH = 64, MAX_SKIP_DEPTH = 1024 };

static const struct {
    const char *delta, *engine;
} PRIMITIVES[] = {
    {"boolean", "BOOLEAN"}, {"byte", "TINYINT"}, {"short", "SMALLINT"},  {"integer", "INTEGER"},
    {"long", "BIGINT"},     {"float", "FLOAT"},  {"double", "DOUBLE"},   {"string", "VARCHAR"},
    {"binary", "BLOB"},     {"date", "DATE"},    {"timestamp", "TIMESTAMPTZ"}, {"timestamp_ntz", "TIMESTAMP"},
};

typedef struct type_reader {
    lake__json j;
    lake_arena *arena; /* strings with escapes, decoded */
    lake_error *err;
} type_reader;

/* Consumes c when it comes next (after whitespace). */
static bool next_is(type_reader *r, char c) {
    lake__json_ws(&r->j);
    if (r->j.p == r->j.end || *r->j.p != c) return false;
    r->j.p++;
    return true;
}

static int malformed(type_reader *r) {
    return lake__error(r->err, LAKE_EIO, "malformed Delta schema type at byte %zu: %s",
                       (size_t)(r->j.p - r->j.start), r->j.error ? r->j.error : "unexpected value");
}

static int unsupported(type_reader *r, const char *what, size_t n) {
    return lake__error(r->err, LAKE_ENOTSUP, "lakeorm cannot read Delta columns of type \"%.*s\"", (int)(n > 100 ? 100 : n), what);
}

/* "decimal(p,s)", or "decimal" alone: Spark's decimal(10,0). */
static int decimal(type_reader *r, lake__buf *out, const char *s, size_t n) {
    unsigned long p = 10, sc = 0;
    if (n > 7) {
        char text[64];
        if (n >= sizeof text || s[7] != '(') return unsupported(r, s, n);
        memcpy(text, s, n);
        text[n] = 0;
        char *end;
        p = strtoul(text + 8, &end, 10);
        while (*end == ' ') end++;
        if (*end++ != ',') return unsupported(r, s, n);
        sc = strtoul(end, &end, 10);
        if (strcmp(end, ")") || p < 1 || p > 38 || sc > p) return unsupported(r, s, n);
    }
    return lake__buf_printf(out, "DECIMAL(%lu,%lu)", p, sc) ? oom(r->err) : LAKE_OK;
}

static int type_value(type_reader *r, lake__buf *out, unsigned depth);

/* The members of a complex type's object that say what it holds. */
typedef struct complex_type {
    const char *type;
    size_t type_len;
    const char *fields, *element, *key, *value; /* where those members' values start */
} complex_type;

static int complex_members(type_reader *r, complex_type *c) {
    memset(c, 0, sizeof *c);
    if (!lake__json_expect(&r->j, '{', "expected an object")) return malformed(r);
    if (next_is(r, '}')) return LAKE_OK;
    for (;;) {
        const char *k;
        size_t kn;
        if (lake__json_peek(&r->j) != LAKE__J_STRING || !lake__json_string(&r->j, r->arena, &k, &kn) ||
            !lake__json_expect(&r->j, ':', "expected ':'"))
            return malformed(r);
        lake__json_kind kind = lake__json_peek(&r->j);
        const char **at = key_is(k, kn, "fields") ? &c->fields
                          : key_is(k, kn, "elementType") ? &c->element
                          : key_is(k, kn, "keyType") ? &c->key
                          : key_is(k, kn, "valueType") ? &c->value
                          : NULL;
        if (at) *at = r->j.p;
        if (key_is(k, kn, "type") && kind == LAKE__J_STRING) {
            if (!lake__json_string(&r->j, r->arena, &c->type, &c->type_len)) return malformed(r);
        } else if (!lake__json_skip(&r->j, MAX_SKIP_DEPTH)) {
            return malformed(r);
        }
        if (!next_is(r, ',')) return lake__json_expect(&r->j, '}', "expected ',' or '}'") ? LAKE_OK : malformed(r);
    }
}

/* The type value that starts at `at` (a member complex_members found). */
static int nested(type_reader *r, lake__buf *out, const char *at, unsigned depth) {
    if (!at) return lake__error(r->err, LAKE_EIO, "malformed Delta schema type: a nested type lacks its member");
    const char *resume = r->j.p;
    r->j.p = at;
    int rc = type_value(r, out, depth + 1);
    r->j.p = resume;
    return rc;
}

/* STRUCT("name" T, ...) from a struct's fields: [{"name":..,"type":..,...}]. */
static int struct_type(type_reader *r, lake__buf *out, const char *fields, unsigned depth) {
    if (!fields) return lake__error(r->err, LAKE_EIO, "malformed Delta schema type: a struct without fields");
    const char *resume = r->j.p;
    r->j.p = fields;
    if (!lake__json_expect(&r->j, '[', "expected the fields' array")) return malformed(r);
    if (next_is(r, ']')) return lake__error(r->err, LAKE_ENOTSUP, "lakeorm cannot read Delta columns of an empty struct type");
    lake__buf_puts(out, "STRUCT(");
    for (size_t i = 0;; i++) {
        if (!lake__json_expect(&r->j, '{', "expected a field object")) return malformed(r);
        const char *name = NULL, *type = NULL;
        size_t name_len = 0;
        for (bool more = !next_is(r, '}'); more;) {
            const char *k;
            size_t kn;
            if (lake__json_peek(&r->j) != LAKE__J_STRING || !lake__json_string(&r->j, r->arena, &k, &kn) ||
                !lake__json_expect(&r->j, ':', "expected ':'"))
                return malformed(r);
            lake__json_kind kind = lake__json_peek(&r->j);
            if (key_is(k, kn, "type")) type = r->j.p;
            if (key_is(k, kn, "name") && kind == LAKE__J_STRING) {
                if (!lake__json_string(&r->j, r->arena, &name, &name_len)) return malformed(r);
            } else if (!lake__json_skip(&r->j, MAX_SKIP_DEPTH)) {
                return malformed(r);
            }
            if (!(more = next_is(r, ',')) && !lake__json_expect(&r->j, '}', "expected ',' or '}'")) return malformed(r);
        }
        if (!name || !type) return lake__error(r->err, LAKE_EIO, "malformed Delta schema type: a struct field without name or type");
        if (i) lake__buf_puts(out, ", ");
        lake__quote_n(out, name, name_len, '"');
        lake__buf_putc(out, ' ');
        int rc = nested(r, out, type, depth);
        if (rc) return rc;
        if (next_is(r, ',')) continue;
        if (!lake__json_expect(&r->j, ']', "expected ',' or ']'")) return malformed(r);
        break;
    }
    lake__buf_putc(out, ')');
    r->j.p = resume;
    return out->failed ? oom(r->err) : LAKE_OK;
}

static int type_value(type_reader *r, lake__buf *out, unsigned depth) {
    if (depth > MAX_TYPE_DEPTH) return lake__error(r->err, LAKE_ENOTSUP, "a Delta type nested deeper than %d levels", MAX_TYPE_DEPTH);
    lake__json_kind kind = lake__json_peek(&r->j);
    if (kind == LAKE__J_STRING) {
        const char *s;
        size_t n;
        if (!lake__json_string(&r->j, r->arena, &s, &n)) return malformed(r);
        for (size_t i = 0; i < sizeof PRIMITIVES / sizeof *PRIMITIVES; i++)
            if (key_is(s, n, PRIMITIVES[i].delta)) return lake__buf_puts(out, PRIMITIVES[i].engine) ? oom(r->err) : LAKE_OK;
        if (n >= 7 && !memcmp(s, "decimal", 7)) return decimal(r, out, s, n);
        return unsupported(r, s, n);
    }
    if (kind != LAKE__J_OBJECT) return malformed(r);
    complex_type c;
    int rc = complex_members(r, &c);
    if (rc) return rc;
    if (!c.type) return lake__error(r->err, LAKE_EIO, "malformed Delta schema type: an object without \"type\"");
    if (key_is(c.type, c.type_len, "struct")) return struct_type(r, out, c.fields, depth);
    if (key_is(c.type, c.type_len, "array")) {
        rc = nested(r, out, c.element, depth);
        return rc ? rc : lake__buf_puts(out, "[]") ? oom(r->err) : LAKE_OK;
    }
    if (key_is(c.type, c.type_len, "map")) {
        lake__buf_puts(out, "MAP(");
        if ((rc = nested(r, out, c.key, depth))) return rc;
        lake__buf_puts(out, ", ");
        if ((rc = nested(r, out, c.value, depth))) return rc;
        return lake__buf_putc(out, ')') ? oom(r->err) : LAKE_OK;
    }
    return unsupported(r, c.type, c.type_len);
}

int lake__delta_engine_type(lake__buf *out, const char *type_json, lake_error *err) {
    type_reader r = {.err = err};
    if (lake_arena_new(&r.arena)) return oom(err);
    lake__json_init(&r.j, type_json, strlen(type_json));
    size_t mark = out->len;
    int rc = type_value(&r, out, 0);
    if (!rc && !lake__json_at_end(&r.j)) rc = malformed(&r);
    lake_arena_free(r.arena);
    if (rc && !out->failed) {
        out->len = mark;
        if (out->data) out->data[mark] = 0;
    }
    return rc;
}

/* ---- what a reader must refuse */

/* Reader features (protocol version 3) whose tables lakeorm reads right:
 * columnMapping and deletionVectors only as far as checked below (no mode,
 * no vector on an active file); typeWidening because every column is cast
 * to the table's type; v2Checkpoint is the log's business (snapshot.c reads
 * it or refuses it before a scan). */
static const char *const READABLE[] = {"columnMapping", "deletionVectors", "timestampNtz", "typeWidening",
                                       "typeWidening-preview", "vacuumProtocolCheck", "v2Checkpoint"};

static const char *configured(const lake__delta_metadata *m, const char *key) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (!strcmp(m->configuration[i].key, key)) return m->configuration[i].value;
    return NULL;
}

static int check_readable(const lake__delta_table *t, const lake__delta_snapshot *s, lake_error *err) {
    const lake__delta_protocol *p = &s->protocol;
    if (p->reader > 3)
        return lake__error(err, LAKE_ENOTSUP, "Delta table %s needs reader version %d; lakeorm reads versions up to 3",
                           t->name, p->reader);
    for (size_t i = 0; i < p->reader_feature_count; i++) {
        size_t k = 0;
        while (k < sizeof READABLE / sizeof *READABLE && strcmp(READABLE[k], p->reader_features[i])) k++;
        if (k == sizeof READABLE / sizeof *READABLE)
            return lake__error(err, LAKE_ENOTSUP, "Delta table %s uses the reader feature %s, which lakeorm cannot read",
                               t->name, p->reader_features[i]);
    }
    const char *mode = configured(&s->metadata, "delta.columnMapping.mode");
    if (mode && strcmp(mode, "none"))
        return lake__error(err, LAKE_ENOTSUP,
                           "Delta table %s uses column mapping (delta.columnMapping.mode = %s), which lakeorm cannot read",
                           t->name, mode);
    return LAKE_OK;
}

/* ---- where the engine reads a data file */

static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decodes a log path (an RFC 3986 URI reference); -1 when an escape
 * is malformed or decodes to NUL. */
static int percent_decode(lake__buf *out, const char *path) {
    for (const char *p = path; *p; p++) {
        if (*p != '%') {
            lake__buf_putc(out, *p);
            continue;
        }
        int hi = hex(p[1]), lo = hi < 0 ? -1 : hex(p[2]);
        if (lo < 0 || (hi | lo) == 0) return -1;
        lake__buf_putc(out, (char)(hi << 4 | lo));
        p += 2;
    }
    return 0;
}

/* Appends the local path of a data file whose decoded log path is `d`:
 * relative to the table's root, or an absolute URI (file: on this machine,
 * else one under the warehouse's URL). `path` is the log's, for messages. */
static int locate(const lake__delta_table *t, const char *path, const char *d, lake__buf *out, lake_error *err) {
    size_t scheme = strspn(d, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
    if (!scheme || !isalpha((unsigned char)d[0]) || d[scheme] != ':') {
        lake__buf key = LAKE__BUF_INIT;
        lake__buf_printf(&key, "%s%s", t->root, d);
        int rc = key.failed ? oom(err) : lake__format_local_path(t->store, t->delta->cfg.cache_dir, key.data, out, err);
        lake__buf_dispose(&key);
        return rc;
    }
    if (scheme == 4 && !strncasecmp(d, "file", 4)) {
        const char *local = d + 5; /* file:/p, file:///p, file://localhost/p */
        if (!strncmp(local, "//", 2)) local = !strncmp(local + 2, "localhost/", 10) ? local + 11 : local + 2;
        if (*local != '/') return lake__error(err, LAKE_ENOTSUP, "Delta table %s: data file %s is on another host", t->name, path);
        return lake__buf_puts(out, local) ? oom(err) : LAKE_OK;
    }
    const char *url = lake_backend_url(t->store);
    size_t n = strlen(url);
    while (n && url[n - 1] == '/') n--;
    if (strncmp(d, url, n) || d[n] != '/')
        return lake__error(err, LAKE_ENOTSUP, "Delta table %s: data file %s is outside the warehouse", t->name, path);
    return lake__format_local_path(t->store, t->delta->cfg.cache_dir, d + n + 1, out, err);
}

static int data_file(const lake__delta_table *t, const char *path, lake__buf *out, lake_error *err) {
    lake__buf decoded = LAKE__BUF_INIT;
    bool bad = percent_decode(&decoded, path) != 0;
    int rc = decoded.failed ? oom(err)
             : bad || !decoded.len
                 ? lake__error(err, LAKE_EIO, "Delta table %s: malformed data file path \"%s\"", t->name, path)
                 : locate(t, path, decoded.data, out, err);
    lake__buf_dispose(&decoded);
    return rc;
}

/* ---- partition values (PROTOCOL.md, Partition Value Serialization) */

/* An add's value for a partition column; NULL for null. An empty string is
 * null too: Spark writes null partition values so, whatever the type. The
 * names match case-insensitively, as Delta's column names do. */
static const char *partition_value(const lake__delta_file *f, const char *column) {
    const lake__delta_pair *hit = NULL;
    for (size_t i = 0; i < f->partition_count && !hit; i++)
        if (!strcmp(f->partition_values[i].key, column)) hit = &f->partition_values[i];
    for (size_t i = 0; i < f->partition_count && !hit; i++)
        if (!strcasecmp(f->partition_values[i].key, column)) hit = &f->partition_values[i];
    return hit && hit->value && *hit->value ? hit->value : NULL;
}

/* Whether a timestamp's text says its zone ("...Z", "...+02:00"); the date's
 * own dashes are its first ten characters. */
static bool has_zone(const char *v) {
    size_t n = strlen(v);
    return (n && (v[n - 1] == 'Z' || v[n - 1] == 'z')) || (n > 10 && strpbrk(v + 10, "+-"));
}

/* ---- the scan */

typedef struct entry {
    const char **values; /* per partition column */
    size_t count;
    const char *path;
} entry;

static int compare_values(const entry *x, const entry *y) {
    for (size_t i = 0; i < x->count; i++) {
        const char *u = x->values[i], *v = y->values[i];
        int c = !u || !v ? (u != NULL) - (v != NULL) : strcmp(u, v);
        if (c) return c;
    }
    return 0;
}

/* By partition values, then path: files of a group together, and the same
 * snapshot always the same statement. */
static int compare_entries(const void *a, const void *b) {
    const entry *x = a, *y = b;
    int c = compare_values(x, y);
    return c ? c : strcmp(x->path, y->path);
}

#define NEW(a, type, n) ((type *)lake__arena_alloc((a), sizeof(type) * ((n) ? (n) : 1), _Alignof(type)))

typedef struct scan_build {
    const lake__delta_table *t;
    const lake__delta_snapshot *s;
    lake_arena *arena;
    lake__scan_column *columns;
    size_t column_count;
    size_t *partitions; /* indexes into columns of the partition columns */
    size_t partition_count;
    lake_error *err;
} scan_build;

static int scan_columns(scan_build *b) {
    const lake__delta_snapshot *s = b->s;
    bool has_ingest = false;
    for (size_t i = 0; i < s->column_count; i++) has_ingest |= !strcmp(s->columns[i].name, "_ingest_id");
    size_t n = s->column_count + !has_ingest;
    if (!(b->columns = NEW(b->arena, lake__scan_column, n)) || !(b->partitions = NEW(b->arena, size_t, n)))
        return oom(b->err);
    lake__buf type = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < s->column_count; i++) {
        const lake__delta_column *c = &s->columns[i];
        type.len = 0;
        if ((rc = lake__delta_engine_type(&type, c->type_json, b->err))) {
            if (rc != LAKE_ENOMEM && b->err)
                lake__error_forward(b->err, b->err, "Delta table %s, column %s: ", b->t->name, c->name);
        } else if (!(b->columns[i].type = lake__arena_strndup(b->arena, type.data, type.len))) {
            rc = oom(b->err);
        }
        b->columns[i].name = c->name;
        b->columns[i].partition = c->partition;
        if (c->partition) b->partitions[b->partition_count++] = i;
    }
    lake__buf_dispose(&type);
    /* Tables other engines wrote lack lakeorm's _ingest_id; reads of every
     * table show it, NULL there. As a partition column it is a constant. */
    if (!has_ingest) {
        b->columns[s->column_count] = (lake__scan_column){"_ingest_id", "VARCHAR", true};
        b->partitions[b->partition_count++] = s->column_count;
    }
    b->column_count = n;
    return rc;
}

/* One entry per active file: its local path and partition values. */
static int scan_entries(scan_build *b, entry *entries) {
    const lake__delta_snapshot *s = b->s;
    lake__buf path = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < s->file_count; i++) {
        const lake__delta_file *f = &s->files[i];
        entry *e = &entries[i];
        if (f->deletion_vector) {
            rc = lake__error(b->err, LAKE_ENOTSUP, "Delta table %s: data file %s has a deletion vector, which lakeorm cannot apply",
                             b->t->name, f->path);
            break;
        }
        path.len = 0;
        if ((rc = data_file(b->t, f->path, &path, b->err))) break;
        e->count = b->partition_count;
        if (!(e->path = lake__arena_strndup(b->arena, path.data, path.len)) ||
            !(e->values = NEW(b->arena, const char *, e->count))) {
            rc = oom(b->err);
            break;
        }
        for (size_t k = 0; k < e->count; k++) {
            size_t col = b->partitions[k];
            const char *v = col < s->column_count ? partition_value(f, s->columns[col].name) : NULL;
            /* Delta's timestamps without a zone are UTC: said so, DuckDB
             * does not read them in the session's TimeZone. */
            if (v && !strcmp(b->columns[col].type, "TIMESTAMPTZ") && !has_zone(v)) {
                char *z = NEW(b->arena, char, strlen(v) + 2);
                if (!z) {
                    rc = oom(b->err);
                    break;
                }
                strcpy(z, v);
                v = strcat(z, "Z");
            }
            e->values[k] = v;
        }
    }
    lake__buf_dispose(&path);
    return rc;
}

int lake__delta_scan_sql(const lake__delta_table *t, const lake__delta_snapshot *s, lake__buf *out, lake_error *err) {
    if (s->version < 0) return lake__error(err, LAKE_ENOTFOUND, "no Delta table %s", t->name);
    int rc = check_readable(t, s, err);
    if (rc) return rc;
    scan_build b = {.t = t, .s = s, .err = err};
    if (lake_arena_new(&b.arena)) return oom(err);
    entry *entries = NEW(b.arena, entry, s->file_count);
    const char **paths = NEW(b.arena, const char *, s->file_count);
    lake__scan_group *groups = NEW(b.arena, lake__scan_group, s->file_count);
    rc = entries && paths && groups ? scan_columns(&b) : oom(err);
    if (!rc) rc = scan_entries(&b, entries);
    size_t group_count = 0;
    if (!rc) {
        qsort(entries, s->file_count, sizeof *entries, compare_entries);
        for (size_t i = 0; i < s->file_count; i++) {
            paths[i] = entries[i].path;
            if (!i || compare_values(&entries[i - 1], &entries[i]))
                groups[group_count++] = (lake__scan_group){entries[i].values, &paths[i], 0};
            groups[group_count - 1].path_count++;
        }
        lake__scan scan = {b.columns, b.column_count, groups, group_count};
        size_t mark = out->len;
        rc = lake__compute_scan(out, &scan, err);
        if (rc && rc != LAKE_ENOMEM) {
            if (err) lake__error_forward(err, err, "Delta table %s: ", t->name);
            out->len = mark;
            if (out->data) out->data[mark] = 0;
        }
    }
    lake_arena_free(b.arena);
    return rc;
}
