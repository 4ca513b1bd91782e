/* SPDX-License-Identifier: MIT */
/* Arrow IPC streams: what lakeorm writes, pyarrow reads and validates in
 * full; what pyarrow writes (plain, ZSTD and LZ4_FRAME bodies), lakeorm reads back
 * into records; malformed streams are refused. */
#include <stdlib.h>
#include <unistd.h>

#include "arrow/ipc.h"
#include "lake_test.h"
#include "nested_rows.h"

typedef struct row {
    int64_t id;
    int8_t tiny;
    lake_opt_i32 maybe;
    double score;
    float ratio;
    bool flag;
    lake_str name;
    lake_bytes blob;
    lake_ts at;
    lake_date day;
    lake_opt_dec128 amount;
    lake_uuid uid;
} row;
static const lake_field row_fields[] = {
    LAKE_FIELD(row, id, "id", ""),        LAKE_FIELD(row, tiny, "tiny", ""),
    LAKE_FIELD(row, maybe, "maybe", ""),  LAKE_FIELD(row, score, "score", ""),
    LAKE_FIELD(row, ratio, "ratio", ""),  LAKE_FIELD(row, flag, "flag", ""),
    LAKE_FIELD(row, name, "name,nullable", ""), LAKE_FIELD(row, blob, "blob", ""),
    LAKE_FIELD(row, at, "at", ""),        LAKE_FIELD(row, day, "day", ""),
    LAKE_DECIMAL(row, amount, 38, 4, "amount", ""), LAKE_FIELD(row, uid, "uid", ""),
};
static const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);

enum { ROWS = 3000 };
static row rows[ROWS];
static const char NAME[] = "caf\xC3\xA9 \xF0\x9F\x98\x80";

static void make(void) {
    for (int i = 0; i < ROWS; i++) {
        row *r = &rows[i];
        memset(r, 0, sizeof *r);
        r->id = (int64_t)i * 1000003 - 7;
        r->tiny = (int8_t)(i % 256 - 128);
        r->maybe = (lake_opt_i32){i * 3, i % 3 != 0};
        r->score = i / 7.0;
        r->ratio = (float)i / 3;
        r->flag = i % 5 == 0;
        r->name = i % 4 ? (lake_str){NAME, sizeof NAME - 1} : (lake_str){NULL, 0};
        r->blob = (lake_bytes){(const uint8_t *)"\x00\x01\x02", (size_t)(i % 4)};
        r->at = (lake_ts){-86400000000LL + i * 1000001LL};
        r->day = (lake_date){-365 + i};
        r->amount = (lake_opt_dec128){{(uint64_t)(int64_t)(i - 1500) * 12345, i < 1500 ? -1 : 0}, i % 7 != 0};
        for (int k = 0; k < 16; k++) r->uid.b[k] = (uint8_t)(i * 31 + k);
    }
}

static char path[] = "/tmp/lake_arrow_XXXXXX";

static void pyarrow_reads_what_lakeorm_writes(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &row_model, &err), &err);
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, rows, ROWS, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", &err), &err);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' '%s/arrow_check.py' read '%s'", LAKE_PYTHON, LAKE_TEST_DATA, path);
    CHECK_EQ_INT(system(cmd), 0);
    lake__buf_dispose(&out);
}

typedef struct seen {
    size_t rows, same;
} seen;

static int compare(void *ctx, const void *record) {
    seen *k = ctx;
    const row *g = record, *w = &rows[k->rows++];
    bool same = g->id == w->id && g->tiny == w->tiny && g->maybe.valid == w->maybe.valid &&
                (!w->maybe.valid || g->maybe.v == w->maybe.v) && g->score == w->score && g->ratio == w->ratio &&
                g->flag == w->flag && (g->name.ptr == NULL) == (w->name.ptr == NULL) && g->name.len == w->name.len &&
                (!w->name.len || !memcmp(g->name.ptr, w->name.ptr, w->name.len)) && g->blob.len == w->blob.len &&
                (!w->blob.len || !memcmp(g->blob.ptr, w->blob.ptr, w->blob.len)) && g->at.us == w->at.us &&
                g->day.days == w->day.days && g->amount.valid == w->amount.valid &&
                (!w->amount.valid || (g->amount.v.lo == w->amount.v.lo && g->amount.v.hi == w->amount.v.hi)) &&
                !memcmp(g->uid.b, w->uid.b, 16);
    k->same += same;
    return LAKE_OK;
}

