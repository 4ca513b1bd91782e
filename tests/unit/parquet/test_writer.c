/* SPDX-License-Identifier: MIT */
/* The streaming writer's contract: file framing, bounded buffering, the sink,
 * and every error path. Values are checked by pyarrow and DuckDB in tests/interop. */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "lake_test.h"
#include "parquet/layout.h"

typedef struct row {
    int64_t id;
    lake_str name;
    lake_opt_f64 score;
} row;
static const lake_field row_fields[] = {
    LAKE_FIELD(row, id, "id", ""),
    LAKE_FIELD(row, name, "name", ""),
    LAKE_FIELD(row, score, "score", ""),
};
static const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);

typedef struct memory {
    unsigned char *data;
    size_t len, cap, writes, fail_after;
    size_t foreign; /* writes from a thread other than the test's */
} memory;

static pthread_t test_thread;

static int memory_write(void *ctx, const void *data, size_t len, lake_error *err) {
    memory *m = ctx;
    if (!pthread_equal(pthread_self(), test_thread)) m->foreign++;
    if (m->fail_after && ++m->writes >= m->fail_after) {
        if (err) {
            err->code = LAKE_EIO;
            snprintf(err->message, sizeof err->message, "disk full");
        }
        return LAKE_EIO;
    }
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->data = realloc(m->data, m->cap);
    }
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return LAKE_OK;
}

static const lake_schema *schema(void) {
    const lake_schema *s;
    lake_schema_of(&s, &row_model, NULL);
    return s;
}

static void fill(row *rows, size_t n, size_t base) {
    static char names[64][16];
    for (size_t i = 0; i < n; i++) {
        size_t k = (base + i) % 64;
        snprintf(names[k], sizeof names[k], "name-%zu", k);
        rows[i].id = (int64_t)(base + i);
        rows[i].name = (lake_str){names[k], strlen(names[k])};
        rows[i].score = (lake_opt_f64){(double)i / 3, i % 5 != 0};
    }
}

