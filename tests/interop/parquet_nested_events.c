/* SPDX-License-Identifier: MIT */
/* Test tool: writes records of the nested event model (tests/harness/
 * nested_event.h) built in C, covering every nested shape (empty list, NULL
 * list, NULL elements, structs with NULL members, maps of lists, lists of
 * lists, three levels deep, a NULL struct, JSON), across many pages and row
 * groups. Prints what it wrote as JSON lines, for the Python readers to
 * compare value by value.
 * usage: parquet_nested_events OUT.parquet ROWS SEED [THREADS] > expected.ndjson
 * (THREADS: the writer's threads option; default 1) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nested_event.h"

static uint64_t rng_state;
static uint32_t rnd(uint32_t n) {
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33) % n;
}

static const char *const words[] = {"", "a", "red", "xl", "caf\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac",
                                    "a longer tag that is not in the dictionary much", "b", "c", "zz"};
static const char *const payloads[] = {"{\"cart\":{\"id\":7,\"coupons\":[\"A\",\"B\"]},\"total\":19.98}",
                                       "[1,\"two\",{\"three\":3},null,true]", "\"just a string\"", "null",
                                       "{}", "42"};

static const char *const keys[] = {"k0", "k1", "k2", "k3", "l0", "l1", "l2"};

static lake_str word(void) {
    const char *w = words[rnd(10)];
    return (lake_str){w, strlen(w)};
}

/* Elements live in one pool for the run: the test writes each record once. */
static unsigned char *pool;
static size_t pool_used, pool_cap;
static void *take(size_t n) {
    n = (n + 15) / 16 * 16;
    if (pool_used + n > pool_cap) {
        fprintf(stderr, "pool exhausted\n");
        exit(1);
    }
    void *p = pool + pool_used;
    pool_used += n;
    return p;
}
/* A list of len elements: empty lists point at LAKE_EMPTY, never NULL. */
static void *elements(size_t len, size_t size) { return len ? take(len * size) : LAKE_EMPTY; }

static void put_str(lake_str s) {
    if (!s.ptr) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '"' || s.ptr[i] == '\\') putchar('\\');
        putchar(s.ptr[i]);
    }
    putchar('"');
}

static void put_strs(const lake_str *p, size_t n) {
    putchar('[');
    for (size_t i = 0; i < n; i++) {
        if (i) putchar(',');
        put_str(p[i]);
    }
    putchar(']');
}

static void make(event *e, size_t row) {
    for (int i = 0; i < 16; i++) e->event_id.b[i] = (uint8_t)rnd(256);
    e->kind = word();
    if (!e->kind.len) e->kind = (lake_str){"order.created", 13};
    e->at.us = (int64_t)row * 1000003 - 5000000;
    e->items.len = rnd(5);
    e->items.ptr = elements(e->items.len, sizeof(ev_item));
    for (size_t i = 0; i < e->items.len; i++) {
        ev_item *it = &e->items.ptr[i];
        it->sku = word();
        it->qty = (int32_t)rnd(1000) - 10;
        int64_t cents = (int64_t)rnd(2000000) - 1000000;
        it->price = (lake_dec128){(uint64_t)cents, cents < 0 ? -1 : 0};
        it->tags.len = rnd(4);
        it->tags.ptr = elements(it->tags.len, sizeof(lake_str));
        for (size_t k = 0; k < it->tags.len; k++) it->tags.ptr[k] = word();
    }
    e->shipping = NULL;
    if (rnd(3)) {
        e->shipping = take(sizeof *e->shipping);
        e->shipping->city = word();
        e->shipping->zip = (lake_opt_i32){(int32_t)rnd(99999), rnd(4) != 0};
    }
    e->attrs.len = rnd(4);
    e->attrs.ptr = elements(e->attrs.len, sizeof *e->attrs.ptr);
    for (size_t i = 0; i < e->attrs.len; i++) {
        e->attrs.ptr[i].key = (lake_str){keys[i], 2};
        e->attrs.ptr[i].value = word();
    }
    e->payload = (lake_json){NULL, 0};
    if (rnd(4)) {
        const char *p = payloads[rnd(6)];
        e->payload = (lake_json){p, strlen(p)};
    }
    e->scores.len = rnd(4);
    e->scores.ptr = elements(e->scores.len, sizeof(lake_list_i64));
    for (size_t i = 0; i < e->scores.len; i++) {
        lake_list_i64 *l = &e->scores.ptr[i];
        l->len = rnd(4);
        l->ptr = elements(l->len, sizeof(int64_t));
        for (size_t k = 0; k < l->len; k++)
            l->ptr[k] = rnd(10) ? (int64_t)rnd(2001) - 1000 : (rnd(2) ? INT64_MAX : INT64_MIN);
    }
    e->notes = (lake_list_str){NULL, 0};
    if (rnd(4)) {
        e->notes.len = rnd(4);
        e->notes.ptr = elements(e->notes.len, sizeof(lake_str));
        for (size_t i = 0; i < e->notes.len; i++) e->notes.ptr[i] = rnd(3) ? word() : (lake_str){NULL, 0};
    }
    e->labels.len = rnd(3);
    e->labels.ptr = elements(e->labels.len, sizeof *e->labels.ptr);
    for (size_t i = 0; i < e->labels.len; i++) {
        e->labels.ptr[i].key = (lake_str){keys[4 + i], 2};
        lake_list_str *v = &e->labels.ptr[i].value;
        v->len = rnd(3);
        v->ptr = elements(v->len, sizeof(lake_str));
        for (size_t k2 = 0; k2 < v->len; k2++) v->ptr[k2] = word();
    }
}

