/* SPDX-License-Identifier: MIT */
/* Reading a table metadata file any writer made, and writing the next one
 * over it: a commit changes the members a snapshot moves and copies every
 * other member as it is (lake__json_copy), so what lakeorm does not model
 * (other schemas, specs, refs, properties, statistics) survives it. */
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "json/scan.h"
#include "json/write.h"
#include "util/arena.h"

enum { MAX_DEPTH = 64 };

static int malformed(lake_error *err, const lake__json *j, const char *what) {
    if (j->oom) return lake__error(err, LAKE_ENOMEM, "out of memory reading Iceberg metadata");
    return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: %s%s%s (at byte %zu)", what, j->error ? ": " : "",
                       j->error ? j->error : "", (size_t)(j->p - j->start));
}

/* Steps through an object's members: true with *key set while one follows. */
static bool next_member(lake__json *j, lake_arena *arena, bool *first, const char **key, size_t *key_len, bool *ok) {
    *ok = true;
    lake__json_ws(j);
    if (*first) {
        *first = false;
        if (!lake__json_expect(j, '{', "expected an object")) return *ok = false, false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == '}') return j->p++, false;
    } else {
        if (j->p < j->end && *j->p == '}') return j->p++, false;
        if (!lake__json_expect(j, ',', "expected ',' or '}'")) return *ok = false, false;
    }
    if (lake__json_peek(j) != LAKE__J_STRING || !lake__json_string(j, arena, key, key_len) ||
        !lake__json_expect(j, ':', "expected ':'"))
        return *ok = false, false;
    lake__json_ws(j);
    return true;
}

static bool is(const char *key, size_t len, const char *name) { return strlen(name) == len && !memcmp(key, name, len); }

static bool int_value(lake__json *j, int64_t *out) {
    lake__json_num n;
    return lake__json_peek(j) == LAKE__J_NUMBER && lake__json_number(j, &n) && lake__json_number_int64(&n, out);
}

static bool text_value(lake__json *j, lake_arena *arena, const char **out) {
    const char *s;
    size_t n;
    if (lake__json_peek(j) != LAKE__J_STRING || !lake__json_string(j, arena, &s, &n)) return false;
    return (*out = lake__arena_strndup(arena, s, n)) != NULL;
}

/* Reads an array, calling item for each element. */
static bool each(lake__json *j, bool (*item)(lake__json *, void *), void *ctx) {
    if (!lake__json_expect(j, '[', "expected an array")) return false;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ']') return j->p++, true;
    for (;;) {
        if (!item(j, ctx)) return false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        return lake__json_expect(j, ']', "expected ',' or ']'");
    }
}

/* ---- snapshots */

enum { KEPT = 256 }; /* schemas and specs kept (the current one is among the newest) */

typedef struct reading {
    lake_arena *arena;
    lake__iceberg_snapshot_info *snaps;
    size_t kept, cap;
    /* schemas and specs as text, with their ids: the current ones are known at the end */
    const char *schemas[KEPT], *specs[KEPT];
    size_t schema_lens[KEPT], spec_lens[KEPT];
    int64_t schema_ids[KEPT], spec_ids[KEPT];
    size_t schema_count, spec_count;
    lake__iceberg_loaded *out;
    size_t log_cap;
} reading;