static void writes_a_framed_file(void) {
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, NULL, &err), &err);
    CHECK_EQ_INT(m.len, 4); /* the leading magic goes out at once */
    row rows[100];
    fill(rows, 100, 0);
    CHECK_OK(lake_parquet_writer_append(w, rows, 100, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    CHECK_EQ_INT(lake_parquet_writer_rows(w), 100);
    CHECK_EQ_INT(lake_parquet_writer_bytes(w), m.len);
    CHECK(memcmp(m.data, "PAR1", 4) == 0 && memcmp(m.data + m.len - 4, "PAR1", 4) == 0);
    uint32_t footer;
    memcpy(&footer, m.data + m.len - 8, 4);
    CHECK(footer > 0 && footer < m.len - 12);
    CHECK_EQ_INT(lake_parquet_writer_append(w, rows, 1, &err), LAKE_EINVAL); /* closed */
    CHECK_CONTAINS(err.message, "closed");
    lake_parquet_writer_free(w);
    free(m.data);
    lake_error_clear(&err);
}

/* Counts live lakeorm memory through the allocator hook, from every thread
 * the writer encodes on. */
static atomic_size_t live, peak;
static void grew(size_t by) {
    size_t now = atomic_fetch_add(&live, by) + by, seen = atomic_load(&peak);
    while (now > seen && !atomic_compare_exchange_weak(&peak, &seen, now)) {}
}
static void *count_malloc(void *ctx, size_t n) {
    (void)ctx;
    void *p = malloc(n);
    if (p) grew(malloc_usable_size(p));
    return p;
}
static void *count_realloc(void *ctx, void *p, size_t old, size_t n) {
    (void)ctx;
    (void)old;
    size_t before = p ? malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (q) {
        atomic_fetch_sub(&live, before);
        grew(malloc_usable_size(q));
    }
    return q;
}
static void count_free(void *ctx, void *p) {
    (void)ctx;
    if (p) atomic_fetch_sub(&live, malloc_usable_size(p));
    free(p);
}

/* Peak library memory while writing `batches` batches of 4096 rows. */
static size_t peak_for(size_t batches) {
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.row_group_bytes = 256 * 1024;
    lake_allocator a = {count_malloc, count_realloc, count_free, NULL};
    lake_set_allocator(&a);
    atomic_store(&live, 0);
    atomic_store(&peak, 0);
    lake_parquet_writer *w;
    static row rows[4096];
    if (lake_parquet_writer_open(&w, schema(), &sink, &o, NULL)) return 0;
    for (size_t b = 0; b < batches; b++) {
        fill(rows, 4096, b * 4096);
        if (lake_parquet_writer_append(w, rows, 4096, NULL)) return 0;
    }
    if (lake_parquet_writer_close(w, NULL)) return 0;
    lake_parquet_writer_free(w);
    lake_set_allocator(NULL);
    free(m.data);
    return atomic_load(&peak);
}

static void memory_stays_flat_as_rows_grow(void) {
    size_t small = peak_for(10), large = peak_for(200); /* 40k rows, then 800k */
    CHECK(small > 0 && large > 0);
    /* 20x the rows; the footer's per-row-group entries are all that may grow. */
    if (large > small + small / 2) fprintf(stderr, "  peak %zu bytes for 40k rows, %zu for 800k\n", small, large);
    CHECK(large <= small + small / 2);
}

/* The whole file of `count` rows, appended `batch` at a time on `threads`. */
static memory write_with(unsigned threads, size_t row_group_bytes, size_t count, size_t batch) {
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.threads = threads;
    o.row_group_bytes = row_group_bytes;
    o.page_bytes = 8 * 1024; /* many pages, so their ends are compared too */
    o.ingest_id = "0190a5f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b";
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    static row rows[20000];
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), &err);
    for (size_t at = 0; at < count; at += batch) {
        size_t n = count - at < batch ? count - at : batch;
        fill(rows, n, at);
        CHECK_OK(lake_parquet_writer_append(w, rows, n, &err), &err);
    }
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    CHECK_EQ_INT(lake_parquet_writer_rows(w), count);
    CHECK_EQ_INT(lake_parquet_writer_bytes(w), m.len);
    CHECK_EQ_INT(m.foreign, 0); /* the sink is the caller's, whatever the threads */
    lake_parquet_writer_free(w);
    return m;
}

/* Columns shared out among threads encode exactly as on one: with one row
 * group the files are equal byte for byte, whatever the batches; with many,
 * every batch still lands whole. */
static void threads_write_what_one_writes(void) {
    unsigned counts[] = {2, 4};
    size_t batches[] = {20000, 4096, 777}; /* fill's values depend on the batch size */
    for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
        memory one = write_with(1, 0, 40000, batches[b]);
        CHECK(one.len > 0);
        for (size_t t = 0; t < sizeof counts / sizeof *counts; t++) {
            memory many = write_with(counts[t], 0, 40000, batches[b]);
            if (many.len != one.len || memcmp(many.data, one.data, one.len))
                LAKE_FAIL_AT("%u threads, batches of %zu: the file differs", counts[t], batches[b]);
            free(many.data);
        }
        free(one.data);
    }
    memory groups = write_with(4, 64 * 1024, 40000, 20000);
    CHECK(groups.len > 0 && memcmp(groups.data + groups.len - 4, "PAR1", 4) == 0);
    free(groups.data);
}

/* Above one thread, row groups end at the same records whatever the count,
 * and each goes to the sink while the next is encoded: two, three and four
 * threads write the same bytes over many row groups, in large batches
 * (shared rounds) and small ones (the caller alone, the sink still fed
 * between rounds). Values against one thread: tests/interop. */
