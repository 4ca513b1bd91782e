/* SPDX-License-Identifier: MIT */
/* The measured loop of the decode+validate benchmarks: every NDJSON line
 * decoded strictly into one record and validated, best of three passes. */
#ifndef LAKE_BENCH_NDJSON_DECODE_H
#define LAKE_BENCH_NDJSON_DECODE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm.h>

static double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file in a malloc'd buffer (free it), or NULL. */
static char *bench_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return perror(path), NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *data = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) free(data), data = NULL;
    fclose(f);
    *size = data ? (size_t)n : 0;
    return data;
}

/* Decodes every line into `record`, three times; prints the RESULT line of
 * the fastest pass under `name`. Returns 0, or 2 when out of memory. */
static int bench_decode_lines(const char *name, const lake_schema *schema, const char *data, size_t size,
                              void *record) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 2;
    lake_error err = LAKE_ERROR_INIT;
    double best = 0;
    size_t records = 0, rejected = 0;
    for (int pass = 0; pass < 3; pass++) {
        records = rejected = 0;
        double start = bench_now();
        for (const char *p = data, *end = data + size; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = (size_t)((nl ? nl : end) - p);
            if (len) {
                if (lake_json_decode(schema, p, len, record, arena, records, NULL, &err) != LAKE_OK) rejected++;
                /* strings and elements live in the arena: reset it often so memory stays flat */
                if ((++records & 255) == 0) lake_arena_reset(arena);
            }
            p = nl ? nl + 1 : end;
        }
        double s = bench_now() - start;
        if (pass == 0 || s < best) best = s;
    }
    printf("RESULT name=%s records=%zu seconds=%.6f bytes=%zu rejected=%zu\n", name, records, best, size, rejected);
    lake_arena_free(arena);
    lake_error_clear(&err);
    return 0;
}

#endif