static bool read_summary(lake__json *j, lake_arena *arena, lake__iceberg_snapshot_info *s) {
    bool first = true, ok;
    const char *key;
    size_t len;
    while (next_member(j, arena, &first, &key, &len, &ok)) {
        const char **into = is(key, len, "operation")                      ? &s->operation
                            : is(key, len, LAKE__ICEBERG_KEY_INGEST)       ? &s->ingest_id
                            : is(key, len, LAKE__ICEBERG_KEY_IDEMPOTENCY)  ? &s->idempotency_key
                            : is(key, len, LAKE__ICEBERG_KEY_FINGERPRINT)  ? &s->fingerprint
                            : is(key, len, LAKE__ICEBERG_KEY_TABLE)        ? &s->table
                                                                           : NULL;
        ok = into && lake__json_peek(j) == LAKE__J_STRING ? text_value(j, arena, into) : lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    return ok;
}

static bool read_snapshot(lake__json *j, void *ctx) {
    reading *r = ctx;
    lake__iceberg_snapshot_info s = {.id = -1, .parent_id = -1};
    bool first = true, ok;
    const char *key;
    size_t len;
    bool have_id = false; /* required: commits and expiries name snapshots by it */
    while (next_member(j, r->arena, &first, &key, &len, &ok)) {
        if (is(key, len, "snapshot-id")) ok = have_id = int_value(j, &s.id);
        else if (is(key, len, "parent-snapshot-id") && lake__json_peek(j) != LAKE__J_NULL) ok = int_value(j, &s.parent_id);
        else if (is(key, len, "sequence-number")) ok = int_value(j, &s.sequence_number);
        else if (is(key, len, "timestamp-ms")) ok = int_value(j, &s.timestamp_ms);
        else if (is(key, len, "manifest-list")) ok = text_value(j, r->arena, &s.manifest_list);
        else if (is(key, len, "summary") && lake__json_peek(j) == LAKE__J_OBJECT) ok = read_summary(j, r->arena, &s);
        else ok = lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    if (!ok || !have_id) return lake__json_fail(j, "a snapshot without its snapshot-id");
    if (r->kept == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        lake__iceberg_snapshot_info *grown = lake__arena_alloc(r->arena, cap * sizeof *grown,
                                                               _Alignof(lake__iceberg_snapshot_info));
        if (!grown) return false;
        if (r->kept) memcpy(grown, r->snaps, r->kept * sizeof *grown);
        r->snaps = grown, r->cap = cap;
    }
    r->snaps[r->kept++] = s;
    return true;
}

/* The snapshot each ref (branch or tag) names. */
static bool read_refs(lake__json *j, reading *r, lake__iceberg_loaded *out) {
    bool first = true, ok;
    const char *name;
    size_t len;
    size_t cap = 0;
    int64_t *ids = NULL;
    while (next_member(j, r->arena, &first, &name, &len, &ok)) {
        bool inner_first = true, inner_ok;
        const char *key;
        size_t key_len;
        int64_t id = -1;
        while (next_member(j, r->arena, &inner_first, &key, &key_len, &inner_ok))
            if (!(inner_ok = is(key, key_len, "snapshot-id") ? int_value(j, &id) : lake__json_skip(j, MAX_DEPTH))) break;
        if (!inner_ok) return false;
        if (out->ref_count == cap) {
            cap = cap ? 2 * cap : 4;
            int64_t *grown = lake__arena_alloc(r->arena, cap * sizeof *grown, _Alignof(int64_t));
            if (!grown) return false;
            if (out->ref_count) memcpy(grown, ids, out->ref_count * sizeof *grown);
            ids = grown;
        }
        ids[out->ref_count++] = id;
        out->ref_ids = ids;
    }
    return ok;
}

/* The files "metadata-log" names. */
static bool read_log_entry(lake__json *j, void *ctx) {
    reading *r = ctx;
    lake__iceberg_loaded *out = r->out;
    bool first = true, ok;
    const char *key, *file = NULL;
    size_t len;
    while (next_member(j, r->arena, &first, &key, &len, &ok))
        if (!(ok = is(key, len, "metadata-file") ? text_value(j, r->arena, &file) : lake__json_skip(j, MAX_DEPTH))) break;
    if (!ok || !file) return false;
    if (out->metadata_log_count == r->log_cap) {
        size_t cap = r->log_cap ? 2 * r->log_cap : 16;
        const char **grown = lake__arena_alloc(r->arena, cap * sizeof *grown, _Alignof(const char *));
        if (!grown) return false;
        if (out->metadata_log_count) memcpy(grown, out->metadata_log, out->metadata_log_count * sizeof *grown);
        out->metadata_log = grown, r->log_cap = cap;
    }
    out->metadata_log[out->metadata_log_count++] = file;
    return true;
}

/* Keeps an element's text and its id member (schema-id or spec-id). */
static bool keep_object(lake__json *j, lake_arena *arena, const char *id_key, const char **text, size_t *len,
                        int64_t *id, size_t *count) {
    lake__buf copy = LAKE__BUF_INIT;
    bool ok = lake__json_copy(j, MAX_DEPTH, &copy) && !copy.failed;
    if (ok && *count < KEPT) {
        lake__json k;
        lake__json_init(&k, copy.data, copy.len);
        bool first = true, member_ok;
        const char *key;
        size_t key_len;
        int64_t found = 0;
        while (next_member(&k, arena, &first, &key, &key_len, &member_ok))
            if (!(member_ok = is(key, key_len, id_key) ? int_value(&k, &found) : lake__json_skip(&k, MAX_DEPTH))) break;
        ok = member_ok && (text[*count] = lake__arena_strndup(arena, copy.data, copy.len)) != NULL;
        if (ok) len[*count] = copy.len, id[(*count)++] = found;
    }
    lake__buf_dispose(&copy);
    return ok;
}

static bool read_schema(lake__json *j, void *ctx) {
    reading *r = ctx;
    return keep_object(j, r->arena, "schema-id", r->schemas, r->schema_lens, r->schema_ids, &r->schema_count);
}

static bool read_spec(lake__json *j, void *ctx) {
    reading *r = ctx;
    return keep_object(j, r->arena, "spec-id", r->specs, r->spec_lens, r->spec_ids, &r->spec_count);
}

/* ---- a schema's fields */

typedef struct fields {
    lake_arena *arena;
    lake__iceberg_field *at;
    size_t count, cap;
    unsigned depth;
} fields;

static bool add_field(fields *f, const lake__iceberg_field *x) {
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        lake__iceberg_field *p = lake__arena_alloc(f->arena, cap * sizeof *p, _Alignof(lake__iceberg_field));
        if (!p) return false;
        if (f->count) memcpy(p, f->at, f->count * sizeof *p);
        f->at = p, f->cap = cap;
    }
    f->at[f->count++] = *x;
    return true;
}

static bool read_field(lake__json *j, void *ctx);

/* A field's type: a primitive's name, or a struct, list or map object whose
 * nested fields become the field's children (a list's element and a map's
 * key and value named "element", "key", "value"). */
static bool read_type(lake__json *j, lake_arena *arena, unsigned depth, lake__iceberg_field *x) {
    if (lake__json_peek(j) == LAKE__J_STRING) return text_value(j, arena, &x->type);
    if (depth > 32) return lake__json_fail(j, "types nest too deep");
    fields kids = {arena, NULL, 0, 0, depth + 1};
    lake__iceberg_field element = {.name = "element", .id = -1}, key = {.name = "key", .id = -1},
                        value = {.name = "value", .id = -1};
    bool first = true, ok, list = false, map = false;
    const char *k;
    size_t len;
    while (next_member(j, arena, &first, &k, &len, &ok)) {
        int64_t v = -1;
        if (is(k, len, "type")) ok = text_value(j, arena, &x->type);
        else if (is(k, len, "fields")) ok = each(j, read_field, &kids);
        else if (is(k, len, "element-id")) ok = int_value(j, &v), element.id = (int32_t)v, list = true;
        else if (is(k, len, "element-required")) ok = lake__json_peek(j) == LAKE__J_TRUE ? (element.required = true, lake__json_literal(j, LAKE__J_TRUE)) : lake__json_skip(j, MAX_DEPTH);
        else if (is(k, len, "element")) ok = read_type(j, arena, depth + 1, &element), list = true;
        else if (is(k, len, "key-id")) ok = int_value(j, &v), key.id = (int32_t)v, map = true;
        else if (is(k, len, "key")) ok = read_type(j, arena, depth + 1, &key), key.required = true, map = true;
        else if (is(k, len, "value-id")) ok = int_value(j, &v), value.id = (int32_t)v;
        else if (is(k, len, "value-required")) ok = lake__json_peek(j) == LAKE__J_TRUE ? (value.required = true, lake__json_literal(j, LAKE__J_TRUE)) : lake__json_skip(j, MAX_DEPTH);
        else if (is(k, len, "value")) ok = read_type(j, arena, depth + 1, &value);
        else ok = lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    if (!ok || !x->type) return false;
    if (list) ok = add_field(&kids, &element);
    if (map) ok = add_field(&kids, &key) && add_field(&kids, &value);
    x->children = kids.at, x->child_count = kids.count;
    return ok;
}

static bool read_field(lake__json *j, void *ctx) {
    fields *f = ctx;
    lake__iceberg_field x = {.id = -1};
    bool first = true, ok;
    const char *k;
    size_t len;
    while (next_member(j, f->arena, &first, &k, &len, &ok)) {
        int64_t v;
        if (is(k, len, "id")) ok = int_value(j, &v), x.id = (int32_t)v;
        else if (is(k, len, "name")) ok = text_value(j, f->arena, &x.name);
        else if (is(k, len, "required")) {
            x.required = lake__json_peek(j) == LAKE__J_TRUE;
            ok = lake__json_skip(j, MAX_DEPTH);
        } else if (is(k, len, "type")) ok = read_type(j, f->arena, f->depth, &x);
        else ok = lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    return ok && x.name && x.type && x.id >= 0 && add_field(f, &x);
}

bool lake__iceberg_schema_fields(const char *text, size_t len, lake_arena *arena, const lake__iceberg_field **out,
                                 size_t *count) {
    lake__json j;
    lake__json_init(&j, text, len);
    fields top = {arena, NULL, 0, 0, 0};
    bool first = true, ok;
    const char *k;
    size_t klen;
    while (next_member(&j, arena, &first, &k, &klen, &ok))
        if (!(ok = is(k, klen, "fields") ? each(&j, read_field, &top) : lake__json_skip(&j, MAX_DEPTH))) break;
    *out = top.at, *count = top.count;
    return ok;
}

typedef struct spec_fields {
    lake_arena *arena;
    lake__iceberg_spec_field *at;
    size_t count, cap;
} spec_fields;

static bool read_spec_field(lake__json *j, void *ctx) {
    spec_fields *f = ctx;
    lake__iceberg_spec_field x = {-1, -1, NULL, NULL};
    bool first = true, ok;
    const char *k;
    size_t len;
    while (next_member(j, f->arena, &first, &k, &len, &ok)) {
        int64_t v;
        if (is(k, len, "source-id")) ok = int_value(j, &v), x.source_id = (int32_t)v;
        else if (is(k, len, "field-id")) ok = int_value(j, &v), x.field_id = (int32_t)v;
        else if (is(k, len, "name")) ok = text_value(j, f->arena, &x.name);
        else if (is(k, len, "transform")) ok = text_value(j, f->arena, &x.transform);
        else ok = lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    if (!ok || !x.name || !x.transform) return false;
    if (f->count == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        lake__iceberg_spec_field *p = lake__arena_alloc(f->arena, cap * sizeof *p, _Alignof(lake__iceberg_spec_field));
        if (!p) return false;
        if (f->count) memcpy(p, f->at, f->count * sizeof *p);
        f->at = p, f->cap = cap;
    }
    f->at[f->count++] = x;
    return true;
}

/* Appends a spec's fields to f. */
static bool read_spec_fields(const char *text, size_t len, spec_fields *f) {
    lake__json j;
    lake__json_init(&j, text, len);
    bool first = true, ok;
    const char *k;
    size_t klen;
    while (next_member(&j, f->arena, &first, &k, &klen, &ok))
        if (!(ok = is(k, klen, "fields") ? each(&j, read_spec_field, f) : lake__json_skip(&j, MAX_DEPTH))) break;
    return ok;
}

int lake__iceberg_metadata_read(const char *json, size_t len, lake_arena *arena, lake__iceberg_loaded *out,
                                lake_error *err) {
    memset(out, 0, sizeof *out);
    out->current_snapshot_id = -1;
    reading *r = lake__arena_alloc(arena, sizeof *r, _Alignof(reading));
    if (!r) return lake__error(err, LAKE_ENOMEM, "out of memory");
    memset(r, 0, sizeof *r);
    r->arena = arena;
    r->out = out;
    lake__json j;
    lake__json_init(&j, json, len);
    bool first = true, ok, have_version = false;
    const char *key;
    size_t key_len;
    /* The members a commit edits: each at most once, of the kind it edits. */
    static const char *const edited[] = {"snapshots", "snapshot-log", "metadata-log", "schemas", "refs",
                                         "current-snapshot-id", "last-sequence-number", "last-updated-ms",
                                         "current-schema-id", "last-column-id"};
    static const lake__json_kind kinds[] = {LAKE__J_ARRAY, LAKE__J_ARRAY, LAKE__J_ARRAY, LAKE__J_ARRAY, LAKE__J_OBJECT,
                                            LAKE__J_NUMBER, LAKE__J_NUMBER, LAKE__J_NUMBER, LAKE__J_NUMBER, LAKE__J_NUMBER};
    bool seen[sizeof edited / sizeof *edited] = {false};
    while (next_member(&j, arena, &first, &key, &key_len, &ok)) {
        int64_t v;
        for (size_t k = 0; k < sizeof edited / sizeof *edited; k++) {
            if (!is(key, key_len, edited[k])) continue;
            if (seen[k]) return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: %s appears twice", edited[k]);
            seen[k] = true;
            lake__json_kind kind = lake__json_peek(&j);
            if (kind != kinds[k] && kind != LAKE__J_NULL)
                return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: %s is not %s", edited[k],
                                   kinds[k] == LAKE__J_OBJECT ? "an object" : kinds[k] == LAKE__J_ARRAY ? "an array" : "a number");
        }
        bool null = lake__json_peek(&j) == LAKE__J_NULL;
        if (is(key, key_len, "format-version")) ok = have_version = int_value(&j, &v), out->format_version = (int)v;
        else if (is(key, key_len, "table-uuid")) ok = text_value(&j, arena, &out->uuid);
        else if (is(key, key_len, "location")) ok = text_value(&j, arena, &out->location);
        else if (is(key, key_len, "last-sequence-number") && !null) ok = int_value(&j, &out->last_sequence_number);
        else if (is(key, key_len, "last-updated-ms") && !null) ok = int_value(&j, &out->last_updated_ms);
        else if (is(key, key_len, "current-snapshot-id") && !null) ok = int_value(&j, &out->current_snapshot_id);
        else if (is(key, key_len, "current-schema-id") && !null) ok = int_value(&j, &v), out->current_schema_id = (int32_t)v;
        else if (is(key, key_len, "last-column-id") && !null) ok = int_value(&j, &v), out->last_column_id = (int32_t)v;
        else if (is(key, key_len, "default-spec-id") && !null) ok = int_value(&j, &v), out->default_spec_id = (int32_t)v;
        else if (is(key, key_len, "last-partition-id") && !null) ok = int_value(&j, &v), out->last_partition_id = (int32_t)v;
        else if (is(key, key_len, "snapshots") && !null) ok = each(&j, read_snapshot, r);
        else if (is(key, key_len, "schemas") && !null) ok = each(&j, read_schema, r);
        else if (is(key, key_len, "partition-specs") && !null) ok = each(&j, read_spec, r);
        else if (is(key, key_len, "refs") && !null) ok = read_refs(&j, r, out);
        else if (is(key, key_len, "metadata-log") && !null) ok = each(&j, read_log_entry, r);
        else ok = lake__json_skip(&j, MAX_DEPTH);
        if (!ok) return malformed(err, &j, "a member could not be read");
    }
    if (!ok) return malformed(err, &j, "not an object");
    if (!lake__json_at_end(&j)) return malformed(err, &j, "text after the object");
    if (!have_version || !out->location || !out->uuid)
        return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: format-version, table-uuid and location are "
                                          "required");
    if (out->format_version != 2)
        return lake__error(err, LAKE_ENOTSUP, "Iceberg format version %d: lakeorm writes version 2 tables",
                           out->format_version);
    out->snapshots = r->snaps;
    out->snapshot_count = r->kept;
    if (out->current_snapshot_id >= 0) {
        for (size_t i = 0; i < r->kept; i++)
            if (r->snaps[i].id == out->current_snapshot_id) out->current_manifest_list = r->snaps[i].manifest_list;
        if (!out->current_manifest_list)
            return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: the current snapshot %lld is not among the "
                                              "snapshots", (long long)out->current_snapshot_id);
    }
    for (size_t i = 0; i < r->schema_count; i++)
        if (r->schema_ids[i] == out->current_schema_id) {
            out->schema_json = r->schemas[i], out->schema_json_len = r->schema_lens[i];
            if (!lake__iceberg_schema_fields(r->schemas[i], r->schema_lens[i], arena, &out->fields, &out->field_count))
                return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: schema %d could not be read",
                                   (int)out->current_schema_id);
        }
    spec_fields current = {arena, NULL, 0, 0}, every = {arena, NULL, 0, 0};
    for (size_t i = 0; i < r->spec_count; i++)
        if ((r->spec_ids[i] == out->default_spec_id && !read_spec_fields(r->specs[i], r->spec_lens[i], &current)) ||
            !read_spec_fields(r->specs[i], r->spec_lens[i], &every))
            return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: partition spec %d could not be read",
                               (int)r->spec_ids[i]);
    out->spec = current.at, out->spec_count = current.count;
    out->spec_history = every.at, out->spec_history_count = every.count;
    if (!out->field_count)
        return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: the current schema %d has no fields",
                           (int)out->current_schema_id);
    return LAKE_OK;
}