static void threads_above_one_write_the_same_row_groups(void) {
    size_t batches[] = {20000, 4096, 777};
    for (size_t b = 0; b < sizeof batches / sizeof *batches; b++) {
        memory two = write_with(2, 16 * 1024, 100000, batches[b]);
        memory one_group = write_with(2, 0, 100000, batches[b]);
        CHECK(two.len > one_group.len); /* several row groups: a dictionary page and footer entry each */
        for (unsigned t = 3; t <= 4; t++) {
            memory many = write_with(t, 16 * 1024, 100000, batches[b]);
            if (many.len != two.len || memcmp(many.data, two.data, two.len))
                LAKE_FAIL_AT("%u threads, batches of %zu: the file differs from 2 threads'", t, batches[b]);
            free(many.data);
        }
        free(two.data);
        free(one_group.data);
    }
}

/* rc is the memory sink's failure, and the writer refuses more; frees both. */
static void failed_on_a_full_disk(int rc, lake_parquet_writer *w, lake_error *err, memory *m, const row *rows) {
    CHECK_EQ_INT(rc, LAKE_EIO);
    CHECK_CONTAINS(err->message, "disk full");
    CHECK_EQ_INT(lake_parquet_writer_append(w, rows, 1, err), LAKE_EINVAL);
    CHECK_CONTAINS(err->message, "failed");
    lake_parquet_writer_free(w);
    free(m->data);
    lake_error_clear(err);
}

/* A sink failing while a row group goes out beside the encoding of the next
 * fails the writer, at the append or the close that meets it. */
static void a_failing_sink_fails_a_pipelined_writer(void) {
    for (size_t fail_after = 2; fail_after <= 6; fail_after += 2) {
        memory m = {0};
        m.fail_after = fail_after;
        lake_sink sink = {memory_write, &m};
        lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
        o.threads = 2;
        o.row_group_bytes = 16 * 1024;
        lake_parquet_writer *w;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), &err);
        static row rows[8192];
        int rc = LAKE_OK;
        for (size_t b = 0; b < 10 && !rc; b++) {
            fill(rows, 8192, b * 8192);
            rc = lake_parquet_writer_append(w, rows, 8192, &err);
        }
        if (!rc) rc = lake_parquet_writer_close(w, &err);
        failed_on_a_full_disk(rc, w, &err, &m, rows);
    }
}

static void rejects_null_in_a_non_nullable_string_and_keeps_going(void) {
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, NULL, &err), &err);
    row rows[3];
    fill(rows, 3, 0);
    rows[2].name.ptr = NULL;
    CHECK_STATUS(lake_parquet_writer_append(w, rows, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_CONTAINS(err.message, "record 2: column \"name\" is not nullable");
    CHECK_EQ_INT(lake_parquet_writer_rows(w), 0); /* nothing of the batch went in */
    CHECK_OK(lake_parquet_writer_append(w, rows, 2, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    CHECK_EQ_INT(lake_parquet_writer_rows(w), 2);
    lake_parquet_writer_free(w);
    free(m.data);
}

static void a_failing_sink_fails_the_writer(void) {
    memory m = {0};
    m.fail_after = 2;
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, NULL, &err), &err);
    row rows[10];
    fill(rows, 10, 0);
    CHECK_OK(lake_parquet_writer_append(w, rows, 10, &err), &err);
    failed_on_a_full_disk(lake_parquet_writer_close(w, &err), w, &err, &m, rows);
}

static void stdio_sink_reports_a_full_disk(void) {
    FILE *f = fopen("/dev/full", "wb");
    CHECK(f != NULL);
    setvbuf(f, NULL, _IONBF, 0); /* unbuffered, so the failure shows at once */
    lake_sink sink = lake_sink_stdio(f);
    lake_parquet_writer *w = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, NULL, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "No space left on device");
    CHECK(w == NULL);
    fclose(f);
    lake_error_clear(&err);
}

