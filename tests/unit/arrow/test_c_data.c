/* SPDX-License-Identifier: MIT */
/* The Arrow C Data Interface: records exported and imported back equal
 * themselves (every type, NULLs at every level, sliced arrays); hand-built
 * arrays of the types only producers make (views, dictionaries, large
 * types, unsigned integers, nanoseconds, rescaled decimals, fixed-size
 * lists) import as documented; every schema error and value issue says
 * what docs/arrow.md says; query results stream out in batches. */
#include <errno.h>

#include "json/render.h"
#include "lake_test.h"
#include "util/buf.h"

/* ---- a model of every type */

typedef struct point {
    int32_t x;
    lake_str label;
} point;
static const lake_field point_fields[] = {
    LAKE_FIELD(point, x, "x", ""),
    LAKE_FIELD(point, label, "label,nullable", ""),
};
static const lake_model point_model = LAKE_MODEL(point, "points", point_fields);
LAKE_LIST_TYPE(point_list, point);
LAKE_LIST_TYPE(opt_i64_list, lake_opt_i64);
LAKE_LIST_TYPE(grid_t, lake_list_i32);

typedef struct every {
    bool b;
    int8_t i8;
    int16_t i16;
    lake_opt_i32 i32;
    int64_t i64;
    float f32;
    lake_opt_f64 f64;
    lake_str s;
    lake_bytes raw;
    lake_opt_ts at;
    lake_date day;
    lake_opt_dec128 amount;
    lake_uuid id;
    lake_ksuid kid;
    lake_json doc;
    point spot;
    point *maybe;
    opt_i64_list nums;
    lake_map_str tags;
    point_list pts;
    grid_t grid;
} every;
static const lake_field every_fields[] = {
    LAKE_FIELD(every, b, "b", ""),
    LAKE_FIELD(every, i8, "i8", ""),
    LAKE_FIELD(every, i16, "i16", ""),
    LAKE_FIELD(every, i32, "i32", ""),
    LAKE_FIELD(every, i64, "i64", ""),
    LAKE_FIELD(every, f32, "f32", ""),
    LAKE_FIELD(every, f64, "f64", ""),
    LAKE_FIELD(every, s, "s,nullable", ""),
    LAKE_FIELD(every, raw, "raw,nullable", ""),
    LAKE_FIELD(every, at, "at", ""),
    LAKE_FIELD(every, day, "day", ""),
    LAKE_DECIMAL(every, amount, 18, 2, "amount", ""),
    LAKE_FIELD(every, id, "id", ""),
    LAKE_FIELD(every, kid, "kid", ""),
    LAKE_FIELD(every, doc, "doc,nullable", ""),
    LAKE_STRUCT(every, spot, point, point_model, "spot", ""),
    LAKE_STRUCT_PTR(every, maybe, point, point_model, "maybe", ""),
    LAKE_LIST_OF(every, nums, lake_opt_i64, LAKE_ELEM(lake_opt_i64), "nums,nullable", ""),
    LAKE_MAP(every, tags, "tags,nullable", ""),
    LAKE_LIST_STRUCT(every, pts, point, point_model, "pts", ""),
    LAKE_LIST_OF(every, grid, lake_list_i32, LAKE_ELEM_LIST_NULLABLE(lake_list_i32, LAKE_ELEM(int32_t)), "grid", ""),
};
static const lake_model every_model = LAKE_MODEL(every, "every", every_fields);

enum { ROWS = 5 };
static every rows[ROWS];
static point points[ROWS];
static lake_opt_i64 num_items[3] = {{1, true}, {0, false}, {-3, true}};
static lake_map_str_entry tag_items[2] = {{{"k", 1}, {"v", 1}}, {{"n", 1}, {"", 0}}};
static point pt_items[2] = {{7, {"seven", 5}}, {8, {NULL, 0}}};
static int32_t cells[3] = {1, 2, 3};
static lake_list_i32 grid_items[3] = {{cells, 2}, {NULL, 0}, {cells + 2, 1}};