static int read_file(const char *file, seen *k, lake_error *err) {
    const lake_schema *s;
    lake_schema_of(&s, &row_model, NULL);
    FILE *f = fopen(file, "rb");
    if (!f) return -1;
    static char data[1 << 24];
    size_t len = fread(data, 1, sizeof data, f);
    fclose(f);
    lake_arena *arena;
    lake_arena_new(&arena);
    int rc = lake__arrow_read(data, len, s, arena, true, compare, k, err);
    lake_arena_free(arena);
    return rc;
}

static void lakeorm_reads_what_it_writes_and_what_pyarrow_writes(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &row_model, &err), &err);
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, rows, ROWS, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    seen k = {0, 0};
    CHECK_OK(lake__arrow_read(out.data, out.len, s, arena, true, compare, &k, &err), &err);
    CHECK_EQ_INT(k.rows, ROWS);
    CHECK_EQ_INT(k.same, ROWS);
    /* Every truncation of the stream is refused cleanly, never read past. */
    for (size_t cut = 0; cut < out.len; cut += cut < 2000 ? 1 : 997) {
        k = (seen){0, 0};
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, out.data, cut);
        CHECK(lake__arrow_read(copy, cut, s, arena, true, compare, &k, &err) != LAKE_OK);
        free(copy);
    }
    lake_arena_free(arena);
    lake__buf_dispose(&out);
    static const char *const codecs[] = {"", "zstd", "lz4"};
    for (int codec = 0; codec < 3; codec++) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd, "'%s' '%s/arrow_check.py' write '%s' %s", LAKE_PYTHON, LAKE_TEST_DATA, path,
                 codecs[codec]);
        CHECK_EQ_INT(system(cmd), 0);
        k = (seen){0, 0};
        CHECK_OK(read_file(path, &k, &err), &err); /* three batches; the extra column is dropped */
        CHECK_EQ_INT(k.rows, ROWS);
        CHECK_EQ_INT(k.same, ROWS);
    }
    lake_error_clear(&err);
}

typedef struct needs_more {
    int64_t id;
    lake_str missing;
} needs_more;
static const lake_field needs_more_fields[] = {LAKE_FIELD(needs_more, id, "id", ""),
                                               LAKE_FIELD(needs_more, missing, "missing", "")};
static const lake_model needs_more_model = LAKE_MODEL(needs_more, "x", needs_more_fields);

typedef struct narrow {
    int8_t id;
} narrow;
static const lake_field narrow_fields[] = {LAKE_FIELD(narrow, id, "id", "")};
static const lake_model narrow_model = LAKE_MODEL(narrow, "x", narrow_fields);

static int ignore(void *ctx, const void *record) {
    (void)ctx, (void)record;
    return LAKE_OK;
}

