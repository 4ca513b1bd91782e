/* SPDX-License-Identifier: MIT */
/* The Delta log's actions (PROTOCOL.md, "Actions"), read from commit lines
 * and checkpoint rows and written as Spark writes them, so that a log
 * lakeorm extends reads the same to Spark, delta-rs and DuckDB. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "json/scan.h"
#include "json/write.h"

/* The log's JSON nests a few levels (stats are a string, schemaString too);
 * this bounds what a skipped unknown field may nest. */
enum { MAX_DEPTH = 64 };

typedef struct parser {
    lake__json j;
    lake_arena *arena;
    const char *missing; /* a required field found absent, for the message */
} parser;

/* Arrays in the arena grow by doubling: the capacity is implied by the
 * count (0, then 4, 8, 16 ...), so the commit's structs need no capacity
 * fields. Returns the array with room for one more, or NULL. */
static void *grow(lake_arena *arena, void *items, size_t count, size_t size) {
    if (count != 0 && (count < 4 || (count & (count - 1)) != 0)) return items;
    size_t cap = count ? count * 2 : 4;
    void *bigger = lake__arena_alloc(arena, cap * size, 16);
    if (bigger && count) memcpy(bigger, items, count * size);
    return bigger;
}

/* Reads a string into the arena, NUL-terminated. */
static bool string(parser *p, const char **out) {
    const char *s;
    size_t len;
    if (!lake__json_string(&p->j, p->arena, &s, &len)) return false;
    /* Without escapes the scanner points into the line, which dies with the caller's buffer. */
    uintptr_t at = (uintptr_t)s;
    bool borrowed = at >= (uintptr_t)p->j.start && at < (uintptr_t)p->j.end;
    *out = borrowed ? lake__arena_strndup(p->arena, s, len) : s;
    if (!*out) p->j.oom = true;
    return *out != NULL;
}

/* A string or null (NULL). */
static bool opt_string(parser *p, const char **out) {
    if (lake__json_peek(&p->j) == LAKE__J_NULL) {
        *out = NULL;
        return lake__json_literal(&p->j, LAKE__J_NULL);
    }
    if (lake__json_peek(&p->j) != LAKE__J_STRING) return lake__json_fail(&p->j, "expected a string");
    return string(p, out);
}

/* An integer; *present false for null. */
static bool integer(parser *p, int64_t *out, bool *present) {
    lake__json_kind k = lake__json_peek(&p->j);
    *present = false;
    if (k == LAKE__J_NULL) return lake__json_literal(&p->j, k);
    lake__json_num n;
    if (k != LAKE__J_NUMBER || !lake__json_number(&p->j, &n)) return lake__json_fail(&p->j, "expected a number");
    if (!lake__json_number_int64(&n, out)) return lake__json_fail(&p->j, "expected an integer");
    *present = true;
    return true;
}

static bool boolean(parser *p, bool *out) {
    lake__json_kind k = lake__json_peek(&p->j);
    if (k != LAKE__J_TRUE && k != LAKE__J_FALSE) return lake__json_fail(&p->j, "expected true or false");
    *out = k == LAKE__J_TRUE;
    return lake__json_literal(&p->j, k);
}

/* Steps through an object's members: true with *key set (positioned at the
 * value), false at its end or on an error (p->j.error says which). The
 * caller has consumed '{' and set *first. */
static bool member(parser *p, bool *first, const char **key) {
    lake__json_ws(&p->j);
    if (p->j.p < p->j.end && *p->j.p == '}') {
        p->j.p++;
        return false;
    }
    if (!*first && !lake__json_expect(&p->j, ',', "expected ',' or '}'")) return false;
    *first = false;
    lake__json_ws(&p->j);
    if (p->j.p == p->j.end || *p->j.p != '"') return lake__json_fail(&p->j, "expected a key string");
    return string(p, key) && lake__json_expect(&p->j, ':', "expected ':' after key");
}

/* Opens an object; *is_null when the value is null instead. */
static bool object(parser *p, bool *is_null) {
    *is_null = lake__json_peek(&p->j) == LAKE__J_NULL;
    if (*is_null) return lake__json_literal(&p->j, LAKE__J_NULL);
    return lake__json_expect(&p->j, '{', "expected an object");
}