static void print(const event *e) {
    fputs("{\"event_id\":\"", stdout);
    for (int i = 0; i < 16; i++) printf("%02x", e->event_id.b[i]);
    fputs("\",\"kind\":", stdout);
    put_str(e->kind);
    printf(",\"at\":%lld,\"items\":[", (long long)e->at.us);
    for (size_t i = 0; i < e->items.len; i++) {
        const ev_item *it = &e->items.ptr[i];
        printf("%s{\"sku\":", i ? "," : "");
        put_str(it->sku);
        printf(",\"qty\":%d,\"price\":%lld,\"tags\":", it->qty, (long long)(int64_t)it->price.lo);
        put_strs(it->tags.ptr, it->tags.len);
        putchar('}');
    }
    fputs("],\"shipping\":", stdout);
    if (!e->shipping) {
        fputs("null", stdout);
    } else {
        fputs("{\"city\":", stdout);
        put_str(e->shipping->city);
        if (e->shipping->zip.valid) printf(",\"zip\":%d}", e->shipping->zip.v);
        else fputs(",\"zip\":null}", stdout);
    }
    fputs(",\"attrs\":[", stdout);
    for (size_t i = 0; i < e->attrs.len; i++) {
        fputs(i ? ",[" : "[", stdout);
        put_str(e->attrs.ptr[i].key);
        putchar(',');
        put_str(e->attrs.ptr[i].value);
        putchar(']');
    }
    fputs("],\"payload\":", stdout);
    put_str((lake_str){e->payload.ptr, e->payload.len});
    fputs(",\"scores\":[", stdout);
    for (size_t i = 0; i < e->scores.len; i++) {
        fputs(i ? ",[" : "[", stdout);
        for (size_t k = 0; k < e->scores.ptr[i].len; k++) printf("%s%lld", k ? "," : "", (long long)e->scores.ptr[i].ptr[k]);
        putchar(']');
    }
    fputs("],\"notes\":", stdout);
    if (e->notes.ptr) put_strs(e->notes.ptr, e->notes.len);
    else fputs("null", stdout);
    fputs(",\"labels\":[", stdout);
    for (size_t i = 0; i < e->labels.len; i++) {
        fputs(i ? ",[" : "[", stdout);
        put_str(e->labels.ptr[i].key);
        putchar(',');
        put_strs(e->labels.ptr[i].value.ptr, e->labels.ptr[i].value.len);
        putchar(']');
    }
    fputs("]}\n", stdout);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) return 2;
    size_t rows = strtoul(argv[2], NULL, 10);
    rng_state = strtoull(argv[3], NULL, 10);
    pool_cap = rows * 2048 + 4096;
    pool = malloc(pool_cap);
    event *records = calloc(rows ? rows : 1, sizeof *records);
    if (!pool || !records) return 1;
    for (size_t r = 0; r < rows; r++) make(&records[r], r);

    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    FILE *out = fopen(argv[1], "wb");
    if (!out || lake_schema_of(&s, &event_model, &err)) goto fail;
    lake_sink sink = lake_sink_stdio(out);
    lake_parquet_options opts = LAKE_PARQUET_OPTIONS_INIT;
    opts.page_bytes = 512;        /* many pages per chunk */
    opts.row_group_bytes = 32768; /* several row groups */
    opts.dictionary_bytes = 256;  /* dictionary pages that fall back to PLAIN mid-chunk */
    opts.threads = argc == 5 ? (unsigned)strtoul(argv[4], NULL, 10) : 1;
    lake_parquet_writer *w;
    if (lake_parquet_writer_open(&w, s, &sink, &opts, &err)) goto fail;
    /* in uneven slices, so records of one row group come from several appends;
     * with THREADS given, every eighth a large one, which threads share out */
    for (size_t at = 0, k = 0; at < rows; k++) {
        size_t n = argc == 5 && k % 8 == 7 ? 4096 + rnd(4096) : 1 + rnd(97);
        if (n > rows - at) n = rows - at;
        if (lake_parquet_writer_append(w, records + at, n, &err)) goto fail;
        at += n;
    }
    if (lake_parquet_writer_close(w, &err)) goto fail;
    lake_parquet_writer_free(w);
    if (fclose(out)) return 1;
    for (size_t r = 0; r < rows; r++) print(&records[r]);
    free(records);
    free(pool);
    return 0;
fail:
    fprintf(stderr, "parquet_nested_events: %s\n", err.message);
    return 1;
}