static void mismatches_are_named(void) {
    const lake_schema *s, *more, *small;
    lake_error err = LAKE_ERROR_INIT;
    lake_schema_of(&s, &row_model, NULL);
    lake_schema_of(&more, &needs_more_model, NULL);
    lake_schema_of(&small, &narrow_model, NULL);
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, rows, ROWS, NULL, &err), &err);
    lake_arena *arena;
    lake_arena_new(&arena);
    CHECK_STATUS(lake__arrow_read(out.data, out.len, more, arena, true, ignore, NULL, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "no column \"missing\"");
    CHECK_STATUS(lake__arrow_read(out.data, out.len, small, arena, true, ignore, NULL, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "does not fit");
    lake_arena_free(arena);
    lake__buf_dispose(&out);
    lake_error_clear(&err);
}

/* Struct columns: members depth first, nested structs, nullable members. */
typedef struct geo {
    double lat;
    lake_opt_i32 floor;
} geo;
static const lake_field geo_fields[] = {LAKE_FIELD(geo, lat, "lat", ""), LAKE_FIELD(geo, floor, "floor", "")};
static const lake_model geo_model = LAKE_MODEL(geo, "geo", geo_fields);
typedef struct address {
    lake_str city;
    geo where;
    lake_str zip;
} address;
static const lake_field address_fields[] = {LAKE_FIELD(address, city, "city", ""),
                                            LAKE_STRUCT(address, where, geo, geo_model, "where", ""),
                                            LAKE_FIELD(address, zip, "zip,nullable", "")};
static const lake_model address_model = LAKE_MODEL(address, "address", address_fields);
typedef struct person {
    int64_t id;
    address home;
    lake_str name;
} person;
static const lake_field person_fields[] = {LAKE_FIELD(person, id, "id", ""),
                                           LAKE_STRUCT(person, home, address, address_model, "home", ""),
                                           LAKE_FIELD(person, name, "name", "")};
static const lake_model person_model = LAKE_MODEL(person, "people", person_fields);

static int compare_people(void *ctx, const void *record) {
    size_t *n = ctx;
    const person *p = record;
    int64_t i = (int64_t)(*n)++;
    bool ok = p->id == i && p->home.city.len == 7 && !memcmp(p->home.city.ptr, "Utrecht", 7) &&
              p->home.where.lat == (double)i / 2 && p->home.where.floor.valid == (i % 3 != 0) &&
              (!p->home.where.floor.valid || p->home.where.floor.v == (int32_t)i) &&
              (p->home.zip.ptr != NULL) == (i % 2 == 0) && p->name.len == 3;
    return ok ? 0 : LAKE_ERROR;
}

static void structs_travel_both_ways(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &person_model, &err), &err);
    enum { N = 50 };
    person people[N];
    memset(people, 0, sizeof people);
    for (int i = 0; i < N; i++) {
        people[i].id = i;
        people[i].home.city = (lake_str){"Utrecht", 7};
        people[i].home.where.lat = (double)i / 2;
        people[i].home.where.floor = (lake_opt_i32){i, i % 3 != 0};
        if (i % 2 == 0) people[i].home.zip = (lake_str){"3511", 4};
        people[i].name = (lake_str){"ann", 3};
    }
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, people, N, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    size_t n = 0;
    CHECK_OK(lake__arrow_read(out.data, out.len, s, arena, true, compare_people, &n, &err), &err);
    CHECK_EQ_INT(n, N);
    /* pyarrow validates it in full and sees the same values; then writes the
     * table back (its own layout), which lakeorm reads the same. */
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' -c \"import pyarrow as pa, sys; t = pa.ipc.open_stream(open(sys.argv[1], 'rb').read()).read_all(); "
             "t.validate(full=True); h = t.column('home').to_pylist(); "
             "assert h[3] == {'city': 'Utrecht', 'where': {'lat': 1.5, 'floor': None}, 'zip': None}, h[3]; "
             "assert h[4] == {'city': 'Utrecht', 'where': {'lat': 2.0, 'floor': 4}, 'zip': '3511'}, h[4]; "
             "fh = open(sys.argv[1], 'wb'); w = pa.ipc.new_stream(fh, t.schema); w.write_table(t, max_chunksize=7); w.close(); fh.close()\" '%s'",
             LAKE_PYTHON, path);
    CHECK_EQ_INT(system(cmd), 0);
    f = fopen(path, "rb");
    char *data = malloc(1 << 20);
    size_t len = fread(data, 1, 1 << 20, f);
    fclose(f);
    n = 0;
    CHECK_OK(lake__arrow_read(data, len, s, arena, true, compare_people, &n, &err), &err);
    CHECK_EQ_INT(n, N);
    free(data);
    lake_arena_free(arena);
    lake__buf_dispose(&out);
}

/* Every nested shape (nested_rows.h): lakeorm writes, reads back, and
 * pyarrow validates and compares value by value; pyarrow writes (lists and
 * large lists, its own child names, small batches), lakeorm reads the same. */
enum { EVENTS = 60 };
static event events[EVENTS];
static char event_pool[1 << 20];