/* ---- the next metadata file */

typedef struct edit {
    lake_arena *arena; /* keys with escapes, decoded */
    lake__buf *out;
    const lake__iceberg_snapshot *s;
    const char *schema_json;
    int32_t schema_id, last_column_id;
    const char *old_location;
    int64_t now_ms, old_updated_ms;
    const int64_t *expire;
    size_t expire_count;
} edit;

/* Whether an element (an object, copied normalized) names an expired
 * snapshot by its "snapshot-id" member (the last, as the reader takes it). */
static bool expired(const edit *e, const lake__buf *element) {
    if (!e->expire_count) return false;
    lake__json j;
    lake__json_init(&j, element->data, element->len);
    bool first = true, ok, found = false;
    const char *key;
    size_t len;
    int64_t id = 0, v;
    while (next_member(&j, e->arena, &first, &key, &len, &ok)) {
        if (is(key, len, "snapshot-id") && lake__json_peek(&j) == LAKE__J_NUMBER && int_value(&j, &v)) id = v, found = true;
        else if (!lake__json_skip(&j, MAX_DEPTH)) return false;
    }
    for (size_t i = 0; found && i < e->expire_count; i++)
        if (e->expire[i] == id) return true;
    return false;
}

/* An array member edited: the old elements copied but those of expired
 * snapshots (filter true), then `add`'s (when not NULL). */
