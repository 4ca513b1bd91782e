/* SPDX-License-Identifier: MIT */
/* The DuckDB driver and nested values, below the client (no validation in
 * the way): lists of nullable structs and lists past a vector's size through
 * both append paths, reads that refuse what does not fit with the place it
 * sits at, and results read without a schema. */
#include "dialects/dialect.h"
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/connection.h"
#include "duckdb_query.h"
#include "drivers/duckdb/read.h"
#include "lake_test.h"
#include "nested_records.h"
#include "util/buf.h"

typedef struct part {
    lake_str name;
    lake_opt_i32 qty;
} part;
static const lake_field part_fields[] = {
    LAKE_FIELD(part, name, "name,nullable", ""),
    LAKE_FIELD(part, qty, "qty", ""),
};
static const lake_model part_model = LAKE_MODEL(part, "", part_fields);

LAKE_LIST_TYPE(part_ptrs, part *);
LAKE_MAP_TYPE(count_map, lake_opt_i64);

typedef struct kit {
    int64_t id;
    part_ptrs parts;     /* list<struct?>: NULL structs, structs with NULL members */
    lake_list_f64 big;   /* past one vector of elements */
    count_map counts;    /* map<string,int64?> */
    lake_list_uuid ids;  /* elements the value path passes as text */
    lake_list_json docs; /* JSON elements */
} kit;
static const lake_field kit_fields[] = {
    LAKE_FIELD(kit, id, "id,pk", ""),
    LAKE_LIST_OF(kit, parts, part *, LAKE_ELEM_STRUCT_PTR(part, part_model), "parts", ""),
    LAKE_LIST(kit, big, "big,nullable", ""),
    LAKE_MAP(kit, counts, "counts", ""),
    LAKE_LIST(kit, ids, "ids", ""),
    LAKE_LIST(kit, docs, "docs,nullable", ""),
};
static const lake_model kit_model = LAKE_MODEL(kit, "kits", kit_fields);

enum { KITS = 3000, BIG = 5000 }; /* more rows than a chunk, more elements than a vector */

static part k_full = {{"bolt", 4}, {12, true}}, k_bare = {{NULL, 0}, {0, false}};
static part *k_parts[] = {&k_full, NULL, &k_bare};
static double k_big[BIG];
static count_map_entry k_counts[] = {{{"a", 1}, {7, true}}, {{"b", 1}, {0, false}}};

static lake_uuid k_ids[] = {{{0x01, 0x90, 0xf6, 0xa3, 0x5b, 0x1c, 0x7d, 0x2e, 0x8f, 0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f}},
                            {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 1}}};
static lake_json k_docs[] = {{"{\"a\":[1,null]}", 14}, {"null", 4}, {"\"\"", 2}};

static kit make_kit(int64_t i) {
    kit k = {i, {k_parts, (size_t)(i % 4)}, {NULL, 0}, {LAKE_EMPTY, 0}, {k_ids, (size_t)(i % 3)},
             {i % 5 ? k_docs : NULL, (size_t)(i % 5 ? i % 4 : 0)}};
    if (i % 1000 == 1) k.big = (lake_list_f64){k_big, BIG};
    if (i % 3 == 0) k.counts = (count_map){k_counts, 2};
    return k;
}

typedef struct kit_check {
    int64_t rows, same;
} kit_check;

static int check_kit(void *ctx, const void *record) {
    kit_check *kc = ctx;
    const kit *got = record;
    kit want = make_kit(kc->rows++);
    const lake_schema *s;
    lake_schema_of(&s, &kit_model, NULL);
    kc->same += nr_same_record(s, record, (const unsigned char *)&want) && got->id == want.id;
    return LAKE_OK;
}