typedef struct event_seen {
    const lake_schema *s;
    size_t rows, same;
} event_seen;

static int compare_event(void *ctx, const void *record) {
    event_seen *k = ctx;
    k->same += k->rows < EVENTS && lake_test_records_equal(k->s, record, &events[k->rows]);
    k->rows++;
    return LAKE_OK;
}

static int read_events_file(const lake_schema *s, event_seen *k, lake_arena *arena, lake_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char *data = malloc(1 << 20);
    size_t len = fread(data, 1, 1 << 20, f);
    fclose(f);
    int rc = lake__arrow_read(data, len, s, arena, true, compare_event, k, err);
    free(data);
    return rc;
}

static void nested_shapes_travel_both_ways(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    nested_pool pool = {event_pool, event_pool + sizeof event_pool};
    for (int i = 0; i < EVENTS; i++) nested_event_make(&events[i], i, &pool);
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, events, EVENTS, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    event_seen k = {s, 0, 0};
    CHECK_OK(lake__arrow_read(out.data, out.len, s, arena, true, compare_event, &k, &err), &err);
    CHECK_EQ_INT(k.rows, EVENTS);
    CHECK_EQ_INT(k.same, EVENTS);
    for (size_t cut = 0; cut < out.len; cut += cut < 3000 ? 1 : 101) { /* never read past what is there */
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, out.data, cut);
        k = (event_seen){s, 0, 0};
        CHECK(lake__arrow_read(copy, cut, s, arena, true, compare_event, &k, &err) != LAKE_OK);
        free(copy);
    }
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' '%s/nested/event_rows.py' read '%s' %d", LAKE_PYTHON, LAKE_TEST_DATA, path, EVENTS);
    CHECK_EQ_INT(system(cmd), 0);
    static const char *const layouts[] = {"", "large"};
    for (int l = 0; l < 2; l++) {
        snprintf(cmd, sizeof cmd, "'%s' '%s/nested/event_rows.py' write '%s' %d %s", LAKE_PYTHON, LAKE_TEST_DATA,
                 path, EVENTS, layouts[l]);
        CHECK_EQ_INT(system(cmd), 0);
        k = (event_seen){s, 0, 0};
        CHECK_OK(read_events_file(s, &k, arena, &err), &err);
        CHECK_EQ_INT(k.rows, EVENTS);
        CHECK_EQ_INT(k.same, EVENTS);
    }
    lake_arena_free(arena);
    lake__buf_dispose(&out);
    lake_error_clear(&err);
}

/* A stream whose third record is wrong in one way: refused with
 * LAKE_EMISMATCH naming the column and, nested, where the value lies. */
static void refuses(const lake_schema *s, lake_arena *arena, const char *kind, const char *says, const char *at) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' '%s/nested/event_rows.py' bad '%s' %s", LAKE_PYTHON, LAKE_TEST_DATA, path, kind);
    CHECK_EQ_INT(system(cmd), 0);
    lake_error err = LAKE_ERROR_INIT;
    event_seen k = {s, 0, 0};
    CHECK_STATUS(read_events_file(s, &k, arena, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, says);
    CHECK_CONTAINS(err.message, at);
    lake_error_clear(&err);
}

static void nested_mismatches_are_named_with_their_path(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    refuses(s, arena, "int_keys", "is a map with int32 keys: lakeorm reads maps with string keys only", "\"attrs\"");
    refuses(s, arena, "dup_keys", "holds a map with the key \"color\" twice", "(at /attrs/color, row 2)");
    refuses(s, arena, "null_tag", "NULL in result column \"element\", but its field is not nullable",
            "(at /items/0/tags/1, row 2)");
    refuses(s, arena, "null_city", "NULL in result column \"city\"", "(at /shipping/city, row 2)");
    refuses(s, arena, "string_scores", "(text) cannot be read into a int64 field", "(at /scores/element/element)");
    lake_arena_free(arena);
}

