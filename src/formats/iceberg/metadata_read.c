/* SPDX-License-Identifier: MIT */
/* Reading a table metadata file any writer made, and writing the next one
 * over it: a commit changes the members a snapshot moves and copies every
 * other member as it is (lake__json_copy), so what lakeorm does not model
 * (other schemas, specs, refs, properties, statistics) survives it. */
#include <string.h>

#include "error/error.h"
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

/* A snapshot object: its id and manifest list. */
static bool read_snapshot(lake__json *j, lake_arena *arena, int64_t *id, const char **list) {
    bool first = true, ok;
    const char *key;
    size_t len;
    *id = -1, *list = NULL;
    while (next_member(j, arena, &first, &key, &len, &ok)) {
        if (is(key, len, "snapshot-id")) ok = int_value(j, id);
        else if (is(key, len, "manifest-list")) ok = text_value(j, arena, list);
        else ok = lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    return ok;
}

int lake__iceberg_metadata_read(const char *json, size_t len, lake_arena *arena, lake__iceberg_loaded *out,
                                lake_error *err) {
    memset(out, 0, sizeof *out);
    out->current_snapshot_id = -1;
    lake__json j;
    lake__json_init(&j, json, len);
    bool first = true, ok, have_version = false;
    const char *key;
    size_t key_len;
    /* Snapshots may come before or after current-snapshot-id: the lists are kept until the end. */
    int64_t ids[256];
    const char *lists[256];
    size_t kept = 0;
    /* The members a commit edits: each at most once, of the kind it edits. */
    static const char *const edited[] = {"snapshots", "snapshot-log", "metadata-log", "refs", "current-snapshot-id",
                                         "last-sequence-number", "last-updated-ms"};
    bool seen[sizeof edited / sizeof *edited] = {false};
    while (next_member(&j, arena, &first, &key, &key_len, &ok)) {
        int64_t v;
        for (size_t k = 0; k < sizeof edited / sizeof *edited; k++) {
            if (!is(key, key_len, edited[k])) continue;
            if (seen[k]) return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: %s appears twice", edited[k]);
            seen[k] = true;
            lake__json_kind want = k == 3 ? LAKE__J_OBJECT : k < 3 ? LAKE__J_ARRAY : LAKE__J_NUMBER;
            lake__json_kind kind = lake__json_peek(&j);
            if (kind != want && kind != LAKE__J_NULL)
                return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: %s is not %s", edited[k],
                                   want == LAKE__J_OBJECT ? "an object" : want == LAKE__J_ARRAY ? "an array" : "a number");
        }
        if (is(key, key_len, "format-version")) ok = have_version = int_value(&j, &v), out->format_version = (int)v;
        else if (is(key, key_len, "table-uuid")) ok = text_value(&j, arena, &out->uuid);
        else if (is(key, key_len, "location")) ok = text_value(&j, arena, &out->location);
        else if (is(key, key_len, "last-sequence-number") && lake__json_peek(&j) != LAKE__J_NULL)
            ok = int_value(&j, &out->last_sequence_number);
        else if (is(key, key_len, "last-updated-ms") && lake__json_peek(&j) != LAKE__J_NULL)
            ok = int_value(&j, &out->last_updated_ms);
        else if (is(key, key_len, "current-snapshot-id")) {
            ok = lake__json_peek(&j) == LAKE__J_NULL ? lake__json_literal(&j, LAKE__J_NULL)
                                                     : int_value(&j, &out->current_snapshot_id);
        } else if (is(key, key_len, "snapshots") && lake__json_peek(&j) == LAKE__J_ARRAY) {
            lake__json_expect(&j, '[', "");
            lake__json_ws(&j);
            if (j.p < j.end && *j.p == ']') {
                j.p++;
                continue;
            }
            for (;;) {
                int64_t id;
                const char *list;
                if (!(ok = read_snapshot(&j, arena, &id, &list))) break;
                out->snapshot_count++;
                /* the newest 256 are enough to find the current one, which is nearly always the last */
                if (kept == 256) memmove(ids, ids + 1, 255 * sizeof *ids), memmove(lists, lists + 1, 255 * sizeof *lists), kept--;
                ids[kept] = id, lists[kept++] = list;
                lake__json_ws(&j);
                if (j.p < j.end && *j.p == ',') {
                    j.p++;
                    continue;
                }
                ok = lake__json_expect(&j, ']', "expected ',' or ']'");
                break;
            }
        } else {
            ok = lake__json_skip(&j, MAX_DEPTH);
        }
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
    if (out->current_snapshot_id >= 0) {
        for (size_t i = 0; i < kept; i++)
            if (ids[i] == out->current_snapshot_id) out->current_manifest_list = lists[i];
        if (!out->current_manifest_list)
            return lake__error(err, LAKE_EIO, "malformed Iceberg metadata: the current snapshot %lld is not among the "
                                              "snapshots", (long long)out->current_snapshot_id);
    }
    return LAKE_OK;
}

/* ---- the next metadata file */

typedef struct edit {
    lake_arena *arena; /* keys with escapes, decoded */
    lake__buf *out;
    const lake__iceberg_snapshot *s;
    const char *old_location;
    int64_t now_ms, old_updated_ms;
    bool wrote_snapshots, wrote_log, wrote_metadata_log, wrote_refs, wrote_current, wrote_sequence, wrote_updated;
} edit;

/* An array member with one more element: the old elements copied, then `add`. */
static bool append_to_array(lake__json *j, lake__buf *out, void (*add)(const edit *, lake__buf *), const edit *e) {
    if (lake__json_peek(j) == LAKE__J_NULL) {
        lake__json_literal(j, LAKE__J_NULL);
        lake__buf_putc(out, '[');
        add(e, out);
        return lake__buf_putc(out, ']') == 0;
    }
    if (!lake__json_expect(j, '[', "expected an array")) return false;
    lake__buf_putc(out, '[');
    lake__json_ws(j);
    bool empty = j->p < j->end && *j->p == ']';
    if (empty) j->p++;
    while (!empty) {
        if (!lake__json_copy(j, MAX_DEPTH, out)) return false;
        lake__buf_putc(out, ',');
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (!lake__json_expect(j, ']', "expected ',' or ']'")) return false;
        break;
    }
    add(e, out);
    return lake__buf_putc(out, ']') == 0;
}

static void add_snapshot(const edit *e, lake__buf *out) { lake__iceberg_snapshot_json(out, e->s); }

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

int lake__iceberg_metadata_commit(lake__buf *out, const char *json, size_t len, const lake__iceberg_snapshot *s,
                                  const char *old_location, int64_t now_ms, lake_error *err) {
    lake__iceberg_loaded old;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = lake__iceberg_metadata_read(json, len, arena, &old, err);
    if (rc) {
        lake_arena_free(arena);
        return rc;
    }
    edit e = {arena, out, s, old_location, now_ms, old.last_updated_ms, false, false, false, false, false, false, false};
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
        if (is(key, key_len, "snapshots")) ok = append_to_array(&j, out, add_snapshot, &e), e.wrote_snapshots = true;
        else if (is(key, key_len, "snapshot-log")) ok = append_to_array(&j, out, add_log, &e), e.wrote_log = true;
        else if (is(key, key_len, "metadata-log")) ok = append_to_array(&j, out, add_metadata_log, &e), e.wrote_metadata_log = true;
        else if (is(key, key_len, "refs") && lake__json_peek(&j) == LAKE__J_OBJECT) ok = edit_refs(&j, out, &e), e.wrote_refs = true;
        else if (is(key, key_len, "refs")) { /* null */
            ok = lake__json_skip(&j, MAX_DEPTH);
            lake__buf_putc(out, '{'), main_ref(&e, out), lake__buf_putc(out, '}');
            e.wrote_refs = true;
        }
        else if (is(key, key_len, "current-snapshot-id")) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            lake__buf_printf(out, "%lld", (long long)s->id);
            e.wrote_current = true;
        } else if (is(key, key_len, "last-sequence-number")) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            lake__buf_printf(out, "%lld", (long long)s->sequence_number);
            e.wrote_sequence = true;
        } else if (is(key, key_len, "last-updated-ms")) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            lake__buf_printf(out, "%lld", (long long)now_ms);
            e.wrote_updated = true;
        } else {
            ok = lake__json_copy(&j, MAX_DEPTH, out);
        }
        if (!ok) break;
    }
    lake_arena_free(arena);
    if (!ok) return malformed(err, &j, "a member could not be copied");
    /* Members the old file did not have. */
    if (!e.wrote_snapshots) lake__buf_puts(out, ",\"snapshots\":["), add_snapshot(&e, out), lake__buf_putc(out, ']');
    if (!e.wrote_log) lake__buf_puts(out, ",\"snapshot-log\":["), add_log(&e, out), lake__buf_putc(out, ']');
    if (!e.wrote_metadata_log) lake__buf_puts(out, ",\"metadata-log\":["), add_metadata_log(&e, out), lake__buf_putc(out, ']');
    if (!e.wrote_refs) lake__buf_puts(out, ",\"refs\":{"), main_ref(&e, out), lake__buf_putc(out, '}');
    if (!e.wrote_current) lake__buf_printf(out, ",\"current-snapshot-id\":%lld", (long long)s->id);
    if (!e.wrote_sequence) lake__buf_printf(out, ",\"last-sequence-number\":%lld", (long long)s->sequence_number);
    if (!e.wrote_updated) lake__buf_printf(out, ",\"last-updated-ms\":%lld", (long long)now_ms);
    lake__buf_putc(out, '}');
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}