static void make(void) {
    memset(rows, 0, sizeof rows);
    for (int i = 0; i < ROWS; i++) {
        every *r = &rows[i];
        bool odd = i % 2;
        r->b = odd;
        r->i8 = (int8_t)(-100 + i);
        r->i16 = (int16_t)(30000 + i);
        r->i32 = (lake_opt_i32){i * 1000, !odd};
        r->i64 = INT64_MIN + i;
        r->f32 = 1.5f * (float)i;
        r->f64 = (lake_opt_f64){-0.25 * i, odd};
        r->s = odd ? (lake_str){NULL, 0} : i == 2 ? (lake_str){"", 0} : (lake_str){"caf\xC3\xA9", 5};
        r->raw = odd ? (lake_bytes){(const uint8_t *)"\x00\xff", 2} : (lake_bytes){NULL, 0};
        r->at = (lake_opt_ts){{-1000001 + i * 86400000000LL}, i != 3};
        r->day = (lake_date){-719162 + i * 1000};
        r->amount = (lake_opt_dec128){{(uint64_t)(int64_t)(i * 12345 - 30000), i * 12345 - 30000 < 0 ? -1 : 0}, i != 4};
        for (int k = 0; k < 16; k++) r->id.b[k] = (uint8_t)(i * 16 + k);
        for (int k = 0; k < 20; k++) r->kid.b[k] = (uint8_t)(i + k);
        r->doc = i == 0 ? (lake_json){NULL, 0} : (lake_json){"{\"a\":[1,2.50e3]}", 16};
        r->spot = (point){i, odd ? (lake_str){NULL, 0} : (lake_str){"spot", 4}};
        points[i] = (point){-i, {"m", 1}};
        r->maybe = odd ? NULL : &points[i];
        r->nums = i == 1 ? (opt_i64_list){NULL, 0} : i == 2 ? (opt_i64_list){LAKE_EMPTY, 0} : (opt_i64_list){num_items, 3};
        r->tags = i == 3 ? (lake_map_str){NULL, 0} : (lake_map_str){tag_items, (size_t)(i % 3)};
        r->pts = (point_list){pt_items, (size_t)(i % 3)};
        r->grid = (grid_t){grid_items, (size_t)(i % 4)};
    }
}

/* Each record as the JSON the library renders, one line each. */
static char *render(const lake_schema *s, const void *records, size_t n) {
    lake__buf b = LAKE__BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        CHECK(!lake__json_write_record(&b, s, (const char *)records + i * lake_schema_record_size(s)));
        lake__buf_putc(&b, '\n');
    }
    return lake__buf_detach(&b, NULL);
}

static void round_trip(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &every_model, &err), &err);
    make();
    struct ArrowSchema type;
    struct ArrowArray array;
    CHECK_OK(lake_arrow_export_schema(s, &type, &err), &err);
    CHECK_OK(lake_arrow_export(s, rows, ROWS, &array, &err), &err);
    CHECK_EQ_STR(type.format, "+s");
    CHECK_EQ_INT(type.n_children, 21);
    CHECK_EQ_STR(type.children[9]->format, "tsu:UTC");
    CHECK_EQ_STR(type.children[11]->format, "d:18,2");
    CHECK_EQ_STR(type.children[12]->format, "w:16");
    CHECK(type.children[12]->metadata && memmem(type.children[12]->metadata, 60, "arrow.uuid", 10));
    CHECK_EQ_STR(type.children[14]->format, "u");
    CHECK(type.children[14]->metadata && memmem(type.children[14]->metadata, 60, "arrow.json", 10));
    CHECK_EQ_STR(type.children[18]->format, "+m");
    CHECK_EQ_STR(type.children[18]->children[0]->name, "entries");
    CHECK_EQ_INT(type.children[18]->children[0]->flags, 0);
    CHECK_EQ_INT(type.children[0]->flags, 0);
    CHECK_EQ_INT(type.children[3]->flags, ARROW_FLAG_NULLABLE);
    CHECK_EQ_INT(array.length, ROWS);
    CHECK_EQ_INT(array.children[3]->null_count, 2);

    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *back;
    size_t n;
    CHECK_OK(lake_arrow_import(s, &type, &array, 0, arena, &back, &n, &err), &err);
    CHECK_EQ_INT(n, ROWS);
    char *want = render(s, rows, ROWS), *got = render(s, back, n);
    CHECK_EQ_STR(got, want);
    /* zero-copy: the strings point into the array's buffers */
    const every *e = back;
    CHECK(e[0].s.ptr == (const char *)array.children[7]->buffers[2]);
    lake_free(back);
    lake_free(got);

    /* sliced: the top-level offset applies to every column */
    array.offset = 2;
    array.length = 3;
    CHECK_OK(lake_arrow_import(s, &type, &array, 10, arena, &back, &n, &err), &err);
    CHECK_EQ_INT(n, 3);
    char *tail = render(s, rows + 2, 3);
    got = render(s, back, n);
    CHECK_EQ_STR(got, tail);
    lake_free(back);
    lake_free(got);
    lake_free(tail);
    lake_free(want);

    /* a consumer may move a child out and release it on its own */
    struct ArrowArray moved = *array.children[20];
    array.children[20]->release = NULL;
    moved.release(&moved);
    CHECK(moved.release == NULL);
    array.release(&array);
    CHECK(array.release == NULL);
    type.release(&type);
    lake_arena_free(arena);
    lake_error_clear(&err);
}

/* ---- hand-built arrays */

static void keep_schema(struct ArrowSchema *s) { (void)s; }
static void keep_array(struct ArrowArray *a) { (void)a; }
#define TYPE(fmt, nm, n, kids) ((struct ArrowSchema){fmt, nm, NULL, ARROW_FLAG_NULLABLE, n, kids, NULL, keep_schema, NULL})
#define ARRAY(len, nulls, off, nbuf, bufs, n, kids) \
    ((struct ArrowArray){len, nulls, off, nbuf, n, (const void **)(bufs), kids, NULL, keep_array, NULL})