static void rejects_bad_options(void) {
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.version = 7;
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), LAKE_EINVAL, &err);
    o = (lake_parquet_options)LAKE_PARQUET_OPTIONS_INIT;
    o.level = 99;
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "codec");
    o.codec = LAKE_CODEC_SNAPPY;
    o.level = 1;
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), LAKE_EINVAL, &err);
    const char *kv[] = {"key", NULL};
    o = (lake_parquet_options)LAKE_PARQUET_OPTIONS_INIT;
    o.metadata = kv;
    o.metadata_pairs = 1;
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, &o, &err), LAKE_EINVAL, &err);
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), NULL, NULL, &err), LAKE_EINVAL, &err);
    free(m.data);
    lake_error_clear(&err);
}

static void decimal_widths_follow_precision(void) {
    static const int want[39] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9,
                                 9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
    for (unsigned p = 1; p <= 38; p++) CHECK_EQ_INT(lake__decimal_bytes(p), want[p]);
}

typedef struct parts_sink {
    memory files[64];
    char names[64][32];
    uint64_t rows[64];
    unsigned opened, closed;
} parts_sink;

static int part_open(void *ctx, unsigned number, const char *name, lake_sink *out, lake_error *err) {
    (void)err;
    parts_sink *ps = ctx;
    if (number != ps->opened + 1 || number > 64) return LAKE_EINVAL;
    snprintf(ps->names[ps->opened], 32, "%s", name);
    out->write = memory_write;
    out->ctx = &ps->files[ps->opened++];
    return LAKE_OK;
}

static int part_close(void *ctx, unsigned number, const char *name, uint64_t bytes, uint64_t rows, lake_error *err) {
    (void)err;
    (void)name;
    parts_sink *ps = ctx;
    ps->rows[number - 1] = rows;
    ps->closed++;
    return bytes == ps->files[number - 1].len ? LAKE_OK : LAKE_EIO;
}

static void parts_roll_at_the_row_backstop(void) {
    static parts_sink ps;
    memset(&ps, 0, sizeof ps);
    lake_part_sinks sinks = {part_open, part_close, &ps};
    lake_parquet_parts_options o = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    o.part_rows = 1000;
    lake_parquet_parts *p;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_parts_open(&p, schema(), &sinks, &o, &err), &err);
    static row rows[2500];
    fill(rows, 2500, 0);
    CHECK_OK(lake_parquet_parts_append(p, rows, 2500, &err), &err);
    CHECK_EQ_INT(lake_parquet_parts_count(p), 2);
    CHECK_OK(lake_parquet_parts_close(p, &err), &err);
    CHECK_EQ_INT(lake_parquet_parts_count(p), 3);
    CHECK_EQ_INT(ps.closed, 3);
    CHECK_EQ_STR(ps.names[0], "part-00001.parquet");
    CHECK_EQ_STR(ps.names[2], "part-00003.parquet");
    CHECK(ps.rows[0] == 1000 && ps.rows[1] == 1000 && ps.rows[2] == 500);
    for (unsigned i = 0; i < 3; i++) {
        CHECK(memcmp(ps.files[i].data, "PAR1", 4) == 0);
        CHECK(memcmp(ps.files[i].data + ps.files[i].len - 4, "PAR1", 4) == 0);
        free(ps.files[i].data);
    }
    lake_parquet_parts_free(p);
}

/* The options as a program built against version 1 of the header lays them out. */
typedef struct parquet_options_v1 {
    unsigned version;
    lake_codec codec;
    int level;
    size_t row_group_bytes, page_bytes, dictionary_bytes;
    bool uuid_as_string;
    const char *ingest_id;
    const char *const *metadata;
    size_t metadata_pairs;
} parquet_options_v1;
typedef struct parts_options_v1 {
    unsigned version;
    parquet_options_v1 file;
    uint64_t part_bytes, part_rows;
} parts_options_v1;

/* Such a program's options still mean what they meant: the fields after the
 * shorter `file` are read where it put them. */