/* Members are read in a loop that ends at '}' or an error; this says which. */
#define OK(p) (!(p)->j.error && !(p)->j.oom)

/* {"k": "v" | null, ...} (partitionValues, configuration). */
static bool pairs(parser *p, lake__delta_pair **out, size_t *count) {
    bool is_null, first = true;
    const char *key;
    *out = NULL, *count = 0;
    if (!object(p, &is_null) || is_null) return OK(p);
    while (member(p, &first, &key)) {
        lake__delta_pair *grown = grow(p->arena, *out, *count, sizeof **out);
        if (!grown) return !(p->j.oom = true);
        *out = grown;
        (*out)[*count].key = key;
        if (!opt_string(p, &(*out)[*count].value)) return false;
        (*count)++;
    }
    return OK(p);
}

/* ["a", "b"] or null. */
static bool strings(parser *p, const char ***out, size_t *count) {
    *out = NULL, *count = 0;
    if (lake__json_peek(&p->j) == LAKE__J_NULL) return lake__json_literal(&p->j, LAKE__J_NULL);
    if (!lake__json_expect(&p->j, '[', "expected an array")) return false;
    lake__json_ws(&p->j);
    if (p->j.p < p->j.end && *p->j.p == ']') {
        p->j.p++;
        return true;
    }
    for (;;) {
        const char **grown = grow(p->arena, *out, *count, sizeof **out);
        if (!grown) return !(p->j.oom = true);
        *out = grown;
        if (lake__json_peek(&p->j) != LAKE__J_STRING) return lake__json_fail(&p->j, "expected a string");
        if (!string(p, &(*out)[(*count)++])) return false;
        lake__json_ws(&p->j);
        if (p->j.p == p->j.end || *p->j.p != ',') break;
        p->j.p++;
    }
    return lake__json_expect(&p->j, ']', "expected ',' or ']'");
}

static bool skip(parser *p) { return lake__json_skip(&p->j, MAX_DEPTH); }

static bool require(parser *p, bool present, const char *field) {
    if (!present && !p->missing) p->missing = field;
    return present;
}

static bool parse_protocol(parser *p, lake__delta_protocol *out) {
    bool first = true, has_reader = false, has_writer = false;
    const char *key;
    int64_t v = 0;
    memset(out, 0, sizeof *out);
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "minReaderVersion")) {
            ok = integer(p, &v, &has_reader);
            out->reader = (int)v;
        } else if (!strcmp(key, "minWriterVersion")) {
            ok = integer(p, &v, &has_writer);
            out->writer = (int)v;
        } else if (!strcmp(key, "readerFeatures")) {
            ok = strings(p, &out->reader_features, &out->reader_feature_count);
        } else if (!strcmp(key, "writerFeatures")) {
            ok = strings(p, &out->writer_features, &out->writer_feature_count);
        } else {
            ok = skip(p);
        }
        if (!ok) return false;
    }
    return OK(p) && require(p, has_reader, "protocol.minReaderVersion") &&
           require(p, has_writer, "protocol.minWriterVersion");
}

/* format: {"provider": "parquet", "options": {...}}; only parquet exists. */
static bool parse_format(parser *p) {
    bool is_null, first = true;
    const char *key, *provider;
    if (!object(p, &is_null) || is_null) return OK(p);
    while (member(p, &first, &key)) {
        if (!strcmp(key, "provider")) {
            if (!opt_string(p, &provider)) return false;
            if (provider && strcmp(provider, "parquet")) return lake__json_fail(&p->j, "format.provider is not parquet");
        } else if (!skip(p)) {
            return false;
        }
    }
    return OK(p);
}