typedef struct imported {
    int rc;
    lake_schema *s;
    lake_arena *arena;
    lake_error err;
    char *json; /* the records rendered, one line each */
    void *records;
    size_t n;
} imported;

/* Imports one column `type`/`array` of `length` rows into records of the
 * schema file's fields (schema_fields: a JSON array). */
static imported import1(const char *schema_fields, struct ArrowSchema *type, struct ArrowArray *array, int64_t length) {
    imported im = {0};
    im.err = (lake_error)LAKE_ERROR_INIT;
    char text[2048];
    snprintf(text, sizeof text, "{\"table\":\"t\",\"fields\":%s}", schema_fields);
    CHECK_OK(lake_schema_parse(&im.s, text, strlen(text), &im.err), &im.err);
    CHECK_OK(lake_arena_new(&im.arena), NULL);
    struct ArrowSchema *types[] = {type};
    struct ArrowArray *arrays[] = {array};
    struct ArrowSchema top = TYPE("+s", "", 1, types);
    const void *top_bufs[] = {NULL};
    struct ArrowArray batch = ARRAY(length, 0, 0, 1, top_bufs, 1, arrays);
    im.rc = lake_arrow_import(im.s, &top, &batch, 0, im.arena, &im.records, &im.n, &im.err);
    if (im.records) im.json = render(im.s, im.records, im.n);
    return im;
}

static void dispose(imported *im) {
    lake_free(im->records);
    lake_free(im->json);
    lake_schema_free(im->s);
    lake_arena_free(im->arena);
    lake_error_clear(&im->err);
}

static const lake_issue *issue(const imported *im, size_t i) { return lake_issues_get(im->err.issues, i); }

static void utf8_views_inline_and_out_of_line(void) {
    /* three views: "short" inline, a 20-byte string in buffer 1 at offset 3, NULL */
    const char *data1 = "xxxabcdefghijklmnopqrst";
    uint8_t views[48] = {0};
    int32_t n0 = 5, n1 = 20, buf = 1, off = 3;
    memcpy(views, &n0, 4);
    memcpy(views + 4, "short", 5);
    memcpy(views + 16, &n1, 4);
    memcpy(views + 20, "abcd", 4);
    memcpy(views + 24, &buf, 4);
    memcpy(views + 28, &off, 4);
    uint8_t valid = 0x3;
    int64_t sizes[2] = {0, 23};
    const void *bufs[] = {&valid, views, "", data1, sizes};
    struct ArrowSchema t = TYPE("vu", "s", 0, NULL);
    struct ArrowArray a = ARRAY(3, 1, 0, 5, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"s,nullable\",\"type\":\"string\"}]", &t, &a, 3);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"s\":\"short\"}\n{\"s\":\"abcdefghijklmnopqrst\"}\n{\"s\":null}\n");
    dispose(&im);
}

static void dictionary_strings_read_their_values(void) {
    /* polars' categoricals: int32 indices into a utf8 dictionary, sliced by 1 */
    int32_t offsets[] = {0, 3, 6};
    const void *dict_bufs[] = {NULL, offsets, "redblu"};
    struct ArrowArray dict = ARRAY(2, 0, 0, 3, dict_bufs, 0, NULL);
    int32_t idx[] = {0, 1, 0, 1};
    uint8_t valid = 0xB; /* index 2 is NULL */
    const void *bufs[] = {&valid, idx};
    struct ArrowSchema dt = TYPE("u", NULL, 0, NULL);
    struct ArrowSchema t = TYPE("i", "c", 0, NULL);
    t.dictionary = &dt;
    struct ArrowArray a = ARRAY(3, 1, 1, 2, bufs, 0, NULL);
    a.dictionary = &dict;
    imported im = import1("[{\"tag\":\"c,nullable\",\"type\":\"string\"}]", &t, &a, 3);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"c\":\"blu\"}\n{\"c\":null}\n{\"c\":\"blu\"}\n");
    dispose(&im);
}

static void large_utf8_and_large_binary(void) {
    int64_t offsets[] = {0, 2, 5};
    const void *bufs[] = {NULL, offsets, "hiyou"};
    struct ArrowSchema t = TYPE("U", "s", 0, NULL);
    struct ArrowArray a = ARRAY(2, 0, 0, 3, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"s\",\"type\":\"string\"}]", &t, &a, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"s\":\"hi\"}\n{\"s\":\"you\"}\n");
    dispose(&im);
    struct ArrowSchema tb = TYPE("Z", "b", 0, NULL);
    im = import1("[{\"tag\":\"b\",\"type\":\"bytes\"}]", &tb, &a, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"b\":\"aGk=\"}\n{\"b\":\"eW91\"}\n");
    dispose(&im);
}

