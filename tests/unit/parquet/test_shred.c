/* SPDX-License-Identifier: MIT */
/* Shredding: the repetition and definition levels of nested columns on small
 * records, computed by hand from the Dremel rules (parquet-format README,
 * "Nested Encoding"); the leaves' paths and maximum levels; NULLs the schema
 * refuses. pyarrow and DuckDB read the same shapes in tests/interop. */
#include <malloc.h>
#include <stdlib.h>

#include "lake_test.h"
#include "parquet/column.h"
#include "parquet/shred.h"
#include "util/alloc.h"

typedef struct place {
    lake_str city;
    lake_opt_i32 zip;
} place;
static const lake_field place_fields[] = {
    LAKE_FIELD(place, city, "city", ""),
    LAKE_FIELD(place, zip, "zip", ""),
};
static const lake_model place_model = LAKE_MODEL(place, "", place_fields);
LAKE_LIST_TYPE(i64_lists, lake_list_i64);

typedef struct rec {
    lake_list_str notes; /* optional list of optional strings */
    place *ship;         /* optional struct */
    i64_lists scores;    /* required list of required lists of required int64 */
    lake_map_str attrs;  /* required map of required strings */
} rec;
static const lake_field rec_fields[] = {
    LAKE_LIST_OF(rec, notes, lake_str, LAKE_ELEM_NULLABLE(lake_str), "notes,nullable", ""),
    LAKE_STRUCT_PTR(rec, ship, place, place_model, "ship", ""),
    LAKE_LIST_OF(rec, scores, lake_list_i64, LAKE_ELEM_LIST(lake_list_i64, LAKE_ELEM(int64_t)), "scores", ""),
    LAKE_MAP(rec, attrs, "attrs", ""),
};
static const lake_model rec_model = LAKE_MODEL(rec, "recs", rec_fields);

enum { NOTES, CITY, ZIP, SCORES, KEY, VALUE, LEAVES };

/* r0: notes ["a", NULL], ship {x, 5}, scores [[1, 2], []], attrs {k: v, j: w}
 * r1: notes NULL, ship NULL, scores [], attrs {}
 * r2: notes [], ship {y, NULL}, scores [[3]], attrs {z: q} */
static void records(rec r[3]) {
    static lake_str notes0[] = {{"a", 1}, {NULL, 0}};
    static place ship0 = {{"x", 1}, {5, true}}, ship2 = {{"y", 1}, {0, false}};
    static int64_t s00[] = {1, 2}, s20[] = {3};
    static lake_list_i64 scores0[] = {{s00, 2}, {LAKE_EMPTY, 0}}, scores2[] = {{s20, 1}};
    static lake_map_str_entry attrs0[] = {{{"k", 1}, {"v", 1}}, {{"j", 1}, {"w", 1}}}, attrs2[] = {{{"z", 1}, {"q", 1}}};
    r[0] = (rec){{notes0, 2}, &ship0, {scores0, 2}, {attrs0, 2}};
    r[1] = (rec){{NULL, 0}, NULL, {LAKE_EMPTY, 0}, {LAKE_EMPTY, 0}};
    r[2] = (rec){{LAKE_EMPTY, 0}, &ship2, {scores2, 1}, {attrs2, 1}};
}

static const lake_schema *schema(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &rec_model, &err), &err);
    return s;
}

static void leaves_carry_paths_and_maximum_levels(void) {
    size_t n;
    lake__leaf *l = lake__leaves(schema(), false, false, &n);
    CHECK(l != NULL);
    CHECK_EQ_INT(n, LEAVES);
    static const char *const paths[LEAVES] = {"notes.list.element", "ship.city", "ship.zip",
                                               "scores.list.element.list.element", "attrs.key_value.key",
                                               "attrs.key_value.value"};
    static const uint32_t defs[LEAVES] = {3, 1, 2, 2, 1, 1}, reps[LEAVES] = {1, 0, 0, 2, 1, 1};
    for (size_t i = 0; i < n; i++) {
        char path[128] = "";
        for (size_t k = 0; k < l[i].path_len; k++) {
            if (k) strcat(path, ".");
            strcat(path, l[i].path[k]);
        }
        CHECK_EQ_STR(path, paths[i]);
        CHECK_EQ_INT(l[i].max_def, defs[i]);
        CHECK_EQ_INT(l[i].max_rep, reps[i]);
    }
    lake__free(l);
}