static bool append_to_array(lake__json *j, lake__buf *out, void (*add)(const edit *, lake__buf *), bool filter,
                            const edit *e) {
    lake__buf_putc(out, '[');
    bool any = false;
    if (lake__json_peek(j) == LAKE__J_NULL) {
        lake__json_literal(j, LAKE__J_NULL);
    } else {
        if (!lake__json_expect(j, '[', "expected an array")) return false;
        lake__json_ws(j);
        bool empty = j->p < j->end && *j->p == ']';
        if (empty) j->p++;
        lake__buf element = LAKE__BUF_INIT;
        while (!empty) {
            element.len = 0;
            if (!lake__json_copy(j, MAX_DEPTH, &element) || element.failed) {
                lake__buf_dispose(&element);
                return false;
            }
            if (!(filter && expired(e, &element))) {
                if (any) lake__buf_putc(out, ',');
                lake__buf_put(out, element.data, element.len);
                any = true;
            }
            lake__json_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (!lake__json_expect(j, ']', "expected ',' or ']'")) {
                lake__buf_dispose(&element);
                return false;
            }
            break;
        }
        lake__buf_dispose(&element);
    }
    if (add) {
        if (any) lake__buf_putc(out, ',');
        add(e, out);
    }
    return lake__buf_putc(out, ']') == 0;
}