/* Appends the kits into a table made by `ddl` and reads them back exactly. */
static void kits_round_trip(const char *ddl) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &kit_model, &err), &err);
    for (int i = 0; i < BIG; i++) k_big[i] = i * 0.5;
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake__buf made = LAKE__BUF_INIT;
    if (!ddl) {
        CHECK_OK(lake__dialect_duckdb.create_table(&made, s, NULL), NULL);
        ddl = made.data;
    }
    CHECK_OK(lake__duckdb_exec(&db, ddl, &err), &err);
    static kit rows[KITS];
    for (int i = 0; i < KITS; i++) rows[i] = make_kit(i);
    CHECK_OK(lake__duckdb_append(&db, s, NULL, rows, NULL, KITS, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    kit_check kc = {0, 0};
    CHECK_OK(lake__duckdb_read(&db, s, "SELECT * FROM kits ORDER BY id", NULL, 0, arena, check_kit, &kc, &err), &err);
    CHECK_EQ_INT(kc.rows, KITS);
    CHECK_EQ_INT(kc.same, KITS);
    int64_t n = -1;
    CHECK_OK(query_int(&db, "SELECT count(*) FROM kits, unnest(parts) AS u(p) WHERE p IS NULL", NULL, 0,
                                    &n, &err), &err);
    CHECK_EQ_INT(n, KITS / 4 * 2); /* kits with 2 or 3 parts hold one NULL part */
    CHECK_OK(query_int(&db, "SELECT sum(len(big)) FROM kits", NULL, 0, &n, &err), &err);
    CHECK_EQ_INT(n, 3 * BIG);
    lake_arena_free(arena);
    lake__buf_dispose(&made);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

static void lists_of_nullable_structs_append_columnwise(void) { kits_round_trip(NULL); }

/* A table of other (castable) types takes the rows value by value. */
static void lists_of_nullable_structs_append_value_by_value(void) {
    kits_round_trip("CREATE TABLE kits (id HUGEINT PRIMARY KEY, parts STRUCT(name VARCHAR, qty BIGINT)[], "
                    "big DOUBLE[], counts MAP(VARCHAR, BIGINT), ids UUID[], docs JSON[], _ingest_id VARCHAR)");
}

typedef struct strict {
    lake_list_str tags; /* elements never NULL */
    lake_map_str attrs;
    ev_item_list items;
    ev_label_map labels;
} strict;
static const lake_field strict_fields[] = {
    LAKE_LIST(strict, tags, "tags", ""),
    LAKE_MAP(strict, attrs, "attrs", ""),
    LAKE_LIST_OF(strict, items, ev_item, LAKE_ELEM_STRUCT(ev_item, ev_item_model), "items", ""),
    LAKE_MAP_OF(strict, labels, lake_list_str, LAKE_ELEM_LIST(lake_list_str, LAKE_ELEM(lake_str)), "labels", ""),
};
static const lake_model strict_model = LAKE_MODEL(strict, "strict", strict_fields);

static int ignore(void *ctx, const void *record) {
    (void)ctx, (void)record;
    return LAKE_OK;
}

#define NO_TAGS "[]::VARCHAR[]"
#define NO_ATTRS "MAP {}::MAP(VARCHAR, VARCHAR)"
#define NO_ITEMS "[]::STRUCT(sku VARCHAR, qty INT, price DECIMAL(10,2), tags VARCHAR[])[]"
#define NO_LABELS "MAP {}::MAP(VARCHAR, VARCHAR[])"
#define ITEM(sku, tags) "{'sku': " sku ", 'qty': 1, 'price': 1.5, 'tags': " tags "}"

/* Each value that does not fit its field is LAKE_EMISMATCH naming where it
 * sits, at any depth; what fits reads. */
static void reads_name_the_place_that_does_not_fit(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &strict_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    static const struct {
        const char *tags, *attrs, *items, *labels, *want;
    } cases[] = {
        {"['a', 'b']", "MAP {'k': 'v'}", "[" ITEM("'s'", "['x']") "]", "MAP {'k': ['l']}", NULL},
        {"['a', NULL]", NO_ATTRS, NO_ITEMS, NO_LABELS, "NULL in result column \"tags[1]\", but its field is not nullable"},
        {"NULL::VARCHAR[]", NO_ATTRS, NO_ITEMS, NO_LABELS, "NULL in result column \"tags\""},
        {"[1, 2]", NO_ATTRS, NO_ITEMS, NO_LABELS, "result column \"tags[]\" (int32) cannot be read into a string field"},
        {NO_TAGS, "MAP {1: 'v'}", NO_ITEMS, NO_LABELS, "result column \"attrs\" is a map with int32 keys"},
        {NO_TAGS, NO_ATTRS, "[" ITEM("'s'", "['x']") ", " ITEM("'t'", "['x', NULL]") "]", NO_LABELS,
         "NULL in result column \"items[1].tags[1]\""},
        {NO_TAGS, NO_ATTRS, "[" ITEM("NULL::VARCHAR", "['x']") "]", NO_LABELS, "NULL in result column \"items[0].sku\""},
        {NO_TAGS, NO_ATTRS, "[NULL, " ITEM("'s'", "['x']") "]", NO_LABELS, "NULL in result column \"items[0]\""},
        {NO_TAGS, NO_ATTRS, NO_ITEMS, "MAP {'k': ['a'], 'kk': NULL}", "NULL in result column \"labels[\"kk\"]\""},
        {NO_TAGS, NO_ATTRS, "[{'sku': 's', 'qty': 1, 'price': 1.5}]", NO_LABELS,
         "the result has no column \"tags\" in items[] (model"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char sql[1024];
        snprintf(sql, sizeof sql, "SELECT %s AS tags, %s AS attrs, %s AS items, %s AS labels", cases[i].tags,
                 cases[i].attrs, cases[i].items, cases[i].labels);
        int rc = lake__duckdb_read(&db, s, sql, NULL, 0, arena, ignore, NULL, &err);
        if (!cases[i].want) {
            CHECK_OK(rc, &err);
            continue;
        }
        CHECK_EQ_INT(rc, LAKE_EMISMATCH);
        CHECK_CONTAINS(err.message, cases[i].want);
        lake_error_clear(&err);
    }
    lake_arena_free(arena);
    lake__duckdb_close(&db);
}

/* DuckDB refuses a MAP with a key twice when SQL builds one, but not in a
 * data chunk appended whole: such a map is refused when read. */
static void a_map_with_a_key_twice_is_refused(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &kit_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake__buf ddl = LAKE__BUF_INIT;
    CHECK_OK(lake__dialect_duckdb.create_table(&ddl, s, NULL), NULL);
    CHECK_OK(lake__duckdb_exec(&db, ddl.data, &err), &err);
    static count_map_entry twice[] = {{{"a", 1}, {1, true}}, {{"b", 1}, {2, true}}, {{"a", 1}, {3, true}}};
    kit k = {1, {LAKE_EMPTY, 0}, {NULL, 0}, {twice, 3}, {LAKE_EMPTY, 0}, {NULL, 0}};
    CHECK_OK(lake__duckdb_append(&db, s, NULL, &k, NULL, 1, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    CHECK_STATUS(lake__duckdb_read(&db, s, "SELECT * FROM kits", NULL, 0, arena, ignore, NULL, &err), LAKE_EMISMATCH,
                 &err);
    CHECK_CONTAINS(err.message, "result column \"counts\" holds a map with the key \"a\" twice");
    lake_arena_free(arena);
    lake__buf_dispose(&ddl);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

/* A query of any shape reads without a schema: lists and maps as views of
 * element records, structs as pointers (NULL for a NULL struct), JSON as
 * JSON text. */
static void results_without_a_schema_read_nested_values(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__duckdb_cursor *cur;
    CHECK_OK(lake__duckdb_cursor_open(&db, NULL,
                                      "SELECT [[1, NULL], []]::BIGINT[][] AS l, MAP {'a': [1.5]} AS m, "
                                      "{'x': 1, 'y': NULL}::STRUCT(x INT, y VARCHAR) AS s, "
                                      "NULL::STRUCT(x INT) AS ns, '{\"a\":1}'::JSON AS j, NULL::INT[] AS nl",
                                      NULL, 0, arena, false, &cur, &err),
             &err);
    const lake_schema *s = lake__duckdb_cursor_schema(cur);
    static const lake_type types[] = {LAKE_LIST, LAKE_MAP, LAKE_STRUCT, LAKE_STRUCT, LAKE_JSON, LAKE_LIST};
    CHECK_EQ_INT(s->column_count, 6);
    for (size_t i = 0; i < 6 && i < s->column_count; i++) CHECK_EQ_INT(s->columns[i].pub.type, types[i]);
    const void *rec = NULL;
    CHECK_OK(lake__duckdb_cursor_next(cur, &rec, &err), &err);
    CHECK(rec != NULL);
    if (rec && s->column_count == 6) {
        const lake__column *l = &s->columns[0], *m = &s->columns[1], *st = &s->columns[2];
        const lake__view *lv = lake__view_at(l, rec);
        CHECK_EQ_INT(lv->len, 2);
        const lake__column *inner = &l->pub.child->columns[0];
        const unsigned char *first = lv->ptr, *second = first + l->pub.child->record_size;
        const lake__view *iv = lake__view_at(inner, first);
        CHECK_EQ_INT(iv->len, 2);
        const lake__column *leaf = &inner->pub.child->columns[0];
        const unsigned char *e0 = iv->ptr, *e1 = e0 + inner->pub.child->record_size;
        CHECK_EQ_INT(((const lake_opt_i64 *)(e0 + leaf->pub.offset))->v, 1);
        CHECK(!lake__is_null(leaf, e0) && lake__is_null(leaf, e1));
        CHECK(!lake__is_null(inner, second) && lake__view_at(inner, second)->len == 0);
        const lake__view *mv = lake__view_at(m, rec);
        CHECK_EQ_INT(mv->len, 1);
        const lake_str *key = (const lake_str *)mv->ptr;
        CHECK(key->len == 1 && key->ptr[0] == 'a');
        const unsigned char *members = lake__struct_at(st, rec);
        CHECK(members != NULL);
        if (members) {
            CHECK_EQ_INT(((const lake_opt_i32 *)(members + st->pub.child->columns[0].pub.offset))->v, 1);
            CHECK(lake__is_null(&st->pub.child->columns[1], members));
        }
        CHECK(lake__is_null(&s->columns[3], rec));
        const lake_json *j = (const lake_json *)((const unsigned char *)rec + s->columns[4].pub.offset);
        CHECK(j->len == 7 && !memcmp(j->ptr, "{\"a\":1}", 7));
        CHECK(lake__is_null(&s->columns[5], rec));
    }
    lake__duckdb_cursor_close(cur);
    lake_arena_free(arena);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(lists_of_nullable_structs_append_columnwise);
    LAKE_RUN(lists_of_nullable_structs_append_value_by_value);
    LAKE_RUN(reads_name_the_place_that_does_not_fit);
    LAKE_RUN(a_map_with_a_key_twice_is_refused);
    LAKE_RUN(results_without_a_schema_read_nested_values);
    return lake_test_summary();
}