/* Shreds the three records into leaf i's writer; the page stays open (1 MiB). */
static void shred_leaf(size_t i, lake__column_writer *c, lake__page_scratch *s, lake__leaf **leaves) {
    size_t n;
    *leaves = lake__leaves(schema(), false, false, &n);
    CHECK(*leaves != NULL);
    rec r[3];
    records(r);
    lake__column_init(c, &(*leaves)[i], 1 << 20, 1 << 20);
    memset(s, 0, sizeof *s);
    size_t bad = 99;
    CHECK_EQ_INT(lake__shred(c, s, (const unsigned char *)r, 3, sizeof(rec), &bad), LAKE_OK);
}

static void check_levels(size_t leaf, const uint32_t *reps, const uint32_t *defs, size_t n, uint64_t nulls) {
    lake__column_writer c;
    lake__page_scratch s;
    lake__leaf *leaves;
    shred_leaf(leaf, &c, &s, &leaves);
    CHECK_EQ_INT(c.nlevels, n);
    CHECK_EQ_INT(c.page_values, n); /* a data page's num_values counts entries */
    CHECK_EQ_INT(c.page_stats.nulls, nulls);
    for (size_t k = 0; k < n; k++) {
        if (c.rep_bits) CHECK_EQ_INT(c.reps[k], reps[k]);
        else CHECK_EQ_INT(reps[k], 0);
        CHECK_EQ_INT(c.defs[k], defs[k]);
    }
    lake__column_dispose(&c);
    lake__free(leaves);
}

static void optional_list_of_optional_strings(void) {
    /* "a" full; NULL element; NULL list; empty list */
    check_levels(NOTES, (const uint32_t[]){0, 1, 0, 0}, (const uint32_t[]){3, 2, 0, 1}, 4, 3);
}

static void members_of_a_nullable_struct(void) {
    check_levels(CITY, (const uint32_t[]){0, 0, 0}, (const uint32_t[]){1, 0, 1}, 3, 1);
    check_levels(ZIP, (const uint32_t[]){0, 0, 0}, (const uint32_t[]){2, 0, 1}, 3, 2);
}

static void list_of_lists(void) {
    /* 1, 2 (continues the inner list), [] (continues the outer), [] (new record), 3 */
    check_levels(SCORES, (const uint32_t[]){0, 2, 1, 0, 0}, (const uint32_t[]){2, 2, 1, 0, 2}, 5, 2);
}

static void map_keys_and_values(void) {
    check_levels(KEY, (const uint32_t[]){0, 1, 0, 0}, (const uint32_t[]){1, 1, 0, 1}, 4, 1);
    check_levels(VALUE, (const uint32_t[]){0, 1, 0, 0}, (const uint32_t[]){1, 1, 0, 1}, 4, 1);
}

static void statistics_skip_missing_slots(void) {
    lake__column_writer c;
    lake__page_scratch s;
    lake__leaf *leaves;
    shred_leaf(SCORES, &c, &s, &leaves);
    CHECK(c.page_stats.any);
    CHECK_EQ_INT(c.page_stats.imin, 1);
    CHECK_EQ_INT(c.page_stats.imax, 3);
    lake__column_dispose(&c);
    lake__free(leaves);
}

static int discard(void *ctx, const void *data, size_t len, lake_error *err) {
    (void)data, (void)err;
    *(size_t *)ctx += len;
    return LAKE_OK;
}