static void unsigned_integers_narrow_with_range_checks(void) {
    uint64_t big[] = {5, UINT64_MAX, 127, 128};
    const void *bufs[] = {NULL, big};
    struct ArrowSchema t = TYPE("L", "n", 0, NULL);
    struct ArrowArray a = ARRAY(4, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"n\",\"type\":\"int8\"}]", &t, &a, 4);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(im.json, "{\"n\":5}\n{\"n\":0}\n{\"n\":127}\n{\"n\":0}\n");
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 2);
    CHECK_EQ_STR(issue(&im, 0)->rule, "range");
    CHECK_EQ_STR(issue(&im, 0)->path, "/n");
    CHECK_EQ_INT(issue(&im, 0)->record, 1);
    CHECK_EQ_INT(issue(&im, 1)->record, 3);
    dispose(&im);
    uint8_t small[] = {0, 255};
    const void *sbufs[] = {NULL, small};
    struct ArrowSchema ts = TYPE("C", "n", 0, NULL);
    struct ArrowArray as = ARRAY(2, 0, 0, 2, sbufs, 0, NULL);
    im = import1("[{\"tag\":\"n\",\"type\":\"int16\"}]", &ts, &as, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"n\":0}\n{\"n\":255}\n");
    dispose(&im);
}

static void floats_narrow_with_range_checks(void) {
    double d[] = {1.5, 1e300};
    const void *bufs[] = {NULL, d};
    struct ArrowSchema t = TYPE("g", "f", 0, NULL);
    struct ArrowArray a = ARRAY(2, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"f\",\"type\":\"float32\"}]", &t, &a, 2);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(im.json, "{\"f\":1.5}\n{\"f\":0}\n");
    CHECK_EQ_STR(issue(&im, 0)->rule, "range");
    dispose(&im);
}

static void timestamps_of_every_unit_with_a_zone(void) {
    int64_t ns[] = {1500, 1000, -2000};
    const void *bufs[] = {NULL, ns};
    struct ArrowSchema t = TYPE("tsn:Europe/Paris", "at", 0, NULL);
    struct ArrowArray a = ARRAY(3, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"at\",\"type\":\"timestamp\"}]", &t, &a, 3);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION); /* 1500 ns: a sub-microsecond remainder */
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 1);
    CHECK_EQ_STR(issue(&im, 0)->rule, "range");
    CHECK_EQ_INT(issue(&im, 0)->record, 0);
    CHECK_EQ_STR(im.json, "{\"at\":\"1970-01-01T00:00:00Z\"}\n{\"at\":\"1970-01-01T00:00:00.000001Z\"}\n"
                          "{\"at\":\"1969-12-31T23:59:59.999998Z\"}\n");
    dispose(&im);
    int64_t s[] = {86400};
    const void *sbufs[] = {NULL, s};
    struct ArrowSchema ts = TYPE("tss:+01:00", "at", 0, NULL);
    struct ArrowArray as = ARRAY(1, 0, 0, 2, sbufs, 0, NULL);
    im = import1("[{\"tag\":\"at\",\"type\":\"timestamp\"}]", &ts, &as, 1);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"at\":\"1970-01-02T00:00:00Z\"}\n");
    dispose(&im);
    struct ArrowSchema naive = TYPE("tsu:", "at", 0, NULL);
    im = import1("[{\"tag\":\"at\",\"type\":\"timestamp\"}]", &naive, &as, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    CHECK_CONTAINS(im.err.message, "without a time zone");
    CHECK_CONTAINS(im.err.message, "\"at\"");
    CHECK(im.records == NULL);
    dispose(&im);
}

static void dates_of_days_and_milliseconds(void) {
    int64_t ms[] = {86400000LL * 3, -1};
    const void *bufs[] = {NULL, ms};
    struct ArrowSchema t = TYPE("tdm", "d", 0, NULL);
    struct ArrowArray a = ARRAY(2, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"d\",\"type\":\"date\"}]", &t, &a, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"d\":\"1970-01-04\"}\n{\"d\":\"1969-12-31\"}\n");
    dispose(&im);
}

static void decimals_rescale_exactly_or_report_range(void) {
    /* d:10,1 into decimal(12,3): 12.5 -> 12.500; d:10,4 into (12,3): 1.2345 loses a digit */
    int64_t v[4] = {125, 0, 12345, 0};
    const void *bufs[] = {NULL, v};
    struct ArrowSchema up = TYPE("d:10,1", "x", 0, NULL);
    struct ArrowArray a = ARRAY(1, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"x\",\"type\":\"decimal(12,3)\"}]", &up, &a, 1);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"x\":12.500}\n");
    dispose(&im);
    struct ArrowSchema down = TYPE("d:10,4,128", "x", 0, NULL);
    struct ArrowArray a2 = ARRAY(1, 0, 1, 2, bufs, 0, NULL); /* offset 1: the second value */
    im = import1("[{\"tag\":\"x\",\"type\":\"decimal(12,3)\"}]", &down, &a2, 1);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(issue(&im, 0)->rule, "range");
    dispose(&im);
    struct ArrowSchema wide = TYPE("d:40,2", "x", 0, NULL);
    im = import1("[{\"tag\":\"x\",\"type\":\"decimal(12,3)\"}]", &wide, &a, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    dispose(&im);
}