static bool parse_metadata(parser *p, lake__delta_metadata *out) {
    bool first = true, has_time = false;
    const char *key;
    memset(out, 0, sizeof *out);
    out->created_time = -1;
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "id")) ok = opt_string(p, &out->id);
        else if (!strcmp(key, "name")) ok = opt_string(p, &out->name);
        else if (!strcmp(key, "description")) ok = opt_string(p, &out->description);
        else if (!strcmp(key, "schemaString")) ok = opt_string(p, &out->schema_string);
        else if (!strcmp(key, "format")) ok = parse_format(p);
        else if (!strcmp(key, "partitionColumns")) ok = strings(p, &out->partition_columns, &out->partition_count);
        else if (!strcmp(key, "configuration")) ok = pairs(p, &out->configuration, &out->configuration_count);
        else if (!strcmp(key, "createdTime")) ok = integer(p, &out->created_time, &has_time);
        else ok = skip(p);
        if (!ok) return false;
    }
    if (!has_time) out->created_time = -1;
    return OK(p) && require(p, out->id != NULL, "metaData.id") &&
           require(p, out->schema_string != NULL, "metaData.schemaString");
}

/* add and remove share their fields. */
static bool parse_file(parser *p, lake__delta_file *out, bool is_add) {
    bool first = true, has_size = false, has_time = false, has_deleted = false, present;
    const char *key;
    memset(out, 0, sizeof *out);
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "path")) {
            ok = opt_string(p, &out->path);
        } else if (!strcmp(key, "partitionValues")) {
            ok = pairs(p, &out->partition_values, &out->partition_count);
        } else if (!strcmp(key, "size")) {
            ok = integer(p, &out->size, &has_size);
        } else if (!strcmp(key, "modificationTime")) {
            ok = integer(p, &out->modification_time, &has_time);
        } else if (!strcmp(key, "deletionTimestamp")) {
            ok = integer(p, &out->deletion_timestamp, &has_deleted);
        } else if (!strcmp(key, "dataChange")) {
            ok = lake__json_peek(&p->j) == LAKE__J_NULL ? lake__json_literal(&p->j, LAKE__J_NULL)
                                                         : boolean(p, &out->data_change);
        } else if (!strcmp(key, "stats")) {
            ok = opt_string(p, &out->stats);
        } else if (!strcmp(key, "deletionVector")) {
            present = lake__json_peek(&p->j) != LAKE__J_NULL;
            ok = skip(p);
            out->deletion_vector = present;
        } else {
            ok = skip(p);
        }
        if (!ok) return false;
    }
    if (!has_size) out->size = -1;
    if (!has_deleted) out->deletion_timestamp = -1;
    if (!OK(p) || !require(p, out->path != NULL, is_add ? "add.path" : "remove.path")) return false;
    return !is_add || require(p, has_size, "add.size");
}

static bool parse_txn(parser *p, lake__delta_txn *out) {
    bool first = true, has_version = false, has_updated = false;
    const char *key;
    memset(out, 0, sizeof *out);
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "appId")) ok = opt_string(p, &out->app_id);
        else if (!strcmp(key, "version")) ok = integer(p, &out->version, &has_version);
        else if (!strcmp(key, "lastUpdated")) ok = integer(p, &out->last_updated, &has_updated);
        else ok = skip(p);
        if (!ok) return false;
    }
    if (!has_updated) out->last_updated = -1;
    return OK(p) && require(p, out->app_id != NULL, "txn.appId") && require(p, has_version, "txn.version");
}

static bool parse_lakeorm(parser *p, lake__delta_lakeorm_info *out) {
    bool is_null, first = true;
    const char *key;
    if (!object(p, &is_null) || is_null) return OK(p);
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "ingestId")) ok = opt_string(p, &out->ingest_id);
        else if (!strcmp(key, "idempotencyKey")) ok = opt_string(p, &out->idempotency_key);
        else if (!strcmp(key, "fingerprint")) ok = opt_string(p, &out->fingerprint);
        else if (!strcmp(key, "table")) ok = opt_string(p, &out->table);
        else ok = skip(p);
        if (!ok) return false;
    }
    return OK(p);
}