/* Lists of nullable structs with NULL members, and maps of structs. */
typedef struct part {
    lake_str name;
    lake_opt_i32 n;
} part;
static const lake_field part_fields[] = {LAKE_FIELD(part, name, "name,nullable", ""), LAKE_FIELD(part, n, "n", "")};
static const lake_model part_model = LAKE_MODEL(part, "part", part_fields);
LAKE_LIST_TYPE(part_ptrs, part *);
LAKE_MAP_TYPE(part_map, part);
typedef struct box {
    int64_t id;
    part_ptrs parts;
    part_map by_name;
} box;
static const lake_field box_fields[] = {
    LAKE_FIELD(box, id, "id", ""),
    LAKE_LIST_OF(box, parts, part *, LAKE_ELEM_STRUCT_PTR(part, part_model), "parts", ""),
    LAKE_MAP_STRUCT(box, by_name, part, part_model, "by_name", ""),
};
static const lake_model box_model = LAKE_MODEL(box, "boxes", box_fields);

static box boxes[3];

static int compare_box(void *ctx, const void *record) {
    event_seen *k = ctx;
    k->same += k->rows < 3 && lake_test_records_equal(k->s, record, &boxes[k->rows]);
    k->rows++;
    return LAKE_OK;
}

static void structs_in_lists_and_maps_keep_their_nulls(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &box_model, &err), &err);
    static part a = {{"a", 1}, {1, true}}, anonymous = {{NULL, 0}, {0, false}};
    static part *parts0[] = {&a, NULL, &anonymous}, *parts2[] = {NULL};
    static part_map_entry x[] = {{{"x", 1}, {{"b", 1}, {0, false}}}}, y[] = {{{"y", 1}, {{NULL, 0}, {7, true}}}};
    boxes[0] = (box){0, {parts0, 3}, {x, 1}};
    boxes[1] = (box){1, {LAKE_EMPTY, 0}, {LAKE_EMPTY, 0}};
    boxes[2] = (box){2, {parts2, 1}, {y, 1}};
    lake__buf out = LAKE__BUF_INIT;
    CHECK_OK(lake__arrow_write(&out, s, boxes, 3, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    event_seen k = {s, 0, 0};
    CHECK_OK(lake__arrow_read(out.data, out.len, s, arena, true, compare_box, &k, &err), &err);
    CHECK_EQ_INT(k.same, 3);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(out.data, 1, out.len, f) == out.len);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "'%s' -c \"import pyarrow as pa, sys; t = pa.ipc.open_stream(open(sys.argv[1], 'rb').read()).read_all(); "
             "t.validate(full=True); "
             "assert t.column('parts').to_pylist() == [[{'name': 'a', 'n': 1}, None, {'name': None, 'n': None}], [], [None]]; "
             "assert t.column('by_name').to_pylist() == [[('x', {'name': 'b', 'n': None})], [], [('y', {'name': None, 'n': 7})]]; "
             "fh = open(sys.argv[1], 'wb'); w = pa.ipc.new_stream(fh, t.schema); w.write_table(t, max_chunksize=2); w.close(); fh.close()\" '%s'",
             LAKE_PYTHON, path);
    CHECK_EQ_INT(system(cmd), 0);
    f = fopen(path, "rb");
    char *data = malloc(1 << 16);
    size_t len = fread(data, 1, 1 << 16, f);
    fclose(f);
    k = (event_seen){s, 0, 0};
    CHECK_OK(lake__arrow_read(data, len, s, arena, true, compare_box, &k, &err), &err);
    CHECK_EQ_INT(k.same, 3);
    free(data);
    lake_arena_free(arena);
    lake__buf_dispose(&out);
}

int main(void) {
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    make();
    LAKE_RUN(pyarrow_reads_what_lakeorm_writes);
    LAKE_RUN(lakeorm_reads_what_it_writes_and_what_pyarrow_writes);
    LAKE_RUN(mismatches_are_named);
    LAKE_RUN(structs_travel_both_ways);
    LAKE_RUN(nested_shapes_travel_both_ways);
    LAKE_RUN(nested_mismatches_are_named_with_their_path);
    LAKE_RUN(structs_in_lists_and_maps_keep_their_nulls);
    unlink(path);
    return lake_test_summary();
}