static void refuses_a_null_where_the_type_allows_none(void) {
    size_t bytes = 0;
    lake_sink sink = {discard, &bytes};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, NULL, &err), &err);
    rec r[3];
    records(r);
    lake_map_str_entry bad_value[] = {{{"k", 1}, {NULL, 0}}};
    r[2].attrs = (lake_map_str){bad_value, 1};
    CHECK_STATUS(lake_parquet_writer_append(w, r, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_CONTAINS(err.message, "record 2");
    CHECK_CONTAINS(err.message, "\"attrs\"");
    CHECK_CONTAINS(err.message, "value");
    records(r);
    r[1].scores = (i64_lists){NULL, 0};
    CHECK_STATUS(lake_parquet_writer_append(w, r, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_CONTAINS(err.message, "column \"scores\" is not nullable");
    CHECK_EQ_INT(lake_parquet_writer_rows(w), 0); /* nothing of either batch went in */
    records(r);
    CHECK_OK(lake_parquet_writer_append(w, r, 3, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    CHECK_EQ_INT(lake_parquet_writer_rows(w), 3);
    lake_parquet_writer_free(w);
}

/* Counts live lakeorm memory through the allocator hook. */
static size_t live, peak;
static void *count_malloc(void *ctx, size_t n) {
    (void)ctx;
    void *p = malloc(n);
    if (p) live += malloc_usable_size(p), peak = live > peak ? live : peak;
    return p;
}
static void *count_realloc(void *ctx, void *p, size_t old, size_t n) {
    (void)ctx, (void)old;
    size_t before = p ? malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (q) live += malloc_usable_size(q) - before, peak = live > peak ? live : peak;
    return q;
}
static void count_free(void *ctx, void *p) {
    (void)ctx;
    if (p) live -= malloc_usable_size(p);
    free(p);
}

/* Peak library memory while writing `batches` batches of 3,000 nested records. */
static size_t peak_for(size_t batches) {
    static rec batch[3000];
    for (size_t i = 0; i < 3000; i += 3) records(batch + i);
    size_t bytes = 0;
    lake_sink sink = {discard, &bytes};
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.row_group_bytes = 1024 * 1024;
    const lake_schema *s = schema(); /* compiled before counting: it lives as long as the process */
    lake_allocator a = {count_malloc, count_realloc, count_free, NULL};
    lake_set_allocator(&a);
    live = peak = 0;
    lake_parquet_writer *w;
    size_t result = 0;
    if (lake_parquet_writer_open(&w, s, &sink, &o, NULL) == LAKE_OK) {
        size_t b = 0;
        while (b < batches && lake_parquet_writer_append(w, batch, 3000, NULL) == LAKE_OK) b++;
        if (b == batches && lake_parquet_writer_close(w, NULL) == LAKE_OK) result = peak;
        lake_parquet_writer_free(w);
    }
    lake_set_allocator(NULL);
    return result;
}

static void memory_stays_flat_as_nested_rows_grow(void) {
    size_t small = peak_for(40), large = peak_for(400); /* 120k records (pages full), then 1.2M */
    CHECK(small > 0 && large > 0);
    /* 10x the records; the footer's per-row-group entries are all that may grow. */
    if (large > small + small / 2) fprintf(stderr, "  peak %zu bytes for 120k records, %zu for 1.2M\n", small, large);
    CHECK(large <= small + small / 2);
}

int main(void) {
    LAKE_RUN(leaves_carry_paths_and_maximum_levels);
    LAKE_RUN(optional_list_of_optional_strings);
    LAKE_RUN(members_of_a_nullable_struct);
    LAKE_RUN(list_of_lists);
    LAKE_RUN(map_keys_and_values);
    LAKE_RUN(statistics_skip_missing_slots);
    LAKE_RUN(refuses_a_null_where_the_type_allows_none);
    LAKE_RUN(memory_stays_flat_as_nested_rows_grow);
    return lake_test_summary();
}