static bool parse_commit_info(parser *p, lake__delta_commit_file *c) {
    bool first = true, present;
    const char *key;
    while (member(p, &first, &key)) {
        bool ok;
        if (!strcmp(key, "timestamp")) {
            ok = integer(p, &c->timestamp, &present);
            if (!present) c->timestamp = -1;
        } else if (!strcmp(key, "operation")) {
            ok = opt_string(p, &c->operation);
        } else if (!strcmp(key, "lakeorm")) {
            ok = parse_lakeorm(p, &c->lakeorm);
        } else {
            ok = skip(p);
        }
        if (!ok) return false;
    }
    return OK(p);
}

/* One action object: {"<kind>": {...}} (a checkpoint row's JSON may hold
 * several kinds, all but one null). */
static bool parse_object(parser *p, lake__delta_commit_file *c) {
    bool first = true, is_null;
    const char *key;
    if (!lake__json_expect(&p->j, '{', "expected an action object")) return false;
    while (member(p, &first, &key)) {
        bool add = !strcmp(key, "add");
        if (add || !strcmp(key, "remove")) {
            if (!object(p, &is_null)) return false;
            if (is_null) continue;
            lake__delta_file **files = add ? &c->adds : &c->removes;
            size_t *count = add ? &c->add_count : &c->remove_count;
            lake__delta_file *grown = grow(p->arena, *files, *count, sizeof **files);
            if (!grown) return !(p->j.oom = true);
            *files = grown;
            if (!parse_file(p, &grown[*count], add)) return false;
            (*count)++;
        } else if (!strcmp(key, "txn")) {
            if (!object(p, &is_null)) return false;
            if (is_null) continue;
            lake__delta_txn *grown = grow(p->arena, c->txns, c->txn_count, sizeof *c->txns);
            if (!grown) return !(p->j.oom = true);
            c->txns = grown;
            if (!parse_txn(p, &grown[c->txn_count])) return false;
            c->txn_count++;
        } else if (!strcmp(key, "protocol")) {
            if (!object(p, &is_null)) return false;
            if (is_null) continue;
            if (!parse_protocol(p, &c->protocol)) return false;
            c->has_protocol = true;
        } else if (!strcmp(key, "metaData")) {
            if (!object(p, &is_null)) return false;
            if (is_null) continue;
            if (!parse_metadata(p, &c->metadata)) return false;
            c->has_metadata = true;
        } else if (!strcmp(key, "commitInfo")) {
            if (!object(p, &is_null)) return false;
            if (!is_null && !parse_commit_info(p, c)) return false;
        } else if (!strcmp(key, "domainMetadata")) {
            c->has_domain_metadata |= lake__json_peek(&p->j) != LAKE__J_NULL;
            if (!skip(p)) return false;
        } else if (!skip(p)) { /* cdc, checkpointMetadata, sidecar, what later versions add */
            return false;
        }
    }
    return OK(p);
}

static int parse_error(parser *p, int64_t version, size_t line, lake_error *err) {
    if (p->j.oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char where[48] = "";
    if (line) snprintf(where, sizeof where, ", line %zu", line);
    if (p->missing)
        return lake__error(err, LAKE_EIO, "corrupt Delta log: version %lld%s has no %s", (long long)version, where,
                           p->missing);
    return lake__error(err, LAKE_EIO, "corrupt Delta log: version %lld%s, byte %zu: %s", (long long)version, where,
                       p->j.error_offset, p->j.error ? p->j.error : "malformed action");
}

static int parse_one(const char *text, size_t len, int64_t version, size_t line, lake_arena *arena,
                     lake__delta_commit_file *into, lake_error *err) {
    parser p = {.arena = arena};
    lake__json_init(&p.j, text, len);
    if (!parse_object(&p, into) || !lake__json_at_end(&p.j)) {
        if (!p.j.error && !p.j.oom && !p.missing) lake__json_fail(&p.j, "text after the action");
        return parse_error(&p, version, line, err);
    }
    return LAKE_OK;
}

int lake__delta_parse_action(const char *text, size_t len, int64_t version, lake_arena *arena,
                             lake__delta_commit_file *into, lake_error *err) {
    return parse_one(text, len, version, 0, arena, into, err);
}

int lake__delta_parse_commit(const char *text, size_t len, int64_t version, lake_arena *arena,
                             lake__delta_commit_file *out, lake_error *err) {
    memset(out, 0, sizeof *out);
    out->version = version;
    out->timestamp = -1;
    size_t line = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        line++;
        /* Blank lines carry nothing; a line of spaces is as blank. */
        const char *q = p;
        while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r')) q++;
        if (q < stop) {
            int rc = parse_one(p, (size_t)(stop - p), version, line, arena, out, err);
            if (rc) return rc;
        }
        p = nl ? nl + 1 : end;
    }
    if (line == 0) return lake__error(err, LAKE_EIO, "corrupt Delta log: version %lld is empty", (long long)version);
    return LAKE_OK;
}