static void add_snapshot(const edit *e, lake__buf *out) { lake__iceberg_snapshot_json(out, e->s); }

static void add_schema(const edit *e, lake__buf *out) { lake__buf_puts(out, e->schema_json); }

static void add_log(const edit *e, lake__buf *out) {
    lake__buf_printf(out, "{\"timestamp-ms\":%lld,\"snapshot-id\":%lld}", (long long)e->s->timestamp_ms, (long long)e->s->id);
}

static void add_metadata_log(const edit *e, lake__buf *out) {
    lake__buf_printf(out, "{\"timestamp-ms\":%lld,\"metadata-file\":", (long long)e->old_updated_ms);
    lake__json_write_string(out, e->old_location, strlen(e->old_location));
    lake__buf_putc(out, '}');
}

static void main_ref(const edit *e, lake__buf *out) {
    lake__buf_printf(out, "\"main\":{\"snapshot-id\":%lld,\"type\":\"branch\"}", (long long)e->s->id);
}

/* refs: every ref but main copied, main at the new snapshot. */
static bool edit_refs(lake__json *j, lake__buf *out, const edit *e) {
    bool first = true, ok, any = false;
    const char *key;
    size_t len;
    lake__buf_putc(out, '{');
    while (next_member(j, e->arena, &first, &key, &len, &ok)) {
        if (is(key, len, "main")) {
            if (!lake__json_skip(j, MAX_DEPTH)) return false;
            continue;
        }
        if (any) lake__buf_putc(out, ',');
        lake__json_write_string(out, key, len);
        lake__buf_putc(out, ':');
        if (!lake__json_copy(j, MAX_DEPTH, out)) return false;
        any = true;
    }
    if (!ok) return false;
    if (any) lake__buf_putc(out, ',');
    main_ref(e, out);
    return lake__buf_putc(out, '}') == 0;
}