static void fixed_size_lists_and_large_lists(void) {
    int16_t items[] = {1, 2, 3, 4, 5, 6};
    const void *ibufs[] = {NULL, items};
    struct ArrowSchema it = TYPE("s", "item", 0, NULL);
    struct ArrowArray ia = ARRAY(6, 0, 0, 2, ibufs, 0, NULL);
    struct ArrowSchema *its[] = {&it};
    struct ArrowArray *ias[] = {&ia};
    const void *fbufs[] = {NULL};
    struct ArrowSchema t = TYPE("+w:2", "l", 1, its);
    struct ArrowArray a = ARRAY(2, 0, 1, 1, fbufs, 1, ias);
    imported im = import1("[{\"tag\":\"l\",\"type\":\"list<int64>\"}]", &t, &a, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"l\":[3,4]}\n{\"l\":[5,6]}\n");
    dispose(&im);
    int64_t offsets[] = {0, 1, 1, 6};
    uint8_t valid = 0x5;
    const void *lbufs[] = {&valid, offsets};
    struct ArrowSchema lt = TYPE("+L", "l", 1, its);
    struct ArrowArray la = ARRAY(3, 1, 0, 2, lbufs, 1, ias);
    im = import1("[{\"tag\":\"l,nullable\",\"type\":\"list<int32>\"}]", &lt, &la, 3);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"l\":[1]}\n{\"l\":null}\n{\"l\":[2,3,4,5,6]}\n");
    dispose(&im);
}

static void sliced_children_keep_their_own_offsets(void) {
    /* a struct sliced by 1 whose member is sliced by 2: row 0 reads item 3 */
    int32_t xs[] = {10, 11, 12, 13, 14};
    const void *xbufs[] = {NULL, xs};
    struct ArrowSchema xt = TYPE("i", "x", 0, NULL);
    struct ArrowArray xa = ARRAY(3, 0, 2, 2, xbufs, 0, NULL);
    struct ArrowSchema *xts[] = {&xt};
    struct ArrowArray *xas[] = {&xa};
    const void *sbufs[] = {NULL};
    struct ArrowSchema t = TYPE("+s", "p", 1, xts);
    struct ArrowArray a = ARRAY(2, 0, 1, 1, sbufs, 1, xas);
    imported im = import1("[{\"tag\":\"p\",\"type\":\"struct\",\"fields\":[{\"tag\":\"x\",\"type\":\"int32\"}]}]", &t,
                          &a, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"p\":{\"x\":13}}\n{\"p\":{\"x\":14}}\n");
    dispose(&im);
}

/* A map<string,int32> of two rows: {"a":1,"b":2} and {"a":3,"a":4}. */
static void maps_report_duplicate_keys_and_null_values(void) {
    int32_t koff[] = {0, 1, 2, 3, 4};
    const void *kbufs[] = {NULL, koff, "abaa"};
    int32_t vals[] = {1, 2, 3, 4};
    uint8_t vvalid = 0xD; /* the second value is NULL */
    const void *vbufs[] = {&vvalid, vals};
    struct ArrowSchema kt = TYPE("u", "key", 0, NULL), vt = TYPE("i", "value", 0, NULL);
    kt.flags = 0;
    struct ArrowArray ka = ARRAY(4, 0, 0, 3, kbufs, 0, NULL), va = ARRAY(4, 1, 0, 2, vbufs, 0, NULL);
    struct ArrowSchema *ets[] = {&kt, &vt};
    struct ArrowArray *eas[] = {&ka, &va};
    const void *ebufs[] = {NULL};
    struct ArrowSchema et = TYPE("+s", "entries", 2, ets);
    struct ArrowArray ea = ARRAY(4, 0, 0, 1, ebufs, 2, eas);
    struct ArrowSchema *mts[] = {&et};
    struct ArrowArray *mas[] = {&ea};
    int32_t moff[] = {0, 2, 4};
    const void *mbufs[] = {NULL, moff};
    struct ArrowSchema t = TYPE("+m", "m", 1, mts);
    struct ArrowArray a = ARRAY(2, 0, 0, 2, mbufs, 1, mas);
    imported im = import1("[{\"tag\":\"m\",\"type\":\"map<string,int32>\"}]", &t, &a, 2);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 2);
    CHECK_EQ_STR(issue(&im, 0)->rule, "null");
    CHECK_EQ_STR(issue(&im, 0)->path, "/m/b");
    CHECK_EQ_STR(issue(&im, 0)->column, "m");
    CHECK_EQ_STR(issue(&im, 1)->rule, "duplicate_key");
    CHECK_EQ_STR(issue(&im, 1)->path, "/m/a");
    CHECK_EQ_INT(issue(&im, 1)->record, 1);
    CHECK_EQ_STR(im.json, "{\"m\":{\"a\":1,\"b\":0}}\n{\"m\":{\"a\":3,\"a\":4}}\n");
    dispose(&im);
    /* the same map into nullable values: no issue but the duplicate */
    im = import1("[{\"tag\":\"m\",\"type\":\"map<string,int32?>\"}]", &t, &a, 2);
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 1);
    CHECK_EQ_STR(im.json, "{\"m\":{\"a\":1,\"b\":null}}\n{\"m\":{\"a\":3,\"a\":4}}\n");
    dispose(&im);
}