/* ---- rendering: Spark's field order, and only the fields Spark writes */

/* `,"name":` (the first member is written with its opening brace). */
static int next_key(lake__buf *out, const char *name) {
    lake__buf_puts(out, ",\"");
    lake__buf_puts(out, name);
    return lake__buf_puts(out, "\":");
}

static int str(lake__buf *out, const char *s) {
    return s ? lake__json_write_string(out, s, strlen(s)) : lake__buf_puts(out, "null");
}

static int render_pairs(lake__buf *out, const lake__delta_pair *pairs, size_t count) {
    lake__buf_putc(out, '{');
    for (size_t i = 0; i < count; i++) {
        if (i) lake__buf_putc(out, ',');
        str(out, pairs[i].key);
        lake__buf_putc(out, ':');
        str(out, pairs[i].value);
    }
    return lake__buf_putc(out, '}');
}

static int render_strings(lake__buf *out, const char *const *items, size_t count) {
    lake__buf_putc(out, '[');
    for (size_t i = 0; i < count; i++) {
        if (i) lake__buf_putc(out, ',');
        str(out, items[i]);
    }
    return lake__buf_putc(out, ']');
}

static int finish(lake__buf *out) {
    lake__buf_puts(out, "}}\n");
    return out->failed ? -1 : 0;
}

int lake__delta_render_protocol(lake__buf *out, const lake__delta_protocol *p) {
    lake__buf_printf(out, "{\"protocol\":{\"minReaderVersion\":%d,\"minWriterVersion\":%d", p->reader, p->writer);
    /* Feature lists belong to the versions that introduced them (reader 3, writer 7). */
    if (p->reader >= 3) {
        lake__buf_puts(out, ",\"readerFeatures\":");
        render_strings(out, p->reader_features, p->reader_feature_count);
    }
    if (p->writer >= 7) {
        lake__buf_puts(out, ",\"writerFeatures\":");
        render_strings(out, p->writer_features, p->writer_feature_count);
    }
    return finish(out);
}

int lake__delta_render_metadata(lake__buf *out, const lake__delta_metadata *m) {
    lake__buf_puts(out, "{\"metaData\":{\"id\":");
    str(out, m->id);
    if (m->name) next_key(out, "name"), str(out, m->name);
    if (m->description) next_key(out, "description"), str(out, m->description);
    lake__buf_puts(out, ",\"format\":{\"provider\":\"parquet\",\"options\":{}},\"schemaString\":");
    str(out, m->schema_string);
    lake__buf_puts(out, ",\"partitionColumns\":");
    render_strings(out, m->partition_columns, m->partition_count);
    lake__buf_puts(out, ",\"configuration\":");
    render_pairs(out, m->configuration, m->configuration_count);
    if (m->created_time >= 0) lake__buf_printf(out, ",\"createdTime\":%lld", (long long)m->created_time);
    return finish(out);
}

int lake__delta_render_add(lake__buf *out, const lake__delta_file *f) {
    lake__buf_puts(out, "{\"add\":{\"path\":");
    str(out, f->path);
    lake__buf_puts(out, ",\"partitionValues\":");
    render_pairs(out, f->partition_values, f->partition_count);
    lake__buf_printf(out, ",\"size\":%lld,\"modificationTime\":%lld,\"dataChange\":%s", (long long)f->size,
                     (long long)f->modification_time, f->data_change ? "true" : "false");
    if (f->stats) next_key(out, "stats"), str(out, f->stats);
    return finish(out);
}