/* The members a commit writes, in the order they are written when the old file lacks them. */
enum { M_SNAPSHOTS, M_SNAPSHOT_LOG, M_REFS, M_CURRENT_SNAPSHOT, M_SEQUENCE, M_SCHEMAS, M_CURRENT_SCHEMA,
       M_LAST_COLUMN, M_METADATA_LOG, M_UPDATED, M_COUNT };
static const char *const member_names[M_COUNT] = {"snapshots", "snapshot-log", "refs", "current-snapshot-id",
                                                  "last-sequence-number", "schemas", "current-schema-id",
                                                  "last-column-id", "metadata-log", "last-updated-ms"};

/* Writes member m's new value, over the old one at j (NULL: the old file lacks it). */
static bool write_member(int m, lake__json *j, const edit *e) {
    lake__buf *out = e->out;
    bool null = !j || lake__json_peek(j) == LAKE__J_NULL;
    if (m == M_SNAPSHOTS || m == M_SNAPSHOT_LOG || m == M_METADATA_LOG || m == M_SCHEMAS) {
        void (*add)(const edit *, lake__buf *) = m == M_SNAPSHOTS ? add_snapshot : m == M_SNAPSHOT_LOG ? add_log
                                               : m == M_SCHEMAS   ? add_schema   : add_metadata_log;
        if (m <= M_SNAPSHOT_LOG && !e->s) add = NULL; /* an expiry only */
        if (!j) { /* the old file lacks it */
            lake__buf_putc(out, '[');
            if (add) add(e, out);
            return lake__buf_putc(out, ']') == 0;
        }
        return append_to_array(j, out, add, m <= M_SNAPSHOT_LOG, e);
    }
    if (!null && m == M_REFS) return edit_refs(j, out, e);
    if (j && !lake__json_skip(j, MAX_DEPTH)) return false;
    switch (m) {
    case M_REFS: lake__buf_putc(out, '{'), main_ref(e, out), lake__buf_putc(out, '}'); break;
    case M_CURRENT_SNAPSHOT: lake__buf_printf(out, "%lld", (long long)e->s->id); break;
    case M_SEQUENCE: lake__buf_printf(out, "%lld", (long long)e->s->sequence_number); break;
    case M_CURRENT_SCHEMA: lake__buf_printf(out, "%d", (int)e->schema_id); break;
    case M_LAST_COLUMN: lake__buf_printf(out, "%d", (int)e->last_column_id); break;
    case M_UPDATED: lake__buf_printf(out, "%lld", (long long)e->now_ms); break;
    }
    return !out->failed;
}