static void version_1_options_keep_their_meaning(void) {
    static parts_sink ps;
    memset(&ps, 0, sizeof ps);
    lake_part_sinks sinks = {part_open, part_close, &ps};
    parts_options_v1 o = {1, {1, LAKE_CODEC_SNAPPY, 0, 0, 0, 0, false, NULL, NULL, 0}, 0, 1000};
    lake_parquet_parts *p;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_parquet_parts_open(&p, schema(), &sinks, (const lake_parquet_parts_options *)&o, &err), &err);
    static row rows[2500];
    fill(rows, 2500, 0);
    CHECK_OK(lake_parquet_parts_append(p, rows, 2500, &err), &err);
    CHECK_OK(lake_parquet_parts_close(p, &err), &err);
    CHECK_EQ_INT(lake_parquet_parts_count(p), 3); /* part_rows = 1000 was read */
    for (unsigned i = 0; i < 3; i++) free(ps.files[i].data);
    lake_parquet_parts_free(p);

    parquet_options_v1 w1 = {1, LAKE_CODEC_GZIP, 0, 0, 0, 0, false, NULL, NULL, 0};
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    CHECK_OK(lake_parquet_writer_open(&w, schema(), &sink, (const lake_parquet_options *)&w1, &err), &err);
    CHECK_OK(lake_parquet_writer_append(w, rows, 2500, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    lake_parquet_writer_free(w);
    free(m.data);
    lake_error_clear(&err);
}

static void parts_roll_at_the_byte_threshold(void) {
    static parts_sink ps;
    memset(&ps, 0, sizeof ps);
    lake_part_sinks sinks = {part_open, part_close, &ps};
    lake_parquet_parts_options o = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    o.part_bytes = 32 * 1024;
    o.file.row_group_bytes = 16 * 1024;
    lake_parquet_parts *p;
    CHECK_OK(lake_parquet_parts_open(&p, schema(), &sinks, &o, NULL), NULL);
    static row rows[4096];
    uint64_t total = 0;
    for (int b = 0; b < 25; b++) {
        fill(rows, 4096, (size_t)b * 4096);
        CHECK_OK(lake_parquet_parts_append(p, rows, 4096, NULL), NULL);
    }
    CHECK_OK(lake_parquet_parts_close(p, NULL), NULL);
    CHECK(ps.closed >= 3);
    for (unsigned i = 0; i < ps.closed; i++) {
        total += ps.rows[i];
        /* every part but the last passed the threshold, by less than a slice's row groups */
        if (i + 1 < ps.closed) CHECK(ps.files[i].len >= 32 * 1024 && ps.files[i].len < 256 * 1024);
        free(ps.files[i].data);
    }
    CHECK_EQ_INT(total, 25 * 4096);
    lake_parquet_parts_free(p);

    memset(&ps, 0, sizeof ps); /* no rows: no part */
    CHECK_OK(lake_parquet_parts_open(&p, schema(), &sinks, NULL, NULL), NULL);
    CHECK_OK(lake_parquet_parts_close(p, NULL), NULL);
    CHECK_EQ_INT(ps.opened, 0);
    lake_parquet_parts_free(p);
}

int main(void) {
    test_thread = pthread_self();
    LAKE_RUN(writes_a_framed_file);
    LAKE_RUN(memory_stays_flat_as_rows_grow);
    LAKE_RUN(threads_write_what_one_writes);
    LAKE_RUN(threads_above_one_write_the_same_row_groups);
    LAKE_RUN(a_failing_sink_fails_a_pipelined_writer);
    LAKE_RUN(rejects_null_in_a_non_nullable_string_and_keeps_going);
    LAKE_RUN(a_failing_sink_fails_the_writer);
    LAKE_RUN(rejects_bad_options);
    LAKE_RUN(stdio_sink_reports_a_full_disk);
    LAKE_RUN(decimal_widths_follow_precision);
    LAKE_RUN(parts_roll_at_the_row_backstop);
    LAKE_RUN(parts_roll_at_the_byte_threshold);
    LAKE_RUN(version_1_options_keep_their_meaning);
    return lake_test_summary();
}