static void text_converts_into_uuid_ksuid_and_json(void) {
    const char *text = "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6fnot-a-uuid";
    int32_t off[] = {0, 36, 46};
    const void *bufs[] = {NULL, off, text};
    struct ArrowSchema t = TYPE("u", "u", 0, NULL);
    struct ArrowArray a = ARRAY(2, 0, 0, 3, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"u\",\"type\":\"uuid\"}]", &t, &a, 2);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(issue(&im, 0)->rule, "format");
    CHECK_EQ_INT(issue(&im, 0)->record, 1);
    CHECK_EQ_STR(im.json, "{\"u\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f\"}\n{\"u\":\"00000000-0000-0000-0000-000000000000\"}\n");
    dispose(&im);
    const char *docs = " { \"b\" : [ 1 , 2.50e3 ] } {\"a\":";
    int32_t doff[] = {0, 25, 31};
    const void *dbufs[] = {NULL, doff, docs};
    struct ArrowArray da = ARRAY(2, 0, 0, 3, dbufs, 0, NULL);
    struct ArrowSchema dt = TYPE("u", "j", 0, NULL);
    im = import1("[{\"tag\":\"j,nullable\",\"type\":\"json\"}]", &dt, &da, 2);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 1);
    CHECK_EQ_STR(issue(&im, 0)->rule, "format");
    CHECK_EQ_STR(im.json, "{\"j\":{\"b\":[1,2.50e3]}}\n{\"j\":null}\n");
    dispose(&im);
    /* invalid UTF-8 in a utf8 array */
    int32_t boff[] = {0, 2};
    const void *bbufs[] = {NULL, boff, "\xC3\x28"};
    struct ArrowArray ba = ARRAY(1, 0, 0, 3, bbufs, 0, NULL);
    im = import1("[{\"tag\":\"u\",\"type\":\"string\"}]", &t, &ba, 1);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(issue(&im, 0)->rule, "format");
    dispose(&im);
}

static void fixed_binary_into_uuid_and_bytes(void) {
    uint8_t raw[16];
    for (int i = 0; i < 16; i++) raw[i] = (uint8_t)i;
    const void *bufs[] = {NULL, raw};
    struct ArrowSchema t = TYPE("w:16", "u", 0, NULL);
    struct ArrowArray a = ARRAY(1, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"u\",\"type\":\"uuid\"}]", &t, &a, 1);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"u\":\"00010203-0405-0607-0809-0a0b0c0d0e0f\"}\n");
    dispose(&im);
    struct ArrowSchema t4 = TYPE("w:4", "u", 0, NULL);
    struct ArrowArray a4 = ARRAY(2, 0, 0, 2, bufs, 0, NULL);
    im = import1("[{\"tag\":\"u\",\"type\":\"bytes\"}]", &t4, &a4, 2);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"u\":\"AAECAw==\"}\n{\"u\":\"BAUGBw==\"}\n");
    dispose(&im);
}

/* polars has no fixed-size binary: its UUIDs come as binary values of 16 bytes. */
static void binary_of_sixteen_bytes_into_uuid(void) {
    uint8_t raw[20];
    for (int i = 0; i < 20; i++) raw[i] = (uint8_t)i;
    int32_t off[] = {0, 16, 20};
    const void *bufs[] = {NULL, off, raw};
    struct ArrowSchema t = TYPE("z", "u", 0, NULL);
    struct ArrowArray a = ARRAY(2, 0, 0, 3, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"u\",\"type\":\"uuid\"}]", &t, &a, 2);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 1);
    CHECK_EQ_STR(issue(&im, 0)->rule, "format");
    CHECK_EQ_INT(issue(&im, 0)->record, 1);
    CHECK_EQ_STR(im.json, "{\"u\":\"00010203-0405-0607-0809-0a0b0c0d0e0f\"}\n"
                          "{\"u\":\"00000000-0000-0000-0000-000000000000\"}\n");
    dispose(&im);
}