static bool edits(const edit *e, int m) {
    if (m <= M_SNAPSHOT_LOG) return e->s != NULL || e->expire_count;
    if (m <= M_SEQUENCE) return e->s != NULL;
    if (m <= M_LAST_COLUMN) return e->schema_json != NULL;
    return true;
}

int lake__iceberg_metadata_commit(lake__buf *out, const char *json, size_t len, const lake__iceberg_update *u,
                                  const char *old_location, int64_t now_ms, lake_error *err) {
    lake__iceberg_loaded old;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = lake__iceberg_metadata_read(json, len, arena, &old, err);
    if (rc) {
        lake_arena_free(arena);
        return rc;
    }
    edit e = {arena, out, u->snapshot, u->schema_json, u->schema_id, u->last_column_id, old_location, now_ms,
              old.last_updated_ms, u->expire, u->expire_count};
    for (size_t i = 0; i < u->expire_count; i++)
        if (u->expire[i] == old.current_snapshot_id) {
            lake_arena_free(arena);
            return lake__error(err, LAKE_EINVAL, "the current snapshot %lld cannot expire", (long long)u->expire[i]);
        }
    bool wrote[M_COUNT] = {false};
    lake__json j;
    lake__json_init(&j, json, len);
    bool first = true, ok, any = false;
    const char *key;
    size_t key_len;
    lake__buf_putc(out, '{');
    while (next_member(&j, arena, &first, &key, &key_len, &ok)) {
        if (any) lake__buf_putc(out, ',');
        any = true;
        lake__json_write_string(out, key, key_len);
        lake__buf_putc(out, ':');
        int m = 0;
        while (m < M_COUNT && !(is(key, key_len, member_names[m]) && edits(&e, m))) m++;
        if (m < M_COUNT) ok = write_member(m, &j, &e), wrote[m] = true;
        else ok = lake__json_copy(&j, MAX_DEPTH, out);
        if (!ok) break;
    }
    if (ok)
        for (int m = 0; m < M_COUNT; m++) {
            if (wrote[m] || !edits(&e, m)) continue;
            lake__buf_printf(out, ",\"%s\":", member_names[m]);
            write_member(m, NULL, &e);
        }
    lake_arena_free(arena);
    if (!ok) return malformed(err, &j, "a member could not be copied");
    lake__buf_putc(out, '}');
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}