int lake__delta_render_remove(lake__buf *out, const lake__delta_file *f) {
    lake__buf_puts(out, "{\"remove\":{\"path\":");
    str(out, f->path);
    if (f->deletion_timestamp >= 0)
        lake__buf_printf(out, ",\"deletionTimestamp\":%lld", (long long)f->deletion_timestamp);
    lake__buf_printf(out, ",\"dataChange\":%s", f->data_change ? "true" : "false");
    /* extendedFileMetadata promises partitionValues and size, so it goes only with a known size. */
    if (f->size >= 0) {
        lake__buf_puts(out, ",\"extendedFileMetadata\":true,\"partitionValues\":");
        render_pairs(out, f->partition_values, f->partition_count);
        lake__buf_printf(out, ",\"size\":%lld", (long long)f->size);
    }
    return finish(out);
}

int lake__delta_render_txn(lake__buf *out, const lake__delta_txn *t) {
    lake__buf_puts(out, "{\"txn\":{\"appId\":");
    str(out, t->app_id);
    lake__buf_printf(out, ",\"version\":%lld", (long long)t->version);
    if (t->last_updated >= 0) lake__buf_printf(out, ",\"lastUpdated\":%lld", (long long)t->last_updated);
    return finish(out);
}

int lake__delta_render_commit_info(lake__buf *out, int64_t timestamp_ms, const char *operation,
                                   const char *parameters_json, int64_t read_version, bool blind_append,
                                   const lake__delta_lakeorm_info *info) {
    lake__buf_printf(out, "{\"commitInfo\":{\"timestamp\":%lld,\"operation\":", (long long)timestamp_ms);
    str(out, operation);
    lake__buf_puts(out, ",\"operationParameters\":");
    lake__buf_puts(out, parameters_json ? parameters_json : "{}");
    if (read_version >= 0) lake__buf_printf(out, ",\"readVersion\":%lld", (long long)read_version);
    lake__buf_printf(out, ",\"isolationLevel\":\"Serializable\",\"isBlindAppend\":%s",
                     blind_append ? "true" : "false");
    lake__buf_puts(out, ",\"engineInfo\":\"lakeorm/" LAKE_VERSION_STRING "\"");
    if (info) {
        /* Our own member: readers skip fields they do not know (PROTOCOL.md, commitInfo is free-form). */
        const char *names[] = {"ingestId", "idempotencyKey", "fingerprint", "table"};
        const char *values[] = {info->ingest_id, info->idempotency_key, info->fingerprint, info->table};
        lake__buf_puts(out, ",\"lakeorm\":{");
        const char *sep = "\"";
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            if (!values[i]) continue;
            lake__buf_printf(out, "%s%s\":", sep, names[i]);
            str(out, values[i]);
            sep = ",\"";
        }
        lake__buf_putc(out, '}');
    }
    return finish(out);
}

/* ---- paths: the log holds URI paths (Spark: Hadoop Path.toUri) */

/* RFC 3986 pchar plus '/': unreserved, sub-delims, ':' and '@'. */
static bool path_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~!$&'()*+,;=:@/", c));
}

int lake__delta_path_encode(lake__buf *out, const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        if (path_char(*s)) {
            lake__buf_putc(out, (char)*s);
        } else {
            char e[3] = {'%', hex[*s >> 4], hex[*s & 15]};
            lake__buf_put(out, e, 3);
        }
    }
    /* An empty path still leaves a terminated buffer. */
    return lake__buf_put(out, "", 0) ? -1 : 0;
}

static int hex_digit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Non-zero for a malformed escape ('%' not followed by two hex digits) as
 * well as for out of memory (then out->failed is set). */
int lake__delta_path_decode(lake__buf *out, const char *path) {
    for (const char *s = path; *s; s++) {
        if (*s != '%') {
            lake__buf_putc(out, *s);
            continue;
        }
        int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
        if (lo < 0) return -1;
        lake__buf_putc(out, (char)(hi * 16 + lo));
        s += 2;
    }
    return lake__buf_put(out, "", 0) ? -1 : 0;
}