static void schema_errors_name_the_column_and_both_types(void) {
    int32_t v[] = {1};
    const void *bufs[] = {NULL, v};
    struct ArrowSchema t = TYPE("i", "extra", 0, NULL);
    struct ArrowArray a = ARRAY(1, 0, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"x,nullable\",\"type\":\"int32\"}]", &t, &a, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    CHECK_CONTAINS(im.err.message, "\"extra\" names no column");
    dispose(&im);
    struct ArrowSchema named = TYPE("i", "x", 0, NULL);
    im = import1("[{\"tag\":\"x\",\"type\":\"string\"}]", &named, &a, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    CHECK_CONTAINS(im.err.message, "column \"x\" is string but its Arrow field has format \"i\"");
    dispose(&im);
    im = import1("[{\"tag\":\"x\",\"type\":\"int32\"},{\"tag\":\"y\",\"type\":\"int32\"}]", &named, &a, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    CHECK_CONTAINS(im.err.message, "column \"y\" (int32, not nullable) has no Arrow field");
    dispose(&im);
    /* a nullable column absent is NULL */
    im = import1("[{\"tag\":\"x\",\"type\":\"int32\"},{\"tag\":\"y,nullable\",\"type\":\"int32\"}]", &named, &a, 1);
    CHECK_OK(im.rc, &im.err);
    CHECK_EQ_STR(im.json, "{\"x\":1,\"y\":null}\n");
    dispose(&im);
    struct ArrowSchema half = TYPE("e", "x", 0, NULL);
    im = import1("[{\"tag\":\"x\",\"type\":\"float32\"}]", &half, &a, 1);
    CHECK_EQ_INT(im.rc, LAKE_ESCHEMA);
    CHECK_CONTAINS(im.err.message, "does not read");
    dispose(&im);
}

static void nulls_in_non_nullable_places_are_issues_for_every_row(void) {
    int32_t v[] = {1, 2, 3};
    uint8_t valid = 0x2;
    const void *bufs[] = {&valid, v};
    struct ArrowSchema t = TYPE("i", "x", 0, NULL);
    struct ArrowArray a = ARRAY(3, 2, 0, 2, bufs, 0, NULL);
    imported im = import1("[{\"tag\":\"x\",\"type\":\"int32\"}]", &t, &a, 3);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_issues_count(im.err.issues), 2);
    CHECK_EQ_STR(issue(&im, 0)->rule, "null");
    CHECK_EQ_STR(issue(&im, 0)->path, "/x");
    CHECK_EQ_INT(issue(&im, 1)->record, 2);
    CHECK_EQ_STR(im.json, "{\"x\":0}\n{\"x\":2}\n{\"x\":0}\n");
    dispose(&im);
    /* list elements: /l/1 */
    int32_t items[] = {1, 2};
    uint8_t ivalid = 0x1;
    const void *ibufs[] = {&ivalid, items};
    struct ArrowSchema it = TYPE("i", "item", 0, NULL);
    struct ArrowArray ia = ARRAY(2, 1, 0, 2, ibufs, 0, NULL);
    struct ArrowSchema *its[] = {&it};
    struct ArrowArray *ias[] = {&ia};
    int32_t off[] = {0, 2};
    const void *lbufs[] = {NULL, off};
    struct ArrowSchema lt = TYPE("+l", "l", 1, its);
    struct ArrowArray la = ARRAY(1, 0, 0, 2, lbufs, 1, ias);
    im = import1("[{\"tag\":\"l\",\"type\":\"list<int32>\"}]", &lt, &la, 1);
    CHECK_EQ_INT(im.rc, LAKE_EVALIDATION);
    CHECK_EQ_STR(issue(&im, 0)->path, "/l/1");
    CHECK_EQ_STR(issue(&im, 0)->rule, "null");
    dispose(&im);
}

/* ---- query results as a stream */

static void query_streams_batches_of_any_shape(void) {
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    struct ArrowArrayStream st;
    lake_source src = LAKE_SQL("SELECT i, 'x' || i AS s, [i, NULL] AS l, {'a': i} AS p, MAP {'k': i} AS m, "
                               "CAST(i AS DECIMAL(10,2)) AS d, to_timestamp(i) AS ts, DATE '2024-01-01' + i::INT AS day "
                               "FROM range(70000) t(i) ORDER BY i");
    CHECK_OK(lake_client_query_arrow(c, &src, &st, &err), &err);
    struct ArrowSchema type;
    CHECK_EQ_INT(st.get_schema(&st, &type), 0);
    CHECK_EQ_STR(type.format, "+s");
    CHECK_EQ_INT(type.n_children, 8);
    CHECK_EQ_STR(type.children[0]->name, "i");
    CHECK_EQ_STR(type.children[0]->format, "l");
    CHECK_EQ_STR(type.children[1]->format, "u");
    CHECK_EQ_STR(type.children[2]->format, "+l");
    CHECK_EQ_STR(type.children[3]->format, "+s");
    CHECK_EQ_STR(type.children[4]->format, "+m");
    CHECK_EQ_STR(type.children[5]->format, "d:10,2");
    CHECK_EQ_STR(type.children[6]->format, "tsu:UTC");
    CHECK_EQ_STR(type.children[7]->format, "tdD");
    int64_t got_rows = 0, batches = 0, sum = 0;
    for (;;) {
        struct ArrowArray a;
        CHECK_EQ_INT(st.get_next(&st, &a), 0);
        if (!a.release) break;
        batches++;
        const int64_t *ids = a.children[0]->buffers[1];
        for (int64_t r = 0; r < a.length; r++) sum += ids[r];
        got_rows += a.length;
        /* every value checked once, on the last row of the last batch */
        if (got_rows == 70000) {
            lake_arena *arena;
            CHECK_OK(lake_arena_new(&arena), NULL);
            void *back;
            size_t n;
            lake_schema *s;
            const char *fields = "{\"table\":\"t\",\"fields\":[{\"tag\":\"i,nullable\",\"type\":\"int64\"},"
                                 "{\"tag\":\"s,nullable\",\"type\":\"string\"},{\"tag\":\"l,nullable\",\"type\":\"list<int64?>\"},"
                                 "{\"tag\":\"p,nullable\",\"type\":\"struct\",\"fields\":[{\"tag\":\"a,nullable\",\"type\":\"int64\"}]},"
                                 "{\"tag\":\"m,nullable\",\"type\":\"map<string,int64?>\"},{\"tag\":\"d,nullable\",\"type\":\"decimal(10,2)\"},"
                                 "{\"tag\":\"ts,nullable\",\"type\":\"timestamp\"},{\"tag\":\"day,nullable\",\"type\":\"date\"}]}";
            CHECK_OK(lake_schema_parse(&s, fields, strlen(fields), &err), &err);
            CHECK_OK(lake_arrow_import(s, &type, &a, 0, arena, &back, &n, &err), &err);
            char *json = render(s, (const char *)back + (n - 1) * lake_schema_record_size(s), 1);
            CHECK_EQ_STR(json, "{\"i\":69999,\"s\":\"x69999\",\"l\":[69999,null],\"p\":{\"a\":69999},\"m\":{\"k\":69999},"
                               "\"d\":69999.00,\"ts\":\"1970-01-01T19:26:39Z\",\"day\":\"2215-08-27\"}\n");
            lake_free(json);
            lake_free(back);
            lake_schema_free(s);
            lake_arena_free(arena);
        }
        a.release(&a);
    }
    CHECK_EQ_INT(got_rows, 70000);
    CHECK_EQ_INT(batches, 2);
    CHECK_EQ_INT(sum, 69999LL * 70000 / 2);
    type.release(&type);
    st.release(&st);
    CHECK(st.release == NULL);

    /* released after one batch of many: the session goes back, the client reads on */
    lake_source big = LAKE_SQL("SELECT i FROM range(300000) t(i)");
    for (int k = 0; k < 12; k++) { /* more than the pool holds: each release returns its session */
        CHECK_OK(lake_client_query_arrow(c, &big, &st, &err), &err);
        struct ArrowArray a;
        CHECK_EQ_INT(st.get_next(&st, &a), 0);
        CHECK_EQ_INT(a.length, 65536);
        a.release(&a);
        st.release(&st);
    }

    /* a query that fails at once fails the call; one failing mid-stream fails get_next */
    lake_source bad = LAKE_SQL("SELECT * FROM no_such_table");
    CHECK_STATUS(lake_client_query_arrow(c, &bad, &st, &err), LAKE_EREMOTE, &err);
    lake_source late = LAKE_SQL("SELECT CASE WHEN i < 100000 THEN i ELSE error('late failure') END AS i "
                                "FROM range(200000) t(i)");
    int rc = lake_client_query_arrow(c, &late, &st, &err);
    if (rc == LAKE_OK) { /* DuckDB may also fail before the first row */
        int got = 0;
        for (int k = 0; k < 5 && !got; k++) {
            struct ArrowArray a;
            got = st.get_next(&st, &a);
            if (!got && !a.release) break;
            if (!got) a.release(&a);
        }
        CHECK_EQ_INT(got, EIO);
        CHECK_CONTAINS(st.get_last_error(&st), "late failure");
        st.release(&st);
    } else {
        CHECK_CONTAINS(err.message, "late failure");
    }
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(round_trip);
    LAKE_RUN(utf8_views_inline_and_out_of_line);
    LAKE_RUN(dictionary_strings_read_their_values);
    LAKE_RUN(large_utf8_and_large_binary);
    LAKE_RUN(unsigned_integers_narrow_with_range_checks);
    LAKE_RUN(floats_narrow_with_range_checks);
    LAKE_RUN(timestamps_of_every_unit_with_a_zone);
    LAKE_RUN(dates_of_days_and_milliseconds);
    LAKE_RUN(decimals_rescale_exactly_or_report_range);
    LAKE_RUN(fixed_size_lists_and_large_lists);
    LAKE_RUN(sliced_children_keep_their_own_offsets);
    LAKE_RUN(maps_report_duplicate_keys_and_null_values);
    LAKE_RUN(text_converts_into_uuid_ksuid_and_json);
    LAKE_RUN(fixed_binary_into_uuid_and_bytes);
    LAKE_RUN(binary_of_sixteen_bytes_into_uuid);
    LAKE_RUN(schema_errors_name_the_column_and_both_types);
    LAKE_RUN(nulls_in_non_nullable_places_are_issues_for_every_row);
    LAKE_RUN(query_streams_batches_of_any_shape);
    return lake_test_summary();
}
